"""Every benchmark in one run: llmprep end to end next to unstructured, then the stage benches.

    .venv/bin/python bench/run_all.py [--corpus ../shared/corpus] [--quick]

(after `bash bench/setup_anchors.sh`, which builds the anchor venv `.venv-unstructured`).

1. End to end, one worker each, on the same files (pdf/, docx/, html/, email/ of the corpus):
   - llmprep, redaction off: `llmprep.process(path, redact=False)` in a loop in one process;
   - llmprep, full redaction (patterns + spaCy NER, the default config);
   - unstructured `partition` + `chunk_by_title`, in `.venv-unstructured` (bench/anchors_unstructured.py).
   Each runs in its own child process; imports and an untimed warm-up on the first file of each
   format happen before the clock starts, so only the processing is timed. Reported per format and
   in total: files handled, files/s and MB/s (input bytes, over the files handled), on CPU time of the worker
   (time.process_time, which other load on a shared machine disturbs far less) and on wall time,
   plus the ratios llmprep/unstructured and each child's peak RSS (os.wait4's rusage).
   The redaction-on run also times each pipeline stage (the cached stage list from
   `llmprep.pipeline.file.build_stages` is wrapped with timers; load = the rest) and names the one
   that dominates.
2. The stage benches, as subprocesses, their tables printed verbatim: bench/pii.py (vs Presidio),
   bench/html_content.py (vs trafilatura), bench/lang.py (vs langdetect, lingua), bench/pdf.py (vs raw
   pypdfium2), each with its peak RSS.

`--quick` takes at most 12 files per format (sorted by name, the 872-page handbook kept out) and
runs the stage benches with one repeat: for a loaded machine; the numbers are noisier.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
MAIN_PY = ROOT / ".venv" / "bin" / "python"
ANCHOR_PY = Path(
    os.environ.get("LLMPREP_UNSTRUCTURED_PYTHON", ROOT / ".venv-unstructured" / "bin" / "python")
)
FORMATS = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "html": (".html", ".htm"),
    "email": (".eml", ".msg"),
}
QUICK_PER_FORMAT = 12
QUICK_SKIP_BYTES = 1_000_000  # the 872-page handbook alone takes longer than the rest of --quick
GOALS = {"llmprep, redaction off": 10.0, "llmprep, full redaction": 2.0}


# -- the workers (run in children) ---------------------------------------------------------------


def llmprep_worker(redact: bool, paths: list[str]) -> int:
    """Time `llmprep.process` per file, after warm-up; with per-stage timers. JSON to stdout."""
    import resource

    sys.path.insert(0, str(ROOT / "src"))
    import llmprep
    from llmprep.pipeline.file import build_stages, warm_up

    cfg = llmprep.Config().with_overrides(redact=redact)
    stage_seconds: dict[str, float] = {}

    class Timed:
        """A stage with a stopwatch; the cached list is patched so process_file uses it."""

        def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
            self.inner, self.name = inner, inner.name

        def __call__(self, work) -> None:  # type: ignore[no-untyped-def]
            t0 = time.process_time()
            self.inner(work)
            stage_seconds[self.name] = stage_seconds.get(self.name, 0.0) + time.process_time() - t0

    stages = build_stages(cfg)
    stages[:] = [Timed(s) for s in stages]
    warm_up(cfg)
    seen: set[str] = set()
    for p in paths:  # untimed warm-up: the first file of each extension loads its parser
        if Path(p).suffix.lower() not in seen:
            seen.add(Path(p).suffix.lower())
            llmprep.process(p, config=cfg)
    stage_seconds.clear()
    # NER remembers segments it has read; the warm-up files must not be read for free later.
    from llmprep.pii import nlp as llmprep_nlp

    llmprep_nlp._SEGMENT_CACHE.clear()
    rows = []
    for p in paths:
        t0, c0 = time.perf_counter(), time.process_time()
        res = llmprep.process(p, config=cfg)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        chars = sum(len(r.text) for r in res.records) + sum(len(r.text) for r in res.rejected)
        rows.append(
            {
                "path": p,
                "status": res.status,
                "error": res.error.code if res.error else None,
                "chunks": len(res.records) + len(res.rejected),
                "chars": chars,
                "seconds": wall,
                "cpu": cpu,
            }
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"rows": rows, "stages": stage_seconds, "peak_rss_mb": peak}, sys.stdout)
    return 0


# -- the driver ----------------------------------------------------------------------------------


def run_child(
    cmd: list[str], env: dict[str, str] | None = None, timeout: float = 3600
) -> tuple[int, str, str, float]:
    """Run a child, return (rc, stdout, stderr, peak RSS MB of that child alone, via wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_maxrss / 1024,
        )


