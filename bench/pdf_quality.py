"""Scoring the PDF loader against the generated set's ground truth and against pdftotext.

    .venv/bin/python bench/pdf_quality.py [--count N] [--show]

Figures per split (tune / seeds / templates, see `pdf_data.py`):
- headings: recall and precision of heading and title elements, matched by text (whitespace
  and case folded), and the share of matched headings at the right level;
- tables: cell recall (gold cells found in the cells of table elements' `metadata["rows"]`),
  row recall (a gold row found as one row, cells in order), cell precision (cells of table
  elements that are gold cells);
- paragraphs: gold paragraphs (body text, list items, reference entries) that do not come out
  inside one element ("split"), and those glued behind other text ("merged");
- forms: "name: value" found for each filled field;
- furniture leaks: running headers, footers and side stamps found inside body elements;
- present: text that must be read (rotated labels, free-text annotations).
Word recall against poppler's pdftotext is computed per corpus file (skipped without it).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
BODY_TYPES = frozenset({"paragraph", "list_item", "heading", "title", "caption", "table", "code"})


def norm(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def heading_key(text: str) -> str:
    return norm(text).rstrip(".:")


@dataclass
class Score:
    files: int = 0
    gold_headings: int = 0
    found_headings: int = 0
    predicted_headings: int = 0
    right_level: int = 0
    gold_cells: int = 0
    found_cells: int = 0
    predicted_cells: int = 0
    correct_cells: int = 0
    gold_rows: int = 0
    found_rows: int = 0
    paragraphs: int = 0
    split: int = 0
    merged: int = 0
    forms: int = 0
    forms_found: int = 0
    furniture_leaks: int = 0
    present: int = 0
    present_found: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name, value in other.__dict__.items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
            else:
                getattr(self, name).extend(value)

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "files": self.files,
            "heading_recall": ratio(self.found_headings, self.gold_headings),
            "heading_precision": ratio(self.found_headings, self.predicted_headings),
            "heading_level_accuracy": ratio(self.right_level, self.found_headings),
            "table_cell_recall": ratio(self.found_cells, self.gold_cells),
            "table_row_recall": ratio(self.found_rows, self.gold_rows),
            "table_cell_precision": ratio(self.correct_cells, self.predicted_cells),
            "paragraphs": self.paragraphs,
            "paragraphs_split": self.split,
            "paragraphs_merged": self.merged,
            "form_values_found": f"{self.forms_found}/{self.forms}",
            "present_found": f"{self.present_found}/{self.present}",
            "furniture_leaks": self.furniture_leaks,
        }


def load_elements(path: Path) -> list[Any]:
    from llmprep.config import Config
    from llmprep.loaders.base import SourceFile
    from llmprep.loaders.pdf.loader import PdfLoader

    source = SourceFile(path=path, rel_path=path.name, config=Config())
    return list(next(iter(PdfLoader().load(source))).elements)


def score_document(elements: list[Any], truth: dict[str, Any], name: str = "") -> Score:
    s = Score(files=1)
    body = [e for e in elements if e.type in BODY_TYPES]
    texts = [norm(e.text) for e in body]

    # headings: matched by text, as multisets
    gold = Counter(heading_key(h["text"]) for h in truth["headings"])
    levels = {heading_key(h["text"]): h["level"] for h in truth["headings"]}
    predicted = [e for e in elements if e.type in ("heading", "title")]
    pred = Counter(heading_key(e.text) for e in predicted)
    s.gold_headings = sum(gold.values())
    s.predicted_headings = sum(pred.values())
    s.found_headings = sum((gold & pred).values())
    for e in predicted:
        key = heading_key(e.text)
        if key in gold:
            want = levels[key]
            got = 0 if e.type == "title" else e.level
            s.right_level += want == got
    for key in (gold - pred).elements():
        s.problems.append(f"{name}: heading missed: {key!r}")
    for key in (pred - gold).elements():
        s.problems.append(f"{name}: not a heading: {key!r}")

    # tables: all gold cells and rows of the document against all predicted table cells
    gold_cells: Counter[str] = Counter()
    gold_rows: Counter[tuple[str, ...]] = Counter()
    for table in truth["tables"]:
        for row in table["rows"]:
            cells = tuple(norm(c) for c in row)
            gold_rows[cells] += 1
            gold_cells.update(c for c in cells if c)
    pred_cells: Counter[str] = Counter()
    pred_rows: Counter[tuple[str, ...]] = Counter()
    for e in elements:
        if e.type != "table":
            continue
        for row in e.metadata.get("rows", []):
            cells = tuple(norm(c) for c in row)
            pred_rows[cells] += 1
            pred_cells.update(c for c in cells if c)
    s.gold_cells = sum(gold_cells.values())
    s.found_cells = sum((gold_cells & pred_cells).values())
    s.predicted_cells = sum(pred_cells.values())
    s.correct_cells = s.found_cells
    s.gold_rows = sum(gold_rows.values())
    s.found_rows = sum((gold_rows & pred_rows).values())
    for row in (gold_rows - pred_rows).elements():
        s.problems.append(f"{name}: table row missed: {' | '.join(row)!r}")

    # paragraphs
    for paragraph in truth["paragraphs"]:
        want = norm(paragraph)
        s.paragraphs += 1
        holder = next((t for t in texts if want in t), None)
        if holder is None:
            s.split += 1
            s.problems.append(f"{name}: paragraph split: {want[:70]!r}")
        elif not holder.startswith(want) and not _after_label(holder, want):
            s.merged += 1
            s.problems.append(f"{name}: paragraph merged behind other text: {want[:50]!r}")

    # forms, furniture, presence
    everything = "\n".join(norm(e.text) for e in elements)
    for item in truth["forms"]:
        s.forms += 1
        if norm(f"{item['name']}: {item['value']}") in everything:
            s.forms_found += 1
        else:
            s.problems.append(f"{name}: form value missing: {item['name']!r}")
    for text in truth["furniture"]:
        leaks = sum(1 for t in texts if norm(text) in t)
        s.furniture_leaks += leaks
        if leaks:
            s.problems.append(f"{name}: furniture in body: {text[:50]!r}")
    for text in truth["present"]:
        s.present += 1
        if norm(text) in everything:
            s.present_found += 1
        else:
            s.problems.append(f"{name}: text missing: {text[:50]!r}")
    return s


def _after_label(holder: str, want: str) -> bool:
    """A list item's text after its marker ("1. ", "• ") still starts the element."""
    at = holder.find(want)
    return 0 < at <= 4 and not holder[:at].strip().isalpha()


