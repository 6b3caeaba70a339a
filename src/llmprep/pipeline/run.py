"""A folder run: lock → discover → hash → process what changed (a runner) → assemble → write.

Outputs are rebuilt from per-file shards (see `output.ShardStore`) in input order, so a rerun,
a resumed run and an uninterrupted run all write the same bytes. A run whose inputs and config
are unchanged since the last completed run touches nothing. One run at a time writes into an
output folder (`output.output_lock`); a folder that cannot be written stops the run with an
`OutputError` (exit 2), never a traceback.
"""

from __future__ import annotations

import json
import math
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..codes import is_retried
from ..config import Config
from ..errors import OutputError
from ..models import ErrorInfo, Record
from ..names import shown
from ..output import STATE_DIR, ShardStore, atomic_writer, dumps, output_lock, remove_parts
from ..record_files import open_record_files
from ..remote import split_inputs
from ..report import ReportBuilder, write_reports
from .assemble import Assembler, shard_fingerprint
from .failures import DEBUG_LOG_ENV, debug_enabled
from .file import FileOutcome
from .inputs import Discovery, InputFile, scan
from .remote_inputs import is_remote, remote_cached, remote_jobs, stage, unstage
from .state import SINGLE_LAYOUT, RunState
from .task import Job, file_sha256, store_failure, task_key

ProgressHook = Callable[[int, int, dict[str, Any] | None], None]  # done, total, row
RowCallback = Callable[[InputFile, dict[str, Any]], None]
EXCLUDED_CODE = "file.excluded"
TIMED_OUT_NAMED = 3  # the summary names this many timed-out files, then counts the rest


class Runner(Protocol):
    """Runs jobs through `pipeline.task.run_task` somewhere; `on_row` once per job."""

    def run(self, jobs: Iterable[Job], on_row: RowCallback) -> None: ...


@runtime_checkable
class RunWideRunner(Runner, Protocol):
    """A runner that also does the run-wide half where the shards are (Ray), writing the
    parts layout (`output.PARTS_INDEX`) instead of single files. Used inside `session()`,
    which keeps its cluster up from the first job to the last output file."""

    layout: str

    def session(self) -> AbstractContextManager[None]: ...

    def assemble(
        self, keyed: list[Job], out: Path, config: Config, deleted: list[str]
    ) -> tuple[RunSummary, ReportBuilder]: ...


RunnerFactory = Callable[[Config, Path], Runner]


@dataclass
class RunSummary:
    """What `llmprep.run` returns.

    `by_status` counts the files that were read; files left out by the format filter or the
    include patterns (`file.excluded` rows) are counted in `excluded` and do not change the
    exit code. `notes` are things the user should know (printed on stderr by the CLI).
    """

    out: Path | str  # a URL when the output folder is remote
    files: int = 0
    processed: int = 0
    reused: int = 0
    retried: int = 0
    excluded: int = 0
    documents: int = 0
    records: int = 0
    rejected: int = 0
    deleted: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    timed_out: list[str] = field(default_factory=list)
    timeout: float = 0.0  # run.timeout
    timeout_per_mb: float = 0.0
    largest_timed_out: int = 0  # bytes: the biggest file that timed out got the longest time
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 0 if all(k == "ok" for k in self.by_status) else 1

    def line(self) -> str:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.by_status.items())) or "no files"
        extra = f"; {self.excluded} excluded" if self.excluded else ""
        extra += f", {self.deleted} deleted" if self.deleted else ""
        retried = f" ({self.retried} retried)" if self.retried else ""
        line = (
            f"llmprep: {self.files} files ({statuses}{extra}); {self.records} records, "
            f"{self.rejected} rejected; {self.processed} processed{retried}, {self.reused} "
            f"unchanged; {self.seconds:.1f}s -> {self.out}"
        )
        return line + self.timeout_hint()

    def timeout_hint(self) -> str:
        """Names the files that timed out and the `--timeout` that gives each of them at least
        twice the time it had (a file gets `timeout` + `timeout_per_mb` per MB)."""
        if not self.timed_out:
            return ""
        names = ", ".join(self.timed_out[:TIMED_OUT_NAMED])
        more = len(self.timed_out) - TIMED_OUT_NAMED
        names += f" and {more} more" if more > 0 else ""
        had = self.timeout + self.timeout_per_mb * self.largest_timed_out / (1024 * 1024)
        longer = math.ceil(round(self.timeout + had, 1))
        return (
            f"\nllmprep: timed out: {names} (after up to {had:.0f} s); rerun with --timeout "
            f"{longer} to give them twice as long (timed-out files are retried on every rerun)"
        )


