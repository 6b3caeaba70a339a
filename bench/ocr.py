"""OCR benchmark: word recall and pages/s of llmprep's OCR (rapidocr) next to tesseract's.

    .venv/bin/python bench/ocr.py [--set tune|measure] [--dpi 200] [--no-tesseract] [--limit N]
                                  [--languages en,de,fr] [--det-side 1600] [--verbose]

Ground truth needs no labelling: born-digital pages are rendered to images and the text llmprep
reads from their text layer is the reference. Each page is OCR'd through `llmprep.process` on
the PNG (the image loader, the same OCR path as scanned PDF pages), once clean and once
degraded (1-2 degrees of skew, blur, sensor noise, JPEG at quality 70). Tesseract reads the same
PNG (`tesseract IMG stdout -l LANG`, its language set to the page's, OMP_THREAD_LIMIT=1).

Sets:
- `tune`: generated pages (fixtures/make_scans.py), seeds 0-1, every layout (letter, two
  columns, table, headings and lists) in English, German and French, fonts rotating with the
  seed. Used to choose settings.
- `measure`: generated pages with seeds 100-101 (never looked at while tuning), plus the first
  three pages of every dev-corpus PDF that has a text layer in a script the model reads.

Word recall = reference words found in the OCR text (multiset, case-folded, NFKC, `\\w+`
tokens) / reference words; precision likewise over the OCR words. Speed: wall seconds per page,
one thread each (llmprep `[ocr] threads = 1`), interleaved page by page; llmprep's includes the
whole pipeline (normalisation, chunking, quality flags), tesseract's a process start (~50 ms).
Requires `apt-get install tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra` for the anchor
(never a dependency of llmprep).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "fixtures"))

import make_scans  # noqa: E402

TUNE_SEEDS = (0, 1)
MEASURE_SEEDS = (100, 101)
_TESS_LANG = {"en": "eng", "de": "deu", "fr": "fra"}
_WORD = re.compile(r"\w+")


@dataclass
class Page:
    name: str
    image: Path
    truth: str
    language: str
    condition: str  # "clean" | "noisy"
    group: str  # "generated" | "corpus"


@dataclass
class Score:
    found: int = 0
    truth: int = 0
    ocr: int = 0
    matched_ocr: int = 0
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, truth: str, ocr: str, seconds: float, cpu: float) -> tuple[float, int]:
        t, o = words(truth), words(ocr)
        common = sum((t & o).values())
        self.found += common
        self.truth += sum(t.values())
        self.ocr += sum(o.values())
        self.matched_ocr += common
        self.seconds.append(seconds)
        self.cpu.append(cpu)
        return (common / max(1, sum(t.values()))), sum(t.values())

    @property
    def recall(self) -> float:
        return self.found / max(1, self.truth)

    @property
    def precision(self) -> float:
        return self.matched_ocr / max(1, self.ocr)

    @property
    def pages_per_second(self) -> float:
        return len(self.seconds) / max(1e-9, sum(self.seconds))

    @property
    def pages_per_cpu_second(self) -> float:
        return len(self.cpu) / max(1e-9, sum(self.cpu))


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def native_pages(pdf: Path) -> tuple[dict[int, str], str]:
    """The text llmprep reads from each page's text layer, and the document's language."""
    import llmprep

    result = llmprep.process(pdf, redact=False)
    if not result.documents:
        return {}, "und"
    doc = result.documents[0]
    pages: dict[int, list[str]] = {}
    for element in doc.elements:
        if element.page is not None and element.type not in ("header", "footer"):
            pages.setdefault(element.page, []).append(element.text)
    return {n: "\n".join(t) for n, t in pages.items()}, doc.language or "und"


def generated_pages(seeds: tuple[int, ...], dpi: int, work: Path) -> list[Page]:
    pages = []
    for seed in seeds:
        for li, language in enumerate(make_scans.LANGUAGES):
            for lj, layout in enumerate(make_scans.LAYOUTS):
                font = make_scans.FONTS[(seed + li + lj) % len(make_scans.FONTS)]
                size = (10.0, 11.0, 12.0)[(seed + lj) % 3]
                spec = make_scans.PageSpec(layout, language, seed, font, size)
                name = f"{layout}-{language}-{seed}-{font}-{size:g}"
                pdf = work / f"{name}.pdf"
                make_scans.write_page(pdf, spec)
                truth = native_pages(pdf)[0].get(1, "")
                pages += _renders(name, pdf, 0, truth, language, dpi, work, "generated", seed)
    return pages


def corpus_pages(corpus: Path, dpi: int, work: Path, per_file: int = 3) -> list[Page]:
    import llmprep

    pages = []
    for pdf in sorted(corpus.glob("*.pdf")):
        by_page, language = native_pages(pdf)
        if language not in _TESS_LANG:  # scripts the model cannot read (Arabic), or no text
            continue
        for number in sorted(by_page)[:per_file]:
            truth = by_page[number]
            if len(words(truth)) < 5:
                continue
            name = f"{pdf.stem[:40]}-p{number}"
            pages += _renders(name, pdf, number - 1, truth, language, dpi, work, "corpus", number)
    del llmprep
    return pages


def _renders(
    name: str, pdf: Path, index: int, truth: str, language: str, dpi: int, work: Path,
    group: str, seed: int,
) -> list[Page]:  # fmt: skip
    image = make_scans.render(pdf, dpi, index)
    clean = work / f"{name}-{dpi}.png"
    make_scans.save_image(image, clean)
    noisy = work / f"{name}-{dpi}-noisy.png"
    skew = 1.0 + (seed % 2)  # 1 or 2 degrees
    make_scans.save_image(make_scans.degrade(image, seed + len(name), skew=skew), noisy)
    return [
        Page(name, clean, truth, language, "clean", group),
        Page(name, noisy, truth, language, "noisy", group),
    ]


def run_llmprep(page: Page, config: Any) -> tuple[str, float, float]:
    """Text, wall seconds and CPU seconds of `llmprep.process` on the page image."""
    import llmprep

    started, cpu = time.perf_counter(), time.process_time()
    result = llmprep.process(page.image, config=config, redact=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return "\n".join(d.text for d in result.documents), seconds, cpu


def run_tesseract(page: Page) -> tuple[str, float, float]:
    """Text, wall seconds and CPU seconds (of the child process) of tesseract on the image."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(
        ["tesseract", str(page.image), "stdout", "-l", _TESS_LANG.get(page.language, "eng")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return out.stdout, seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["tune", "measure"], default="measure")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-tesseract", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="at most N pages per group")
    parser.add_argument("--languages", default="", help="[ocr] languages, comma-separated")
    parser.add_argument("--det-side", type=int, default=0, help="override DET_LONG_SIDE")
    parser.add_argument("--verbose", action="store_true", help="print every page's recall")
    args = parser.parse_args(argv)

    import llmprep
    from llmprep.ocr import engine as ocr_engine

    if args.det_side:
        ocr_engine.DET_LONG_SIDE = args.det_side
    languages = [x for x in args.languages.split(",") if x]
    # Budgets off: the bench measures recognition, and a shared machine's load must not cut
    # pages short.
    config = llmprep.Config().with_overrides(
        **{"ocr.languages": languages, "ocr.page_timeout": 3600.0, "run.timeout": 36000.0}
    )
    tesseract = not args.no_tesseract and shutil.which("tesseract") is not None
    if not args.no_tesseract and not tesseract:
        print(
            "tesseract not found: apt-get install tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra"
        )

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seeds = TUNE_SEEDS if args.set == "tune" else MEASURE_SEEDS
        pages = generated_pages(seeds, args.dpi, work)
        if args.set == "measure" and args.corpus.is_dir():
            pages += corpus_pages(args.corpus, args.dpi, work)
        if args.limit:
            kept: Counter[str] = Counter()
            limited = []
            for page in pages:
                key = f"{page.group}-{page.condition}"
                if kept[key] < args.limit:
                    kept[key] += 1
                    limited.append(page)
            pages = limited
        run_llmprep(pages[0], config)  # load the models before the clock starts
        ours: dict[str, Score] = {}
        theirs: dict[str, Score] = {}
        for page in pages:
            key = f"{page.group}/{page.condition}"
            text, seconds, cpu = run_llmprep(page, config)
            recall, n = ours.setdefault(key, Score()).add(page.truth, text, seconds, cpu)
            line = f"{key:20} {page.name:60} words {n:4d}  llmprep {recall:.3f} {seconds:5.2f}s"
            if tesseract:
                text, seconds, cpu = run_tesseract(page)
                t_recall, _ = theirs.setdefault(key, Score()).add(page.truth, text, seconds, cpu)
                line += f"  tesseract {t_recall:.3f} {seconds:5.2f}s"
            if args.verbose:
                print(line, flush=True)

    load = os.getloadavg()[0]
    print(
        f"\nset={args.set} dpi={args.dpi} languages={languages or 'all'} "
        f"det_side={ocr_engine.DET_LONG_SIDE} cores={os.cpu_count()} load={load:.1f} "
        "(one thread each; pages/s over wall time, then over CPU time)"
    )
    header = f"{'pages':>22} {'n':>4} | {'recall':>7} {'prec.':>6} {'p/s':>5} {'p/cpu-s':>7}"
    if tesseract:
        header += (
            f" | {'tess. recall':>12} {'prec.':>6} {'p/s':>5} {'p/cpu-s':>7} | {'cpu speed x':>11}"
        )
    print(header)
    total_ours, total_theirs = Score(), Score()
    rows = [(key, ours[key], theirs.get(key)) for key in sorted(ours)]
    for _key, s, t in rows:
        _merge(total_ours, s)
        if t is not None:
            _merge(total_theirs, t)
    rows.append(("all", total_ours, total_theirs if tesseract else None))
    for key, s, t in rows:
        line = (
            f"{key:>22} {len(s.seconds):4d} | {s.recall:7.3f} {s.precision:6.3f} "
            f"{s.pages_per_second:5.2f} {s.pages_per_cpu_second:7.2f}"
        )
        if t is not None:
            line += (
                f" | {t.recall:12.3f} {t.precision:6.3f} {t.pages_per_second:5.2f} "
                f"{t.pages_per_cpu_second:7.2f} | {s.pages_per_cpu_second / t.pages_per_cpu_second:11.2f}"
            )
        print(line)
    return 0


def _merge(total: Score, part: Score) -> None:
    total.found += part.found
    total.truth += part.truth
    total.ocr += part.ocr
    total.matched_ocr += part.matched_ocr
    total.seconds += part.seconds
    total.cpu += part.cpu


if __name__ == "__main__":
    sys.exit(main())
