"""Main-content extraction: trafilatura, then llmprep's recall and precision passes.

1. Furniture is marked before trafilatura sees the page and pruned from its copy: by class
   names (`boilerplate.py`) and by what it says and holds (`furniture.py`).
2. trafilatura finds the main content (comments excluded) and returns it as XML blocks.
3. Recall: when the page's schema.org `articleBody` is much longer than what was found, the
   publisher's own article text is used; a lead/standfirst between the title and the first kept
   block is recovered.
4. Precision: blocks (or lines of a block) that are only a date, a copyright or picture-credit
   line, or a "read more" teaser link are dropped.
5. Structure: tables are read again as grids from the page (`use_page_tables`), and a result
   trafilatura's prose-only fallbacks flattened is realigned with the page's blocks
   (`realign.py`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...models import Element
from .blocks import INVISIBLE_CHARS
from .boilerplate import MARK as BOILERPLATE_MARK
from .filters import (
    is_copyright_line,
    is_credit_line,
    is_dateline,
    is_teaser_link,
    looks_like_teaser,
)
from .realign import realign
from .xml_body import body_elements

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement

# trafilatura imports courlan/tldextract, which fetch a suffix list unless told not to.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


# articleBody replaces the extraction when the extraction has less than half its text.
ARTICLE_BODY_SHORTFALL = 0.5
MIN_ARTICLE_BODY = 400


@dataclass
class MainResult:
    elements: list[Element]
    notes: list[str] = field(default_factory=list)  # which recall/precision passes changed things


def trafilatura_body(
    tree: HtmlElement, url: str | None, prune: list[str] | None = None
) -> object | None:
    """trafilatura's XML body for a parsed page, or None when it finds nothing."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        output_format="xml",
        with_metadata=False,
        prune_xpath=prune,
    )
    return None if doc is None else doc.body  # type: ignore[union-attr]


def article_bodies(tree: HtmlElement) -> list[str]:
    """schema.org `articleBody` texts the publisher embedded (read before scripts are removed)."""
    from .metadata import article_objects, json_ld_objects

    out = []
    for obj in article_objects(json_ld_objects(tree)):
        body = obj.get("articleBody")
        if isinstance(body, str) and body.strip():
            out.append(body)
    return out


def extract_main(
    tree: HtmlElement,
    url: str | None = None,
    *,
    article_bodies: list[str] | None = None,
    page_chars: int | None = None,
) -> MainResult:
    """Main-content elements of a page whose invisible parts were already removed."""
    from .boilerplate import PRUNE_XPATH, mark_boilerplate
    from .dom import visible_text_length
    from .furniture import mark_furniture

    notes: list[str] = []
    page_chars = page_chars or visible_text_length(tree)
    marked = mark_boilerplate(tree, page_chars) + mark_furniture(tree, page_chars)
    marked += [] if tree.find(f".//*[@{BOILERPLATE_MARK}]") is None else ["marked"]
    notes.extend(sorted(set(marked)))
    body = trafilatura_body(tree, url, [PRUNE_XPATH] if marked else None)
    elements = _filtered_elements(tree, body, notes) if body is not None else []
    elements = _prefer_article_body(elements, article_bodies or [], notes)
    if "article_body" not in notes:
        elements = recover_lead(tree, elements, notes)
    elements = use_page_tables(tree, elements, notes)
    elements = realign(tree, elements, notes)
    return MainResult(elements, notes)


def _cell_key(text: str) -> str:
    # Whitespace-free: trafilatura glues a cell's paragraphs, the page grid separates them.
    return "".join(text.split())


def page_table_grid(table: HtmlElement) -> Element | None:
    """A page `<table>` read as a data table (grid, spans, header rows), the tree untouched."""
    from copy import deepcopy

    from .blocks import dom_elements

    copy = deepcopy(table)
    copy.tail = None
    copy.set("data-llmprep-table", "1")  # read as data even where it looks like layout
    return next((e for e in dom_elements(copy) if e.type == "table"), None)


