"""The OPC layer of a Word file: parts, relationships and safe XML parsing, read lazily.

python-docx's `Document()` reads every part (images included) into memory up front and refuses
macro-enabled and template variants; the loader needs only a handful of XML parts, so it opens
them on demand from the ZIP whose sizes `docx_container.check_zip` has already vetted.
Every part goes through one parser that never expands entities, loads no DTD and uses no network.
"""

from __future__ import annotations

import lzma
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import unquote

from ...errors import CorruptDocument

if TYPE_CHECKING:
    from lxml import etree

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def safe_parser() -> etree.XMLParser:
    """An lxml parser that leaves entities unexpanded and never reads a DTD or the network."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
    )


# A ZIP starts with a local file header and ends with the end-of-central-directory record,
# at most a 64 KiB comment from the end. Start without end: the file was cut.
_LOCAL_HEADER = b"PK\x03\x04"
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_WINDOW = 65536 + 22


def _cut_short(fh: BinaryIO) -> bool:
    try:
        fh.seek(0)
        head = fh.read(4)
        size = fh.seek(0, 2)
        fh.seek(max(0, size - _END_WINDOW))
        tail = fh.read(_END_WINDOW)
    except OSError:
        return False
    return head == _LOCAL_HEADER and _END_OF_DIRECTORY not in tail


@dataclass(frozen=True)
class Rel:
    rid: str
    type: str
    target: str  # a part name inside the ZIP, or a URL when external
    external: bool

    def is_type(self, suffix: str) -> bool:
        """Relationship types differ between Transitional and Strict OOXML only in their prefix."""
        return self.type.rsplit("/", 1)[-1] == suffix


class Package:
    """Read-only access to the parts of an OOXML ZIP."""

    def __init__(self, fh: BinaryIO) -> None:
        fh.seek(0)
        try:
            self._zip = zipfile.ZipFile(fh)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            EOFError,
            ValueError,
            OSError,
            NotImplementedError,  # a damaged directory claiming a ZIP version from the future
        ):
            if _cut_short(fh):
                raise CorruptDocument(
                    "docx.truncated",
                    "the ZIP container ends before its directory: the file looks cut short "
                    "(an interrupted download or copy?)",
                ) from None
            raise CorruptDocument("docx.corrupt", "broken ZIP container") from None
        self.infos = self._zip.infolist()
        self._names = {info.filename: info for info in self.infos}
        self._parser = safe_parser()

    def close(self) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        return self._find(name) is not None

    def _find(self, name: str) -> str | None:
        if name in self._names:
            return name
        decoded = unquote(name)
        if decoded in self._names:
            return decoded
        # Part names are case-insensitive in OPC; writers differ in case.
        lower = name.lower()
        return next((n for n in self._names if n.lower() == lower), None)

    def read(self, name: str) -> bytes:
        found = self._find(name)
        if found is None:
            raise KeyError(name)
        try:
            return self._zip.read(found)
        except (
            zipfile.BadZipFile,
            EOFError,
            ValueError,
            OSError,
            NotImplementedError,
            zlib.error,
            lzma.LZMAError,
        ) as exc:
            # CRC mismatch, truncated member, unknown compression, a damaged deflate stream...
            what = (
                "damaged compressed data"
                if isinstance(exc, zlib.error | lzma.LZMAError)
                else type(exc).__name__
            )
            raise CorruptDocument("docx.corrupt", f"unreadable ZIP member ({what})") from None

    def xml(self, name: str) -> etree._Element:
        from lxml import etree

        data = self.read(name)
        try:
            root = etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError:
            raise CorruptDocument(
                "docx.corrupt", f"malformed XML in part {_safe_name(name)}"
            ) from None
        if root is None:
            raise CorruptDocument("docx.corrupt", f"empty XML part {_safe_name(name)}")
        return root

    def rels(self, source: str) -> list[Rel]:
        """Relationships of part `source` ("" for the package itself); missing rels -> []."""
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        if not self.has(rels_name):
            return []
        out: list[Rel] = []
        for node in self.xml(rels_name).iter(f"{{{_REL_NS}}}Relationship"):
            rid, rtype, target = node.get("Id"), node.get("Type"), node.get("Target")
            if not rid or not rtype or target is None:
                continue
            external = node.get("TargetMode") == "External"
            if not external:
                target = _resolve(folder, target)
            out.append(Rel(rid=rid, type=rtype, target=target, external=external))
        return out

    def main_document(self) -> str:
        """Name of the main document part (word/document.xml in almost every file)."""
        for rel in self.rels(""):
            if rel.is_type("officeDocument") and not rel.external:
                return rel.target
        if self.has("word/document.xml"):
            return "word/document.xml"
        raise CorruptDocument("docx.corrupt", "package has no main document part")


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def _safe_name(name: str) -> str:
    # Part names come from the file; keep them short and printable in error messages.
    return "".join(c for c in name[:80] if c.isprintable())
