"""From text segments to physical lines, and from lines to paragraphs and list items.

PDFs have no paragraphs, only positioned text. A new block starts where a reader would see one:
a change of font size or weight, vertical space larger than the page's usual line pitch, a line
that starts with a bullet or number, a first-line indent, or a line that ends early although the
next word would have fitted (ragged-right text).
"""

from __future__ import annotations

import re

from .model import Block, Line

HYPHEN_MARK = "\ufffe"  # pdfium's own marker for a word hyphenated across lines
_LIST_MARKER = re.compile(
    r"^(?:[•●▪◦○■□➢►▸‣⁃∙·*–—-]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[A-Z]\)|\([A-Z]\.?\)|\(?[ivxIVX]{1,5}[.)])\s+\S"
)
_LINE_END_HYPHEN = re.compile(r"[^\W\d_][-\u00ad\u2010]$")
_STARTS_LOWER = re.compile(r"^[^\W\d_]")
_HYPHENS = "-\u00ad\u2010"


def is_list_start(text: str) -> bool:
    # Most lines start with a word: skip the regex unless the start could be a marker.
    head = text[:6]
    if head[:2].isalpha() and "." not in head and ")" not in head:
        return False
    return bool(_LIST_MARKER.match(text))


def merge_segments(segments: list[Line]) -> list[Line]:
    """Join consecutive segments that sit on the same baseline band into one physical line.

    pdfium breaks a line wherever the font changes (a superscript, a bold word), so these
    pieces must be put back together before paragraphs can be recognised.
    """
    lines: list[Line] = []
    for seg in segments:
        if lines and _same_line(lines[-1], seg):
            prev = lines[-1]
            gap = seg.x0 - prev.x1
            # Glue only a font switch inside a word (same size and baseline, no gap); a raised
            # or smaller piece (exponent, index, footnote mark) stays a separate token.
            glued = (
                -0.1 * prev.size < gap < 0.1 * prev.size
                and abs(prev.size - seg.size) < 0.05 * prev.size
                and abs(prev.base_end - seg.base) < 0.1 * prev.size
            )
            joiner = "" if glued else " "
            keep_prev = len(prev.text) >= len(seg.text)
            lines[-1] = Line(
                text=prev.text + joiner + seg.text,
                x0=min(prev.x0, seg.x0),
                x1=max(prev.x1, seg.x1),
                base=prev.base if keep_prev else seg.base,
                base_end=prev.base_end if keep_prev else seg.base_end,
                size=prev.size if keep_prev else seg.size,
                bold=prev.bold if keep_prev else seg.bold,
            )
        else:
            lines.append(seg)
    return lines


def _same_line(a: Line, b: Line) -> bool:
    if b.x0 < a.x1 - 0.5 * a.size:  # text goes back to the left: a new line or column
        return False
    lo_a, hi_a = a.base_end - 0.25 * a.size, a.base_end + 0.75 * a.size
    lo_b, hi_b = b.base - 0.25 * b.size, b.base + 0.75 * b.size
    overlap = min(hi_a, hi_b) - max(lo_a, lo_b)
    return overlap >= 0.5 * min(hi_a - lo_a, hi_b - lo_b)


def build_blocks(lines: list[Line], page: int) -> list[Block]:
    """Group a page's lines (reading order) into paragraph and list-item blocks."""
    if not lines:
        return []
    keys = [round(line.size * 2) / 2 or 1.0 for line in lines]
    pitch = _line_pitches(lines, keys)
    edges = _right_edges(lines, keys)
    blocks: list[Block] = []
    current: Block | None = None
    for i, line in enumerate(lines):
        list_start = is_list_start(line.text)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (
            current is None
            or list_start
            or _breaks(current, lines[i - 1], line, nxt, pitch, edges[i - 1])
        ):
            current = Block(
                kind="list_item" if list_start else "paragraph", lines=[line], page=page
            )
            blocks.append(current)
        else:
            current.lines.append(line)
    for block in blocks:
        block.text = join_lines(block.lines)
    _list_levels(blocks)
    return blocks