def pick_files(corpus: Path, quick: bool) -> dict[str, list[Path]]:
    picked: dict[str, list[Path]] = {}
    for fmt, exts in FORMATS.items():
        files = sorted(
            p for p in (corpus / fmt).glob("*") if p.is_file() and p.suffix.lower() in exts
        )
        if quick:
            files = [p for p in files if p.stat().st_size < QUICK_SKIP_BYTES][:QUICK_PER_FORMAT]
        picked[fmt] = files
    return picked


def fmt_of(path: str) -> str:
    ext = Path(path).suffix.lower()
    return next(f for f, exts in FORMATS.items() if ext in exts)


def summarise(rows: list[dict], sizes: dict[str, int]) -> dict[str, dict]:
    """Per format and total: files, files handled, bytes, cpu and wall seconds, chars."""
    out: dict[str, dict] = {}
    for key in [*FORMATS, "total"]:
        sel = [r for r in rows if key == "total" or fmt_of(r["path"]) == key]
        # Rates count the files a tool handled: a format it rejects at once is not "fast".
        ok = [r for r in sel if r["status"] != "failed"]
        out[key] = {
            "files": len(sel),
            "ok": len(ok),
            "bytes": sum(sizes[r["path"]] for r in ok),
            "cpu": sum(r["cpu"] for r in ok),
            "wall": sum(r["seconds"] for r in ok),
            "chars": sum(r["chars"] for r in ok),
            "errors": sorted({r["error"] for r in sel if r["status"] == "failed" and r["error"]}),
        }
    return out


def rate(n: float, s: float) -> str:
    return f"{n / s:8.1f}" if s > 0 and n > 0 else "       -"


def print_end_to_end(
    results: dict[str, dict], raw: dict[str, dict], peaks: dict[str, float]
) -> None:
    anchor = "unstructured partition+chunk_by_title"
    print(
        "\n## End to end, one worker, same files (throughput on the worker's CPU time; wall in brackets)\n"
    )
    print(
        f"| {'format':6} | {'tool':38} | {'files ok':>9} | {'files/s':>16} | {'MB/s':>14} | {'chars out':>9} | {'vs unstr. (cpu)':>15} |"
    )
    print("|" + "|".join("-" * w for w in (8, 40, 11, 18, 16, 11, 17)) + "|")
    for fmt in [*FORMATS, "total"]:
        base = results.get(anchor, {}).get(fmt)
        for tool, per in results.items():
            s = per[fmt]
            mb = s["bytes"] / 1e6
            ratio = ""
            if base and tool != anchor:
                # On the files of this format the anchor handled (it cannot read PDFs without [pdf]).
                n, cpu, _ = common_ratio(raw, tool, anchor, fmt)
                ratio = f"{cpu:6.1f}x" if n else "n/a"
            print(
                f"| {fmt:6} | {tool:38} | {s['ok']:>4}/{s['files']:<4} | {rate(s['ok'], s['cpu'])} ({rate(s['ok'], s['wall']).strip():>5}) "
                f"| {rate(mb, s['cpu'])} ({rate(mb, s['wall']).strip():>4}) | {s['chars']:>9} | {ratio:>15} |"
            )
    print(
        "\nPeak RSS of each worker process: "
        + ", ".join(f"{t}: {peaks[t]:.0f} MB" for t in results)
    )


