"""The per-file function every runner executes, and the keys that make reruns incremental."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._version import __version__
from ..config import Config
from ..models import Document, ErrorInfo, ManifestRow, Record
from ..output import ShardStore, atomic_writer, dumps
from ..pipeline import FileOutcome, process_path
from ..stages.dedup.fingerprint import fingerprint
from .inputs import InputFile


def file_sha256(path: str) -> str | None:
    """Content hash, or None when the file cannot be read (it then fails in the worker).

    Only regular files are opened: a named pipe in an input folder would block the run forever.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def task_key(item: InputFile, sha256: str | None, config_hash: str) -> str:
    """Shard key: path + content + config (+ llmprep version: new code, new outputs)."""
    h = hashlib.sha256()
    for part in (item.rel_path, sha256 or "unreadable", config_hash, __version__):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:32]


def document_summary(doc: Document) -> dict[str, Any]:
    """What the assembly and the report need of a document (no text, no values)."""
    return {
        "id": doc.id,
        "parent_id": doc.parent_id,
        "media_type": doc.source.media_type,
        "language": doc.language,
        "languages": doc.languages,
        "flags": [f.model_dump(mode="json") for f in doc.flags],
        "pii": doc.pii.model_dump(mode="json"),
        "elements": len(doc.elements),
    }


def run_task(
    item: InputFile,
    sha256: str | None,
    key: str,
    config: Config,
    store: ShardStore,
    on_progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Process one file into its shard; returns the manifest row (as a dict).

    `on_progress` is called after each finished document (the runner's heartbeat).
    """
    config_hash = config.hash()
    with atomic_writer(store.shard_path(key)) as fh:

        def on_document(doc: Document, records: list[Record]) -> None:
            line: dict[str, Any] = {
                "doc": document_summary(doc),
                "records": [r.model_dump(mode="json") for r in records],
            }
            # Hashes and MinHash signatures are made here, in parallel: the run's dedup pass
            # in the parent process then only compares.
            prints = fingerprint(records, config)
            if prints is not None:
                line["dedup"] = prints.to_json()
            fh.write(dumps(line) + "\n")
            if on_progress is not None:
                on_progress()

        outcome = process_path(
            Path(item.path), config, rel_path=item.rel_path, on_document=on_document, sha256=sha256
        )
    outcome.path = item.path
    row = outcome.manifest_row(config_hash, kept=outcome.records).model_dump(mode="json")
    store.write_row(key, row)
    return row


def failure_row(
    item: InputFile,
    sha256: str | None,
    config_hash: str,
    status: str,
    error: ErrorInfo,
    seconds: float,
) -> dict[str, Any]:
    """A row for a file whose worker never reported back (timeout, crash)."""
    outcome = FileOutcome(
        path=item.path,
        rel_path=item.rel_path,
        status=status,
        error=error,
        sha256=sha256,
        seconds=seconds,
    )
    return outcome.manifest_row(config_hash, kept=0).model_dump(mode="json")


def store_failure(store: ShardStore, key: str, row: dict[str, Any]) -> None:
    with atomic_writer(store.shard_path(key)):
        pass
    store.write_row(key, row)


def validate_row(row: dict[str, Any]) -> ManifestRow:
    return ManifestRow.model_validate(row)
