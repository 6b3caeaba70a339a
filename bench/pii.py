"""PII bench: llmprep's redaction next to Presidio's default configuration, in one run.

    .venv/bin/python bench/pii.py [--repeats 5] [--corpus ../shared/corpus]

Quality on `pii/generated_small.json`, scored as the corpus README says: a labelled span is caught
only when every character of it is covered by a redaction; precision is the share of redacted
characters that fall inside labelled spans. Recall is printed per type and over the types the
issue names (person, address, location, organisation, phone, email, card, IBAN, SSN, IP, driver
licence, postal code). Presidio runs its default configuration (conf/default.yaml: the
ner_model_configuration it ships, ORGANIZATION ignored) with the same spaCy model, one `analyze`
call per text, as its docs show. Throughput is characters per second over the same texts,
median of alternating repeats (the machine is shared: read the ratio, not the absolute numbers).
"""

from __future__ import annotations

import argparse
import json
import os
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
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        run()
        out.append(chars / (time.perf_counter() - t))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus", default=os.environ.get("LLMPREP_CORPUS", str(ROOT.parent / "shared" / "corpus"))
    )
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--misses", action="store_true", help="list the labelled spans llmprep misses (types only)"
    )
    args = ap.parse_args()
    data = json.loads(
        (Path(args.corpus) / "pii" / "generated_small.json").read_text(encoding="utf-8")
    )
    texts = [ex["full_text"] for ex in data]
    chars = sum(map(len, texts))

    import llmprep
    from llmprep.pii.nlp import resolve_model
    from llmprep.stages.pii import redact_many

    cfg = llmprep.Config()
    model = resolve_model(cfg.pii.ner_model)
    patterns_cfg = cfg.with_overrides(**{"pii.ner_model": "none"})
    t0 = time.perf_counter()
    ours = redact_many(texts, config=cfg)
    load_ours = time.perf_counter() - t0
    redact_many(texts, config=patterns_cfg)
    ours_q = score(data, [[(s.start, s.end) for s in r.spans] for r in ours])
    pat_q = score(
        data, [[(s.start, s.end) for s in r.spans] for r in redact_many(texts, config=patterns_cfg)]
    )

    if model is None:
        print(
            "no spaCy English model installed: Presidio's default cannot run; llmprep runs on patterns only"
        )
        theirs_q = None
        analyzer = None
    else:
        t0 = time.perf_counter()
        analyzer = presidio_default(model)
        theirs = [analyzer.analyze(t, language="en") for t in texts]
        load_theirs = time.perf_counter() - t0
        theirs_q = score(data, [[(r.start, r.end) for r in res] for res in theirs])

    print(f"PII bench on {len(texts)} texts ({chars} chars), spaCy model: {model or 'none'}")
    print(
        f"first call incl. model load: llmprep {load_ours:.1f}s"
        + (f", presidio {load_theirs:.1f}s" if analyzer else "")
    )
    print()
    head = f"{'type':20s} {'labelled':>8s} {'llmprep':>8s} {'patterns':>9s}" + (
        f" {'presidio':>9s}" if theirs_q else ""
    )
    print(head)
    for etype, (_, n) in ours_q["per_type"].items():
        mark = "" if etype in GOAL_TYPES else "  (not a goal type)"
        row = f"{etype:20s} {n:8d} {ours_q['per_type'][etype][0] / n:8.2f} {pat_q['per_type'][etype][0] / n:9.2f}"
        if theirs_q:
            row += f" {theirs_q['per_type'][etype][0] / n:9.2f}"
        print(row + mark)
    print()
    for name, q in (
        ("llmprep", ours_q),
        ("llmprep patterns only", pat_q),
        ("presidio default", theirs_q),
    ):
        if q:
            print(
                f"{name:24s} recall {q['recall']:.3f} ({q['caught']}/{q['labelled']})   char precision {q['precision']:.3f}"
            )

    # Throughput: alternate the engines so background load hits both alike. llmprep's NER
    # remembers the segments it has read (a repeated disclaimer is read once); every timed round
    # starts with that memory empty, so the texts are read afresh, as on a first pass.
    from llmprep.pii import nlp as llmprep_nlp

    def fresh_redact(config):  # type: ignore[no-untyped-def]
        llmprep_nlp._SEGMENT_CACHE.clear()
        return redact_many(texts, config=config)

    ours_rates: list[float] = []
    pat_rates: list[float] = []
    theirs_rates: list[float] = []
    for _ in range(args.repeats):
        ours_rates += throughput(lambda: fresh_redact(cfg), chars, 1)
        pat_rates += throughput(lambda: fresh_redact(patterns_cfg), chars, 1)
        if analyzer is not None:
            theirs_rates += throughput(
                lambda: [analyzer.analyze(t, language="en") for t in texts], chars, 1
            )
    print()
    ours_med = statistics.median(ours_rates)
    print(f"throughput llmprep (NER, nlp.pipe)   {ours_med:10.0f} chars/s")
    print(f"throughput llmprep (patterns only)   {statistics.median(pat_rates):10.0f} chars/s")
    if theirs_rates:
        theirs_med = statistics.median(theirs_rates)
        print(f"throughput presidio default analyze  {theirs_med:10.0f} chars/s")
        print(f"ratio llmprep / presidio default     {ours_med / theirs_med:10.2f}x (goal >= 3x)")
    if args.misses:
        print()
        for ex, red in zip(data, ours, strict=True):
            covered = set()
            for s in red.spans:
                covered.update(range(s.start, s.end))
            for sp in ex["spans"]:
                if (
                    sp["entity_type"] in GOAL_TYPES
                    and not set(range(sp["start_position"], sp["end_position"])) <= covered
                ):
                    print(
                        f"missed {sp['entity_type']} at {sp['start_position']}-{sp['end_position']}"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
