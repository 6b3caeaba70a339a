"""Word evidence from the frequency-ranked stop-word lists that jusText ships.

Character n-grams cannot tell "De har" (Danish) from Norwegian or "Je ne" from Slovene on two
words; whole frequent words can. jusText (installed with trafilatura) ranks each language's most
frequent Wikipedia words; Zipf's law turns a rank into a probability, compared with the chance
of an unseen word. Words in no list add nothing, so names and numbers stay neutral.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

# Zipf: a word of rank r covers about ZIPF / r of running text; unseen words share OOV.
_ZIPF = 0.08
_OOV = 1e-5
_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ne": "Nepali",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip
# Combining marks (Indic vowel signs, Arabic harakat, Thai vowels) are not \w, yet belong to words.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff\u0e31-\u0e4e\u200c\u200d"
_PART = rf"(?:[^\W\d_]|[{_MARKS}])+"
WORD = re.compile(rf"{_PART}(?:['’]{_PART})?")


@cache
def word_table() -> dict[str, dict[str, float]]:
    """word (lower case) -> {language: log-likelihood ratio against an unseen word}."""
    try:
        import justext
    except ImportError:  # only trafilatura brings it; without it, n-grams decide alone
        return {}
    folder = Path(justext.__file__).parent / "stoplists"
    table: dict[str, dict[str, float]] = {}
    # Only ranks whose ratio is positive count (about the top 8,000 of each list).
    ratios = [math.log(_ZIPF / rank / _OOV) for rank in range(1, int(_ZIPF / _OOV) + 1)]
    for code, name in _NAMES.items():
        path = folder / f"{name}.txt"
        if not path.is_file():
            continue
        words = dict.fromkeys(w for w in path.read_text(encoding="utf-8").lower().split() if w)
        for word, ratio in zip(words, ratios, strict=False):  # ratios outnumber any list
            if ratio > 0:
                entry = table.get(word)
                if entry is None:
                    table[word] = {code: ratio}
                else:
                    entry[code] = ratio
    return table


def word_scores(text: str) -> dict[str, float]:
    """Summed word evidence per language (only languages with at least one known word)."""
    table = word_table()
    out: dict[str, float] = {}
    for word in WORD.findall(text.lower()):
        hits = table.get(word)
        if hits:
            for code, value in hits.items():
                out[code] = out.get(code, 0.0) + value
    return out