@dataclass(frozen=True)
class _Planned:
    """One input file of the run: the job for a runner, or a row decided without one."""

    job: Job
    row: dict[str, Any] | None = None  # decided in the parent (excluded, too large...)


def execute_run(
    inputs: list[str | Path],
    out: str | Path,
    config: Config,
    *,
    runner: RunnerFactory,
    full: bool = False,
    progress: ProgressHook | None = None,
    notes: list[str] | None = None,
) -> RunSummary:
    """Process `inputs` into `out` with runners made by `runner(config, out)`.

    Raises `OutputError` when `out` is an input folder, is locked by another run, or cannot be
    written.
    """
    out = Path(out)
    refuse_input_as_output(inputs, out)
    try:
        with output_lock(out):
            return _execute(inputs, out, config, runner, full, progress, list(notes or []))
    except OSError as exc:
        raise OutputError(_output_failure(out, exc)) from exc


def refuse_input_as_output(inputs: Iterable[str | Path], out: Path) -> None:
    """An output folder that is also an input folder would read its own outputs back in."""
    real_out = os.path.realpath(out)
    for raw in inputs:
        if os.path.isdir(raw) and os.path.realpath(raw) == real_out:
            raise OutputError(
                f"--out {shown(str(out))} is also an input folder: its outputs would be read "
                "back in as inputs; choose another output folder"
            )


def _output_failure(out: Path, exc: OSError) -> str:
    reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
    return f"cannot write the output folder {shown(str(out))}: {reason}"


