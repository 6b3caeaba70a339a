"""Records streamed as files finish: what `llmprep.iter_records` runs.

The same per-file task and workers as a folder run (a runner in a background thread), the
same run-wide half (`Assembler`: dedup, severities, policy), without an output folder: each
file's shard is written to a private temporary folder, read back when it is its turn, turned
into records, and deleted. Memory stays flat however many files there are: the parent holds one
file's records at a time plus the dedup index, and at most `QUEUE_SLOTS` finished files wait
for the consumer (the workers pause when it is slow).

Order: `"input"` (default) yields files in the order a run writes them, so the records, their
`duplicate_of` and the policy's verdicts are exactly a run's `records.jsonl`; files finished
early wait on disk for their turn. `"completion"` yields each file as soon as it is done: the
first time is shorter, but which of two duplicates counts as the original depends on which
finished first. Unlike a run there are no reruns (nothing is kept), no manifest or report
(pass `on_file` to see each file's manifest row), and rejected records are not yielded.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from ..config import Config
from ..models import ErrorInfo, ManifestRow, Record
from ..output import ShardStore
from ..remote import split_inputs
from .assemble import Assembler, shard_fingerprint
from .inputs import InputFile, discover
from .remote_inputs import remote_jobs, stage
from .run import RunnerFactory
from .task import Job, failure_row, store_failure

Order = Literal["input", "completion"]
FileCallback = Callable[[ManifestRow], None]
QUEUE_SLOTS = 8
_DONE = object()


class _Stopped(Exception):
    """The consumer stopped iterating: the runner's loop ends and its workers are stopped."""


def stream_records(
    inputs: list[Any],
    config: Config,
    runner: RunnerFactory,
    *,
    order: Order = "input",
    on_file: FileCallback | None = None,
) -> Iterator[Record]:
    """Yield the kept records of every file under `inputs`, file by file (see the module doc)."""
    if order not in ("input", "completion"):
        raise ValueError(f"order must be 'input' or 'completion', not {order!r}")
    work = Path(tempfile.mkdtemp(prefix="llmprep-stream-"))
    stop = threading.Event()
    finished: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_SLOTS)
    thread: threading.Thread | None = None
    try:
        store = ShardStore(work)
        config_hash = config.hash()
        jobs = _jobs(inputs, config_hash)
        # Keys are positions: the store is private to this call, so nothing is reused.
        jobs = [(item, sha, f"{n:08d}") for n, (item, sha, _) in enumerate(jobs)]
        key_of = {item.rel_path: key for item, _, key in jobs}
        path_of = {key: item.path for item, _, key in jobs}  # a URL, not its staged copy
        decided = [job for job in jobs if getattr(job[0], "skip", None) is not None]
        runnable, failed = stage(
            [job for job in jobs if getattr(job[0], "skip", None) is None], work, store, config_hash
        )
        failed += [(job[0], _decided(job, store, config_hash)) for job in decided]

        def on_row(item: InputFile, row: dict[str, Any]) -> None:
            while True:
                if stop.is_set():
                    raise _Stopped
                try:
                    finished.put((key_of[item.rel_path], row), timeout=0.2)
                    return
                except queue.Full:
                    continue

        def work_thread() -> None:
            try:
                for item, row in failed:
                    on_row(item, row)
                runner(config, work).run(runnable, on_row)
                finished.put(_DONE)
            except _Stopped:
                pass
            except BaseException as exc:  # handed to the consumer, raised there
                finished.put(exc)

        thread = threading.Thread(target=work_thread, name="llmprep-iter-records", daemon=True)
        thread.start()
        assembler = Assembler(config)
        order_keys = [key for _, _, key in jobs]
        waiting: dict[str, dict[str, Any]] = {}
        next_index = 0
        while True:
            message = finished.get()
            if message is _DONE:
                break
            if isinstance(message, BaseException):
                raise message
            key, row = message
            row["path"] = path_of[key]
            if order == "completion":
                yield from _emit(store, key, row, assembler, on_file)
                continue
            waiting[key] = row
            while next_index < len(order_keys) and order_keys[next_index] in waiting:
                key = order_keys[next_index]
                next_index += 1
                yield from _emit(store, key, waiting.pop(key), assembler, on_file)
    finally:
        stop.set()
        if thread is not None:
            thread.join()
        shutil.rmtree(work, ignore_errors=True)


def _decided(job: Job, store: ShardStore, config_hash: str) -> dict[str, Any]:
    """The row of a file discovery decided not to read (`InputFile.skip`, e.g. file.excluded)."""
    item, _, key = job
    skip: Any = getattr(item, "skip", None)  # inputs.Skip: status, code, message
    error = ErrorInfo(code=skip.code, message=skip.message)
    row = failure_row(item, None, config_hash, skip.status, error, 0.0)
    store_failure(store, key, row)
    return row


def _jobs(inputs: list[Any], config_hash: str) -> list[Job]:
    local, urls = split_inputs(inputs)
    # The worker hashes each file while reading it: no second pass over the bytes here.
    jobs: list[Job] = [(item, None, "") for item in discover(local)]
    if urls:
        jobs += remote_jobs(urls, multi=len(inputs) > 1, config_hash=config_hash)
    return jobs


def _emit(
    store: ShardStore,
    key: str,
    row: dict[str, Any],
    assembler: Assembler,
    on_file: FileCallback | None,
) -> Iterator[Record]:
    """One finished file's kept records, through the run's dedup and policy; then its shard goes."""
    kept = rejected = 0
    if store.shard_path(key).is_file():
        for line in store.iter_documents(key):
            records = [Record.model_validate(r) for r in line["records"]]
            for verdict in assembler.judge_document(records, shard_fingerprint(line)):
                if verdict.kept:
                    kept += 1
                    yield verdict.record
                else:
                    rejected += 1
    store.shard_path(key).unlink(missing_ok=True)
    store.row_path(key).unlink(missing_ok=True)
    if on_file is not None:
        row = {**row, "records": kept, "rejected": rejected}
        on_file(ManifestRow.model_validate(row))
