"""PII bench: llmprep's redaction next to Presidio's default configuration, in one run.

    .venv/bin/python bench/pii.py [--repeats 5] [--n 1500] [--corpus ../shared/corpus]

Quality on three labelled sets: the corpus's `pii/generated_small.json` (the dev file), and the
`tune` and `measure-only` splits of llmprep's own generator (bench/pii_data.py: Faker values in
many locales, templates written for llmprep; the measure-only split uses templates and seeds
never tuned on). Scored as the corpus README says: a labelled span is caught only when every
character of it is covered by a redaction; precision is the share of redacted characters that
fall inside labelled spans. Recall is printed per type and over the goal types (person, address,
location, organisation, phone, email, card, IBAN, SSN, IP, driver licence, postal code).

False redactions: a PII-free set of Markdown documents (bench/pii_clean.py) goes through
`llmprep.process`; the share of headings with a placeholder and placeholders per 10,000 words.

Presidio runs its default configuration (conf/default.yaml: the ner_model_configuration it
ships, ORGANIZATION ignored) with the same spaCy model, one `analyze` call per text, as its docs
show. Throughput is characters per second of CPU time over the same texts, median of alternating
repeats, on the dev file (one `redact_many` call) and on short texts (one `redact` call each:
per-call overhead). The machine is shared: read the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

GOAL_TYPES = {
    "PERSON",
    "ADDRESS",
    "LOCATION",
    "ORGANIZATION",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "US_DRIVER_LICENSE",
    "ZIP_CODE",
    "POSTAL_CODE",
}
Spans = list[tuple[int, int]]


def score(data: list[dict], spans_for: list[Spans]) -> dict:
    caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    redacted = inside = 0
    for ex, spans in zip(data, spans_for, strict=True):
        text = ex["full_text"]
        covered = bytearray(len(text))
        for s, e in spans:
            covered[s:e] = b"\x01" * (e - s)
        labelled = bytearray(len(text))
        for sp in ex["spans"]:
            a, b = sp["start_position"], sp["end_position"]
            labelled[a:b] = b"\x01" * (b - a)
            caught[sp["entity_type"]][1] += 1
            caught[sp["entity_type"]][0] += all(covered[a:b])
        redacted += sum(covered)
        inside += sum(c and lab for c, lab in zip(covered, labelled, strict=True))
    goal = [sum(v[i] for t, v in caught.items() if t in GOAL_TYPES) for i in (0, 1)]
    return {
        "per_type": {t: v for t, v in sorted(caught.items())},
        "recall": goal[0] / goal[1] if goal[1] else 0.0,
        "caught": goal[0],
        "labelled": goal[1],
        "precision": inside / redacted if redacted else 1.0,
    }


def presidio_default(model: str):  # type: ignore[no-untyped-def]
    import presidio_analyzer
    import yaml
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    conf_path = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    conf = yaml.safe_load(conf_path.read_text())
    conf["models"] = [{"lang_code": "en", "model_name": model}]
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


def throughput(run: Callable[[], object], chars: int, repeats: int) -> list[float]:
    """Characters per second of CPU time (this process, all threads): on a shared machine wall
    time also counts the time another process held the core, which favours neither engine."""
    out = []
    for _ in range(repeats):
        t = time.process_time()
        run()
        out.append(chars / (time.process_time() - t))
    return out


def load_sets(args: argparse.Namespace) -> dict[str, list[dict]]:
    """The labelled sets: the corpus's dev file and llmprep's own generated splits."""
    from pii_data import generate

    dev = json.loads((Path(args.corpus) / "pii" / "generated_small.json").read_text("utf-8"))
    return {
        "dev file": dev,
        "tune split": generate("tune", args.n, 0),
        "measure-only split": generate("measure", args.n, 1),
    }


def redact_all(data: list[dict], config) -> list[Spans]:  # type: ignore[no-untyped-def]
    """llmprep's spans per example, each language group in one `redact_many` call."""
    from llmprep.stages.pii import redact_many

    out: list[Spans] = [[] for _ in data]
    for lang in sorted({ex.get("language", "en") for ex in data}):
        idx = [i for i, ex in enumerate(data) if ex.get("language", "en") == lang]
        reds = redact_many([data[i]["full_text"] for i in idx], language=lang, config=config)
        for i, red in zip(idx, reds, strict=True):
            out[i] = [(s.start, s.end) for s in red.spans]
    return out


