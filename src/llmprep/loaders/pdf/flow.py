"""The flow of text across a document: captions, footnotes, and paragraphs that go on elsewhere.

Pages and columns cut paragraphs; figures, tables and footnotes land in the middle of them.
After the blocks of every page are built, this pass
- marks captions ("Figure 3:", "Table 1.", "TABLE II") and footnotes (small type below the body
  at the foot of a page), which interrupt the text without ending it;
- joins a paragraph that opens a column or a page, or follows such an interruption, to the
  paragraph before it when the text flows on: the earlier one ends on a full line without a
  sentence end, or the later one starts in lower case, and both are set alike.
"""

from __future__ import annotations

import re

from .layout import HYPHEN_MARK, ends_sentence
from .model import Block

CAPTION = re.compile(
    r"^(?:figure|fig\.|table|tab\.|listing|algorithm|chart|exhibit|scheme|plate|"
    r"abbildung|abb\.|tabelle|tableau|tabla|figura|tabella|grafik)"
    r"\s*(?:\d+|[IVXLC]+|[A-Z])(?:[.\-–]\d+)*[a-z]?"
    r"(?:\s*[:.|—–-](?=\s|$)|\s+(?=(?-i:[A-Z(]))|\s*$)",
    re.IGNORECASE,
)
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡§¶]|\(\d{1,3}\))\s*[^\W\d_]{2,}")
_HYPHENATED = re.compile(r"[^\W\d_][-\u00ad\u2010]$")
_INTERRUPTIONS = frozenset({"caption", "table", "footnote", "code"})
FOOTNOTE_SIZE = 0.88  # footnotes are set smaller than this share of the body size
FOOT_ZONE = 0.4  # ... and in the lowest share of the page


def mark_captions(blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == "paragraph" and CAPTION.match(block.text):
            block.kind = "caption"


def mark_footnotes(blocks: list[Block], body: float, bottom: float, top: float) -> None:
    """Small type at the foot of a page, below the body text of its column and not after a
    heading of its own (a reference list set small at the end of a column is not a footnote)."""
    limit = bottom + FOOT_ZONE * (top - bottom)
    for i, block in enumerate(blocks):
        if (
            block.kind not in ("paragraph", "list_item")
            or not block.lines
            or block.size > FOOTNOTE_SIZE * body
            or block.top > limit
            or not _FOOTNOTE_MARK.match(block.text)
        ):
            continue
        x0 = min(line.x0 for line in block.lines)
        x1 = max(line.x1 for line in block.lines)
        above = [
            b
            for b in blocks[:i]
            if b.lines
            and b.kind not in ("table", "caption", "footnote")
            and any(line.x0 < x1 and line.x1 > x0 for line in b.lines)
        ]
        body_above = [b for b in above if abs(b.size - body) <= 0.06 * body]
        if not body_above or min(b.lines[-1].base for b in body_above) < block.top:
            continue
        if any(b.kind in ("heading", "title") for b in above[above.index(body_above[-1]) :]):
            continue
        block.kind = "footnote"


def continue_paragraphs(blocks: list[Block]) -> list[Block]:
    """`blocks` in document order, with paragraphs cut by columns, pages and floats joined."""
    out: list[Block] = []
    open_block: Block | None = None
    open_page = 0  # the page the open block's text reached
    interrupted = False
    for block in blocks:
        if block.kind in _INTERRUPTIONS or not block.lines:
            out.append(block)
            interrupted = interrupted or open_block is not None
            continue
        if block.kind not in ("paragraph", "list_item"):
            out.append(block)
            open_block, interrupted = None, False
            continue
        moved = block.column_start or block.page != open_page
        if (
            open_block is not None
            and block.kind == "paragraph"
            and (moved or interrupted)
            and _flows_into(open_block, block, moved)
        ):
            _join(open_block, block)
            open_page, interrupted = block.page, False
            continue
        out.append(block)
        open_block, open_page, interrupted = block, block.page, False
    return out


def _flows_into(a: Block, b: Block, moved: bool) -> bool:
    """Whether `b` goes on with `a`'s text; `moved`: `b` opens a column or page."""
    last, first = a.lines[-1], b.lines[0]
    if abs(last.size - first.size) > 0.12 * max(last.size, first.size) or last.bold != first.bold:
        return False
    if last.mono or first.mono or last.angle or first.angle:
        return False
    if b.text[:1].islower():
        return True
    if not a.full_end:
        return False
    # A first-line indent opens a new paragraph even where the old one ran to the margin.
    if len(b.lines) >= 2 and first.x0 > b.lines[1].x0 + 0.8 * first.size:
        return False
    # A full last line without a sentence end goes on. One with a sentence end goes on too
    # when the column or page ran out: a paragraph that ended there would have left its last
    # line short more often than not.
    return not ends_sentence(a.text) or (moved and len(a.lines) >= 2)


def _join(a: Block, b: Block) -> None:
    # The pattern is two characters at the end (or before a final newline): searching from
    # there, not through the whole paragraph, which grows with every join.
    if _HYPHENATED.search(a.text, len(a.text) - 3) and b.text[:1].isalpha():
        a.text = a.text[:-1] + HYPHEN_MARK + b.text
    else:
        a.text = f"{a.text} {b.text}"
    a.lines.extend(b.lines)
    a.full_end = b.full_end
    a.size_memo = None
