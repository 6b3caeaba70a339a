"""A folder run: discover → hash → process what changed (local or Ray) → dedup + policy → write."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..models import Record, RejectedRecord
from ..output import ShardStore, atomic_writer, dumps
from ..policy import rejection_reasons
from ..report import ReportBuilder, write_reports
from ..stages.dedup import Deduplicator
from .inputs import InputFile, discover
from .task import file_sha256, task_key

ProgressHook = Callable[[int, int, dict[str, Any] | None], None]  # done, total, row


@dataclass
class RunSummary:
    """What `llmprep.run` returns."""

    out: Path
    files: int = 0
    processed: int = 0
    reused: int = 0
    documents: int = 0
    records: int = 0
    rejected: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 0 if all(k == "ok" for k in self.by_status) else 1

    def line(self) -> str:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.by_status.items())) or "no files"
        return (
            f"llmprep: {self.files} files ({statuses}); {self.records} records, {self.rejected} rejected; "
            f"{self.processed} processed, {self.reused} unchanged; {self.seconds:.1f}s -> {self.out}"
        )


def execute_run(
    inputs: list[str | Path],
    out: str | Path,
    config: Config,
    *,
    full: bool = False,
    progress: ProgressHook | None = None,
) -> RunSummary:
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store = ShardStore(out)
    config_hash = config.hash()
    items = discover(inputs, exclude=[out])
    keyed: list[tuple[InputFile, str | None, str]] = []
    for item in items:
        sha = file_sha256(item.path)
        keyed.append((item, sha, task_key(item, sha, config_hash)))
    # A cached row is reused unless the file could not be read (retry those every time).
    pending = [job for job in keyed if full or job[1] is None or not store.has(job[2])]
    done = len(keyed) - len(pending)
    if progress:
        progress(done, len(keyed), None)

    def on_row(item: InputFile, row: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(keyed), row)

    if pending:
        _runner(config, out).run(pending, on_row)
    summary, report = _assemble(keyed, store, out, config, config_hash)
    store.prune({key for _, _, key in keyed})
    summary.processed = len(pending)
    summary.reused = len(keyed) - len(pending)
    summary.seconds = time.perf_counter() - started
    summary.report = report.build(summary.seconds, summary.processed, summary.reused)
    write_reports(out, summary.report)
    return summary


def _runner(config: Config, out: Path) -> Any:
    workers = config.run.workers or os.cpu_count() or 1
    if config.run.engine == "ray":
        from .ray import RayRunner

        return RayRunner(config, out, workers)
    from .local import LocalRunner

    return LocalRunner(config, out, workers)


def _assemble(keyed: list[tuple[InputFile, str | None, str]], store: ShardStore, out: Path, config: Config, config_hash: str) -> tuple[RunSummary, ReportBuilder]:
    """Rebuild the output files from the shards, in input order, with run-wide dedup and policy."""
    dedup = Deduplicator(config)
    report = ReportBuilder(config_hash)
    summary = RunSummary(out=out, files=len(keyed))
    with (
        atomic_writer(out / "records.jsonl") as records_fh,
        atomic_writer(out / "rejected.jsonl") as rejected_fh,
        atomic_writer(out / "manifest.jsonl") as manifest_fh,
    ):
        for item, _sha, key in keyed:
            row = store.read_row(key)
            row["path"] = item.path  # the same file reached through another spelling of the input
            kept = rejected = 0
            for line in store.iter_documents(key):
                report.add_document(line["doc"])
                summary.documents += 1
                records = [Record.model_validate(r) for r in line["records"]]
                dedup.check_document(records)
                for record in records:
                    reasons = rejection_reasons(record, config)
                    report.add_record(record.model_dump(mode="json"), reasons)
                    if reasons:
                        rejected += 1
                        rej = RejectedRecord(**record.model_dump(), reasons=reasons)
                        rejected_fh.write(dumps(rej.model_dump(mode="json")) + "\n")
                    else:
                        kept += 1
                        records_fh.write(dumps(record.model_dump(mode="json")) + "\n")
            row["records"], row["rejected"] = kept, rejected
            summary.records += kept
            summary.rejected += rejected
            summary.by_status[row["status"]] = summary.by_status.get(row["status"], 0) + 1
            report.add_row(row)
            manifest_fh.write(dumps(row) + "\n")
    return summary, report


__all__ = ["RunSummary", "execute_run"]