def score_files(pdfs: list[Path]) -> Score:
    total = Score()
    for pdf in pdfs:
        truth = json.loads(pdf.with_suffix(".json").read_text())
        total.add(score_document(load_elements(pdf), truth, pdf.stem))
    return total


def score_splits(count: int, out: Path | None = None) -> dict[str, Score]:
    from pdf_data import SPLITS, generate, plan

    scores: dict[str, Score] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = out or Path(tmp)
        for split in SPLITS:
            scores[split] = score_files(generate(base / split, plan(split, count)))
    return scores


# -- word recall against pdftotext -------------------------------------------------------------


def word_recall(reference: str, extracted: str) -> float:
    """Share of the reference's words (with multiplicity) found in the extracted text; RTL
    words also count reversed (pdftotext writes them in visual order)."""

    def words(text: str) -> Counter[str]:
        return Counter(w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", text)))

    ref, ours = words(reference), words(extracted)
    total = sum(ref.values())
    if not total:
        return 1.0
    found = 0
    for word, count in ref.items():
        have = ours[word] + (ours[word[::-1]] if _RTL.search(word) and word[::-1] != word else 0)
        found += min(count, have)
    return found / total


def corpus_word_recall(corpus: Path) -> dict[str, float] | None:
    """Word recall per `ok` corpus PDF (through `llmprep.process`), or None without pdftotext."""
    if shutil.which("pdftotext") is None or not corpus.is_dir():
        return None
    import llmprep

    out: dict[str, float] = {}
    for path in sorted(corpus.glob("*.pdf")):
        result = llmprep.process(path, redact=False)
        if result.status != "ok":
            continue
        reference = subprocess.run(
            ["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=False
        ).stdout
        text = "\n".join(e.text for d in result.documents[:1] for e in d.elements)
        out[path.name] = round(word_recall(reference, text), 3)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10, help="seeds per template and split")
    parser.add_argument("--show", action="store_true", help="print each problem found")
    parser.add_argument("--keep", type=Path, help="write the generated set here")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    args = parser.parse_args()
    scores = score_splits(args.count, args.keep)
    report: dict[str, Any] = {split: score.figures() for split, score in scores.items()}
    recall = corpus_word_recall(args.corpus)
    if recall is not None:
        low = {name: value for name, value in recall.items() if value < 0.95}
        report["corpus_word_recall"] = {"ok_files": len(recall), "below_0.95": low}
    print(json.dumps(report, indent=2))
    if args.show:
        for split, score in scores.items():
            for problem in score.problems:
                print(f"[{split}] {problem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
