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
    """Items of a list, nested lists one level deeper (iterative: outputs can be deep)."""
    stack = [(iter(lst), level)]
    while stack:
        children, depth = stack[-1]
        item = next(children, None)
        if item is None:
            stack.pop()
            continue
        nested = [child for child in item if child.tag == "list"] if item.tag == "item" else []
        for child in nested:
            item.remove(child)
        text = _text(item)
        if text:
            out.append((Element(type="list_item", text=text, level=depth), item))
        for child in reversed(nested):
            stack.append((iter(child), depth + 1))


def _table(el: _Element) -> tuple[str, dict[str, Any]]:
    rows: list[list[str]] = []
    header_rows = 0
    for row in el.iter("row"):
        cells = [_plain(cell) for cell in row if cell.tag == "cell"]
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
