"""Decoding bytes of unknown encoding into text: the one charset helper every format uses.

- `bom_encoding`: what a byte-order mark announces.
- `charset_label`: a declared label as a Python codec name (labels mail clients and web servers
  write that Python does not know; with `web=True` also the WHATWG mapping browsers apply, where
  `iso-8859-1` and `ascii` mean windows-1252).
- `detect_encoding`: statistical detection (charset-normalizer, with a tie-break towards the
  encodings most text actually uses).
- `decode_bytes`: BOM → declared → UTF-8 → detected → cp1252 with replacement.

HTML (`loaders/html/charset.py`) and email bodies (`loaders/email/text_body.py`) add their own
order of evidence on top (markup declarations, flags for wrong labels), never their own tables.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# Labels found in the wild that Python's codecs do not know, or know as something narrower.
CHARSET_ALIASES = {
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-8-e": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "windows-874": "cp874",
    "unicode-1-1-utf-7": "utf-7",
    "x-mac-roman": "mac_roman",
    "unicode": "utf-16",
    "utf8": "utf-8",
}
# What browsers do with these labels (WHATWG Encoding): the superset code pages.
WEB_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "euc-kr": "cp949",
}
_LABEL = re.compile(r"^[a-z0-9][a-z0-9._:+-]{0,39}$")


def charset_label(label: str | None, *, web: bool = False) -> str | None:
    """The codec name a declared charset label stands for, or None for garbage.

    The name is returned as written after aliasing (`iso-8859-8`, not Python's `iso8859-8`), so
    messages and flags show what the document declared; `codecs.lookup` accepts it.
    """
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if not _LABEL.match(name):
        return None  # NULs and the like make codec lookup raise ValueError, not LookupError
    if web and name in WEB_ALIASES:
        return WEB_ALIASES[name]
    return CHARSET_ALIASES.get(name, name)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    lossy: bool  # replacement characters were inserted


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, name in _BOMS:  # UTF-32 LE before UTF-16 LE: they share a prefix
        if data.startswith(bom):
            return name, len(bom)
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """BOM, then a declared charset, then UTF-8, then charset-normalizer, then cp1252 (lossy)."""
    bom = bom_encoding(data)
    if bom:
        name, n = bom
        text = data[n:].decode(name, errors="replace")
        return Decoded(text, name, "\ufffd" in text)
    for enc in (declared, "utf-8"):
        if not enc:
            continue
        try:
            return Decoded(data.decode(enc), enc, False)
        except (UnicodeDecodeError, LookupError):
            continue
    detected = detect_encoding(data)
    if detected:
        try:
            return Decoded(data.decode(detected), detected, False)
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("cp1252", errors="replace")
    return Decoded(text, "cp1252", True)


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess over the first MB, ties broken towards common encodings."""
    from charset_normalizer import from_bytes  # imported late: only for non-UTF-8 input

    best = _best_match(from_bytes(data[: 1 << 20]))
    return best.encoding if best is not None and best.encoding else None


# On ties, the encodings most text in the wild actually uses win over rarer look-alikes
# (a short French cp1252 text scores the same as cp1250 and cp1257).
_TIE_PREFERENCE = (
    "utf_8",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "shift_jis",
    "gb18030",
    "euc_kr",
    "cp1251",
)


def _best_match(matches: Any) -> Any:
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    for name in _TIE_PREFERENCE:
        for match in tied:
            if match.encoding == name:
                return match
    return best
