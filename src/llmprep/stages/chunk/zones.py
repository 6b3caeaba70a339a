"""Where text may be cut: break levels, sentence and word boundaries, no-break zones.

A *word* is a maximal run of non-whitespace characters, except that every CJK ideograph or kana
is a word of its own (those scripts do not separate words with spaces). A *word boundary* is a
position that is not inside a word: `text[i-1]` or `text[i]` is whitespace or CJK, or i is at
either end of the text. Chunk ends and overlap starts sit on word boundaries; only a word longer
than the chunk limit is ever cut inside.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from ...scripts import CJK, CJK_RANGES

# Break levels, best first. A chunk ends at the best level available near its target size.
HARD = 5  # start of a top-level section (binding unless the chunk would be under min_tokens)
SECTION = 4  # start of a sub-section (before a heading)
ELEMENT = 3  # between two elements
SENTENCE = 2  # after a sentence, or at a line break inside an element
WORD = 1  # between two words (also: right after a heading, so headings stay with their text)
TOKEN = 0  # inside a word longer than the limit, on a token boundary

_CJK_CHAR = CJK
# A sentence ends at . ! ? … (plus closing quotes/brackets) before whitespace and a character
# that is not a lowercase letter ("e.g. the" does not end one), or at CJK full stops. The
# pattern only finds candidates (a plain character class scans fast); the rest is checked in code.
_SENTENCE = re.compile(r"[.!?…。！？]+[\"'”’)\]]*|\n")
_WORD = re.compile(rf"\s+|[{CJK_RANGES}]+")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def is_word_boundary(text: str, i: int) -> bool:
    """True when position i of text is not inside a word (see the module docstring)."""
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    return before.isspace() or after.isspace() or is_cjk(before) or is_cjk(after)


def skip_space(text: str, i: int) -> int:
    """The first non-whitespace position at or after i (len(text) if none)."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def sentence_breaks(text: str, lo: int, hi: int) -> Iterator[int]:
    """Positions in [lo, hi] just after a sentence end, or at a line break."""
    n = len(text)
    for m in _SENTENCE.finditer(text, max(0, lo - 8), min(n, hi + 1)):
        if m.group() == "\n":
            p = m.start()
            while p > 0 and text[p - 1] in " \t":
                p -= 1
            if p == 0 or text[p - 1].isspace():
                continue  # a blank line: an element boundary, not a sentence
        else:
            p = m.end()
            if m.group()[0] not in "。！？":
                j = p
                while j < n and text[j].isspace():
                    j += 1
                if j in (p, n) or "a" <= text[j] <= "z":
                    continue
        if lo <= p <= hi:
            yield p


def word_breaks(text: str, lo: int, hi: int) -> Iterator[int]:
    """Positions in [lo, hi] between two words (at the start of the whitespace between them)."""
    for m in _WORD.finditer(text, max(0, lo - 1), min(len(text), hi + 1)):
        if m.group()[0].isspace():
            if lo <= m.start() <= hi and m.start() > 0:
                yield m.start()
        else:  # a run of CJK characters: every position in it or around it
            yield from range(max(lo, m.start(), 1), min(hi, m.end()) + 1)


class Zones:
    """Sorted, merged intervals no cut may fall strictly inside (tables that fit, placeholders)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(x for x in spans if x[1] - x[0] > 1):
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def inside(self, p: int) -> bool:
        if not self.starts:
            return False
        i = bisect_left(self.starts, p) - 1
        return i >= 0 and self.ends[i] > p

    def end_of(self, p: int) -> int:
        """The end of the zone p is inside, else p."""
        i = bisect_left(self.starts, p) - 1
        return self.ends[i] if i >= 0 and self.ends[i] > p else p
