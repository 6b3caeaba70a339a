"""A folder run: discover → hash → process what changed (a runner) → assemble → write.

Outputs are rebuilt from per-file shards (see `output.ShardStore`) in input order, so a rerun,
a resumed run and an uninterrupted run all write the same bytes. A run whose inputs and config
are unchanged since the last completed run touches nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..config import Config
from ..models import Record
from ..output import STATE_DIR, ShardStore, atomic_writer, dumps
from ..record_files import open_record_files
from ..remote import split_inputs
from ..report import ReportBuilder, write_reports
from .assemble import Assembler, shard_fingerprint
from .failures import DEBUG_LOG_ENV, debug_enabled
from .inputs import InputFile, discover
from .remote_inputs import is_remote, remote_cached, remote_jobs, stage, unstage
from .state import RunState
from .task import Job, file_sha256, task_key

ProgressHook = Callable[[int, int, dict[str, Any] | None], None]  # done, total, row
RowCallback = Callable[[InputFile, dict[str, Any]], None]


class Runner(Protocol):
    """Runs jobs through `pipeline.task.run_task` somewhere; `on_row` once per job."""

    def run(self, jobs: Iterable[Job], on_row: RowCallback) -> None: ...


RunnerFactory = Callable[[Config, Path], Runner]


@dataclass
class RunSummary:
    """What `llmprep.run` returns."""

    out: Path | str  # a URL when the output folder is remote
    files: int = 0
    processed: int = 0
    reused: int = 0
    documents: int = 0
    records: int = 0
    rejected: int = 0
    deleted: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 0 if all(k == "ok" for k in self.by_status) else 1

    def line(self) -> str:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.by_status.items())) or "no files"
        deleted = f", {self.deleted} deleted" if self.deleted else ""
        return (
            f"llmprep: {self.files} files ({statuses}{deleted}); {self.records} records, {self.rejected} rejected; "
            f"{self.processed} processed, {self.reused} unchanged; {self.seconds:.1f}s -> {self.out}"
        )


def execute_run(
    inputs: list[str | Path],
    out: str | Path,
    config: Config,
    *,
    runner: RunnerFactory,
    full: bool = False,
    progress: ProgressHook | None = None,
) -> RunSummary:
    """Process `inputs` into `out` with runners made by `runner(config, out)`."""
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store = ShardStore(out)
    if debug_enabled():
        # Tracebacks from this process and from every worker it starts land in one file.
        os.environ[DEBUG_LOG_ENV] = str(out / STATE_DIR / "debug.log")
    config_hash = config.hash()
    keyed: list[Job] = []
    local_inputs, urls = split_inputs(inputs)
    for item in discover(local_inputs, exclude=[out]):
        sha = file_sha256(item.path)
        keyed.append((item, sha, task_key(item, sha, config_hash)))
    if urls:  # fsspec URLs: keyed on their version, after the local inputs
        keyed += remote_jobs(urls, multi=len(inputs) > 1, config_hash=config_hash)
    # A cached result is reused unless the file could not be read (those are retried every time).
    pending = [
        job
        for job in keyed
        if full
        or (not remote_cached(job, store) if is_remote(job) else job[1] is None)
        or not store.has(job[2])
    ]
    previous = RunState.load(out)
    current = RunState(keys=[k for _, _, k in keyed], paths=[i.rel_path for i, _, _ in keyed])
    if (
        not pending
        and previous is not None
        and previous == current
        and previous.outputs_present(out, config.output.format)
    ):
        if progress:
            progress(len(keyed), len(keyed), None)
        return _summary_from_outputs(out, started)

    done = len(keyed) - len(pending)
    if progress:
        progress(done, len(keyed), None)

    def on_row(item: InputFile, row: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(keyed), row)

    if pending:
        runnable, failed = stage(pending, out, store, config_hash)
        for item, row in failed:
            on_row(item, row)
        try:
            runner(config, out).run(runnable, on_row)
        finally:
            unstage(out)
    previous_report = _read_json(out / "report.json")
    RunState.clear(out)  # from here until save(), the outputs are being rewritten
    deleted = sorted(set(previous.paths) - set(current.paths)) if previous else []
    summary, report = _assemble(keyed, store, out, config, config_hash, deleted)
    summary.processed = len(pending)
    summary.reused = len(keyed) - len(pending)
    summary.seconds = time.perf_counter() - started
    summary.report = report.build(
        summary.seconds, summary.processed, summary.reused, previous_report
    )
    write_reports(out, summary.report)
    store.prune(set(current.keys))
    current.save(out)
    return summary


def _assemble(
    keyed: list[Job],
    store: ShardStore,
    out: Path,
    config: Config,
    config_hash: str,
    deleted: list[str],
) -> tuple[RunSummary, ReportBuilder]:
    """Rebuild the output files from the shards, in input order, with run-wide dedup and policy."""
    assembler = Assembler(config)
    report = ReportBuilder(config_hash)
    summary = RunSummary(out=out, files=len(keyed), deleted=len(deleted))
    with (
        open_record_files(out, config.output.format) as (records_fh, rejected_fh),
        atomic_writer(out / "manifest.jsonl") as manifest_fh,
    ):
        for item, _sha, key in keyed:
            row = store.read_row(key)
            row["path"] = (
                item.path
            )  # the same content reached through another spelling of the input
            kept = rejected = 0
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
            summary.by_status[row["status"]] = summary.by_status.get(row["status"], 0) + 1
            report.add_row(row)
            manifest_fh.write(dumps(row) + "\n")
        for rel in deleted:
            manifest_fh.write(dumps(_tombstone(rel, config_hash)) + "\n")
    report.deleted = deleted
    return summary, report


def _tombstone(rel_path: str, config_hash: str) -> dict[str, Any]:
    from ..models import ManifestRow

    return ManifestRow(
        path=rel_path,
        rel_path=rel_path,
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
    return RunSummary(
        out=out,
        files=len(live),
        processed=0,
        reused=len(live),
        documents=sum(r.get("documents", 0) for r in live),
        records=sum(r.get("records", 0) for r in live),
        rejected=sum(r.get("rejected", 0) for r in live),
        deleted=len(rows) - len(live),
        by_status=dict(Counter(r["status"] for r in live)),
        seconds=time.perf_counter() - started,
        report=report,
    )


__all__ = ["RunSummary", "execute_run"]
