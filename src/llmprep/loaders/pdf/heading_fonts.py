"""Headings from type: a document-level model of text styles ranked against the body.

Every block gets a style: its size (to half a point), weight, slant, and whether its letters
are all capitals. The body style is the one covering most characters. A style is a heading
style when it stands out from the body (larger, or bold, capitals or italic where the body is
not) and is used for short blocks: a style that also sets many long paragraphs is a text
style (an abstract, a warning) even where one of its blocks is short.

Blocks of heading styles become headings when their text can be one (short, wordy, no
sentence end, not a caption, label, reference or address: `heading_text`). A section number
("2.3") in front of a block set apart by weight or size is evidence on its own.

Levels: numbered headings take the depth of their number; the other heading styles are ranked
by size, then weight, capitals and slant, and slot in around the numbered levels (a style
whose numbered blocks are at depth 2 is level 2; an unnumbered style larger than it is above).
The title is the largest block near the top of the first page, used once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple

from .heading_text import looks_like_names, not_a_heading, numbering
from .model import Block

MAX_WORDS = 20
MAX_LINES = 3
BIGGER = 1.12  # a heading size is at least this much larger than the body
TITLE = 1.35  # the title at least this much
TEXT_STYLE_LONG = 0.3  # a style whose blocks are this often long paragraphs is a text style


class Style(NamedTuple):
    size: float
    bold: bool
    italic: bool
    caps: bool

    def rank(self) -> tuple[float, int, int, int]:
        """Sort key: more prominent first."""
        return (-self.size, -int(self.bold), -int(self.caps), -int(self.italic))


_new_style = tuple.__new__


def style_of(block: Block) -> Style:
    """A block's style. Blocks break where weight or slant changes, so the first line speaks
    for the block."""
    lines = block.lines
    if not lines:
        return Style(0.0, False, False, False)
    first = lines[0]
    text = block.text
    caps = len(lines) <= MAX_LINES and text.isupper() and sum(c.isalpha() for c in text) >= 3
    # tuple.__new__ builds the same Style without the named tuple's Python-level __new__
    # (this runs for every block, twice where there is an outline).
    return _new_style(Style, (block.size, first.bold, first.italic, caps))


def _short(block: Block) -> bool:
    return 0 < len(block.text.split()) <= MAX_WORDS and len(block.lines) <= MAX_LINES


def _stands_out(style: Style, body: Style) -> bool:
    if style.size >= body.size * BIGGER:
        return True
    if style.size < body.size * 0.95:
        return False  # smaller than the body: notes, captions, labels in figures
    return (
        (style.bold and not body.bold)
        or (style.caps and not body.caps)
        or (style.italic and not body.italic and style.size > body.size)
    )


def apply_fonts(blocks: list[Block], first_page: int, known: dict[Style, int] | None = None) -> int:
    """Mark heading and title blocks among `blocks` (document order); returns headings made.

    `known` maps the styles of headings found otherwise (the outline's) to their levels: then
    only blocks of those styles, or numbered ones, are added, at those levels.
    """
    if not blocks:
        return 0
    # One pass over every block: styles, the characters each style sets, how many of its
    # blocks are long; the blocks that could be headings at all are kept for the next pass.
    styles: list[Style] = []
    chars: Counter[Style] = Counter()
    total: Counter[Style] = Counter()
    long: Counter[Style] = Counter()
    short: list[int] = []
    for i, block in enumerate(blocks):
        style = style_of(block)
        styles.append(style)
        chars[style] += len(block.text)
        total[style] += 1
        if len(block.lines) > MAX_LINES:
            long[style] += 1
        elif block.kind in ("paragraph", "list_item", "heading"):
            short.append(i)
    body = chars.most_common(1)[0][0]
    text_styles = {style for style, n in long.items() if n > TEXT_STYLE_LONG * total[style]}
    # Whether a style can set headings, decided once per style (a document has a few).
    candidate = {style: _stands_out(style, body) and style not in text_styles for style in total}
    chosen: list[int] = []
    numbers: dict[int, int] = {}
    front_matter = True  # the first page until its first numbered heading: title, authors
    for i in short:
        block, style = blocks[i], styles[i]
        if front_matter and (
            block.page != first_page or (block.kind == "heading" and numbering(block.text))
        ):
            front_matter = False
        if block.kind == "heading":
            continue
        if not candidate[style] or not _short(block):
            continue
        if not_a_heading(block.text):
            continue
        numbered = numbering(block.text)
        title_like = block.page == first_page and style.size >= body.size * TITLE
        if known is not None and style not in known and numbered is None and not title_like:
            continue
        if front_matter and numbered is None and looks_like_names(block.text):
            continue
        if numbered is not None:
            front_matter = False
        if (
            style.size < body.size * BIGGER
            and numbered is None
            and not _heading_like(block, blocks, i)
        ):
            continue
        chosen.append(i)
        if numbered is not None:
            numbers[i] = numbered[0]
    chosen = _without_runs(chosen, blocks, styles, numbers, body)
    title = _title(blocks, styles, chosen, body, first_page)
    if title is not None:
        chosen = _without_title_lines(chosen, blocks, title, numbers)
    if known is not None:
        chosen = [i for i in chosen if i == title or i in numbers or styles[i] in known]
        for i in chosen:
            if i != title:
                blocks[i].kind = "heading"
                blocks[i].level = min(numbers.get(i, known.get(styles[i], 1)), 6)
        if title is not None and blocks[title].kind != "heading":
            blocks[title].kind, blocks[title].level = "title", None
        return len(chosen)
    levels = _levels([i for i in chosen if i != title], styles, numbers)
    for i in chosen:
        if i == title:
            continue
        blocks[i].kind = "heading"
        blocks[i].level = levels[i]
    if title is not None:
        blocks[title].kind, blocks[title].level = "title", None
    return len(chosen) - (title is not None)


def _without_title_lines(
    chosen: list[int], blocks: list[Block], title: int, numbers: dict[int, int]
) -> list[int]:
    """The lines centred under the title in regular weight (a subtitle, the author, the
    date) belong to the title block, not to the headings; the first line that is not one
    (a bold "Abstract", a left-aligned heading, body text) ends them."""
    center = _center(blocks[title])
    width = max(line.x1 for line in blocks[title].lines) - min(
        line.x0 for line in blocks[title].lines
    )
    tolerance = max(6.0, 0.05 * width)
    drop: set[int] = set()
    picked = set(chosen)
    for i in range(title + 1, len(blocks)):
        block = blocks[i]
        if (
            i not in picked
            or i in numbers
            or block.page != blocks[title].page
            or not block.lines
            or any(line.bold for line in block.lines)
            or abs(_center(block) - center) > tolerance
        ):
            break
        drop.add(i)
    return [i for i in chosen if i not in drop]


def _center(block: Block) -> float:
    return (min(line.x0 for line in block.lines) + max(line.x1 for line in block.lines)) / 2


def _heading_like(block: Block, blocks: list[Block], i: int) -> bool:
    """An unnumbered body-size heading (bold, capitals): one line of a few words, without
    a period at its end, followed by something else than a lower-case continuation."""
    text = block.text.rstrip()
    if len(block.lines) != 1 or len(text.split()) > 12 or text.endswith("."):
        return False
    following = blocks[i + 1] if i + 1 < len(blocks) else None
    return following is None or not following.text[:1].islower()


def _without_runs(
    chosen: list[int],
    blocks: list[Block],
    styles: list[Style],
    numbers: dict[int, int],
    body: Style,
) -> list[int]:
    """Three or more unnumbered body-size candidates in a row are a list, a table's rows or a
    bold block of text, not headings; larger type in a row (a title block) stays."""
    keep: list[int] = []
    run: list[int] = []
    picked = set(chosen)
    for i in [*range(len(blocks)), None]:
        if i is not None and i in picked:
            run.append(i)
            continue
        if len(run) >= 3:
            keep.extend(j for j in run if j in numbers or styles[j].size >= body.size * BIGGER)
        else:
            keep.extend(run)
        run = []
    return sorted(keep)


def _title(
    blocks: list[Block], styles: list[Style], chosen: list[int], body: Style, first_page: int
) -> int | None:
    first = [i for i in chosen if blocks[i].page == first_page]
    if not first:
        return None
    top = max(first, key=lambda i: (styles[i].size, blocks[i].top))
    if styles[top].size < body.size * TITLE or numbering(blocks[top].text) is not None:
        return None
    if sum(1 for i in chosen if styles[i].size >= styles[top].size) > 1:
        return None  # the same size is used again: a heading style, not the title
    return top


def _levels(chosen: list[int], styles: list[Style], numbers: dict[int, int]) -> dict[int, int]:
    """Numbered blocks take their depth; styles take the depth their numbered blocks mostly
    have, and unnumbered styles are ranked in between by prominence."""
    depth_votes: dict[Style, Counter[int]] = defaultdict(Counter)
    for i in chosen:
        if i in numbers:
            depth_votes[styles[i]][numbers[i]] += 1
    ranked = sorted({styles[i] for i in chosen}, key=Style.rank)
    level_of: dict[Style, int] = {}
    previous = 0
    for style in ranked:
        votes = depth_votes.get(style)
        level = votes.most_common(1)[0][0] if votes else previous + 1
        level_of[style] = min(level, 6)
        previous = level_of[style]
    return {i: min(numbers.get(i, level_of[styles[i]]), 6) for i in chosen}
