"""Plain text and Markdown loading."""

from __future__ import annotations

from pathlib import Path

import llmprep


def test_markdown_headings_become_heading_elements_with_paths(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text("# Guide\n\nIntro text.\n\n## Setup\n\nInstall it.\n\n### Linux\n\nUse apt.\n")
    doc = llmprep.process(path, redact=False).documents[0]
    headings = [(e.text, e.level) for e in doc.elements if e.type == "heading"]
    assert headings == [("Guide", 1), ("Setup", 2), ("Linux", 3)]
    last = doc.elements[-1]
    assert last.text == "Use apt." and last.heading_path == ["Guide", "Setup", "Linux"]


def test_markdown_lists_code_and_tables_are_typed(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("- one\n- two\n\n```\nprint('x')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    types = [e.type for e in llmprep.process(path, redact=False).documents[0].elements]
    assert types == ["list_item", "list_item", "code", "table"]


def test_utf16_text_with_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Grüße aus Köln, schöne Grüße.\n".encode("utf-16"))
    result = llmprep.process(path, redact=False)
    assert result.status == "ok"
    assert "Grüße aus Köln" in result.text


def test_cp1252_text_is_detected_not_mangled(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Café crème – déjà vu, naïve façade, où est la boîte ?\n".encode("cp1252"))
    assert "Café crème" in llmprep.process(path, redact=False).text


# -- the Markdown reader (markdown-it-py underneath) -------------------------------------------


def _parse(text: str) -> list[tuple[str, str, int | None]]:
    from llmprep.loaders.text import parse_markdown

    return [(e.type, e.text, e.level) for e in parse_markdown(text)]


def test_element_text_keeps_the_authors_inline_markup() -> None:
    assert _parse("Some **bold** and `code` with a [link](http://example.com).") == [
        ("paragraph", "Some **bold** and `code` with a [link](http://example.com).", None)
    ]


def test_nested_list_items_carry_their_depth() -> None:
    assert _parse("- one\n  continued\n    - two\n- three") == [
        ("list_item", "one continued", 1),
        ("list_item", "two", 2),
        ("list_item", "three", 1),
    ]


def test_a_line_not_indented_under_a_list_item_starts_a_new_block() -> None:
    assert _parse("1. an item\nA new sentence.") == [
        ("list_item", "an item", 1),
        ("paragraph", "A new sentence.", None),
    ]


def test_a_year_at_the_start_of_a_line_is_text_not_a_list_marker() -> None:
    assert _parse("2008. The company moved.") == [("paragraph", "2008. The company moved.", None)]


def test_word_processor_bullets_are_list_items() -> None:
    assert _parse("• first\n• second") == [("list_item", "first", 1), ("list_item", "second", 1)]


def test_fenced_and_indented_code_are_code_verbatim() -> None:
    assert _parse("```py\nx = 1\n\n```\n\n    indented = True") == [
        ("code", "x = 1\n", None),
        ("code", "indented = True", None),
    ]


def test_a_quote_is_one_element_and_unmarked_lines_after_it_are_not_quoted() -> None:
    assert _parse("> first\n> second\nthird") == [
        ("quote", "first\nsecond", None),
        ("paragraph", "third", None),
    ]


def test_setext_and_atx_headings_have_levels_and_breaks_carry_no_text() -> None:
    assert _parse("Title\n=====\n\n## Part ##\n\n---\n\nText") == [
        ("heading", "Title", 1),
        ("heading", "Part", 2),
        ("paragraph", "Text", None),
    ]


def test_gfm_tables_keep_their_source_rows() -> None:
    assert _parse("| a | b |\n|---|---|\n| 1 | 2 |") == [
        ("table", "| a | b |\n|---|---|\n| 1 | 2 |", None)
    ]
