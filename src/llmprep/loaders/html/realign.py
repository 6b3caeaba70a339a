"""trafilatura's main content read back against the page's own blocks.

When trafilatura's own extractor fails on a page it falls back to readability or a baseline that
keep only prose: headings come back as paragraphs or not at all, lists and their items are lost
between the paragraphs it kept. The page's blocks (llmprep's own walk, furniture removed) are
aligned in order with the kept text; then

- a kept paragraph that is exactly one of the page's headings or list items takes that block's
  type and level (structure restored);
- headings, list items, tables and code blocks the page has *between* two kept blocks, outside
  navigation, asides, footers, forms and marked furniture, are put back where they stand
  (structure filled in). Only such structural blocks are filled: a paragraph trafilatura left
  out between two kept ones is usually a caption, a credit or a teaser. Lists and tables that
  are mostly links (related articles, tag clouds, menus) are furniture too, and so is a heading
  whose section is furniture (it stands right before some).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from copy import deepcopy
from itertools import pairwise
from typing import TYPE_CHECKING

from ...models import Element

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Blocks worth filling in: the structure prose-only fallbacks drop.
_FILLED = frozenset({"heading", "list_item", "table", "code"})
# Short blocks are only matched right where the previous match ended: "Share" or "Tags" occur
# anywhere in a long text by chance.
_SHORT = 40
_NEAR = 60
# A gap longer than this is a region trafilatura left out on purpose, not dropped structure.
MAX_GAP = 12
_NUMBER = re.compile(r"^\d+\.")
FURNITURE_XPATH = (
    ".//*[self::nav or self::header or self::footer or self::aside or self::form or "
    "@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary' "
    "or @role='search' or @data-llmprep-boilerplate]"
)
# Lists and tables of links, linked headings (teasers: the heading of another page), and
# innermost paragraphs and divs that are runs of links.
_LINK_LISTS = (
    ".//*[self::ul or self::ol or self::dl or self::table or self::menu or self::h1 or self::h2 "
    "or self::h3 or self::h4 or self::h5 or self::h6 or ((self::p or self::div) and "
    "not(.//*[self::p or self::div or self::ul or self::ol or self::table or self::section]))]"
)
MIN_FOLLOWING = 60
LINK_SHARE = 0.6
# Stands where furniture was removed, so a heading right before it is known to head furniture.
# A private-use character: never in page text, and kept by the block walk.
PLACEHOLDER = "\ue000"


def squeeze(element: Element) -> str:
    """Text without whitespace, cell separators or list numbers: the same words however cut."""
    text = element.text
    if element.type == "list_item":
        text = _NUMBER.sub("", text.lstrip(), count=1)
    return "".join(text.replace(" | ", "").replace(" / ", "").split())


def page_blocks(tree: HtmlElement) -> list[Element]:
    """The page's blocks outside navigation, headers, footers, asides, forms and furniture."""
    from .blocks import dom_elements

    body = tree.find("body")
    work = deepcopy(body if body is not None else tree)
    for el in work.xpath(FURNITURE_XPATH):
        _replace_with_placeholder(el)
    for el in work.xpath(_LINK_LISTS):
        if el.getparent() is not None and (_link_share(el) >= LINK_SHARE or _teasers(el)):
            _replace_with_placeholder(el)
    return dom_elements(work)


def _link_share(el: HtmlElement) -> float:
    text = len("".join(el.text_content().split()))
    links = sum(len("".join(a.text_content().split())) for a in el.iter("a"))
    return links / text if text else 1.0


def _teasers(el: HtmlElement) -> bool:
    """A list whose items mostly open with a link: headlines of other pages, each with a blurb."""
    if el.tag not in ("ul", "ol"):
        return False
    items = el.findall("li")
    opening = sum(1 for li in items if not (li.text or "").strip() and _opens_with_link(li))
    return len(items) >= 2 and opening * 3 >= len(items) * 2