def join_lines(lines: list[Line]) -> str:
    """Lines of one block as running text; a hyphen at a line end becomes a dehyphenation mark."""
    parts: list[str] = []
    for line in lines:
        text = line.text
        if (
            parts
            and parts[-1][-1] in _HYPHENS
            and _LINE_END_HYPHEN.search(parts[-1])
            and _STARTS_LOWER.match(text)
        ):
            parts[-1] = parts[-1][:-1] + HYPHEN_MARK
            parts.append(text)
        else:
            if parts and not parts[-1].endswith(HYPHEN_MARK):
                parts.append(" ")
            parts.append(text)
    return "".join(parts)


def _breaks(
    block: Block,
    prev: Line,
    line: Line,
    nxt: Line | None,
    pitch: dict[float, float],
    right_edge: float,
) -> bool:
    size = max(prev.size, line.size)
    if abs(prev.size - line.size) > 0.12 * size:
        return True
    if prev.bold != line.bold and (len(prev.text) > 3 and len(line.text) > 3):
        return True
    gap = prev.base_end - line.base
    usual = pitch.get(round(line.size * 2) / 2 or 1.0, 1.2 * line.size)
    if gap <= 0.3 * line.size or gap > max(1.3 * usual, usual + 0.25 * line.size):
        return True  # a new column, text going up the page, or extra vertical space
    indent = line.x0 - prev.x0
    if len(block.lines) >= 2 and indent < -0.8 * line.size:
        return True  # back out to the left after two aligned lines: the block is over
    if block.kind == "list_item":
        # Continuation lines of an item hang to the right of its marker.
        return line.x0 < block.lines[0].x0 + 0.4 * line.size
    if (
        indent > 0.8 * line.size
        and prev.x1 >= right_edge - 2.5 * line.size
        and (nxt is None or nxt.x0 < line.x0 - 0.5 * line.size)
    ):
        # A first-line indent after a full line, the next line back at the margin: a new
        # paragraph (LaTeX style). Lines staying indented are a hanging indent instead.
        return True
    room = right_edge - prev.x1
    if room <= 4 * line.size:
        return False
    # The next word would have fitted: the previous line ended on purpose.
    first_word = line.text.find(" ")
    return room > ((first_word if first_word >= 0 else len(line.text)) + 1.5) * 0.55 * line.size


def _line_pitches(lines: list[Line], keys: list[float]) -> dict[float, float]:
    """The usual baseline distance per font size (rounded to half points) on this page."""
    gaps: dict[float, list[float]] = {}
    for i in range(1, len(lines)):
        if keys[i] != keys[i - 1]:
            continue
        size = keys[i]
        gap = lines[i - 1].base_end - lines[i].base
        if 0.6 * size < gap < 3.0 * size:
            if size in gaps:
                gaps[size].append(gap)
            else:
                gaps[size] = [gap]
    # A low percentile, not the median: on pages full of formulas or lists, spaced-out lines
    # outnumber the lines inside paragraphs.
    return {
        size: sorted(values)[len(values) // 4] for size, values in gaps.items() if len(values) >= 2
    }


def _right_edges(lines: list[Line], keys: list[float]) -> list[float]:
    """For each line, the right edge of the text column it belongs to.

    Lines of the same size that start near each other (within a few ems) form a column, so a
    two-column page gets two edges. Linear time: this runs for every page.
    """
    widest: dict[tuple[float, int], float] = {}
    buckets: list[tuple[float, int]] = []
    for line, size in zip(lines, keys, strict=True):
        key = (size, int(line.x0 // (3 * size)))
        buckets.append(key)
        if line.x1 > widest.get(key, -1e9):
            widest[key] = line.x1
    edges: list[float] = []
    get = widest.get
    for (size, bucket), line in zip(buckets, lines, strict=True):
        x1 = line.x1
        edges.append(
            max(
                x1, get((size, bucket - 1), x1), widest[(size, bucket)], get((size, bucket + 1), x1)
            )
        )
    return edges


def _list_levels(blocks: list[Block]) -> None:
    stack: list[float] = []
    for block in blocks:
        if block.kind != "list_item":
            stack.clear()
            continue
        x0, size = block.lines[0].x0, block.lines[0].size
        while stack and x0 < stack[-1] - 0.4 * size:
            stack.pop()
        if not stack or x0 > stack[-1] + 0.8 * size:
            stack.append(x0)
        block.level = min(len(stack), 6)
