"""Local runner vs Ray runner on the same inputs, same machine, same run: files/s and ratios.

    .venv/bin/python bench/ray_runner.py [--sets generated,corpus] [--files 300] [--workers 2]
                                  [--repeats 2] [--no-redact]

Input sets:
- `generated`: FILES small Markdown/text/HTML procedures (~1.5 KB), 10% exact and 10% near copies;
- `corpus`: the shared development corpus's html/, email/, pdf/ and docx/ folders (203 real files,
  among them an 872-page DOCX and 2-3 MB PDFs), skipped when the corpus is absent.

Each repeat runs the local runner and the Ray runner (alternating which goes first, so load from
other processes hits both) with `--workers` workers / actors, every file processed (`full`), into a
fresh output folder. One private Ray cluster (loopback only) is started first; its start-up time is
printed on its own and kept out of the Ray runs, which do include their actors' start and model
loading (as the local runs include their workers'). Printed per set and engine: best wall-clock
files/s over the repeats and the Ray/local ratio (the anchor is the local runner in the same run).

Also printed, for the sizing plan in docs/ray.md:
- per-core files/s and MB/s: files / sum of the manifest's per-file `seconds` (busy worker time,
  which other processes on a shared machine inflate), and files per CPU-second of the local
  workers (their CPU time, which they do not; one worker's start-up CPU, measured on one tiny
  file, is taken out per worker);
- fixed costs: a run over one tiny file on each engine, and one worker's start-up CPU time;
- the driver's serial phases: discovery + SHA-256 of every input (files/s, MB/s; page cache
  warm), and the global assembly (dedup + policy + output files) alone, rebuilt in-process from
  the shards of the local run (best of three), with near-duplicate detection on, off, and on
  whole documents only.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE.parent / "src"))

CORPUS = _HERE.parent.parent / "shared" / "corpus"
CORPUS_FOLDERS = ("html", "email", "pdf", "docx")

SUBJECTS = [
    "the support team",
    "our customer",
    "the night shift",
    "every new engineer",
    "the billing service",
]
VERBS = [
    "reviews",
    "archives",
    "escalates",
    "documents",
    "restores",
    "rotates",
    "approves",
    "migrates",
]
OBJECTS = [
    "the backup schedule",
    "each password reset",
    "the incident report",
    "the VPN certificate",
]
TAILS = [
    "before the weekly review",
    "after a failed login",
    "within two business days",
    "during the audit",
]


def make_generated(root: Path, files: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)

    def paragraph() -> str:
        return " ".join(
            f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
            for _ in range(6)
        )

    n_copies = files // 10
    originals = []
    for i in range(files - 2 * n_copies):
        body = "\n\n".join(paragraph() for _ in range(3))
        kind = ("md", "txt", "html")[i % 3]
        if kind == "html":
            paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            text = f"<html><head><title>Procedure {i}</title></head><body><main><h1>Procedure {i}</h1>{paras}</main></body></html>\n"
        else:
            text = f"# Procedure {i}\n\n{body}\n" if kind == "md" else f"Procedure {i}\n\n{body}\n"
        originals.append((f"team{i % 7}/doc{i:04d}.{kind}", text))
    copies = []
    for j, (name, text) in enumerate(rng.sample(originals, 2 * n_copies)):
        folder = "copies" if j < n_copies else "near"
        if folder == "near":
            text = text.replace(" the ", " this ", 1)
        copies.append((f"{folder}/{name.replace('/', '-')}", text))
    for name, text in originals + copies:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return [str(root)]


def hash_phase(inputs: list[str]) -> tuple[float, float, int]:
    """Driver-side discovery + SHA-256 of every input: seconds, MB, files."""
    from llmprep.pipeline.inputs import discover
    from llmprep.pipeline.task import file_sha256

    t = time.perf_counter()
    items = discover(inputs)
    size = 0
    for item in items:
        file_sha256(item.path)
        size += Path(item.path).stat().st_size
    return time.perf_counter() - t, size / 1e6, len(items)


def one_run(
    inputs: list[str], out: Path, engine: str, workers: int, redact: bool
) -> dict[str, float]:
    import llmprep

    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    summary = llmprep.run(inputs, out=out, workers=workers, engine=engine, redact=redact, full=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Local workers are this process's children: their CPU time does not depend on how many
    # other processes share the cores. (Ray's workers are the actors' children: not counted.)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rows = [
        json.loads(line)
        for line in (out / "manifest.jsonl").read_text().splitlines()
        if line.strip()
    ]
    busy = sum(r["seconds"] for r in rows)
    size = sum(r.get("size") or 0 for r in rows) / 1e6
    return {
        "wall": wall,
        "files": summary.files,
        "records": summary.records + summary.rejected,
        "busy": busy,
        "mb": size,
        "cpu": cpu,
    }


def start_costs(tmp: Path, redact: bool) -> tuple[float, float, float]:
    """One tiny file, one worker: local wall s, Ray wall s, and the CPU-s one local worker spends
    starting (imports + model loading), which every worker pays once."""
    one = tmp / "one"
    one.mkdir(exist_ok=True)
    (one / "note.md").write_text("# Note\n\nThe backup runs nightly.\n", encoding="utf-8")
    local = one_run([str(one)], tmp / "out-one-local", "local", 1, redact)
    ray = one_run([str(one)], tmp / "out-one-ray", "ray", 1, redact)
    return local["wall"], ray["wall"], local["cpu"]


def assembly_rates(inputs: list[str], out: Path, redact: bool) -> dict[str, float]:
    """Records/s of the driver's global phase alone (dedup, policy, every output file), rebuilt
    from a finished run's shards in this process, best of three, for three dedup settings."""
    from llmprep.api import resolve_config
    from llmprep.output import ShardStore
    from llmprep.pipeline.inputs import discover
    from llmprep.pipeline.run import _assemble
    from llmprep.pipeline.task import file_sha256, task_key

    config = resolve_config(None, inputs[0], {"redact": redact})
    config_hash = config.hash()
    keyed = [
        (i, s, task_key(i, s, config_hash)) for i in discover(inputs) for s in [file_sha256(i.path)]
    ]
    store = ShardStore(out)
    rebuilt = out.parent / f"{out.name}-assembly"
    rebuilt.mkdir(exist_ok=True)
    rates = {}
    for label, change in (
        ("default (exact + near, chunks + documents)", {}),
        ("near off", {"dedup.near": False}),
        ("near on documents only (dedup.chunks = false)", {"dedup.chunks": False}),
    ):
        variant = config.with_overrides(**change) if change else config
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            summary, _report = _assemble(keyed, store, rebuilt, variant, config_hash, [])
            best = min(best, time.perf_counter() - t)
        rates[label] = (summary.records + summary.rejected) / best
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="generated,corpus")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument(
        "--no-redact", action="store_true", help="PII off (the default config has it on)"
    )
    args = parser.parse_args(argv)
    redact = not args.no_redact

    from llmprep.runners.ray import require_ray, start_local_cluster

    ray = require_ray()
    tmp = Path(tempfile.mkdtemp(prefix="llmprep-bench-ray-"))
    sets: dict[str, list[str]] = {}
    for name in args.sets.split(","):
        if name == "generated":
            sets[name] = make_generated(tmp / "generated", args.files)
        elif name == "corpus" and CORPUS.is_dir():
            sets[name] = [str(CORPUS / f) for f in CORPUS_FOLDERS]
        elif name == "corpus":
            print("corpus: shared corpus not found, skipped")
    t = time.perf_counter()
    start_local_cluster(args.workers)
    print(
        f"ray: private cluster ({args.workers} CPUs, loopback) started in {time.perf_counter() - t:.1f}s"
    )
    print(f"config: workers={args.workers} redact={redact} repeats={args.repeats}")
    try:
        local_one, ray_one, warm_cpu = start_costs(tmp, redact)
        print(
            f"one tiny file, one worker: local {local_one:.1f}s, ray {ray_one:.1f}s wall "
            f"(Ray's fixed cost per run: {ray_one - local_one:+.1f}s); "
            f"a worker's start (imports + models): {warm_cpu:.1f} CPU-s"
        )
        for name, inputs in sets.items():
            seconds, mb, files = hash_phase(inputs)
            seconds = min(
                seconds, hash_phase(inputs)[0]
            )  # second pass: page cache warm, like the runs
            print(f"\n== {name}: {files} files, {mb:.1f} MB")
            print(
                f"driver hashing: {files / seconds:,.0f} files/s, {mb / seconds:,.0f} MB/s (one process)"
            )
            results: dict[str, list[dict[str, float]]] = {"local": [], "ray": []}
            for rep in range(args.repeats):
                for engine in ("local", "ray") if rep % 2 == 0 else ("ray", "local"):
                    r = one_run(inputs, tmp / f"out-{name}-{engine}", engine, args.workers, redact)
                    results[engine].append(r)
                    print(
                        f"  repeat {rep + 1} {engine:<5}: {r['wall']:6.1f}s  {r['files'] / r['wall']:6.2f} files/s"
                    )
            best = {e: max(r["files"] / r["wall"] for r in rs) for e, rs in results.items()}
            for engine in ("local", "ray"):
                runs = results[engine]
                per_core = statistics.median(r["files"] / r["busy"] for r in runs)
                per_core_mb = statistics.median(r["mb"] / r["busy"] for r in runs)
                print(
                    f"{engine:<5}: best {best[engine]:6.2f} files/s wall ({args.workers} workers); "
                    f"per core {per_core:5.2f} files/s, {per_core_mb:5.2f} MB/s"
                )
            cpu = statistics.median(
                (r["cpu"] - args.workers * warm_cpu) / r["files"] for r in results["local"]
            )
            print(
                f"local workers' CPU time, start-up excluded: {cpu:.3f} CPU-s per file "
                f"= {1 / cpu:.2f} files/s per fully used core"
            )
            print(f"ray/local files/s ratio: {best['ray'] / best['local']:.2f}")
            for label, rate in assembly_rates(inputs, tmp / f"out-{name}-local", redact).items():
                print(f"driver assembly alone, {label}: {rate:,.0f} records/s")
    finally:
        ray.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
