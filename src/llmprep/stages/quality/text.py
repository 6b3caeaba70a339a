"""Text measurements behind the quality flags: counts and ratios, no decisions.

Speed matters here (the stage sees every chunk), so each pass is a C-level primitive
(`str.split`, `map`, `Counter`, `set`) and the costly n-gram passes only look at the stretches
of text where repetition is possible: a repeated n-gram consists of words that occur twice or
more, so runs of such words bound where one can be.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain, compress, repeat
from operator import itemgetter, mul, sub

from ...scripts import UNSEGMENTED

# Stripped from both ends of a token; a token made only of these is not a word (as in Gopher).
PUNCTUATION = string.punctuation + "«»„“”‘’‚‹›…—–‐‑‒―·•¡¿§¶†‡©®™°′″"
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that do not occur in healthy text: controls (tab/newline/CR excepted), the
# replacement character, private use, surrogates and non-characters.
_UNLIKELY = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U000f0000-\U0010ffff]"
)
# UTF-8 read as cp1252/latin-1: 'Ã©', 'Â ', 'â€™'... (ftfy's detector is ~30x slower per chunk).
_MOJIBAKE = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u20ac\u201a-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u2122]"
    "|Â[\u00a0-\u00bf]"
    "|â€[\u0080-\u00bf\u0153\u0161\u017e\u0178\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u2122]"
)
# Gopher counts "•" lines; other bullet glyphs and Markdown markers are the same thing. Numbered
# lines count for the list shape only: legal and technical prose numbers its paragraphs.
_BULLETS = ("•", "●", "○", "◦", "▪", "■", "□", "‣", "⁃", "∙", "·", "- ", "* ", "+ ")
_MD_HEADING = re.compile(r"(?m)^#{1,6}(?= )")
_NUMBERED = re.compile(r"(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,5})[.)]\s")
# Column separators. A comma or semicolon followed by a space is prose punctuation, not CSV.
_SEPARATORS = ("|", "\t", ";", ",")
_PROSE_FORMS = {";": "; ", ",": ", "}
_REPEATED = (1).__lt__  # a word count above one


@dataclass(slots=True)
class TextStats:
    """What the rules look at."""

    chars: int = 0  # len(text)
    word_chars: int = 0  # characters inside words (letters, digits, inner punctuation)
    tokens: int = 0  # whitespace tokens
    words: int = 0  # tokens that are not only punctuation (Gopher)
    alpha_words: int = 0  # words containing a letter (Gopher)
    mean_word_length: float = 0.0
    stop_words: int | None = None  # None: no list for the language
    hashes: int = 0
    ellipses: int = 0
    longest_token: int = 0
    lines: int = 0  # non-empty lines
    bullet_lines: int = 0
    numbered_lines: int = 0
    ellipsis_lines: int = 0
    short_lines: int = 0
    dup_line_frac: float = 0.0
    dup_line_char_frac: float = 0.0
    paragraphs: int = 0
    dup_para_frac: float = 0.0
    dup_para_char_frac: float = 0.0
    # n -> character share of the most frequent repeated n-gram / of repeated n-gram occurrences
    top_ngram: dict[int, float] = field(default_factory=dict)
    dup_ngram: dict[int, float] = field(default_factory=dict)
    replacement: int = 0
    unlikely: int = 0
    mojibake: int = 0
    lorem_ipsum: bool = False
    unsegmented: bool = False
    tabular: bool = False  # looks like a table or list by its lines


@lru_cache(maxsize=1)
def _stop_word_lists() -> dict[str, list[str]]:
    raw = json.loads(
        resources.files("llmprep").joinpath("data", "stopwords.json").read_text("utf-8")
    )
    return {lang: words for lang, words in raw.items() if not lang.startswith("_")}


@lru_cache(maxsize=128)
def stop_words(language: str | None) -> frozenset[str] | None:
    """The language's stop words in lower, Title and UPPER case (tokens are not lowercased)."""
    words = _stop_word_lists().get((language or "").split("-")[0].lower())
    if words is None:
        return None
    return frozenset(v for w in words for v in (w, w.capitalize(), w.upper()))


