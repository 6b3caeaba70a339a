"""The Ray engine at scale: the run-wide phase on the workers against the old serial driver.

    .venv/bin/python bench/scale.py [--docs 50000,100000,200000] [--per-mbox 100]
                                    [--workers 2] [--part-files 16] [--tmp DIR]

For each size, `fixtures/make_dupes.py` writes a mail archive of that many small documents
(about 100 words each, 10% exact and 10% near copies planted), and it goes through:

- new design: `llmprep.run(engine="ray")` from scratch: the per-file map, then the run-wide
  phase as Ray Data operations (`runners/ray_assemble.py`); the records are written as parts;
- old design: the Ray runner without its run-wide phase, i.e. the map followed by the serial
  assembly in the driver (dedup, policy, single output files), as llmprep did before. The map
  is the same code in both designs, so it is not run twice: the old design's run reuses the
  new run's shards and measures its serial assembly; its totals add the new run's map phase.

Both drivers run as their own processes and join one private loopback Ray cluster started by
a holder process, so that the driver's CPU time and peak RSS (`getrusage` of the driver
process alone) are not mixed with the cluster's. Worker CPU time is the CPU of every process
of the cluster (Ray workers and the llmprep worker processes they start), sampled twice a
second by pid (`ClusterCpu`); Ray's own daemons (GCS, raylet, agents) are reported apart.

Printed per size: records/s of the whole run for both designs; driver CPU seconds (map phase,
run-wide phase) against worker CPU seconds, and the ratio; driver peak RSS; the Ray output
equal to the old output row for row, and precision/recall on the planted copies.
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
        self.seen: dict[int, tuple[float, bool]] = {}  # pid -> (CPU seconds, Ray daemon)
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
                if pid not in self.seen:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                    daemon = any(n in cmd for n in RAY_DAEMONS) and not cmd.startswith("ray::")
                else:
                    daemon = self.seen[pid][1]
            except OSError:
                continue
            self.seen[pid] = ((int(fields[11]) + int(fields[12])) / CLK_TCK, daemon)
        self.series.append((time.time(), self.totals()["workers"]))

    def workers_between(self, start: float, end: float) -> float:
        """Worker CPU seconds between two wall-clock times (nearest samples)."""

        def at(t: float) -> float:
            return min(self.series, key=lambda s: abs(s[0] - t))[1]

        return at(end) - at(start)

    def totals(self) -> dict[str, float]:
        cpu = {"workers": 0.0, "ray_daemons": 0.0}
        for seconds, daemon in self.seen.values():
            cpu["ray_daemons" if daemon else "workers"] += seconds
        return cpu


# -- one driver -------------------------------------------------------------------------------


def drive(mode: str, inputs: Path, out: Path, address: str, workers: int, part_files: int) -> int:
    """One run as its own process; prints a JSON line of what it measured."""
    started = time.perf_counter()
    import llmprep
    from llmprep.config import Config
    from llmprep.pipeline.run import execute_run
    from llmprep.runners.ray import RayRunner

    phases: dict[str, dict[str, float]] = {}

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
                "driver_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "driver_rss_mb": _rss_now(),
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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
                "phases": phases,
                "version": llmprep.__version__,
            }
        ),
        flush=True,
    )
    return 0


def _rss_now() -> dict[str, float]:
    """This process's resident memory now, in MB: anonymous, file-backed and shared pages."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            name = line.split(":", 1)[0]
            if name in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                found[name] = int(line.split()[1]) / 1024
    return found


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
) -> dict[str, Any]:
    import make_dupes

    inputs = tmp / f"in-{docs}"
    shutil.rmtree(inputs, ignore_errors=True)
    clusters = make_dupes.make_archive(inputs, docs, per_mbox=args.per_mbox, seed=7)
    new_out, old_out = tmp / f"out-{docs}-new", tmp / f"out-{docs}-old"
    shutil.rmtree(new_out, ignore_errors=True)
    shutil.rmtree(old_out, ignore_errors=True)
    common = [address, str(args.workers), str(args.part_files)]
    new, new_cpu = _child(["new", str(inputs), str(new_out), *common], holder)
    shutil.copytree(new_out / ".llmprep" / "shards", old_out / ".llmprep" / "shards")
    old, old_cpu = _child(["old", str(inputs), str(old_out), *common], holder)
    result = {
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
    if not args.keep:
        for path in (inputs, new_out, old_out):
            shutil.rmtree(path, ignore_errors=True)
    return result


def report(r: dict[str, Any]) -> None:
    new, old = r["new"], r["old"]
    records = new["records"]
    new_map, new_wide = new["phases"]["map"], new["phases"]["run_wide"]
    old_wide = old["phases"]["run_wide"]
    worker_cpu = r["new_cluster_cpu"]["workers"]  # the old design's map is the same work
    new_total = new["run_seconds"]
    old_total = new_map["seconds"] + old["run_seconds"]
    old_driver = new_map["driver_cpu"] + old["driver_cpu"]
    print(f"\n== {r['docs']:,} documents in {r['files']:,} files, {records:,} records ==")
    print(
        f"new design (run-wide phase on the workers): {new_total:7.1f} s, "
        f"{records / new_total:6.1f} records/s; map {new_map['seconds']:.1f} s, "
        f"run-wide {new_wide['seconds']:.1f} s"
    )
    print(
        f"old design (serial driver):                  {old_total:7.1f} s, "
        f"{records / old_total:6.1f} records/s; map {new_map['seconds']:.1f} s (same code, "
        f"measured once), run-wide {old_wide['seconds']:.1f} s "
        f"= {records / max(old_wide['seconds'], 1e-9):,.0f} records/s on one core"
    )
    print(
        f"driver CPU, new: {new['driver_cpu']:.1f} s (map {new_map['driver_cpu']:.1f}, "
        f"run-wide {new_wide['driver_cpu']:.1f}); workers {worker_cpu:.1f} CPU-s "
        f"(+ Ray daemons {r['new_cluster_cpu']['ray_daemons']:.1f}) -> driver/workers "
        f"{new['driver_cpu'] / max(worker_cpu, 1e-9):.1%}"
    )
    print(
        f"driver CPU, old: {old_driver:.1f} s (map {new_map['driver_cpu']:.1f}, serial "
        f"run-wide {old_wide['driver_cpu']:.1f}); workers {worker_cpu:.1f} CPU-s -> "
        f"driver/workers {old_driver / max(worker_cpu, 1e-9):.1%}"
    )
    print(
        f"run-wide phase alone: new {new_wide['worker_cpu']:.1f} worker CPU-s + "
        f"{new_wide['driver_cpu']:.1f} driver CPU-s "
        f"({records / max(new_wide['worker_cpu'] + new_wide['driver_cpu'], 1e-9):,.0f} "
        f"records per CPU-s); old {old_wide['driver_cpu']:.1f} driver CPU-s "
        f"({records / max(old_wide['driver_cpu'], 1e-9):,.0f} records per CPU-s)"
    )
    print(
        f"driver peak RSS: new {new_map['driver_peak_rss_mb']:.0f} MB after the map, "
        f"{new['driver_peak_rss_mb']:.0f} MB after the run-wide phase; old "
        f"{old['driver_peak_rss_mb']:.0f} MB (its serial run-wide phase)"
    )
    ns, os_ = r["new_score"], r["old_score"]
    print(
        f"Ray parts equal the serial output row for row: {r['equal']}; planted copies "
        f"({ns[2]:,}): new P={ns[0]:.3f} R={ns[1]:.3f}, old P={os_[0]:.3f} R={os_[1]:.3f}"
    )


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
            result = bench_size(docs, tmp, holder.pid, address, args)
            results.append(result)
            report(result)
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
