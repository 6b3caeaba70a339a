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
from .task import failure_row, run_task, store_failure

Job = tuple[InputFile, str | None, str]  # item, sha256, shard key
RowCallback = Callable[[InputFile, dict[str, Any]], None]


def _worker_main(conn: Connection, config_json: str, out_dir: str, max_memory_mb: int) -> None:
    if max_memory_mb:
        import resource

        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    config = Config.model_validate_json(config_json)
    store = ShardStore(Path(out_dir))
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


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    done: int = 0
    job: Job | None = None
    started: float = 0.0


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
        return _Worker(proc, parent)

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
            if queue:
                w.job = queue.popleft()
                w.started = time.monotonic()
                w.conn.send(w.job)

        for w in pool:
            assign(w)
        while any(w.job is not None for w in pool):
            busy = [w for w in pool if w.job is not None]
            now = time.monotonic()
            wait_for = max(0.0, min(w.started + timeout for w in busy) - now)
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
            now = time.monotonic()
            for i, w in enumerate(pool):
                if w.job is None:
                    continue
                item, sha, key = w.job
                row: dict[str, Any] | None = None
                replace = False
                if w.conn in ready:
                    try:
                        row = w.conn.recv()
                    except (EOFError, OSError):
                        row = None
                    if row is not None:
                        w.done += 1
                        replace = w.done >= self.config.run.recycle_after
                if row is None and (w.conn in ready or w.process.sentinel in ready):
                    w.process.join(timeout=1)
                    code = "worker.out_of_memory" if self.config.run.max_memory_mb else "worker.crashed"
                    row = self._fail(w.job, "failed", code, f"the worker process died (exit code {w.process.exitcode})", now - w.started)
                    replace = True
                elif row is None and now - w.started >= timeout:
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
                        pool[i] = w = self._spawn()
                assign(w)

    def _fail(self, job: Job, status: str, code: str, message: str, seconds: float) -> dict[str, Any]:
        item, sha, key = job
        row = failure_row(item, sha, self.config_hash, status, ErrorInfo(code=code, message=message), seconds)
        store_failure(self.store, key, row)
        return row

    @staticmethod
    def _stop(w: _Worker) -> None:
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
