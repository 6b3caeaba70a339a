"""Anchor runner: unstructured `partition` + `chunk_by_title`, one worker, timed per file.

Runs inside `.venv-unstructured` (see bench/setup_anchors.sh); bench/run_all.py drives it:

    DO_NOT_TRACK=1 .venv-unstructured/bin/python bench/anchors_unstructured.py FILE... > out.json

Before the clock starts it partitions the first file of each format once, untimed, so the lazy
imports (docx, lxml, the email parser, nltk data) are paid outside the measurement, the same
warm-up llmprep gets. Prints one JSON object: per-file rows {path, seconds, status, error,
elements, chunks, chars, cpu} where `chars` is the text of the chunks, and the process's peak RSS.
A file unstructured cannot read (PDFs without the `[pdf]` extra) is a failed row with the
exception type only, never its message (messages can quote the document).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("SCARF_NO_ANALYTICS", "true")


def one(path: str) -> dict:
    from unstructured.chunking.title import chunk_by_title
    from unstructured.partition.auto import partition

    row: dict = {
        "path": path,
        "status": "ok",
        "error": None,
        "elements": 0,
        "chunks": 0,
        "chars": 0,
    }
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        elements = partition(filename=path)
        chunks = chunk_by_title(elements)
        row["elements"] = len(elements)
        row["chunks"] = len(chunks)
        row["chars"] = sum(len(c.text or "") for c in chunks)
    except Exception as exc:  # an anchor failure is a row, not a crashed benchmark
        row["status"] = "failed"
        row["error"] = type(exc).__name__
    row["seconds"] = time.perf_counter() - t0
    row["cpu"] = time.process_time() - c0
    return row


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")
    paths = argv
    seen: set[str] = set()
    for p in paths:  # untimed warm-up: first file of each extension
        ext = Path(p).suffix.lower()
        if ext not in seen:
            seen.add(ext)
            one(p)
    rows = [one(p) for p in paths]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump({"rows": rows, "peak_rss_mb": peak_kb / 1024}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
