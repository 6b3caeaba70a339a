"""Local runner: a pool of worker processes with per-file timeouts, memory limits and recycling.

Each worker (see `worker.py`) is a fresh interpreter handling one file at a time. The parent waits
on the workers' answer pipes with a deadline: a file gets `timeout` seconds to finish its first
document and as long again after each document it finishes (so a 10,000-message mailbox that is
steadily progressing is not a hang); a worker that overruns is killed (`timeout` row), one that dies or outgrows `--max-memory` is replaced (`failed` row,
`worker.crashed` / `worker.out_of_memory`), and every worker is replaced after `recycle_after`
files so leaks in parsers cannot accumulate.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import IO, Any

from ..config import Config
from ..models import ErrorInfo, Status
from ..output import ShardStore
from ..pipeline.failures import debug_enabled
from ..pipeline.run import RowCallback
from ..pipeline.task import Job, failure_row, store_failure, worker_environment

STARTUP_TIMEOUT = 300.0  # seconds for a new worker to import and load its models
MEMORY_POLL_SECONDS = 0.25


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
    process: subprocess.Popen[bytes]
    jobs: IO[str]
    answers: IO[str]
    spawned: float
    done: int = 0
    job: Job | None = None
    started: float = 0.0  # when the current file started
    active: float = 0.0  # when it last finished a document (the timeout counts from here)
    ready: bool = False
    stopped: bool = False
    buffer: bytes = b""

    def send(self, job: Job) -> None:
        item, sha, key = job
        self.jobs.write(
            json.dumps({"path": item.path, "rel_path": item.rel_path, "sha256": sha, "key": key})
            + "\n"
        )
        self.jobs.flush()

    def receive(self) -> tuple[list[dict[str, Any]], bool]:
        """Complete messages now readable, and whether the worker has closed its end (died/exited).

        Reads the raw descriptor once (the caller knows it is readable), so no message can sit
        in a Python-side buffer while the parent waits on the descriptor.
        """
        try:
            chunk = os.read(self.answers.fileno(), 1 << 16)
        except OSError:
            chunk = b""
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        messages = []
        for line in lines:
            try:
                messages.append(json.loads(line))
            except ValueError:
                continue
        return messages, not chunk


class WorkerPool:
    """Warm llmprep worker processes, kept between batches of jobs until `close()`.

    Each worker is a fresh interpreter that loads the models once (see `worker.py`); the pool
    applies the run's limits to every file it hands out: the per-file timeout (extended by each
    finished document), the memory limit, recycling after `run.recycle_after` files, and a
    typed failure row for a file whose worker died. The local runner uses one pool per run; a
    Ray actor keeps one for its lifetime, so models are not reloaded per batch.
    """

    def __init__(self, config: Config, out: Path, size: int, run_key: str | None = None) -> None:
        self.config = config
        self.out = out
        self.size = max(1, size)
        self.config_hash = config.hash()
        self.store = ShardStore(out)
        self.workers: list[_Worker] = []
        self.env = {
            **os.environ,
            "LLMPREP_WORKER_CONFIG": config.model_dump_json(),
            "LLMPREP_WORKER_OUT": str(out),
            "LLMPREP_WORKER_MAX_MEMORY_MB": str(config.run.max_memory_mb),
            # What the run hands every worker (its PII key, so a value hashes alike whichever
            # worker reads it; a Ray actor passes on its driver's key).
            **worker_environment(run_key),
            # Libraries must never phone home from a worker.
            "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": os.environ.get(
                "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", ""
            ),
            "DO_NOT_TRACK": "1",
            "HF_HUB_OFFLINE": "1",
        }

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, count: int | None = None) -> None:
        """Have `count` workers (at most the pool's size) running or starting; models load now."""
        wanted = self.size if count is None else min(self.size, count)
        alive = []
        for w in self.workers:
            if w.stopped or w.process.poll() is not None:  # recycled, or died while idle
                self._stop(w)
            else:
                alive.append(w)
        self.workers = alive
        while len(self.workers) < wanted:
            self.workers.append(self._spawn())

    def process(self, jobs: Iterable[Job], on_row: RowCallback) -> None:
        """Run `jobs` through the pool; `on_row(item, row)` once per job, in completion order."""
        queue = deque(jobs)
        if not queue:
            return
        self.start(len(queue))
        self._loop(self.workers, queue, on_row)

    def close(self) -> None:
        for w in self.workers:
            self._stop(w)
        self.workers = []

    def _spawn(self) -> _Worker:
        job_r, job_w = os.pipe()
        ans_r, ans_w = os.pipe()
        proc = subprocess.Popen(
            [sys.executable, "-m", "llmprep.runners.worker", str(job_r), str(ans_w)],
            pass_fds=(job_r, ans_w),
            stdin=subprocess.DEVNULL,
            # Parsers may print fragments of documents: worker output never reaches the user's
            # logs, unless they asked for debug output (tracebacks, crashes of native code).
            stdout=subprocess.DEVNULL,
            stderr=None if debug_enabled() else subprocess.DEVNULL,
            env=self.env,
            close_fds=True,
        )
        os.close(job_r)
        os.close(ans_w)
        return _Worker(
            proc,
            os.fdopen(job_w, "w", encoding="utf-8"),
            os.fdopen(ans_r, encoding="utf-8"),
            time.monotonic(),
        )

    def _loop(self, pool: list[_Worker], queue: deque[Job], on_row: RowCallback) -> None:
        timeout = self.config.run.timeout
        start_failures = 0

        def assign(w: _Worker) -> None:
            if queue and w.ready:
                w.job = queue.popleft()
                w.started = w.active = time.monotonic()
                with contextlib.suppress(OSError):  # a dead worker's EOF shows on the next wait
                    w.send(w.job)

        def deadline(w: _Worker) -> float:
            return w.active + timeout if w.job is not None else w.spawned + STARTUP_TIMEOUT

        for w in pool:  # warm workers left idle by an earlier batch start at once
            if w.job is None:
                assign(w)
        while True:
            live = [w for w in pool if w.job is not None or (not w.ready and not w.stopped)]
            if not live:
                return
            wait_for = max(0.0, min(deadline(w) for w in live) - time.monotonic())
            if self.config.run.max_memory_mb:
                wait_for = min(wait_for, MEMORY_POLL_SECONDS)
            readable = wait([w.answers.fileno() for w in live], timeout=wait_for)
            now = time.monotonic()
            for i, w in enumerate(pool):
                if w not in live:
                    continue
                messages, closed = w.receive() if w.answers.fileno() in readable else ([], False)
                if any(m.get("progress") for m in messages):
                    w.active = now
                message = next((m for m in messages if not m.get("progress")), None)
                if not w.ready:
                    if message and message.get("ready"):
                        w.ready = True
                        assign(w)
                    elif closed or now >= deadline(w):
                        self._stop(w)
                        start_failures += 1
                        if start_failures > 3 * self.size:
                            # Workers cannot start at all: every remaining file still gets a typed row.
                            while queue:
                                job = queue.popleft()
                                on_row(
                                    job[0],
                                    self._fail(
                                        job,
                                        "failed",
                                        "worker.start_failed",
                                        "worker processes failed to start",
                                        0.0,
                                    ),
                                )
                        elif queue:
                            pool[i] = self._spawn()
                    continue
                assert w.job is not None
                item = w.job[0]
                row: dict[str, Any] | None = message
                replace = False
                if row is not None:
                    w.done += 1
                    replace = w.done >= self.config.run.recycle_after
                elif closed:  # EOF: the worker died mid-file
                    code = w.process.wait()
                    over = self.config.run.max_memory_mb and code in (-9, 137)
                    error = "worker.out_of_memory" if over else "worker.crashed"
                    row = self._fail(
                        w.job,
                        "failed",
                        error,
                        f"the worker process died (exit code {code})",
                        now - w.started,
                    )
                    replace = True
                elif self._over_memory(w):
                    w.process.kill()
                    w.process.wait()
                    limit = self.config.run.max_memory_mb
                    row = self._fail(
                        w.job,
                        "failed",
                        "worker.out_of_memory",
                        f"processing needed more than the {limit} MB memory limit",
                        now - w.started,
                    )
                    replace = True
                elif now >= deadline(w):
                    w.process.kill()
                    w.process.wait()
                    row = self._fail(
                        w.job,
                        "timeout",
                        "file.timeout",
                        f"no document finished within {timeout:g} s",
                        now - w.started,
                    )
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

    def _fail(
        self, job: Job, status: Status, code: str, message: str, seconds: float
    ) -> dict[str, Any]:
        item, sha, key = job
        row = failure_row(
            item, sha, self.config_hash, status, ErrorInfo(code=code, message=message), seconds
        )
        store_failure(self.store, key, row)
        return row

    @staticmethod
    def _stop(w: _Worker) -> None:
        if w.stopped:
            return
        w.stopped = True
        if w.process.poll() is None:
            try:
                w.jobs.write("null\n")
                w.jobs.flush()
            except OSError:
                pass
            try:
                w.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                w.process.kill()
                w.process.wait()
        for fh in (w.jobs, w.answers):
            with contextlib.suppress(OSError):
                fh.close()


class LocalRunner:
    """Processes a run's files on this machine with `workers` worker processes."""

    def __init__(self, config: Config, out: Path, workers: int) -> None:
        self.config = config
        self.out = out
        self.workers = max(1, workers)

    def run(self, jobs: Iterable[Job], on_row: RowCallback) -> None:
        with WorkerPool(self.config, self.out, self.workers) as pool:
            pool.process(jobs, on_row)
