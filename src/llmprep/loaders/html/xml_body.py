"""trafilatura's XML body (p, head, list/item, table/row/cell, code, quote) as llmprep elements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...models import Element
from .blocks import BREAK, INVISIBLE_CHARS, table_text

if TYPE_CHECKING:
    from lxml.etree import _Element


# Blocks nested inside a block start a new line; inline `code` (trafilatura uses the same tag for
# `<code>` inside a sentence) does not.
_NESTED_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "cell", "div"})


def _text(el: _Element) -> str:
    """Text of one block: `<lb/>` and nested blocks become line breaks; other whitespace,
    including the page source's own line wrapping, collapses to single spaces."""
    from lxml import etree

    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag
        if event == "start":
            if tag == "lb" or (node is not el and tag in _NESTED_BLOCKS):
                parts.append(BREAK)
            if node.text and tag != "lb":
                parts.append(node.text)
        elif node is not el:
            if tag in _NESTED_BLOCKS:
                parts.append(BREAK)
            if node.tail:
                parts.append(node.tail)
    text = INVISIBLE_CHARS.sub("", "".join(parts))
    lines = (" ".join(line.split()) for line in text.split(BREAK))
    return "\n".join(line for line in lines if line)


def _plain(el: _Element) -> str:
    return " ".join(INVISIBLE_CHARS.sub("", "".join(el.itertext())).split())


def _heading_level(el: _Element) -> int:
    rend = (el.get("rend") or "").lower()
    if len(rend) == 2 and rend[0] == "h" and rend[1] in "123456":
        return int(rend[1])
    return 2


def _code_text(el: _Element) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node is not el and node.tag == "lb":
            parts.append("\n")
        if node.text and node.tag != "lb":
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts).strip("\n").rstrip()


def _list_items(lst: _Element, level: int, out: list[tuple[Element, _Element]]) -> None:
    """Items of a list, nested lists one level deeper (iterative: outputs can be deep).

    trafilatura keeps the list's tag in `rend` ("ol", "ul", "dl") and marks definition-list
    items "dt-n" / "dd-n": a description sits one level below its term."""
    stack = [(iter(lst), level, lst.get("rend") or "ul", [0])]
    while stack:
        children, depth, kind, number = stack[-1]
        item = next(children, None)
        if item is None:
            stack.pop()
            continue
        nested = [child for child in item if child.tag == "list"] if item.tag == "item" else []
        for child in nested:
            item.remove(child)
        cells = _take_cells(item)
        text = _text(item)
        if text:
            rend = item.get("rend") or ""
            meta = {"list": "ordered" if kind == "ol" else "bullet"}
            if kind == "ol":  # numbers are part of the text in both forms (bullets are not)
                number[0] += 1
                text = f"{number[0]}. {text}"
            item_level = depth + 1 if rend.startswith("dd") else depth
            out.append(
                (Element(type="list_item", text=text, level=item_level, metadata=meta), item)
            )
        if cells:
            # The page table is read again as a grid by `use_page_tables`.
            rows = [cells]
            out.append(
                (Element(type="table", text=table_text(rows), metadata={"rows": rows}), item)
            )
        for child in reversed(nested):
            stack.append((iter(child), depth + 1, child.get("rend") or "ul", [0]))


def _take_cells(item: _Element) -> list[str]:
    """Cells of a table inside a list item, removed from it: trafilatura writes such a table's
    `th`/`td` straight into the item, with no rows, and their words would run together. From the
    first cell on, everything belongs to the table: cells, the paragraphs of a cell set beside
    them, and a line break's following text (the second line of a cell)."""
    first = next((c for c in item.iter("th", "td", "cell") if c is not item), None)
    if first is None:
        return []
    parent = first.getparent()
    nodes = [first, *first.itersiblings()]
    texts: list[str] = []
    for node in nodes:
        if node.tag == "lb":
            texts.append(" ".join((node.tail or "").split()))
        elif node.tag in ("th", "td", "cell", "p"):
            texts.append(_text(node))
        if parent is not None:
            parent.remove(node)  # with its tail: the text between cells is the table's
    return [t for t in texts if t]


_LAYOUT_BLOCKS = frozenset({"head", "list", "quote", "code", "table"})


def _is_layout(table: _Element) -> bool:
    """A table holding headings, lists, quotes, code or tables in its cells places content
    (the page's layout), as `blocks.is_layout_table` decides on the page itself."""
    return any(child.tag in _LAYOUT_BLOCKS for cell in table.iterfind("row/cell") for child in cell)


def _table(el: _Element) -> tuple[str, dict[str, Any]]:
    rows: list[list[str]] = []
    header_rows = 0
    for row in el.iter("row"):
        # Paragraphs and line breaks inside a cell are lines of the cell, not glued words.
        cells = [_text(cell) for cell in row if cell.tag == "cell"]
        if any(cells):
            if not rows and any(cell.get("role") == "head" for cell in row):
                header_rows = 1
            rows.append(cells)
    return table_text(rows), {"rows": rows, "header_rows": header_rows}


def body_elements(body: _Element) -> list[tuple[Element, _Element]]:
    """Top-level blocks of the extracted body as elements, each with the XML node it came from."""
    out: list[tuple[Element, _Element]] = []
    for node in body:
        tag = node.tag
        if tag == "head":
            text = _text(node)
            if text:
                out.append((Element(type="heading", text=text, level=_heading_level(node)), node))
        elif tag == "list":
            _list_items(node, 1, out)
        elif tag == "table" and _is_layout(node):
            # A table that places blocks on the page: its cells are read as blocks, in order.
            for cell in node.iterfind("row/cell"):
                if any(child.tag in _NESTED_BLOCKS or child.tag == "head" for child in cell):
                    out.extend(body_elements(cell))
                else:
                    text = _text(cell)
                    if text:
                        out.append((Element(type="paragraph", text=text), cell))
        elif tag == "table":
            text, meta = _table(node)
            if text:
                out.append((Element(type="table", text=text, metadata=meta), node))
        elif tag == "code":
            text = _code_text(node)
            if text.strip():
                out.append((Element(type="code", text=text), node))
        elif tag == "quote":
            text = _text(node)
            if text:
                out.append((Element(type="quote", text=text), node))
        elif tag == "graphic":
            continue
        else:
            text = _text(node)
            if text:
                out.append((Element(type="paragraph", text=text), node))
    return out
