"""From measurements to flags: each rule compares one measure with its `[quality]` threshold.

Codes, default severities and the source of each threshold are in the flag catalog
(`llmprep.flags`); docs/quality.md says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...config import QualityConfig
from ...flags import CATALOG, UNCAPPED, make_flag
from ...models import Flag, Severity
from .text import TextStats

_RANK = {"info": 0, "warn": 1, "block": 2}

# Codes, default severities and sources: `llmprep.flags.CATALOG`.


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules need besides the numbers."""

    structured: bool  # table / list / code, by element type or by shape
    document: bool  # document-level (word-count bounds apply), else a chunk


class Severities:
    """Default severities, config overrides, and the cap for structured or short texts."""

    def __init__(self, cfg: QualityConfig) -> None:
        self.overrides = dict(cfg.severities)
        self.cap = cfg.structured_max_severity

    def of(self, code: str, default: Severity | None = None) -> Severity:
        if code in self.overrides:
            return self.overrides[code]
        known = CATALOG.get(code)
        return default or (known.severity if known is not None else "info")

    def capped(self, code: str, severity: Severity, capped: bool) -> Severity:
        if capped and code not in UNCAPPED and _RANK[severity] > _RANK[self.cap]:
            return self.cap
        return severity


class _Found:
    """Flags found for one text: (code, value, threshold, past the block margin or None)."""

    def __init__(self, margin: float) -> None:
        self.margin = margin
        self.items: list[
            tuple[str, float | int | bool | str, float | int | str | None, bool | None]
        ] = []

    def add(
        self, code: str, value: float | int | bool | str, limit: float | int | str | None
    ) -> None:
        self.items.append((code, value, limit, None))

    def over(
        self, code: str, value: float, limit: float, ndigits: int = 4, block: float | None = None
    ) -> None:
        """Flag above `limit`; past the block margin (or above `block` when given) it is severe."""
        if value > limit:
            severe = value > (limit * self.margin if block is None else max(block, limit))
            self.items.append((code, round(value, ndigits), limit, severe))

    def under(self, code: str, value: float, limit: float, ndigits: int = 4) -> None:
        if value < limit:
            self.items.append((code, round(value, ndigits), limit, value < limit / self.margin))


def text_flags(s: TextStats, cfg: QualityConfig, ctx: Context, sev: Severities) -> list[Flag]:
    """Flags for one measured text (a chunk, or a whole document)."""
    if not s.chars or not s.tokens:
        # An empty file is not junk to reject (it has no chunks); an empty chunk is.
        severity = sev.of("empty", "warn" if ctx.document else None)
        return [make_flag("empty", 0, 1, severity=severity)]
    found = _Found(cfg.block_margin)
    if s.word_chars < cfg.min_alnum_chars:
        found.add("near_empty", s.word_chars, cfg.min_alnum_chars)
    words = s.words
    if ctx.document and words < cfg.min_words:
        found.add("few_words", words, cfg.min_words)
    if ctx.document and words > cfg.max_words:
        found.add("many_words", words, cfg.max_words)
    if words and not s.unsegmented:
        if s.mean_word_length:
            found.under("short_words", s.mean_word_length, cfg.min_mean_word_length, 2)
        found.over("long_words", s.mean_word_length, cfg.max_mean_word_length, 2)
        found.over("hash_ratio", s.hashes / words, cfg.max_hash_ratio)
        found.over("ellipsis_ratio", s.ellipses / words, cfg.max_ellipsis_ratio)
        found.under("alpha_words", s.alpha_words / words, cfg.min_alpha_words)
        # Two stop words in a ten-word reply mean nothing: Gopher applies this to 50+ words.
        if s.stop_words is not None and words >= cfg.min_words:
            found.under("stop_words", s.stop_words, cfg.min_stop_words, 0)
    # In chunks a line is often a whole paragraph: one ellipsis in three lines is not a pattern.
    if s.lines >= cfg.min_lines:
        found.over("bullet_lines", s.bullet_lines / s.lines, cfg.max_bullet_lines)
        found.over("ellipsis_lines", s.ellipsis_lines / s.lines, cfg.max_ellipsis_lines)
    # Policies and contracts repeat their formulas ("... and every access is logged.") a lot
    # more than web prose: repetition blocks only when it is most of the text.
    most = cfg.repetition_block_share
    found.over("dup_lines", s.dup_line_frac, cfg.max_dup_lines, block=most)
    found.over("dup_line_chars", s.dup_line_char_frac, cfg.max_dup_line_chars, block=most)
    found.over("dup_paragraphs", s.dup_para_frac, cfg.max_dup_paragraphs, block=most)
    found.over("dup_paragraph_chars", s.dup_para_char_frac, cfg.max_dup_paragraph_chars, block=most)
    # Like Gopher, report the first n that fails in each family rather than every n.
    for n, limit in cfg.max_top_ngram_chars.items():
        if s.top_ngram.get(n, 0.0) > limit:
            found.over(f"top_{n}gram", s.top_ngram[n], limit, block=most)
            break
    for n, limit in cfg.max_dup_ngram_chars.items():
        if s.dup_ngram.get(n, 0.0) > limit:
            found.over(f"dup_{n}gram", s.dup_ngram[n], limit, block=most)
            break
    visible = s.chars or 1
    if s.replacement / visible > cfg.max_replacement_chars:
        found.add("replacement_chars", round(s.replacement / visible, 4), cfg.max_replacement_chars)
    if s.unlikely / visible > cfg.max_unlikely_chars:
        found.add("unlikely_chars", round(s.unlikely / visible, 4), cfg.max_unlikely_chars)
    if s.mojibake > cfg.max_mojibake:
        found.add("mojibake", s.mojibake, cfg.max_mojibake)
    if s.longest_token > cfg.max_word_length:
        # A long URL inside a paragraph is worth keeping; a chunk that is mostly one token of
        # a thousand characters (base64, minified code, a number run) is not text at all.
        mostly_one_token = s.longest_token * 2 > s.chars
        found.items.append(("long_token", s.longest_token, cfg.max_word_length, mostly_one_token))
    if s.lorem_ipsum:
        found.add("lorem_ipsum", True, None)
    # Gopher's ratios were tuned on web documents of 50+ words; on tables, lists, code and
    # short texts (an email reply) they misfire, so there they only warn.
    short = words < cfg.min_words
    structured = ctx.structured or s.tabular
    flags = []
    for code, value, threshold, severe in found.items:
        severity = sev.of(code)
        if severe is False and _RANK[severity] > _RANK["warn"]:
            severity = "warn"  # past Gopher's threshold, within the block margin: flag, keep
        capped = (structured or short) and not _junk_at_any_length(
            code, value, severe, structured, words
        )
        flags.append(make_flag(code, value, threshold, severity=sev.capped(code, severity, capped)))
    return flags


def _junk_at_any_length(
    code: str, value: float | int | bool | str, severe: bool | None, structured: bool, words: int
) -> bool:
    """Far past the block margin, some rules mean junk however short the text: a run of
    symbols and digits without a letter, or one long token (base64, minified code, a number
    run: the chunker cuts a token longer than a chunk into one-word chunks, each under
    `max_word_length` but still one word of hundreds of characters). A list of links keeps its
    cap (many long words, each a real address); a table of numbers still has letters in its
    header, so there only a text with no letter at all is junk."""
    if not severe:
        return False
    if code == "long_token" or (code == "long_words" and words == 1):
        return True
    return code == "alpha_words" and (not structured or value == 0)