def _table_match(keys: list[str], grid: Element) -> tuple[float, float]:
    """(share of the kept cells found in the page table, share of the page table's text kept).

    Kept cells are looked for inside page cells: trafilatura splits a cell's paragraphs into
    cells of their own when the table sits in a list item."""
    page_keys = [_cell_key(c) for row in grid.metadata["rows"] for c in row if c.strip()]
    page_flat = "\x00".join(page_keys)
    found = [k for k in keys if k in page_flat]
    score = len(found) / len(keys)
    # Page cells holding some kept text, by count and by characters (both must be high).
    hit = [p for p in set(page_keys) if any(k in p for k in found)]
    by_count = len(hit) / len(set(page_keys)) if page_keys else 0.0
    page_chars = sum(len(k) for k in set(page_keys))
    by_chars = sum(len(k) for k in set(found)) / page_chars if page_chars else 0.0
    return score, min(by_count, by_chars, 1.0)


def use_page_tables(tree: HtmlElement, elements: list[Element], notes: list[str]) -> list[Element]:
    """Replace each table trafilatura kept with the page table it came from, read as a grid.

    trafilatura leaves the rows under a `rowspan` cell short (an empty placeholder where the
    spanned text belongs), glues a cell's paragraphs and drops cell text that looks like a
    share button ("Email", "Print"). The page table whose cells hold most of the kept table's
    cells, and most of whose cells were kept, is read again by llmprep's own table reader (spans repeated, cell lines kept).
    """
    kept = [el for el in elements if el.type == "table" and el.metadata.get("rows")]
    if not kept:
        return elements
    candidates: list[tuple[HtmlElement, str]] = [
        (t, _cell_key(t.text_content())) for t in tree.iter("table") if t.find(".//table") is None
    ]
    used: set[int] = set()
    for element in kept:
        keys = [_cell_key(c) for row in element.metadata["rows"] for c in row if c.strip()]
        if not keys:
            continue
        best: tuple[float, int, Element] | None = None
        for n, (table, flat) in enumerate(candidates):
            if n in used or not all(k in flat for k in keys[:3]):
                continue
            grid = page_table_grid(table)
            if grid is None:
                continue
            score, covered = _table_match(keys, grid)
            # Only the table trafilatura kept, not a larger one it took a few rows from.
            if score >= 0.5 and covered >= 0.8 and (best is None or score > best[0]):
                best = (score, n, grid)
                if score == 1.0:
                    break
        if best is not None:
            used.add(best[1])
            element.text = best[2].text
            element.metadata = best[2].metadata
            notes.append("page_table")
    return elements


def _collapsed(el: HtmlElement) -> str:
    return " ".join(INVISIBLE_CHARS.sub("", el.text_content()).split())


def element_holding(tree: HtmlElement, text: str) -> HtmlElement | None:
    """The smallest page element whose text contains the start of `text` (None if not found).

    Text nodes are searched for the probe's longest word first (cheap in C), then the match
    climbs to the element that holds the whole probe: no per-element string values.
    """
    words = text.split()[:8]
    probe = " ".join(words)[:60]
    key = max(words, key=len) if words else ""
    limit = 2 * len(" ".join(text.split())) + 200
    if len(key) < 3 or ('"' in key and "'" in key):
        return None
    for node in tree.xpath("//body//text()[contains(., $k)]", k=key):
        el = node.getparent()
        if el is None:
            continue
        if node.is_tail:
            el = el.getparent()
        for _ in range(8):
            if el is None or el.tag in ("body", "html"):
                break
            own = _collapsed(el)
            if len(own) > limit:
                break  # climbed past the block into a container that merely also holds the probe
            if probe in own:
                return el
            el = el.getparent()
    return None


def _dom_link_chars(tree: HtmlElement, text: str) -> int:
    """Linked characters of the page element that holds `text` (0 when it is not found)."""
    found = element_holding(tree, text)
    if found is None:
        return 0
    return sum(len(" ".join(a.text_content().split())) for a in found.iter("a"))


