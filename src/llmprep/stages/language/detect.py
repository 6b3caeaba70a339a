"""One language guess from three kinds of evidence: script, n-grams and frequent words.

1. The script picks the candidates (lang_script); a script of its own decides outright.
2. langdetect's n-gram profiles, scored in full (lang_ngrams), plus jusText's frequent words
   (lang_words) rank the candidates.
3. When the top two stay close, lingua (optional) re-scores the best few (lang_lingua).
Short texts (a few words, e.g. a heading or a table cell) take a path of their own when lingua
is there: the n-grams are few and weak, so lingua re-scores every candidate of the script, with
more weight, and frequent words weigh more to hold their own against it. Cheap on a few words,
and nothing changes for sentences.
The confidence is a softmax over the combined log-scores, so it falls as the margin shrinks.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .lingua_backend import lingua_available, lingua_log_confidences
from .ngrams import ngram_model
from .script import SCRIPT_LANGUAGES, dominant_script
from .words import word_scores

UNDETERMINED = "und"
# Weights of each kind of evidence, in the n-grams' log-likelihood units; set once on the dev
# sentences as three global numbers (nothing per language).
WORD_WEIGHT = 3.0
LINGUA_WEIGHT = 10.0
# lingua is consulted when the runner-up is within this margin, on this many candidates.
LINGUA_MARGIN = 20.0
LINGUA_TOP = 5
# Texts of at most SHORT_WORDS words: word and lingua weights for them, and lingua is asked
# about every candidate of the script (tuned as globals on the dev word pairs, checked on pairs
# from mid-sentence; nothing per language).
SHORT_WORDS = 3
SHORT_WORD_WEIGHT = 6.0
SHORT_LINGUA_WEIGHT = 20.0
# A document's languages, as a prior for its short chunks: score bonus at share 1.0.
PRIOR_WEIGHT = 8.0
# Softmax temperature turning log-score margins into a confidence (calibrated on the dev
# sentences and word pairs: texts given 0.8 are right about 80% of the time).
TEMPERATURE = 8.0
INDEPENDENT_GRAMS = 200
# Text past this length adds cost, not accuracy: a longer text is read as SAMPLES slices of
# equal size from its start, middle and end (so a chunk that changes language midway shows it).
MAX_CHARS = 1200
SAMPLES = 3
# Redaction placeholders (<PERSON_1>, <EMAIL_ADDRESS>, the `hash` operator's hex digests) and
# addresses are not language.
_NOISE = re.compile(
    r"<[A-Z][A-Z0-9_]*>|\b[0-9a-f]{16,}\b|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+"
)

# Words of two letters or more: a text in capitals needs two of them to be read as words.
_WORDS = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1, or "und"
    confidence: float


def detect(
    text: str,
    *,
    candidates: Iterable[str] | None = None,
    prior: Mapping[str, float] | None = None,
    use_lingua: bool = True,
) -> LanguageGuess:
    """Guess the language of `text`; deterministic, `und` when there is nothing to go on.

    `candidates` restricts the answer to expected languages (ignored for a text whose script
    none of them uses); `prior` maps language -> share, e.g. a document's languages, and tips
    the balance only where the text itself says little.
    """
    text = _NOISE.sub(" ", _sample(text))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if text.isupper() and len(_WORDS.findall(text, endpos=200)) >= 2:
        # The n-grams skip words in capitals as acronyms; a text of several words all in
        # capitals (a heading, a shouted line) is words, so it is read in lower case. A lone
        # word in capitals (NASA) stays an acronym.
        text = text.lower()
    script = dominant_script(text)
    if script is None or script not in SCRIPT_LANGUAGES:
        return LanguageGuess(UNDETERMINED, 0.0)
    pool = SCRIPT_LANGUAGES[script]
    if candidates is not None:
        allowed = set(candidates)
        pool = tuple(c for c in pool if c in allowed) or pool
    if len(pool) == 1:
        return LanguageGuess(pool[0], 1.0)

    with_lingua = use_lingua and lingua_available()
    # The short-text weights were set together: without lingua, the usual ones are best.
    short = with_lingua and len(text.split(maxsplit=SHORT_WORDS)) <= SHORT_WORDS
    base = _base_scores(text, pool, SHORT_WORD_WEIGHT if short else WORD_WEIGHT)
    if base is None:
        return LanguageGuess(UNDETERMINED, 0.0)
    scores, grams = base
    # Neighbouring n-grams are not independent evidence: past INDEPENDENT_GRAMS, margins grow
    # with length faster than certainty does, so the temperature grows with them. A list of
    # names gets a lower confidence than a sentence of the same margin per n-gram.
    temperature = TEMPERATURE * max(1.0, grams / INDEPENDENT_GRAMS)
    if prior:
        for code, share in prior.items():
            if code in scores:
                scores[code] += PRIOR_WEIGHT * share * temperature / TEMPERATURE
    ranked = sorted(scores, key=lambda c: (-scores[c], c))
    if with_lingua and scores[ranked[0]] - scores[ranked[1]] < LINGUA_MARGIN:
        top = ranked if short else ranked[:LINGUA_TOP]
        refined = lingua_log_confidences(text, top)
        if refined is not None:
            weight = SHORT_LINGUA_WEIGHT if short else LINGUA_WEIGHT
            scores = {c: scores[c] + weight * refined[c] for c in top}
            ranked = sorted(scores, key=lambda c: (-scores[c], c))
    return LanguageGuess(ranked[0], round(_confidence(scores, ranked[0], temperature), 4))


def _sample(text: str) -> str:
    """`text`, or for a long one SAMPLES evenly spaced slices of it, each cut to whole words."""
    if len(text) <= MAX_CHARS:
        return text
    size = MAX_CHARS // SAMPLES
    step = (len(text) - size) / (SAMPLES - 1)
    parts = []
    for n in range(SAMPLES):
        start = int(n * step)
        piece = text[start : start + size]
        if start:  # drop the word cut at the start
            piece = piece.partition(" ")[2]
        if start + size < len(text):  # and the one cut at the end
            piece = piece.rpartition(" ")[0]
        parts.append(piece)
    return "\n".join(parts)


def _base_scores(
    text: str, pool: tuple[str, ...], word_weight: float
) -> tuple[dict[str, float], int] | None:
    """Combined n-gram and word log-scores per candidate, and how many n-grams were known."""
    model = ngram_model()
    grams, count = model.scores(text)
    words = word_scores(text)
    if grams is None and not words:
        return None
    scores = {}
    for code in pool:
        value = word_weight * words.get(code, 0.0)
        col = model.index.get(code)
        if grams is not None and col is not None:
            value += float(grams[col])
        scores[code] = value
    return scores, count


def _confidence(scores: Mapping[str, float], best: str, temperature: float) -> float:
    top = scores[best]
    return 1.0 / sum(math.exp((s - top) / temperature) for s in scores.values())
