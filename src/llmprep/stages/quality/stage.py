"""Quality flags on documents and chunks: measure, flag with value and threshold, never drop.

The policy (`llmprep.policy`) decides later what a flag means for the output. Thresholds and
their sources are in `QualityConfig` and docs/quality.md; the rules are in `quality_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...config import Config
from ...flags import make_flag
from ...models import Document, Flag, PiiSpan, Record
from ..base import DocWork
from .rules import Context, Severities, text_flags
from .text import TextStats, combine, measure, without_spans

# Element types whose text is not running prose: web-text heuristics only warn on them.
STRUCTURED = frozenset({"table", "list_item", "code", "formula", "email_header", "signature"})
FURNITURE = frozenset({"header", "footer"})
# A document is "structured" when at least this share of its characters is.
_STRUCTURED_DOC_SHARE = 0.25
_UNDETERMINED = (None, "", "und")


class Quality:
    name = "quality"

    def __init__(self, config: Config) -> None:
        self.config = config
        self.cfg = config.quality
        self.severities = Severities(self.cfg)
        top, dup = self.cfg.max_top_ngram_chars, self.cfg.max_dup_ngram_chars
        self._top_ns, self._top_limits = tuple(top), tuple(top.values())
        self._dup_ns, self._dup_limits = tuple(dup), tuple(dup.values())

    def __call__(self, work: DocWork) -> None:
        doc = work.document
        self._loader_context(doc)
        chunk_stats: list[TextStats] = []
        if self.cfg.enabled:
            for record in work.records:
                flags, stats = self._record_flags(record, doc)
                record.flags.extend(flags)
                chunk_stats.append(stats)
            doc.flags.extend(self._document_flags(doc, chunk_stats))
        inherited = [f for f in doc.flags if f.code in self.cfg.inherit_flags]
        for record in work.records if inherited else ():
            have = {f.code for f in record.flags}
            record.flags.extend(self._copy(f) for f in inherited if f.code not in have)

    # -- documents ----------------------------------------------------------------------------

    def _loader_context(self, doc: Document) -> None:
        """Turn loader facts (size limits, HTML boilerplate share) into flags."""
        codes = {f.code for f in doc.flags}
        reason = doc.metadata.extra.get("truncated")
        if "truncated" not in codes and reason:
            value = reason if isinstance(reason, str | int | float) else True
            doc.flags.append(
                make_flag("truncated", value, severity=self.severities.of("truncated"))
            )
        ratio = _main_content_ratio(doc)
        if (
            "boilerplate_heavy" not in codes
            and ratio is not None
            and ratio < self.cfg.min_main_content_ratio
        ):
            doc.flags.append(
                make_flag(
                    "boilerplate_heavy",
                    round(ratio, 4),
                    self.cfg.min_main_content_ratio,
                    severity=self.severities.of("boilerplate_heavy"),
                )
            )

    def _document_flags(self, doc: Document, chunk_stats: list[TextStats]) -> list[Flag]:
        elements = [
            e
            for e in doc.elements
            if e.text and (e.type not in FURNITURE or self.config.chunk.include_furniture)
        ]
        total = sum(len(e.text) for e in elements)
        structured = sum(len(e.text) for e in elements if e.type in STRUCTURED)
        if chunk_stats:
            # Word counts add up over the chunks; repetition is measured on the whole document.
            paragraphs = [_plain(e.text, e.pii).strip() for e in elements]
            stats = combine(chunk_stats, paragraphs, total, self.cfg.short_line_chars)
        else:
            text = "\n\n".join(_plain(e.text, e.pii) for e in elements)
            stats = measure(
                text,
                language=doc.language,
                ngrams=False,
                short_line_chars=self.cfg.short_line_chars,
            )
        ctx = Context(
            structured=bool(total) and structured / total >= _STRUCTURED_DOC_SHARE, document=True
        )
        flags = text_flags(stats, self.cfg, ctx, self.severities)
        expected = self.config.language.languages
        if expected and doc.language not in _UNDETERMINED and doc.language not in expected:
            flags.append(self._mismatch(str(doc.language), ",".join(expected), "warn"))
        redacted = sum(_covered(e.pii) for e in elements)
        if total and redacted / total > self.cfg.max_pii_ratio:
            flags.append(
                self._flag("pii_dense", round(redacted / total, 4), self.cfg.max_pii_ratio)
            )
        return flags

    # -- chunks -------------------------------------------------------------------------------

    def _record_flags(self, record: Record, doc: Document) -> tuple[list[Flag], TextStats]:
        cfg = self.cfg
        language = record.language if record.language not in _UNDETERMINED else doc.language
        text = _plain(record.text, record.pii.spans)
        types = set(record.element_types)
        ctx = Context(structured=bool(types & STRUCTURED), document=False)
        stats = measure(
            text,
            language=language,
            ngrams=not ctx.structured,
            short_line_chars=cfg.short_line_chars,
            top_ngrams=self._top_ns,
            top_limits=self._top_limits,
            dup_ngrams=self._dup_ns,
            dup_limits=self._dup_limits,
        )
        flags = text_flags(stats, cfg, ctx, self.severities)
        if stats.tokens and record.tokens < cfg.min_chunk_tokens:
            flags.append(
                self._flag("too_few_tokens", record.tokens, cfg.min_chunk_tokens, capped=True)
            )
        if record.text:
            share = _covered(record.pii.spans) / len(record.text)
            if share > cfg.max_pii_ratio:
                flags.append(self._flag("pii_dense", round(share, 4), cfg.max_pii_ratio))
        if types and types <= {"quote"}:
            flags.append(self._flag("quoted_only", True, None))
        mismatch = self._chunk_language(record, doc)
        if mismatch is not None:
            flags.append(mismatch)
        return flags, stats

    def _chunk_language(self, record: Record, doc: Document) -> Flag | None:
        lang = record.language
        if lang in _UNDETERMINED or any(f.code == "language_uncertain" for f in record.flags):
            return None  # a guess we do not trust cannot be a mismatch
        expected = self.config.language.languages
        if expected:
            if lang not in expected:
                return self._mismatch(str(lang), ",".join(expected), "warn")
            return None
        if doc.language not in _UNDETERMINED and lang != doc.language:
            # Against its own document a different language is information (mixed documents).
            return self._mismatch(str(lang), str(doc.language), "info")
        return None

    # -- helpers ------------------------------------------------------------------------------

    def _flag(
        self,
        code: str,
        value: float | int | bool | str | None,
        threshold: float | int | str | None,
        *,
        capped: bool = False,
    ) -> Flag:
        severity = self.severities.of(code)
        if capped:
            severity = self.severities.capped(code, severity, True)
        return make_flag(code, value, threshold, severity=severity)

    def _mismatch(self, value: str, threshold: str, default: str) -> Flag:
        severity = self.severities.of("language_mismatch", default)  # type: ignore[arg-type]
        return make_flag("language_mismatch", value, threshold, severity=severity)

    def _copy(self, flag: Flag) -> Flag:
        severity = self.severities.overrides.get(flag.code, flag.severity)
        return flag.model_copy(update={"severity": severity})


def _plain(text: str, spans: Iterable[PiiSpan]) -> str:
    spans = list(spans)
    return without_spans(text, ((s.start, s.end) for s in spans)) if spans else text


def _covered(spans: Iterable[PiiSpan]) -> int:
    """Characters inside redactions, overlaps counted once."""
    total = end = 0
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        start = max(s.start, end)
        if s.end > start:
            total += s.end - start
            end = s.end
    return total


def _main_content_ratio(doc: Document) -> float | None:
    """HTML main text / visible text, as the HTML loader reports it (flag or metadata)."""
    for flag in doc.flags:
        if flag.code == "boilerplate_ratio" and isinstance(flag.value, int | float):
            return float(flag.value)
    value = doc.metadata.extra.get("boilerplate_ratio")
    return float(value) if isinstance(value, int | float) else None


__all__ = ["STRUCTURED", "Quality"]
