"""Ray runner: the same per-file work as the local runner, distributed by Ray Data.

Ray Data splits the file list into batches and hands them to a pool of actors, one CPU each.
Every actor keeps one warm llmprep worker process (the local runner's, see `worker.py`) for
its whole life, so per-file timeouts, memory limits and worker recycling behave exactly as on
one machine, and models load once per actor rather than once per batch. Workers write their
shards to the output folder (on a cluster it must be a shared filesystem, mounted at the same
path everywhere); the driver then runs the global phase (dedup, policy, output files) as a
local run does.

Without `--ray-address` the runner starts a private single-node cluster bound to loopback and
stops it afterwards; with one (or when the caller already ran `ray.init`) it uses that cluster
and leaves it running. When Ray loses an actor (a node went away), the pass stops and the files
without a result go through a new pass, up to `ATTEMPTS` passes.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError
from ..pipeline.inputs import InputFile
from ..pipeline.run import RowCallback
from ..pipeline.task import Job, run_key
from .local import STARTUP_TIMEOUT, WorkerPool

log = logging.getLogger(__name__)

BATCH_FILES = 8  # files per Ray task: small for load balance, large enough to hide Ray's overhead
ATTEMPTS = 4  # Ray Data passes over the files still without a result after workers were lost
LOOPBACK = "127.0.0.1"
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
    """A Ray Data actor: runs batches through one warm llmprep worker process it keeps alive
    (a one-worker `WorkerPool`), so models load once per actor, not once per batch."""

    def __init__(self, config_json: str, out: str, run_key: str) -> None:
        self.pool = WorkerPool(
            Config.model_validate_json(config_json), Path(out), size=1, run_key=run_key
        )
        # Start loading models now, while Ray is still scheduling the first batch.
        self.pool.start()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        jobs = [
            (InputFile(path=str(p), rel_path=str(r)), (str(s) or None), str(k))
            for p, r, s, k in zip(
                batch["path"], batch["rel_path"], batch["sha256"], batch["key"], strict=True
            )
        ]
        order = [j[0].rel_path for j in jobs]
        rows: dict[str, str] = {}

        def keep(item: InputFile, row: dict[str, Any]) -> None:
            rows[item.rel_path] = json.dumps(row, ensure_ascii=False)

        self.pool.process(jobs, keep)
        return {"rel_path": order, "row": [rows[r] for r in order]}

    def __del__(self) -> None:
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()


def _batch_files(files: int, actors: int) -> int:
    """At least two batches per actor when files are few, so every actor gets work."""
    return max(1, min(BATCH_FILES, -(-files // (2 * actors))))


class RayRunner:
    """Runs a run's files on a Ray cluster; `quiet` hides Ray's own warnings too."""

    def __init__(self, config: Config, out: Path, workers: int, *, quiet: bool = True) -> None:
        self.config = config
        self.out = out.resolve()
        self.workers = max(1, workers)
        self.quiet = quiet
        require_ray()  # fail in a second, not after hashing every input

    def run(self, jobs: Iterable[Job], on_row: RowCallback) -> None:
        job_list = list(jobs)
        if not job_list:
            return
        ray = require_ray()
        with _ray_output(self.quiet):
            started_here = not ray.is_initialized()
            if started_here:
                # Ray's own convention: RAY_ADDRESS names the cluster when no address is given.
                address = self.config.run.ray_address or os.environ.get("RAY_ADDRESS")
                if address:
                    connect_cluster(address)
                else:
                    start_local_cluster(self.workers)
            try:
                self._map(ray, job_list, on_row)
            finally:
                if started_here:
                    ray.shutdown()

    def _actors(self, ray: Any) -> int:
        """--workers when given, else one actor per CPU of the cluster."""
        if self.config.run.workers:
            return self.config.run.workers
        return max(1, int(ray.cluster_resources().get("CPU", self.workers)))

    @staticmethod
    def _pool(ray: Any, actors: int) -> Any:
        """Start with the CPUs free now, grow to `actors` as the cluster (or an autoscaler) allows.

        A fixed size larger than the free CPUs would make Ray Data wait for actors that never come.
        """
        free = int(ray.available_resources().get("CPU", 0))
        start = max(1, min(actors, free))
        return ray.data.ActorPoolStrategy(min_size=1, max_size=actors, initial_size=start)

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
        ctx = ray.data.DataContext.get_current()
        saved = (
            ctx.enable_progress_bars,
            ctx.print_on_execution_start,
            ctx.execution_no_progress_timeout_s,
        )
        ctx.enable_progress_bars = False  # llmprep draws its own progress
        ctx.print_on_execution_start = False
        if ctx.execution_no_progress_timeout_s > 0:
            # A batch may legitimately run every file to its timeout; Ray must not call that a hang.
            ctx.execution_no_progress_timeout_s = max(
                ctx.execution_no_progress_timeout_s,
                batch * self.config.run.timeout + STARTUP_TIMEOUT + 60,
            )
        try:
            todo = job_list
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    self._dataset(ray, todo, deliver, batch, actors)
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
            (
                ctx.enable_progress_bars,
                ctx.print_on_execution_start,
                ctx.execution_no_progress_timeout_s,
            ) = saved

    def _dataset(
        self, ray: Any, jobs: list[Job], deliver: RowCallback, batch: int, actors: int
    ) -> None:
        """One Ray Data pass over `jobs`; rows reach `deliver` batch by batch, in no fixed order."""
        by_rel = {item.rel_path: item for item, _, _ in jobs}
        blocks = -(-len(jobs) // batch)
        ds = ray.data.from_items(
            [
                {
                    "path": str(Path(i.path).resolve()),
                    "rel_path": i.rel_path,
                    "sha256": s or "",
                    "key": k,
                }
                for i, s, k in jobs
            ],
            override_num_blocks=blocks,
        )
        with warnings.catch_warnings():
            # max_restarts through **ray_remote_args is deprecated from Ray 2.60 on (llmprep pins
            # ray 2.60.0) and has no named parameter yet.
            warnings.filterwarnings("ignore", message=r".*ray_remote_args.*deprecated")
            results = ds.map_batches(
                _BatchProcessor,
                fn_constructor_kwargs={
                    "config_json": self.config.model_dump_json(),
                    "out": str(self.out),
                    # The driver's run key: every actor's workers hash a value alike.
                    "run_key": run_key(),
                },
                batch_size=batch,
                compute=self._pool(ray, min(actors, blocks)),
                num_cpus=1,
                # A lost actor fails the pass and `_map` reruns what has no result. Ray's own
                # restarts would do the same but log an error line on every run (actor arguments
                # live in the object store), which --quiet could not hide.
                max_restarts=0,
                batch_format="numpy",
            )
        for out in results.iter_batches(batch_size=None, batch_format="numpy"):
            for rel, row in zip(out["rel_path"], out["row"], strict=True):
                data = json.loads(str(row))
                item = by_rel[str(rel)]
                data["path"] = item.path  # shown as the user named it, not resolved
                deliver(item, data)
