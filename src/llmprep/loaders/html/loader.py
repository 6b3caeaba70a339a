"""HTML pages: main content (default) or all visible text, with structure and page metadata.

`extract_html` is the reusable core (e-mail bodies call it with ``mode="full"``); `HtmlLoader`
wraps it for files. The work is split by job:

- `html_charset`: bytes to text (BOM, transport charset, `<meta>`, detection);
- `html_dom`: safe parsing (nesting limits), removing scripts, styles and hidden elements;
- `html_meta`: title, language, canonical URL, description, authors, date, site name;
- `html_blocks`: all visible blocks as elements (`full` mode and the fallback);
- `main_content` (+ `xml_body`, `boilerplate`, `furniture`, `filters`, `realign`): main content
  via trafilatura plus llmprep's own passes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from ...errors import CorruptDocument
from ...flags import make_flag
from ...models import Document, DocumentMetadata, Element, Flag
from ..base import Loader, SourceFile
from ..sniff import is_html
from ..structure import assign_heading_paths

if TYPE_CHECKING:
    from lxml.html import HtmlElement

Mode = Literal["main", "full"]


@dataclass
class HtmlExtraction:
    """What one HTML page yields: elements in reading order, metadata and quality flags."""

    elements: list[Element]
    metadata: DocumentMetadata
    flags: list[Flag] = field(default_factory=list)


def extract_html(
    data: bytes | str,
    *,
    mode: str = "main",
    declared_charset: str | None = None,
    url: str | None = None,
) -> HtmlExtraction:
    """Extract one page. Never raises for bad markup; unusual outcomes become flags.

    `mode="main"` keeps the main content (navigation, headers, footers, comments, related links
    and cookie banners removed) and falls back to all visible text, flagged `no_main_content`,
    when none is found. `mode="full"` keeps all visible text. `declared_charset` is the charset
    the transport announced (HTTP header, MIME part); `url` resolves relative canonical links.
    """
    from .blocks import dom_elements
    from .charset import decode_html
    from .dom import flatten_tree, parse_html, remove_invisible, too_deep, visible_text_length
    from .furniture import mark_signup_forms
    from .main_content import article_bodies
    from .metadata import extract_metadata

    if mode not in ("main", "full"):
        raise ValueError(f"unknown html mode {mode!r} (expected 'main' or 'full')")
    flags: list[Flag] = []
    extra: dict[str, object] = {}
    if isinstance(data, bytes | bytearray):
        decoded = decode_html(bytes(data), declared_charset)
        text = decoded.text
        extra.update(encoding=decoded.encoding, encoding_source=decoded.source)
        if decoded.lossy:
            flags.append(make_flag("encoding_lossy", decoded.encoding))
    else:
        text = data
    if not unicodedata.is_normalized("NFC", text):
        # Pages mixing composed and decomposed accents would not match their own words.
        text = unicodedata.normalize("NFC", text)
    parsed = parse_html(text)
    tree = parsed.tree
    metadata = extract_metadata(tree, url)
    bodies = article_bodies(tree) if mode == "main" else []
    if mode == "main":  # sign-up boxes are known by their e-mail field, gone after cleaning
        mark_signup_forms(tree, visible_text_length(tree))
    remove_invisible(tree)
    flattened = parsed.flattened
    if too_deep(tree):
        flatten_tree(tree)
        flattened = True
    if flattened:
        flags.append(make_flag("markup_flattened", "nesting too deep"))
    if mode == "main":
        elements, used = _main_or_fallback(tree, url, bodies, flags, extra)
    else:
        elements, used = dom_elements(tree), "full"
    extra["html_mode"] = used
    metadata.extra.update(extra)
    return HtmlExtraction(assign_heading_paths(elements), metadata, flags)


def _main_or_fallback(
    tree: HtmlElement,
    url: str | None,
    bodies: list[str],
    flags: list[Flag],
    extra: dict[str, object],
) -> tuple[list[Element], str]:
    """Main content, or all visible text (flagged) when there is none; records what was done."""
    from .blocks import dom_elements
    from .dom import visible_text_length
    from .main_content import (
        MAX_TRAFILATURA_ELEMENTS,
        MAX_TRAFILATURA_PARAGRAPHS,
        extract_main,
        structural_main,
        too_large_for_trafilatura,
    )

    visible_chars = visible_text_length(tree)
    try:
        count = too_large_for_trafilatura(tree)
        if count is not None:
            # Bounded time: trafilatura is not linear on pages this large.
            flags.append(
                make_flag(
                    "main_content_simplified",
                    count,
                    f"{MAX_TRAFILATURA_ELEMENTS} elements or "
                    f"{MAX_TRAFILATURA_PARAGRAPHS} paragraphs",
                )
            )
            elements = structural_main(tree, visible_chars)
        else:
            main = extract_main(tree, url, article_bodies=bodies, page_chars=visible_chars)
            elements = _restructured(tree, main.elements, main.notes)
            if main.notes:  # which of llmprep's passes changed trafilatura's result
                extra["html_passes"] = sorted(set(main.notes))
    except Exception:
        # RecursionError or a trafilatura bug on hostile markup: the full text is still right.
        elements = []
    if not elements:
        flags.append(make_flag("no_main_content", "fell back to full mode"))
        return dom_elements(tree), "full"
    main_chars = sum(len(" ".join(el.text.split())) for el in elements)
    ratio = min(main_chars / visible_chars, 1.0) if visible_chars else 1.0
    flags.append(make_flag("boilerplate_ratio", round(ratio, 4)))
    return elements, "main"


def _restructured(tree: HtmlElement, elements: list[Element], notes: list[str]) -> list[Element]:
    """trafilatura's fallback on small pages returns the whole page as one flat paragraph; when
    that paragraph is exactly the page's visible text, the page's own blocks say the same with
    their headings, lists, tables and line breaks."""
    from copy import deepcopy

    from .blocks import dom_elements

    if len(elements) != 1 or elements[0].type != "paragraph":
        return elements
    blocks = dom_elements(deepcopy(tree))

    def squeezed(text: str) -> str:  # table cells are apart by " | " in blocks only
        return "".join(text.replace("|", "").split())

    if len(blocks) > 1 and squeezed("".join(b.text for b in blocks)) == squeezed(elements[0].text):
        notes.append("restructured")
        return blocks
    return elements


class HtmlLoader(Loader):
    name = "html"
    version = "1"
    extensions = (".html", ".htm", ".xhtml")
    media_types = ("text/html", "application/xhtml+xml")
    media_type_by_extension: ClassVar[dict[str, str]] = {".xhtml": "application/xhtml+xml"}
    priority = 10

    def sniff(self, head: bytes) -> bool:
        return is_html(head)

    def load(self, source: SourceFile) -> Iterator[Document]:
        mode = source.config.html.mode
        try:
            result = extract_html(source.read_bytes(), mode=mode)
        except Exception as exc:  # extract_html absorbs bad markup; this is the last safety net
            raise CorruptDocument(
                "html.unreadable", f"page could not be parsed ({type(exc).__name__})"
            ) from None
        if any(flag.code == "markup_flattened" for flag in result.flags):
            source.mark_partial(
                "html.too_deep", "markup nested too deep; structure flattened, text kept"
            )
        doc = source.new_document(result.elements, metadata=result.metadata)
        doc.flags.extend(result.flags)
        yield doc
