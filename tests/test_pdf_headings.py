"""PDF headings: structure trees of tagged PDFs, the document's type, section numbers, the
outline, and the short bold or large lines that are not headings."""

from __future__ import annotations

from pathlib import Path

from pdf_pages import bench_module, canvas, document, elements, words


def headings(path: Path) -> list[tuple[str, int | None]]:
    return [(e.text, e.level) for e in elements(path, "heading")]


def test_a_tagged_pdfs_structure_tree_gives_the_headings_and_their_levels(tmp_path: Path) -> None:
    tagged = bench_module("pdf_tagged")
    block = tagged.TaggedBlock
    body = " ".join(words(14))
    path = tmp_path / "tagged.pdf"
    tagged.write_tagged_pdf(
        path,
        [
            [
                block("Title", ["Annual operations review"]),
                block("H1", ["Introduction"]),  # set in body type: only the tree says so
                block("P", [body]),
                block("Heading2", ["Scope of the review"]),  # a custom role mapped to H2
                block("P", ["A large bold line the tree calls a paragraph"], 16, "bold"),
                block("P", [body]),
            ],
            [block("H1", ["Results"]), block("P", [body])],
        ],
    )
    doc = document(path)
    assert doc.metadata.extra["headings_from"] == "tags"
    assert headings(path) == [("Introduction", 1), ("Scope of the review", 2), ("Results", 1)]
    assert [e.text for e in doc.elements if e.type == "title"] == ["Annual operations review"]
    bold = next(e for e in doc.elements if e.text.startswith("A large bold line"))
    assert bold.type == "paragraph"
    assert bold.heading_path == ["Annual operations review", "Introduction", "Scope of the review"]


def _report(
    path: Path, heading_lines: list[tuple[str, str, float]], *, body_font: str = "Helvetica"
) -> None:
    """Headings (text, font, size), each followed by a paragraph of body text."""
    c = canvas(path)
    y = 780.0
    for i, (text, font, size) in enumerate(heading_lines):
        if y < 150:
            c.showPage()
            y = 780.0
        c.setFont(font, size)
        c.drawString(72, y, text)
        y -= size + 10
        c.setFont(body_font, 10)
        for n in range(3):
            c.drawString(72, y, " ".join(words(13, i * 7 + n * 13)).capitalize())
            y -= 13
        c.drawString(72, y, "and that closes the paragraph.")
        y -= 26
    c.save()


def test_section_numbers_give_levels_to_headings_in_body_type(tmp_path: Path) -> None:
    path = tmp_path / "numbered.pdf"
    _report(
        path,
        [
            ("1 Introduction", "Helvetica-Bold", 14),
            ("1.1 Scope", "Helvetica-Bold", 10),
            ("1.2 Method", "Helvetica-Bold", 10),
            ("1.2.1 Sampling", "Helvetica-Bold", 10),
            ("2 Results", "Helvetica-Bold", 14),
            ("2.1 Costs", "Helvetica-Bold", 10),
        ],
    )
    assert headings(path) == [
        ("1 Introduction", 1),
        ("1.1 Scope", 2),
        ("1.2 Method", 2),
        ("1.2.1 Sampling", 3),
        ("2 Results", 1),
        ("2.1 Costs", 2),
    ]


def test_unnumbered_heading_styles_are_ranked_by_size_then_weight(tmp_path: Path) -> None:
    path = tmp_path / "styles.pdf"
    _report(
        path,
        [
            ("Overview", "Helvetica-Bold", 18),
            ("Background", "Helvetica-Bold", 13),
            ("Earlier studies", "Helvetica-Bold", 10),
            ("Findings", "Helvetica-Bold", 13),
            ("Costs by region", "Helvetica-Bold", 10),
            ("Outlook", "Helvetica-Bold", 18),
        ],
    )
    levels = dict(headings(path))
    assert levels["Background"] == levels["Findings"] == levels["Overview"] + 1
    assert levels["Earlier studies"] == levels["Costs by region"] == levels["Background"] + 1


def test_captions_theorem_labels_and_reference_entries_are_not_headings(tmp_path: Path) -> None:
    path = tmp_path / "labels.pdf"
    _report(
        path,
        [
            ("1 Introduction", "Helvetica-Bold", 13),
            # Set larger than the body, as headings are: only their text says what they are.
            ("Figure 3: Share of orders by depot", "Helvetica-Bold", 12),
            ("Table 2. Costs per quarter", "Helvetica-Bold", 12),
            ("Lemma 2.", "Helvetica-Bold", 12),
            ("Proof.", "Helvetica-Bold", 12),
            (
                "[12] A. Berg and C. Lind. Depots in winter. J. Logistics, 2019.",
                "Helvetica-Bold",
                12,
            ),
            ("Berg, A. (2019). Depots in winter", "Helvetica-Bold", 12),
            ("anna.berg@example.org", "Helvetica-Bold", 12),
            ("2 Results", "Helvetica-Bold", 13),
        ],
    )
    assert [text for text, _ in headings(path)] == ["1 Introduction", "2 Results"]


