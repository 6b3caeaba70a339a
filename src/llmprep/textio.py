"""Decoding bytes of unknown encoding into text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


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
    from charset_normalizer import from_bytes  # imported late: only for non-UTF-8 input

    best = _best_match(from_bytes(data[: 1 << 20]))
    if best is not None and best.encoding:
        try:
            return Decoded(data.decode(best.encoding), best.encoding, False)
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("cp1252", errors="replace")
    return Decoded(text, "cp1252", True)


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
