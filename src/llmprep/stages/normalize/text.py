"""Text-level normalization rules: Unicode repair and folding, then whitespace.

Every rule is a pure function of the text, and `normalize_text` repeats the rules until the text
stops changing, so normalizing twice never changes anything (a property test holds us to it).
Three modes, by element type: prose (paragraphs, headings...), table (tabs kept as column
separators) and code (indentation and blank lines kept).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

Mode = Literal["prose", "table", "code"]

# Invisible characters that only get in the way: C0/C1 controls (not \t, \n), soft hyphen,
# zero-width space / word joiner / BOM, Mongolian vowel separator, bidi marks and embeddings.
# ZWJ and ZWNJ (U+200C/D) stay: Persian, Indic scripts and emoji sequences need them.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
# Line and paragraph breaks in all their spellings.
_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
)
# Spaces of every width become a plain space (tab is handled per mode).
_SPACES = str.maketrans(
    dict.fromkeys(
        "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000",
        " ",
    )
)
# Latin ligatures from PDF text layers: "ﬁnance" must match "finance".
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
# Fullwidth ASCII (U+FF01..FF5E) folds to ASCII, except the punctuation that is ordinary
# CJK typography (，：；！？（）), which would otherwise change the look of every CJK sentence.
_CJK_PUNCT = "，：；！？（）"
_FULLWIDTH = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in _CJK_PUNCT}
)
# One table for all of the folding above, and a guard so text needing none skips the pass.
_FOLD = {**_LIGATURES, **_FULLWIDTH, **_SPACES}
_NEEDS_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")
_NEEDS_BREAKS = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")
_ASCII_PUNCT = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "‹": "'", "›": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "…": "...",
    }
)  # fmt: skip
_RUN_SPACES = re.compile(r" {2,}")
_RUN_BLANKS = re.compile(r"\n{3,}")
_PROSE_SPACE = re.compile(r"[ \t]+")
_SPACE_AT_BREAK = re.compile(r" ?\n ?")
_TABLE_LINE_END = re.compile(r"[ \t]+\n")
_TABLE_LINE_START = re.compile(r"\n +")
# "infor-\nmation" -> "information": a letter, a hyphen at the end of the line, a lower-case
# letter starting the next. Capitalised continuations ("Jean-\nPaul") keep their hyphen.
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_])")


@dataclass(frozen=True)
class TextOptions:
    fix_mojibake: bool = True
    ascii_punctuation: bool = False
    join_hyphenation: bool = True


@dataclass(frozen=True)
class Normalized:
    text: str
    mojibake_fixed: bool = False


def normalize_text(
    text: str, mode: Mode = "prose", options: TextOptions | None = None
) -> Normalized:
    """Apply every rule until the text is stable (at most a few rounds; usually one)."""
    options = options or TextOptions()
    fixed = False
    for _ in range(4):
        result = _one_pass(text, mode, options)
        fixed = fixed or result.mojibake_fixed
        if result.text == text:
            break
        text = result.text
    return Normalized(text, fixed)


def _one_pass(text: str, mode: Mode, options: TextOptions) -> Normalized:
    fixed = False
    if not text.isascii():
        if options.fix_mojibake:
            text, fixed = fix_mojibake(text)
        text = remove_invisible(fold_unicode(text, ascii_punctuation=options.ascii_punctuation))
    elif _INVISIBLE.search(text):
        text = remove_invisible(text)
    if _NEEDS_BREAKS.search(text):
        text = text.replace("\r\n", "\n").translate(_BREAKS)
    if mode == "code":
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        return Normalized(text, fixed)
    text = collapse_spaces(text, keep_tabs=mode == "table")
    if mode == "prose" and options.join_hyphenation:
        text = join_hyphenation(text)
    return Normalized(_RUN_BLANKS.sub("\n\n", text).strip(), fixed)


def fix_mojibake(text: str) -> tuple[str, bool]:
    """Undo text decoded with the wrong codec ("schÃ¶n" -> "schön"); True when it did."""
    if not _mojibake_suspect().search(text):
        return text, False
    import ftfy

    result = ftfy.fix_encoding_and_explain(text)
    changed = any(step in ("encode", "decode") for step, _ in result.explanation or [])
    return (result.text, True) if changed else (text, False)


def fold_unicode(text: str, *, ascii_punctuation: bool = False) -> str:
    """NFC, and the compatibility forms that break search and tokens folded to plain ones."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _NEEDS_FOLD.search(text):
        text = text.translate(_FOLD)
    if ascii_punctuation:
        text = text.translate(_ASCII_PUNCT)
    return text


def remove_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def collapse_spaces(text: str, *, keep_tabs: bool = False) -> str:
    """One space between words; no spaces at line ends (nor at line starts, in prose)."""
    if keep_tabs:
        text = _TABLE_LINE_END.sub("\n", _RUN_SPACES.sub(" ", text) + "\n")[:-1]
        return _TABLE_LINE_START.sub("\n", "\n" + text)[1:]
    return _SPACE_AT_BREAK.sub("\n", _PROSE_SPACE.sub(" ", text)).strip(" ")


def join_hyphenation(text: str) -> str:
    """Join words split across lines by a hyphen, when the continuation is lower case."""
    if "-\n" not in text:
        return text
    return _HYPHEN_BREAK.sub(lambda m: "" if text[m.end()].islower() else "-\n", text)


@cache
def _mojibake_suspect() -> re.Pattern[str]:
    """Text that may hold UTF-8 decoded with a one-byte codec, or stray C1 controls.

    UTF-8 mis-decoded that way always shows a lead byte (0xC2-0xF4) followed by a continuation
    byte (0x80-0xBF), each turned into that codec's character ("Ã¶", "Ð¿", "РїС"). Asking this
    first spares ftfy's costlier check on the clean text that is nearly all text.
    """
    # ...or "Ã " for "à": a two-byte lead whose 0xA0 continuation became a plain space.
    parts = ["[\x80-\x9f]", f"[{bytes(range(0xC2, 0xE0)).decode('latin-1')}] "]
    for codec in (
        "latin-1",
        "cp1252",
        "cp1250",
        "cp1251",
        "cp1253",
        "cp1254",
        "cp1257",
        "mac_roman",
        "cp437",
    ):
        leads = bytes(range(0xC2, 0xF5)).decode(codec, errors="ignore")
        conts = bytes(range(0x80, 0xC0)).decode(codec, errors="ignore")
        parts.append(f"[{re.escape(leads)}][{re.escape(conts)}]")
    return re.compile("|".join(parts))
