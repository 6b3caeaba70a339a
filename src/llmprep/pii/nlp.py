"""Which spaCy model runs NER, how it reads the text, and the artifacts Presidio is handed.

Presidio's default configuration names `en_core_web_lg` and downloads it when missing; here the
model is always named explicitly, checked to be installed first, and never downloaded. Only the
NER component runs (plus its tok2vec when it listens to one): tagger, parser and lemmatizer cost
most of the time and PII needs none of them. NER reads line-aligned segments in large batches;
lines without letters are skipped. Presidio gets the entities plus regex tokens for its context
words (lowercased tokens instead of lemmas), through a no-op NLP engine.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .lexicon import UPPER
from .model_names import PREFERRED_BY_LANGUAGE, PREFERRED_MODELS

if TYPE_CHECKING:
    from .ner_numpy import NumpyNer

log = logging.getLogger("llmprep.pii")


# spaCy labels -> Presidio entity types; everything else the model emits is ignored.
LABEL_MAPPING = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORGANIZATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "NRP",
}
# Windows are cut well under this, so spaCy's limit is never what stops a long document.
MAX_LENGTH = 2_000_000


def model_installed(name: str) -> bool:
    """True when `name` is an importable spaCy package or a model directory."""
    if not name or name in ("none", "auto"):
        return False
    if Path(name).is_dir() and (Path(name) / "config.cfg").is_file():
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model(setting: str, language: str = "en") -> str | None:
    """The model to load for `pii.ner_model` (or a language's `pii.ner_models`), or None."""
    if setting == "none":
        return None
    if setting == "auto":
        preferred = (
            PREFERRED_MODELS if language == "en" else PREFERRED_BY_LANGUAGE.get(language, ())
        )
        return next((m for m in preferred if model_installed(m)), None)
    if model_installed(setting):
        return setting
    log.warning("spaCy model %r is not installed; PII detection runs on patterns only", setting)
    return None


_NO_OP: list[Any] = []


def presidio_nlp_engine() -> Any:
    """The NLP engine Presidio's AnalyzerEngine is built with: a no-op one, since llmprep hands
    it ready artifacts (entities from `ner_entities`, tokens from a regex) for every text."""
    if not _NO_OP:
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        conf = {"nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "no_op"}]}
        _NO_OP.append(NlpEngineProvider(nlp_configuration=conf).create_engine())
    return _NO_OP[0]


_PIPELINES: dict[str, Any] = {}
_NUMPY_NER: dict[str, NumpyNer | None] = {}


def ner_pipeline(model: str) -> Any:
    """The spaCy pipeline for `model`, NER only, loaded once per process; never downloaded."""
    if model not in _PIPELINES:
        if not model_installed(model):
            raise RuntimeError(f"spaCy model {model!r} is not installed")
        nlp = load_ner_only(model)
        _use_openblas_if_blis_is_generic(nlp)
        _PIPELINES[model] = nlp
        _NUMPY_NER[model] = _checked_numpy_ner(nlp, model)
    return _PIPELINES[model]


# Sentences both NER paths read when a model is loaded: numpy's path (pii.ner_numpy) is used
# only when it finds exactly the entities spaCy finds in them.
_PROBES = [
    "Anna Berg met Olaf Vandersloot of Brightline Analytics in Lisbon on Monday.",
    "Please ask Dr. Keiko Tanaka at Northwind Traders about the Oslo office.",
    "Thanks Sara,\nthe invoice from Keller & Sons GmbH reached Zurich yesterday.",
    "Le contrat a été signé par Jean Dupont à Marseille pour la société Durand SA.",
    "Kind regards,\nMartin O'Neill\nHead of Sales, Acme Corporation, Dublin",
]


def _checked_numpy_ner(nlp: Any, model: str) -> NumpyNer | None:
    from .ner_numpy import NumpyNer

    fast = NumpyNer.from_pipeline(nlp)
    if fast is None:
        return None
    with one_blas_thread():
        docs = [nlp.make_doc(text) for text in _PROBES]
        theirs = [
            [(e.start_char, e.end_char, e.label_) for e in _through(nlp, d).ents] for d in docs
        ]
        if fast([nlp.make_doc(text) for text in _PROBES]) != theirs:
            log.info("NER of %s runs through spaCy: the numpy path disagrees on probes", model)
            return None
    return fast


# spaCy's matrix products go through BLIS (the `blis` package), which picks its kernels for the
# CPU it finds. On a CPU it does not know (AMD Zen 5, for one) it falls back to its generic
# reference kernels: there the model's matrix products take most of NER's time, 2-3x what
# numpy's OpenBLAS takes for the same products. Only then are the NER model's products routed
# through numpy (thinc's own path for machines without BLIS), with OpenBLAS held to one thread
# for the calling thread while the model runs: its thread pool costs more than it saves on a
# sentence, and PII runs already spread over processes. Elsewhere nothing changes.
_BLAS_STATE: list[Any] = []  # [openblas_set_num_threads_local, or None], once looked up


def _blis_is_generic() -> bool:
    try:
        import ctypes

        import blis.cy

        lib = ctypes.CDLL(blis.cy.__file__)
        lib.bli_arch_string.restype = ctypes.c_char_p
        return bool(lib.bli_arch_string(lib.bli_arch_query_id()) == b"generic")
    except Exception:  # another BLIS build: leave it be
        return False


def _openblas_thread_setter() -> Any:
    """numpy's OpenBLAS `openblas_set_num_threads_local`, if that library is the one loaded."""
    import ctypes

    import numpy  # noqa: F401  (loads its OpenBLAS)

    maps = Path("/proc/self/maps")
    if not maps.is_file():
        return None
    paths = {line.split()[-1] for line in maps.read_text().splitlines() if "openblas" in line}
    for path in sorted(p for p in paths if p.startswith("/")):
        try:
            setter = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        return setter
    return None


def _blas_thread_setter() -> Any:
    if not _BLAS_STATE:
        _BLAS_STATE.append(_openblas_thread_setter())
    return _BLAS_STATE[0]


def _use_openblas_if_blis_is_generic(nlp: Any) -> None:
    if _blas_thread_setter() is None or not _blis_is_generic():
        return
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """While the model runs, numpy's OpenBLAS uses one thread in this thread (see above; the
    numpy NER path, pii.ner_numpy, runs its products there too)."""
    setter = _blas_thread_setter()
    if setter is None:
        yield
        return
    before = setter(1)
    try:
        yield
    finally:
        setter(before)


@dataclass(frozen=True, slots=True)
class NerEntity:
    """An entity as the NER recognizer reads it (the attribute names of a spaCy Span)."""

    start_char: int
    end_char: int
    label_: str


# NER reads segments of whole lines up to this size. Many short docs let spaCy's parser advance
# a whole batch of them per step (one 100k-character doc advances one token per step): ~20%
# faster on long documents, and a segment never ends inside a line.
SEGMENT_CHARS = 600
BATCH_SIZE = 256
_LETTER = re.compile(r"[^\W\d_]")
# A one-letter list marker opening a line ("b. complies with", "(c) the trustee", "G. CHAPTER
# SEVEN") reads to NER like a person's initial. Before a lower-case or all-capitals word it is a
# marker, so NER sees spaces there instead (same length: offsets hold). Before a capitalized
# word ("A. Smith") it may be an initial, and stays.
_LIST_MARKER = re.compile(r"(?m)^[ \t]*\(?[A-Za-z][.)](?=[ \t]+(?:[a-z]|[A-Z]{2,}\b))")


def _unmarked(segment: str) -> str:
    """The segment as NER reads it: list markers blanked, all-lower or all-capital prose
    re-cased (pii.casing); same length, so offsets hold."""
    from .casing import recase

    segment = _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), segment)
    return recase(segment) or segment


