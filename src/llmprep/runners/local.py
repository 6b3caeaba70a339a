"""Local runner: a pool of worker processes with per-file timeouts, memory limits and recycling.

Each worker handles one file at a time. The parent waits on worker pipes and process sentinels
with a deadline per file: a worker that overruns is killed (`timeout` row), one that dies is
replaced (`failed` row, `worker.crashed` or `worker.out_of_memory`), and every worker is
replaced after `recycle_after` files so leaks in parsers cannot accumulate.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..config import Config
from ..models import ErrorInfo
from ..output import ShardStore
from .inputs import InputFile
from ..pipeline import warm_up
from .task import failure_row, run_task, store_failure

READY = "ready"
MEMORY_POLL_SECONDS = 0.25
STARTUP_TIMEOUT = 300.0  # seconds for a new worker to import and load its models

Job = tuple[InputFile, str | None, str]  # item, sha256, shard key
RowCallback = Callable[[InputFile, dict[str, Any]], None]


def _worker_main(conn: Connection, config_json: str, out_dir: str, max_memory_mb: int) -> None:
    if max_memory_mb:
        import resource

        # RLIMIT_DATA counts what a process actually writes (heap, anonymous maps), unlike
        # RLIMIT_AS, which address-space reservations by thread pools and mmapped models blow
        # through. The parent also watches RSS: this is the in-process backstop.
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    config = Config.model_validate_json(config_json)
    store = ShardStore(Path(out_dir))
    try:
        warm_up(config)
    except Exception:  # a stage that cannot warm up will fail per file, with a typed row
        pass
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        item, sha, key = job
        try:
            row = run_task(item, sha, key, config, store)
        except MemoryError:
            row = failure_row(item, sha, config.hash(), "failed", ErrorInfo(code="worker.out_of_memory", message="file exceeded the worker memory limit"), 0.0)
            store_failure(store, key, row)
        conn.send(row)


def rss_mb(pid: int | None) -> float:
    """Resident memory of a process in MB (0 when it is gone or /proc is not there)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    done: int = 0
    job: Job | None = None
    started: float = 0.0
    ready: bool = False
    spawned: float = 0.0
    stopped: bool = False


class LocalRunner:
    def __init__(self, config: Config, out: Path, workers: int) -> None:
        self.config = config
        self.out = out
        self.workers = max(1, workers)
        self.ctx = mp.get_context("spawn")  # no inherited threads or locks from the parent
        self.config_json = config.model_dump_json()
        self.config_hash = config.hash()
        self.store = ShardStore(out)

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(
            target=_worker_main,
            args=(child, self.config_json, str(self.out), self.config.run.max_memory_mb),
            daemon=True,
        )
        proc.start()
        child.close()
        return _Worker(proc, parent, spawned=time.monotonic())

    def run(self, jobs: Iterable[Job], on_row: RowCallback) -> None:
        queue = deque(jobs)
        if not queue:
            return
        timeout = self.config.run.timeout
        pool = [self._spawn() for _ in range(min(self.workers, len(queue)))]
        try:
            self._loop(pool, queue, timeout, on_row)
        finally:
            for w in pool:
                self._stop(w)

    def _loop(self, pool: list[_Worker], queue: deque[Job], timeout: float, on_row: RowCallback) -> None:
        def assign(w: _Worker) -> None:
            if queue and w.ready:
                w.job = queue.popleft()
                w.started = time.monotonic()
                w.conn.send(w.job)

        def deadline(w: _Worker) -> float:
            return w.started + timeout if w.job is not None else w.spawned + STARTUP_TIMEOUT

        start_failures = 0
        while True:
            live = [w for w in pool if w.job is not None or (not w.ready and not w.stopped)]
            if not live:
                return
            now = time.monotonic()
            wait_for = max(0.0, min(deadline(w) for w in live) - now)
            if self.config.run.max_memory_mb:
                wait_for = min(wait_for, MEMORY_POLL_SECONDS)
            ready = wait([w.conn for w in live] + [w.process.sentinel for w in live], timeout=wait_for)
            now = time.monotonic()
            for i, w in enumerate(pool):
                if w not in live:
                    continue
                message: Any = None
                if w.conn in ready:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        message = None
                if not w.ready:
                    if message == READY:
                        w.ready = True
                        assign(w)
                    elif (w.conn in ready or w.process.sentinel in ready) or now >= deadline(w):
                        self._stop(w)
                        start_failures += 1
                        if start_failures > 3 * self.workers:
                            # Workers cannot start at all: every remaining file gets a typed row.
                            while queue:
                                job = queue.popleft()
                                on_row(job[0], self._fail(job, "failed", "worker.start_failed", "worker processes failed to start", 0.0))
                        elif queue:
                            pool[i] = self._spawn()
                    continue
                assert w.job is not None
                item, _sha, _key = w.job
                row: dict[str, Any] | None = message
                replace = False
                if row is not None:
                    w.done += 1
                    replace = w.done >= self.config.run.recycle_after
                elif w.conn in ready or w.process.sentinel in ready:
                    w.process.join(timeout=1)
                    code = "worker.out_of_memory" if self.config.run.max_memory_mb else "worker.crashed"
                    row = self._fail(w.job, "failed", code, f"the worker process died (exit code {w.process.exitcode})", now - w.started)
                    replace = True
                elif self._over_memory(w):
                    w.process.kill()
                    w.process.join(timeout=5)
                    limit = self.config.run.max_memory_mb
                    row = self._fail(w.job, "failed", "worker.out_of_memory", f"processing needed more than the {limit} MB memory limit", now - w.started)
                    replace = True
                elif now >= deadline(w):
                    w.process.kill()
                    w.process.join(timeout=5)
                    row = self._fail(w.job, "timeout", "file.timeout", f"processing took longer than {timeout:g} s", now - w.started)
                    replace = True
                if row is None:
                    continue
                w.job = None
                on_row(item, row)
                if replace:
                    self._stop(w)
                    if queue:
                        pool[i] = self._spawn()
                    continue
                assign(w)

    def _over_memory(self, w: _Worker) -> bool:
        limit = self.config.run.max_memory_mb
        return bool(limit) and rss_mb(w.process.pid) > limit

    def _fail(self, job: Job, status: str, code: str, message: str, seconds: float) -> dict[str, Any]:
        item, sha, key = job
        row = failure_row(item, sha, self.config_hash, status, ErrorInfo(code=code, message=message), seconds)
        store_failure(self.store, key, row)
        return row

    @staticmethod
    def _stop(w: _Worker) -> None:
        w.stopped = True
        if w.process.is_alive():
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(timeout=2)
        w.conn.close()
