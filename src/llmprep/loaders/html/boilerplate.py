"""Page furniture that extractors let through: newsletter boxes, author bios, related links.

Sites name these blocks after what they are (`newsletter-signup`, `author-box`, `related-posts`),
in any language the page is written in. Marked blocks are pruned from trafilatura's copy of the
tree so its fallbacks cannot bring them back; the page's own tree is left whole for `full` mode.
A block is only marked when it is small next to the page: a class that names the whole article
(`single-author`, `post author-jane`) must never take the article with it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MARK = "data-llmprep-boilerplate"
PRUNE_XPATH = f"//*[@{MARK}]"

_S = r"[-_]*"  # "author-box", "author_box", "authorBox", "AuthorBox", "author__box"
CONCEPTS: dict[str, str] = {
    "newsletter": rf"newsletter|mc{_S}embed{_S}signup|sign{_S}up{_S}(?:form|box)|subscri(?:be|ption){_S}(?:form|box)",
    "author_bio": (
        rf"author{_S}(?:box|bio|info|intro|description|card|profile|about|details)|about{_S}(?:the{_S})?author"
        r"|(?:^|[\s_-])bio(?:$|[\s_-])"
    ),
    "related": (
        rf"related|recommend|read{_S}more|more{_S}(?:about|stories|articles|news|from)|next{_S}(?:post|story|article)"
        rf"|also{_S}(?:read|like)|you{_S}may|outbrain|taboola"
    ),
}
_PATTERN = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in CONCEPTS.items()))
# Substrings every concept needs: one scan for them is far cheaper than the full pattern.
_STEMS = ("newsletter", "embed", "sign", "subscri", "author", "bio", "related", "recommend", "read",
          "more", "next", "also", "you", "outbrain", "taboola")  # fmt: skip
_STEM = re.compile("|".join(_STEMS))

# A marked block holding more than this share of the page's text is the content, not furniture.
MAX_SHARE = 0.25
_NEVER = frozenset({"html", "body", "main", "h1"})


def _text_length(el: HtmlElement) -> int:
    return len(" ".join(el.text_content().split()))


def mark_boilerplate(tree: HtmlElement, page_chars: int) -> list[str]:
    """Mark furniture blocks with `MARK`; returns the concepts found (for notes)."""
    found: list[str] = []
    limit = page_chars * MAX_SHARE
    search = _PATTERN.search
    has_stem = _STEM.search
    for el in tree.xpath("//body//*[@class or @id]"):
        marks = f"{el.get('class', '')} {el.get('id', '')}".lower()
        if has_stem(marks) is None:
            continue
        match = search(marks)
        if match is None or el.tag in _NEVER:
            continue
        if el.find(".//h1") is not None or _text_length(el) > limit:
            continue
        if any(parent.get(MARK) is not None for parent in el.iterancestors()):
            continue
        concept = match.lastgroup or "boilerplate"
        el.set(MARK, concept)
        found.append(concept)
    return found
