"""Elements as GitHub-flavoured Markdown: the `[output] text_format = "markdown"` form.

Each element keeps its place and type; only its text changes:

- `title` -> `# text`; `heading` of level n -> n `#` (at most 6); a heading is one line.
- `list_item` -> `- text`, or `1. text` when the item is ordered (`metadata["list"] ==
  "ordered"`; a number already at the start of the text is used as the marker). Nested items
  are indented to their parent's text column; continuation lines too. Levels come from
  `Element.level` (1 = outermost).
- `table` -> a pipe table built from the element's text: one row per line, cells apart at
  `" | "` (the form every loader writes, PDF included; a line break inside a cell is `" / "` in
  both forms). The first row is the header row (GFM has exactly one, so a table without a
  declared header still gets its first row there); rows are padded to the widest one; a `|`
  inside a cell is escaped.
- `code` -> a fenced block (a fence longer than any backtick run inside).
- `quote` -> `> ` before every line.
- everything else (paragraphs, captions, notes, headers/footers, e-mail headers) -> its lines,
  with a backslash before what would otherwise start a Markdown block (`#`, `-`, `1.`, `>`,
  fences, thematic breaks, setext underlines, HTML tags), so it parses back as a paragraph.

Inline characters (`*`, `_`, `[`) are left as they are: escaping them would put backslashes in
ordinary prose that language models read, and none of them changes the block structure.

Rendering runs on redacted text (after PII, see `stages/render.py`): detection never sees
Markdown syntax (a name model would happily swallow a `|` or a `#`). Every rendering is built
from copied slices of the element's text and inserted markup, so each `PiiSpan` is moved to
the exact place its placeholder lands (`Rendered.map_span`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import Element, PiiSpan

_ORDERED_MARK = re.compile(r"^(\d{1,9}[.)]) +(?=\S)")
# Starts of lines that Markdown would read as a block other than a paragraph.
_BLOCK_START = re.compile(
    r"^(?:#{1,6}(?=\s|$)|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|>|`{3,}|~{3,}|=+\s*$|-+\s*$"
    r"|(?:[*_-]\s*){3,}$|\||<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|[/!?]))"
)
_DIGITS = re.compile(r"^\d+")
_WORD = re.compile(r"\S+")
CELL_SEPARATOR = " | "


@dataclass
class Rendered:
    """Rendered text and where each copied slice of the source text landed in it."""

    parts: list[str] = field(default_factory=list)
    src: list[int] = field(default_factory=list)  # start of each copied slice in the source
    out: list[int] = field(default_factory=list)  # ... and in the output
    size: list[int] = field(default_factory=list)
    length: int = 0

    def lit(self, text: str) -> None:
        """Markup that is not in the source."""
        if text:
            self.parts.append(text)
            self.length += len(text)

    def copy(self, source: str, start: int, end: int) -> None:
        if end > start:
            self.src.append(start)
            self.out.append(self.length)
            self.size.append(end - start)
            self.parts.append(source[start:end])
            self.length += end - start

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def _pos(self, at: int, *, end: bool) -> int:
        """Output position of source offset `at` (a dropped character maps to the next kept one)."""
        i = bisect_right(self.src, at - 1 if end else at) - 1
        if i >= 0 and at - self.src[i] <= self.size[i] and (at > self.src[i] or not end):
            return self.out[i] + at - self.src[i]
        if end:
            return self.out[i] + self.size[i] if i >= 0 else 0
        return self.out[i + 1] if i + 1 < len(self.out) else self.length

    def map_span(self, span: PiiSpan) -> PiiSpan:
        start = self._pos(span.start, end=False)
        stop = max(start, self._pos(span.end, end=True)) if span.end > span.start else start
        return span.model_copy(update={"start": start, "end": stop})


def _lines(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each non-blank line, leading and trailing whitespace left out."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            a = pos + len(line) - len(line.lstrip())
            yield a, a + len(stripped)
        pos += len(line) + 1


def _escaped_line(r: Rendered, text: str, a: int, b: int) -> None:
    """One line of running text, with a backslash where it would start a Markdown block."""
    line = text[a:b]
    if _BLOCK_START.match(line):
        m = _DIGITS.match(line)
        if m:  # "1. January" -> "1\\. January": the backslash goes before the dot
            r.copy(text, a, a + m.end())
            r.lit("\\")
            r.copy(text, a + m.end(), b)
            return
        r.lit("\\")
    r.copy(text, a, b)


def _escaped_lines(r: Rendered, text: str, prefix: str = "", indent: str = "") -> None:
    for n, (a, b) in enumerate(_lines(text)):
        r.lit(("\n" + indent if n else "") + prefix)
        _escaped_line(r, text, a, b)


def _one_line(r: Rendered, text: str) -> None:
    """The text's words with single spaces between them."""
    for n, m in enumerate(_WORD.finditer(text)):
        if n:
            r.lit(" ")
        r.copy(text, m.start(), m.end())


def heading(r: Rendered, text: str, level: int) -> None:
    r.lit("#" * max(1, min(level, 6)) + " ")
    words = list(_WORD.finditer(text))
    for n, m in enumerate(words):
        if n:
            r.lit(" ")
        last = n == len(words) - 1
        if last and m.group().endswith("#"):
            # A closing run of #s would be read as the ATX closing sequence and dropped.
            r.copy(text, m.start(), m.end() - 1)
            r.lit("\\")
            r.copy(text, m.end() - 1, m.end())
        else:
            r.copy(text, m.start(), m.end())


