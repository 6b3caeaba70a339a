"""Language identification for documents and chunks."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from .base import DocWork


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1, or "und"
    confidence: float


def detect_language(text: str) -> LanguageGuess:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    if not any(ch.isalpha() for ch in text):
        return LanguageGuess("und", 0.0)
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return LanguageGuess("und", 0.0)
    return LanguageGuess(best.lang.split("-")[0], float(best.prob))


class DocumentLanguage:
    name = "language"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        guess = detect_language(work.document.text[:20000])
        work.document.language = guess.code
        work.document.languages = [guess.code] if guess.code != "und" else []


class ChunkLanguage:
    name = "chunk_language"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        for record in work.records:
            record.language = work.document.language
