"""Word documents (.docx, .docm, .dotx, .dotm): body, tables, lists, headers, notes, properties.

Checks run cheapest first: the container kind from the first bytes (an OLE2 file is either
password-protected OOXML or a legacy .doc), then the ZIP's declared sizes (bomb guard, before
anything is decompressed), then the XML parts, parsed without entity expansion.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from ...errors import CorruptDocument, UnsupportedFormat
from ...models import Document, DocumentMetadata, Element
from ..base import Loader, SourceFile
from ..sniff import is_ole2, is_zip
from ..structure import assign_heading_paths

if TYPE_CHECKING:
    from lxml import etree

    from .body import Tags
    from .opc import PythonDocxPackage
    from .package import Package

_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxLoader(Loader):
    name = "docx"
    version = "1"
    extensions = (".docx", ".docm", ".dotx", ".dotm")
    media_types = (_WORD,)
    media_type_by_extension: ClassVar[dict[str, str]] = {
        ".docm": "application/vnd.ms-word.document.macroEnabled.12",
        ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
        ".dotm": "application/vnd.ms-word.template.macroEnabled.12",
    }
    priority = 10

    def sniff(self, head: bytes) -> bool:
        from .container import sniff_encrypted_ooxml

        # Part names of the first ZIP entries are in the head; PPTX/XLSX show ppt/ or xl/ instead.
        return (is_zip(head) and b"word/" in head) or sniff_encrypted_ooxml(head)

    def load(self, source: SourceFile) -> Iterator[Document]:
        with source.open() as fh:
            doc = _open(fh, source)
        if doc is None:
            # A Word 97-2003 file under a .docx name: the unstructured fallback reads those when
            # installed, and otherwise says which extra to install.
            from ..unstructured import UnstructuredLoader

            yield from UnstructuredLoader().load(source)
            return
        yield doc


def _open(fh: BinaryIO, source: SourceFile) -> Document | None:
    """The document, or None for a legacy .doc; raises for encrypted, corrupt and bombs."""
    from .container import ensure_not_encrypted

    magic = fh.read(8)
    if is_ole2(magic):
        if not ensure_not_encrypted(fh).word:
            raise UnsupportedFormat("docx.not_word", "OLE2 file that is not a Word document")
        return None
    if not is_zip(magic):
        raise CorruptDocument("docx.corrupt", "not a ZIP container (a DOCX file is a ZIP package)")
    return _read(fh, source)


def _read(fh: BinaryIO, source: SourceFile) -> Document:
    from lxml import etree

    from .container import check_zip_entries, check_zip_sizes
    from .package import Package

    cfg = source.config.docx
    check_zip_entries(fh, max_entries=cfg.max_zip_entries)
    pkg = Package(fh)
    try:
        check_zip_sizes(
            pkg.infos,
            max_uncompressed_mb=cfg.max_uncompressed_mb,
            max_ratio=cfg.max_compression_ratio,
        )
        return _build(_python_docx(fh, pkg) or pkg, source)
    except (KeyError, ValueError, EOFError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise CorruptDocument(
            "docx.corrupt", f"broken Word package ({type(exc).__name__})"
        ) from None
    finally:
        pkg.close()


def _python_docx(fh: BinaryIO, pkg: Package) -> PythonDocxPackage | None:
    """The package as python-docx opens it, or None where it cannot (Strict OOXML, odd parts):
    llmprep's own reader (`pkg`) then serves the same parts."""
    from .opc import PythonDocxPackage

    try:
        opened = PythonDocxPackage(fh, pkg.infos)
        opened.main_document()
    except Exception:  # python-docx raises KeyError, ValueError, its own errors...
        return None
    return opened


def _build(pkg: Package | PythonDocxPackage, source: SourceFile) -> Document:
    from lxml import etree

    from .body import W_STRICT, W_TRANSITIONAL, BodyReader, Tags
    from .opc import PythonDocxPackage
    from .parts import furniture, notes, properties
    from .styles import Styles

    cfg = source.config.docx
    main = pkg.main_document()
    root = pkg.xml(main)
    w = etree.QName(root).namespace
    if w not in (W_TRANSITIONAL, W_STRICT) or etree.QName(root).localname != "document":
        raise UnsupportedFormat("docx.not_word", "the package's main part is not a Word document")
    tags = Tags(w)
    body = root.find(tags.body)
    if body is None:
        raise CorruptDocument("docx.corrupt", "Word document without a body")
    rels = {r.rid: r for r in pkg.rels(main)}
    links = {rid: r.target for rid, r in rels.items() if r.external}

    def part(rel_type: str) -> etree._Element | None:
        rel = next((r for r in rels.values() if r.is_type(rel_type) and not r.external), None)
        if rel is None or not pkg.has(rel.target):
            return None
        try:
            return pkg.xml(rel.target)
        except CorruptDocument:  # the body still reads; only its styling is lost
            source.warnings.append(f"docx.part_unreadable: {rel_type}")
            return None

    docx_styles = pkg.styles() if isinstance(pkg, PythonDocxPackage) else None
    if docx_styles is not None:
        styles = Styles.from_python_docx(w, docx_styles, part("numbering"))
    else:
        styles = Styles(w, part("styles"), part("numbering"))
    page_mode = _page_mode(body, tags)
    reader = BodyReader(tags, styles, links, page_mode)
    elements = assign_heading_paths(reader.blocks(body))

    def side_reader() -> BodyReader:
        return BodyReader(tags, styles, links, None)

    try:
        headers, footers = furniture(pkg, rels, body, tags, side_reader)
        extra = notes(
            pkg,
            rels,
            tags,
            side_reader,
            comments=cfg.include_comments,
            footnotes=cfg.include_footnotes,
        )
    except CorruptDocument as exc:  # the body is read; some of the text around it is not
        source.mark_partial(exc.code, f"headers, footers or notes unreadable: {exc.message}")
        headers, footers, extra = [], [], []
    try:
        meta = properties(pkg)
    except CorruptDocument:
        source.warnings.append("docx.part_unreadable: core-properties")
        meta = DocumentMetadata()
    if meta.title is None:
        meta.title = next((e.text for e in elements if e.type == "title"), None)
    if meta.page_count is None and page_mode == "rendered":
        meta.page_count = reader.page
    meta.extra["page_numbers"] = page_mode or "none"
    meta.extra["package_reader"] = getattr(pkg, "reader", "llmprep")
    all_elements: list[Element] = [*headers, *elements, *footers, *extra]
    return source.new_document(all_elements, metadata=meta)


def _page_mode(body: etree._Element, tags: Tags) -> str | None:
    """Page numbers come from the page breaks Word rendered when it last saved the file.

    Without them there are none: counting hard page breaks alone would number the 872-page
    handbook's last page 55, and a wrong page is worse than no page.
    """
    if next(body.iter(tags.rendered_break), None) is not None:
        return "rendered"
    return None
