"""Optional second opinion from lingua (the `lang` extra) on the few candidates left in doubt.

lingua's 1- to 5-gram models are the best evidence for short texts, but they are slow to load
and cost time per candidate, so they are asked only about texts the n-grams leave close, and
only about the top few candidates: a detector per candidate set, kept in a small cache. Models
load lazily, per language, the first time a candidate set needs them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

# ISO 639-1 codes where lingua and langdetect disagree.
_TO_LINGUA = {"no": "nb"}
_FROM_LINGUA = {v: k for k, v in _TO_LINGUA.items()}
_MIN_CONFIDENCE = 1e-9


@cache
def lingua_available() -> bool:
    try:
        import lingua  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _supported() -> frozenset[str]:
    from lingua import Language

    codes = {lang.iso_code_639_1.name.lower() for lang in Language.all()}
    return frozenset(_FROM_LINGUA.get(c, c) for c in codes)


@lru_cache(maxsize=512)
def _detector(codes: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, _TO_LINGUA.get(c, c).upper()) for c in codes]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def lingua_log_confidences(text: str, candidates: Sequence[str]) -> dict[str, float] | None:
    """log(confidence) per candidate lingua knows; None when it cannot help."""
    if not lingua_available():
        return None
    known = tuple(sorted(c for c in candidates if c in _supported()))
    if len(known) < 2:
        return None
    out = {}
    for value in _detector(known).compute_language_confidence_values(text):
        code = value.language.iso_code_639_1.name.lower()
        out[_FROM_LINGUA.get(code, code)] = math.log(max(value.value, _MIN_CONFIDENCE))
    # Candidates lingua does not cover get the average, so they are neither helped nor sunk.
    mean = sum(out.values()) / len(out)
    return {c: out.get(c, mean) for c in candidates}
