"""What kind of container a Word file is, and whether its ZIP is safe to open.

Everything here reads only the ZIP central directory or raw OLE2 directory bytes: nothing is
decompressed, so a decompression bomb is refused before a single byte of it is expanded.
Python's zipfile stops each member at the size its central directory declares (a member that
expands further fails its CRC), so checking the declared sizes bounds what opening can allocate.
"""

from __future__ import annotations

import mmap
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from ...errors import EncryptedDocument, TooLarge
from ..sniff import is_ole2

# OLE2 directory entry names are UTF-16LE; an entry starts on a 128-byte boundary with its name,
# and the name's byte length (terminator included) sits at offset 64.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")
# Ratios only mean something on real volume: a small part of blank XML compresses very well too.
_RATIO_FLOOR_BYTES = 8 * 1024 * 1024
_MB = 1024 * 1024
_EOCD_SIZE = 22


def has_ole2_entry(data: bytes | mmap.mmap, name_utf16: bytes) -> bool:
    """True when an OLE2 directory entry named `name_utf16` (UTF-16LE) appears in `data`."""
    start = 0
    while True:
        pos = data.find(name_utf16, start)
        if pos < 0:
            return False
        if pos % 128 == 0 and pos + 66 <= len(data):
            (name_len,) = struct.unpack_from("<H", data, pos + 64)
            if name_len == len(name_utf16) + 2:
                return True
        start = pos + 1


def sniff_encrypted_ooxml(head: bytes) -> bool:
    """A password-protected Office file: OLE2 whose directory (when in the head) lists EncryptedPackage."""
    return is_ole2(head) and has_ole2_entry(head, _ENCRYPTED_PACKAGE)


@dataclass(frozen=True)
class Ole2Kind:
    encrypted: bool
    word: bool


def inspect_ole2(fh: BinaryIO) -> Ole2Kind:
    """Scan an OLE2 file's directory entries for the streams that tell what it holds."""
    fh.seek(0)
    try:
        view: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError):  # in-memory stream (an attachment)
        view = fh.read()
    try:
        return Ole2Kind(
            encrypted=has_ole2_entry(view, _ENCRYPTED_PACKAGE),
            word=has_ole2_entry(view, _WORD_DOCUMENT),
        )
    finally:
        if isinstance(view, mmap.mmap):
            view.close()


@dataclass(frozen=True)
class ZipSummary:
    entries: int
    uncompressed: int
    compressed: int

    @property
    def ratio(self) -> float:
        return self.uncompressed / max(1, self.compressed)


def declared_entries(fh: BinaryIO) -> int | None:
    """The entry count a ZIP's end-of-central-directory record declares (None if not found).

    Read before `zipfile` parses the central directory, whose cost grows with the entry count.
    """
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, _EOCD_SIZE + 0xFFFF)  # the record, plus a comment of up to 64 KB
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + _EOCD_SIZE > len(tail):
        return None
    (total,) = struct.unpack_from("<H", tail, pos + 10)
    locator = pos - 20  # ZIP64 keeps the real count in a record the locator points to
    if total == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        fh.seek(offset)
        record = fh.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            (total,) = struct.unpack_from("<Q", record, 32)
    return int(total)


def check_zip_entries(fh: BinaryIO, *, max_entries: int, code: str = "docx.too_large") -> None:
    """Refuse a ZIP declaring more entries than `max_entries`, before its directory is parsed."""
    count = declared_entries(fh)
    if count is not None and count > max_entries:
        raise TooLarge(
            code, f"package has {count} parts, over the {max_entries} limit (docx.max_zip_entries)"
        )


def check_zip_sizes(
    infos: list[zipfile.ZipInfo],
    *,
    max_uncompressed_mb: float,
    max_ratio: float,
    code: str = "docx.too_large",
) -> ZipSummary:
    """Refuse a package that would expand too far, judged from declared sizes only."""
    summary = ZipSummary(
        entries=len(infos),
        uncompressed=sum(i.file_size for i in infos),
        compressed=sum(i.compress_size for i in infos),
    )
    if summary.uncompressed > max_uncompressed_mb * _MB:
        raise TooLarge(
            code,
            f"package expands to {summary.uncompressed / _MB:.0f} MB, over the "
            f"{max_uncompressed_mb:g} MB limit (docx.max_uncompressed_mb)",
        )
    if summary.uncompressed > _RATIO_FLOOR_BYTES and summary.ratio > max_ratio:
        raise TooLarge(
            code,
            f"package compression ratio {summary.ratio:.0f}:1 is over the "
            f"{max_ratio:g}:1 limit (docx.max_compression_ratio)",
        )
    return summary


def ensure_not_encrypted(fh: BinaryIO) -> Ole2Kind:
    """For an OLE2 file: raise `EncryptedDocument` when it is password-protected OOXML."""
    kind = inspect_ole2(fh)
    if kind.encrypted:
        raise EncryptedDocument(
            "docx.encrypted", "password-protected Office document (OLE2 EncryptedPackage)"
        )
    return kind
