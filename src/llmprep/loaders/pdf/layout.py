"""From text segments to physical lines, and from lines to paragraphs and list items.

PDFs have no paragraphs, only positioned text. A new block starts where a reader would see one:
a change of font size or weight, vertical space larger than the page's usual line pitch, a line
that starts with a bullet or number, a first-line indent, or a line that ends early although the
next word would have fitted (ragged-right text).
"""

from __future__ import annotations

import re

from .model import Block, Line, Word

HYPHEN_MARK = "\ufffe"  # pdfium's own marker for a word hyphenated across lines
_LIST_MARKER = re.compile(
    r"^(?:[•●▪◦○■□➢►▸‣⁃∙·*–—-]|\[\d{1,3}\]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[A-Z]\)|\([A-Z]\.?\)|\(?[ivxIVX]{1,5}[.)])\s+\S"
)
_LINE_END_HYPHEN = re.compile(r"[^\W\d_][-\u00ad\u2010]$")
_STARTS_LETTER = re.compile(r"^[^\W\d_]")
# A sentence (or a clause introducing what follows) ends here: terminal punctuation, possibly
# followed by closing quotes or brackets, or a footnote number.
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’)\]]*\d{0,2}$")
# What may follow the sentence end up to the end of the text (closers, a note number, the
# newline `$` allows): only a tail made of these alone needs the whole text searched.
_SENTENCE_TRAILER = re.compile(r"[\"'”’)\]\d\n]*")
TAIL = 8  # characters searched first for a sentence end
_HYPHENS = "-\u00ad\u2010"
BODY_SLOT = 24.0  # points: lines starting this close belong to the same column


def is_list_start(text: str) -> bool:
    # Most lines start with a word: skip the regex unless the start could be a marker.
    head = text[:6]
    if head[:2].isalpha() and "." not in head and ")" not in head:
        return False
    return bool(_LIST_MARKER.match(text))


def merge_segments(segments: list[Line]) -> list[Line]:
    """Join consecutive segments that sit on the same baseline band into one physical line.

    pdfium breaks a line wherever the font changes (a superscript, a bold word), so these
    pieces must be put back together before paragraphs can be recognised. The segments are
    consumed: a merged line is the first of its pieces, updated.
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
            # The merged line takes the place of the first piece, updated in place (a new Line
            # per merge cost more than the rest of merging): pieces are not used after this.
            prev.words = _joined_words(prev, seg, glued)
            if len(prev.text) < len(seg.text):  # the longer piece gives position and type
                prev.base, prev.base_end, prev.size = seg.base, seg.base_end, seg.size
                prev.bold, prev.italic = seg.bold, seg.italic
            prev.text = prev.text + joiner + seg.text
            prev.x0 = min(prev.x0, seg.x0)
            prev.x1 = max(prev.x1, seg.x1)
            prev.mono = prev.mono and seg.mono
            prev.tag = prev.tag or seg.tag
        else:
            lines.append(seg)
    return lines


def _joined_words(a: Line, b: Line, glued: bool) -> list[Word] | None:
    """Word extents of two merged segments; a segment that was not measured is one word."""
    if a.words is None and b.words is None:
        return None
    left = a.words if a.words is not None else [Word(a.text, a.x0, a.x1)]
    right = b.words if b.words is not None else [Word(b.text, b.x0, b.x1)]
    if glued and left and right:
        last = left[-1]
        return [*left[:-1], Word(last.text + right[0].text, last.x0, right[0].x1), *right[1:]]
    return [*left, *right]


def _same_line(a: Line, b: Line) -> bool:
    if a.angle or b.angle:
        return False  # rotated text is never part of a horizontal line
    if b.x0 < a.x1 - 0.5 * a.size:  # text goes back to the left: a new line or column
        return False
    lo_a, hi_a = a.base_end - 0.25 * a.size, a.base_end + 0.75 * a.size
    lo_b, hi_b = b.base - 0.25 * b.size, b.base + 0.75 * b.size
    overlap = min(hi_a, hi_b) - max(lo_a, lo_b)
    return overlap >= 0.5 * min(hi_a - lo_a, hi_b - lo_b)


def build_blocks(lines: list[Line], page: int) -> list[Block]:
    """Group a page's lines (reading order) into paragraph, list-item and code blocks."""
    if not lines:
        return []
    keys = [round(line.size * 2) / 2 or 1.0 for line in lines]
    pitch = _line_pitches(lines, keys)
    edges = _right_edges(lines, keys)
    blocks: list[Block] = []
    current: Block | None = None
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        list_start = (
            not line.mono
            and is_list_start(line.text)
            and not (prev is not None and _runs_into(prev, line, edges[i - 1]))
        )
        if (
            current is None
            or prev is None
            or list_start
            or line.mono != (current.kind == "code")
            or _breaks(current, prev, line, nxt, pitch.get(keys[i]), edges[i - 1])
        ):
            kind = "code" if line.mono else "list_item" if list_start else "paragraph"
            current = Block(kind, [line], page)  # positional: this runs for most lines
            current.column_start = prev is None or _goes_up(prev, line)
            blocks.append(current)
        else:
            current.lines.append(line)
        current.full_end = line.x1 >= edges[i] - 2.5 * line.size
    for block in blocks:
        block.text = code_text(block.lines) if block.kind == "code" else join_lines(block.lines)
    _list_levels(blocks)
    return blocks


