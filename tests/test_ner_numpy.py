"""spaCy's small NER run in numpy (pii.ner_numpy) finds what spaCy finds, or is not used.

Texts are synthetic: the project's own labelled PII generator (Faker, seeded, many locales).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest

from llmprep.pii import nlp
from llmprep.pii.ner_numpy import NumpyNer
from pdf_pages import bench_module

spacy = pytest.importorskip("spacy")
pytest.importorskip("faker")

HAS_MODEL = nlp.resolve_model("auto") is not None
HAS_FRENCH = nlp.resolve_model("auto", "fr") is not None
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="no spaCy English model installed")
needs_french = pytest.mark.skipif(not HAS_FRENCH, reason="no spaCy French model installed")


@functools.cache
def labelled_examples(n: int, seed: int) -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = bench_module("pii_data").generate("tune", n, seed)
    return examples


def synthetic_texts(n: int, seed: int, language: str | None = None) -> list[str]:
    """Texts of llmprep's labelled PII generator (bench/pii_data.py): chat, tickets, letters,
    forms, signatures, CSV-like rows and headers, in many locales and casings."""
    examples = labelled_examples(n, seed)
    return [e["full_text"] for e in examples if language in (None, e["language"])]


def spacy_entities(pipeline: Any, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in pipeline.pipe(texts, batch_size=64)
    ]


def assert_same_as_spacy(pipeline: Any, texts: list[str]) -> int:
    """Both paths on each text alone and in one batch; returns how many entities spaCy found."""
    fast = NumpyNer.from_pipeline(pipeline)
    assert fast is not None
    with nlp.one_blas_thread():
        theirs = spacy_entities(pipeline, texts)
        alone = [fast([pipeline.make_doc(text)])[0] for text in texts]
        batched = fast([pipeline.make_doc(text) for text in texts])
    assert alone == theirs
    assert batched == theirs
    return sum(map(len, theirs))


@pytest.fixture(scope="module")
def english() -> Any:
    return nlp.ner_pipeline(nlp.resolve_model("auto") or "")


@needs_model
def test_the_english_model_gives_the_same_entities_both_ways(english: Any) -> None:
    texts = synthetic_texts(300, seed=11)
    found = assert_same_as_spacy(english, texts)
    assert found > 300  # the texts are full of entities: the comparison is not empty


@needs_model
def test_docs_are_read_in_passes_of_bounded_size_with_the_same_entities(
    english: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from llmprep.pii import ner_numpy

    texts = synthetic_texts(40, seed=14)
    texts.append(" ".join(texts))  # one doc longer than a pass by itself
    monkeypatch.setattr(ner_numpy, "TOKENS_PER_PASS", 40)
    assert assert_same_as_spacy(english, texts) > 40


@needs_model
def test_empty_and_whitespace_texts_and_one_token_texts(english: Any) -> None:
    texts = ["", "   ", "\n\n", "Paris", "Anna", "x", "Hello  \n  World", "Smith."]
    assert_same_as_spacy(english, texts)
    fast = NumpyNer.from_pipeline(english)
    assert fast is not None
    assert fast([]) == []


@needs_french
def test_the_french_model_gives_the_same_entities_both_ways() -> None:
    pipeline = nlp.ner_pipeline(nlp.resolve_model("auto", "fr") or "")
    texts = synthetic_texts(2000, seed=12, language="fr")
    assert assert_same_as_spacy(pipeline, texts) > 100


def untrained_ner(**model: Any) -> Any:
    """A blank pipeline with spaCy's default NER architecture, or a variant, random weights."""
    import spacy

    pipeline = spacy.blank("en")
    config: dict[str, Any] = {}
    if model:
        tok2vec = {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": model.get("width", 96),
            "depth": model.get("depth", 4),
            "embed_size": 500,
            "window_size": model.get("window_size", 1),
            "maxout_pieces": model.get("maxout_pieces", 3),
            "subword_features": model.get("subword_features", True),
        }
        config = {
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": model.get("hidden_width", 64),
                "maxout_pieces": model.get("parser_pieces", 2),
                "use_upper": True,
                "tok2vec": tok2vec,
            }
        }
    ner = pipeline.add_pipe("ner", config=config)
    for label in ("PERSON", "ORG", "GPE", "DATE"):
        ner.add_label(label)
    pipeline.initialize()
    # spaCy starts the output layer at zero (every move ties); random weights everywhere make
    # the model predict entities of every length, so every move is exercised.
    rng = np.random.default_rng(7)
    for node in ner.model.walk():
        for name in node.param_names:
            shape = node.get_param(name).shape
            node.set_param(name, rng.normal(scale=0.5, size=shape).astype("float32"))
    return pipeline


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"window_size": 2, "depth": 2, "maxout_pieces": 2},
        {"width": 48, "hidden_width": 32, "parser_pieces": 3},
        {"subword_features": False},
    ],
    ids=["default", "wide-window", "narrow", "no-subwords"],
)
def test_spacy_ner_architectures_with_random_weights_decode_alike(variant: dict[str, Any]) -> None:
    pipeline = untrained_ner(**variant)
    assert assert_same_as_spacy(pipeline, synthetic_texts(60, seed=13)) > 60


