"""Cheap content sniffing from a file's first bytes: what format is this, whatever its name?"""

from __future__ import annotations

import re

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

_RFC822_HEADER = re.compile(
    rb"^(?:Received|Return-Path|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|"
    rb"X-[A-Za-z0-9-]+|Content-Type|Reply-To|Cc|Sender|DKIM-Signature|ARC-[A-Za-z-]+|"
    rb"Authentication-Results|Thread-Topic|Thread-Index|In-Reply-To|References):[ \t]",
    re.IGNORECASE,
)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)

BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")


def strip_bom_ascii(head: bytes) -> bytes:
    """Best-effort ASCII view of the head (drops a UTF-8 BOM, squeezes UTF-16 NULs)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].replace(b"\x00", b"")
    return head


def is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def is_ole2(head: bytes) -> bool:
    return head.startswith(OLE2_MAGIC)


def is_mbox(head: bytes) -> bool:
    return strip_bom_ascii(head).startswith(b"From ")


def is_rfc822(head: bytes) -> bool:
    """At least two header lines at the top, the first of them a known mail header."""
    text = strip_bom_ascii(head)
    lines = text.splitlines()[:12]
    if not lines or not _RFC822_HEADER.match(lines[0]):
        return False
    return sum(1 for line in lines if _RFC822_HEADER.match(line)) >= 2


def is_html(head: bytes) -> bool:
    return bool(_HTML_START.match(strip_bom_ascii(head)[:4096]))


def is_text(head: bytes) -> bool:
    """Decodable text: a Unicode BOM, or no NUL bytes and few control characters."""
    if head.startswith(BOMS):
        return True
    if not head:
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls <= len(head) * 0.01