def ends_sentence(text: str) -> bool:
    """`_ENDS_SENTENCE.search(text)`, looking at the tail first: searching a whole paragraph
    for an anchored pattern tries every position (~17 us for 1,700 characters)."""
    tail = len(text) - TAIL
    if tail <= 0:
        return _ENDS_SENTENCE.search(text) is not None
    if _ENDS_SENTENCE.search(text, tail) is not None:
        return True
    # A match starting before the tail leaves only closers and digits in it.
    return (
        _SENTENCE_TRAILER.fullmatch(text, tail) is not None
        and _ENDS_SENTENCE.search(text) is not None
    )


def _flows_on(line: Line, right_edge: float) -> bool:
    """A full line without a sentence end: its sentence goes on on the next line."""
    return line.x1 >= right_edge - 2.5 * line.size and not ends_sentence(line.text)


def _runs_into(prev: Line, line: Line, right_edge: float) -> bool:
    """The previous line's sentence goes on in this line: it is full, ends mid-sentence, and
    both are set alike (a number or bracket starting this line is then no list marker)."""
    return (
        abs(prev.size - line.size) <= 0.12 * max(prev.size, line.size)
        and prev.bold == line.bold
        and _flows_on(prev, right_edge)
    )


def _goes_up(prev: Line, line: Line) -> bool:
    """The line sits above the previous one: a new column (or a float placed out of order)."""
    return line.base > prev.base_end + 0.3 * line.size


def code_text(lines: list[Line]) -> str:
    """Monospaced lines kept as lines, their indentation rebuilt from their left edges."""
    left = min(line.x0 for line in lines)
    out = []
    for line in lines:
        advance = 0.6 * line.size  # the width of a monospaced glyph
        out.append(" " * max(0, round((line.x0 - left) / advance)) + line.text)
    return "\n".join(out)


def join_lines(lines: list[Line]) -> str:
    """Lines of one block as running text; a hyphen at a line end becomes a dehyphenation mark
    (a number range broken after its dash is joined as it was: "38-" + "266")."""
    if len(lines) == 1:
        return lines[0].text  # most blocks of a page are one line: nothing to join
    parts: list[str] = []
    for line in lines:
        text = line.text
        last = parts[-1] if parts else ""
        if (
            last
            and last[-1] in _HYPHENS
            and _LINE_END_HYPHEN.search(last)
            and _STARTS_LETTER.match(text)
        ):
            parts[-1] = last[:-1] + HYPHEN_MARK
            parts.append(text)
        elif last and last[-1] == "-" and last[-2:-1].isdigit() and text[:1].isdigit():
            parts.append(text)
        else:
            if parts and not last.endswith(HYPHEN_MARK):
                parts.append(" ")
            parts.append(text)
    return "".join(parts)


