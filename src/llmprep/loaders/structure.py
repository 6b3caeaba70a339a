"""Helpers loaders share for document structure."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Element


def assign_heading_paths(elements: Iterable[Element]) -> list[Element]:
    """Set `heading_path` on every element from the title/heading elements before it.

    A heading's own path includes itself; a heading of level n closes deeper open sections.
    A `title` counts as level 0, so H1s sit under the document title.
    """
    out: list[Element] = []
    stack: list[tuple[int, str]] = []
    for el in elements:
        if el.type in ("title", "heading") and el.text.strip():
            level = 0 if el.type == "title" else (el.level or 1)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, " ".join(el.text.split())))
        el.heading_path = [text for _, text in stack]
        out.append(el)
    return out


def table_text(rows: list[list[str]]) -> str:
    """The plain text of a table: rows on their own lines, cells apart by " | ", a line break
    inside a cell as " / ". Every loader writes tables this way (the Markdown renderer reads
    cells back from it), and keeps the grid itself in `metadata["rows"]`."""
    lines = []
    for row in rows:
        cells = [
            " / ".join(line.strip() for line in cell.splitlines() if line.strip()) for cell in row
        ]
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines)
