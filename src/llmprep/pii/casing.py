"""Text written all in lower case or all in capitals, re-cased before the NER model reads it.

A small NER model leans on capitals: in "harding hired laura haynes in jonathanborough" or in
a form shouted in capitals it finds almost nothing. Chat, exports and old forms are written
that way, so such a segment is given to the model re-cased: words that are no ordinary English
word (names, places, firms) get a capital, ordinary words are written in lower case, and the
first word of a sentence gets its capital back. The re-cased text has exactly the original's
length, so the model's offsets hold for the original. Only prose-like segments are re-cased
(most words ordinary); code, identifiers and lists of terms are left as they are.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:[.!?]\s+|\n[ \t]*(?:[-*•][ \t]+)?|^[ \t]*(?:[-*•][ \t]+)?)$")
MIN_WORDS = 3
MIN_ORDINARY_SHARE = 0.5


def _upper_first(word: str) -> str:
    first = word[0].upper()
    return (first if len(first) == 1 else word[0]) + word[1:]


def _lower(word: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in word)


def recase(segment: str) -> str | None:
    """The segment re-cased for NER, or None when it has both cases or is not prose."""
    has_upper = any(c.isupper() for c in segment)
    has_lower = any(c.islower() for c in segment)
    if has_upper == has_lower:
        return None
    from .lexicon import STOP_WORDS, TECH_TERMS
    from .ordinary import has_word_lists, is_ordinary, is_plain_word

    if not has_word_lists():
        return None
    words = list(_WORD.finditer(segment))
    if len(words) < MIN_WORDS:
        return None
    plain: list[bool] = []  # an ordinary word, written in lower case
    for m in words:
        low = _lower(m.group(0))
        plain.append(low in STOP_WORDS or low in TECH_TERMS or is_ordinary(low))
    if sum(plain) < MIN_ORDINARY_SHARE * len(words):
        return None  # not prose: a list of terms, identifiers, another language
    out = list(_lower(segment) if has_upper else segment)
    capital = [not p for p in plain]
    # Capitals stand by each other: "JIMMY NIELSEN" -> "Jimmy Nielsen" though "jimmy" is also
    # a word, when the word beside it is a name and neither is a function or describing word.
    for n, m in enumerate(words):
        if capital[n]:
            continue
        low = _lower(m.group(0))
        if low in STOP_WORDS or is_plain_word(low):
            continue
        for k in (n - 1, n + 1):
            if 0 <= k < len(words) and capital[k] and _adjacent(segment, words, n, k):
                capital[n] = True
                break
    for n, m in enumerate(words):
        a, b = m.span()
        if _glued(segment, a, b):
            continue
        starts_sentence = _SENTENCE_START.search(segment, max(0, a - 4), a) is not None
        if capital[n] or starts_sentence:
            out[a:b] = _upper_first(_lower(m.group(0)))
    return "".join(out)


def _glued(text: str, a: int, b: int) -> bool:
    """A word glued to digits, dots, slashes or underscores is part of an identifier."""
    before = text[a - 1] if a else " "
    after = text[b] if b < len(text) else " "
    after2 = text[b + 1] if b + 1 < len(text) else " "
    return (
        before.isalnum()
        or before in "_./\\@"
        or after.isalnum()
        or after in "_/\\@"
        or (after in ".-" and (after2.isalnum() or after2 == "_"))
    )


def _adjacent(text: str, words: list[re.Match[str]], n: int, k: int) -> bool:
    a, b = (words[n], words[k]) if n < k else (words[k], words[n])
    return text[a.end() : b.start()] in (" ", "\t")
