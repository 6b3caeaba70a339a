"""Headings: from the outline (bookmarks) where there is one, otherwise from font size and weight.

Outline entries are matched to a block on their target page by text (ignoring numbering such as
"1.2"), then by position (the destination's top); an entry that matches nothing is inserted as a
heading of its own so `heading_path` still follows the author's structure.
"""

from __future__ import annotations

import re
from collections import Counter

from .model import Block, OutlineEntry

_NUMBERING = re.compile(
    r"^\s*(?:(?:chapter|section|part|kapitel|teil)\s+)?(?:[\dIVXivx]+[.)]?)+(?:\.\d+)*\s+", re.I
)
_NON_ALNUM = re.compile(r"[\W_]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
MAX_HEADING_WORDS = 20


def _key(text: str) -> str:
    return _NON_ALNUM.sub("", _NUMBERING.sub("", text)).lower()


def _wordy(text: str) -> bool:
    """Mostly words: headings are, rows of figures are not."""
    tokens = text.split()
    words = sum(1 for t in tokens if _HAS_LETTER.search(t))
    return words > 0 and words * 2 >= len(tokens)


def body_size(blocks: list[Block]) -> float:
    """The font size that covers most characters: the body text size."""
    weights: Counter[float] = Counter()
    for block in blocks:
        for line in block.lines:
            weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def body_is_bold(blocks: list[Block]) -> bool:
    chars = sum(len(ln.text) for b in blocks for ln in b.lines)
    bold = sum(len(ln.text) for b in blocks for ln in b.lines if ln.bold)
    return chars > 0 and bold * 2 > chars


def _short(block: Block) -> bool:
    return 0 < len(block.text.split()) <= MAX_HEADING_WORDS and len(block.lines) <= 3


def apply_outline(pages: dict[int, list[Block]], outline: list[OutlineEntry], body: float) -> int:
    """Turn matched blocks into headings and insert unmatched entries; returns entries used."""
    used = 0
    inserts: dict[int, list[tuple[float | None, Block]]] = {}
    claimed: set[int] = set()
    claimed_spots: set[tuple[int, float | None]] = set()
    keys: dict[int, str] = {}  # id(block) -> normalised text, computed once per candidate block
    for entry in outline:
        if entry.page is None or entry.page not in pages:
            continue
        spot = (entry.page, round(entry.top) if entry.top is not None else None)
        blocks = pages[entry.page]
        match = _match_text(blocks, entry, claimed, keys) or _match_position(
            blocks, entry, claimed, body
        )
        if match is not None:
            claimed.add(id(match))
            claimed_spots.add(spot)
            match.kind = "heading"
            match.level = min(entry.level, 6)
            if _key(match.text) != _key(entry.title):
                match.metadata["outline_title"] = entry.title
            used += 1
            continue
        if spot in claimed_spots and entry.top is not None:
            continue  # another bookmark already marks this place
        claimed_spots.add(spot)
        heading = Block(
            kind="heading", lines=[], page=entry.page, text=entry.title, level=min(entry.level, 6)
        )
        heading.metadata["from_outline"] = True
        inserts.setdefault(entry.page, []).append((entry.top, heading))
        used += 1
    for page, items in inserts.items():
        blocks = pages[page]
        for top, heading in items:
            at = len(blocks) if blocks and top is not None else 0
            if top is not None:
                at = next(
                    (i for i, b in enumerate(blocks) if b.lines and b.top <= top + 1), len(blocks)
                )
            # Keep outline order among headings inserted at the same place.
            while at < len(blocks) and blocks[at].metadata.get("from_outline"):
                at += 1
            blocks.insert(at, heading)
    return used


def _match_text(
    blocks: list[Block], entry: OutlineEntry, claimed: set[int], keys: dict[int, str]
) -> Block | None:
    want = _key(entry.title)
    if not want:
        return None
    found = []
    for b in blocks:
        if id(b) in claimed or not b.lines or not _short(b):
            continue
        key = keys.get(id(b))
        if key is None:
            key = keys[id(b)] = _key(b.text)
        if key == want:
            found.append(b)
    if not found:
        return None
    if entry.top is None:
        return found[0]
    return min(found, key=lambda b: abs(b.top - entry.top))  # type: ignore[operator]


def _match_position(
    blocks: list[Block], entry: OutlineEntry, claimed: set[int], body: float
) -> Block | None:
    if entry.top is None:
        return None
    best: Block | None = None
    for block in blocks:
        if id(block) in claimed or not block.lines or len(block.lines) > 2 or not _short(block):
            continue
        if not (block.size >= body * 1.1 or block.bold):
            continue
        distance = entry.top - block.top
        if -block.size <= distance <= 3 * block.size and (
            best is None or abs(distance) < abs(entry.top - best.top)
        ):
            best = block
    return best


def apply_fonts(all_blocks: list[Block], body: float, first_page: int) -> int:
    """Headings from larger or bold type; the largest unique block on page 1 is the title."""
    bold_body = body_is_bold(all_blocks)
    big: list[Block] = []
    bold: list[Block] = []
    for block in all_blocks:
        # Cheap tests first: this looks at every block of the document.
        if not block.lines or len(block.lines) > 3:
            continue
        size = block.size
        is_big = size >= body * 1.15
        if not is_big and (bold_body or len(block.lines) != 1 or not block.bold):
            continue
        text = block.text.rstrip()
        if text.endswith((",", ";")) or not _short(block) or not _wordy(text):
            continue
        if is_big:
            big.append(block)
        elif (
            block.kind == "paragraph"
            and size >= body * 0.95
            and len(text.split()) <= 12
            and not text.endswith(".")
        ):
            bold.append(block)
    if len(bold) * 2 > len(all_blocks):
        bold = []  # bold everywhere is a style, not structure
    bold = _without_runs(bold, all_blocks)
    title = _title(big, body, first_page)
    sizes = sorted({round(b.size) for b in big if b is not title}, reverse=True)
    for block in big:
        if block is title:
            block.kind, block.level = "title", None
            continue
        block.kind = "heading"
        block.level = min(sizes.index(round(block.size)) + 1, 6)
    for block in bold:
        block.kind = "heading"
        block.level = min(len(sizes) + 1, 6)
    return len(big) + len(bold)


def _without_runs(candidates: list[Block], all_blocks: list[Block]) -> list[Block]:
    """Drop bold lines that come three or more in a row: table rows or a bold list, not headings."""
    chosen = {id(b) for b in candidates}
    keep: list[Block] = []
    run: list[Block] = []
    for block in [*all_blocks, None]:
        if block is not None and id(block) in chosen:
            run.append(block)
            continue
        if 0 < len(run) < 3:
            keep.extend(run)
        run = []
    return keep


def _title(big: list[Block], body: float, first_page: int) -> Block | None:
    first = [b for b in big if b.page == first_page]
    if not first:
        return None
    top = max(first, key=lambda b: b.size)
    if top.size < body * 1.4:
        return None
    if sum(1 for b in big if round(b.size) >= round(top.size)) > 1:
        return None  # the same size is used again: a heading style, not the title
    return top


def mark_title(blocks: list[Block], title: str | None) -> bool:
    """Make the block on the first page whose text is the metadata title a `title` element."""
    want = _key(title or "")
    if len(want) < 3:
        return False
    for block in blocks:
        if block.lines and block.kind != "heading" and _key(block.text) == want:
            block.kind, block.level = "title", None
            return True
    return False