def _filtered_elements(tree: HtmlElement, body: _Element, notes: list[str]) -> list[Element]:
    """Blocks of trafilatura's body, minus datelines, copyright, credit and teaser lines."""
    kept: list[Element] = []
    for element, _ in body_elements(body):
        text = " ".join(element.text.split())
        if element.type in ("paragraph", "heading", "list_item"):
            furniture = _furniture_line(text)
            if furniture:
                notes.append(furniture)
                continue
            # Only lines shaped like "Label: Some headline" pay for the page lookup.
            if looks_like_teaser(text) and is_teaser_link(text, _dom_link_chars(tree, text)):
                notes.append("teaser")
                continue
            if element.type == "paragraph" and "\n" in element.text:
                # A caption's credit or a dateline can be one line of a longer block.
                lines = element.text.split("\n")
                kept_lines = [line for line in lines if not _furniture_line(line.strip())]
                if len(kept_lines) < len(lines):
                    notes.append("furniture_line")
                    element.text = "\n".join(kept_lines)
        kept.append(element)
    return _drop_dangling_label(kept, notes)


def _furniture_line(text: str) -> str | None:
    """What a line is when it is furniture whatever the site: a date, copyright or credit."""
    if is_dateline(text):
        return "dateline"
    if is_copyright_line(text):
        return "copyright"
    if is_credit_line(text):
        return "credit"
    return None


def _drop_dangling_label(elements: list[Element], notes: list[str]) -> list[Element]:
    """A short line ending in a colon as the very last block introduces something that was
    removed (typically "You may also like:" before a related-links box): drop it."""
    if elements and elements[-1].type == "paragraph":
        text = elements[-1].text.strip()
        if text.endswith(":") and len(text.split()) <= 8:
            notes.append("dangling_label")
            return elements[:-1]
    return elements


def _chars(elements: list[Element]) -> int:
    return sum(len(" ".join(el.text.split())) for el in elements)


def _prefer_article_body(
    elements: list[Element], bodies: list[str], notes: list[str]
) -> list[Element]:
    """Use the publisher's schema.org articleBody when the page itself yielded far less.

    Script-rendered pages ship their article as JSON and a skeleton as HTML; the JSON is then the
    only complete copy of the text.
    """
    if not bodies:
        return elements
    best = max(bodies, key=len)
    body_chars = len(" ".join(best.split()))
    if body_chars < MIN_ARTICLE_BODY or _chars(elements) >= body_chars * ARTICLE_BODY_SHORTFALL:
        return elements
    notes.append("article_body")
    paragraphs = [" ".join(p.split()) for p in best.replace("\r", "\n").split("\n")]
    return [Element(type="paragraph", text=p) for p in paragraphs if p]


# -- lead recovery ---------------------------------------------------------------------------

_LEAD_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "div", "span"})
_BLOCK_CHILDREN = (
    "boolean(./*[self::p or self::div or self::h2 or self::h3 or self::h4 or self::ul or self::ol "
    "or self::table or self::section or self::article or self::blockquote])"
)
# Parts of an article header that are not its text: bylines, dates, captions, sharing.
_LEAD_SKIP_ANCESTORS = frozenset({"figure", "figcaption", "nav", "aside", "footer", "form", "button",
                                  "ul", "ol", "table", "time", "address", "a", "label", "blockquote"})  # fmt: skip
_LEAD_SKIP_CLASS = re.compile(
    r"author|byline|date|time|meta|caption|credit|share|social|breadcrumb|tag|categor|comment|"
    r"newsletter|related|promo|advert|sponsor|copyright|source|photo|image|img|media|widget|nav|menu",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|de)\s+\w", re.IGNORECASE)
_CREDIT = re.compile(r"©|\(c\)|\bcopyright\b|\bfoto:|\bphoto:|\bbild:|\bimage:", re.IGNORECASE)
_DATE = re.compile(
    r"\b\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.?\s+[A-Za-zÄÖÜäöüéû]{3,}\.?\s+\d{4}\b"
    r"|\b[A-Za-z]{3,}\.?\s+\d{1,2},?\s+\d{4}\b"
)
MAX_LEADS = 3
MAX_LEAD_GAP = 50  # elements between the title and the first kept block


def _words(text: str) -> int:
    return len(text.split())


def _find_anchor(tree: HtmlElement, first_text: str) -> HtmlElement | None:
    """The element holding the start of the first extracted block."""
    return element_holding(tree, first_text)


def _own_text(el: HtmlElement) -> str:
    """Text directly inside `el` (not in child elements), collapsed."""
    return " ".join(" ".join([el.text or "", *(child.tail or "" for child in el)]).split())


