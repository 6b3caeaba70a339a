"""Structure survives on generated pages and Word documents whose truth is known
(fixtures/make_structure.py): both splits, the tuned one and the one only measured."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fixtures"))
sys.path.insert(0, str(ROOT / "bench"))

from make_structure import docx_document, html_page  # noqa: E402
from structure import Score, docx_elements, html_elements, score  # noqa: E402

SEEDS = {"tune": range(8), "measure": range(1000, 1008)}


def _check(total: Score) -> None:
    assert total.heading_tp / total.heading_truth >= 0.97
    assert total.heading_tp / total.heading_found >= 0.97
    assert total.cells_found / total.cells >= 0.95
    assert total.rows_found / total.rows >= 0.95
    assert total.glued == 0


@pytest.mark.parametrize("split", ["tune", "measure"])
@pytest.mark.parametrize("mode", ["main", "full"])
def test_html_headings_tables_and_line_breaks_survive(split: str, mode: str) -> None:
    total = Score()
    for seed in SEEDS[split]:
        html, truth = html_page(seed)
        total.add(score(html_elements(html, mode), truth, full_page=mode == "full"))
    _check(total)
    assert total.items_found / total.items >= 0.95


@pytest.mark.parametrize("split", ["tune", "measure"])
def test_word_headings_merged_cells_and_cell_paragraphs_survive(split: str) -> None:
    total = Score()
    for seed in SEEDS[split]:
        data, truth = docx_document(seed)
        total.add(score(docx_elements(data), truth))
    _check(total)
    assert total.snippets["fn"] == 0  # content controls, field results and text boxes are read


def test_main_content_keeps_the_article_and_drops_generated_boilerplate() -> None:
    total = Score()
    for seed in (*SEEDS["tune"], *SEEDS["measure"]):
        html, truth = html_page(seed)
        total.add(score(html_elements(html, "main"), truth))
    assert total.snippets["fn"] == 0 and total.snippets["fp"] == 0
