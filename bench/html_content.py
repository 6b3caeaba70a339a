"""Main-content quality and speed of llmprep's HTML extraction against trafilatura, one run.

    .venv/bin/python bench/html_content.py [--corpus DIR] [--repeat N] [--errors] [--sites N]

Scores every page of `html/annotations.json` the way `corpus/README.md` says: whitespace
collapsed; a `with` snippet found is a true positive (missing: false negative); a `without`
snippet found is a false positive. llmprep's text is the joined element texts of its Document
(what goes into chunks). Speed is pages per second over the same pages, best of N repeats,
measured alternately so the machine's load hits both sides alike; CPU seconds are printed
too (less disturbed by other processes on a shared machine than wall time).

`--sites N` also scores N generated pages per split from `fixtures/make_sites.py` (news, blog,
docs, forum and product pages with their furniture): "tune" (seeds 0..N-1) is what rules were
adjusted on, "measure" (seeds 1000..) uses other markup conventions and is only measured.
With `--errors` their misses are listed with the kind of block each snippet came from.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # trafilatura: no network

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(os.environ.get("LLMPREP_CORPUS", ROOT.parent / "shared" / "corpus"))


@dataclass
class Page:
    url: str
    file: str
    data: bytes
    with_: list[str]
    without: list[str]
    kinds: dict[str, str] = field(default_factory=dict)  # snippet -> block kind (generated)


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def collapse(text: str) -> str:
    return " ".join(text.split())


def load_pages(corpus: Path) -> list[Page]:
    folder = corpus / "html"
    annotations = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    return [
        Page(url, a["file"], (folder / a["file"]).read_bytes(), list(a["with"]), list(a["without"]))
        for url, a in annotations.items()
        if (folder / a["file"]).is_file()
    ]


def generated_pages(split: str, n: int) -> list[Page]:
    """Pages from `fixtures/make_sites.py` (seeds 0.. for "tune", 1000.. for "measure")."""
    sys.path.insert(0, str(ROOT / "fixtures"))
    from make_sites import site_page

    first = 1000 if split == "measure" else 0
    out = []
    for seed in range(first, first + n):
        html, truth = site_page(seed)
        url = f"https://www.example.com/{split}/{seed}.html"
        out.append(
            Page(url, f"site-{seed}", html.encode(), truth.with_, truth.without, truth.kinds)
        )
    return out


def score_page(text: str, page: Page, score: Score) -> None:
    found = collapse(text)

    def what(snippet: str) -> str:
        kind = page.kinds.get(snippet)
        return f" [{kind}]" if kind else ""

    for snippet in page.with_:
        if collapse(snippet) in found:
            score.tp += 1
        else:
            score.fn += 1
            score.errors.append(f"FN {page.file} | {snippet}{what(snippet)}")
    for snippet in page.without:
        if collapse(snippet) in found:
            score.fp += 1
            score.errors.append(f"FP {page.file} | {snippet}{what(snippet)}")
        else:
            score.tn += 1


def score_texts(texts: Iterable[str], pages: list[Page]) -> Score:
    score = Score()
    for text, page in zip(texts, pages, strict=True):
        score_page(text, page, score)
    return score


Extractor = Callable[[Page], str]


def llmprep_text(page: Page) -> str:
    from llmprep.loaders.html.loader import extract_html

    result = extract_html(page.data, mode="main", url=page.url)
    return "\n\n".join(el.text for el in result.elements if el.text)


def trafilatura_text(page: Page) -> str:
    import trafilatura

    # The anchor: trafilatura's defaults with comments excluded, as llmprep's main mode does.
    return trafilatura.extract(page.data, url=page.url, include_comments=False) or ""


def run(extractor: Extractor, pages: list[Page]) -> tuple[list[str], float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    texts = [extractor(page) for page in pages]
    return texts, time.perf_counter() - started, time.process_time() - cpu


CONTENDERS: dict[str, Extractor] = {"trafilatura": trafilatura_text, "llmprep": llmprep_text}


def compare(title: str, pages: list[Page], repeat: int, errors: bool) -> None:
    """Score both extractors on `pages`, time them alternately, print a table and ratios."""
    best = dict.fromkeys(CONTENDERS, float("inf"))
    best_cpu = dict.fromkeys(CONTENDERS, float("inf"))
    texts: dict[str, list[str]] = {}
    for _ in range(max(repeat, 1)):
        for name, extractor in CONTENDERS.items():
            texts[name], seconds, cpu = run(extractor, pages)
            best[name] = min(best[name], seconds)
            best_cpu[name] = min(best_cpu[name], cpu)
    scores = {name: score_texts(texts[name], pages) for name in CONTENDERS}
    print(f"{title}: {len(pages)} pages, best of {repeat} runs")
    print(f"{'':12} {'P':>6} {'R':>6} {'F1':>6} {'TP':>4} {'FN':>4} {'FP':>4} {'pages/s':>8}")
    for name, s in scores.items():
        rate = len(pages) / best[name]
        print(
            f"{name:12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4} {s.fn:4} {s.fp:4} {rate:8.1f}"
        )
    ref, ours = scores["trafilatura"], scores["llmprep"]
    print(
        f"ratio llmprep/trafilatura: F1 {ours.f1 / ref.f1:.3f}, "
        f"speed {best['trafilatura'] / best['llmprep']:.2f}x (wall), "
        f"{best_cpu['trafilatura'] / best_cpu['llmprep']:.2f}x (CPU)"
    )
    if errors:
        for line in ours.errors:
            print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--errors", action="store_true", help="list every FN/FP snippet")
    parser.add_argument("--sites", type=int, default=0, help="generated pages per split")
    parser.add_argument("--no-dev", action="store_true", help="only the generated pages")
    args = parser.parse_args(argv)
    pages = [] if args.no_dev else load_pages(args.corpus)
    if not pages and not args.sites:
        print("no annotated pages found", file=sys.stderr)
        return 2
    warm = pages[0] if pages else generated_pages("tune", 1)[0]
    for extractor in CONTENDERS.values():  # warm-up: imports and caches out of the timings
        extractor(warm)
    if pages:
        compare("dev corpus", pages, args.repeat, args.errors)
    for split in ("tune", "measure") if args.sites else ():
        compare(f"generated {split}", generated_pages(split, args.sites), args.repeat, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