def _execute(
    inputs: list[str | Path],
    out: Path,
    config: Config,
    runner: RunnerFactory,
    full: bool,
    progress: ProgressHook | None,
    notes: list[str],
) -> RunSummary:
    started = time.perf_counter()
    store = ShardStore(out)
    if debug_enabled():
        # Tracebacks from this process and from every worker it starts land in one file.
        os.environ[DEBUG_LOG_ENV] = str(out / STATE_DIR / "debug.log")
    config_hash = config.hash()
    local_inputs, urls = split_inputs(inputs)
    found = scan(local_inputs, out=out, include=config.run.include, exclude=config.run.exclude)
    planned = [_plan(item, config, config_hash) for item in found.files]
    if urls:  # fsspec URLs: keyed on their version (no download), after the local inputs
        remote = remote_jobs(urls, multi=len(inputs) > 1, config_hash=config_hash)
        planned += [_Planned(job) for job in remote]
    if not full and _hashes_differ_per_run(config):
        full = True
        notes.append(
            "every file is processed again: the `hash` operator has no LLMPREP_PII_KEY, so "
            "values hash with a new random key in each run (set LLMPREP_PII_KEY to keep reruns "
            "incremental)"
        )
    pending: list[Job] = []
    retried = 0
    for plan in planned:
        if plan.row is not None:
            continue
        _item, sha, key = plan.job
        # A local file that could not be hashed is retried every time; a remote object is keyed
        # on its version and has no hash until a worker reads it.
        unreadable = sha is None and not is_remote(plan.job)
        if full or unreadable or not store.has(key):
            pending.append(plan.job)
        elif is_retried(store.read_row(key)) or (
            is_remote(plan.job) and not remote_cached(plan.job, store)
        ):
            pending.append(plan.job)
            retried += 1
    keys = [p.job[2] for p in planned]
    previous = RunState.load(out)
    made = runner(config, out)
    wide = made if isinstance(made, RunWideRunner) else None
    current = RunState(
        keys=keys,
        paths=[p.job[0].rel_path for p in planned],
        layout=wide.layout if wide is not None else SINGLE_LAYOUT,
    )
    if (
        not pending
        and previous is not None
        and previous == current
        and previous.outputs_present(out, config.output.format)
    ):
        if progress:
            progress(len(planned), len(planned), None)
        summary = _summary_from_outputs(out, started)
        summary.notes = notes
        return summary

    done = len(planned) - len(pending)
    if progress:
        progress(done, len(planned), None)

    def on_row(item: InputFile, row: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(planned), row)

    previous_report = _read_json(out / "report.json")
    deleted = sorted(set(previous.paths) - set(current.paths)) if previous else []
    with wide.session() if wide is not None else nullcontext():
        if pending:
            runnable, failed = stage(pending, out, store, config_hash)
            for item, row in failed:
                on_row(item, row)
            try:
                made.run(runnable, on_row)
            finally:
                unstage(out)
        RunState.clear(out)  # from here until save(), the outputs are being rewritten
        if wide is not None:
            # The run-wide phase reads every row from the store: rows decided without reading
            # the file (excluded, too large) go there as empty shards.
            for plan in planned:
                if plan.row is not None:
                    store_failure(store, plan.job[2], plan.row)
            summary, report = wide.assemble([p.job for p in planned], out, config, deleted)
        else:
            summary, report = _assemble(planned, store, out, config, config_hash, deleted)
    summary.processed = len(pending)
    summary.reused = len(planned) - len(pending)
    summary.retried = retried
    summary.timeout = config.run.timeout
    summary.timeout_per_mb = config.run.timeout_per_mb
    summary.notes = notes
    summary.seconds = time.perf_counter() - started
    report.notes = notes
    report.skipped = _skipped(found)
    summary.report = report.build(
        summary.seconds, summary.processed, summary.reused, previous_report
    )
    write_reports(out, summary.report)
    store.prune(set(current.keys))
    current.save(out)
    return summary


def _plan(item: InputFile, config: Config, config_hash: str) -> _Planned:
    """Hash a file for its cache key, unless its row is decided without reading it."""
    if item.skip is not None:
        error = ErrorInfo(code=item.skip.code, message=item.skip.message)
        key = task_key(item, f"skip:{item.skip.code}", config_hash)
        row = _decided_row(item, config_hash, item.skip.status, error)
        return _Planned((item, None, key), row)
    try:
        st = os.stat(item.path)
    except OSError:
        st = None
    limit = config.limits.max_file_mb * 1024 * 1024
    if st is not None and stat.S_ISREG(st.st_mode) and st.st_size > limit:
        # Refused on its size alone: hashing a 20 GB file would cost minutes for nothing.
        error = ErrorInfo(
            code="file.too_large",
            message=f"file is over the {config.limits.max_file_mb:g} MB limit (limits.max_file_mb)",
        )
        key = task_key(item, f"skip:file.too_large:{st.st_size}", config_hash)
        row = _decided_row(item, config_hash, "failed", error, size=st.st_size)
        return _Planned((item, None, key), row)
    sha = file_sha256(item.path)
    return _Planned((item, sha, task_key(item, sha, config_hash)))


def _decided_row(
    item: InputFile,
    config_hash: str,
    status: Any,
    error: ErrorInfo,
    size: int | None = None,
) -> dict[str, Any]:
    outcome = FileOutcome(
        path=shown(item.path), rel_path=shown(item.rel_path), status=status, error=error, size=size
    )
    return outcome.manifest_row(config_hash, kept=0).model_dump(mode="json")


def _hashes_differ_per_run(config: Config) -> bool:
    """The `hash` operator without LLMPREP_PII_KEY uses a key made per run: reusing an earlier
    run's records would put two different hashes of one value in the outputs."""
    if not config.redact:
        return False
    pii = config.pii
    if pii.default_operator != "hash" and "hash" not in pii.operators.values():
        return False
    return not os.environ.get("LLMPREP_PII_KEY", "")


