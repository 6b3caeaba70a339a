"""Cut one stream of text into chunks whose exact token count never exceeds the limit.

The stream is the chunked elements' texts joined by blank lines, with the element boundaries and
their break levels (see `chunk_text`). Every chunk is a slice of the stream, so with no overlap
the chunks put back together are the stream, whitespace aside.

Speed: the stream is never encoded as a whole. Each chunk is planned from a running
characters-per-token estimate, encoded once, and cut again only when the exact count overshoots
or the overlap does not land on a word boundary; so a document costs about one tokenizer pass.

Overlap (N = `overlap_tokens` > 0). Let T be the tokens of a chunk's text and `start(i)` the
character where token i begins. The next chunk of the same run begins with the previous chunk's
text from `start(len(T) - n)`, leading whitespace removed, where n is the smallest n >= N for
which that start is a word boundary (`chunk_text.is_word_boundary`), on a character boundary
and not inside a PII placeholder, looking no further than n = max_tokens // 2. The chunker picks
chunk ends so that n == N whenever it can (the property tests check that it always can when
words are single tokens). Only when no such start exists within that range (a word longer than
the range) n is the smallest n >= N whose start is merely not inside a character or a
placeholder; a chunk of N tokens or fewer is repeated whole. `overlap_tokens` on the record is n.

A run ends at a top-level section boundary, at the end of the stream, or when the first unit of
new text (a table that fits, a long word) does not fit beside the overlap: that chunk starts a
new run without overlap (its `overlap_tokens` is 0), because a table that fits is never cut.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ...tokenizers import Encoded, Tokenizer
from .zones import (
    ELEMENT,
    HARD,
    SECTION,
    WORD,
    Zones,
    is_word_boundary,
    sentence_breaks,
    skip_space,
    word_breaks,
)


@dataclass
class Stream:
    """Text plus where it may be cut: element boundaries with levels, and no-break zones."""

    text: str
    bounds: list[int] = field(default_factory=list)  # element ends, sorted
    levels: list[int] = field(default_factory=list)  # break level of each bound
    zones: Zones = field(default_factory=lambda: Zones(()))  # tables that fit + placeholders
    pii: Zones = field(default_factory=lambda: Zones(()))  # placeholders only


@dataclass
class Span:
    """One chunk as a slice of the stream."""

    start: int
    end: int
    tokens: int
    overlap_tokens: int = 0
    repeat_chars: int = 0  # leading characters repeated from the previous chunk
    run: int = 0


@dataclass
class Limits:
    max_tokens: int
    target_tokens: int
    min_tokens: int = 0
    overlap_tokens: int = 0

    def __post_init__(self) -> None:
        # Room for new text beside the overlap: a chunk aims at no less than twice the overlap.
        self.target_tokens = max(
            1, 2 * self.overlap_tokens, min(self.target_tokens, self.max_tokens)
        )
        self.target_tokens = min(self.target_tokens, self.max_tokens)
        self.min_tokens = min(self.min_tokens, self.target_tokens)
        self.cap = self.max_tokens // 2  # the furthest an overlap may reach back


class Splitter:
    def __init__(self, tok: Tokenizer, limits: Limits) -> None:
        self.tok = tok
        self.lim = limits
        self.ratio = 4.0  # characters per token, refreshed from every exact count
        self._hard: list[int] = []

    # -- driver ---------------------------------------------------------------------------------

    def split(self, st: Stream, first_run: int = 0) -> list[Span]:
        s = st.text
        out: list[Span] = []
        run = first_run
        pos = skip_space(s, 0)
        if pos >= len(s):
            return out
        self._seed_ratio(s, pos)
        self._hard = [b for b, level in zip(st.bounds, st.levels, strict=True) if level == HARD]
        carry: tuple[int, int] | None = None  # (start, overlap tokens) of a continuing chunk
        prev_end = pos
        while pos < len(s):
            a, n_over = carry if carry else (pos, 0)
            got = self._chunk(st, a, pos)
            if got is None:  # the new text does not fit beside the overlap: new run
                run += 1
                a, n_over = pos, 0
                got = self._chunk(st, pos, pos)
                assert got is not None
            p, enc, run_end = got
            end = a + len(s[a:p].rstrip())
            nxt = skip_space(s, end)
            run_end = run_end or nxt >= len(s)
            if self.lim.overlap_tokens and not run_end:
                p, enc, n_next = self._align(st, a, pos, p, enc)
                end = a + len(s[a:p].rstrip())
                nxt = skip_space(s, end)
            out.append(Span(a, end, enc.n, n_over, prev_end - a if n_over else 0, run))
            prev_end, pos = end, nxt
            if run_end or not self.lim.overlap_tokens or pos >= len(s):
                carry = None
                if run_end:
                    run += 1
            else:
                carry = (skip_space(s, a + enc.start(enc.n - n_next)), n_next)
        return out

    def _seed_ratio(self, s: str, pos: int) -> None:
        sample = s[pos : pos + 4000]
        n = self.tok.encode(sample).n
        if n:
            self.ratio = max(0.5, len(sample) / n)

    def _encode(self, text: str) -> Encoded:
        enc = self.tok.encode(text)
        if enc.n >= 20:
            self.ratio = max(0.5, 0.7 * self.ratio + 0.3 * len(text) / enc.n)
        return enc

    # -- one chunk ------------------------------------------------------------------------------

    def _chunk(self, st: Stream, a: int, q0: int) -> tuple[int, Encoded, bool] | None:
        """The end of the chunk that starts at a (new text from q0) and its exact tokens.

        Returns None when no break fits beside an overlap (a < q0); the caller starts anew.
        """
        s, lim = st.text, self.lim
        hard = self._hard_limit(st, a, q0)
        r = self.ratio
        if (hard - a) / r <= lim.max_tokens:
            p: int | None = hard
        else:
            p = self._choose(
                st,
                a,
                q0,
                a + lim.target_tokens / 2 * r,
                a + lim.target_tokens * r,
                min(hard, a + lim.max_tokens * r),
                hard,
            )
        if p is None:
            p = self._from_window(st, a, q0, hard)
            if p is None:
                return None
        while True:
            enc = self._encode(s[a:p].rstrip())
            if enc.n <= lim.max_tokens:
                return self._grow(st, a, p, enc, hard)
            starts = enc.starts
            hi = a + starts[lim.max_tokens]
            lo = a + starts[min(lim.target_tokens // 2, enc.n - 1)]
            tgt = a + starts[min(lim.target_tokens, enc.n - 1)]
            nxt = self._choose(st, a, q0, lo, tgt, min(hi, p - 1), hard)
            if nxt is None:
                if a < q0:
                    return None
                nxt = self._token_cut(st, a, q0, enc, p)
            p = nxt

    def _grow(
        self, st: Stream, a: int, p: int, enc: Encoded, hard: int
    ) -> tuple[int, Encoded, bool]:
        """A chunk the estimate made too small grows to a later break while it fits.

        Too small: under half the target, or too short to give the next chunk its overlap.
        """
        lim = self.lim
        r = len(st.text[a:p]) / max(1, enc.n)
        hi = min(hard, a + lim.max_tokens * r)
        for _ in range(6):
            if p >= hard or enc.n >= max(lim.target_tokens // 2, lim.overlap_tokens + 1):
                break
            lo, tgt = a + lim.target_tokens / 2 * r, a + lim.target_tokens * r
            nxt = self._choose(st, a, p, lo, tgt, hi, hard)
            if nxt is None or nxt <= p:
                break
            bigger = self._encode(st.text[a:nxt].rstrip())
            if bigger.n > lim.max_tokens:
                hi = nxt - 1  # too far: look for an earlier break
                continue
            p, enc = nxt, bigger
        return p, enc, p == hard

    def _hard_limit(self, st: Stream, a: int, q0: int) -> int:
        """The first top-level boundary the chunk may not cross (it would hold >= min_tokens)."""
        hard = self._hard
        i = bisect_right(hard, q0)
        while i < len(hard):
            if (hard[i] - a) / self.ratio >= self.lim.min_tokens:
                return hard[i]
            i += 1
        return len(st.text)

    def _from_window(self, st: Stream, a: int, q0: int, hard: int) -> int | None:
        """No break near the estimate: encode a window past the limit and choose exactly."""
        s, lim = st.text, self.lim
        width = int(lim.max_tokens * self.ratio * 1.5) + 64
        while True:
            w = min(hard, a + width)
            enc = self._encode(s[a:w])
            if enc.n > lim.max_tokens:
                break
            if w >= hard:
                return hard
            width *= 2
        starts = enc.starts
        hi = a + starts[lim.max_tokens]
        lo = a + starts[lim.target_tokens // 2]
        tgt = a + starts[min(lim.target_tokens, enc.n - 1)]
        p = self._choose(st, a, q0, lo, tgt, hi, hard)
        if p is None:
            # Maybe the unit after q0 ends just past the estimate and still fits exactly.
            # Only worth an exact count when the window's tokens say it is a near miss.
            p = self._first_break_after(st, q0, hi, hard)
            if p is not None and (
                p > w
                or bisect_left(starts, p - a) > lim.max_tokens + 2
                or self.tok.encode(s[a:p].rstrip()).n > lim.max_tokens
            ):
                p = None
        if p is None and a == q0:
            p = self._token_cut(st, a, q0, enc, w)
        return p

    # -- choosing a break -----------------------------------------------------------------------

    def _choose(
        self, st: Stream, a: int, q0: int, lo: float, tgt: float, hi: float, hard: int
    ) -> int | None:
        """The best break in (q0, hi]: highest level in [lo, hi] nearest tgt, else the latest."""
        hi_i = int(hi)
        if hi_i <= q0:
            return None
        lo_i = max(int(lo), q0 + 1)
        if lo_i > hi_i:
            lo_i = q0 + 1
        s = st.text
        zones = st.zones
        # Element boundaries: top-level (binding only at `hard`), sub-section, element.
        i0, i1 = bisect_right(st.bounds, q0), bisect_right(st.bounds, hi_i)
        by_level: dict[int, list[int]] = {}
        for i in range(i0, i1):
            b = st.bounds[i]
            level = st.levels[i]
            if level == HARD and b != hard:
                level = SECTION
            by_level.setdefault(level, []).append(b)
        for level in (HARD, SECTION, ELEMENT):
            cands = [b for b in by_level.get(level, ()) if b >= lo_i]
            if cands:
                return _nearest(cands, tgt)
        sent = [p for p in sentence_breaks(s, lo_i, hi_i) if not zones.inside(p)]
        if sent:
            return _nearest(sent, tgt)
        words = [b for b in by_level.get(WORD, ()) if b >= lo_i]
        words += self._words_near(st, lo_i, hi_i, tgt)
        if words:
            return _nearest(words, tgt)
        # Nothing near the target: the latest break of any level before it.
        below = [b for b in st.bounds[i0:i1] if b < lo_i]
        below += [p for p in sentence_breaks(s, q0 + 1, lo_i - 1) if not zones.inside(p)]
        below += [p for p in word_breaks(s, q0 + 1, lo_i - 1) if not zones.inside(p)]
        return max(below) if below else None

    def _words_near(self, st: Stream, lo: int, hi: int, tgt: float) -> list[int]:
        t = int(tgt)
        for width in (64, 512, hi - lo):
            found = [
                p
                for p in word_breaks(st.text, max(lo, t - width), min(hi, t + width))
                if not st.zones.inside(p)
            ]
            if found:
                return found
        return []

    def _first_break_after(self, st: Stream, q0: int, hi: int, hard: int) -> int | None:
        s = st.text
        i = bisect_right(st.bounds, hi)
        bound = st.bounds[i] if i < len(st.bounds) else hard
        # The end of a zone (table) or word that spans hi, if it comes before the next bound.
        p = st.zones.end_of(hi)
        for w in word_breaks(s, p, min(bound, p + 4096)):
            if w > q0 and not st.zones.inside(w):
                return min(w, bound)
        return min(bound, hard) if min(bound, hard) > q0 else None

    def _token_cut(self, st: Stream, a: int, q0: int, enc: Encoded, p: int) -> int:
        """Inside a word longer than the limit: the last token start that fits."""
        starts = enc.starts
        j = min(self.lim.max_tokens, enc.n - 1)
        for careful in (True, False):
            for i in range(j, 0, -1):
                c = a + starts[i]
                if c <= q0 or c >= p:
                    continue
                if careful and (not enc.clean_start(i) or st.zones.inside(c)):
                    continue
                return c
        # A single token past q0: take it (never reached with max_tokens >= 8).
        return min(p, q0 + 1)

    # -- overlap --------------------------------------------------------------------------------

    def _align(self, st: Stream, a: int, q0: int, p: int, enc: Encoded) -> tuple[int, Encoded, int]:
        """Move the chunk end so the next chunk's overlap starts on a word boundary."""
        want = self.lim.overlap_tokens
        n = self._overlap_n(st, a, enc)
        if n == want:
            return p, enc, n
        s = st.text
        starts = enc.starts
        floor = q0 + 1  # any end that keeps new text: a shorter chunk beats a ragged overlap
        reach = int(48 * self.ratio * 1.5)  # about the last 32 words: enough candidates
        cands = sorted(
            {
                b
                for b in st.bounds[
                    bisect_right(st.bounds, max(q0, floor)) : bisect_left(st.bounds, p)
                ]
            }
            | {
                w
                for w in word_breaks(s, max(q0 + 1, floor, p - reach), p - 1)
                if not st.zones.inside(w)
            },
            reverse=True,
        )
        for b in cands[:24]:
            j = bisect_left(starts, b - a)
            if j - want < 0:
                break
            if not self._overlap_ok(st, a, enc, j - want):
                continue
            enc2 = self._encode(s[a:b].rstrip())
            if want <= enc2.n <= self.lim.max_tokens and self._overlap_n(st, a, enc2) == want:
                return b, enc2, want
        return p, enc, n if n is not None else self._overlap_fallback(st, a, enc)

    def _overlap_ok(self, st: Stream, a: int, enc: Encoded, i: int) -> bool:
        c = a + enc.start(i)
        return enc.clean_start(i) and is_word_boundary(st.text, c) and not st.pii.inside(c)

    def _overlap_n(self, st: Stream, a: int, enc: Encoded) -> int | None:
        k = enc.n
        want = self.lim.overlap_tokens
        if k <= want:
            return k
        for n in range(want, min(k, self.lim.cap) + 1):
            if self._overlap_ok(st, a, enc, k - n):
                return n
        return None

    def _overlap_fallback(self, st: Stream, a: int, enc: Encoded) -> int:
        k = enc.n
        for n in range(self.lim.overlap_tokens, k):
            i = k - n
            if enc.clean_start(i) and not st.pii.inside(a + enc.starts[i]):
                return n
        return k


def _nearest(cands: list[int], tgt: float) -> int:
    return min(cands, key=lambda c: (abs(c - tgt), c))