def test_bold_lines_in_a_run_are_a_list_not_headings(tmp_path: Path) -> None:
    path = tmp_path / "run.pdf"
    c = canvas(path)
    c.setFont("Helvetica", 10)
    c.drawString(72, 780, " ".join(words(12)).capitalize() + ".")
    c.setFont("Helvetica-Bold", 10)
    for i, item in enumerate(
        ("Northern depot", "Southern depot", "Eastern depot", "Western depot")
    ):
        c.drawString(72, 760 - 13 * i, item)
    c.setFont("Helvetica", 10)
    c.drawString(72, 700, " ".join(words(12, 5)).capitalize() + ".")
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, 670, "Depot costs")
    c.setFont("Helvetica", 10)
    c.drawString(72, 655, " ".join(words(12, 9)).capitalize() + ".")
    c.save()
    assert [text for text, _ in headings(path)] == ["Depot costs"]


def test_author_names_under_the_title_are_not_headings(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    c = canvas(path)
    c.setFont("Times-Bold", 20)
    c.drawCentredString(297, 760, "Winter logistics in northern depots")
    c.setFont("Times-Roman", 13)
    c.drawCentredString(297, 730, "Anna Berg, Bo Lind and Carla Novak")
    c.setFont("Times-Bold", 13)
    c.drawString(72, 690, "1 Introduction")
    c.setFont("Times-Roman", 10)
    for n in range(6):
        c.drawString(72, 670 - 12 * n, " ".join(words(14, n * 14)))
    c.setFont("Times-Bold", 13)
    c.drawString(72, 580, "2 Data")
    c.setFont("Times-Roman", 10)
    c.drawString(72, 560, " ".join(words(14, 3)))
    c.save()
    doc = document(path)
    assert [e.text for e in doc.elements if e.type == "title"] == [
        "Winter logistics in northern depots"
    ]
    assert [text for text, _ in headings(path)] == ["1 Introduction", "2 Data"]


def test_outline_headings_are_joined_by_numbered_headings_the_outline_leaves_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / "outline.pdf"
    c = canvas(path)
    y = 780.0
    for number, (title, subs) in enumerate(
        (("Scope", ["Sites", "Period"]), ("Costs", ["Fuel"])), 1
    ):
        text = f"{number} {title}"
        c.bookmarkPage(text)
        c.addOutlineEntry(text, text, level=0)
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, text)
        y -= 24
        for k, sub in enumerate(subs, 1):
            c.setFont("Helvetica-Bold", 11)
            c.drawString(72, y, f"{number}.{k} {sub}")  # not in the outline
            y -= 16
            c.setFont("Helvetica", 10)
            c.drawString(72, y, " ".join(words(13, number * 5 + k)) + ".")
            y -= 24
    c.save()
    assert document(path).metadata.extra["headings_from"] == "outline"
    assert headings(path) == [
        ("1 Scope", 1),
        ("1.1 Sites", 2),
        ("1.2 Period", 2),
        ("2 Costs", 1),
        ("2.1 Fuel", 2),
    ]


def test_a_date_line_under_the_title_is_not_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "essay.pdf"
    c = canvas(path)
    c.setFont("Times-Bold", 22)
    c.drawCentredString(297, 760, "Winter logistics in northern depots")
    c.setFont("Times-Roman", 14)
    c.drawCentredString(297, 730, "October 14, 1998")
    c.setFont("Times-Roman", 10)
    for n in range(8):
        c.drawString(72, 690 - 12 * n, " ".join(words(14, n * 14)))
    c.save()
    assert headings(path) == []
    assert "October 14, 1998" in [e.text for e in elements(path, "paragraph")]


def test_bookmarks_found_by_position_take_their_depth_from_section_numbers(
    tmp_path: Path,
) -> None:
    # Bookmarks titled unlike the headings they point at ("First", "Second"), nested
    # unlike the numbering: the numbers on the page give the levels.
    path = tmp_path / "bookmarks.pdf"
    c = canvas(path)
    y = 780.0
    for n, (text, level) in enumerate((("1 Scope", 0), ("2 Costs", 1), ("3 Risks", 1))):
        key = f"b{n}"
        c.bookmarkHorizontalAbsolute(key, y + 14)
        c.addOutlineEntry(("First", "Second", "Third")[n], key, level=level)
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, text)
        y -= 24
        c.setFont("Helvetica", 10)
        for k in range(3):
            c.drawString(72, y, " ".join(words(13, n * 5 + k)))
            y -= 12
        y -= 24
    c.save()
    assert document(path).metadata.extra["headings_from"] == "outline"
    assert headings(path) == [("1 Scope", 1), ("2 Costs", 1), ("3 Risks", 1)]


def test_lines_centred_under_the_title_in_regular_type_belong_to_the_title_block(
    tmp_path: Path,
) -> None:
    path = tmp_path / "article.pdf"
    c = canvas(path)
    c.setFont("Times-Roman", 18)
    c.drawCentredString(297, 760, "Winter logistics in northern depots")
    c.setFont("Times-Roman", 12)
    c.drawCentredString(297, 732, "Anna Berg")
    c.drawCentredString(297, 714, "Department of Logistics")
    c.setFont("Times-Roman", 10)
    for n in range(4):
        c.drawString(72, 668 - 12 * n, " ".join(words(14, n * 14)).capitalize())
    c.setFont("Times-Bold", 12)
    c.drawString(72, 600, "1 Introduction")
    c.setFont("Times-Roman", 10)
    for n in range(6):
        c.drawString(72, 580 - 12 * n, " ".join(words(14, 60 + n * 14)))
    c.save()
    assert [e.text for e in elements(path, "title")] == ["Winter logistics in northern depots"]
    assert headings(path) == [("1 Introduction", 1)]
    assert "Anna Berg Department of Logistics" in [e.text for e in elements(path, "paragraph")]
