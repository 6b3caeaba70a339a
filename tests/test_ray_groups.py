"""The grouped duplicate decisions (what the Ray run-wide phase computes) mark exactly what the
sequential pass marks, on generated runs full of exact copies, near copies, chains and copies
chunked differently, whatever the partition of the keys and under every dedup setting."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from llmprep.config import Config
from llmprep.models import LoaderInfo, Record, Source
from llmprep.stages.dedup.fingerprint import Deduplicator, fingerprint
from llmprep.stages.dedup.groups import (
    CHUNK,
    GroupSettings,
    best,
    decide,
    key_rows,
    resolve,
)
from llmprep.stages.dedup.marks import apply_marks

SOURCE = Source(
    path="t.txt",
    sha256="0" * 64,
    size=0,
    media_type="text/plain",
    loader=LoaderInfo(name="t", version="1"),
)
_RNG = random.Random(5)
_VOCAB = sorted(
    {"".join(_RNG.choices("abcdefghiklmnoprstuw", k=_RNG.randint(3, 9))) for _ in range(3000)}
)


def _words(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(_VOCAB) for _ in range(n)]


def _changed(words: list[str], rng: random.Random, count: int) -> list[str]:
    out = list(words)
    for i in rng.sample(range(len(out)), min(count, len(out))):
        out[i] = "x" + rng.choice(_VOCAB)
    return out


def _run(seed: int, docs: int = 120) -> list[list[str]]:
    """Documents as lists of chunk texts: originals, exact copies (some re-chunked), near copies
    of originals and of copies (chains), repeated chunks, wordless chunks, shared boilerplate."""
    rng = random.Random(seed)
    boiler = " ".join(_words(rng, 40))
    made: list[list[str]] = []
    for _ in range(docs):
        roll = rng.random()
        if made and roll < 0.2:
            made.append(list(rng.choice(made)))  # exact copy
        elif made and roll < 0.3:
            words = " ".join(rng.choice(made)).split(" ")  # the same words, cut elsewhere
            cut = sorted(rng.sample(range(1, len(words)), min(2, len(words) - 1)))
            made.append(
                [
                    " ".join(words[a:b])
                    for a, b in zip([0, *cut], [*cut, len(words)], strict=True)
                    if words[a:b]
                ]
            )
        elif made and roll < 0.55:
            base = rng.choice(made)  # near copy: a few words changed in some chunks
            made.append([" ".join(_changed(c.split(" "), rng, rng.randint(0, 3))) for c in base])
        else:
            chunks = [" ".join(_words(rng, rng.randint(5, 80))) for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.2:
                chunks.append("--- | ---")  # no words
            if rng.random() < 0.2:
                chunks.append(boiler)
            if rng.random() < 0.1:
                chunks.append(chunks[0])  # repeated inside the document
            made.append(chunks)
    return made


def _records(run: list[list[str]]) -> list[list[Record]]:
    return [
        [
            Record(
                id=f"r_{d}_{i}",
                doc_id=f"d_{d}",
                chunk_index=i,
                text=t,
                tokens=1,
                tokenizer="chars",
                source=SOURCE,
            )
            for i, t in enumerate(chunks)
        ]
        for d, chunks in enumerate(run)
    ]


def _marks(docs: list[list[Record]]) -> list[tuple[Any, ...]]:
    return [
        (
            r.duplicate_of,
            [(f.code, f.value, f.threshold) for f in r.flags],
            r.metadata.get("duplicate_of_doc"),
        )
        for d in docs
        for r in d
    ]


class _MemoryTables:
    """`groups.Tables` over arrays held in memory (the Ray phase reads them from block files)."""

    def __init__(self, chunks: dict[str, Any], docs: dict[str, Any]) -> None:
        self.c, self.d = chunks, docs

    def chunk_ids(self, positions: Any) -> list[str]:
        return [self.c["id"][int(p)] for p in positions]

    def chunk_digests(self, positions: Any) -> tuple[Any, Any]:
        return self.c["digest"][positions], self.c["words"][positions]

    def signatures(self, level: int, positions: Any) -> Any:
        return (self.c if level == CHUNK else self.d)["sig"][positions]

    def documents(self, positions: Any) -> tuple[list[str], Any, Any]:
        return (
            [self.d["id"][int(p)] for p in positions],
            self.d["first"][positions],
            self.d["count"][positions],
        )


def _grouped(docs: list[list[Record]], config: Config, partitions: int, seed: int) -> None:
    """Mark `docs` the grouped way: key rows, a random partition of whole key groups, decide,
    best, resolve, apply."""
    settings = GroupSettings.from_config(config)
    perm = settings.num_perm
    c: dict[str, list[Any]] = {"id": [], "digest": [], "words": [], "sig": []}
    d: dict[str, list[Any]] = {
        "id": [],
        "digest": [],
        "words": [],
        "sig": [],
        "first": [],
        "count": [],
    }
    for records in docs:
        prints = fingerprint(records, config)
        assert prints is not None
        d["first"].append(len(c["id"]))
        d["count"].append(len(records))
        d["id"].append(records[0].doc_id)
        d["words"].append(prints.stream is not None)
        d["digest"].append(np.frombuffer(prints.stream or bytes(16), dtype=np.uint8))
        doc_sig = (
            prints.doc_signature if prints.doc_signature is not None else np.zeros(perm, np.uint32)
        )
        d["sig"].append(doc_sig)
        for i, r in enumerate(records):
            c["id"].append(r.id)
            c["words"].append(prints.digests[i] is not None)
            c["digest"].append(np.frombuffer(prints.digests[i] or bytes(16), dtype=np.uint8))
            sig = prints.signatures[i] if prints.signatures is not None else None
            c["sig"].append(sig if sig is not None else np.zeros(perm, np.uint32))
    chunks = {k: (v if k == "id" else np.array(v)) for k, v in c.items()}
    documents = {k: (v if k == "id" else np.array(v)) for k, v in d.items()}
    tables = _MemoryTables(chunks, documents)
    rows = [
        key_rows(
            level,
            np.arange(len(t["id"]), dtype=np.int64),
            t["digest"],
            t["words"],
            t["sig"],
            settings,
        )
        for level, t in ((0, chunks), (1, documents))
    ]
    all_rows = {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}
    # Partition by key, as a hash shuffle would: every group whole, groups spread anywhere.
    rng = random.Random(seed)
    flat = all_rows["key"].view(f"S{all_rows['key'].shape[1]}").ravel()
    _, group = np.unique(flat, return_inverse=True)
    where = np.array(
        [rng.randrange(partitions) for _ in range(group.max() + 1 if len(group) else 0)]
    )
    shuffled = np.array(rng.sample(range(len(flat)), len(flat)), dtype=np.int64)
    parts = []
    for p in range(partitions):
        take = shuffled[where[group.ravel()[shuffled]] == p]
        part = {k: v[take] for k, v in all_rows.items()}
        parts.append(decide(part, tables.signatures, settings))
    decisions = best({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
    doc_cols = {
        "pos": np.arange(len(docs), dtype=np.int64),
        "first": documents["first"],
        "count": documents["count"],
    }
    chunk_matches, doc_matches = resolve(decisions, doc_cols, tables, settings)
    for n, records in enumerate(docs):
        first = int(documents["first"][n])
        apply_marks(
            records,
            [chunk_matches.get(first + i) for i in range(len(records))],
            doc_matches.get(n),
            settings.threshold,
        )


SETTINGS = [
    {},
    {"dedup.exact": False},
    {"dedup.chunks": False},
    {"dedup.documents": False},
    {"dedup.near": False},
    {"dedup.threshold": 0.5},
    {"dedup.threshold": 0.95, "dedup.num_perm": 64},
]


@pytest.mark.parametrize(
    "overrides", SETTINGS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults"
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouped_decisions_mark_what_the_sequential_pass_marks(
    overrides: dict[str, Any], seed: int
) -> None:
    config = Config().with_overrides(**overrides)
    run = _run(seed)
    sequential, grouped = _records(run), _records(run)
    dedup = Deduplicator(config)
    for records in sequential:
        dedup.check_document(records)
    _grouped(grouped, config, partitions=1 + seed * 3, seed=seed)
    assert _marks(grouped) == _marks(sequential)
    assert sum(1 for m in _marks(sequential) if m[0]) > 20  # there was a lot to decide


def test_a_chain_of_near_copies_stays_a_chain() -> None:
    # B changes two words of A, C two other words of B: A~B and B~C pass 0.75, A~C does not.
    a = _words(random.Random(9), 100)
    b = [("y" + w if i in (10, 40) else w) for i, w in enumerate(a)]
    c = [("z" + w if i in (60, 90) else w) for i, w in enumerate(b)]
    run = [[" ".join(a)], [" ".join(b)], [" ".join(c)]]
    config = Config().with_overrides(**{"dedup.threshold": 0.75})
    grouped, sequential = _records(run), _records(run)
    _grouped(grouped, config, partitions=2, seed=1)
    dedup = Deduplicator(config)
    for records in sequential:
        dedup.check_document(records)
    assert _marks(grouped) == _marks(sequential)
    assert [d[0].duplicate_of for d in grouped] == [None, "r_0_0", "r_1_0"]
