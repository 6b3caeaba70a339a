"""Language identification for documents (before chunking) and for each chunk.

The detector itself lives in lang_detect (script, n-grams, frequent words, optional lingua);
this module applies it: a document's languages are weighed by characters over its blocks of
text, and each chunk is judged on its own text with the document's languages as a prior.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ...config import Config, LanguageConfig
from ...flags import make_flag
from ...models import Document, Element, Record
from ..base import DocWork
from .detect import UNDETERMINED, LanguageGuess, detect

__all__ = [
    "ChunkLanguage",
    "DocumentLanguage",
    "LanguageGuess",
    "detect_language",
    "document_languages",
]

# Element types that carry no prose: their words are not evidence of the language.
_SKIP_TYPES = frozenset({"header", "footer", "code", "formula", "image", "email_header"})
# Tables are mostly names, numbers and codes: they count, but for less than prose.
_LIGHT_TYPES = frozenset({"table"})
_LIGHT_WEIGHT = 0.2
# Short elements (headings, list items) are judged together, in blocks of about this size.
_BLOCK_CHARS = 200
# A document past this many blocks is judged on an evenly spaced sample of them: the estimate
# only decides how PII detection reads the text (chunks settle the document's languages).
_MAX_BLOCKS = 64


def detect_language(text: str) -> LanguageGuess:
    """ISO 639-1 code and confidence for `text`; `und` when there is nothing to go on."""
    return detect(text)


def document_languages(elements: Iterable[Element], config: LanguageConfig) -> dict[str, float]:
    """Share of the document's text in each language (by characters, weighed by confidence)."""
    blocks = _blocks(elements)
    if len(blocks) > _MAX_BLOCKS:
        step = len(blocks) / _MAX_BLOCKS
        blocks = [blocks[int(i * step)] for i in range(_MAX_BLOCKS)]
    weights: dict[str, float] = defaultdict(float)
    for text, weight in blocks:
        guess = _guess(text, config)
        if guess.code != UNDETERMINED:
            weights[guess.code] += len(text) * weight * guess.confidence
    return _shares(weights)


def _blocks(elements: Iterable[Element]) -> list[tuple[str, float]]:
    """(text, weight) blocks: long elements alone, short ones merged, tables apart and light."""
    blocks: list[tuple[str, float]] = []
    pending: list[str] = []
    size = 0
    for el in elements:
        if el.type in _SKIP_TYPES or not el.text.strip():
            continue
        if el.type in _LIGHT_TYPES:
            blocks.append((el.text, _LIGHT_WEIGHT))
        elif len(el.text) >= _BLOCK_CHARS:
            blocks.append((el.text, 1.0))
        else:
            pending.append(el.text)
            size += len(el.text)
            if size >= _BLOCK_CHARS:
                blocks.append(("\n".join(pending), 1.0))
                pending, size = [], 0
    if pending:
        blocks.append(("\n".join(pending), 1.0))
    return blocks


def _shares(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    if not total:
        return {}
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return {code: round(weight / total, 4) for code, weight in ranked}


def _set_document_languages(
    doc: Document, shares: dict[str, float], config: LanguageConfig
) -> None:
    if not shares:
        return
    doc.language = next(iter(shares))
    doc.languages = [c for c, s in shares.items() if s >= config.min_share]
    doc.metadata.extra["language_shares"] = shares


def _guess(
    text: str, config: LanguageConfig, prior: dict[str, float] | None = None
) -> LanguageGuess:
    return detect(
        text, candidates=config.languages or None, prior=prior, use_lingua=config.use_lingua
    )


class DocumentLanguage:
    """Sets Document.language (the main language) and Document.languages (all above min_share)."""

    name = "language"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        doc = work.document
        doc.language, doc.languages = UNDETERMINED, []
        _set_document_languages(
            doc, document_languages(doc.elements, self.config.language), self.config.language
        )


class ChunkLanguage:
    """Sets Record.language per chunk and flags chunks whose language is uncertain."""

    name = "chunk_language"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        cfg = self.config.language
        doc = work.document
        # First each chunk on its own text; then the ones that text leaves uncertain again, with
        # the document's languages (from its confident chunks) as a prior.
        guesses = [_guess(record.text, cfg) for record in work.records]
        prior = _shares(_weights(work.records, guesses)) or _estimate(doc)
        if prior:
            guesses = [
                _guess(record.text, cfg, prior) if guess.confidence < cfg.min_confidence else guess
                for record, guess in zip(work.records, guesses, strict=True)
            ]
        main = next(iter(prior)) if prior else UNDETERMINED
        for record, guess in zip(work.records, guesses, strict=True):
            # Nothing to go on in a chunk (numbers, a table of codes): it is part of the
            # document, so it takes the document's main language, flagged as a guess.
            record.language = main if guess.code == UNDETERMINED else guess.code
            if guess.confidence < cfg.min_confidence:
                record.flags.append(
                    make_flag(
                        "language_uncertain",
                        round(guess.confidence, 4),
                        cfg.min_confidence,
                        severity="warn" if guess.code == UNDETERMINED else "info",
                    )
                )
        # The document's languages, final: by characters across its chunks (an estimate made
        # before chunking served PII detection; chunks exclude furniture and see the same text).
        _set_document_languages(doc, _shares(_weights(work.records, guesses)), cfg)


def _weights(records: list[Record], guesses: list[LanguageGuess]) -> dict[str, float]:
    """Characters per language over the chunks, weighed by confidence."""
    weights: dict[str, float] = defaultdict(float)
    for record, guess in zip(records, guesses, strict=True):
        if guess.code != UNDETERMINED:
            weights[guess.code] += len(record.text) * guess.confidence
    return weights


def _estimate(doc: Document) -> dict[str, float] | None:
    """The shares DocumentLanguage estimated before chunking, when it ran."""
    shares = doc.metadata.extra.get("language_shares")
    return {c: float(v) for c, v in shares.items()} if isinstance(shares, dict) else None
