"""Duplicate detection on a generated corpus with planted copies: precision and recall.

    .venv/bin/python bench/dedup.py [--docs 1000] [--seed 7] [--direct]

1,000 text documents: distinct originals (80-1,500 words), 150 exact copies (byte-identical,
or differing only in case and spacing) and 150 near copies (a few words replaced: one per ~100
words, 1 to 5), each of a different original, shuffled into path order, so a copy may come
before its original. 30 related-but-distinct documents are mixed in as harder negatives: an
original with every other sentence replaced (5-gram Jaccard ~0.3).

By default the corpus goes through `llmprep.run` end to end (PII off to keep it fast; it does
not change the text here); `--direct` feeds the Deduplicator with ~350-word chunks instead.
The run's records then go through a fresh Deduplicator again, to time dedup alone and to
measure the anchor on the same records. A reported pair is (document, earlier document) whenever a record of the
first has `duplicate_of` pointing into the second. Goal (issue 10): recall 1.0 with no distinct
pair reported (precision 1.0). Pairs are also counted from the document-level flags alone.
Anchor, same run and records: exact dedup only (what works without the `dedup` extra).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE.parent / "src"))

_spec = importlib.util.spec_from_file_location("bench_quality", _HERE / "quality.py")
assert _spec and _spec.loader
bench_quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_quality)


def make_corpus(n_docs: int, seed: int) -> tuple[dict[str, str], dict[str, int]]:
    """file name -> text, and file name -> cluster id (copies share their original's cluster)."""
    maker = bench_quality.TextMaker(seed)
    rng = random.Random(seed)
    n_exact = n_docs * 15 // 100
    n_near = n_docs * 15 // 100
    n_related = n_docs * 3 // 100  # negatives: every other sentence of an original replaced
    n_orig = n_docs - n_exact - n_near - n_related
    texts: list[str] = []
    clusters: list[int] = []
    for i in range(n_orig):
        words = rng.choice(
            (
                rng.randint(80, 200),
                rng.randint(200, 600),
                rng.randint(200, 600),
                rng.randint(600, 1500),
            )
        )
        texts.append(maker.prose(words))
        clusters.append(i)
    # Each original gets at most one copy: a planted pair is (original, copy).
    picks = rng.sample(range(n_orig), n_exact + n_near + n_related)
    for i in picks[:n_exact]:
        text = texts[i]
        if (
            rng.random() < 0.3
        ):  # same words, different case and spacing: still exact after normalization
            text = text.upper().replace(" ", "  ")
        texts.append(text)
        clusters.append(i)
    for i in picks[n_exact : n_exact + n_near]:
        words = texts[i].split(" ")
        changes = max(1, min(5, len(words) // 100))
        for pos in rng.sample(range(len(words)), changes):
            words[pos] = maker.word()
        texts.append(" ".join(words))
        clusters.append(i)
    for k, i in enumerate(picks[n_exact + n_near :]):
        sentences = texts[i].replace("\n\n", " ").split(". ")
        mixed = [s if j % 2 else maker.sentence().rstrip(".!?") for j, s in enumerate(sentences)]
        texts.append(". ".join(mixed))
        clusters.append(n_docs + k)  # related, yet a cluster of its own: not a copy
    order = list(range(len(texts)))
    rng.shuffle(order)
    files = {f"doc_{pos:04d}.txt": texts[i] for pos, i in enumerate(order)}
    cluster_of = {f"doc_{pos:04d}.txt": clusters[i] for pos, i in enumerate(order)}
    return files, cluster_of


def run_pipeline(files: dict[str, str], exact_only: bool = False) -> list[dict]:
    import llmprep

    root = Path(tempfile.mkdtemp(prefix="llmprep-dedup-bench-"))
    try:
        src = root / "in"
        src.mkdir()
        for name, text in files.items():
            (src / name).write_text(text, encoding="utf-8")
        llmprep.run(src, out=root / "out", redact=False, **{"dedup.near": not exact_only})
        rows = []
        for name in ("records.jsonl", "rejected.jsonl"):
            path = root / "out" / name
            rows += [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line
            ]
        return rows
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_direct(files: dict[str, str], exact_only: bool) -> list[dict]:
    from llmprep.config import Config
    from llmprep.models import LoaderInfo, Record, Source
    from llmprep.stages.dedup.fingerprint import Deduplicator

    config = Config().with_overrides(**{"dedup.near": not exact_only})
    dedup = Deduplicator(config)
    rows: list[dict] = []
    for name in sorted(files):
        words = files[name].split(" ")
        source = Source(
            path=name,
            sha256="0" * 64,
            size=0,
            media_type="text/plain",
            loader=LoaderInfo(name="bench", version="1"),
        )
        records = [
            Record(
                id=f"r_{name}_{i}",
                doc_id=f"d_{name}",
                chunk_index=i,
                text=" ".join(words[start : start + 350]),
                tokens=1,
                tokenizer="chars",
                source=source,
            )
            for i, start in enumerate(range(0, len(words), 350))
        ]
        dedup.check_document(records)
        rows += [r.model_dump(mode="json") for r in records]
    return rows


def score(rows: list[dict], cluster_of: dict[str, int], doc_flags_only: bool) -> dict[str, float]:
    doc_of_record = {r["id"]: r["source"]["path"] for r in rows}
    reported: set[tuple[str, str]] = set()
    for r in rows:
        codes = {f["code"] for f in r["flags"]}
        if doc_flags_only and not codes & {"duplicate_doc_exact", "duplicate_doc_near"}:
            continue
        if r.get("duplicate_of"):
            here, there = r["source"]["path"], doc_of_record[r["duplicate_of"]]
            if here != there:
                reported.add((here, there))
    true_pairs = {p for p in reported if cluster_of[p[0]] == cluster_of[p[1]]}
    names = sorted(cluster_of)
    seen_cluster: set[int] = set()
    planted = found = 0
    for name in names:  # path order: the first of each cluster is the original
        c = cluster_of[name]
        if c in seen_cluster:
            planted += 1
            found += any(p[0] == name for p in true_pairs)
        seen_cluster.add(c)
    return {
        "reported": len(reported),
        "false": len(reported) - len(true_pairs),
        "planted": planted,
        "found": found,
        "precision": len(true_pairs) / len(reported) if reported else 1.0,
        "recall": found / planted if planted else 1.0,
    }


def rededup(rows: list[dict], exact_only: bool) -> tuple[list[dict], float]:
    """The run's records again through a fresh Deduplicator, as the runner does after the
    stages: the same records, another dedup config, no second pipeline run."""
    from llmprep.config import Config
    from llmprep.models import Record
    from llmprep.stages.dedup.fingerprint import Deduplicator

    config = Config().with_overrides(**{"dedup.near": not exact_only})
    records = []
    for row in sorted(rows, key=lambda r: (r["source"]["path"], r["chunk_index"])):
        row = {k: v for k, v in row.items() if k != "reasons"}
        row["flags"] = [f for f in row["flags"] if not f["code"].startswith("duplicate")]
        row["duplicate_of"] = None
        row["metadata"].pop("duplicate_of_doc", None)
        records.append(Record.model_validate(row))
    by_doc: dict[str, list[Record]] = {}
    for record in records:
        by_doc.setdefault(record.source.path, []).append(record)
    started = time.perf_counter()
    dedup = Deduplicator(config)
    for path in sorted(by_doc):
        dedup.check_document(by_doc[path])
    seconds = time.perf_counter() - started
    return [r.model_dump(mode="json") for r in records], seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--direct", action="store_true", help="skip the pipeline: feed the Deduplicator directly"
    )
    args = parser.parse_args()
    files, cluster_of = make_corpus(args.docs, args.seed)
    words = sum(len(t.split()) for t in files.values())
    mode = "direct (~350-word chunks)" if args.direct else "llmprep.run"
    print(f"{len(files)} documents, {words:,} words; mode: {mode}")
    started = time.perf_counter()
    rows = run_direct(files, False) if args.direct else run_pipeline(files, False)
    total = time.perf_counter() - started
    results = [("exact + near (default)", rows, total)]
    for label, exact_only in (("dedup alone, exact+near", False), ("anchor: exact only", True)):
        again, seconds = rededup(rows, exact_only)
        results.append((label, again, seconds))
    print(f"{'config':26} {'level':10} {'P':>6} {'R':>6} {'found':>11} {'false':>6} {'seconds':>8}")
    for label, found_rows, seconds in results:
        for level, doc_only in (("any link", False), ("doc flags", True)):
            s = score(found_rows, cluster_of, doc_only)
            print(
                f"{label:26} {level:10} {s['precision']:6.3f} {s['recall']:6.3f} "
                f"{s['found']:>5}/{s['planted']:<5} {s['false']:>6} {seconds:8.1f}"
            )
    print("(seconds: the first row is the whole run; the others dedup alone over its records)")
    print(
        "goal: recall 1.000 and precision 1.000 (every planted pair found, no distinct pair reported)"
    )


if __name__ == "__main__":
    main()
