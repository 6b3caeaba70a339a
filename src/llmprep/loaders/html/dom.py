"""Parsing HTML safely and removing what a reader never sees (scripts, styles, hidden parts).

libxml2 stops parsing at 2,048 levels of nesting (and drops everything after), so pages nested
that deep are flattened as text before parsing; pages nested deeper than Python can recurse
through are flattened as a tree. Everything here is iterative or runs inside lxml's C code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Characters XML forbids (lxml refuses strings holding them): C0 controls but tab/LF/CR.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)

# Containers whose tags carry no meaning for the text; stripping them keeps every word. Block
# containers turn into paragraph breaks (the parser closes an open <p> at each new one).
_NEUTRAL_BLOCKS = (
    "div", "section", "article", "main", "center", "header", "footer", "aside", "nav", "form",
    "fieldset", "figure", "details", "summary",
)  # fmt: skip
_NEUTRAL_INLINE = (
    "span", "font", "small", "big", "b", "i", "u", "em", "strong", "a", "abbr", "cite", "label",
    "mark", "s", "sub", "sup", "ins", "del", "q",
)  # fmt: skip
_NEUTRAL = _NEUTRAL_BLOCKS + _NEUTRAL_INLINE
_NEUTRAL_BLOCK_RE = re.compile(r"</?(?:" + "|".join(_NEUTRAL_BLOCKS) + r")\b[^>]*>", re.IGNORECASE)
_NEUTRAL_INLINE_RE = re.compile(r"</?(?:" + "|".join(_NEUTRAL_INLINE) + r")\b[^>]*>", re.IGNORECASE)
_BLOCKISH_TAG_RE = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|tr|table|blockquote|pre|section|article|br|hr)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG_RE = re.compile(r"<[^>]*>")

# Deeper than this, trafilatura's recursive tree walks (and ours, if any) risk RecursionError.
SAFE_DEPTH = 250

# Elements a reader never sees as text.
INVISIBLE_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "canvas", "select", "option", "optgroup", "datalist", "textarea", "input", "link", "meta",
    "head", "title", "base", "map", "audio", "video", "source", "track", "param", "dialog",
)  # fmt: skip

_RESPONSIVE_SHOW = re.compile(
    r"^(?:d-(?:sm|md|lg|xl|xxl)-|(?:sm|md|lg|xl|2xl):)(?:block|flex|inline|inline-block|inline-flex|grid|table)$"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Class names that mean "not displayed" in every common CSS framework.
HIDDEN_CLASSES = frozenset({"hidden", "d-none", "hide", "is-hidden", "visually-hidden", "sr-only",
                            "screen-reader-text", "screenreader-text", "element-invisible",
                            "u-hidden", "visuallyhidden", "invisible"})  # fmt: skip


@dataclass
class ParsedHtml:
    tree: HtmlElement
    flattened: bool  # nesting was too deep: containers were stripped to keep the text


def _too_deep(parser: object) -> bool:
    log = getattr(parser, "error_log", [])
    return any("depth" in (entry.message or "").lower() for entry in log)


def _parse(text: str, *, huge: bool = True) -> tuple[HtmlElement | None, bool]:
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        huge_tree=huge,
        remove_comments=True,
        remove_pis=True,
        default_doctype=False,
    )
    data = text.encode("utf-8", "replace")
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, _too_deep(parser)
    return tree, _too_deep(parser)


def _empty() -> HtmlElement:
    import lxml.html

    return lxml.html.document_fromstring("<html><body></body></html>")


def parse_html(text: str) -> ParsedHtml:
    """Parse a page into an lxml tree; never raises, never loses text to nesting limits."""
    text = _XML_DECL.sub("", _BAD_CHARS.sub("", text), count=1)
    if not text.strip():
        return ParsedHtml(_empty(), False)
    tree, too_deep = _parse(text)
    flattened = False
    if too_deep:
        # Neutral containers are what real pathological pages nest; drop them as text first.
        flattened = True
        text = _NEUTRAL_BLOCK_RE.sub("<p>", _NEUTRAL_INLINE_RE.sub(" ", text))
        tree, too_deep = _parse(text)
        if too_deep:
            # Still too deep (nested lists, quotes, tables): keep the words, lose the markup.
            plain = unescape(_ANY_TAG_RE.sub(" ", _BLOCKISH_TAG_RE.sub("\n", text)))
            lines = (" ".join(line.split()) for line in plain.split("\n"))
            paras = "".join(f"<p>{_escape(line)}</p>" for line in lines if line)
            tree, _ = _parse(f"<html><body>{paras}</body></html>")
    if tree is None:
        return ParsedHtml(_empty(), flattened)
    if tree.find("body") is None and tree.tag != "html":
        # A fragment: lxml returns the single element; wrap it so every page has <html><body>.
        import lxml.html

        html = lxml.html.Element("html")
        body = lxml.html.Element("body")
        html.append(body)
        body.append(tree)
        tree = html
    return ParsedHtml(tree, flattened)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def too_deep(tree: HtmlElement, limit: int = SAFE_DEPTH) -> bool:
    """True when some element sits `limit` or more levels deep (checked in C by XPath)."""
    return bool(tree.xpath(f"boolean(//*[count(ancestor::*) >= {int(limit)}])"))


def flatten_tree(tree: HtmlElement) -> None:
    """Strip neutral containers in place (C code, no recursion) so the tree is shallow enough."""
    from lxml import etree

    etree.strip_tags(tree, *_NEUTRAL)


def is_hidden(el: HtmlElement) -> bool:
    """True for elements the page hides from readers (attribute, inline style or CSS class)."""
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    style = get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    cls = get("class")
    if cls:
        tokens = cls.lower().split()
        # "d-none d-md-block" (Bootstrap) and "hidden md:block" (Tailwind) show on desktop.
        if not HIDDEN_CLASSES.isdisjoint(tokens) and not any(
            _RESPONSIVE_SHOW.match(t) for t in tokens
        ):
            return True
    return get("type") == "hidden"


def _hidden_xpath() -> str:
    # Substring tests on the attribute nodes are the cheapest filter libxml2 offers; `is_hidden`
    # then checks whole class tokens on the few candidates.
    stems = ("hid", "sr-only", "invisible", "d-none", "screen")
    classes = " or ".join(f'contains(., "{stem}")' for stem in stems)
    return (
        '//body//*[@hidden or @aria-hidden="true" or @type="hidden" '
        f'or @style[contains(., "none") or contains(., "hidden")] or @class[{classes}]]'
    )


_HIDDEN_XPATH: object | None = None


def remove_invisible(tree: HtmlElement, *, hidden: bool = True) -> None:
    """Drop scripts, styles, form controls and (optionally) hidden elements, keeping tails."""
    from lxml import etree

    global _HIDDEN_XPATH
    etree.strip_elements(tree, *INVISIBLE_TAGS, with_tail=False)
    if not hidden:
        return
    if _HIDDEN_XPATH is None:
        _HIDDEN_XPATH = etree.XPath(_hidden_xpath())
    # XPath narrows the candidates in C; the exact test (case, style syntax) runs on few nodes.
    for el in _HIDDEN_XPATH(tree):  # type: ignore[operator]
        if is_hidden(el):
            drop_keep_tail(el)


def visible_text_length(tree: HtmlElement) -> int:
    """Characters of visible text (whitespace collapsed) in a cleaned tree."""
    body = tree.find("body")
    node = body if body is not None else tree
    return len(" ".join(node.text_content().split()))


def drop_keep_tail(el: HtmlElement) -> None:
    """Remove an element and its content, but not the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