def _skipped(found: Discovery) -> dict[str, int]:
    return {
        "excluded_by_pattern": found.excluded_by_pattern,
        "repeated": found.repeated,
        "output_folders": found.output_folders,
    }


def _assemble(
    planned: list[_Planned],
    store: ShardStore,
    out: Path,
    config: Config,
    config_hash: str,
    deleted: list[str],
) -> tuple[RunSummary, ReportBuilder]:
    """Rebuild the output files from the shards, in input order, with run-wide dedup and policy."""
    assembler = Assembler(config)
    report = ReportBuilder(config_hash)
    summary = RunSummary(out=out, files=len(planned), deleted=len(deleted))
    with (
        open_record_files(out, config.output.format) as (records_fh, rejected_fh),
        atomic_writer(out / "manifest.jsonl") as manifest_fh,
    ):
        for plan in planned:
            item, _sha, key = plan.job
            kept = rejected = 0
            if plan.row is not None:
                row = dict(plan.row)
            else:
                row = store.read_row(key)
                # The same content may have been reached through another spelling of the input.
                row["path"] = shown(item.path)
                for line in store.iter_documents(key):
                    report.add_document(line["doc"])
                    summary.documents += 1
                    records = [Record.model_validate(r) for r in line["records"]]
                    for verdict in assembler.judge_document(records, shard_fingerprint(line)):
                        data = verdict.record.model_dump(mode="json")
                        report.add_record(data, verdict.reasons)
                        if verdict.kept:
                            kept += 1
                            records_fh.write(data)
                        else:
                            rejected += 1
                            rejected_fh.write(verdict.rejected().model_dump(mode="json"))
            row["records"], row["rejected"] = kept, rejected
            summary.records += kept
            summary.rejected += rejected
            _count(summary, row)
            report.add_row(row)
            manifest_fh.write(dumps(row) + "\n")
        for rel in deleted:
            manifest_fh.write(dumps(tombstone(rel, config_hash)) + "\n")
    remove_parts(out)  # a Ray run's layout, if one wrote into this folder before
    report.deleted = [shown(rel) for rel in deleted]
    return summary, report


def _count(summary: RunSummary, row: dict[str, Any]) -> None:
    if row.get("error_code") == EXCLUDED_CODE:
        summary.excluded += 1
        return
    summary.by_status[row["status"]] = summary.by_status.get(row["status"], 0) + 1
    if row["status"] == "timeout":
        summary.timed_out.append(row["rel_path"])
        summary.largest_timed_out = max(summary.largest_timed_out, row.get("size") or 0)


def tombstone(rel_path: str, config_hash: str) -> dict[str, Any]:
    from ..models import ManifestRow

    return ManifestRow(
        path=shown(rel_path),
        rel_path=shown(rel_path),
        status="deleted",
        error_code="file.deleted",
        error_message="the file was in the previous run and is gone; its records were removed",
        config_hash=config_hash,
    ).model_dump(mode="json")


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def _summary_from_outputs(out: Path, started: float) -> RunSummary:
    """Nothing changed: describe the existing outputs without rewriting a byte."""
    rows = [
        json.loads(line)
        for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    live = [r for r in rows if r["status"] != "deleted"]
    report = _read_json(out / "report.json") or {}
    summary = RunSummary(
        out=out,
        files=len(live),
        processed=0,
        reused=len(live),
        documents=sum(r.get("documents", 0) for r in live),
        records=sum(r.get("records", 0) for r in live),
        rejected=sum(r.get("rejected", 0) for r in live),
        deleted=len(rows) - len(live),
        seconds=time.perf_counter() - started,
        report=report,
    )
    for row in live:
        _count(summary, row)
    summary.by_status = dict(Counter(summary.by_status))
    return summary


__all__ = ["RunSummary", "execute_run", "refuse_input_as_output"]