def _opens_with_link(li: HtmlElement) -> bool:
    first = next(iter(li), None)
    while first is not None and first.tag != "a" and not (first.text or "").strip():
        first = next(iter(first), None)  # through wrappers: <li><div><a>
    return first is not None and first.tag == "a"


def _replace_with_placeholder(el: HtmlElement) -> None:
    import lxml.html

    parent = el.getparent()
    if parent is None:
        return
    mark = lxml.html.Element("p")
    mark.text = PLACEHOLDER
    mark.tail = el.tail
    parent.replace(el, mark)


def _heads_content(rest: list[Element]) -> bool:
    """A heading is filled in only before content: not before furniture, not before a
    few-word line trafilatura kept (a menu entry). `rest` is what follows it in the gap, then
    the kept block that closes the gap; short lines left out (a credit) are looked past."""
    for n, following in enumerate(rest):
        if following.text == PLACEHOLDER:
            return False
        short = following.type == "paragraph" and len(squeeze(following)) < MIN_FOLLOWING
        if short and n < len(rest) - 1:
            continue
        return not short
    return False


def _align(blocks: list[str], kept: str) -> list[int | None]:
    """Where each page block starts in the kept text (None when it is not there), in order."""
    cursor = 0
    out: list[int | None] = []
    for text in blocks:
        if not text:
            out.append(None)
            continue
        pos = kept.find(text, cursor)
        if pos < 0 or (len(text) < _SHORT and pos - cursor > _NEAR):
            out.append(None)
            continue
        out.append(pos)
        cursor = pos + len(text)
    return out


_PAGE_STRUCTURE = (
    "boolean(//body//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::li "
    "or self::table or self::pre])"
)


def flattened(tree: HtmlElement, elements: list[Element]) -> bool:
    """trafilatura kept no heading and no list item (its fallbacks' sign) from a page that has
    structure."""
    if len(elements) < 2 or any(el.type in ("heading", "list_item") for el in elements):
        return False
    return bool(tree.xpath(_PAGE_STRUCTURE))


def realign(tree: HtmlElement, elements: list[Element], notes: list[str]) -> list[Element]:
    """trafilatura's elements with flattened structure restored and dropped structure filled
    (only when its result is flat: the page's blocks cost a second walk)."""
    if not flattened(tree, elements):
        return elements
    keys = [squeeze(el) for el in elements]
    starts: list[int] = []
    total = 0
    for key in keys:
        starts.append(total)
        total += len(key)
    kept = "".join(keys)
    blocks = page_blocks(tree)
    positions = _align([squeeze(b) for b in blocks], kept)
    out = list(elements)
    by_key = {key: n for n, key in enumerate(keys)}
    inserts: dict[int, list[Element]] = {}
    found = [n for n, pos in enumerate(positions) if pos is not None]
    for block, pos in zip(blocks, positions, strict=True):
        if pos is None or block.type not in ("heading", "list_item"):
            continue
        n = by_key.get(squeeze(block))
        if n is not None and out[n].type == "paragraph":
            out[n] = block  # the same words; the page says what they are
            notes.append("restructured")
    for left, right in pairwise(found):
        gap = blocks[left + 1 : right]
        if not gap or len(gap) > MAX_GAP:
            continue
        closed = [*gap, blocks[right]]
        filled = [
            b
            for n, b in enumerate(gap)
            if b.type in _FILLED
            and PLACEHOLDER not in b.text
            and (b.type != "heading" or _heads_content(closed[n + 1 :]))
        ]
        left_pos, right_pos = positions[left], positions[right]
        if not filled or left_pos is None or right_pos is None:
            continue
        after = bisect_right(starts, left_pos) - 1  # the element holding the left block
        if bisect_right(starts, right_pos) - 1 == after:
            continue  # one element holds both sides: there is no place between them
        inserts.setdefault(after, []).extend(filled)
        notes.append("structure_filled")
    if not inserts:
        return out
    merged: list[Element] = []
    for n, element in enumerate(out):
        merged.append(element)
        merged.extend(inserts.get(n, []))
    return merged
