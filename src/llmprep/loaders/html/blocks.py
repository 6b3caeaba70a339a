"""All visible text of a cleaned DOM as structured elements (the `full` mode, and fallbacks).

One iterative pass over lxml's start/end events (no recursion, so 2,000-deep pages are fine):
headings, list items, data tables, `pre` blocks and block quotes become their own elements;
everything else is paragraphs split at block boundaries. Layout tables (tables used to place
things on the page, as in most e-mail) are read as paragraphs, not as `table` elements.

Tables are grids: a cell spanning several rows or columns (`rowspan`, `colspan`) has its text
repeated in every grid position it covers, so each row reads whole on its own line;
`metadata["spans"]` lists those cells as `[row, column, rowspan, colspan]` (0-based, spans
capped at 100). `metadata["rows"]` is the grid, `metadata["header_rows"]` the rows of `<th>`
cells at the top. Inside a cell, `<br>` and block boundaries (paragraphs, divs, list items)
are line breaks: a cell's text in `rows` holds "\n", the element text shows it as " / ".

Lists: every `list_item` has `level` (nesting depth, 1 = outermost) and `metadata["list"]`
("ordered" for `<ol>`, else "bullet"). In a definition list a term (`<dt>`) is an item at the
list's depth and its description (`<dd>`) an item one level deeper.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...models import Element
from ..structure import table_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "caption", "noframes", "frameset", "frame", "listing", "xmp", "plaintext",
})  # fmt: skip
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LISTS = frozenset({"ul", "ol", "menu", "dir", "dl"})
ITEMS = frozenset({"li", "dt", "dd"})
CODE_TAGS = frozenset({"pre", "listing", "xmp", "plaintext"})


def is_layout_table(table: HtmlElement) -> bool:
    """Tables that place content rather than hold data: nested blocks, one column, presentation."""
    if table.get("role") in ("presentation", "none") or table.find(".//table") is not None:
        return True
    # Paragraphs and divs in cells are common in data tables (a cell of two short paragraphs);
    # headings, lists, quotes and code blocks are page layout. Sizes below settle the rest.
    if table.xpath(
        "boolean(.//td//*[self::ul or self::ol or self::h1 or self::h2 or self::h3 or self::h4 "
        "or self::blockquote or self::pre])"
    ):
        return True
    rows = table.xpath(".//tr")
    if not rows:
        return True
    widths = [len(r.xpath("./td|./th")) for r in rows]
    if max(widths) < 2 or (len(rows) < 2 and table.find(".//th") is None):
        return True
    # Data cells are short and mostly filled; layout cells hold prose or nothing (spacers).
    cells = [len(" ".join(c.text_content().split())) for c in table.xpath(".//td|.//th")]
    filled = [n for n in cells if n]
    return (
        not filled
        or len(filled) < len(cells) / 2
        or max(filled) > 400
        or sum(filled) / len(filled) > 120
    )


class _Collector:
    """Text being gathered for one output element."""

    __slots__ = ("kind", "level", "meta", "parts")

    def __init__(self, kind: str, level: int | None = None) -> None:
        self.kind = kind
        self.parts: list[str] = []
        self.level = level
        self.meta: dict[str, Any] = {}


MAX_SPAN = 100


def _span(el: HtmlElement, attr: str) -> int:
    value = (el.get(attr) or "1").strip()
    return min(int(value), MAX_SPAN) if value.isdecimal() and int(value) > 0 else 1


class _Table:
    __slots__ = ("caption", "cell", "cell_span", "el", "header_rows", "pending", "rows", "spans")

    def __init__(self, el: HtmlElement) -> None:
        self.el = el
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)  # (rowspan, colspan) of the open cell
        self.header_rows = 0
        self.caption: list[str] = []
        self.pending: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text)
        self.spans: list[list[int]] = []

    def fill_spanned(self, *, to_end: bool = False) -> None:
        """Copy cells spanning down from earlier rows into the current row where they stand."""
        row = self.rows[-1]
        while self.pending:
            col = len(row)
            if col not in self.pending:
                if not to_end or col > max(self.pending):
                    return
                row.append("")
                continue
            left, text = self.pending[col]
            row.append(text)
            if left > 1:
                self.pending[col] = (left - 1, text)
            else:
                del self.pending[col]

    def add_cell(self, text: str) -> None:
        self.fill_spanned()
        rowspan, colspan = self.cell_span
        row = self.rows[-1]
        col = len(row)
        if rowspan > 1 or colspan > 1:
            self.spans.append([len(self.rows) - 1, col, rowspan, colspan])
        for k in range(colspan):
            row.append(text)
            if rowspan > 1:
                self.pending[col + k] = (rowspan - 1, text)


# Format characters that only steer rendering (soft hyphen, zero-width space, bidi controls, BOM).
# ZWJ/ZWNJ stay: they change how words are spelled in several scripts.
INVISIBLE_CHARS = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)

# Marks a line break the markup asked for (<br>, a block inside a list item or quote); source
# whitespace, newlines included, collapses to one space. NUL never survives parsing, so it is free.
BREAK = "\x00"


def _finish(parts: list[str], *, raw: bool = False) -> str:
    """Join collected text: collapse whitespace once per element (not per text node)."""
    text = INVISIBLE_CHARS.sub("", "".join(parts))
    if raw:
        return text.strip("\n").rstrip()
    lines = (" ".join(line.split()) for line in text.split(BREAK))
    return "\n".join(line for line in lines if line)


class BlockWalker:
    """Turns a cleaned (script/style/hidden-free) DOM into `Element`s in document order."""

    def __init__(self) -> None:
        self.elements: list[Element] = []
        self.stack: list[_Collector] = []  # open heading/item/quote/code collectors
        self.para: list[str] = []
        self.tables: list[_Table] = []
        self.list_depth = 0
        self.list_kinds: list[str] = []  # tag of each open list, innermost last
        self.list_numbers: list[int] = []  # the last number given in each open list
        self.code_depth = 0

    # -- output -------------------------------------------------------------------------------

    def _emit(
        self, kind: str, text: str, level: int | None = None, meta: dict[str, Any] | None = None
    ) -> None:
        if text:
            self.elements.append(Element(type=kind, text=text, level=level, metadata=meta or {}))  # type: ignore[arg-type]

    def _flush_para(self) -> None:
        if self.para:
            self._emit("paragraph", _finish(self.para))
            self.para = []

    def _flush_top(self) -> None:
        """Emit what the innermost collector holds so far (it stays open)."""
        if self.stack:
            top = self.stack[-1]
            if top.kind != "code":
                self._emit(top.kind, _finish(top.parts), top.level, top.meta)
                top.parts = []
        else:
            self._flush_para()

    # -- text ---------------------------------------------------------------------------------

    def _text(self, text: str) -> None:
        tables = self.tables
        if tables and tables[-1].cell is not None:
            tables[-1].cell.append(text)
        elif self.stack:
            self.stack[-1].parts.append(text)
        else:
            self.para.append(text)

    def _break(self) -> None:
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.append(BREAK)
        elif self.stack:
            self.stack[-1].parts.append(BREAK)
        else:
            self._flush_para()

    # -- walk ---------------------------------------------------------------------------------

    def walk(self, root: HtmlElement) -> list[Element]:
        from lxml import etree

        body = root.find("body") if root.tag == "html" else root
        if body is None:
            body = root
        walker = etree.iterwalk(body, events=("start", "end"))
        tables = self.tables  # mutated in place, so this alias stays current
        structural = BLOCK_TAGS | {"br"}
        # The hot loop: inline elements (most of a page) only contribute their text and tail.
        for event, el in walker:
            tag = el.tag
            if event == "start":
                if type(tag) is not str:  # comments, processing instructions, entities
                    walker.skip_subtree()
                    continue
                if tag in structural or tables or self.code_depth:
                    self._start(el, tag, bool(tables and tables[-1].cell is not None))
                text = el.text
                if text:
                    self._text(text)
            else:
                if type(tag) is str and (tag in BLOCK_TAGS or tables or self.code_depth):
                    self._end(el, tag)
                tail = el.tail
                if tail:
                    self._text(tail)
        self._flush_para()
        while self.stack:
            self._close()
        return self.elements

    def _start(self, el: HtmlElement, tag: str, in_cell: bool) -> None:
        if tag == "br":
            if self.code_depth or in_cell:
                self._text("\n" if self.code_depth else BREAK)
            else:
                (self.stack[-1].parts if self.stack else self.para).append(BREAK)
            return
        if in_cell and tag != "table":
            if tag in BLOCK_TAGS:
                self._break()
            return
        if self.code_depth:
            return
        if (
            tag == "table"
            and not in_cell
            and (el.get("data-llmprep-table") is not None or not is_layout_table(el))
        ):
            self._flush_top()
            self.tables.append(_Table(el))
            return
        if self.tables and self.tables[-1].el is not None:
            handled = self._table_start(el, tag)
            if handled:
                return
        if tag not in BLOCK_TAGS:
            return
        inside_quote_or_heading = any(c.kind in ("quote", "heading") for c in self.stack)
        if tag in HEADINGS and not inside_quote_or_heading:
            self._flush_top()
            self.stack.append(_Collector("heading", HEADINGS[tag]))
        elif tag in CODE_TAGS and not inside_quote_or_heading:
            self._flush_top()
            self.code_depth += 1
            self.stack.append(_Collector("code"))
        elif tag == "blockquote" and not inside_quote_or_heading:
            self._flush_top()
            self.stack.append(_Collector("quote"))
        elif tag in LISTS:
            if not inside_quote_or_heading:
                self._flush_top()
            self.list_depth += 1
            self.list_kinds.append(tag)
            start = (el.get("start") or "").strip()
            self.list_numbers.append(int(start) - 1 if start.isdecimal() else 0)
        elif tag in ITEMS and not inside_quote_or_heading:
            self._flush_top()
            depth = max(self.list_depth, 1) + (1 if tag == "dd" else 0)
            item = _Collector("list_item", depth)
            kind = self.list_kinds[-1] if self.list_kinds else "ul"
            item.meta["list"] = "ordered" if kind == "ol" and tag == "li" else "bullet"
            if item.meta["list"] == "ordered":
                # The number is part of the text in both forms (bullets are not): "2. Step".
                value = (el.get("value") or "").strip()
                number = int(value) if value.isdecimal() else self.list_numbers[-1] + 1
                self.list_numbers[-1] = number
                item.parts.append(f"{number}. ")
            self.stack.append(item)
        else:
            self._break()

    def _end(self, el: HtmlElement, tag: str) -> None:
        if self.tables:
            table = self.tables[-1]
            if table.el is el:
                self._close_table()
            elif tag == "caption" and table.cell is table.caption:
                table.cell = None
            elif tag in ("td", "th") and table.cell is not None:
                self._close_cell()
            elif table.cell is not None and tag in BLOCK_TAGS:
                self._break()
            return
        if self.code_depth and tag not in CODE_TAGS:
            return
        if tag not in BLOCK_TAGS:
            return
        top = self.stack[-1] if self.stack else None
        if top is not None and (
            (tag in HEADINGS and top.kind == "heading")
            or (tag in CODE_TAGS and top.kind == "code")
            or (tag == "blockquote" and top.kind == "quote")
            or (tag in ITEMS and top.kind == "list_item")
        ):
            self._close()
            return
        if tag in LISTS:
            self.list_depth = max(self.list_depth - 1, 0)
            if self.list_kinds:
                self.list_kinds.pop()
                self.list_numbers.pop()
            if not any(c.kind in ("quote", "heading") for c in self.stack):
                self._flush_top()
            return
        self._break()

    def _close(self) -> None:
        top = self.stack.pop()
        if top.kind == "code":
            self.code_depth -= 1
            self._emit("code", _finish(top.parts, raw=True))
        else:
            self._emit(top.kind, _finish(top.parts), top.level, top.meta)

    # -- tables -------------------------------------------------------------------------------

    def _table_start(self, el: HtmlElement, tag: str) -> bool:
        table = self.tables[-1]
        if tag == "tr":
            if table.rows:
                table.fill_spanned(to_end=True)
            table.rows.append([])
            return True
        if tag in ("td", "th"):
            if not table.rows:
                table.rows.append([])
            table.cell = []
            table.cell_span = (_span(el, "rowspan"), _span(el, "colspan"))
            if tag == "th" and len(table.rows) == 1:
                table.header_rows = 1
            return True
        if tag == "caption":
            table.cell = table.caption
            return True
        return tag in ("thead", "tbody", "tfoot", "colgroup", "col")

    def _close_cell(self) -> None:
        table = self.tables[-1]
        if table.cell is table.caption:
            table.cell = None
            return
        table.add_cell(_finish(table.cell or []))
        table.cell = None

    def _close_table(self) -> None:
        table = self.tables[-1]
        if table.cell is not None:
            self._close_cell()
        if table.rows:
            table.fill_spanned(to_end=True)
        self.tables.pop()
        rows = [row for row in table.rows if any(row)]
        caption = " ".join("".join(table.caption).split())
        if caption:
            self._emit("caption", caption)
        if rows:
            meta: dict[str, Any] = {"rows": rows, "header_rows": table.header_rows}
            if table.spans:
                meta["spans"] = table.spans
            self._emit("table", table_text(rows), meta=meta)


# Inline elements only carry text; unwrapping them in C first leaves the Python walk the blocks.
INLINE_TAGS = (
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "data", "dfn", "em", "font", "i",
    "img", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "del",
)  # fmt: skip


def dom_elements(root: HtmlElement) -> list[Element]:
    """Every visible block of a cleaned tree, in order. Unwraps inline tags in `root` (mutates)."""
    import lxml.html
    from lxml import etree

    etree.strip_tags(root, *INLINE_TAGS)
    # Unwrapping leaves runs of separate text nodes, and lxml joins such runs in quadratic time
    # when `.text` is read; a serialize/parse round trip (C speed) merges them.
    markup = etree.tostring(root, encoding="utf-8")
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    merged = (
        lxml.html.document_fromstring(markup, parser=parser)
        if root.tag == "html"
        else lxml.html.fromstring(markup, parser=parser)
    )
    return BlockWalker().walk(merged)
