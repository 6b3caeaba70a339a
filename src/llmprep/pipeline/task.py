"""The per-file function every runner executes, and the keys that make reruns incremental.

A runner (local process pool, Ray) hands each job to `run_task` in a worker process: the file
goes through `pipeline.file`, and its documents, records and fingerprints land in one shard of
the output store. What a worker needs from the run besides the config (the PII run key) is in
`worker_environment()`.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._version import __version__
from ..config import Config
from ..models import Document, ErrorInfo, Status
from ..output import ShardStore, atomic_writer, dumps
from .file import DocumentResult, FileOutcome, process_file
from .inputs import InputFile

Job = tuple[InputFile, str | None, str]  # the file, its sha256 (None: unreadable), its shard key


def run_key() -> str:
    """This run's random PII key (hex), used by the `hash` operator without LLMPREP_PII_KEY.

    Made once per process (inherited from the environment in a worker); a runner hands it to
    every worker it starts, a Ray driver to every actor, so a value hashes alike whichever
    worker reads it. It is written nowhere.
    """
    from ..pii.operators import run_key_hex

    return run_key_hex()


def worker_environment(key: str | None = None) -> dict[str, str]:
    """Environment a worker process needs from its run (the run's PII key)."""
    from ..pii.operators import RUN_KEY_ENV

    return {RUN_KEY_ENV: key or run_key()}


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

    `on_progress` is the runner's heartbeat: called after each finished document, and by loaders
    doing long work inside one (each OCR'd page).
    """
    config_hash = config.hash()
    with atomic_writer(store.shard_path(key)) as fh:

        def on_document(result: DocumentResult) -> None:
            line: dict[str, Any] = {
                "doc": document_summary(result.document),
                "records": [r.model_dump(mode="json") for r in result.records],
            }
            # Hashes and MinHash signatures are stored here, made in parallel: the run's dedup
            # pass then only compares.
            if result.fingerprint is not None:
                line["dedup"] = result.fingerprint.with_signatures(config).to_json()
            fh.write(dumps(line) + "\n")
            if on_progress is not None:
                on_progress()

        outcome = process_file(
            Path(item.path),
            config,
            rel_path=item.rel_path,
            on_document=on_document,
            sha256=sha256,
            on_progress=on_progress,
        )
    outcome.path = item.path
    row = outcome.manifest_row(config_hash, kept=outcome.records).model_dump(mode="json")
    store.write_row(key, row)
    return row


def failure_row(
    item: InputFile,
    sha256: str | None,
    config_hash: str,
    status: Status,
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