def test_other_architectures_and_pipelines_are_left_to_spacy() -> None:
    import spacy

    with_tok2vec = spacy.blank("en")
    with_tok2vec.add_pipe("tok2vec")
    with_tok2vec.add_pipe("ner").add_label("PERSON")
    with_tok2vec.initialize()
    assert NumpyNer.from_pipeline(with_tok2vec) is None

    beam = spacy.blank("en")
    beam.add_pipe("beam_ner").add_label("PERSON")
    beam.initialize()
    assert NumpyNer.from_pipeline(beam) is None

    no_upper = spacy.blank("en")
    config = {"model": {"@architectures": "spacy.TransitionBasedParser.v2", "use_upper": False}}
    no_upper.add_pipe("ner", config=config).add_label("PERSON")
    no_upper.initialize()
    assert NumpyNer.from_pipeline(no_upper) is None


@needs_model
def test_a_model_whose_numpy_path_disagrees_on_the_probes_runs_through_spacy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = nlp.resolve_model("auto") or ""
    pipeline = nlp.ner_pipeline(model)
    assert nlp._checked_numpy_ner(pipeline, model) is not None
    monkeypatch.setattr(NumpyNer, "__call__", lambda self, docs: [[] for _ in docs])
    assert nlp._checked_numpy_ner(pipeline, model) is None
    # ner_entities then reads through spaCy, and still finds the names.
    monkeypatch.setitem(nlp._NUMPY_NER, model, None)
    monkeypatch.setitem(nlp._SEGMENT_CACHE, model, nlp.OrderedDict())
    [found] = nlp.ner_entities(model, ["Anna Berg met Olaf Vandersloot in Lisbon."])
    assert {e.label_ for e in found} >= {"PERSON", "GPE"}


@needs_model
def test_an_entity_never_runs_into_a_token_that_starts_a_sentence(english: Any) -> None:
    """Docs that arrive with sentence starts set (a user's own Doc): spaCy ends an entity before
    such a token, and so does the numpy path."""
    fast = NumpyNer.from_pipeline(english)
    assert fast is not None
    texts = synthetic_texts(200, seed=15)

    def with_starts(text: str) -> Any:
        doc = english.make_doc(text)
        for token in doc[1:]:
            token.is_sent_start = token.i % 2 == 0  # starts inside names, too
        return doc

    with nlp.one_blas_thread():
        theirs = [
            [
                (e.start_char, e.end_char, e.label_)
                for e in nlp._through(english, with_starts(t)).ents
            ]
            for t in texts
        ]
        ours = fast([with_starts(t) for t in texts])
    assert ours == theirs
    assert sum(map(len, theirs)) > 100
