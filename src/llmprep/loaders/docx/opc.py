"""python-docx as the package layer: opening, parts, relationships, styles and core properties.

`PythonDocxPackage` opens a vetted ZIP (encryption, entry count and size checks have already
run, see `container.py`) with python-docx's `OpcPackage` and serves the same reading interface
as `package.Package`: part XML by name, relationships, the main document part. Parts python-docx
parses (document, styles, numbering, headers, footers, comments) come from python-docx already
parsed (its parser leaves entities unexpanded); the others (footnotes, endnotes, app.xml) are
parsed from python-docx's bytes with llmprep's safe parser. Core properties come from python-
docx's `CoreProperties`, paragraph styles from its `Styles` (names, base styles, properties).

Where llmprep does not use python-docx, and why:
- the body walk (`body.py`): `Document.paragraphs` and `.tables` separate paragraphs from
  tables, skip text boxes, content controls and tracked insertions, and build a proxy object per
  paragraph and run; an lxml walk over the same parsed elements keeps document order and reads
  those too, at the speed the 872-page handbook needs;
- Strict OOXML and packages python-docx refuses (no `officeDocument` relationship it
  understands, unknown part types): `package.Package`, llmprep's own lazy ZIP reader, reads them.
Macro-enabled documents and templates (.docm, .dotx, .dotm) are registered with python-docx's
part factory so their main part is read as a document part.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from ...models import DocumentMetadata
from .package import Rel, safe_parser

if TYPE_CHECKING:
    import zipfile

    from lxml import etree

_WORD_VARIANTS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _register_word_variants() -> None:
    from docx.opc.part import PartFactory
    from docx.parts.document import DocumentPart

    for content_type in _WORD_VARIANTS:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)


class PythonDocxPackage:
    """The parts of a Word package, as python-docx read them."""

    reader = "python-docx"

    def __init__(self, fh: IO[bytes], infos: list[zipfile.ZipInfo]) -> None:
        from docx.opc.package import OpcPackage

        _register_word_variants()
        fh.seek(0)
        self._pkg = OpcPackage.open(fh)
        self.infos = infos
        self._parts = {str(p.partname).lstrip("/"): p for p in self._pkg.iter_parts()}
        self._lower = {name.lower(): name for name in self._parts}
        self._parsed: dict[str, etree._Element] = {}

    def close(self) -> None:
        self._parts.clear()

    def _name(self, name: str) -> str | None:
        return name if name in self._parts else self._lower.get(name.lower())

    def has(self, name: str) -> bool:
        return self._name(name) is not None

    def part(self, name: str) -> Any:
        found = self._name(name)
        if found is None:
            raise KeyError(name)
        return self._parts[found]

    def xml(self, name: str) -> etree._Element:
        from lxml import etree

        from ...errors import CorruptDocument

        part = self.part(name)
        element = getattr(part, "element", None)  # XmlPart: parsed by python-docx
        if element is not None:
            return element
        if name not in self._parsed:
            try:
                root = etree.fromstring(part.blob, safe_parser())
            except etree.XMLSyntaxError:
                raise CorruptDocument("docx.corrupt", "malformed XML in a package part") from None
            if root is None:
                raise CorruptDocument("docx.corrupt", "empty XML part")
            self._parsed[name] = root
        return self._parsed[name]

    def rels(self, source: str) -> list[Rel]:
        """Relationships of part `source` ("" for the package itself)."""
        rels = self._pkg.rels if not source else self.part(source).rels
        out = []
        for rid, rel in rels.items():
            if rel.is_external:
                out.append(Rel(rid=rid, type=rel.reltype, target=rel.target_ref, external=True))
            else:
                target = str(rel.target_part.partname).lstrip("/")
                out.append(Rel(rid=rid, type=rel.reltype, target=target, external=False))
        return out

    def main_document(self) -> str:
        return str(self._pkg.main_document_part.partname).lstrip("/")

    def styles(self) -> Any | None:
        """python-docx's `Styles` of the document, or None when it has no styles part."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        try:
            part = self._pkg.main_document_part.part_related_by(RT.STYLES)
        except KeyError:
            return None
        return getattr(part, "styles", None)

    def core_properties(self) -> DocumentMetadata | None:
        """Title, authors, dates... from python-docx's `CoreProperties` (None without the part:
        python-docx would make up a default one with its own title and author)."""
        if not any(r.is_type("core-properties") and not r.external for r in self.rels("")):
            return None
        props = self._pkg.core_properties
        meta = DocumentMetadata()
        meta.title = _clean(props.title)
        meta.authors = [a.strip() for a in (props.author or "").split(";") if a.strip()]
        meta.subject = _clean(props.subject)
        meta.description = _clean(props.comments)
        meta.created = _date(props.created)
        meta.modified = _date(props.modified)
        meta.last_modified_by = _clean(props.last_modified_by)
        meta.declared_language = _clean(props.language)
        keywords = _clean(props.keywords)
        if keywords:
            meta.extra["keywords"] = keywords
        return meta


def _clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _date(value: datetime | None) -> str | None:
    # The W3CDTF form the file stores (python-docx reads it as a naive UTC datetime).
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
