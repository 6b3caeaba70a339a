"""Dehyphenation: `exam-` + `ple` becomes `example` where the joined word is a word.

No word list is downloaded: the document itself is the dictionary. A join is taken when the
joined word occurs elsewhere in the document; the hyphen is kept when the hyphenated form does,
or when the pieces look like a compound (capitalised or numeric second part, `self-`, `well-`).
Otherwise two lowercase pieces are joined, since typesetters break words far more often than
they break at real hyphens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .layout import HYPHEN_MARK

_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_SPLIT = re.compile(r"(\w+)" + HYPHEN_MARK + r"(\w*)")
_KEEP_PREFIXES = frozenset(
    {"self", "well", "ex", "all", "half", "cross", "quasi", "non", "pre", "post", "anti"}
)


class Vocabulary:
    """Word counts (lowercased) of the document's text."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.words: Counter[str] = Counter()
        self.update(texts)

    def update(self, texts: Iterable[str]) -> None:
        # One findall over the joined text: counting word by word in Python is the slow part.
        blob = "\n".join(texts).lower()
        if HYPHEN_MARK in blob:
            blob = _SPLIT.sub(" ", blob)  # the pieces of a split word are evidence for nothing
        self.words.update(_WORD.findall(blob))


def resolve(text: str, vocab: Vocabulary) -> tuple[str, int]:
    """Replace every dehyphenation mark with nothing or a hyphen; returns (text, joins made)."""
    if HYPHEN_MARK not in text:
        return text, 0
    joins = 0

    def decide(m: re.Match[str]) -> str:
        nonlocal joins
        left, right = m.group(1), m.group(2)
        if not right:
            return left + "-"
        if should_join(left, right, vocab):
            joins += 1
            return left + right
        return f"{left}-{right}"

    out = _SPLIT.sub(decide, text)
    return out.replace(HYPHEN_MARK, "-"), joins


def should_join(left: str, right: str, vocab: Vocabulary) -> bool:
    words = vocab.words
    # Only the last piece of a compound is joined ("state-of-the-art" stays intact).
    head = left.rsplit("-", 1)[-1]
    joined = (head + right).lower()
    hyphenated = f"{head}-{right}".lower()
    if words[joined] > words[hyphenated]:
        return True
    if words[hyphenated]:
        return False
    if right[:1].isupper() or right[:1].isdigit() or head[-1:].isdigit():
        return False
    if head.lower() in _KEEP_PREFIXES:
        return False
    return head.isalpha() and right.isalpha()