# -- tables ---------------------------------------------------------------------------------------


def table_rows(text: str) -> list[list[tuple[int, int]]]:
    """(start, end) of each cell, row by row, in a table element's text.

    Cells are apart by " | ". Normalization strips lines, so an empty first or last cell leaves
    a bare "|" at the line's start or end: that is a separator too."""
    rows = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            cells = []
            a, end = pos, pos + len(line)
            if line.startswith("|"):
                cells.append((a, a))
                a += 2 if line.startswith("| ") else 1
            trailing = len(line) > 1 and line.endswith(" |") and not line.endswith(" | |")
            if trailing:
                end -= 2
            for piece in text[a:end].split(CELL_SEPARATOR):
                cells.append((a, a + len(piece)))
                a += len(piece) + len(CELL_SEPARATOR)
            if trailing:
                cells.append((end + 2, end + 2))
            rows.append(cells)
        pos += len(line) + 1
    return rows


def _cell(r: Rendered, text: str, a: int, b: int) -> None:
    cell = text[a:b]
    lead = len(cell) - len(cell.lstrip())
    a, b = a + lead, a + len(cell.rstrip())
    pos = a
    for m in re.finditer(r"\|", text[a:b]):
        r.copy(text, pos, a + m.start())
        r.lit("\\")
        pos = a + m.start()
    r.copy(text, pos, b)


def pipe_table(r: Rendered, text: str) -> bool:
    rows = table_rows(text)
    width = max((len(row) for row in rows), default=0)
    if not width:
        return False
    for n, row in enumerate(rows):
        if n:
            r.lit("\n")
        r.lit("| ")
        for k, (a, b) in enumerate(row):
            if k:
                r.lit(" | ")
            _cell(r, text, a, b)
        r.lit(" | " * (width - len(row)) + " |")
        if n == 0:
            r.lit("\n|" + "|".join(["---"] * width) + "|")
    return True


# -- code and quotes ------------------------------------------------------------------------------


def fenced(r: Rendered, text: str, language: str | None = None) -> None:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    info = language if language and re.fullmatch(r"[\w+#.-]{1,30}", language) else ""
    start = len(text) - len(text.lstrip("\n"))
    r.lit(f"{fence}{info}\n")
    r.copy(text, start, len(text.rstrip()))
    r.lit(f"\n{fence}")


# -- lists ----------------------------------------------------------------------------------------


class ListState:
    """Indentation of a run of list items: each open level's text column, outermost first."""

    def __init__(self) -> None:
        self.columns: list[int] = []
        self.counters: list[int] = []

    def reset(self) -> None:
        self.columns.clear()
        self.counters.clear()

    def render(self, r: Rendered, el: Element) -> None:
        text = el.text
        level = max(1, el.level or 1)
        # An item is at most one level below the open ones (a skipped level nests once).
        depth = min(level, len(self.columns) + 1)
        del self.columns[depth - 1 :]
        del self.counters[depth:]
        indent = self.columns[-1] if self.columns else 0
        lines = list(_lines(text))
        if not lines:
            return
        a, b = lines[0]
        kind = el.metadata.get("list")
        m = _ORDERED_MARK.match(text[a:b])
        r.lit(" " * indent)
        if m and kind != "bullet":
            marker = m.group(1)
            r.copy(text, a, a + len(marker))
            r.lit(" ")
            a += m.end()
        else:
            if kind == "ordered":
                while len(self.counters) < depth:
                    self.counters.append(0)
                self.counters[depth - 1] += 1
                marker = f"{self.counters[depth - 1]}."
            else:
                marker = "-"
            r.lit(marker + " ")
        column = indent + len(marker) + 1
        self.columns.append(column)
        _escaped_line(r, text, a, b)
        for a, b in lines[1:]:
            r.lit("\n" + " " * column)
            _escaped_line(r, text, a, b)


# -- elements -------------------------------------------------------------------------------------


def render_elements(elements: Iterable[Element]) -> list[Rendered]:
    """The Markdown rendering of each element, in order (list indentation needs neighbours)."""
    lists = ListState()
    out: list[Rendered] = []
    for el in elements:
        r = Rendered()
        if el.type == "list_item":
            lists.render(r, el)
        else:
            lists.reset()
            render_element(r, el)
        out.append(r)
    return out


def render_element(r: Rendered, el: Element) -> None:
    """Markdown for one element outside a list."""
    kind, text = el.type, el.text
    if not text.strip():
        return
    if kind == "title":
        heading(r, text, 1)
    elif kind == "heading":
        heading(r, text, el.level or 1)
    elif kind == "table":
        if not pipe_table(r, text):
            _escaped_lines(r, text)
    elif kind == "code":
        language = el.metadata.get("language")
        fenced(r, text, language if isinstance(language, str) else None)
    elif kind == "quote":
        _escaped_lines(r, text, prefix="> ")
    elif kind == "list_item":
        ListState().render(r, el)
    else:
        _escaped_lines(r, text)


def to_markdown(elements: list[Element]) -> None:
    """Rewrite elements' text as Markdown in place, moving their PII spans along."""
    for el, r in zip(elements, render_elements(elements), strict=True):
        el.pii = [r.map_span(sp) for sp in el.pii]
        el.text = r.text
