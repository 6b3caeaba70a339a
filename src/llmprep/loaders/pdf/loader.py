"""PDF: text, outline and metadata through pypdfium2; pypdf as the fallback engine.

pypdf opens a file when pdfium cannot (broken or unusual encryption), reads pages pdfium fails
on or maps to garbage glyphs, and adds XMP metadata when it is open anyway. It is not opened
on the fast path: it parses the whole cross-reference table up front and resolves named
destinations for the outline, which costs more than pdfium's whole text extraction on long files.

Pages are read one at a time (only their lines are kept), then the whole document is analysed:
running headers, footers and page numbers are removed, lines become paragraphs and list items,
headings come from the outline or from type size, and words hyphenated across lines are joined
where the document itself shows the joined word. The helpers live in `pdf_*.py`.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ...errors import CorruptDocument, LoadError
from ...models import Document, DocumentMetadata
from ..base import Loader, SourceFile
from ..sniff import is_pdf
from .collector import paused

if TYPE_CHECKING:
    from .model import OutlineEntry, PageText
    from .opener import OpenedPdf

log = logging.getLogger(__name__)


class PdfLoader(Loader):
    name = "pdf"
    version = "1"
    extensions = (".pdf",)
    media_types = ("application/pdf",)

    def sniff(self, head: bytes) -> bool:
        return is_pdf(head)

    def load(self, source: SourceFile) -> Iterator[Document]:
        with _quiet_parsers():
            try:
                with paused():
                    document = _load(source)
            except LoadError as exc:
                if exc.code == "pdf.corrupt" and _cut_short(source):
                    raise CorruptDocument(
                        "pdf.truncated",
                        "the file ends before its end-of-file marker: it looks cut short "
                        "(an interrupted download or copy?)",
                    ) from None
                raise
            except (MemoryError, RecursionError):
                raise CorruptDocument(
                    "pdf.corrupt", "the PDF structure is too large or too deeply nested"
                ) from None
            except Exception as exc:  # a parser surprise on a hostile file is still a typed failure
                log.debug("pdf loader failed on %s", source.rel_path, exc_info=True)
                raise CorruptDocument(
                    "pdf.corrupt", f"the PDF could not be read ({type(exc).__name__})"
                ) from None
        if _cut_short(source):
            # pdfium rebuilt what it could; whatever followed the cut is missing.
            document.metadata.extra["truncated"] = "pdf: no end-of-file marker"
            if source.partial is None:
                source.mark_partial(
                    "pdf.truncated",
                    "the file ends before its end-of-file marker: what followed the cut is missing",
                )
        yield document


# A PDF ends with %%EOF; writers may add a little after it (a newline, padding), never much.
_EOF_MARKER = b"%%EOF"
_EOF_WINDOW = 1024
# An indirect object ("12 0 obj") near the start: the file is a PDF body, not noise after a header.
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_HEAD_WINDOW = 65536


def _cut_short(source: SourceFile) -> bool:
    """Whether a PDF body lacks the end-of-file marker every complete PDF has near its end."""
    size = source.size
    with source.open() as stream:
        stream.seek(max(0, size - _EOF_WINDOW))
        if _EOF_MARKER in stream.read(_EOF_WINDOW):
            return False  # nearly every file: the head need not be read
        stream.seek(0)
        head = stream.read(_HEAD_WINDOW)
    return _OBJECT.search(head) is not None


@contextmanager
def _quiet_parsers() -> Iterator[None]:
    """Parser warnings (repaired xrefs, odd fonts) are not the user's business; logging is
    quieted by `OpenedPdf` only if pypdf gets used."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _load(source: SourceFile) -> Document:
    from .assemble import assemble
    from .ocr_pages import read_unread_pages
    from .opener import open_pdf

    opened = open_pdf(source)
    try:
        pages, failed, engines = _read_pages(opened)
        ocr = read_unread_pages(opened, pages, failed, engines, source)
        meta, outline = _metadata_and_outline(opened, len(pages) + len(failed))
    finally:
        opened.close()
    document = assemble(source, pages, failed, engines, meta, outline, encrypted=opened.encrypted)
    if ocr is not None:
        ocr.annotate(document)
    return document


def _read_pages(opened: OpenedPdf) -> tuple[list[PageText], list[int], set[str]]:
    """Every page through pdfium; pypdf takes a page pdfium fails on or maps to garbage."""
    from .layout import merge_segments
    from .pdfium_reader import PdfiumReader
    from .pypdf_reader import PypdfReader

    primary = PdfiumReader(opened.pdfium) if opened.pdfium is not None else None
    fallback: PypdfReader | None = None
    fallback_tried = False

    def get_fallback() -> PypdfReader | None:
        nonlocal fallback, fallback_tried
        if not fallback_tried:
            fallback_tried = True
            reader = opened.pypdf()
            fallback = PypdfReader(reader) if reader is not None else None
        return fallback

    if primary is not None:
        count = len(primary)
    else:
        only = get_fallback()
        count = len(only) if only is not None else 0
    pages: list[PageText] = []
    failed: list[int] = []
    engines: set[str] = set()
    for index in range(count):
        page: PageText | None = None
        if primary is not None:
            page = _try_page(primary, index)
        if page is None or page.unmapped:
            alternative = _try_page(get_fallback(), index)
            if alternative is not None and (page is None or alternative.has_text):
                page = alternative
        if page is None:
            failed.append(index + 1)
            continue
        if page.geometry:
            page.lines = merge_segments(page.lines)
        engines.add(page.engine)
        pages.append(page)
    return pages, failed, engines


def _try_page(reader: Any, index: int) -> PageText | None:
    if reader is None or index >= len(reader):
        return None
    try:
        page: PageText = reader.page(index)
    except (MemoryError, RecursionError):
        raise
    except Exception:  # one broken page does not fail the document
        return None
    return page


def _metadata_and_outline(
    opened: OpenedPdf, page_count: int
) -> tuple[DocumentMetadata, list[OutlineEntry]]:
    """pdfium's Info dictionary and outline (fast); pypdf's when pdfium could not open the file."""
    from .metadata import (
        metadata_from_info,
        pdfium_language,
        pdfium_outline,
        pypdf_info,
        pypdf_outline,
    )

    info: dict[str, Any] = {}
    outline: list[OutlineEntry] = []
    language = None
    if opened.pdfium is not None:
        try:
            info = dict(opened.pdfium.get_metadata_dict(skip_empty=True))
        except Exception:
            info = {}
        outline = pdfium_outline(opened.pdfium)
        language = pdfium_language(opened.pdfium)
    # pypdf also reads XMP (a title the Info dictionary lacks), but only when it is open
    # anyway: opening it just for that parses the whole xref, ~2-15 ms on a small file, which
    # measured 6% of the corpus run.
    reader = opened.pypdf() if opened.pdfium is None else opened.pypdf_if_open()
    if reader is not None:
        for key, value in pypdf_info(reader).items():
            info.setdefault(key.lstrip("/"), value)
        if not outline and opened.pdfium is None:
            outline = pypdf_outline(reader)
    meta = metadata_from_info(info, page_count)
    meta.declared_language = language
    return meta, outline