def print_quality(name: str, data: list[dict], rows: dict[str, dict]) -> None:
    print(f"== {name}: {len(data)} texts")
    head = f"{'type':20s} {'labelled':>8s}" + "".join(f" {k:>9s}" for k in rows)
    print(head)
    first = next(iter(rows.values()))
    for etype, (_, n) in first["per_type"].items():
        mark = "" if etype in GOAL_TYPES else "  (not a goal type)"
        cells = "".join(f" {q['per_type'].get(etype, [0, n])[0] / n:9.2f}" for q in rows.values())
        print(f"{etype:20s} {n:8d}{cells}{mark}")
    for label, q in rows.items():
        print(
            f"{label:10s} recall {q['recall']:.3f} ({q['caught']}/{q['labelled']})   "
            f"char precision {q['precision']:.3f}"
        )
    print()


def clean_set(
    n: int, config, split: str, source: str = "pii_clean"
) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    """(share of headings with a placeholder, placeholders per 10k words, headings, words) on
    the documents of bench/`source`.py (pii_clean or pii_clean_numbers)."""
    import importlib
    import tempfile

    import llmprep

    clean_docs = importlib.import_module(source).generate

    placeholder = re.compile(r"<[A-Z][A-Z_]*_(?:\d+|[0-9a-f]{8})>")
    heads = hit = words = found = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(clean_docs(n, 1, split)):
            path = Path(tmp) / f"doc-{i:03d}.md"
            path.write_text(text, encoding="utf-8")
            words += len(text.split())
            res = llmprep.process(path, config=config)
            for doc in res.documents:
                for e in doc.elements:
                    found += len(placeholder.findall(e.text))
                    if e.type in ("heading", "title"):
                        heads += 1
                        hit += bool(placeholder.search(e.text))
    return hit / max(heads, 1), found * 10_000 / max(words, 1), heads, words


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus", default=os.environ.get("LLMPREP_CORPUS", str(ROOT.parent / "shared" / "corpus"))
    )
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--n", type=int, default=1500, help="texts per generated split")
    ap.add_argument("--clean-docs", type=int, default=60, help="documents in the PII-free set")
    ap.add_argument(
        "--misses", metavar="SET", help="list the labelled spans llmprep misses in SET (types only)"
    )
    ap.add_argument("--speed-only", action="store_true", help="skip the quality figures")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))  # pii_data, pii_clean
    import pii_clean  # noqa: F401  (imported now: later imports rewrite sys.path)
    import pii_clean_numbers  # noqa: F401
    import pii_data  # noqa: F401

    sets = load_sets(args)

    import llmprep
    from llmprep.pii.nlp import resolve_model

    cfg = llmprep.Config()
    model = resolve_model(cfg.pii.ner_model)
    patterns_cfg = cfg.with_overrides(**{"pii.ner_model": "none"})
    t0 = time.perf_counter()
    redact_all(sets["dev file"][:5], cfg)
    load_ours = time.perf_counter() - t0
    analyzer = None
    if model is None:
        print("no spaCy English model installed: Presidio's default cannot run; patterns only")
    else:
        t0 = time.perf_counter()
        analyzer = presidio_default(model)
        analyzer.analyze("warm up", language="en")
        load_theirs = time.perf_counter() - t0
    print(f"PII bench, spaCy model: {model or 'none'}")
    print(
        f"first call incl. model load: llmprep {load_ours:.1f}s"
        + (f", presidio {load_theirs:.1f}s" if analyzer else "")
    )
    print()
    ours_by_set: dict[str, list[Spans]] = {}
    for name, data in sets.items():
        if args.speed_only:
            break
        ours_by_set[name] = ours = redact_all(data, cfg)
        rows = {
            "llmprep": score(data, ours),
            "patterns": score(data, redact_all(data, patterns_cfg)),
        }
        if analyzer is not None:
            theirs = [analyzer.analyze(ex["full_text"], language="en") for ex in data]
            rows["presidio"] = score(data, [[(r.start, r.end) for r in res] for res in theirs])
        print_quality(name, data, rows)

    for split in () if args.speed_only else ("tune", "measure"):
        share, per_10k, heads, words = clean_set(
            args.clean_docs,
            cfg.with_overrides(redact=True, **{"chunk.tokenizer": "chars"}),
            split,
        )
        print(
            f"== PII-free set, {split} split: {args.clean_docs} documents, {heads} headings, "
            f"{words} words\nheadings with a placeholder {share:.1%} (goal <= 2 %); "
            f"placeholders per 10,000 words {per_10k:.1f} (goal <= 5)"
        )
    for split in () if args.speed_only else ("tune", "measure"):
        # German, French and English prose full of quantities, times, ranges, versions, ISO
        # dates and citations: where a number starts a false street address or phone number.
        _, per_10k, _, words = clean_set(
            args.clean_docs // 2,
            cfg.with_overrides(redact=True, **{"chunk.tokenizer": "chars"}),
            split,
            "pii_clean_numbers",
        )
        print(
            f"== PII-free numbers set (de/fr/en), {split} split: {args.clean_docs // 2} documents, "
            f"{words} words\nplaceholders per 10,000 words {per_10k:.1f} (goal <= 5)"
        )
    print()

    # Throughput: alternate the engines so background load hits both alike. llmprep's NER
    # remembers the segments it has read (a repeated disclaimer is read once); every timed round
    # starts with that memory empty, so the texts are read afresh, as on a first pass.
    from llmprep.pii import nlp as llmprep_nlp
    from llmprep.stages.pii import redact, redact_many

    dev_texts = [ex["full_text"] for ex in sets["dev file"]]
    short = [ex["full_text"] for ex in generate_short(args.n)]

    def fresh_many(texts: list[str], config):  # type: ignore[no-untyped-def]
        llmprep_nlp._SEGMENT_CACHE.clear()
        return redact_many(texts, config=config)

    def fresh_each(texts: list[str], config):  # type: ignore[no-untyped-def]
        llmprep_nlp._SEGMENT_CACHE.clear()
        return [redact(t, config=config) for t in texts]

    for label, texts, ours_run in (
        ("dev file, redact_many", dev_texts, fresh_many),
        (f"{len(short)} short texts, one redact call each", short, fresh_each),
    ):
        chars = sum(map(len, texts))
        ours_rates: list[float] = []
        pat_rates: list[float] = []
        theirs_rates: list[float] = []
        for _ in range(args.repeats):
            ours_rates += throughput(lambda t=texts, r=ours_run: r(t, cfg), chars, 1)
            pat_rates += throughput(lambda t=texts, r=ours_run: r(t, patterns_cfg), chars, 1)
            if analyzer is not None:
                theirs_rates += throughput(
                    lambda t=texts: [analyzer.analyze(x, language="en") for x in t], chars, 1
                )
        ours_med = statistics.median(ours_rates)
        print(f"== throughput on the {label} ({chars} chars), median of {args.repeats}")
        print(f"llmprep (NER)            {ours_med:10.0f} chars/s")
        print(f"llmprep (patterns only)  {statistics.median(pat_rates):10.0f} chars/s")
        if theirs_rates:
            theirs_med = statistics.median(theirs_rates)
            print(f"presidio default analyze {theirs_med:10.0f} chars/s")
            print(f"ratio llmprep / presidio {ours_med / theirs_med:10.2f}x (goal >= 3x)")
        print()
    if args.misses:
        data = sets[args.misses]
        for ex, spans in zip(data, ours_by_set[args.misses], strict=True):
            covered = set()
            for s, e in spans:
                covered.update(range(s, e))
            for sp in ex["spans"]:
                if (
                    sp["entity_type"] in GOAL_TYPES
                    and not set(range(sp["start_position"], sp["end_position"])) <= covered
                ):
                    print(
                        f"missed {sp['entity_type']} at {sp['start_position']}-{sp['end_position']}"
                        f" ({ex.get('template_id', '')})"
                    )
    return 0


def generate_short(n: int) -> list[dict]:
    from pii_data import generate

    return generate("short", n, 2)


if __name__ == "__main__":
    raise SystemExit(main())
