"""Duplicate detection: exact and near, chunks and documents, deterministic, and without datasketch."""

from __future__ import annotations

import json
import logging
import random
import sys
from pathlib import Path

import pytest

import llmprep
from llmprep.config import Config
from llmprep.models import LoaderInfo, Record, Source
from llmprep.stages.dedup.fingerprint import Deduplicator, normalized_tokens

SOURCE = Source(
    path="t.txt",
    sha256="0" * 64,
    size=0,
    media_type="text/plain",
    loader=LoaderInfo(name="t", version="1"),
)
_RNG = random.Random(11)
_VOCAB = sorted(
    {"".join(_RNG.choices("abcdefghiklmnoprstuw", k=_RNG.randint(3, 9))) for _ in range(4000)}
)


_STOP = ("the", "of", "and", "to", "with", "that", "in", "a")


def text(seed: int, words: int = 300) -> str:
    """Distinct generated prose: any two seeds share next to no 5-word shingle."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_STOP if i % 3 == 2 else _VOCAB) for i in range(words)) + "."


def change_words(original: str, count: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    words = original.split(" ")
    for pos in rng.sample(range(1, len(words) - 1), count):
        words[pos] = "changed" + str(pos)
    return " ".join(words)


def doc(name: str, *chunks: str) -> list[Record]:
    return [
        Record(
            id=f"r_{name}_{i}",
            doc_id=f"d_{name}",
            chunk_index=i,
            text=t,
            tokens=1,
            tokenizer="chars",
            source=SOURCE,
        )
        for i, t in enumerate(chunks)
    ]


def check(*docs: list[Record], config: Config | None = None) -> Deduplicator:
    dedup = Deduplicator(config or Config())
    for records in docs:
        dedup.check_document(records)
    return dedup


def codes(record: Record) -> set[str]:
    return {f.code for f in record.flags}


# -- exact ----------------------------------------------------------------------------------------


def test_an_exact_copy_of_a_chunk_points_at_the_first() -> None:
    a, b = doc("a", text(1), text(2)), doc("b", text(3), text(2))
    check(a, b)
    assert b[1].duplicate_of == "r_a_1"
    assert "duplicate_exact" in codes(b[1])
    assert a[1].duplicate_of is None and b[0].duplicate_of is None


def test_case_spacing_and_punctuation_do_not_hide_an_exact_copy() -> None:
    original = "Quarterly revenue rose sharply in March, analysts said."
    a, b = doc("a", original), doc("b", "QUARTERLY  revenue rose sharply\nin March analysts said")
    check(a, b)
    assert b[0].duplicate_of == "r_a_0"


def test_a_chunk_repeated_inside_one_document_points_at_its_first_occurrence() -> None:
    records = doc("a", text(1), text(2), text(1))
    check(records)
    assert records[2].duplicate_of == "r_a_0"


def test_distinct_texts_are_not_marked() -> None:
    docs = [doc(str(i), text(i), text(100 + i)) for i in range(20)]
    check(*docs)
    assert all(r.duplicate_of is None and not r.flags for d in docs for r in d)


def test_a_document_repeated_whole_marks_every_record_with_the_first_document() -> None:
    a, b = doc("a", text(1), text(2), "---"), doc("b", text(1), text(2), "---")
    check(a, b)
    assert [r.duplicate_of for r in b] == ["r_a_0", "r_a_1", "r_a_2"]  # chunk i -> chunk i
    assert all("duplicate_doc_exact" in codes(r) for r in b)
    assert all(r.metadata["duplicate_of_doc"] == "d_a" for r in b)


def test_texts_without_words_are_not_duplicates_of_each_other() -> None:
    a, b = doc("a", "---", text(1)), doc("b", "***", text(2))
    check(a, b)
    assert b[0].duplicate_of is None


# -- near -----------------------------------------------------------------------------------------


def test_a_near_copy_of_a_chunk_points_at_the_first_with_its_similarity() -> None:
    original = text(1)
    a, b = doc("a", original), doc("b", change_words(original, 3))
    check(a, b)
    assert b[0].duplicate_of == "r_a_0"
    near = next(f for f in b[0].flags if f.code == "duplicate_near")
    assert 0.8 <= near.value < 1.0 and near.threshold == 0.8  # type: ignore[operator]


def test_a_near_copy_below_the_threshold_is_not_marked() -> None:
    original = text(1, words=120)
    a, b = doc("a", original), doc("b", change_words(original, 12))  # Jaccard about 0.33
    check(a, b)
    assert b[0].duplicate_of is None


def test_the_near_threshold_is_configurable() -> None:
    original = text(1, words=120)
    changed = change_words(original, 6, seed=3)  # 5-gram Jaccard about 0.6
    loose = Config().with_overrides(**{"dedup.threshold": 0.4})
    a, b = doc("a", original), doc("b", changed)
    check(a, b, config=loose)
    assert b[0].duplicate_of == "r_a_0"


def test_a_near_copy_of_a_document_maps_matching_chunks_and_sends_the_rest_to_the_first_record() -> (
    None
):
    first = [text(1), text(2), text(3), text(4)]
    later = [first[0], change_words(first[1], 2), first[2], first[3], text(50, words=20)]
    a, b = doc("a", *first), doc("b", *later)
    check(a, b)
    assert all("duplicate_doc_near" in codes(r) for r in b)
    assert b[1].duplicate_of == "r_a_1"  # near at chunk level too
    assert b[4].duplicate_of == "r_a_0"  # no matching chunk: the first document's first record
    assert all(r.metadata["duplicate_of_doc"] == "d_a" for r in b)


def test_a_document_copy_chunked_differently_is_found_at_document_level() -> None:
    # The same words with two changed, cut at other places (as after an inserted heading):
    # chunks overlap by half at most, the documents almost completely.
    words = change_words(text(1, words=400), 2).split(" ")
    first = text(1, words=400).split(" ")
    a = doc("a", *(" ".join(first[i : i + 100]) for i in range(0, 400, 100)))
    b = doc(
        "b",
        *(
            " ".join(words[i:j])
            for i, j in ((0, 50), (50, 150), (150, 250), (250, 350), (350, 401))
        ),
    )
    check(a, b)
    assert all("duplicate_near" not in codes(r) for r in b)
    assert all("duplicate_doc_near" in codes(r) for r in b)
    assert all(r.duplicate_of == "r_a_0" for r in b)


def test_the_same_words_chunked_differently_are_an_exact_document_copy() -> None:
    words = text(1, words=400).split(" ")
    a = doc("a", " ".join(words[:200]), " ".join(words[200:]))
    b = doc("b", " ".join(words[:150]), " ".join(words[150:]))
    check(a, b)
    assert all("duplicate_doc_exact" in codes(r) for r in b)


def test_the_first_in_input_order_is_the_one_kept() -> None:
    original = text(1)
    a, b = doc("a", change_words(original, 2)), doc("b", original)
    check(a, b)
    assert a[0].duplicate_of is None and b[0].duplicate_of == "r_a_0"


def test_results_are_the_same_on_every_run() -> None:
    def marks() -> list[tuple[str | None, list[tuple[str, object]]]]:
        docs = [
            doc(str(i), text(i % 7), change_words(text(i % 5), i % 3 + 1, seed=i))
            for i in range(30)
        ]
        check(*docs)
        return [(r.duplicate_of, [(f.code, f.value) for f in r.flags]) for d in docs for r in d]

    assert marks() == marks()


def test_near_detection_can_be_switched_off() -> None:
    original = text(1)
    a, b = doc("a", original), doc("b", change_words(original, 3))
    check(a, b, config=Config().with_overrides(**{"dedup.near": False}))
    assert b[0].duplicate_of is None


def test_the_signature_is_datasketchs_own_minhash() -> None:
    from datasketch import MinHash

    from llmprep.stages.dedup.minhash import NearIndex, shingle_hashes

    hashes = shingle_hashes(" ".join(normalized_tokens(text(1))).encode(), 5)
    ours = NearIndex(0.8, 128, 1).signature(hashes)
    theirs = MinHash(num_perm=128, seed=1, hashfunc=int)
    theirs.update_batch(hashes.tolist())
    assert (ours == theirs.hashvalues).all()


def test_the_band_tables_return_the_candidates_datasketchs_lsh_returns() -> None:
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from llmprep.stages.dedup.minhash import NearIndex

    rng = np.random.default_rng(5)
    ours = NearIndex(0.8, 128, 1)
    theirs = MinHashLSH(num_perm=128, params=(ours.bands, ours.band_rows))
    base = [rng.integers(0, 2**32, 128, dtype=np.uint32) for _ in range(40)]
    signatures = []
    for i in range(300):  # copies of a few bases with some values changed: many shared bands
        values = base[i % 40].copy()
        values[rng.choice(128, size=int(rng.integers(0, 60)), replace=False)] = rng.integers(
            0, 2**32
        )
        signatures.append(values)
    shared = 0
    for key, values in enumerate(signatures):
        minhash = MinHash(num_perm=128, hashvalues=values, scheme="affine32")
        expected = set(theirs.query(minhash))
        assert ours.candidates(values) == expected
        assert ours.match_and_add(values)[0] == key
        theirs.insert(key, minhash)
        shared += bool(expected)
    assert shared > 100


def test_the_lsh_bands_find_pairs_at_the_threshold() -> None:
    from llmprep.stages.dedup.minhash import _miss, lsh_params

    bands, rows = lsh_params(0.8, 128)
    assert bands * rows <= 128
    assert _miss(128, bands, rows, 128 - 103) < 1e-4


def test_a_shingle_hash_depends_on_its_words_only() -> None:
    from llmprep.stages.dedup.minhash import shingle_hashes

    a = shingle_hashes(b"one two three four five six", 5)
    b = shingle_hashes(b"zero one two three four five", 5)
    assert len(a) == 2 and len(b) == 2
    assert a[0] == b[1] and a[1] != b[0]
    assert len(shingle_hashes(b"too short", 5)) == 1


def test_text_without_spaces_is_shingled_by_character() -> None:
    assert normalized_tokens("東京タワーabc, Def") == ["東", "京", "タ", "ワ", "ー", "abc", "def"]


# -- without the dedup extra ----------------------------------------------------------------------


def test_without_datasketch_exact_dedup_still_works_and_near_is_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "datasketch", None)  # import datasketch -> ImportError
    original = text(1)
    a, b, c = doc("a", original), doc("b", original), doc("c", change_words(original, 3))
    with caplog.at_level(logging.WARNING, logger="llmprep.stages.dedup.fingerprint"):
        dedup = check(a, b, c)
    assert not dedup.near_available
    assert "datasketch" in caplog.text
    assert b[0].duplicate_of == "r_a_0"
    assert c[0].duplicate_of is None


# -- through the pipeline -------------------------------------------------------------------------


def test_two_copies_of_a_file_in_a_run_point_at_the_first_path(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "archive").mkdir(parents=True)
    body = "\n\n".join(text(i, words=120) for i in range(3)) + "\n"
    (src / "a.txt").write_text(body, encoding="utf-8")
    (src / "archive" / "a-copy.txt").write_text(body, encoding="utf-8")
    (src / "b.txt").write_text(text(99, words=200) + "\n", encoding="utf-8")
    llmprep.run(src, out=tmp_path / "out", redact=False, workers=1)
    rows = [
        json.loads(line)
        for line in (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    firsts = {r["id"] for r in rows if r["source"]["path"] == "a.txt"}
    copies = [r for r in rows if r["source"]["path"] == "archive/a-copy.txt"]
    assert copies and all(r["duplicate_of"] in firsts for r in copies)
    assert all(
        r["duplicate_of"] is None for r in rows if r["source"]["path"] != "archive/a-copy.txt"
    )


def test_with_reject_duplicates_the_copies_go_to_the_rejected_file(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    body = text(5, words=150) + "\n"
    (src / "a.txt").write_text(body, encoding="utf-8")
    (src / "b.txt").write_text(body, encoding="utf-8")
    llmprep.run(
        src, out=tmp_path / "out", redact=False, workers=1, **{"policy.reject_duplicates": True}
    )
    kept = (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    rejected = [
        json.loads(line)
        for line in (tmp_path / "out" / "rejected.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [json.loads(line)["source"]["path"] for line in kept] == ["a.txt"]
    assert [r["source"]["path"] for r in rejected] == ["b.txt"]
    assert rejected[0]["reasons"] == ["duplicate"]


def test_a_single_chunk_first_document_is_still_compared_at_both_levels() -> None:
    original = text(1)
    a, b = doc("a", original), doc("b", change_words(original, 3))
    check(a, b)
    assert {"duplicate_near", "duplicate_doc_near"} <= codes(b[0])


def test_one_small_file_is_processed_without_importing_datasketch(tmp_path: Path) -> None:
    import subprocess

    path = tmp_path / "note.txt"
    path.write_text(text(1, words=80) + "\n", encoding="utf-8")
    script = (
        "import sys, llmprep; res = llmprep.process(sys.argv[1], redact=False); "
        "print(len(res.records), 'datasketch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "False"]


def test_documents_alone_can_be_compared_to_save_memory() -> None:
    a, b = doc("a", text(1), text(2)), doc("b", text(1), change_words(text(2), 2))
    check(a, b, config=Config().with_overrides(**{"dedup.chunks": False}))
    assert [r.duplicate_of for r in b] == ["r_a_0", "r_a_1"]
    assert all(codes(r) == {"duplicate_doc_near"} for r in b)


def test_chunks_alone_can_be_compared() -> None:
    a, b = doc("a", text(1), text(2)), doc("b", text(1), text(2))
    check(a, b, config=Config().with_overrides(**{"dedup.documents": False}))
    assert [r.duplicate_of for r in b] == ["r_a_0", "r_a_1"]
    assert all(codes(r) == {"duplicate_exact"} for r in b)


def _marks(records: list[Record]) -> list[tuple[str | None, list[tuple[str, float | None]]]]:
    return [(r.duplicate_of, [(f.code, f.value) for f in r.flags]) for r in records]


def test_fingerprints_made_elsewhere_and_stored_as_json_mark_exactly_what_inline_checks_mark() -> (
    None
):
    from llmprep.stages.dedup.fingerprint import Fingerprint, fingerprint

    base = text(11)
    docs = [
        doc("a", base, text(12)),
        doc("b", change_words(base, 3), text(13)),
        doc("c", base, text(12)),
        doc("d", "12 | 34 | 56", text(14)),
    ]
    inline = [[r.model_copy(deep=True) for r in d] for d in docs]
    check(*inline)
    config = Config()
    stored = [[r.model_copy(deep=True) for r in d] for d in docs]
    dedup = Deduplicator(config)
    for records in stored:
        prints = fingerprint(records, config)
        assert prints is not None and prints.signatures is not None
        again = Fingerprint.from_json(json.loads(json.dumps(prints.to_json())))
        dedup.check_document(records, again)
    assert [_marks(d) for d in stored] == [_marks(d) for d in inline]
    assert any(r.duplicate_of for r in stored[1]) and all(r.duplicate_of for r in stored[2])


def test_a_folder_run_keeps_the_fingerprints_with_its_shards(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.md").write_text("# A\n\n" + text(21) + "\n")
    (root / "b.md").write_text("# B\n\n" + text(21) + "\n")
    out = tmp_path / "out"
    llmprep.run(root, out=out, redact=False, workers=1)
    lines = [
        json.loads(line)
        for shard in (out / ".llmprep" / "shards").rglob("*")
        if shard.is_file() and shard.suffix != ".json"
        for line in shard.read_text().splitlines()
        if line.strip().startswith('{"doc"')
    ]
    assert lines and all(len(line["dedup"]["digests"]) == len(line["records"]) for line in lines)
    records = [json.loads(r) for r in (out / "records.jsonl").read_text().splitlines()]
    rejected = [json.loads(r) for r in (out / "rejected.jsonl").read_text().splitlines()]
    b = [r for r in records + rejected if r["source"]["path"] == "b.md"]
    assert b and all(r["duplicate_of"] for r in b)
