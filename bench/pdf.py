"""PDF loader benchmark: pages/s against raw pypdfium2 text extraction, and peak memory.

    .venv/bin/python bench/pdf.py [--repeats 5] [--pages 600] [--corpus DIR]

Anchors, measured in the same run on the same files:
- raw: for every page, `pdf[i].get_textpage().get_text_range()` (then close), nothing else;
- loader: `PdfLoader().load(...)` (layout, furniture, headings, dehyphenation, metadata).
Each mode runs `--repeats` times, interleaved, and the fastest run counts (the machine is shared,
so the minimum is the least noisy estimate). Times are CPU seconds of this process
(time.process_time), which other processes on the machine disturb far less than wall time.
Goal: loader >= 0.5x raw pages/s.

Peak RSS is measured in fresh subprocesses (resource.getrusage) on a generated 600-page PDF:
one that only imports llmprep, pypdfium2 and pypdf (the baseline), one that loads the file.
Goal: < 600 MB. Linux keeps ru_maxrss across fork+exec, so a child reports at least its
parent's size at fork: the PDF is generated in a child too, and memory is measured first, while
this process is still small.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
sys.path.insert(0, str(ROOT / "src"))


def raw_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def loader_pages(path: Path) -> int:
    from llmprep.config import Config
    from llmprep.loaders.base import SourceFile
    from llmprep.loaders.pdf.loader import PdfLoader

    source = SourceFile(path=path, rel_path=path.name, config=Config())
    doc = next(iter(PdfLoader().load(source)))
    return int(doc.metadata.page_count or 0)


def usable(files: list[Path]) -> list[Path]:
    """Files both modes can read (encrypted and broken samples have no raw anchor)."""
    out = []
    for path in files:
        try:
            raw_pages(path)
            loader_pages(path)
        except Exception:
            continue
        out.append(path)
    return out


def timed(fn, files: list[Path]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    # CPU time of this process: on a shared machine, wall time mostly measures the neighbours.
    started = time.process_time()
    pages = sum(fn(path) for path in files)
    return time.process_time() - started, pages


def throughput(files: list[Path], repeats: int) -> dict[str, float]:
    best = {"raw": float("inf"), "loader": float("inf")}
    pages = {"raw": 0, "loader": 0}
    for _ in range(repeats):
        for name, fn in (("raw", raw_pages), ("loader", loader_pages)):
            seconds, count = timed(fn, files)
            best[name] = min(best[name], seconds)
            pages[name] = count
    raw_rate = pages["raw"] / best["raw"]
    loader_rate = pages["loader"] / best["loader"]
    return {
        "files": len(files),
        "pages": pages["raw"],
        "raw_pages_per_s": round(raw_rate, 1),
        "loader_pages_per_s": round(loader_rate, 1),
        "ratio": round(loader_rate / raw_rate, 3),
    }


_FILLER = (
    "the quick brown fox jumps over a lazy dog while seven wizards quietly judge "
    "boxing matches near the old harbour and every clerk files reports before noon"
)


def make_long_pdf(path: Path, pages: int) -> None:
    """A report-like PDF: running header, footer with page number, headings, justified text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    words = _FILLER.split()
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number in range(1, pages + 1):
        c.setFont("Helvetica", 9)
        c.drawString(72, height - 40, "Annual Operations Report - Internal")
        c.drawCentredString(width / 2, 30, f"Page {number} of {pages}")
        y = height - 90
        if number % 5 == 1:
            c.setFont("Helvetica-Bold", 16)
            c.drawString(72, y, f"Section {number // 5 + 1}: Operations review")
            y -= 30
        c.setFont("Helvetica", 10.5)
        for line in range(44 if number % 5 != 1 else 40):
            start = (number * 7 + line * 3) % len(words)
            text = " ".join((words * 2)[start : start + 13])
            c.drawString(72, y, text.capitalize() + ("." if line % 6 == 5 else ""))
            y -= 14 if line % 6 != 5 else 22
        c.showPage()
    c.save()


_RSS_SCRIPT = """
import resource, sys, json
sys.path.insert(0, {src!r})
import llmprep, pypdfium2, pypdf
from llmprep.loaders.pdf.loader import PdfLoader
if {load!r}:
    from pathlib import Path
    from llmprep.config import Config
    from llmprep.loaders.base import SourceFile
    doc = next(iter(PdfLoader().load(SourceFile(path=Path({path!r}), rel_path="long.pdf", config=Config()))))
    n = len(doc.elements)
hwm = 0.0
try:
    for row in open("/proc/self/status"):
        if row.startswith("VmHWM:"):
            hwm = int(row.split()[1]) / 1024
except OSError:
    pass
print(json.dumps({{"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "hwm_mb": hwm}}))
"""


def peak_rss(path: Path) -> dict[str, float]:
    out = {}
    for name, load in (("baseline", False), ("loader", True)):
        script = _RSS_SCRIPT.format(src=str(ROOT / "src"), load=load, path=str(path))
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        measured = json.loads(result.stdout)
        out[f"{name}_mb"] = round(measured["peak_mb"], 1)
        out[f"{name}_vmhwm_mb"] = round(measured["hwm_mb"], 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--make-pdf", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_pdf:
        make_long_pdf(args.make_pdf, args.pages)
        return 0

    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        long_pdf = Path(tmp) / "long.pdf"
        subprocess.run(
            [sys.executable, __file__, "--make-pdf", str(long_pdf), "--pages", str(args.pages)],
            check=True,
        )
        report["memory"] = {"pages": args.pages, **peak_rss(long_pdf), "goal_mb": 600}
        files = usable(sorted(args.corpus.glob("*.pdf"))) if args.corpus.is_dir() else []
        if files:
            report["corpus"] = throughput(files, args.repeats)
        report["generated"] = {"pages": args.pages, **throughput([long_pdf], args.repeats)}
    print(json.dumps(report, indent=2))
    corpus = report.get("corpus")
    if isinstance(corpus, dict):
        print(
            f"corpus: loader {corpus['loader_pages_per_s']} pages/s vs raw {corpus['raw_pages_per_s']} "
            f"-> {corpus['ratio']}x raw (goal >= 0.5x)"
        )
    gen = report["generated"]
    mem = report["memory"]
    assert isinstance(gen, dict) and isinstance(mem, dict)
    print(
        f"generated {args.pages}-page PDF: {gen['ratio']}x raw; peak RSS {mem['loader_mb']} MB "
        f"(baseline {mem['baseline_mb']} MB; goal < 600 MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
