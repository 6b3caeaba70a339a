"""Headings: from the outline (bookmarks) where there is one, otherwise from font size and weight.

Outline entries are matched to a block on their target page by text (ignoring numbering such as
"1.2"), then by position (the destination's top); an entry that matches nothing is inserted as a
heading of its own so `heading_path` still follows the author's structure.
"""

from __future__ import annotations

import re
from collections import Counter

from .heading_fonts import Style, style_of
from .heading_text import numbering
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
    weights: dict[float, int] = {}
    get = weights.get
    for block in blocks:
        if block.lines:
            size = block.size_memo  # the memo read directly: this runs over every block
            if size is None:
                size = block.size
            weights[size] = get(size, 0) + len(block.text)
    return max(weights, key=weights.__getitem__) if weights else 10.0


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
    keys: dict[int, str] = {}  # id(block) -> normalised text of a short block, else ""
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
                # Found by position only: bookmarks that do not read as the page's headings
                # may not nest as they do either; a section number on the page says the depth.
                numbered = numbering(match.text)
                if numbered is not None:
                    match.level = min(numbered[0], 6)
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
        if id(b) in claimed or not b.lines or b.kind == "table":
            continue
        key = keys.get(id(b))
        if key is None:
            # Computed once per block ("" for a block too long to be a heading): a page's
            # blocks are compared with each of its bookmarks.
            key = keys[id(b)] = _key(b.text) if _short(b) else ""
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
        if id(block) in claimed or not block.lines or block.kind == "table" or len(block.lines) > 2:
            continue
        if not _short(block):
            continue
        if not (block.size >= body * 1.1 or block.bold):
            continue
        distance = entry.top - block.top
        if -block.size <= distance <= 3 * block.size and (
            best is None or abs(distance) < abs(entry.top - best.top)
        ):
            best = block
    return best


def apply_tags(blocks: list[Block]) -> int:
    """Headings and the title from a tagged PDF's structure roles; returns headings made."""
    made = 0
    for block in blocks:
        tag = block.lines[0].tag if block.lines else None
        if tag is None:
            continue
        if tag == "Title":
            block.kind, block.level = "title", None
        else:
            block.kind = "heading"
            block.level = int(tag[1]) if len(tag) == 2 else 1
            made += 1
    return made


def styles_from_outline(blocks: list[Block]) -> dict[Style, int]:
    """The styles of headings the outline matched, with their most common level."""
    votes: dict[Style, Counter[int]] = {}
    for block in blocks:
        if block.kind == "heading" and block.lines and block.level:
            votes.setdefault(style_of(block), Counter())[block.level] += 1
    return {style: counter.most_common(1)[0][0] for style, counter in votes.items()}


def mark_title(blocks: list[Block], title: str | None) -> bool:
    """Make the block on the first page that reads as the metadata title a `title` element:
    the same text, or a short block holding it ("A Primer on" + "Topology" as the title)."""
    want = _key(title or "")
    if len(want) < 3:
        return False
    for block in blocks:
        if not block.lines or block.kind not in ("paragraph", "heading") or len(block.lines) > 4:
            continue
        have = _key(block.text)
        if have == want or (want in have and len(want) * 2 >= len(have)):
            block.kind, block.level = "title", None
            return True
    return False
