"""Page furniture recognised by what it says and holds, whatever the site names its classes.

`boilerplate.py` reads class names; many sites name nothing (utility-class CSS, BEM names in
any language, table layouts). These passes mark the same furniture by content, with the same
`MARK` attribute, so trafilatura's copy of the tree is pruned of it:

- consent banners: a small block that speaks of cookies and holds a button;
- sign-up boxes: the small block around an e-mail input (run before form controls are removed);
- sections under a furniture heading: comments, related or recommended reading, the author
  box, newsletter and follow-us boxes, tag lists (headings in the common languages of the web);
- reader comments: a block ending in a "Reply" link, when such blocks are a minor part of the
  page (on a forum they are the page, and stay);
- bylines: a short block holding a `<time>`;
- tag lines: "Tags: a, b, c" where the words after the label are links;
- page footers: the link-heavy block around the copyright line.

Every mark is capped by size: a block holding much of the page's text is content, not furniture.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .boilerplate import MARK

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
MAX_SHARE = 0.25  # of the page's text, for any one marked block
MAX_COMMENTS_SHARE = 0.4  # all reply-ended blocks together, else the page is a forum thread

_COMMENTS = (
    r"(?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|replies|reactions|discussion|"
    r"kommentare?|leserkommentare|diskussion|reaktionen|commentaires?|comentarios?|commenti|"
    r"reacties|komentarze|kommentarer)(?:\s*\(\d+\))?"
    r"|(?:leave|post|write|add)\s+a\s+(?:comment|reply)|schreibe?\s+einen\s+kommentar"
    r"|kommentar\s+schreiben|laisser\s+un\s+commentaire|deja\s+un\s+comentario"
    r"|#?\d*\s*(?:comment|kommentar|commentaire|comentario)\w*\s+(?:by|von|de|di|door)\s.+"
)
_RELATED = (
    r"related(?:\s+\w+)?|more\s+(?:stories|articles|news|posts|from|on|about|like\s+this)\b.*"
    r"|you\s+(?:may|might|could)\s+also\s+(?:like|enjoy|be\s+interested\s+in)"
    r"|recommended(?:\s+for\s+you)?|read\s+(?:also|next|more)|also\s+read|see\s+also"
    r"|(?:most\s+)?(?:popular|most\s+read|trending)(?:\s+\w+)?|top\s+stories"
    r"|auch\s+interessant|lesen\s+sie\s+auch|mehr\s+zum\s+thema|weitere\s+(?:artikel|beiträge|themen)"
    r"|ähnliche\s+(?:artikel|beiträge)|das\s+könnte\s+(?:sie|dich)\s+auch\s+interessieren"
    r"|meistgelesen|beliebte?\s+(?:artikel|beiträge)|à\s+lire\s+aussi|lire\s+aussi|voir\s+aussi"
    r"|sur\s+le\s+même\s+sujet|artículos\s+relacionados|te\s+puede\s+interesar|leggi\s+anche"
    r"|(?:customers|people)\s+(?:also|who)\s+\w+.*|frequently\s+bought\s+together"
    r"|kunden\s+(?:kauften|kaufen)\s+auch|(?:wird\s+)?oft\s+zusammen\s+gekauft"
)
_AUTHOR = (
    r"about\s+(?:the\s+)?author|about\s+me|the\s+author|written\s+by|über\s+(?:den\s+autor|die\s+autorin)"
    r"|zur\s+person|zum\s+autor|à\s+propos\s+de\s+l.auteur|sobre\s+el\s+autor|l.autore"
)
_SUBSCRIBE = (
    r".*\bnewsletter\b.*|subscribe(?:\s+\w+){0,4}|sign\s+up(?:\s+\w+){0,4}|stay\s+(?:informed|updated|in\s+touch)"
    r"|follow\s+us(?:\s+\w+){0,2}|folgen\s+sie\s+uns|abonnieren|share\s+(?:this|the)\s+\w+"
    r"|diesen\s+artikel\s+teilen|partager\s+cet\s+article"
)
_TAGS = (
    r"tags|topics|keywords|filed\s+under|categories|kategorien|schlagworte|schlagwörter"
    r"|stichwörter|themen|labels|mots-clés|étiquettes|etiquetas|argomenti"
)
_FURNITURE_HEADING = re.compile(
    rf"^(?:{_RELATED}|{_AUTHOR}|{_SUBSCRIBE}|{_TAGS})\s*:?$", re.IGNORECASE
)
_COMMENTS_HEADING = re.compile(rf"^(?:{_COMMENTS})\s*:?$", re.IGNORECASE)
_TAG_LINE = re.compile(rf"^\s*(?:{_TAGS})\s*:", re.IGNORECASE)
_REPLY = re.compile(
    r"^(?:reply|respond|antworten|beantworten|kommentieren|répondre|responder|rispondi|reageer)$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.IGNORECASE)


def _text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _links(el: HtmlElement) -> int:
    return sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))


def _marked(el: HtmlElement) -> bool:
    return any(node.get(MARK) is not None for node in (el, *el.iterancestors()))


def _mark(el: HtmlElement, concept: str, found: list[str]) -> None:
    if el.tag in ("html", "body", "main", "article") or _marked(el):
        return
    if el.find(".//h1") is not None:
        return  # the block with the page's title is the content
    el.set(MARK, concept)
    found.append(concept)


def _climb(el: HtmlElement, limit: float, levels: int = 4) -> list[HtmlElement]:
    """`el` and its ancestors, innermost first, while their text stays under `limit`."""
    out: list[HtmlElement] = []
    node: HtmlElement | None = el
    for _ in range(levels + 1):
        if node is None or node.tag in ("body", "html") or len(_text(node)) > limit:
            break
        out.append(node)
        node = node.getparent()
    return out


def mark_signup_forms(tree: HtmlElement, page_chars: int) -> list[str]:
    """The box around an e-mail field (newsletter, sign-up). Needs the form controls, so it runs
    before `remove_invisible`."""
    found: list[str] = []
    fields = tree.xpath(
        "//body//input[@type='email' or contains(@name, 'mail') or contains(@placeholder, '@')]"
    )
    for field in fields:
        chain = _climb(field, page_chars * MAX_SHARE)
        # The smallest block that says something next to the form (a heading or a pitch).
        box = next((el for el in chain if len(_text(el)) >= 30), None)
        if box is not None and box.xpath("boolean(.//form | self::form)"):
            _mark(box, "signup", found)
    return found


def mark_furniture(tree: HtmlElement, page_chars: int) -> list[str]:
    """Mark the furniture described in the module docstring; returns the concepts found."""
    found: list[str] = []
    limit = page_chars * MAX_SHARE
    # One scan of the text nodes for the three passes that start from words.
    # (A tag label is a short text node of its own: "Tags:" before the links.)
    nodes = tree.xpath(
        "//body//text()[contains(., 'ookie') or contains(., 'OOKIE') or (contains(., ':') "
        "and string-length(.) < 40) or contains(., '©') or contains(., 'opyright') "
        "or contains(., 'OPYRIGHT')]"
    )
    _consent([n for n in nodes if "ookie" in n or "OOKIE" in n], limit, found)
    _furniture_sections(tree, limit, found)
    _comments(tree, page_chars, found)
    _bylines(tree, found)
    _tag_lines([n for n in nodes if ":" in n], limit, found)
    _footer([n for n in nodes if _COPYRIGHT.search(n)], page_chars, found)
    return found


def _consent(nodes: list[Any], limit: float, found: list[str]) -> None:
    for node in nodes:
        parent = node.getparent()
        if parent is None:
            continue
        for el in _climb(parent, min(limit, 800)):
            if el.find(".//button") is not None or el.get("role") in ("dialog", "alertdialog"):
                _mark(el, "consent", found)
                break


def _heading_like(tree: HtmlElement) -> list[HtmlElement]:
    """Headings, and short paragraphs that are only bold text (a heading styled by hand)."""
    return tree.xpath(
        "//body//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
        " | //body//p[(strong or b) and count(*) = 1 and not(normalize-space(text()))]"
    )


def _furniture_sections(tree: HtmlElement, limit: float, found: list[str]) -> None:
    for heading in _heading_like(tree):
        text = _text(heading)
        if not text or len(text) > 80:
            continue
        comments = bool(_COMMENTS_HEADING.match(text))
        if not comments and not _FURNITURE_HEADING.match(text):
            continue
        box = _section_box(heading, limit)
        if box is not None:
            _mark(box, "furniture_section", found)
            continue
        # The heading sits among the article's blocks. Comments run to the next heading; other
        # furniture is the run of link blocks right after it ("Read also:" and its links).
        _mark(heading, "furniture_section", found)
        level = heading.tag if heading.tag in _HEADINGS else "h6"
        for sibling in heading.itersiblings():
            if sibling.tag in _HEADINGS and sibling.tag <= level:
                break
            size = len(_text(sibling))
            if size > limit or (not comments and _links(sibling) < size * 0.5):
                break
            _mark(sibling, "furniture_section", found)


def _section_box(heading: HtmlElement, limit: float) -> HtmlElement | None:
    """The small block the heading opens (it is the block's first text), if any."""
    for el in _climb(heading, limit, levels=3)[1:]:
        first = next((t for t in el.itertext() if t.strip()), "")
        if not _text(heading).startswith(" ".join(first.split())[:20]):
            return None
        if len(el) > 1:
            return el
    return None


def _comments(tree: HtmlElement, page_chars: int, found: list[str]) -> None:
    units: list[HtmlElement] = []
    # Reply words are short: the length test runs in C on every link of the page.
    links = tree.xpath("//body//*[self::a or self::button][string-length(normalize-space(.)) < 16]")
    for link in links:
        if not _REPLY.match(_text(link)):
            continue
        unit = next((el for el in _climb(link, 1500, levels=3)[1:] if len(_text(el)) >= 40), None)
        if unit is not None:
            units.append(unit)
    total = sum(len(_text(u)) for u in units)
    if not units or total > page_chars * MAX_COMMENTS_SHARE:
        return  # nothing, or the page is a thread of posts: they are its content
    for unit in units:
        _mark(unit, "comment", found)


def _bylines(tree: HtmlElement, found: list[str]) -> None:
    for time in tree.xpath("//body//time"):
        for el in _climb(time, 200, levels=3):
            if el.tag in ("p", "div", "span", "header", "section") and len(_text(el).split()) <= 15:
                block = el
                parent = el.getparent()
                # Climb while the parent holds nothing else (a byline wrapped in spans).
                while parent is not None and _text(parent) == _text(block):
                    block, parent = parent, parent.getparent()
                _mark(block, "byline", found)
                break


def _tag_lines(nodes: list[Any], limit: float, found: list[str]) -> None:
    # From the label's text node up to the block that holds the label and its links.
    for node in nodes:
        if len(node) > 40 or not _TAG_LINE.match(node) or node.getparent() is None:
            continue
        for el in _climb(node.getparent(), min(limit, 400), levels=2):
            text = _text(el)
            rest = len(text.partition(":")[2].strip())
            if _TAG_LINE.match(text) and rest and _links(el) >= rest * 0.6:
                _mark(el, "tags", found)
                break


def _footer(nodes: list[Any], page_chars: int, found: list[str]) -> None:
    for node in nodes:
        parent = node.getparent()
        if parent is None:
            continue
        chain = _climb(parent, page_chars * 0.2, levels=5)
        footer = None
        for el in chain[1:]:
            text = len(_text(el))
            if text and _links(el) >= text * 0.3 and len(el.findall(".//a")) >= 4:
                footer = el
        if footer is not None:
            _mark(footer, "footer", found)