def _breaks(
    block: Block,
    prev: Line,
    line: Line,
    nxt: Line | None,
    usual: float | None,
    right_edge: float,
) -> bool:
    """Whether a new block starts at `line`; `usual` is the page's line pitch for its size."""
    if prev.angle or line.angle:
        return True  # rotated text stands on its own
    if prev.tag != line.tag and (prev.tag or line.tag):
        return True  # the structure tree says where headings begin and end
    size = max(prev.size, line.size)
    if abs(prev.size - line.size) > 0.12 * size:
        return True
    if (prev.bold != line.bold or prev.italic != line.italic) and (
        len(prev.text) > 3 and len(line.text) > 3
    ):
        return True
    gap = prev.base_end - line.base
    # A size with too few lines on the page to measure its pitch is display type (a title,
    # a heading over two lines): allow it a generous leading.
    if usual is None:
        usual = 1.25 * line.size
    if gap <= 0.3 * line.size or gap > max(1.3 * usual, usual + 0.25 * line.size):
        return True  # a new column, text going up the page, or extra vertical space
    if block.kind == "code":
        return False
    # A sentence running on into a lower-case word is one paragraph whatever the layout says.
    if line.text[:1].islower() and not ends_sentence(prev.text):
        return False
    indent = line.x0 - prev.x0
    if len(block.lines) >= 2 and indent < -0.8 * line.size:
        return True  # back out to the left after two aligned lines: the block is over
    if block.kind == "list_item":
        # Continuation lines of an item hang to the right of its marker.
        return line.x0 < block.lines[0].x0 + 0.4 * line.size
    if (
        indent > 0.8 * line.size
        and (nxt is None or nxt.x0 < line.x0 - 0.5 * line.size)
        and ends_sentence(prev.text)
    ):
        # A first-line indent, the next line back at the margin: a new paragraph (LaTeX
        # style). Lines staying indented are a hanging indent instead.
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
    two-column page gets two edges. The edge is the third-widest line of a group of six or
    more, so a caption or table spanning both columns does not move one column's edge. A size
    used by only a line or two (a heading, a label) takes the edge of the body text starting
    near it: a short heading does not fill its own column. Linear time: this runs for every
    page.
    """
    ends: dict[tuple[float, int], list[float]] = {}
    by_size: dict[float, int] = {}
    buckets: list[tuple[float, int]] = []
    for line, size in zip(lines, keys, strict=True):
        key = (size, int(line.x0 // (3 * size)))
        buckets.append(key)
        if key in ends:
            ends[key].append(line.x1)
        else:
            ends[key] = [line.x1]
        by_size[size] = by_size.get(size, 0) + len(line.text)
    widest = {key: _robust_max(values) for key, values in ends.items()}
    body = max(by_size, key=by_size.__getitem__)
    # Per bucket (a page has a few): the widest of it and its neighbours, and whether its
    # lines are too few to have an edge of their own. A line's edge is then that or its end.
    reach: dict[tuple[float, int], float] = {}
    borrow: set[tuple[float, int]] = set()
    for key, edge in widest.items():
        size, bucket = key
        before, after = widest.get((size, bucket - 1)), widest.get((size, bucket + 1))
        if before is not None and before > edge:
            edge = before
        if after is not None and after > edge:
            edge = after
        reach[key] = edge
        if len(ends[key]) < 3 and size != body:
            borrow.add(key)
    if not borrow:
        # No line borrows the body's edge: one comparison per line.
        return [
            x1 if x1 > edge else edge
            for x1, edge in zip(
                (line.x1 for line in lines), map(reach.__getitem__, buckets), strict=True
            )
        ]
    body_ends: dict[int, list[float]] = {}
    for (size, _), line in zip(buckets, lines, strict=True):
        if size == body:
            body_ends.setdefault(int(line.x0 // BODY_SLOT), []).append(line.x1)
    body_edge = {slot: _robust_max(values) for slot, values in body_ends.items()}
    edges: list[float] = []
    for key, line in zip(buckets, lines, strict=True):
        x1 = line.x1
        edge = max(x1, reach[key])
        if key in borrow:
            slot = int(line.x0 // BODY_SLOT)
            edge = max(edge, *(body_edge.get(s, x1) for s in (slot - 1, slot, slot + 1)))
        edges.append(edge)
    return edges


def _robust_max(values: list[float]) -> float:
    if len(values) < 6:
        return max(values)
    return sorted(values)[-3]


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
