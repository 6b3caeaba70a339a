"""Decoding HTML bytes: BOM, transport charset, `<meta charset>`, http-equiv, then detection.

The order follows what browsers do (WHATWG "encoding sniffing"): a byte-order mark wins, then the
charset the transport declared (an HTTP header or a MIME part), then a declaration in the first
few KB of markup, then statistical detection. Labels are mapped the way browsers map them
(`iso-8859-1` and `ascii` really mean windows-1252 on the web: `textio.WEB_ALIASES`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ...textio import bom_encoding, charset_label, detect_encoding

# Declarations must sit in the first 1024 bytes by the standard; real pages put them later.
_PRESCAN_BYTES = 16384

_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:+-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:+-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class DecodedHtml:
    text: str
    encoding: str
    source: str  # "bom", "declared", "meta", "detected", "fallback", "str"
    lossy: bool


def normalize_label(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    name = charset_label(label, web=True)
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_in_markup(head: bytes) -> str | None:
    """The charset an XML declaration, `<meta charset>` or http-equiv Content-Type names."""
    head = head[:_PRESCAN_BYTES]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    return m.group(1).decode("ascii", "replace")


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte of its ASCII markup."""
    sample = head[:512]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.6 and even < half * 0.1:
        return "utf-16-le"
    if even > half * 0.6 and odd < half * 0.1:
        return "utf-16-be"
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, declared: str | None = None) -> DecodedHtml:
    """Decode an HTML page; never raises, marks the result lossy when bytes had to be replaced."""
    bom = bom_encoding(data)
    if bom:
        name, n = bom
        text = data[n:].decode(name, errors="replace")
        return DecodedHtml(text, name, "bom", "\ufffd" in text)
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        return DecodedHtml(text, utf16, "detected", "\ufffd" in text)

    candidates: list[tuple[str, str]] = []
    transport = normalize_label(declared)
    if transport:
        candidates.append((transport, "declared"))
    meta = normalize_label(declared_in_markup(data))
    if meta:
        # A page whose bytes are ASCII-compatible cannot really be UTF-16/32 (browsers agree).
        if meta.startswith(("utf-16", "utf-32")):
            meta = "utf-8"
        candidates.append((meta, "meta"))
    utf8 = _try(data, "utf-8")
    if utf8 is not None and not data.isascii() and candidates and candidates[0][0] != "utf-8":
        # Non-ASCII bytes that form valid UTF-8 are almost never legacy text: pages saved or
        # re-served as UTF-8 often keep their old declaration, and browsers' detectors agree.
        return DecodedHtml(utf8, "utf-8", "detected", False)
    for encoding, how in candidates:
        found = _try(data, encoding)
        if found is not None:
            return DecodedHtml(found, encoding, how, False)
    if utf8 is not None:
        return DecodedHtml(utf8, "utf-8", "detected", False)
    best = detect_encoding(data)  # late import inside: only pages that need detection pay
    if best:
        detected = _try(data, best)
        if detected is not None:
            return DecodedHtml(detected, best, "detected", False)
    encoding = candidates[0][0] if candidates else "cp1252"
    text = data.decode(encoding, errors="replace")
    return DecodedHtml(text, encoding, "fallback", True)
