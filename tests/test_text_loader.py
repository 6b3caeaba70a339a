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