def without_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with redaction placeholders cut out: they are not words of the language."""
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start > pos:
            pieces.append(text[pos:start])
        pos = max(pos, end)
    pieces.append(text[pos:])
    return " ".join(pieces)


def words_of(text: str) -> list[str]:
    """Whitespace tokens with punctuation stripped from their ends; punctuation-only ones dropped."""
    return list(filter(None, map(str.strip, text.split(), repeat(PUNCTUATION))))


def measure(
    text: str,
    *,
    language: str | None = None,
    top_ngrams: Sequence[int] = (2, 3, 4),
    top_limits: Sequence[float] = (0.2, 0.18, 0.16),
    dup_ngrams: Sequence[int] = (5, 6, 7, 8, 9, 10),
    dup_limits: Sequence[float] = (0.15, 0.14, 0.13, 0.12, 0.11, 0.10),
    short_line_chars: int = 30,
    ngrams: bool = True,
) -> TextStats:
    """Measure `text`. `ngrams=False` skips the n-gram repetition pass (whole documents, tables).

    `top_limits` / `dup_limits` (one per n) let the n-gram passes stop early: a bound shows no
    n-gram can reach its limit, or an n is over its limit already (the rules report the first
    n over its limit per family). The values it reports are exact.
    """
    s = TextStats(chars=len(text))
    tokens = text.split()
    if not tokens:
        return s
    s.tokens = len(tokens)
    words = list(filter(None, map(str.strip, tokens, repeat(PUNCTUATION))))
    s.words = len(words)
    s.word_chars = sum(map(len, words))
    # Gopher counts words with a letter: '4.5%', '+/-' and '==>' are not words of prose.
    s.alpha_words = sum(1 for w in words if _LETTER.search(w))
    lengths = list(map(len, tokens))
    s.longest_token = max(lengths)
    # Gopher's hash ratio is about hashtags; the #s opening a Markdown heading line are not.
    s.hashes = text.count("#") - sum(len(m) for m in _MD_HEADING.findall(text))
    s.ellipses = text.count("...") + text.count("…")
    s.lorem_ipsum = "orem ipsum" in text or "OREM IPSUM" in text
    if text.isascii():
        s.unlikely = len(_CONTROL.findall(text)) if _CONTROL.search(text) else 0
    else:
        s.replacement = text.count("\ufffd")
        s.unlikely = len(_UNLIKELY.findall(text))
        s.mojibake = (
            len(_MOJIBAKE.findall(text)) if ("Ã" in text or "Â" in text or "â€" in text) else 0
        )
        s.unsegmented = len(UNSEGMENTED.findall(text)) > 0.3 * s.word_chars
    if not s.unsegmented and s.words:
        s.mean_word_length = s.word_chars / s.words
        stops = stop_words(language)
        if stops is not None:
            s.stop_words = sum(map(stops.__contains__, words))
    _measure_lines(s, text, short_line_chars)
    # Repeated cells and list markers are what tables and lists look like: no n-gram pass there.
    if ngrams and not s.tabular and not s.unsegmented and s.tokens > 1:
        _measure_ngrams(
            s, tokens, lengths, len(text), top_ngrams, top_limits, dup_ngrams, dup_limits
        )
    return s


def _measure_lines(s: TextStats, text: str, short_line_chars: int) -> None:
    lines = list(filter(None, map(str.strip, text.split("\n"))))
    if "\n\n" in text:
        paragraphs = list(filter(None, map(str.strip, text.split("\n\n"))))
    else:
        paragraphs = [text.strip()]
    line_stats(s, lines, paragraphs, len(text), short_line_chars)


def line_stats(
    s: TextStats, lines: list[str], paragraphs: list[str], total_chars: int, short_line_chars: int
) -> None:
    """Line and paragraph statistics from non-empty, stripped lines and paragraphs."""
    s.lines = len(lines)
    if not lines:
        return
    s.bullet_lines = sum(map(str.startswith, lines, repeat(_BULLETS)))
    s.numbered_lines = sum(map(bool, map(_NUMBERED.match, lines)))
    s.ellipsis_lines = sum(map(str.endswith, lines, repeat(("...", "…"))))
    s.short_lines = sum(map((short_line_chars + 1).__gt__, map(len, lines)))
    s.dup_line_frac, s.dup_line_char_frac = _duplicates(lines, total_chars)
    s.paragraphs = len(paragraphs)
    s.dup_para_frac, s.dup_para_char_frac = _duplicates(paragraphs, total_chars)
    s.tabular = _looks_tabular(lines, s)


def combine(
    parts: Sequence[TextStats], paragraphs: list[str], total_chars: int, short_line_chars: int = 30
) -> TextStats:
    """A document's statistics from its chunks' (word counts add up) and its own paragraphs
    (line and paragraph repetition across the whole document), without measuring twice."""
    s = TextStats(chars=total_chars)
    segmented = [p for p in parts if not p.unsegmented]
    for p in parts:
        s.tokens += p.tokens
        s.hashes += p.hashes
        s.ellipses += p.ellipses
        s.replacement += p.replacement
        s.unlikely += p.unlikely
        s.mojibake += p.mojibake
        s.longest_token = max(s.longest_token, p.longest_token)
        s.lorem_ipsum = s.lorem_ipsum or p.lorem_ipsum
    for p in segmented:
        s.words += p.words
        s.word_chars += p.word_chars
        s.alpha_words += p.alpha_words
        if p.stop_words is not None:
            s.stop_words = (s.stop_words or 0) + p.stop_words
    unsegmented_chars = sum(p.word_chars for p in parts if p.unsegmented)
    s.unsegmented = unsegmented_chars > s.word_chars
    if s.unsegmented:
        s.word_chars += unsegmented_chars
    elif s.words:
        s.mean_word_length = s.word_chars / s.words
    lines = [line for p in paragraphs for line in map(str.strip, p.split("\n")) if line]
    line_stats(s, lines, paragraphs, total_chars, short_line_chars)
    return s


def _duplicates(items: list[str], total_chars: int) -> tuple[float, float]:
    """Share of items that repeat an earlier one, and the share of characters they hold."""
    if len(set(items)) == len(items):
        return 0.0, 0.0
    seen: set[str] = set()
    dup = dup_chars = 0
    for item in items:
        if item in seen:
            dup += 1
            dup_chars += len(item)
        else:
            seen.add(item)
    return dup / len(items), (dup_chars / total_chars if total_chars else 0.0)


def _looks_tabular(lines: list[str], s: TextStats) -> bool:
    """Tables and lists by shape, for loaders that could not mark them as such."""
    if len(lines) < 3:
        return False
    # FineWeb's short-line rule: two thirds of the lines at most 30 characters long.
    if (
        s.short_lines / len(lines) >= 0.67
        or (s.bullet_lines + s.numbered_lines) / len(lines) >= 0.5
    ):
        return True
    for sep in _SEPARATORS:
        if sep not in lines[0] and sep not in lines[-1]:
            continue
        counts = list(map(str.count, lines, repeat(sep)))
        prose = _PROSE_FORMS.get(sep)
        if prose:
            in_prose = list(map(str.count, lines, repeat(prose)))
            if sum(counts) - sum(in_prose) < 0.6 * len(lines):
                continue  # too few column separators left to make a table
            counts = list(map(sub, counts, in_prose))
        modal, freq = Counter(counts).most_common(1)[0]
        if modal >= 1 and freq / len(lines) >= 0.6:
            return True
    return False


# -- n-gram repetition (Gopher) ---------------------------------------------------------------


def _measure_ngrams(
    s: TextStats,
    tokens: list[str],
    lengths: list[int],
    total_chars: int,
    top_ns: Sequence[int],
    top_limits: Sequence[float],
    dup_ns: Sequence[int],
    dup_limits: Sequence[float],
) -> None:
    counts = Counter(tokens)
    if len(counts) == len(tokens):
        return  # no word repeats: no n-gram can
    # 1 where the word occurs more than once; every occurrence of a repeated n-gram lies in a
    # run of at least n such positions, so only those runs need looking at.
    mask = bytes(map(_REPEATED, itemgetter(*tokens)(counts)))  # tokens > 1: a tuple
    bounds = _top_bounds(counts, total_chars, top_ns)
    tight: dict[int, float] | None = None
    for n, limit in zip(top_ns, top_limits, strict=True):
        if bounds[n] > limit:
            tight = tight or _level_bounds(counts, total_chars, top_ns)
            if tight[n] <= limit:
                continue
            share = _top_share(tokens, _runs(mask, n), n, total_chars)
            if share:
                s.top_ngram[n] = share
                if share > limit:
                    break  # the rules report the first n over its limit
    for i, n in enumerate(dup_ns):
        runs = _runs(mask, n)
        if not runs:
            break  # no run of n repeated words: no repeated n-gram, nor any longer one
        share = _dup_share(tokens, lengths, runs, n, total_chars)
        if not share:
            break
        s.dup_ngram[n] = share
        # Words covered by repeated (n+1)-grams are covered by repeated n-grams too, so the
        # share only falls with n: stop once it is over this limit or under every later one.
        if share > dup_limits[i] or share <= min(dup_limits[i:]):
            break


def _runs(mask: bytes, n: int) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(b"\x01{%d,}" % n, mask)]


def _top_bounds(counts: Counter[str], total_chars: int, ns: Sequence[int]) -> dict[int, float]:
    """Upper bound of the top n-gram's character share, per n, from word counts alone.

    An n-gram seen c times is made of words seen at least c times each, so each of its words
    has c * len(word) <= max over words of count * length (M), and c <= the top count: the
    n-gram holds at most n * M + (n - 1) * top count characters. Where that is not enough, the
    tighter bound by count level: c * (n * (longest word seen c+ times) + n - 1).
    """
    top = max(counts.values())
    most = max(map(mul, counts.values(), map(len, counts)))
    return {n: (n * most + (n - 1) * top) / total_chars for n in ns}


def _level_bounds(counts: Counter[str], total_chars: int, ns: Sequence[int]) -> dict[int, float]:
    repeated = list(compress(counts, map(_REPEATED, counts.values())))
    # (count, length) from the most frequent down; the longest word so far bounds each level.
    levels = sorted(
        zip(map(counts.__getitem__, repeated), map(len, repeated), strict=True), reverse=True
    )
    out = dict.fromkeys(ns, 0)
    longest = 0
    for i, (c, length) in enumerate(levels):
        if length > longest:
            longest = length
        if i + 1 == len(levels) or levels[i + 1][0] != c:  # the end of a count level
            for n in ns:
                bound = c * (n * longest + n - 1)
                if bound > out[n]:
                    out[n] = bound
    return {n: bound / total_chars for n, bound in out.items()}


def _top_share(tokens: list[str], runs: list[tuple[int, int]], n: int, total_chars: int) -> float:
    grams = Counter(
        chain.from_iterable(
            zip(*(tokens[start + k : end] for k in range(n)), strict=False) for start, end in runs
        )
    )
    if not grams:
        return 0.0
    gram, count = grams.most_common(1)[0]
    # Gopher measures the most frequent n-gram; one occurrence is not repetition.
    return count * (sum(map(len, gram)) + n - 1) / total_chars if count > 1 else 0.0


def _dup_share(
    tokens: list[str], lengths: list[int], runs: list[tuple[int, int]], n: int, total_chars: int
) -> float:
    """Share of characters in words covered by an n-gram occurrence that repeats an earlier one."""
    seen: set[tuple[str, ...]] = set()
    covered: set[int] = set()
    for start, end in runs:
        part = tokens[start:end]
        for i, gram in enumerate(zip(*(part[k:] for k in range(n)), strict=False), start):
            if gram in seen:
                covered.update(range(i, i + n))
            else:
                seen.add(gram)
    chars = sum(lengths[i] + 1 for i in covered)  # each word and the space after it
    return min(1.0, chars / total_chars) if total_chars else 0.0
