"""The public functions: `process`, `run`, `redact`, `detect_language`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import Config
from .models import Document, Record, RejectedRecord


def resolve_config(
    config: Config | None, anchor: str | Path | None, options: dict[str, Any]
) -> Config:
    """Explicit config, else the nearest llmprep.toml / [tool.llmprep]; then keyword options."""
    base = (
        config
        if config is not None
        else (Config.discover(anchor) if anchor is not None else Config())
    )
    clean = {k: v for k, v in options.items() if v is not None}
    return base.with_overrides(**clean) if clean else base


def process(path: str | Path, *, config: Config | None = None, **options: Any):  # type: ignore[no-untyped-def]
    """Run one file through every stage and return a `ProcessResult`.

    Keyword options override the config: `redact=False`, `chunk_max_tokens=256`,
    `text_format="markdown"` (GitHub-flavoured Markdown instead of plain text), ...
    Dedup and the keep/reject policy apply within this file.
    """
    from .pipeline import ProcessResult, process_path
    from .policy import as_rejected, judge
    from .stages.dedup.fingerprint import Deduplicator

    cfg = resolve_config(config, path, options)
    documents: list[Document] = []
    per_doc: list[list[Record]] = []

    def collect(doc: Document, records: list[Record]) -> None:
        documents.append(doc)
        per_doc.append(records)

    outcome = process_path(Path(path), cfg, on_document=collect)
    dedup = Deduplicator(cfg)
    kept: list[Record] = []
    rejected: list[RejectedRecord] = []
    for records in per_doc:
        dedup.check_document(records)
        for record, reasons in judge(records, cfg):
            if reasons:
                rejected.append(as_rejected(record, reasons))
            else:
                kept.append(record)
    return ProcessResult(
        status=outcome.status,
        error=outcome.error,
        documents=documents,
        records=kept,
        rejected=rejected,
        outcome=outcome,
    )


def run(
    inputs: str | Path | list[str | Path],
    *,
    out: str | Path,
    workers: int | None = None,
    config: Config | None = None,
    engine: str | None = None,
    full: bool = False,
    **options: Any,
):  # type: ignore[no-untyped-def]
    """What `llmprep run` does: process files and folders into `out/`. Returns a `RunSummary`."""
    from .runners.orchestrate import execute_run

    paths = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    if workers is not None:
        options["run.workers"] = workers
    if engine is not None:
        options["run.engine"] = engine
    cfg = resolve_config(config, paths[0] if paths else None, options)
    return execute_run(paths, out, cfg, full=full)


def redact(text: str, language: str = "en", *, config: Config | None = None, **options: Any):  # type: ignore[no-untyped-def]
    """Detect and replace PII in `text`; spans index the original text."""
    from .stages.pii import redact as _redact

    cfg = resolve_config(config, None, options)
    return _redact(text, language=language, config=cfg)


def detect_language(text: str):  # type: ignore[no-untyped-def]
    """ISO 639-1 code and confidence; `und` when there is nothing to go on."""
    from .stages.language.stage import detect_language as _detect

    return _detect(text)
