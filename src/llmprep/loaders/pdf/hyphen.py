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
_TAIL = re.compile(r"\w*")
_LETTER = re.compile(r"[^\W\d_]")
_JOINERS = ("-", "\u2010")  # the hyphens `_WORD` joins word parts with
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

    @classmethod
    def for_marks(cls, texts: list[str]) -> Vocabulary:
        """Counts of only the words the document's dehyphenation marks ask about (the joined
        and the hyphenated form of each split word): counting every word of a long document
        costs more than the rest of dehyphenation. The pieces of split words are not words of
        their own (the mark is no word character), so they count for nothing by themselves."""
        vocab = cls()
        blob = "\n".join(texts).lower()
        wanted: set[str] = set()
        for left, right in _marked_pieces(blob):
            head = left.rsplit("-", 1)[-1]
            wanted.add(head + right)
            wanted.add(f"{head}-{right}")
        for word in wanted:
            count = _token_count(blob, word)
            if count:
                vocab.words[word] = count
        return vocab


def _token_count(blob: str, word: str) -> int:
    """How often `word` is one of the words `_WORD.findall(blob)` gives: each occurrence found
    by `str.find`, kept where it neither continues nor is continued by a word. A few searches
    for the wanted words cost a fraction of listing every word of a long document."""
    if _WORD.fullmatch(word) is None:
        return 0  # a piece with a digit or underscore: never a word of its own
    count = 0
    size = len(word)
    start = 0
    while (at := blob.find(word, start)) >= 0:
        start = at + 1
        end = at + size
        # A letter before it, or a hyphen after a letter: it is the tail of a longer word.
        if at and (
            _LETTER.match(blob, at - 1) is not None
            or (at > 1 and blob[at - 1] in _JOINERS and _LETTER.match(blob, at - 2) is not None)
        ):
            continue
        # A letter after it, or a hyphen before one: the word goes on.
        if _LETTER.match(blob, end) is not None or (
            blob[end : end + 1] in _JOINERS and _LETTER.match(blob, end + 1) is not None
        ):
            continue
        count += 1
        start = end
    return count


def _marked_pieces(blob: str) -> list[tuple[str, str]]:
    """The word pieces before and after each mark, as `_SPLIT.finditer` gives them. The marks
    are found by `str.find` and the pieces walked from there: the regular expression tries
    every word of the text as a possible first piece, the slowest step on a long document."""
    pieces: list[tuple[str, str]] = []
    start = 0
    while (mark := blob.find(HYPHEN_MARK, start)) >= 0:
        begin = mark
        while begin > start and (blob[begin - 1].isalnum() or blob[begin - 1] == "_"):
            begin -= 1
        tail = _TAIL.match(blob, mark + 1)
        end = tail.end() if tail is not None else mark + 1
        if begin < mark:
            pieces.append((blob[begin:mark], blob[mark + 1 : end]))
            start = end
        else:
            start = mark + 1
    return pieces


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