def common_ratio(
    raw: dict[str, dict], tool: str, anchor: str, fmt: str = "total"
) -> tuple[int, float, float]:
    """(files, CPU speed-up, wall speed-up) of `tool` over `anchor` on the files the anchor handled."""
    ok = {
        r["path"]
        for r in raw[anchor]["rows"]
        if r["status"] != "failed" and (fmt == "total" or fmt_of(r["path"]) == fmt)
    }
    a = [r for r in raw[anchor]["rows"] if r["path"] in ok]
    t = [r for r in raw[tool]["rows"] if r["path"] in ok]
    cpu = sum(r["cpu"] for r in a) / max(sum(r["cpu"] for r in t), 1e-9)
    wall = sum(r["seconds"] for r in a) / max(sum(r["seconds"] for r in t), 1e-9)
    return len(ok), cpu, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--quick", action="store_true", help="fewer files and repeats (loaded machine)"
    )
    parser.add_argument("--skip-stages", action="store_true", help="end-to-end table only")
    parser.add_argument("--skip-e2e", action="store_true", help="stage benches only")
    parser.add_argument("--worker", choices=["llmprep-on", "llmprep-off"], help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return llmprep_worker(args.worker == "llmprep-on", args.paths)

    corpus = args.corpus.resolve()
    picked = pick_files(corpus, args.quick)
    paths = [str(p) for fmt in FORMATS for p in picked[fmt]]
    sizes = {p: Path(p).stat().st_size for p in paths}
    print(
        f"# llmprep benchmarks: {len(paths)} files from {corpus}"
        + (" (--quick)" if args.quick else "")
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")

    env = dict(
        os.environ,
        DO_NOT_TRACK="1",
        UNSTRUCTURED_DISABLE_NOTICE="1",
        TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="",
    )
    if args.skip_e2e:
        run_stage_benches(corpus, args.quick, env)
        return 0
    runs = {
        "llmprep, redaction off": [
            str(MAIN_PY),
            __file__,
            "--worker",
            "llmprep-off",
            *paths,
        ],
        "llmprep, full redaction": [
            str(MAIN_PY),
            __file__,
            "--worker",
            "llmprep-on",
            *paths,
        ],
        "unstructured partition+chunk_by_title": [
            str(ANCHOR_PY),
            str(BENCH / "anchors_unstructured.py"),
            *paths,
        ],
    }
    raw: dict[str, dict] = {}
    peaks: dict[str, float] = {}
    for tool, cmd in runs.items():
        if not Path(cmd[0]).exists():
            print(f"{tool}: {cmd[0]} missing (run bench/setup_anchors.sh); skipped")
            continue
        t0 = time.perf_counter()
        rc, out, err, peak = run_child(cmd, env)
        if rc != 0:
            print(
                f"{tool}: exited {rc}; last stderr lines:\n"
                + "\n".join(err.strip().splitlines()[-5:])
            )
            continue
        raw[tool] = json.loads(out)
        peaks[tool] = peak
        print(
            f"{tool}: done in {time.perf_counter() - t0:.0f} s (incl. imports and warm-up)",
            flush=True,
        )

    results = {tool: summarise(r["rows"], sizes) for tool, r in raw.items()}
    print_end_to_end(results, raw, peaks)

    anchor = "unstructured partition+chunk_by_title"
    if anchor in raw:
        print(
            "\n## Goals (on the files unstructured handled; CPU-time ratio, wall-time ratio in brackets)\n"
        )
        for tool, goal in GOALS.items():
            if tool in raw:
                n, cpu, wall = common_ratio(raw, tool, anchor)
                verdict = "MET" if cpu >= goal else "NOT MET"
                print(
                    f"- {tool}: {cpu:.1f}x faster ({wall:.1f}x wall) on {n} files; goal >= {goal:g}x: {verdict}"
                )
        for fmt, s in results[anchor].items():
            if s["files"] and s["ok"] < s["files"]:
                print(
                    f"- unstructured failed {s['files'] - s['ok']}/{s['files']} {fmt} files ({', '.join(s['errors'])})"
                )

    if "llmprep, full redaction" in raw:
        stages = raw["llmprep, full redaction"]["stages"]
        total = sum(r["cpu"] for r in raw["llmprep, full redaction"]["rows"])
        stages = {"load (+ dedup/policy)": max(total - sum(stages.values()), 0.0), **stages}
        print("\n## Where llmprep's time goes, full redaction (CPU seconds per stage, all files)\n")
        for name, sec in sorted(stages.items(), key=lambda kv: -kv[1]):
            print(f"- {name:22} {sec:7.2f} s  {100 * sec / max(total, 1e-9):5.1f}%")
        top = max(stages.items(), key=lambda kv: kv[1])
        print(
            f"\nDominant stage with redaction on: {top[0]} ({100 * top[1] / max(total, 1e-9):.0f}% of the time)"
        )

    if not args.skip_stages:
        run_stage_benches(corpus, args.quick, env)
    return 0


def run_stage_benches(corpus: Path, quick: bool, env: dict[str, str]) -> None:
    benches = {
        "pii.py (vs Presidio)": [
            "pii.py",
            "--corpus",
            str(corpus),
            "--repeats",
            "1" if quick else "5",
        ],
        "html_content.py (vs trafilatura)": [
            "html_content.py",
            "--corpus",
            str(corpus),
            "--repeat",
            "1" if quick else "3",
        ],
        "lang.py (vs langdetect, lingua)": [
            "lang.py",
            "--corpus",
            str(corpus / "lang"),
            "--repeats",
            "1" if quick else "3",
        ]
        + (["--speed-texts", "300"] if quick else []),
        "pdf.py (vs raw pypdfium2)": [
            "pdf.py",
            "--corpus",
            str(corpus / "pdf"),
            "--repeats",
            "1" if quick else "5",
        ]
        + (["--pages", "150"] if quick else []),
    }
    for title, argv in benches.items():
        script = BENCH / argv[0]
        print(f"\n## Stage bench: {title}\n", flush=True)
        if not script.exists():
            print(f"{script.name} is missing; skipped")
            continue
        t0 = time.perf_counter()
        rc, out, err, peak = run_child([str(MAIN_PY), str(script), *argv[1:]], env)
        print(out.rstrip())
        if rc != 0:
            print(f"(exited {rc}; last stderr lines:)\n" + "\n".join(err.strip().splitlines()[-5:]))
        print(
            f"\n[{script.name}: {time.perf_counter() - t0:.0f} s, peak RSS of the bench process {peak:.0f} MB]",
            flush=True,
        )


if __name__ == "__main__":
    raise SystemExit(main())
