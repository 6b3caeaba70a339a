"""DOCX loader benchmark: status and word recall per corpus file, and speed against python-docx.

    .venv/bin/python bench/docx_loader.py [--corpus ../shared/corpus/docx] [--repeats 3] [--process]

Recall: the share of the words of plain python-docx text (every `doc.paragraphs` text plus every
`table.rows[].cells[].text`) that the loader's elements contain, counted with multiplicity.
python-docx repeats a merged cell once per grid column and row it covers while the loader keeps
it once, so the reference counts each distinct cell of a row once ("dedup" column); the "raw"
column is the same score without that correction, and "set" counts distinct words only.
Speed: the loader against python-docx's own plain text read (open + paragraphs + tables) of the
same files, in the same run, as ratios: over all readable files and for the 872-page handbook
(the machine is shared, so absolute seconds are noisy). The loader does more than that read
(document order, merged cells, text boxes, notes, numbering, styles), through the same python-docx
package layer.
`--process` also runs every file through `llmprep.process(redact=False)` for its status.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def reference_text(path: Path, *, dedup_merged: bool) -> str:
    """python-docx's plain text: paragraphs, then each table's cells row by row."""
    import docx

    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        seen: dict[int, object] = {}  # holds the elements, so their ids stay unique
        for row in table.rows:
            try:
                cells = list(row.cells)
            except Exception:  # python-docx cannot lay out some irregular grids
                cells = []
            for cell in cells:
                if dedup_merged and id(cell._tc) in seen:
                    continue
                seen[id(cell._tc)] = cell._tc
                parts.append(cell.text)
    return "\n".join(parts)


def recall(reference: Counter[str], got: Counter[str]) -> float:
    total = sum(reference.values())
    if not total:
        return 1.0
    return sum(min(n, got[w]) for w, n in reference.items()) / total


def load_text(path: Path) -> tuple[str, str, float]:
    """(status, text of all elements, seconds) through the DOCX loader alone."""
    from llmprep.config import Config
    from llmprep.errors import LoadError
    from llmprep.loaders.base import SourceFile
    from llmprep.loaders.docx.loader import DocxLoader

    source = SourceFile(path=path, rel_path=path.name, config=Config())
    started = time.perf_counter()
    try:
        docs = list(DocxLoader().load(source))
    except LoadError as exc:
        return exc.status, "", time.perf_counter() - started
    seconds = time.perf_counter() - started
    status = "partial" if source.partial else "ok"
    return status, "\n".join(e.text for d in docs for e in d.elements), seconds


def python_docx_seconds(path: Path) -> float:
    started = time.perf_counter()
    reference_text(path, dedup_merged=False)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "docx")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--missing", action="store_true", help="print the reference words not found")
    ap.add_argument("--process", action="store_true", help="also run llmprep.process for statuses")
    args = ap.parse_args(argv)
    files = sorted(args.corpus.glob("*.docx"))
    if not files:
        print(f"no .docx files in {args.corpus}", file=sys.stderr)
        return 2

    print(
        f"{'file':42s} {'status':8s} {'dedup':>6s} {'raw':>6s} {'set':>6s} {'words':>7s} {'sec':>6s}"
    )
    worst = 1.0
    for path in files:
        status, text, seconds = load_text(path)
        got = words(text)
        r_dedup = recall(words(reference_text(path, dedup_merged=True)), got)
        r_raw = recall(words(reference_text(path, dedup_merged=False)), got)
        ref_set = set(words(reference_text(path, dedup_merged=False)))
        r_set = len(ref_set & set(got)) / len(ref_set) if ref_set else 1.0
        if status == "ok":
            worst = min(worst, r_dedup)
        print(
            f"{path.name:42s} {status:8s} {r_dedup:6.3f} {r_raw:6.3f} {r_set:6.3f} {sum(got.values()):7d} {seconds:6.2f}"
        )
        if args.missing and r_dedup < 1:
            ref = words(reference_text(path, dedup_merged=True))
            print("   missing:", dict((ref - got).most_common(12)))
    print(f"worst recall (dedup) over ok files: {worst:.3f}")

    readable = [p for p in files if load_text(p)[0] in ("ok", "partial")]
    totals = [
        (sum(load_text(p)[2] for p in readable), sum(python_docx_seconds(p) for p in readable))
        for _ in range(args.repeats)
    ]
    ours_all = statistics.median(t[0] for t in totals)
    anchor_all = statistics.median(t[1] for t in totals)
    print(
        f"all {len(readable)} readable files: loader median {ours_all:.2f}s, python-docx plain "
        f"read median {anchor_all:.2f}s, loader speed {anchor_all / ours_all:.2f}x python-docx's"
    )

    big = args.corpus / "handbook-872p.docx"
    if big.exists():
        ours = [load_text(big)[2] for _ in range(args.repeats)]
        anchor = [python_docx_seconds(big) for _ in range(args.repeats)]
        print(
            f"handbook-872p: loader median {statistics.median(ours):.2f}s, python-docx plain read "
            f"median {statistics.median(anchor):.2f}s, ratio {statistics.median(ours) / statistics.median(anchor):.2f}"
        )

    if args.process:
        import llmprep

        counts: Counter[str] = Counter()
        for path in files:
            res = llmprep.process(path, redact=False)
            counts[res.status] += 1
            if res.status != "ok":
                print(f"  {path.name}: {res.status} {res.error.code if res.error else ''}")
        print("process statuses:", dict(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
