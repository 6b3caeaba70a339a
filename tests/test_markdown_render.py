"""Markdown output: it parses back (markdown-it) to the structure it was rendered from, PII
spans stay exact, and the chunker cuts only between blocks or table rows."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import llmprep
from llmprep.config import Config
from llmprep.models import Element
from llmprep.render.markdown import table_rows, to_markdown

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "fixtures"))

from make_structure import docx_document, html_page  # noqa: E402

_MD = MarkdownIt("commonmark").enable("table")
_INLINE_MARKS = re.compile(r"[*_`\\]")


def _plain(text: str) -> str:
    """What survives inline parsing either way: no emphasis marks, one space between words."""
    return " ".join(_INLINE_MARKS.sub("", text).split())


def _inline_text(token) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline":
            parts.append(child.content)
    return _plain("".join(parts))


def parsed(markdown: str) -> dict[str, list]:  # type: ignore[type-arg]
    """Headings (text, level), list items (text, depth), table rows (cell texts)."""
    tokens = _MD.parse(markdown)
    out: dict[str, list] = {"headings": [], "items": [], "rows": []}  # type: ignore[type-arg]
    depth = 0
    first_inline_of_item = False
    row: list[str] | None = None
    for n, tok in enumerate(tokens):
        if tok.type == "heading_open":
            out["headings"].append((_inline_text(tokens[n + 1]), int(tok.tag[1])))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "list_item_open":
            first_inline_of_item = True
        elif tok.type == "inline" and first_inline_of_item and row is None:
            out["items"].append((_inline_text(tok), depth))
            first_inline_of_item = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append(_inline_text(tok))
        elif tok.type == "tr_close" and row is not None:
            out["rows"].append(row)
            row = None
    return out


def expected(elements: list[Element]) -> dict[str, list]:  # type: ignore[type-arg]
    """The same structure read from the elements before rendering."""
    out: dict[str, list] = {"headings": [], "items": [], "rows": []}  # type: ignore[type-arg]
    open_depth = 0
    for el in elements:
        if not el.text.strip():
            continue
        if el.type != "list_item":
            open_depth = 0
        if el.type in ("title", "heading"):
            level = 1 if el.type == "title" else min(el.level or 1, 6)
            out["headings"].append((_plain(el.text), level))
        elif el.type == "list_item":
            depth = min(max(el.level or 1, 1), open_depth + 1)
            open_depth = depth
            text = el.text.strip()
            marker = re.match(r"^\d{1,9}[.)] +(?=\S)", text)
            if marker and el.metadata.get("list") != "bullet":
                text = text[marker.end() :]
            out["items"].append((_plain(text), depth))
        elif el.type == "table":
            rows = [[_plain(el.text[a:b]) for a, b in row] for row in table_rows(el.text)]
            width = max(len(r) for r in rows)
            out["rows"] += [r + [""] * (width - len(r)) for r in rows]
    return out


def _round_trip(elements: list[Element]) -> None:
    want = expected(elements)
    rendered = [e.model_copy(deep=True) for e in elements]
    to_markdown(rendered)
    got = parsed("\n\n".join(e.text for e in rendered if e.text))
    assert got["headings"] == want["headings"]
    assert got["items"] == want["items"]
    assert got["rows"] == want["rows"]


def _generated() -> Iterator[tuple[str, list[Element]]]:
    from llmprep.loaders.html.loader import extract_html

    for seed in (*range(6), *range(1000, 1006)):
        html, _ = html_page(seed)
        for mode in ("main", "full"):
            yield f"page-{seed}-{mode}", extract_html(html, mode=mode).elements


@pytest.mark.parametrize(
    ("name", "elements"), list(_generated()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_markdown_of_generated_pages_parses_back_to_the_same_structure(
    name: str, elements: list[Element]
) -> None:
    _round_trip(elements)


def test_markdown_of_generated_word_documents_parses_back_to_the_same_structure(
    tmp_path: Path,
) -> None:
    for seed in (1, 2, 1001, 1002):
        data, _ = docx_document(seed)
        path = tmp_path / f"doc-{seed}.docx"
        path.write_bytes(data)
        doc = llmprep.process(path, redact=False).documents[0]
        _round_trip(doc.elements)


@pytest.mark.skipif(not (CORPUS / "html").is_dir(), reason="dev corpus not present")
def test_markdown_of_the_dev_corpus_parses_back_to_the_same_structure() -> None:
    from llmprep.loaders.html.loader import extract_html

    pages = sorted((CORPUS / "html").glob("*.html"))
    for page in pages:
        _round_trip(extract_html(page.read_bytes(), mode="main").elements)
    for path in sorted((CORPUS / "docx").glob("*.docx")):
        if path.stat().st_size < 2_000_000:
            _round_trip(llmprep.process(path, redact=False).documents[0].elements)


def test_running_text_that_looks_like_markdown_stays_a_paragraph() -> None:
    elements = [
        Element(type="paragraph", text="# not a heading\n- not an item\n1. not a list\n---"),
        Element(type="paragraph", text="> not a quote\n<div> not html"),
    ]
    to_markdown(elements)
    tokens = [t.type for t in _MD.parse("\n\n".join(e.text for e in elements))]
    assert set(tokens) == {"paragraph_open", "inline", "paragraph_close"}


def test_a_pipe_inside_a_cell_is_escaped_and_short_rows_are_padded() -> None:
    table = Element(type="table", text="Name | Note\nAda | a|b\nBo")
    to_markdown([table])
    assert parsed(table.text)["rows"] == [["Name", "Note"], ["Ada", "a|b"], ["Bo", ""]]


# -- PII, chunks, options --------------------------------------------------------------------------

PAGE = """<html><body><h1>Contacts</h1><p>Write to anna.berg@example.com for details.</p>
<ul><li>Call +46 70 123 45 67 today</li></ul>
<table><tr><th>Who</th><th>Mail</th></tr><tr><td>Desk</td><td>desk@example.org</td></tr></table>
</body></html>"""


def test_pii_spans_point_at_their_placeholders_in_markdown_records(tmp_path: Path) -> None:
    path = tmp_path / "contacts.html"
    path.write_text(PAGE, encoding="utf-8")
    result = llmprep.process(path, text_format="markdown", html_mode="full")
    spans = [(r.text, sp) for r in result.records for sp in r.pii.spans]
    assert {sp.entity_type for _, sp in spans} >= {"EMAIL_ADDRESS", "PHONE_NUMBER"}
    for text, sp in spans:
        assert re.fullmatch(r"<[A-Z_]+_\d+>", text[sp.start : sp.end])
    for el in result.documents[0].elements:
        for sp in el.pii:
            assert re.fullmatch(r"<[A-Z_]+_\d+>", el.text[sp.start : sp.end])
    assert "- <PHONE_NUMBER_1> " not in result.text  # the marker stands before the item text
    assert "- Call <PHONE_NUMBER_1> today" in result.text


def test_plain_stays_the_default_text_format(tmp_path: Path) -> None:
    path = tmp_path / "contacts.html"
    path.write_text(PAGE, encoding="utf-8")
    assert llmprep.process(path, redact=False, html_mode="full").text.startswith("Contacts\n")
    assert llmprep.process(
        path, redact=False, html_mode="full", text_format="markdown"
    ).text.startswith("# Contacts\n")


def test_a_markdown_table_split_across_chunks_repeats_its_header_and_delimiter_rows(
    tmp_path: Path,
) -> None:
    rows = "".join(f"<tr><td>item {n}</td><td>{n * 7} units of stock</td></tr>" for n in range(80))
    path = tmp_path / "t.html"
    path.write_text(f"<table><tr><th>Item</th><th>Stock</th></tr>{rows}</table>", encoding="utf-8")
    result = llmprep.process(
        path, redact=False, html_mode="full", text_format="markdown", chunk_max_tokens=120
    )
    assert len(result.records) > 2
    for record in result.records:
        lines = record.text.split("\n")
        assert lines[:2] == ["| Item | Stock |", "|---|---|"]
        assert record.tokens <= 120
        assert len(parsed(record.text)["rows"]) == len(lines) - 1


def test_a_markdown_code_block_split_across_chunks_is_closed_and_reopened(tmp_path: Path) -> None:
    code = "\n".join(f"value_{n} = compute({n}, factor={n * 3})" for n in range(120))
    path = tmp_path / "c.html"
    path.write_text(f"<p>Intro.</p><pre>{code}</pre>", encoding="utf-8")
    result = llmprep.process(
        path, redact=False, html_mode="full", text_format="markdown", chunk_max_tokens=100
    )
    code_records = [r for r in result.records if "code_part" in r.metadata]
    assert len(code_records) > 2
    for record in code_records:
        assert record.text.startswith("```\n") and record.text.endswith("\n```")
        assert record.tokens <= 100
        assert [t.type for t in _MD.parse(record.text)] == ["fence"]


def test_text_format_is_a_config_key_and_changes_the_config_hash() -> None:
    markdown = Config.from_mapping({"output": {"text_format": "markdown"}})
    assert markdown.output.text_format == "markdown"
    assert markdown.hash() != Config().hash()
    assert Config().with_overrides(text_format="markdown").output.text_format == "markdown"


def test_the_cli_takes_text_format(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from llmprep.cli import main

    path = tmp_path / "contacts.html"
    path.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["run", str(path), "--out", str(out), "--no-redact", "--text-format", "markdown", "-q"],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    assert records[0]["text"].startswith("# Contacts\n")
