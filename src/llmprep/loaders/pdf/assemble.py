"""Putting a PDF's pages together: furniture out, blocks, headings, dehyphenation, elements."""

from __future__ import annotations

from pydantic import TypeAdapter

from ...errors import CorruptDocument
from ...flags import make_flag
from ...models import Document, DocumentMetadata, Element
from ..base import SourceFile
from ..structure import assign_heading_paths
from .flow import continue_paragraphs, mark_captions, mark_footnotes
from .furniture import Furniture, find_furniture
from .heading_fonts import apply_fonts
from .headings import apply_outline, apply_tags, body_size, mark_title, styles_from_outline
from .hyphen import Vocabulary, resolve
from .layout import HYPHEN_MARK, build_blocks
from .model import Block, Line, OutlineEntry, PageText, Rule
from .tables import continue_tables, find_tables, table_text


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
        page.number: page_blocks(_body_lines(page, furniture), page.rules, page.number)
        for page in pages
    }
    continue_tables([blocks[page.number] for page in pages])
    body = body_size([b for page_blocks in blocks.values() for b in page_blocks])
    for page in pages:
        mark_captions(blocks[page.number])
    headings_from = _headings(blocks, outline, meta, pages[0].number)
    for page in pages:
        mark_footnotes(blocks[page.number], body, page.bottom, page.top)
    flowing = continue_paragraphs([b for page in pages for b in blocks[page.number]])
    blocks = {page.number: [] for page in pages}
    for block in flowing:
        blocks[block.page].append(block)
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


def _body_lines(page: PageText, furniture: Furniture) -> list[Line]:
    """The page's lines without its furniture (most pages have none, or a line or two)."""
    remove = furniture.lines.get(page.number)
    if not remove:
        return page.lines
    return [line for i, line in enumerate(page.lines) if i not in remove]


def page_blocks(lines: list[Line], rules: list[Rule], page: int) -> list[Block]:
    """A page's blocks in reading order: tables where their first line was, the other lines
    grouped into paragraphs and list items between them."""
    tables = find_tables(lines, rules) if any(line.words for line in lines) else []
    if not tables:
        return build_blocks(lines, page)
    starts = {table.first: table for table in tables}
    used = set().union(*(table.lines for table in tables))
    blocks: list[Block] = []
    pending: list[Line] = []
    for i, line in enumerate(lines):
        table = starts.get(i)
        if table is not None and table.reflow:
            pending += table.reflow
        elif table is not None:
            blocks += build_blocks(pending, page)
            pending = []
            meta: dict[str, object] = {"rows": table.rows, "header_rows": table.header_rows}
            blocks.append(
                Block(
                    kind="table",
                    lines=[lines[k] for k in sorted(table.lines)],
                    page=page,
                    text=table_text(table.rows),
                    metadata=meta,
                )
            )
        if i not in used:
            pending.append(line)
    return blocks + build_blocks(pending, page)


def _headings(
    blocks: dict[int, list[Block]],
    outline: list[OutlineEntry],
    meta: DocumentMetadata,
    first_page: int,
) -> str:
    """Mark heading and title blocks; returns where the headings came from.

    A tagged PDF's structure roles come first (the author's own markup); then the outline,
    with headings of the same styles the outline did not list (an outline often stops at
    the second level); then the document's type.
    """
    flat = [
        b
        for page_blocks in blocks.values()
        for b in page_blocks
        if b.kind in ("paragraph", "list_item")
    ]
    body = body_size(flat)
    if any(b.lines and b.lines[0].tag for b in flat) and apply_tags(flat):
        source = "tags"
    elif outline and apply_outline(blocks, outline, body):
        source = "outline"
        ordered = [b for page in sorted(blocks) for b in blocks[page]]
        apply_fonts(
            [b for b in ordered if b.kind in ("paragraph", "list_item", "heading")],
            first_page,
            known=styles_from_outline(ordered),
        )
    elif apply_fonts(flat, first_page):
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
    vocab = Vocabulary.for_marks(texts) if any(HYPHEN_MARK in t for t in texts) else Vocabulary()
    elements: list[dict[str, object]] = []
    joins = 0
    for page in pages:
        headers, footers = _furniture_elements(page, furniture)
        elements.extend(headers)
        number = page.number
        for block in blocks[number]:
            if block.kind == "table":
                elements.append(element("table", block.text, number, metadata=block.metadata))
                continue
            text = block.text
            if HYPHEN_MARK in text:  # most blocks have none: no call for them
                text, made = resolve(text, vocab)
                joins += made
            if not text.strip():
                continue
            level = block.level if block.kind in ("heading", "list_item") else None
            elements.append(element(block.kind, text, number, level, block.metadata))
        for value in page.form_values:
            elements.append(element("paragraph", value, number, metadata={"form_field": True}))
        for note in page.annotations:
            elements.append(element("paragraph", note, number, metadata={"annotation": True}))
        elements.extend(footers)
    # One validation for the whole list runs in pydantic's core, a third faster than
    # building the elements one by one (thousands of them in a long document).
    return assign_heading_paths(_ELEMENTS.validate_python(elements)), joins


_ELEMENTS: TypeAdapter[list[Element]] = TypeAdapter(list[Element])


def element(
    kind: str,
    text: str,
    page: int,
    level: int | None = None,
    metadata: dict[str, object] | None = None,
) -> dict[str, object]:
    # Fields left at their defaults are not passed: pydantic fills a default faster than it
    # validates a given value (a fifth of the validation time of a long document).
    fields: dict[str, object] = {"type": kind, "text": text, "page": page}
    if level is not None:
        fields["level"] = level
    if metadata:
        fields["metadata"] = metadata
    return fields


def _furniture_elements(
    page: PageText, furniture: Furniture | None
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    if furniture is None:
        return [], []
    middle = (page.top + page.bottom) / 2
    headers: list[dict[str, object]] = []
    footers: list[dict[str, object]] = []
    for i in sorted(furniture.lines.get(page.number, ())):
        line = page.lines[i]
        target = headers if line.base > middle else footers
        target.append(element("header" if target is headers else "footer", line.text, page.number))
    return headers, footers
