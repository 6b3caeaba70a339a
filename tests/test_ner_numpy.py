"""spaCy's small NER run in numpy (pii.ner_numpy) finds what spaCy finds, or is not used.

Texts are synthetic (Faker, seeded, several locales, templates written here).
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from llmprep.pii import nlp
from llmprep.pii.ner_numpy import NumpyNer

spacy = pytest.importorskip("spacy")

HAS_MODEL = nlp.resolve_model("auto") is not None
HAS_FRENCH = nlp.resolve_model("auto", "fr") is not None
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="no spaCy English model installed")
needs_french = pytest.mark.skipif(not HAS_FRENCH, reason="no spaCy French model installed")

TEMPLATES = [
    "{name} from {company} will visit {city} on Monday.",
    "Thanks {first},\nthe parcel left {city} yesterday. Best, {name}",
    "hi {first_lower}, can u call {company} about the refund",
    "Kind regards,\n{name}\n{job} | {company}\n{address}",
    "RE: Invoice 4471 for {company} ({city})",
    "{name}, {company}, {city}; {name2}, {company2}",
    "Annual Report of the {company} Board   \n\n  Minutes taken by {name}",
    "Ms. {last} said the {city} office of {company} opens in May.",
    "Le dossier de {name} est chez {company} à {city}.",
    "{name} <{email}> wrote:\n> see you in {city}",
]
LOCALES = ["en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_BR"]


def synthetic_texts(n: int, seed: int) -> list[str]:
    from faker import Faker

    fakers = {}
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        fakers[locale] = fake
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        fake = fakers[rng.choice(LOCALES)]
        first = fake.first_name()
        values = {
            "name": f"{first} {fake.last_name()}",
            "name2": fake.name(),
            "first": first,
            "first_lower": first.lower(),
            "last": fake.last_name(),
            "company": fake.company(),
            "company2": fake.company(),
            "city": fake.city(),
            "job": fake.job(),
            "address": fake.address(),
            "email": fake.email(),
        }
        texts.append(rng.choice(TEMPLATES).format(**values))
    return texts


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
    texts = [t for t in synthetic_texts(300, seed=12) if t.isascii() or "à" in t]
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