def ner_segments(text: str, size: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """(start, end) of runs of whole lines, each up to `size` characters (a longer line alone).

    Lines without a letter (rules, numbers, tables of figures) are left out: NER finds no name,
    company or place in them.
    """
    out: list[tuple[int, int]] = []
    start = end = -1
    pos = 0
    for line in text.split("\n"):
        line_end = pos + len(line)
        if _LETTER.search(line) is None:
            if start >= 0:
                out.append((start, end))
                start = -1
        elif start < 0:
            start, end = pos, line_end
        elif line_end - start > size:
            out.append((start, end))
            start, end = pos, line_end
        else:
            end = line_end
        pos = line_end + 1
    if start >= 0:
        out.append((start, end))
    return out


# Segment text -> its entities (offsets in the segment), per model. Each segment is read on its
# own, so a repeated one (a disclaimer under every email, a clause a contract repeats, a
# template's boilerplate) gets the same answer it got before: reading it once is lossless.
# Bounded by entries and by the length of what is kept (at most ~10M characters per model).
SEGMENT_CACHE_SIZE = 10_000
SEGMENT_CACHE_MAX_CHARS = 1_000
_SEGMENT_CACHE: dict[str, OrderedDict[str, tuple[NerEntity, ...]]] = {}


def ner_entities(model: str, texts: list[str]) -> list[list[NerEntity]]:
    """The model's person, organisation, place and group entities in each text, in its offsets."""
    cache = _SEGMENT_CACHE.setdefault(model, OrderedDict())
    plan = [
        (i, a, _unmarked(texts[i][a:b]))
        for i, text in enumerate(texts)
        for a, b in ner_segments(text)
    ]
    # Answers for this call are taken from the cache up front: another thread evicting them
    # meanwhile cannot take them away.
    known: dict[str, tuple[NerEntity, ...]] = {}
    for _, _, seg in plan:
        found = cache.get(seg)
        if found is not None:
            known[seg] = found
    todo = list(dict.fromkeys(seg for _, _, seg in plan if seg not in known))
    # A segment with no capitalized word but function words and common capitals ("Please",
    # "Monday") holds no name the model could find: it is not read at all.
    for seg in [s for s in todo if not _has_candidates(s)]:
        known[seg] = ()
    todo = [s for s in todo if s not in known]
    if todo:
        with one_blas_thread():
            for seg, entities in zip(todo, _read(model, todo), strict=True):
                known[seg] = found = tuple(
                    NerEntity(start, end, label)
                    for start, end, label in entities
                    if label in LABEL_MAPPING
                )
                if len(seg) <= SEGMENT_CACHE_MAX_CHARS:
                    cache[seg] = found
    out: list[list[NerEntity]] = [[] for _ in texts]
    for i, a, seg in plan:
        out[i].extend(NerEntity(e.start_char + a, e.end_char + a, e.label_) for e in known[seg])
    with suppress(KeyError):  # another thread may evict at the same time: no harm
        for seg in known:
            if seg in cache:
                cache.move_to_end(seg)  # recently used: evicted last
        while len(cache) > SEGMENT_CACHE_SIZE:
            cache.popitem(last=False)
    return out


_CAPITALIZED = re.compile(r"(?<![\w'’])[" + UPPER + r"][\w'’\-]*")


def _read(model: str, texts: list[str]) -> Iterator[list[tuple[int, int, str]]]:
    """(start, end, label) of the model's entities in each text, batch by batch."""
    nlp = ner_pipeline(model)
    fast = _NUMPY_NER.get(model)
    if fast is not None:
        for i in range(0, len(texts), BATCH_SIZE):
            yield from fast([nlp.make_doc(text) for text in texts[i : i + BATCH_SIZE]])
        return
    # One short text (a `redact` call) goes straight through the model's components: `pipe`
    # costs more than the model itself on a sentence or two.
    docs = [_through(nlp, texts[0])] if len(texts) == 1 else nlp.pipe(texts, batch_size=BATCH_SIZE)
    for doc in docs:
        yield [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _through(nlp: Any, doc: Any) -> Any:
    """A text or a tokenized doc through the pipeline's components, without `pipe`."""
    if isinstance(doc, str):
        doc = nlp.make_doc(doc)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _has_candidates(segment: str) -> bool:
    """A capitalized word that is no function word and no common capitalized word."""
    from .lexicon import COMMON_CAPITALIZED, STOP_WORDS

    for m in _CAPITALIZED.finditer(segment):
        word = m.group(0)
        if word.lower() not in STOP_WORDS and word not in COMMON_CAPITALIZED:
            return True
    return False


_UNUSED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]


def load_ner_only(name: str) -> Any:
    """The model with only its NER (and the tok2vec it listens to, if it shares one)."""
    import spacy

    try:
        nlp = spacy.load(name, exclude=[*_UNUSED, "tok2vec"])
        if "ner" not in nlp.pipe_names:
            raise RuntimeError(f"spaCy model {name!r} has no NER component")
        if not _ner_is_standalone(nlp):
            raise ValueError("ner listens to tok2vec")
    except (ValueError, KeyError):
        nlp = spacy.load(name, exclude=_UNUSED)
    nlp.max_length = MAX_LENGTH
    return nlp


def _ner_is_standalone(nlp: Any) -> bool:
    """False when the NER component reads a shared tok2vec that was excluded."""
    try:
        ner = nlp.get_pipe("ner")
        for node in ner.model.walk():
            if node.name.startswith("tok2vec-listener") or type(node).__name__ == "Tok2VecListener":
                return False
    except Exception:  # an unusual pipeline: keep its tok2vec to be safe
        return False
    return True


# Score Presidio records for each NER entity; the NER recognizer sets its own per type.
_ENTITY_SCORE = 0.85
_TOKEN = re.compile(r"\w+|[^\w\s]")


def light_artifacts(text: str, entities: list[NerEntity] | None = None) -> Any:
    """Presidio NlpArtifacts: NER entities, and tokens for context words from a regex tokenizer.

    Lowercased tokens stand in for lemmas: no lemmatizer (or spaCy tokenizer) has to run.
    """
    from presidio_analyzer.nlp_engine import NlpArtifacts

    from .lexicon import STOP_WORDS

    found = list(_TOKEN.finditer(text))
    words = [m.group(0) for m in found]
    indices = [m.start() for m in found]
    # Presidio's context enhancer raises when a match starts after the last token (a custom
    # regex that begins with whitespace at the end): a blank tail token covers the rest.
    tail = (indices[-1] + len(words[-1])) if words else 0
    if tail < len(text):
        words.append(text[tail:])
        indices.append(tail)
    lemmas = [w.lower() for w in words]
    entities = entities or []
    artifacts = NlpArtifacts(
        entities=entities,  # type: ignore[arg-type]
        tokens=words,  # type: ignore[arg-type]
        tokens_indices=indices,
        lemmas=lemmas,
        nlp_engine=None,
        language="en",
        scores=[_ENTITY_SCORE] * len(entities),
    )
    artifacts.keywords = [
        w for w in lemmas if w and w not in STOP_WORDS and (w[0].isalnum() or w == "#")
    ]
    return artifacts
