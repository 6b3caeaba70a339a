"""Ray runner: the same per-file work as the local runner, distributed on a Ray cluster.

The driver splits the file list into batches and hands them to a pool of Ray actors, one CPU
each, keeping two batches queued on every actor that has started. Every actor keeps one warm
llmprep worker process (the local runner's, see `worker.py`) for its whole life, so per-file
timeouts, memory limits and worker recycling behave exactly as on one machine, and models load
once per actor rather than once per batch. Workers write their shards to the output folder (on
a cluster it must be a shared filesystem, mounted at the same path everywhere); the run-wide
phase (dedup, policy, output parts) then runs as Ray Data operations (`ray_assemble`).

The map is plain Ray actors rather than a Ray Data `map_batches`: Ray Data's streaming
executor polls its tasks ten times a second on the driver, which cost the driver about 40 ms
of CPU per second of wall time for the whole map (4-7 ms per input file in `bench/scale.py`);
the driver here sleeps in `ray.wait` until a batch finishes (about 1 ms of driver CPU per
input file there).

Without `--ray-address` the runner starts a private single-node cluster bound to loopback and
stops it afterwards; with one (or when the caller already ran `ray.init`) it uses that cluster
and leaves it running. When Ray loses an actor (a node went away), the pass stops and the files
without a result go through a new pass, up to `ATTEMPTS` passes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError
from ..output import STATE_DIR, atomic_writer
from ..pipeline.inputs import InputFile
from ..pipeline.run import RowCallback, RunSummary
from ..pipeline.task import Job, run_key
from ..report import ReportBuilder
from .local import WorkerPool

log = logging.getLogger(__name__)

BATCH_FILES = 8  # files per Ray task: small for load balance, large enough to hide Ray's overhead
ATTEMPTS = 4  # passes over the files still without a result after workers were lost
QUEUED_PER_ACTOR = 2  # batches sent to an actor ahead: it never waits for the driver
LOOPBACK = "127.0.0.1"
PASS_POLL_SECONDS = 1.0  # how often a per-file actor checks that its pass is still on
# Read by Ray when it starts processes; a private cluster inherits it.
NO_TELEMETRY = {"RAY_USAGE_STATS_ENABLED": "0"}


def require_ray() -> Any:
    """Import Ray and Ray Data, or raise a ConfigError that says which extra to install."""
    for name, value in NO_TELEMETRY.items():
        os.environ.setdefault(name, value)
    try:
        import ray
        import ray.data  # ray without the [data] extra imports; Ray Data then does not
    except ImportError as exc:
        raise ConfigError(
            f"engine 'ray' needs Ray Data, which is not installed (missing module "
            f"{exc.name or 'ray'!r}): pip install 'llmprep[ray]'"
        ) from None
    return ray


@contextmanager
def _loopback() -> Iterator[None]:
    """Let Ray keep loopback addresses while it starts or joins a loopback-only cluster.

    On Linux Ray swaps a loopback node or cluster address for the machine's public one unless it
    believes multi-node clusters are off (its macOS/Windows default), and reads that flag when it
    resolves an address. Off for the duration of `ray.init`, every server binds to 127.0.0.1 and
    a driver finds a loopback cluster; then it is back on: a driver joining a real cluster must
    be reachable from the other nodes.
    """
    from ray._private import ray_constants

    saved = getattr(ray_constants, "ENABLE_RAY_CLUSTER", None)
    if saved is not None:
        ray_constants.ENABLE_RAY_CLUSTER = False
    try:
        yield
    finally:
        if saved is not None:
            ray_constants.ENABLE_RAY_CLUSTER = saved


def _is_loopback(address: str) -> bool:
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    return host == "localhost" or host == "::1" or host.startswith("127.")


def start_local_cluster(num_cpus: int) -> None:
    """Start a private single-node Ray cluster that listens on loopback only."""
    ray = require_ray()
    with _loopback():
        ray.init(
            num_cpus=num_cpus,
            include_dashboard=False,
            log_to_driver=False,  # actor output stays in the session logs, never in the user's terminal
            configure_logging=False,
            _node_ip_address=LOOPBACK,
        )


def connect_cluster(address: str) -> None:
    """Join an existing Ray cluster (`host:port` of its GCS, or `auto`) as a driver."""
    ray = require_ray()
    if _is_loopback(address):
        with _loopback():
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    else:
        ray.init(address=address, log_to_driver=False, configure_logging=False)


def _quiet_data_context(ray: Any) -> tuple[bool, bool]:
    """No Ray Data progress bars or start banners: llmprep draws its own progress. Returns
    the settings it replaced."""
    ctx = ray.data.DataContext.get_current()
    saved = (ctx.enable_progress_bars, ctx.print_on_execution_start)
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    return saved


def _restore_data_context(ray: Any, saved: tuple[bool, bool]) -> None:
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars, ctx.print_on_execution_start = saved


@contextmanager
def _ray_output(quiet: bool) -> Iterator[None]:
    """Keep Ray's console chatter out of llmprep's output while a run is on.

    Ray Data's progress bars and INFO lines are replaced by llmprep's own progress bar or
    summary line (they still go to the Ray session's log files). In quiet mode Ray core's
    warnings are hidden too. Everything is restored afterwards: the caller's Ray stays theirs.
    """
    data_console = [h for h in logging.getLogger("ray.data").handlers if h.get_name() == "console"]
    core = logging.getLogger("ray")
    saved = [(h, h.level) for h in data_console], core.level
    for h in data_console:
        h.setLevel(logging.ERROR)
    if quiet:
        core.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            if quiet:
                warnings.filterwarnings("ignore", module=r"ray(\.|$)")
            yield
    finally:
        for h, level in saved[0]:
            h.setLevel(level)
        core.setLevel(saved[1])


class _BatchProcessor:
    """A Ray actor: runs batches through one warm llmprep worker process it keeps alive (a
    one-worker `WorkerPool`), so models load once per actor, not once per batch."""

    def __init__(self, config_json: str, out: str, run_key: str, pass_token: str) -> None:
        self.pool = WorkerPool(
            Config.model_validate_json(config_json), Path(out), size=1, run_key=run_key
        )
        # Start loading models now, while the driver is still sending the first batches.
        self.pool.start()
        threading.Thread(
            target=self._exit_after_pass, args=(_pass_file(Path(out)), pass_token), daemon=True
        ).start()

    def _exit_after_pass(self, pass_file: Path, token: str) -> None:
        """Leave when the driver's pass is over (its pass file gone or another pass's).

        The driver kills its actors when a pass ends; this covers a driver that died first, so
        that no actor keeps its CPU (and its worker process) into another run's phases."""
        while True:
            time.sleep(PASS_POLL_SECONDS)
            try:
                current = pass_file.read_text(encoding="ascii")
            except OSError:
                current = ""
            if current != token:
                self.pool.close()
                os._exit(0)

    def ready(self) -> bool:
        return True

    def process(self, batch: list[tuple[str, str, str, str]]) -> list[tuple[str, dict[str, Any]]]:
        """(path, rel_path, sha256 or "", key) per file -> (rel_path, manifest row) per file."""
        jobs = [(InputFile(path=p, rel_path=r), (s or None), k) for p, r, s, k in batch]
        rows: dict[str, dict[str, Any]] = {}

        def keep(item: InputFile, row: dict[str, Any]) -> None:
            rows[item.rel_path] = row

        self.pool.process(jobs, keep)
        return [(rel, rows[rel]) for _, rel, _, _ in batch]

    def __del__(self) -> None:
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()


