"""The generated PDF set: deterministic PDFs with ground truth written alongside.

    .venv/bin/python bench/pdf_data.py --out DIR [--split tune|seeds|templates|all] [--count N]

Each document is `<template>-<seed>.pdf` with `<template>-<seed>.json` (see `Truth` in
`pdf_templates.py`). The set is split two ways, so that what is tuned on is never all that
is reported:
- tune: the tune templates (report, paper, manual, form; LaTeX article where pdflatex is
  installed) with seeds 0..N-1;
- seeds: the same templates with seeds 1000.. (measure-only by seed);
- templates: the measure-only templates (newsletter, thesis; LaTeX twocolumn) with half the
  seeds from each range (measure-only by layout).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdf_latex
from pdf_templates import MEASURE_TEMPLATES, TEMPLATES, TUNE_TEMPLATES

ALL_TEMPLATES = dict(TEMPLATES)
TUNE = list(TUNE_TEMPLATES)
MEASURE = list(MEASURE_TEMPLATES)
if pdf_latex.available():
    ALL_TEMPLATES.update({"article": pdf_latex.article, "twocolumn": pdf_latex.twocolumn})
    TUNE.append("article")
    MEASURE.append("twocolumn")
MEASURE_SEED_BASE = 1000
SPLITS = ("tune", "seeds", "templates")


def plan(split: str, count: int) -> list[tuple[str, int]]:
    """(template, seed) pairs of a split, `count` seeds per template."""
    tune_seeds = list(range(count))
    held_seeds = [MEASURE_SEED_BASE + i for i in range(count)]
    if split == "tune":
        return [(t, s) for t in TUNE for s in tune_seeds]
    if split == "seeds":
        return [(t, s) for t in TUNE for s in held_seeds]
    if split == "templates":
        half = max(1, count // 2)
        return [(t, s) for t in MEASURE for s in tune_seeds[:half] + held_seeds[:half]]
    raise ValueError(f"unknown split {split!r}")


def generate(out: Path, pairs: list[tuple[str, int]]) -> list[Path]:
    """Write each (template, seed) as PDF + JSON into `out`; returns the PDF paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for template, seed in pairs:
        pdf = out / f"{template}-{seed}.pdf"
        truth = ALL_TEMPLATES[template](pdf, seed)
        pdf.with_suffix(".json").write_text(json.dumps(truth.as_json(), indent=1))
        paths.append(pdf)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--count", type=int, default=10, help="seeds per template")
    args = parser.parse_args()
    splits = SPLITS if args.split == "all" else (args.split,)
    for split in splits:
        paths = generate(args.out / split, plan(split, args.count))
        print(f"{split}: {len(paths)} PDFs in {args.out / split}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
