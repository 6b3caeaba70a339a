"""The Ray engine at scale: the run-wide phase on the workers against the old serial driver.

    .venv/bin/python bench/scale.py [--docs 50000,100000,200000] [--per-mbox 100]
                                    [--workers 2] [--part-files 16] [--repeat 3] [--tmp DIR]

For each size, `fixtures/make_dupes.py` writes a mail archive of that many small documents
(about 100 words each, 10% exact and 10% near copies planted), and it goes through:

- new design: `llmprep.run(engine="ray")` from scratch: the per-file map, then the run-wide
  phase as Ray Data operations (`runners/ray_assemble.py`); the records are written as parts;
- old design: the Ray runner without its run-wide phase, i.e. the map followed by the serial
  assembly in the driver (dedup, policy, single output files), as llmprep did before. The map
  is the same code in both designs, so it is not run twice: the old design's run reuses the
  new run's shards and measures its serial assembly; its totals add the new run's map phase.

Both drivers run as their own processes and join one private loopback Ray cluster started by
a holder process, so that the driver's CPU time (`getrusage` of the driver process alone)
and peak RSS (its VmHWM) are not mixed with the cluster's. Worker CPU time is the CPU of
every process of the cluster (Ray workers and the llmprep worker processes they start),
sampled twice a second by pid (`ClusterCpu`); Ray's own daemons (GCS, raylet, agents) and
Ray Data's helper actors (stats, autoscaling coordinator) are reported apart.

Printed per size, medians over `--repeat` runs: records/s of the whole run for both designs;
driver CPU seconds (map phase, run-wide phase) against worker CPU seconds, and the ratio;
driver peak RSS, and its anonymous part apart from Ray's shared object-store pages; the Ray
output equal to the old output row for row, and precision/recall on the planted copies.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE.parent / "src"))
sys.path.insert(0, str(_HERE.parent / "fixtures"))

CLK_TCK = os.sysconf("SC_CLK_TCK")
RAY_DAEMONS = ("gcs_server", "raylet", "dashboard", "log_monitor", "runtime_env", "monitor.py")
# Ray's per-node agents retitle themselves like workers do; they are daemons all the same.
RAY_AGENTS = ("ray::DashboardAgent", "ray::RuntimeEnvAgent")
# Ray Data's helper actors (metrics, autoscaling, block locations): Ray's bookkeeping, not
# llmprep's work; reported apart like the daemons and not counted as worker CPU.
RAY_SERVICES = (
    "ray::_StatsActor",
    "ray::_AutoscalingCoordinatorActor",
    "ray::ActorLocationTracker",
)


# -- the cluster holder ---------------------------------------------------------------------


def hold_cluster(cpus: int) -> int:
    """A process that starts the cluster, prints its address and waits for stdin to close."""
    from llmprep.runners.ray import require_ray, start_local_cluster

    ray = require_ray()
    start_local_cluster(cpus)
    print(ray.get_runtime_context().gcs_address, flush=True)
    sys.stdin.read()
    ray.shutdown()
    return 0


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found.append(child)
            todo.append(child)
    return found


def _kind(cmdline: bytes) -> str:
    """A cluster process's kind: `workers`, `ray_daemons` (Ray's daemons and agents) or
    `ray_services` (Ray Data's helper actors), from its program and script only. A Ray
    worker's arguments name the raylet and the runtime-env agent: an earlier version of this
    check looked at every argument and counted the workers that started during a run (the
    run-wide phase's among them) as daemons."""
    args = cmdline.decode(errors="replace").split("\0")
    if args[0].startswith(RAY_SERVICES):
        return "ray_services"
    if args[0].startswith(RAY_AGENTS):
        return "ray_daemons"
    if args[0].startswith("ray::"):
        return "workers"
    script = next((a for a in args[1:] if a and not a.startswith("-")), "")
    return "ray_daemons" if any(n in f"{args[0]} {script}" for n in RAY_DAEMONS) else "workers"


class ClusterCpu:
    """CPU seconds of every process of the holder's cluster, sampled in a thread.

    Each process is followed by pid while it lives, even after it leaves the holder's tree (an
    llmprep worker whose Ray actor was killed is re-parented), and counted by its own time
    (utime + stime) at the last sample: a process's reaped children are counted as themselves,
    never twice. What a process spends in its last interval before it exits is missed."""

    def __init__(self, holder: int, interval: float = 0.5) -> None:
        import threading

        self.holder = holder
        self.interval = interval
        self.seen: dict[int, tuple[float, str]] = {}  # pid -> (CPU seconds, kind)
        self.series: list[tuple[float, float]] = []  # (time, worker CPU so far)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> ClusterCpu:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        for pid in set(_tree(self.holder)) | set(self.seen):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                # Classified again at every sample: a Ray worker starts as a plain Python
                # command and takes its `ray::` title about a second later.
                kind = _kind(Path(f"/proc/{pid}/cmdline").read_bytes())
            except OSError:
                continue
            self.seen[pid] = ((int(fields[11]) + int(fields[12])) / CLK_TCK, kind)
        self.series.append((time.time(), self.totals()["workers"]))

    def workers_between(self, start: float, end: float) -> float:
        """Worker CPU seconds between two wall-clock times (nearest samples)."""

        def at(t: float) -> float:
            return min(self.series, key=lambda s: abs(s[0] - t))[1]

        return at(end) - at(start)

    def totals(self) -> dict[str, float]:
        cpu = {"workers": 0.0, "ray_daemons": 0.0, "ray_services": 0.0}
        for seconds, kind in self.seen.values():
            cpu[kind] += seconds
        return cpu


# -- one driver -------------------------------------------------------------------------------


def drive(mode: str, inputs: Path, out: Path, address: str, workers: int, part_files: int) -> int:
    """One run as its own process; prints a JSON line of what it measured."""
    started = time.perf_counter()
    import llmprep
    from llmprep.config import Config
    from llmprep.pipeline.run import execute_run
    from llmprep.runners.ray import RayRunner

    phases: dict[str, dict[str, Any]] = {}
    peaks = RssPeaks()

    def usage() -> tuple[float, float]:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return time.perf_counter(), r.ru_utime + r.ru_stime

    def timed(name: str, fn: Any, *args: Any) -> Any:
        t0, c0 = usage()
        wall0 = time.time()
        try:
            return fn(*args)
        finally:
            t1, c1 = usage()
            phases[name] = {
                "seconds": t1 - t0,
                "driver_cpu": c1 - c0,
                "start": wall0,
                "end": time.time(),
                # peak RSS of the driver so far (after this phase), and what it holds now
                "driver_peak_rss_mb": _peak_rss(),
                "driver_rss_mb": _rss_now(),
                "driver_rss_peaks_mb": peaks.sample(),
            }

    class Measured(RayRunner):
        def run(self, jobs: Any, on_row: Any) -> None:
            timed("map", super().run, jobs, on_row)

        def assemble(self, *args: Any) -> Any:
            return timed("run_wide", super().assemble, *args)

    class Serial:
        """The Ray runner as it was: its map only, the run-wide half then in the driver."""

        def __init__(self, config: Config, out: Path, workers: int, *, quiet: bool) -> None:
            self.inner = RayRunner(config, out, workers, quiet=quiet)

        def run(self, jobs: Any, on_row: Any) -> None:
            timed("map", self.inner.run, jobs, on_row)

    config = Config().with_overrides(
        redact=False,
        **{
            "run.engine": "ray",
            "run.ray_address": address,
            "run.workers": workers,
            "run.part_files": part_files,
        },
    )
    factory = Measured if mode == "new" else Serial
    t0, c0 = usage()
    summary = execute_run(
        [inputs], out, config, runner=lambda c, o: factory(c, o, workers, quiet=True)
    )
    t1, c1 = usage()
    if mode == "old":  # everything after the (empty) map phase is the serial assembly
        phases["run_wide"] = {
            "seconds": t1 - t0 - phases.get("map", {}).get("seconds", 0.0),
            "driver_cpu": c1 - c0 - phases.get("map", {}).get("driver_cpu", 0.0),
        }
    peak = _peak_rss()
    kinds = peaks.stop()
    print(
        json.dumps(
            {
                "records": summary.records + summary.rejected,
                "files": summary.files,
                "processed": summary.processed,
                "seconds": time.perf_counter() - started,
                "run_seconds": t1 - t0,
                "driver_cpu": c1,
                "driver_peak_rss_mb": peak,
                "driver_rss_peaks_mb": kinds,
                "phases": phases,
                "version": llmprep.__version__,
            }
        ),
        flush=True,
    )
    return 0


def _peak_rss() -> float:
    """The driver's peak resident memory in MB: VmHWM, the high-water mark of this process's
    own address space since it started.

    Not `ru_maxrss`: Linux carries a process's maximum RSS across `execve`, and a child made by
    fork + exec starts with its parent's resident size at the fork. The parent here holds the
    generated archive (and, from the second size on, the previous size's rows): `ru_maxrss`
    of the drivers showed 461 MB at 100,000 documents and 898 MB at 200,000 while the driver
    itself never went above about 230 MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_now() -> dict[str, float]:
    """This process's resident memory now, in MB: anonymous, file-backed and shared pages."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            name = line.split(":", 1)[0]
            if name in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                found[name] = int(line.split()[1]) / 1024
    return found


class RssPeaks:
    """Peaks of the driver's resident memory by kind, sampled in a thread every 0.2 s.

    The peak (VmHWM) counts every resident page, including the pages of Ray's object store that
    the driver maps (RssShmem, shared with the raylet and the workers) and of the libraries it
    loaded (RssFile). Anonymous memory (RssAnon: the heap, Python objects, Arrow buffers) is
    what grows if the driver holds per-record state, so it is reported apart."""

    def __init__(self, interval: float = 0.2) -> None:
        import threading

        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(interval,), daemon=True)
        self._thread.start()

    def _loop(self, interval: float) -> None:
        while True:
            self.sample()
            if self._stop.wait(interval):
                return

    def sample(self) -> dict[str, float]:
        for name, mb in _rss_now().items():
            self.peaks[name] = max(self.peaks.get(name, 0.0), mb)
        return dict(self.peaks)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return self.sample()


def _child(args: list[str], holder: int) -> tuple[dict[str, Any], dict[str, float]]:
    # The private cluster uses token authentication (Ray's default for a new local cluster;
    # the token is in ~/.ray/auth_token): a driver joining it says so.
    env = {**os.environ, "RAY_AUTH_MODE": "token"}
    with ClusterCpu(holder) as cpu:
        before = cpu.totals()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", *args],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        time.sleep(1)
    after = cpu.totals()
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"driver failed ({proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for phase in result["phases"].values():
        if "start" in phase:
            phase["worker_cpu"] = cpu.workers_between(phase["start"], phase["end"])
    return result, {k: after[k] - before[k] for k in after}


# -- the comparison ---------------------------------------------------------------------------


def _same_rows(a: Path, b: Path) -> bool:
    import llmprep

    for rejected in (False, True):
        left = llmprep.read_records(a, rejected=rejected)
        right = llmprep.read_records(b, rejected=rejected)
        for x, y in zip(left, right, strict=False):
            if x != y:
                return False
        if next(left, None) is not None or next(right, None) is not None:
            return False
    return True


def _score(out: Path, clusters: dict[str, int]) -> tuple[float, float, int]:
    import make_dupes

    import llmprep

    rows = [*llmprep.read_records(out), *llmprep.read_records(out, rejected=True)]
    return make_dupes.score(rows, clusters)


def bench_size(
    docs: int, tmp: Path, holder: int, address: str, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """`args.repeat` runs of both designs on one generated archive of `docs` documents."""
    import make_dupes

    inputs = tmp / f"in-{docs}"
    shutil.rmtree(inputs, ignore_errors=True)
    clusters = make_dupes.make_archive(inputs, docs, per_mbox=args.per_mbox, seed=7)
    new_out, old_out = tmp / f"out-{docs}-new", tmp / f"out-{docs}-old"
    common = [address, str(args.workers), str(args.part_files)]
    runs = []
    for _ in range(args.repeat):
        shutil.rmtree(new_out, ignore_errors=True)
        shutil.rmtree(old_out, ignore_errors=True)
        new, new_cpu = _child(["new", str(inputs), str(new_out), *common], holder)
        shutil.copytree(new_out / ".llmprep" / "shards", old_out / ".llmprep" / "shards")
        old, old_cpu = _child(["old", str(inputs), str(old_out), *common], holder)
        runs.append(
            {
                "docs": docs,
                "files": new["files"],
                "new": new,
                "new_cluster_cpu": new_cpu,
                "old": old,
                "old_cluster_cpu": old_cpu,
                "equal": _same_rows(new_out, old_out),
                "new_score": _score(new_out, clusters),
                "old_score": _score(old_out, clusters),
            }
        )
    if not args.keep:
        for path in (inputs, new_out, old_out):
            shutil.rmtree(path, ignore_errors=True)
    return runs


def figures(r: dict[str, Any]) -> dict[str, float]:
    """The figures of one run of both designs (the old design's map is the new one's: the
    same code, measured once)."""
    new, old = r["new"], r["old"]
    records = new["records"]
    new_map, new_wide = new["phases"]["map"], new["phases"]["run_wide"]
    old_wide = old["phases"]["run_wide"]
    workers = r["new_cluster_cpu"]["workers"]
    old_driver = new_map["driver_cpu"] + old["driver_cpu"]
    old_total = new_map["seconds"] + old["run_seconds"]
    return {
        "records": records,
        "new_seconds": new["run_seconds"],
        "new_records_s": records / new["run_seconds"],
        "old_seconds": old_total,
        "old_records_s": records / old_total,
        "map_seconds": new_map["seconds"],
        "new_wide_seconds": new_wide["seconds"],
        "old_wide_seconds": old_wide["seconds"],
        "old_wide_records_s": records / max(old_wide["seconds"], 1e-9),
        "worker_cpu": workers,
        "ray_daemon_cpu": r["new_cluster_cpu"]["ray_daemons"],
        "ray_service_cpu": r["new_cluster_cpu"].get("ray_services", 0.0),
        "new_driver_cpu": new["driver_cpu"],
        "new_driver_map_cpu": new_map["driver_cpu"],
        "new_driver_wide_cpu": new_wide["driver_cpu"],
        "new_wide_worker_cpu": new_wide["worker_cpu"],
        "new_driver_share": new["driver_cpu"] / max(workers, 1e-9),
        "old_driver_cpu": old_driver,
        "old_driver_wide_cpu": old_wide["driver_cpu"],
        "old_driver_share": old_driver / max(workers, 1e-9),
        "new_peak_rss": new["driver_peak_rss_mb"],
        "new_peak_anon": new["driver_rss_peaks_mb"].get("RssAnon", 0.0),
        "new_peak_shmem": new["driver_rss_peaks_mb"].get("RssShmem", 0.0),
        "new_map_peak_anon": new_map["driver_rss_peaks_mb"].get("RssAnon", 0.0),
        "old_peak_rss": old["driver_peak_rss_mb"],
        "old_peak_anon": old["driver_rss_peaks_mb"].get("RssAnon", 0.0),
    }


def report(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Print the medians over the runs of one size; return them."""
    import statistics

    each = [figures(r) for r in runs]
    m = {k: statistics.median(f[k] for f in each) for k in each[0]}
    r = runs[0]
    print(
        f"\n== {r['docs']:,} documents in {r['files']:,} files, {m['records']:,.0f} records; "
        f"medians of {len(runs)} run(s) =="
    )
    print(
        f"new design (run-wide phase on the workers): {m['new_seconds']:7.1f} s, "
        f"{m['new_records_s']:6.1f} records/s; map {m['map_seconds']:.1f} s, "
        f"run-wide {m['new_wide_seconds']:.1f} s"
    )
    print(
        f"old design (serial driver):                  {m['old_seconds']:7.1f} s, "
        f"{m['old_records_s']:6.1f} records/s; map {m['map_seconds']:.1f} s (same code), "
        f"run-wide {m['old_wide_seconds']:.1f} s = {m['old_wide_records_s']:,.0f} records/s "
        f"on one core"
    )
    print(
        f"driver CPU, new: {m['new_driver_cpu']:.1f} s (map {m['new_driver_map_cpu']:.1f}, "
        f"run-wide {m['new_driver_wide_cpu']:.1f}); workers {m['worker_cpu']:.1f} CPU-s "
        f"(+ Ray daemons {m['ray_daemon_cpu']:.1f}, Ray Data services {m['ray_service_cpu']:.1f}) "
        f"-> driver/workers "
        f"{m['new_driver_share']:.1%}"
    )
    print(
        f"driver CPU, old: {m['old_driver_cpu']:.1f} s (serial run-wide "
        f"{m['old_driver_wide_cpu']:.1f}) -> driver/workers {m['old_driver_share']:.1%}"
    )
    print(
        f"run-wide phase, new: {m['new_wide_worker_cpu']:.1f} worker CPU-s + "
        f"{m['new_driver_wide_cpu']:.1f} driver CPU-s; old: {m['old_driver_wide_cpu']:.1f} "
        f"driver CPU-s"
    )
    print(
        f"driver peak RSS (VmHWM), new: {m['new_peak_rss']:.0f} MB (anonymous {m['new_peak_anon']:.0f} "
        f"MB, {m['new_map_peak_anon']:.0f} MB by the end of the map; object-store pages "
        f"{m['new_peak_shmem']:.0f} MB); old: {m['old_peak_rss']:.0f} MB (anonymous "
        f"{m['old_peak_anon']:.0f} MB)"
    )
    for r in runs:
        ns, os_ = r["new_score"], r["old_score"]
        print(
            f"  run: Ray parts equal the serial output row for row: {r['equal']}; planted "
            f"copies ({ns[2]:,}): new P={ns[0]:.3f} R={ns[1]:.3f}, old P={os_[0]:.3f} "
            f"R={os_[1]:.3f}; new {figures(r)['new_seconds']:.1f} s, driver/workers "
            f"{figures(r)['new_driver_share']:.1%}"
        )
    return m


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        mode, inputs, out, address, workers, part_files = argv[1:7]
        return drive(mode, Path(inputs), Path(out), address, int(workers), int(part_files))
    if argv and argv[0] == "--hold":
        return hold_cluster(int(argv[1]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="50000,100000,200000")
    parser.add_argument("--per-mbox", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part-files", type=int, default=16)
    parser.add_argument("--tmp", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (medians)")
    parser.add_argument("--keep", action="store_true", help="keep inputs and outputs")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args(argv)
    tmp = args.tmp or Path(tempfile.mkdtemp(prefix="llmprep-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, __file__, "--hold", str(args.workers)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    address = holder.stdout.readline().strip()
    print(f"cluster: {args.workers} CPUs at {address} (holder pid {holder.pid})", flush=True)
    results = []
    try:
        for docs in (int(d) for d in args.docs.split(",")):
            runs = bench_size(docs, tmp, holder.pid, address, args)
            results.append({"docs": docs, "runs": runs, "medians": report(runs)})
            if args.json:
                args.json.write_text(json.dumps(results, indent=1))
    finally:
        holder.stdin.close()
        holder.wait(timeout=120)
        if args.tmp is None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
