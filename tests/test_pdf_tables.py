"""PDF tables: ruled (grid, three rules), borderless (aligned columns), across a page break;
the element form DOCX and HTML tables have; chunked as tables; prose is never a table."""

from __future__ import annotations

from pathlib import Path

import llmprep
from pdf_pages import canvas, document, elements, words

ROWS = [
    ["Depot", "Orders", "Late", "Region"],
    ["Uppsala", "1,204", "12", "north"],
    ["Lyon", "987", "31", "south"],
    ["Porto", "2,310", "8", "west"],
    ["Graz", "450", "0", "east"],
]


def _platypus(path: Path, style: list[tuple[object, ...]], rows: list[list[str]] = ROWS) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    table = Table(rows, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    story = [
        Paragraph(" ".join(words(40)).capitalize() + ".", styles["BodyText"]),
        table,
        Paragraph(" ".join(words(40, 11)).capitalize() + ".", styles["BodyText"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def _tables(path: Path) -> list[list[list[str]]]:
    return [e.metadata["rows"] for e in elements(path, "table")]


def test_a_grid_table_is_one_table_element_with_its_cells_apart(tmp_path: Path) -> None:
    from reportlab.lib import colors

    path = tmp_path / "grid.pdf"
    _platypus(path, [("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    (table,) = elements(path, "table")
    assert table.metadata["rows"] == ROWS
    assert table.metadata["header_rows"] == 1
    assert table.text == "\n".join(" | ".join(row) for row in ROWS)


def test_a_table_with_three_horizontal_rules_only_is_a_table(tmp_path: Path) -> None:
    from reportlab.lib import colors

    path = tmp_path / "booktabs.pdf"
    _platypus(
        path,
        [
            ("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black),
        ],
    )
    assert _tables(path) == [ROWS]


def test_a_borderless_table_is_found_from_its_aligned_columns(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    _platypus(path, [("ALIGN", (1, 1), (2, -1), "RIGHT")])
    assert _tables(path) == [ROWS]


def test_the_text_around_a_table_stays_paragraphs(tmp_path: Path) -> None:
    from reportlab.lib import colors

    path = tmp_path / "around.pdf"
    _platypus(path, [("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    types = [e.type for e in elements(path)]
    assert types == ["paragraph", "table", "paragraph"]


def test_a_table_broken_by_a_page_break_is_joined_and_its_repeated_header_dropped(
    tmp_path: Path,
) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    path = tmp_path / "long.pdf"
    rows = [ROWS[0]] + [[f"Depot {i}", f"{100 + i}", f"{i % 7}", "north"] for i in range(70)]
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    SimpleDocTemplate(str(path), pagesize=A4).build([Spacer(1, 200), table])
    (table,) = elements(path, "table")
    assert table.metadata["rows"] == rows
    assert table.page == 1 and table.metadata["pages"] == [1, 2, 3]


def test_two_columns_of_prose_drawn_line_by_line_are_read_column_after_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "prose.pdf"
    left = [" ".join(words(7, i * 7)) for i in range(20)]
    right = [" ".join(words(7, 200 + i * 7)) for i in range(20)]
    c = canvas(path)
    c.setFont("Helvetica", 10)
    for i in range(20):
        y = 760 - 13 * i
        c.drawString(56, y, left[i])  # left and right columns drawn line by line, side by
        c.drawString(310, y, right[i])  # side: each line of the page holds both
    c.save()
    assert _tables(path) == []
    assert " ".join(e.text for e in elements(path)) == " ".join(left + right)


def test_a_page_of_prose_measures_no_word_positions(tmp_path: Path) -> None:
    """The fast path: nothing on a plain page looks like a table, so nothing is measured."""
    import pypdfium2

    from llmprep.loaders.pdf.pdfium_reader import PdfiumReader

    path = tmp_path / "plain.pdf"
    c = canvas(path)
    c.setFont("Helvetica", 10)
    for i in range(40):
        c.drawString(72, 760 - 13 * i, " ".join(words(13, i * 13)))
    c.save()
    page = PdfiumReader(pypdfium2.PdfDocument(path)).page(0)
    assert all(line.words is None for line in page.lines) and page.rules == []


def test_a_table_too_long_for_a_chunk_is_split_by_rows_with_its_header_repeated(
    tmp_path: Path,
) -> None:
    from reportlab.lib import colors

    path = tmp_path / "chunks.pdf"
    rows = [ROWS[0]] + [[f"Depot {i}", f"{100 + i}", f"{i % 7}", "north"] for i in range(30)]
    _platypus(path, [("GRID", (0, 0), (-1, -1), 0.5, colors.black)], rows)
    result = llmprep.process(path, redact=False, chunk_max_tokens=60)
    table_chunks = [r for r in result.records if r.element_types == ["table"]]
    assert len(table_chunks) >= 3
    assert all(r.text.startswith("Depot | Orders | Late | Region\n") for r in table_chunks)
    assert all(r.tokens <= 60 for r in result.records)
    assert document(path).elements[1].type == "table"


def test_a_table_row_left_alone_at_the_top_of_the_next_page_joins_its_table(
    tmp_path: Path,
) -> None:
    path = tmp_path / "orphan.pdf"
    rows = [ROWS[0]] + [[f"Depot {i}", f"{100 + i}", f"{i % 7}", "north"] for i in range(12)]
    columns = (72, 200, 300, 400)
    c = canvas(path)
    c.setFont("Helvetica", 10)
    for n in range(4):
        c.drawString(72, 780 - 13 * n, " ".join(words(14, n * 14)))
    y = 700.0
    for row in rows[:-1]:
        for x, cell in zip(columns, row, strict=True):
            c.drawString(x, y, cell)
        y -= 14
    c.drawString(297, 40, "1")
    c.showPage()
    c.setFont("Helvetica", 10)
    for x, cell in zip(columns, rows[-1], strict=True):
        c.drawString(x, 780, cell)
    for n in range(4):
        c.drawString(72, 740 - 13 * n, " ".join(words(14, 60 + n * 14)))
    c.drawString(297, 40, "2")
    c.save()
    (table,) = elements(path, "table")
    assert table.metadata["rows"] == rows
    assert table.metadata["pages"] == [1, 2]
    assert not any("Depot 11" in e.text for e in elements(path, "paragraph"))