def _pass_file(out: Path) -> Path:
    """Names the per-file pass in progress; its actors exit once it names another or is gone."""
    return out / STATE_DIR / "ray-pass"


def _batch_files(files: int, actors: int) -> int:
    """At least two batches per actor when files are few, so every actor gets work."""
    return max(1, min(BATCH_FILES, -(-files // (2 * actors))))


class RayRunner:
    """Runs a run's files on a Ray cluster, then its run-wide half (`ray_assemble`); `quiet`
    hides Ray's own warnings too. Outputs use the parts layout (`output.PARTS_INDEX`)."""

    layout = "parts"

    def __init__(self, config: Config, out: Path, workers: int, *, quiet: bool = True) -> None:
        self.config = config
        self.out = out.resolve()
        self.workers = max(1, workers)
        self.quiet = quiet
        self._ray: Any = None  # set while a session is on
        self._started_here = False
        require_ray()  # fail in a second, not after hashing every input

    @contextmanager
    def session(self) -> Iterator[None]:
        """Ray for the whole run: joined (or started) on first use, stopped at the end if it
        was started here; Ray Data's own progress output off meanwhile."""
        if self._ray is not None:
            yield
            return
        ray = require_ray()
        with _ray_output(self.quiet):
            self._ray, self._started_here = ray, False
            saved = _quiet_data_context(ray)
            try:
                yield
            finally:
                _restore_data_context(ray, saved)
                if self._started_here:
                    ray.shutdown()
                self._ray, self._started_here = None, False

    def _cluster(self) -> Any:
        """The session's Ray, connected or started now if it is not yet."""
        ray = self._ray
        assert ray is not None, "used inside session()"
        if not ray.is_initialized():
            # Ray's own convention: RAY_ADDRESS names the cluster when no address is given.
            address = self.config.run.ray_address or os.environ.get("RAY_ADDRESS")
            if address:
                connect_cluster(address)
            else:
                start_local_cluster(self.workers)
            self._started_here = True
        return ray

    def run(self, jobs: Iterable[Job], on_row: RowCallback) -> None:
        job_list = list(jobs)
        if not job_list:
            return
        with self.session():
            self._map(self._cluster(), job_list, on_row)

    def assemble(
        self, keyed: list[Job], out: Path, config: Config, deleted: list[str]
    ) -> tuple[RunSummary, ReportBuilder]:
        """The run-wide half as Ray Data operations (see `ray_assemble`)."""
        from .ray_assemble import assemble

        with self.session():
            ray = self._cluster()
            cpus = max(1, int(ray.cluster_resources().get("CPU", self.workers)))
            return assemble(ray, keyed, self.out, config, deleted, cpus)

    def _actors(self, ray: Any) -> int:
        """--workers when given, else one actor per CPU of the cluster."""
        if self.config.run.workers:
            return self.config.run.workers
        return max(1, int(ray.cluster_resources().get("CPU", self.workers)))

    def _map(self, ray: Any, job_list: list[Job], on_row: RowCallback) -> None:
        """Run the jobs; when Ray loses workers mid-run, run again those without a result."""
        actors = min(self._actors(ray), len(job_list))
        batch = _batch_files(len(job_list), actors)
        done: set[str] = set()

        def deliver(item: InputFile, row: dict[str, Any]) -> None:
            done.add(item.rel_path)
            on_row(item, row)

        lost = (
            ray.exceptions.RayActorError,
            ray.exceptions.WorkerCrashedError,
            ray.exceptions.NodeDiedError,
            ray.exceptions.ObjectLostError,
        )
        try:
            todo = job_list
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    self._pass(ray, todo, deliver, batch, actors)
                    return
                except lost as exc:
                    todo = [job for job in todo if job[0].rel_path not in done]
                    if not todo:
                        return
                    if attempt == ATTEMPTS:
                        raise
                    log.warning(
                        "ray lost a worker (%s); running the %d files without a result again (attempt %d of %d)",
                        type(exc).__name__,
                        len(todo),
                        attempt + 1,
                        ATTEMPTS,
                    )
        finally:
            _pass_file(self.out).unlink(missing_ok=True)  # every actor of the map phase exits

    def _pass(
        self, ray: Any, jobs: list[Job], deliver: RowCallback, batch: int, actors: int
    ) -> None:
        """One pass over `jobs`; rows reach `deliver` batch by batch, in no fixed order.

        `actors` actors are asked for; each gets batches once it has started, so the pass runs
        on the CPUs free now and grows as the cluster (or an autoscaler) makes room for more.
        A lost actor ends the pass with Ray's error (`_map` runs what has no result again)."""
        by_rel = {item.rel_path: item for item, _, _ in jobs}
        queue = deque(
            [
                (str(Path(i.path).resolve()), i.rel_path, s or "", k)
                for i, s, k in jobs[start : start + batch]
            ]
            for start in range(0, len(jobs), batch)
        )
        token = uuid.uuid4().hex  # this pass's: a lost pass's actors see it change and exit
        with atomic_writer(_pass_file(self.out)) as fh:
            fh.write(token)
        actor_class = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(_BatchProcessor)
        pool = [
            actor_class.remote(
                self.config.model_dump_json(),
                str(self.out),
                run_key(),  # the driver's run key: every actor's workers hash a value alike
                token,
            )
            for _ in range(min(actors, len(queue)))
        ]
        starting = {actor.ready.remote(): actor for actor in pool}
        running: dict[Any, Any] = {}  # batch result -> its actor

        def send(actor: Any) -> None:
            if queue:
                running[actor.process.remote(queue.popleft())] = actor

        try:
            while running or (queue and starting):
                ready, _ = ray.wait([*running, *starting], num_returns=1)
                ref = ready[0]
                if ref in starting:
                    actor = starting.pop(ref)
                    ray.get(ref)
                    for _ in range(QUEUED_PER_ACTOR):
                        send(actor)
                    continue
                actor = running.pop(ref)
                for rel, row in ray.get(ref):
                    item = by_rel[rel]
                    row["path"] = item.path  # shown as the user named it, not resolved
                    deliver(item, row)
                send(actor)
        finally:
            for actor in pool:
                ray.kill(actor, no_restart=True)
