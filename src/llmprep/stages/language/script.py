"""Writing systems: the cheapest and surest evidence about a text's language.

A script either names the language outright (Hangul is Korean, Thai script is Thai) or narrows
the candidates to a handful (Cyrillic: bg, mk, ru, uk), so the statistical models only ever
compare languages that could have produced the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

# (first code point, script) for the blocks that matter; anything else is "Other".
_BLOCKS: list[tuple[int, str]] = [
    (0x0000, "Latin"),
    (0x0250, "Other"),  # IPA, modifiers, combining marks
    (0x0370, "Greek"),
    (0x0400, "Cyrillic"),
    (0x0530, "Armenian"),
    (0x0590, "Hebrew"),
    (0x0600, "Arabic"),
    (0x0700, "Other"),
    (0x0750, "Arabic"),
    (0x0780, "Other"),
    (0x0900, "Devanagari"),
    (0x0980, "Bengali"),
    (0x0A00, "Gurmukhi"),
    (0x0A80, "Gujarati"),
    (0x0B00, "Other"),  # Oriya
    (0x0B80, "Tamil"),
    (0x0C00, "Telugu"),
    (0x0C80, "Kannada"),
    (0x0D00, "Malayalam"),
    (0x0D80, "Other"),
    (0x0E00, "Thai"),
    (0x0E80, "Other"),
    (0x10A0, "Georgian"),
    (0x1100, "Hangul"),
    (0x1200, "Other"),
    (0x1E00, "Latin"),  # Latin Extended Additional (Vietnamese)
    (0x1F00, "Greek"),
    (0x2000, "Other"),
    (0x3040, "Kana"),
    (0x3100, "Other"),
    (0x3130, "Hangul"),
    (0x3190, "Other"),
    (0x31F0, "Kana"),
    (0x3200, "Other"),
    (0x3400, "Han"),
    (0x4DC0, "Other"),
    (0x4E00, "Han"),
    (0xA000, "Other"),
    (0xAC00, "Hangul"),
    (0xD7B0, "Other"),
    (0xF900, "Han"),
    (0xFB00, "Other"),
    (0xFB50, "Arabic"),
    (0xFE00, "Other"),
    (0xFE70, "Arabic"),
    (0xFF00, "Latin"),  # fullwidth ASCII
    (0xFF61, "Kana"),  # halfwidth katakana
    (0xFFA0, "Other"),
    (0x20000, "Han"),
    (0x2FA20, "Other"),
]
_STARTS = [start for start, _ in _BLOCKS]

# The languages each script can stand for, among those the n-gram profiles cover.
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "Latin": (
        "af",
        "ca",
        "cs",
        "cy",
        "da",
        "de",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "hr",
        "hu",
        "id",
        "it",
        "lt",
        "lv",
        "nl",
        "no",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "so",
        "sq",
        "sv",
        "sw",
        "tl",
        "tr",
        "vi",
    ),
    "Greek": ("el",),
    "Armenian": ("hy",),
    "Georgian": ("ka",),
    "Cyrillic": ("bg", "mk", "ru", "uk"),
    "Hebrew": ("he",),
    "Arabic": ("ar", "fa", "ur"),
    "Devanagari": ("hi", "mr", "ne"),
    "Bengali": ("bn",),
    "Gurmukhi": ("pa",),
    "Gujarati": ("gu",),
    "Tamil": ("ta",),
    "Telugu": ("te",),
    "Kannada": ("kn",),
    "Malayalam": ("ml",),
    "Thai": ("th",),
    "Kana": ("ja",),
    "Hangul": ("ko",),
    "Han": ("zh", "ja"),
}

# Latin words inside another script are usually names, brands or page furniture ("Home",
# "Share to Twitter"), so a non-Latin script wins once it holds this share of the letters, or
# half the words: in "Twitter पर" the short Hindi word is the language, the long name is not.
NON_LATIN_SHARE = 0.25
# A Han character is a word or half of one; a Latin letter a fifth of one. Han letters count
# this many times in the share above, so Chinese text with its pinyin or English glosses beside
# it is still Chinese (a lyrics page: 116 Han characters, 382 pinyin letters).
HAN_LETTER_WEIGHT = 2

_LETTER = re.compile(r"[^\W\d_]")


def script_of(ch: str) -> str:
    return _BLOCKS[bisect_right(_STARTS, ord(ch)) - 1][1]


class _ScriptTags(dict[int, str]):
    """str.translate table: each letter -> a one-character tag of its script, the rest -> ''."""

    def __missing__(self, key: int) -> str:
        ch = chr(key)
        value = self[key] = _TAG[script_of(ch)] if _LETTER.match(ch) else ""
        return value


_NAMES = sorted({name for _, name in _BLOCKS})
_TAG = {name: chr(0x41 + i) for i, name in enumerate(_NAMES)}
_UNTAG = {tag: name for name, tag in _TAG.items()}
_TAGS = _ScriptTags()
_ASCII_NON_LETTERS = {c: None for c in range(128) if not chr(c).isalpha()}


def letter_scripts(text: str) -> Counter[str]:
    """How many letters of each script the text holds."""
    if text.isascii():
        letters = len(text.translate(_ASCII_NON_LETTERS))
        return Counter({"Latin": letters}) if letters else Counter()
    return Counter({_UNTAG[tag]: n for tag, n in Counter(text.translate(_TAGS)).items()})


def dominant_script(text: str) -> str | None:
    """The script that decides the candidates, or None when the text has no letters."""
    counts = letter_scripts(text)
    counts.pop("Other", None)
    if not counts:
        return None
    total = sum(counts.values())
    # Japanese mixes kana into Han text; a few kana settle it. Korean may carry Hanja.
    if counts.get("Kana", 0) >= max(2, 0.05 * total) or (counts.get("Kana") and "Han" in counts):
        return "Kana"
    if counts.get("Hangul", 0) >= 0.1 * total:
        return "Hangul"
    if "Han" in counts:
        total += (HAN_LETTER_WEIGHT - 1) * counts["Han"]
        counts["Han"] *= HAN_LETTER_WEIGHT
    others = [(n, s) for s, n in counts.items() if s != "Latin"]
    if others:
        n, script = max(others)
        if n >= NON_LATIN_SHARE * total or _writes_half_the_words(text, script):
            return script
    return "Latin" if counts.get("Latin") else max(others)[1]


def _writes_half_the_words(text: str, script: str) -> bool:
    """Whether `script` has letters in at least half of the words that have letters."""
    tag = _TAG[script]
    words = [w for w in (word.translate(_TAGS) for word in text.split()) if w]
    return 2 * sum(tag in w for w in words) >= len(words)
