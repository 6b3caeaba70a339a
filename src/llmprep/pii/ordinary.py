"""Ordinary English words: evidence that a lower-case word or a title-case phrase is no name.

The word lists come from the lemmatizer tables that ship inside the installed English spaCy
model (WordNet's nouns, verbs, adjectives and adverbs, about 80,000 words), read once and only
when a rule asks. WordNet also lists some words that are names ("may", "hill"), so membership is
evidence of an ordinary word, never proof of a name when absent. Without a model the set holds
llmprep's own lexicons only, and the rules that need it stay cautious.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import threading
from functools import lru_cache

from .lexicon import COMMON_CAPITALIZED, ROLE_WORDS, STOP_WORDS
from .model_names import PREFERRED_MODELS

_LOCK = threading.Lock()


_NON_NOUNS: set[str] = set()


def _model_tables() -> set[str]:
    for name in PREFERRED_MODELS:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.origin:
            continue
        found = glob.glob(
            os.path.join(os.path.dirname(spec.origin), "*", "lemmatizer", "lookups", "lookups.bin")
        )
        if not found:
            continue
        try:
            import srsly

            with open(found[0], "rb") as fh:
                tables = srsly.msgpack_loads(fh.read())
            index = tables.get("lemma_index", {})
            lists = sorted(index.values(), key=len)
            # The longest list is WordNet's nouns (it holds some names too); the others are
            # verbs, adjectives and adverbs, which names rarely are.
            _NON_NOUNS.update(w for words in lists[:-1] for w in words if w.isalpha())
            return {w for words in lists for w in words if w.isalpha()}
        except Exception:  # an unusual package layout: fall back to the lexicons
            continue
    return set()


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Lower-case ordinary words (empty of the model's tables when no model is installed)."""
    with _LOCK:
        words = _model_tables()
        words |= STOP_WORDS
        words |= {w.lower() for w in COMMON_CAPITALIZED | ROLE_WORDS}
        return frozenset(words)


def has_word_lists() -> bool:
    """True when the model's word lists were found (more than the lexicons alone)."""
    return len(ordinary_words()) > 10_000


_INFLECTIONS = (
    ("ies", "y"),
    ("ied", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("'s", ""),
    ("’s", ""),
)


def _inflected(low: str, words: frozenset[str] | set[str]) -> bool:
    """An inflected form of a listed word: "refunds", "updated", "planned", "making"."""
    for suffix, repl in _INFLECTIONS:
        if not low.endswith(suffix) or len(low) <= len(suffix) + 2:
            continue
        stem = low[: -len(suffix)]
        if stem + repl in words:
            return True
        if suffix in ("ed", "ing") and not repl and stem[-1] == stem[-2] and stem[:-1] in words:
            return True  # "planned", "stopping"
    return False


def is_plain_word(word: str) -> bool:
    """An ordinary word that is not a bare noun (which may be a name: "Hill", "Smith"): a verb,
    an adjective, an adverb, a function word, or an inflected form ("Milestones")."""
    low = word.lower().strip(".,:;!?'’\"()")
    words = ordinary_words()
    if not low or low in STOP_WORDS or low in _NON_NOUNS:
        return True
    return low not in words and _inflected(low, words)


def is_adverb(word: str) -> bool:
    """An adverb in -ly ("Realistically", "Notably"): one of the model's non-nouns, so never a
    name ("Holly", "Kelly" are nouns there)."""
    return word.lower().endswith("ly") and has_word_lists() and is_plain_word(word)


def is_ordinary(word: str) -> bool:
    """An ordinary word, as written or in a simple inflection ("refunds", "citations")."""
    low = word.lower().strip(".,:;!?'’\"()")
    if not low:
        return True
    words = ordinary_words()
    return low in words or _inflected(low, words)
