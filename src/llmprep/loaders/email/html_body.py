"""HTML email bodies into elements: the HTML loader in `full` mode, or a small fallback."""

from __future__ import annotations

import re

from ...flags import make_flag
from ...models import Element, Flag

_BLOCKS = (
    "p",
    "div",
    "li",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "dd",
    "dt",
    "hr",
    "center",
    "address",
)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)


def html_elements(html: str) -> tuple[list[Element], list[Flag]]:
    """Elements of an HTML body (already decoded to text); quotes marked by the caller.

    Text after `</html>` is still shown by mail clients (HTML parsing moves it into the body),
    while document-oriented extractors drop it; it is read separately and appended.
    """
    ends = list(_HTML_END.finditer(html))
    if ends and html[ends[-1].end() :].strip():
        cut = ends[-1].end()
        elements, flags = _document_elements(html[:cut])
        return elements + fallback_html_elements(html[cut:]), flags
    return _document_elements(html)


def _document_elements(html: str) -> tuple[list[Element], list[Flag]]:
    try:
        from ..html.loader import extract_html
    except ImportError:  # the HTML loader is optional for email: fall back to plain extraction
        return fallback_html_elements(html), [make_flag("email_html_fallback")]
    # Handed over as text: the body was already decoded through the email charset chain, so a
    # stale <meta charset> inside the HTML cannot re-decode it wrongly.
    try:
        result = extract_html(html, mode="full")
    except Exception:  # a body the HTML loader rejects still has text worth keeping
        return fallback_html_elements(html), [make_flag("email_html_fallback")]
    return list(result.elements), list(getattr(result, "flags", []) or [])


def fallback_html_elements(html: str) -> list[Element]:
    """One paragraph per block of text; `<blockquote>` content becomes quote elements."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "head", "title", "noscript", "template"]):
        tag.decompose()
    for quote in soup.find_all("blockquote"):
        if quote.find_parent("blockquote") is None:
            quote.insert_before(NavigableString("\n\x02"))
            quote.insert_after(NavigableString("\x03\n"))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(NavigableString("\n"))
        tag.insert_after(NavigableString("\n"))
    text = soup.get_text("")
    out: list[Element] = []
    depth = 0
    for segment in re.split(r"([\x02\x03])", text):
        if segment == "\x02":
            depth += 1
            continue
        if segment == "\x03":
            depth = max(0, depth - 1)
            continue
        for line in segment.split("\n"):
            line = _WS.sub(" ", line).strip()
            if line:
                out.append(Element(type="quote" if depth else "paragraph", text=line))
    return out
