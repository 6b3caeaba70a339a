"""The parts around a Word body: headers, footers, notes, comments and document properties."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...models import DocumentMetadata, Element
from .body import BodyReader, Tags
from .package import Package, Rel

if TYPE_CHECKING:
    from lxml import etree

    from .opc import PythonDocxPackage

_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_NOTE_SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")

ReaderFactory = Callable[[], BodyReader]


def furniture(
    pkg: Package | PythonDocxPackage,
    rels: dict[str, Rel],
    body: etree._Element,
    tags: Tags,
    reader: ReaderFactory,
) -> tuple[list[Element], list[Element]]:
    """Header and footer elements, one per distinct text, in the order sections name them."""
    refs: dict[str, list[tuple[str, str]]] = {"header": [], "footer": []}
    for sect in body.iter(f"{{{tags.w}}}sectPr"):
        for kind in ("header", "footer"):
            for ref in sect.iterchildren(f"{{{tags.w}}}{kind}Reference"):
                rid = ref.get(tags.r_id)
                if rid:
                    refs[kind].append((rid, ref.get(tags.type) or "default"))
    out: dict[str, list[Element]] = {"header": [], "footer": []}
    for kind, items in refs.items():
        seen_parts: set[str] = set()
        seen_text: set[str] = set()
        for rid, variant in items:
            rel = rels.get(rid)
            if rel is None or rel.external or rel.target in seen_parts or not pkg.has(rel.target):
                continue
            seen_parts.add(rel.target)
            text = reader().text_of(pkg.xml(rel.target)).strip()
            if text and text not in seen_text:
                seen_text.add(text)
                out[kind].append(Element(type=kind, text=text, metadata={"variant": variant}))  # type: ignore[arg-type]
    return out["header"], out["footer"]


def notes(
    pkg: Package | PythonDocxPackage,
    rels: dict[str, Rel],
    tags: Tags,
    reader: ReaderFactory,
    *,
    comments: bool,
    footnotes: bool,
) -> list[Element]:
    """Footnotes and endnotes (type `footnote`) and comments (type `comment`), each in id order."""
    out: list[Element] = []
    wanted = []
    if footnotes:
        wanted += [("footnotes", "footnote", "footnote"), ("endnotes", "endnote", "footnote")]
    if comments:
        wanted.append(("comments", "comment", "comment"))
    for rel_type, item, element_type in wanted:
        rel = next((r for r in rels.values() if r.is_type(rel_type) and not r.external), None)
        if rel is None or not pkg.has(rel.target):
            continue
        root = pkg.xml(rel.target)
        for node in root.iterchildren(f"{{{tags.w}}}{item}"):
            if node.get(tags.type) in _NOTE_SEPARATORS:
                continue
            text = reader().text_of(node).strip()
            if text:
                meta = {"kind": item, "id": node.get(f"{{{tags.w}}}id")}
                out.append(Element(type=element_type, text=text, metadata=meta))  # type: ignore[arg-type]
    return out


def properties(pkg: Package | PythonDocxPackage) -> DocumentMetadata:
    """Core properties (title, author, dates...) and the page count Word last saved."""
    from .opc import PythonDocxPackage

    meta = DocumentMetadata()
    package_rels = pkg.rels("")
    core = next((r for r in package_rels if r.is_type("core-properties") and not r.external), None)
    core_name = core.target if core else "docProps/core.xml"
    from_docx = pkg.core_properties() if isinstance(pkg, PythonDocxPackage) else None
    if from_docx is not None:
        meta = from_docx
    elif pkg.has(core_name):
        root = pkg.xml(core_name)
        meta.title = _text(root, _DC, "title")
        creator = _text(root, _DC, "creator")
        meta.authors = [a.strip() for a in creator.split(";") if a.strip()] if creator else []
        meta.subject = _text(root, _DC, "subject")
        meta.description = _text(root, _DC, "description")
        meta.created = _text(root, _DCTERMS, "created")
        meta.modified = _text(root, _DCTERMS, "modified")
        meta.last_modified_by = _text(root, _CP, "lastModifiedBy")
        meta.declared_language = _text(root, _DC, "language")
        keywords = _text(root, _CP, "keywords")
        if keywords:
            meta.extra["keywords"] = keywords
    app = next(
        (r for r in package_rels if r.is_type("extended-properties") and not r.external), None
    )
    if app is not None and pkg.has(app.target):
        root = pkg.xml(app.target)
        pages = _text(root, _EP, "Pages")
        if pages and pages.isdigit() and int(pages) > 0:
            meta.page_count = int(pages)
        application = _text(root, _EP, "Application")
        if application:
            meta.producer = application
    return meta


def _text(root: etree._Element, ns: str, local: str) -> str | None:
    node = root.find(f"{{{ns}}}{local}")
    if node is None or not node.text or not node.text.strip():
        return None
    return node.text.strip()
