"""Putting a PDF's pages together: furniture out, blocks, headings, dehyphenation, elements."""

from __future__ import annotations

from ...errors import CorruptDocument
from ...flags import make_flag
from ...models import Document, DocumentMetadata, Element
from ..base import SourceFile
from ..structure import assign_heading_paths
from .furniture import Furniture, find_furniture
from .headings import apply_fonts, apply_outline, body_size, mark_title
from .hyphen import Vocabulary, resolve
from .layout import HYPHEN_MARK, build_blocks
from .model import Block, OutlineEntry, PageText


def assemble(
    source: SourceFile,
    pages: list[PageText],
    failed: list[int],
    engines: set[str],
    meta: DocumentMetadata,
    outline: list[OutlineEntry],
    *,
    encrypted: bool,
) -> Document:
    if not pages:
        raise CorruptDocument("pdf.corrupt", "no page of the PDF could be read")
    remove = source.config.pdf.remove_furniture
    furniture = find_furniture(pages)
    blocks = {
        page.number: build_blocks(
            [
                line
                for i, line in enumerate(page.lines)
                if i not in furniture.lines.get(page.number, ())
            ],
            page.number,
        )
        for page in pages
    }
    headings_from = _headings(blocks, outline, meta, pages[0].number)
    elements, joins = _elements(pages, blocks, None if remove else furniture)
    if not meta.title:
        meta.title = next((e.text for e in elements if e.type == "title"), None)

    ocr_pages = [p.number for p in pages if not p.has_text and p.has_images]
    meta.extra.update(
        {
            "engine": "+".join(sorted(engines)),
            "encrypted": encrypted,
            "furniture_removed": furniture.total if remove else 0,
            "furniture": dict(furniture.counts),
            "dehyphenated": joins,
            "headings_from": headings_from,
            "outline_entries": len(outline),
        }
    )
    if ocr_pages:
        meta.extra["needs_ocr_pages"] = ocr_pages
    if failed:
        meta.extra["failed_pages"] = failed

    doc = source.new_document(elements, metadata=meta)
    if ocr_pages:
        doc.flags.append(make_flag("needs_ocr", len(ocr_pages)))
    if failed:
        total = len(pages) + len(failed)
        source.mark_partial(
            "pdf.page_unreadable", f"{len(failed)} of {total} pages could not be read"
        )
    elif ocr_pages and not any(p.has_text for p in pages):
        # Every page is a scan (blank pages aside): nothing was read, OCR would be needed.
        source.mark_partial(
            "pdf.needs_ocr",
            "no page has a text layer; "
            + (f"{len(ocr_pages)} pages need OCR" if len(ocr_pages) != 1 else "1 page needs OCR"),
        )
    return doc


def _headings(
    blocks: dict[int, list[Block]],
    outline: list[OutlineEntry],
    meta: DocumentMetadata,
    first_page: int,
) -> str:
    """Mark heading and title blocks; returns where the headings came from."""
    all_blocks = [b for page_blocks in blocks.values() for b in page_blocks]
    body = body_size(all_blocks)
    if outline and apply_outline(blocks, outline, body):
        source = "outline"
    elif apply_fonts(all_blocks, body, first_page):
        source = "font"
    else:
        source = "none"
    if not any(b.kind == "title" for b in blocks.get(first_page, ())):
        mark_title(blocks.get(first_page, []), meta.title)
    return source


def _elements(
    pages: list[PageText], blocks: dict[int, list[Block]], furniture: Furniture | None
) -> tuple[list[Element], int]:
    """Elements in page order; furniture is kept as header/footer elements only when given."""
    texts = [b.text for page_blocks in blocks.values() for b in page_blocks]
    # Dehyphenation needs the document's vocabulary; most PDFs have no mark to resolve.
    vocab = Vocabulary(texts if any(HYPHEN_MARK in t for t in texts) else ())
    elements: list[Element] = []
    joins = 0
    for page in pages:
        headers, footers = _furniture_elements(page, furniture)
        elements.extend(headers)
        for block in blocks[page.number]:
            text, made = resolve(block.text, vocab)
            joins += made
            if not text.strip():
                continue
            elements.append(
                Element(
                    type=block.kind,  # type: ignore[arg-type]
                    text=text,
                    level=block.level if block.kind in ("heading", "list_item") else None,
                    page=page.number,
                    metadata=dict(block.metadata),
                )
            )
        for value in page.form_values:
            elements.append(
                Element(
                    type="paragraph", text=value, page=page.number, metadata={"form_field": True}
                )
            )
        elements.extend(footers)
    return assign_heading_paths(elements), joins


def _furniture_elements(
    page: PageText, furniture: Furniture | None
) -> tuple[list[Element], list[Element]]:
    if furniture is None:
        return [], []
    middle = (page.top + page.bottom) / 2
    headers: list[Element] = []
    footers: list[Element] = []
    for i in sorted(furniture.lines.get(page.number, ())):
        line = page.lines[i]
        target = headers if line.base > middle else footers
        target.append(
            Element(
                type="header" if target is headers else "footer", text=line.text, page=page.number
            )
        )
    return headers, footers
