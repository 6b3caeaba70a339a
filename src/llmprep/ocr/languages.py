"""Which languages the shipped recognition model reads, and the characters each one may use.

rapidocr 3.10 ships one multilingual recognition model, PP-OCRv6 small. Its character set (18,708
entries) covers the Latin script with its diacritics (550 letters: Western, Central and Eastern
European, Turkish, Vietnamese...), Chinese (simplified and traditional), Japanese kana, a little
Greek, digits, punctuation and symbols. It has no Cyrillic, Arabic, Hebrew, Devanagari, Thai or
Korean Hangul: text in those scripts cannot be read, whatever `[ocr] languages` says.

`[ocr] languages` names the languages a corpus is written in (ISO 639-1). Recognition then only
emits letters of their scripts (digits, punctuation and symbols always stay), so a smudge in a
Latin letter is read as the likeliest Latin letter, never as a look-alike Chinese character.
Empty means every script the model reads. Chinese (`zh`) and Japanese (`ja`) allow their own
scripts; the Latin-script languages exclude Chinese and Japanese characters.
"""

from __future__ import annotations

import unicodedata

# ISO 639-1 codes of the languages the model card lists for PP-OCRv6 small (rapidocr's
# `default_models.yaml`, `ppocrv6_langs`; its `rs_latin` is Serbian in Latin script).
LATIN_LANGUAGES: frozenset[str] = frozenset(
    [
        "af",
        "az",
        "bs",
        "ca",
        "cs",
        "cy",
        "da",
        "de",
        "en",
        "es",
        "et",
        "eu",
        "fi",
        "fr",
        "ga",
        "gl",
        "hr",
        "hu",
        "id",
        "is",
        "it",
        "ku",
        "la",
        "lb",
        "lt",
        "lv",
        "mi",
        "ms",
        "mt",
        "nl",
        "no",
        "oc",
        "pl",
        "pt",
        "qu",
        "rm",
        "ro",
        "sk",
        "sl",
        "sq",
        "sr",
        "sv",
        "sw",
        "tl",
        "tr",
        "uz",
        "vi",
    ]
)
SUPPORTED_LANGUAGES: frozenset[str] = LATIN_LANGUAGES | {"zh", "ja"}

# Letters of these scripts are only emitted when a configured language writes them; Latin (and
# the Greek letters of technical text) is always read.
_EAST_ASIAN: dict[str, frozenset[str]] = {
    "zh": frozenset({"CJK", "BOPOMOFO", "IDEOGRAPHIC", "KANGXI"}),
    "ja": frozenset({"CJK", "IDEOGRAPHIC", "KANGXI", "HIRAGANA", "KATAKANA", "HALFWIDTH"}),
}
_RESTRICTABLE: frozenset[str] = frozenset().union(*_EAST_ASIAN.values()) | {"COPTIC"}


def unsupported(languages: list[str]) -> list[str]:
    """The codes in `languages` the shipped model cannot read."""
    return [code for code in languages if code not in SUPPORTED_LANGUAGES]


def blocked_scripts(languages: list[str]) -> frozenset[str]:
    """Scripts whose letters recognition must not emit for these languages (empty: none)."""
    if not languages:
        return frozenset()
    wanted: set[str] = set()
    for code in languages:
        wanted |= _EAST_ASIAN.get(code, frozenset())
    return _RESTRICTABLE - wanted


def allowed(character: str, blocked: frozenset[str]) -> bool:
    """Whether recognition may emit `character` when letters of `blocked` scripts are excluded.

    Only letters are restricted: digits, punctuation, symbols and spaces belong to every
    language. A letter's script is the first word of its Unicode name (LATIN, CJK, HIRAGANA...).
    """
    if len(character) != 1 or not unicodedata.category(character).startswith("L"):
        return True
    name = unicodedata.name(character, "")
    if name.startswith(("FULLWIDTH LATIN", "HALFWIDTH LATIN")):
        return True
    return name.split(" ", 1)[0] not in blocked
