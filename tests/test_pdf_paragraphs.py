"""PDF paragraphs: lines joined by geometry and language, text flowing across columns and pages
past running headers, floats and footnotes; code blocks; rotated text in the margin and body."""

from __future__ import annotations

from pathlib import Path

from pdf_pages import canvas, document, elements, words


def texts(path: Path, *types: str) -> list[str]:
    return [e.text for e in elements(path, *types)]


def _lines(c, x: float, y: float, lines: list[str], size: float = 10, pitch: float = 12.5) -> float:  # type: ignore[no-untyped-def]
    c.setFont("Helvetica", size)
    for line in lines:
        c.drawString(x, y, line)
        y -= pitch
    return y


def _justified(text: str, width_chars: int) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width_chars:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*out, line]


def test_a_paragraph_goes_on_across_a_page_break_with_a_running_header_and_footer_between(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pages.pdf"
    sentence = " ".join(words(90)).capitalize() + "."
    lines = _justified(sentence, 80)
    c = canvas(path)
    for page in (1, 2, 3):
        c.setFont("Helvetica", 8)
        c.drawString(72, 810, "Depot review - internal")
        c.drawString(72, 30, f"Page {page}")
        if page == 1:
            _lines(c, 72, 700, [" ".join(words(40, 7)).capitalize() + "."], pitch=30)
            _lines(c, 72, 96, lines[:2])  # the paragraph starts at the foot of page 1
        elif page == 2:
            _lines(c, 72, 770, lines[2:])
        else:
            _lines(c, 72, 770, ["A closing remark on its own."])
        c.showPage()
    c.save()
    assert sentence in texts(path, "paragraph")


def test_a_paragraph_goes_on_from_one_column_to_the_next(tmp_path: Path) -> None:
    path = tmp_path / "columns.pdf"
    sentence = " ".join(words(60, 3)).capitalize() + "."
    lines = _justified(sentence, 40)
    c = canvas(path)
    _lines(c, 300, 120, [" ".join(words(6, 1)).capitalize() + "."])  # nothing to do with it
    _lines(c, 56, 140, lines[:3])  # the foot of the left column
    _lines(c, 310, 780, lines[3:])  # the top of the right one
    c.save()
    assert sentence in texts(path, "paragraph")


def test_a_line_ending_early_before_a_lower_case_word_does_not_end_the_paragraph(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ragged.pdf"
    c = canvas(path)
    _lines(
        c,
        72,
        700,
        [
            "The depot in the north shipped every order on time and the depot in the south",
            "caught up",  # a short line: the next word would have fitted
            "later in the year, once the new trucks arrived.",
            "A new paragraph starts here with a capital letter after a full stop.",
        ],
    )
    c.save()
    paragraphs = texts(path, "paragraph")
    assert paragraphs[0].endswith("caught up later in the year, once the new trucks arrived.")


def test_a_first_line_indent_opens_a_new_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "indent.pdf"
    first = _justified(" ".join(words(45)).capitalize() + ".", 70)
    second = _justified(" ".join(words(45, 9)).capitalize() + ".", 70)
    c = canvas(path)
    y = _lines(c, 72, 700, first)
    c.setFont("Helvetica", 10)
    c.drawString(87, y, second[0])  # indented, no extra space above
    _lines(c, 72, y - 12.5, second[1:])
    c.save()
    assert len(texts(path, "paragraph")) == 2


def test_a_footnote_is_its_own_element_and_the_paragraph_goes_on_past_it(tmp_path: Path) -> None:
    path = tmp_path / "footnote.pdf"
    sentence = " ".join(words(70, 2)).capitalize() + "."
    lines = _justified(sentence, 80)
    c = canvas(path)
    _lines(c, 72, 700, [" ".join(words(20)).capitalize() + "."])
    _lines(c, 72, 100, lines[:2])
    c.setFont("Helvetica", 5)
    c.drawString(72, 68, "1")
    c.setFont("Helvetica", 7.5)
    c.drawString(76, 66, "The southern depot reopened in March after the floods.")
    c.showPage()
    _lines(c, 72, 770, lines[2:])
    c.save()
    assert sentence in texts(path, "paragraph")
    assert texts(path, "footnote") == ["1 The southern depot reopened in March after the floods."]


def test_monospaced_lines_are_one_code_element_with_their_indentation(tmp_path: Path) -> None:
    path = tmp_path / "code.pdf"
    c = canvas(path)
    _lines(c, 72, 720, ["The loop below reads every order once:"])
    c.setFont("Courier", 9)
    for i, line in enumerate(("for order in orders:", "    total += order.amount", "print(total)")):
        indent = len(line) - len(line.lstrip())
        c.drawString(72 + indent * 5.4, 700 - 11 * i, line.lstrip())
    _lines(c, 72, 650, ["After the loop the total is printed."])
    c.save()
    assert texts(path, "code") == ["for order in orders:\n    total += order.amount\nprint(total)"]


def test_a_rotated_side_stamp_is_furniture_and_a_rotated_label_in_the_body_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rotated.pdf"
    c = canvas(path)
    _lines(c, 72, 760, _justified(" ".join(words(80)).capitalize() + ".", 80))
    c.saveState()
    c.translate(30, 300)
    c.rotate(90)
    c.setFont("Times-Roman", 18)
    c.drawString(0, 0, "arXiv:2101.00001v1 [cs.CL] 4 Jan 2021")
    c.restoreState()
    c.rect(110, 400, 300, 150)
    c.saveState()
    c.translate(100, 420)
    c.rotate(90)
    c.setFont("Helvetica", 8)
    c.drawString(0, 0, "Orders per week")
    c.restoreState()
    c.save()
    doc = document(path)
    text = "\n".join(e.text for e in doc.elements)
    assert "arXiv" not in text
    assert doc.metadata.extra["furniture"].get("margin") == 1
    assert "Orders per week" in [e.text for e in doc.elements]
    assert all("Orders per week" not in e.text or e.text == "Orders per week" for e in doc.elements)


def test_the_sentence_end_check_agrees_with_searching_the_whole_text() -> None:
    import itertools

    from llmprep.loaders.pdf.layout import _ENDS_SENTENCE, TAIL, ends_sentence

    # Endings shorter and longer than the tail searched first: closers, note numbers, a
    # final newline, digits that are not a note number, and no sentence end at all.
    heads = ["", "word", "a long line of running text ends here", "x" * 40]
    marks = ["", ".", "?", ":", "…", ","]
    trailers = ["", ")", '"', "”’", ")" * (TAIL + 3), "12", "123", ")]" * TAIL + "7", "\n", ".\n"]
    checked = 0
    for head, mark, trailer in itertools.product(heads, marks, trailers):
        text = head + mark + trailer
        assert ends_sentence(text) == (_ENDS_SENTENCE.search(text) is not None), repr(text)
        checked += ends_sentence(text)
    assert 0 < checked < len(heads) * len(marks) * len(trailers)


def test_a_word_hyphenated_at_the_foot_of_a_page_is_not_glued_to_the_page_number(
    tmp_path: Path,
) -> None:
    # pdfium joins a line-end hyphen to whatever is drawn next: here the page number below.
    path = tmp_path / "foot.pdf"
    body = [" ".join(words(12, i)).capitalize() + "." for i in range(0, 240, 12)]
    c = canvas(path, (612, 792))
    for page in (1, 2):
        c.setFont("Helvetica", 10)
        if page == 1:
            y = _lines(c, 72, 700, body[:20], pitch=12)
            _lines(c, 72, y, ["The depot review closes with the regional figures and a docu-"])
        else:
            _lines(c, 72, 700, ["ment that every team reads before the quarter starts.", *body[:3]])
        c.setFont("Helvetica", 10)
        c.drawString(304, 60, str(page))
        c.showPage()
    c.save()
    found = texts(path, "paragraph")
    assert any("regional figures and a document that every team reads" in text for text in found), (
        found
    )
    assert not any(text.split()[-1:] == ["1"] or " 1 " in text for text in found)