def _lead_candidate(el: HtmlElement, title: str) -> str | None:
    if el.tag not in _LEAD_TAGS or (el.tag in ("div", "span") and el.xpath(_BLOCK_CHILDREN)):
        return None
    text = " ".join(el.text_content().split())
    if _words(text) < 6 or len(text) < 30 or len(text) > 1000:
        return None
    if el.tag in ("div", "span") and len(_own_text(el)) < len(text) / 2:
        return None  # a wrapper of smaller parts; the parts are judged on their own
    if (title and title in text) or _CREDIT.search(text):
        return None
    if _words(text) < 15 and (_DATE.search(text) or _BYLINE.match(text)):
        return None  # "By Jane Doe, published 1 May 2019"
    links = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    if links > len(text) * 0.5:
        return None
    for node in (el, *el.iterancestors()):
        if node.tag in _LEAD_SKIP_ANCESTORS or node.get(BOILERPLATE_MARK) is not None:
            return None
        if node.tag in ("article", "main", "body"):
            break
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if marks.strip() and _LEAD_SKIP_CLASS.search(marks):
            return None
    return text


def recover_lead(tree: HtmlElement, elements: list[Element], notes: list[str]) -> list[Element]:
    """Add the standfirst that sits between the page's `<h1>` and the first extracted block.

    Extractors often drop an article's lead because it lives in the article header with the
    title and byline; it is prose, and readers count it as part of the text.
    """
    if not elements:
        return elements
    anchor = _find_anchor(tree, elements[0].text)
    if anchor is None:
        return elements
    h1s = anchor.xpath("preceding::h1[1]")
    if not h1s:
        return elements
    # The lead sits close to the title: only the next few elements are considered, and only
    # when the first kept block is among them.
    following = h1s[0].xpath(f"following::*[position() <= {MAX_LEAD_GAP}]")
    if not any(el is anchor for el in following):
        return elements
    ancestors = set(anchor.iterancestors())
    title = " ".join(h1s[0].text_content().split())
    known = " ".join(" ".join(el.text.split()) for el in elements)
    leads: list[tuple[HtmlElement, str]] = []
    for el in following:
        if el is anchor or len(leads) >= MAX_LEADS:
            break
        if el in ancestors or any(el in set(lead.iterancestors()) for lead, _ in leads):
            continue
        text = _lead_candidate(el, title)
        if text and text not in known:
            leads.append((el, text))
    if not leads:
        return elements
    notes.append("lead")
    return [Element(type="paragraph", text=text) for _, text in leads] + elements


# -- very large pages ------------------------------------------------------------------------

# trafilatura takes about a millisecond per paragraph on long articles (more on some layouts),
# while ordinary pages stay fast even at tens of thousands of elements. Past either limit a page
# gets the linear structural extraction below (dev corpus pages: < 5,000 elements).
MAX_TRAFILATURA_ELEMENTS = 40_000
MAX_TRAFILATURA_PARAGRAPHS = 5_000
_FURNITURE_XPATH = (
    "//body//*[self::nav or self::header or self::footer or self::aside or self::form or "
    "@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary' or @role='search']"
)


def too_large_for_trafilatura(tree: HtmlElement) -> int | None:
    """The element count when a page is past the limits above, else None."""
    count = int(tree.xpath("count(//*)"))
    if (
        count > MAX_TRAFILATURA_ELEMENTS
        or int(tree.xpath("count(//p)")) > MAX_TRAFILATURA_PARAGRAPHS
    ):
        return count
    return None


def structural_main(tree: HtmlElement, page_chars: int) -> list[Element]:
    """Main content by page structure alone, in linear time: the page's `<main>`/`<article>` (when
    it holds most of the text) minus navigation, headers, footers, asides and marked furniture."""
    from copy import deepcopy

    from .blocks import dom_elements
    from .boilerplate import PRUNE_XPATH, mark_boilerplate
    from .dom import drop_keep_tail

    mark_boilerplate(tree, page_chars)
    root = tree
    for candidate in tree.xpath("//main | //article | //*[@role='main']"):
        if len(" ".join(candidate.text_content().split())) >= page_chars * 0.5:
            root = candidate
            break
    work = deepcopy(root)
    for el in work.xpath(f"{_FURNITURE_XPATH.replace('//body', '.')} | .{PRUNE_XPATH}"):
        drop_keep_tail(el)
    return dom_elements(work)
