"""Redaction reaches the structured cells loaders keep beside a table's text."""

from __future__ import annotations

import json
from pathlib import Path

import llmprep
from llmprep.pii.table_cells import redact_table_metadata

PAGE = """<html><body><h1>Contacts</h1><p>Who to call about the building.</p>
<table><tr><th>Role</th><th>Name</th><th>Phone</th></tr>
<tr><td>Caretaker</td><td>Henrik Olsson</td><td>+46 70 555 01 23</td></tr>
<tr><td>Billing</td><td>Maja Lind</td><td>maja.lind@example.com</td></tr></table></body></html>"""


def test_no_raw_value_survives_in_a_tables_structured_cells(tmp_path: Path) -> None:
    page = tmp_path / "contacts.html"
    page.write_text(PAGE)
    res = llmprep.process(page)
    tables = [e for e in res.documents[0].elements if e.type == "table"]
    assert tables and tables[0].metadata.get("rows")
    dumped = json.dumps([t.metadata for t in tables], ensure_ascii=False)
    for raw in ("+46 70 555 01 23", "maja.lind@example.com", "Olsson", "Maja Lind"):
        assert raw not in dumped


def test_cells_are_read_back_from_the_redacted_text_when_the_grid_lines_up() -> None:
    meta = {"rows": [["Name", "Phone"], ["", ""], ["Ann Berg", "070 123"]]}
    redact_table_metadata(
        meta, "Name | Phone\n<PERSON_1> | <PHONE_NUMBER_1>", {"Ann Berg": "<PERSON_1>"}
    )
    assert meta["rows"] == [["Name", "Phone"], ["", ""], ["<PERSON_1>", "<PHONE_NUMBER_1>"]]


def test_cells_and_nested_grids_are_replaced_value_by_value_when_the_text_does_not_line_up() -> (
    None
):
    meta = {
        "rows": [["Contact", "Ann Berg | sales"]],
        "nested": [{"row": 0, "col": 1, "rows": [["Ann Berg"]]}],
    }
    redact_table_metadata(meta, "Contact | <PERSON_1> | sales", {"Ann Berg": "<PERSON_1>"})
    assert meta["rows"] == [["Contact", "<PERSON_1> | sales"]]
    assert meta["nested"][0]["rows"] == [["<PERSON_1>"]]


def test_a_table_without_findings_keeps_its_cells() -> None:
    meta = {"rows": [["a", "b"]]}
    redact_table_metadata(meta, "a | b", {})
    assert meta["rows"] == [["a", "b"]]
