"""What llmprep misses on a labelled set, by kind: recall per entity type and template family,
then a sample of the misses in context (the redacted text around each, values shown: these are
generated values, never real data).

    .venv/bin/python bench/pii_misses.py --set tune --n 1500 --show 50
    .venv/bin/python bench/pii_misses.py --set dev --show 30
    .venv/bin/python bench/pii_misses.py --set measure --show 0     # figures only

The `measure` split is for figures: read its misses only to name kinds of input the generator
lacks, then add templates of that kind to both splits (different ones per split).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def load(name: str, n: int) -> list[dict]:
    if name == "dev":
        corpus = Path(os.environ.get("LLMPREP_CORPUS", ROOT.parent / "shared" / "corpus"))
        return json.loads((corpus / "pii" / "generated_small.json").read_text("utf-8"))
    from pii_data import generate

    seed = {"tune": 0, "measure": 1, "short": 2}[name]
    return generate(name, n, seed)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="tune", choices=("tune", "measure", "short", "dev"))
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--show", type=int, default=40, help="misses to print")
    ap.add_argument("--type", help="only misses of this entity type")
    ap.add_argument("--style", help="only misses in this template family")
    ap.add_argument("--false", action="store_true", help="print false redactions instead")
    ap.add_argument("--seed", type=int, default=0, help="which misses are sampled")
    ap.add_argument("--ner", default="auto", help="pii.ner_model")
    args = ap.parse_args()
    data = load(args.set, args.n)
    import llmprep
    from llmprep.stages.pii import redact_many

    cfg = llmprep.Config().with_overrides(**{"pii.ner_model": args.ner})
    reds: list = [None] * len(data)
    for lang in sorted({ex.get("language", "en") for ex in data}):
        idx = [i for i, ex in enumerate(data) if ex.get("language", "en") == lang]
        for i, red in zip(
            idx, redact_many([data[i]["full_text"] for i in idx], lang, cfg), strict=True
        ):
            reds[i] = red
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_style: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_template: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    falses = []
    for ex, red in zip(data, reds, strict=True):
        text = ex["full_text"]
        covered = bytearray(len(text))
        for s in red.spans:
            covered[s.start : s.end] = b"\x01" * (s.end - s.start)
        labelled = bytearray(len(text))
        style = ex.get("style", "?")
        for sp in ex["spans"]:
            a, b = sp["start_position"], sp["end_position"]
            labelled[a:b] = b"\x01" * (b - a)
            ok = all(covered[a:b])
            for table, key in (
                (by_type, sp["entity_type"]),
                (by_style, style),
                (by_template, str(ex.get("template_id", "?"))),
            ):
                table[key][0] += ok
                table[key][1] += 1
            if not ok:
                misses.append((ex, sp, red))
        for s in red.spans:
            if not any(labelled[s.start : s.end]):
                falses.append((ex, s, red))
    from pii import GOAL_TYPES, score

    q = score(data, [[(s.start, s.end) for s in red.spans] for red in reds])
    print(
        f"{args.set}: {len(data)} texts; recall {q['recall']:.3f} ({q['caught']}/{q['labelled']}), "
        f"char precision {q['precision']:.3f} (goal types: {len(GOAL_TYPES)})"
    )
    for title, table in (("type", by_type), ("style", by_style)):
        print(f"-- recall by {title}")
        for key, (ok, n) in sorted(table.items(), key=lambda kv: kv[1][0] / kv[1][1]):
            print(f"  {key:22s} {ok / n:6.3f}  ({n - ok} missed of {n})")
    print("-- worst templates")
    worst = sorted(by_template.items(), key=lambda kv: kv[1][0] / kv[1][1])[:12]
    for key, (ok, n) in worst:
        print(f"  {key:22s} {ok / n:6.3f}  ({n - ok} missed of {n})")
    print(f"-- false redactions (spans touching no label): {len(falses)}")
    pool = falses if args.false else misses
    if args.type:
        pool = [
            m
            for m in pool
            if (m[1].entity_type if args.false else m[1]["entity_type"]) == args.type
        ]
    if args.style:
        pool = [m for m in pool if m[0].get("style") == args.style]
    random.Random(args.seed).shuffle(pool)
    for ex, sp, red in pool[: args.show]:
        if args.false:
            print(
                f"\n[{ex.get('template_id', '')}] FALSE {sp.entity_type} ({sp.detector}) "
                f"{ex['full_text'][sp.start : sp.end]!r}"
            )
        else:
            print(f"\n[{ex.get('template_id', '')}] {sp['entity_type']}: {sp['entity_value']!r}")
        print("   in:  " + ex["full_text"].replace("\n", "⏎"))
        print("   out: " + red.text.replace("\n", "⏎"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
