"""Redaction reaches a table's structured cells, not only its text.

Loaders keep a table's grid in `element.metadata["rows"]` (and nested grids in
`metadata["nested"]`) beside its text (`loaders.structure.table_text`). Once the text is
redacted, the grid must not keep the raw values: it is rebuilt from the redacted text when the
text still has the grid's shape (the usual case), and otherwise every redacted value is
replaced cell by cell; nested grids always take the cell-by-cell path.
"""

from __future__ import annotations

from typing import Any

CELL_SEPARATOR = " | "


def redact_table_metadata(
    metadata: dict[str, Any], redacted_text: str, replacements: dict[str, str]
) -> None:
    """Update `metadata` of a table element in place after its text was redacted.

    `replacements`: each raw value found in the element's text -> what replaced it.
    """
    if not replacements:
        return
    rows = metadata.get("rows")
    if isinstance(rows, list):
        metadata["rows"] = _from_text(rows, redacted_text) or _replace_cells(rows, replacements)
    nested = metadata.get("nested")
    if isinstance(nested, list):
        for item in nested:
            if isinstance(item, dict) and isinstance(item.get("rows"), list):
                item["rows"] = _replace_cells(item["rows"], replacements)


def _from_text(rows: list[list[Any]], text: str) -> list[list[str]] | None:
    """The grid read back from the redacted text, when rows and cells line up one to one.

    Rows whose cells are all empty are not written to the text; they stay empty here.
    """
    lines = text.split("\n")
    filled = [i for i, row in enumerate(rows) if any(str(c).strip() for c in row)]
    if len(lines) != len(filled):
        return None
    out: list[list[str]] = [[str(c) for c in row] for row in rows]
    for i, line in zip(filled, lines, strict=True):
        cells = line.split(CELL_SEPARATOR)
        if len(cells) != len(rows[i]):
            return None
        out[i] = cells
    return out


def _replace_cells(rows: list[list[Any]], replacements: dict[str, str]) -> list[list[str]]:
    ordered = sorted(replacements.items(), key=lambda kv: -len(kv[0]))  # longest value first
    out = []
    for row in rows:
        new_row = []
        for cell in row:
            value = str(cell)
            for raw, new in ordered:
                if raw and raw in value:
                    value = value.replace(raw, new)
                # a value found across a line break in the text may sit on two lines of a cell
                for part in raw.split("\n") if "\n" in raw else ():
                    if len(part.strip()) >= 3 and part in value:
                        value = value.replace(part, new)
            new_row.append(value)
        out.append(new_row)
    return out
