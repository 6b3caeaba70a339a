"""A worker process: `python -m llmprep.runners.worker IN_FD OUT_FD`.

Started by the local runner as a fresh interpreter (not by multiprocessing), so a user's script
that calls `llmprep.run()` needs no `if __name__ == "__main__"` guard. It reads jobs as JSON lines
on IN_FD and answers with JSON lines on OUT_FD: first `{"ready": true}` once every stage is
loaded, then one manifest row per job (`{"progress": true}` after each finished document).
Configuration arrives in LLMPREP_WORKER_CONFIG.

A worker outlives nothing: when the process that started it is gone (killed with -9, say), it
exits at once without writing, so no half-read file is ever cached as a result. When it cannot
write its shard (a full disk), it says so (`{"output_error": errno}`) and exits: the run stops
with a message instead of blaming the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..output import ShardStore

PARENT_POLL_SECONDS = 0.5


def _exit_when_orphaned(parent: int) -> None:
    """Leave as soon as the parent is gone (we are re-parented), wherever the main thread is."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="llmprep-parent-watch", daemon=True).start()


def _send(answers: IO[str], message: str) -> None:
    """One line to the parent; a closed pipe means the parent is gone."""
    from ..pipeline.task import ParentGone

    try:
        answers.write(message + "\n")
        answers.flush()
    except (OSError, ValueError):
        raise ParentGone from None


def main(argv: list[str]) -> int:
    in_fd, out_fd = int(argv[0]), int(argv[1])
    parent = os.getppid()
    if parent == 1:
        return 0  # started by a parent that is already gone
    _exit_when_orphaned(parent)
    out_dir = os.environ["LLMPREP_WORKER_OUT"]
    max_memory_mb = int(os.environ.get("LLMPREP_WORKER_MAX_MEMORY_MB", "0"))
    if max_memory_mb:
        import resource

        # RLIMIT_DATA counts memory a process actually writes (heap, anonymous maps), unlike
        # RLIMIT_AS, which thread pools' address-space reservations blow through. The parent
        # also watches RSS; this is the in-process backstop.
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))

    from ..config import Config
    from ..output import ShardStore
    from ..pipeline.failures import report_exception
    from ..pipeline.file import warm_up

    config = Config.model_validate_json(os.environ["LLMPREP_WORKER_CONFIG"])
    store = ShardStore(Path(out_dir))
    try:
        if os.environ.get("LLMPREP_WORKER_WARM", "1") == "1":
            warm_up(config)
    except Exception as exc:  # a stage that cannot warm up fails per file, with a typed row
        report_exception(exc, "(warm-up)", "warm_up")
    jobs = open(in_fd, encoding="utf-8")  # noqa: SIM115 (closed below, even on a broken pipe)
    answers = open(out_fd, "w", encoding="utf-8")  # noqa: SIM115
    try:
        return _serve(jobs, answers, config, store, parent)
    finally:
        for fh in (jobs, answers):
            with contextlib.suppress(OSError):
                fh.close()


def _serve(jobs: IO[str], answers: IO[str], config: Config, store: ShardStore, parent: int) -> int:
    """Answer jobs until the parent says stop (or is gone); the exit code of the worker."""
    from ..models import ErrorInfo
    from ..pipeline.failures import out_of_memory_error
    from ..pipeline.inputs import InputFile
    from ..pipeline.task import OutputFailed, ParentGone, failure_row, run_task, store_failure

    try:
        _send(answers, '{"ready": true}')
        for line in jobs:
            job = json.loads(line)
            if job is None:
                break
            item = InputFile(path=job["path"], rel_path=job["rel_path"])
            sha, key = job["sha256"], job["key"]

            def heartbeat() -> None:
                # One finished document: the file is making progress, not hanging.
                _send(answers, '{"progress": true}')

            try:
                if os.getppid() != parent:
                    raise ParentGone
                row = run_task(item, sha, key, config, store, on_progress=heartbeat)
            except MemoryError:
                code, message = out_of_memory_error("load")
                error = ErrorInfo(code=code, message=message)
                row = failure_row(item, sha, config.hash(), "failed", error, 0.0)
                store_failure(store, key, row)
            # Rows hold shown names only (valid UTF-8); ensure_ascii guards the pipe anyway.
            _send(answers, json.dumps(row))
    except ParentGone:
        return 0
    except (OutputFailed, OSError) as exc:
        with contextlib.suppress(ParentGone):
            _send(answers, json.dumps({"output_error": getattr(exc, "errno", 0) or 0}))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
