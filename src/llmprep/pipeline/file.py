"""The per-file half: one input file through every stage.

detect → load → normalize → (language → pii) → chunk → language → quality → fingerprint

Each finished document is handed over with its records and its dedup fingerprint; comparing
fingerprints and the keep/reject policy are the run-wide half (`pipeline.assemble`).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import LoadError, UnsupportedFormat
from ..loaders.base import SourceFile
from ..loaders.registry import load_source
from ..models import Document, ErrorInfo, LoaderInfo, ManifestRow, Record, Status
from ..stages.base import DocWork, Stage
from .failures import error_slug, report_exception, safe_message, unexpected_message

_STAGE_CACHE: dict[str, list[Stage]] = {}


def build_stages(config: Config) -> list[Stage]:
    """The per-document stages, in order. Cached per config: some hold loaded models."""
    key = config.model_dump_json()
    if key in _STAGE_CACHE:
        return _STAGE_CACHE[key]
    from ..stages.chunk.stage import ChunkStage
    from ..stages.dedup.stage import Fingerprinting
    from ..stages.language.stage import ChunkLanguage, DocumentLanguage
    from ..stages.normalize.stage import Normalize
    from ..stages.pii import Pii
    from ..stages.quality.stage import Quality

    stages: list[Stage] = [Normalize(config)]
    if config.redact:
        # PII detection reads English and other languages differently: it needs an estimate of
        # the document's language before chunking. Otherwise the chunks settle it alone.
        stages += [DocumentLanguage(config), Pii(config)]
    if config.output.text_format == "markdown":
        from ..stages.render import Render

        stages.append(Render(config))  # after PII (moves its spans), before chunking
    stages += [ChunkStage(config), ChunkLanguage(config), Quality(config), Fingerprinting(config)]
    _STAGE_CACHE[key] = stages
    return stages


@dataclass
class FileOutcome:
    """What processing one file produced, before run-wide dedup and policy."""

    path: str
    rel_path: str
    status: Status = "ok"
    error: ErrorInfo | None = None
    sha256: str | None = None
    size: int | None = None
    media_type: str | None = None
    loader: LoaderInfo | None = None
    documents: int = 0
    records: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def manifest_row(
        self, config_hash: str, rejected: int = 0, kept: int | None = None
    ) -> ManifestRow:
        return ManifestRow(
            path=self.path,
            rel_path=self.rel_path,
            sha256=self.sha256,
            size=self.size,
            media_type=self.media_type,
            loader=self.loader,
            status=self.status,
            error_code=self.error.code if self.error else None,
            error_message=self.error.message if self.error else None,
            documents=self.documents,
            records=self.records - rejected if kept is None else kept,
            rejected=rejected,
            seconds=round(self.seconds, 4),
            config_hash=config_hash,
            warnings=self.warnings,
        )


@dataclass
class DocumentResult:
    """One finished document, its records (chunks), and their dedup fingerprint."""

    document: Document
    records: list[Record]
    fingerprint: Any = None  # stages.dedup.Fingerprint, or None when dedup is off


DocSink = Callable[[DocumentResult], None]


def process_file(
    path: str | Path,
    config: Config,
    *,
    rel_path: str | None = None,
    on_document: DocSink,
    sha256: str | None = None,
    on_progress: Callable[[], None] | None = None,
    data: bytes | None = None,
) -> FileOutcome:
    """Run one file through the stages, handing each finished document to `on_document`.

    Never raises for bad input: every failure becomes a typed status on the outcome.
    Documents are handed over one at a time so a 100 MB mailbox never sits in memory whole.
    With `data`, the content is those bytes and `path` only names it (nothing is opened):
    the same bytes under the same name give the same documents and records as the file.
    """
    path = Path(path)
    rel = rel_path or path.name
    outcome = FileOutcome(path=str(path), rel_path=rel)
    started = time.perf_counter()
    config_hash = config.hash()
    stage_name = "load"
    source: SourceFile | None = None
    try:
        if data is None:
            _check_regular_file(path)
            source = SourceFile(
                path=path, rel_path=rel, config=config, sha256=sha256, on_progress=on_progress
            )
        else:
            source = SourceFile(
                data=data, name=path.name, rel_path=rel, config=config, on_progress=on_progress
            )
        outcome.size = source.size
        if outcome.size == 0:
            # Whatever its name says, there is nothing in it: usually a copy or export that
            # never finished. Said plainly, instead of each format's "cannot parse".
            raise LoadError("file.empty", "the file is empty (0 bytes)")
        if outcome.size > config.limits.max_file_mb * 1024 * 1024:
            raise LoadError(
                "file.too_large", f"file is over the {config.limits.max_file_mb:g} MB limit"
            )
        outcome.sha256 = source.sha256
        stages = build_stages(config)
        for doc in _documents(source):
            work = DocWork(document=doc, rel_path=rel, config=config, config_hash=config_hash)
            for stage in stages:
                stage_name = stage.name
                stage(work)
            stage_name = "load"
            outcome.documents += 1
            outcome.records += len(work.records)
            on_document(DocumentResult(work.document, work.records, work.fingerprint))
        if source.partial is not None:
            outcome.status, outcome.error = "partial", source.partial
        outcome.warnings = list(source.warnings)
    except LoadError as exc:
        # After some documents were delivered, the file is partly read rather than failed.
        outcome.status = "partial" if outcome.documents and exc.status == "failed" else exc.status
        outcome.error = exc.info()
    except (OSError, MemoryError, RecursionError) as exc:
        outcome.status = "partial" if outcome.documents else "failed"
        outcome.error = ErrorInfo(
            code=f"{stage_name}.{error_slug(exc)}", message=safe_message(exc, stage_name)
        )
        report_exception(exc, rel, stage_name)
    except Exception as exc:  # a bug or a parser surprise: one failed row, never a crashed run
        outcome.status = "partial" if outcome.documents else "failed"
        outcome.error = ErrorInfo(
            code=f"{stage_name}.error", message=unexpected_message(exc, stage_name)
        )
        report_exception(exc, rel, stage_name)
    if source is not None:
        # Also for a file that failed: its row names the loader that was chosen and the format
        # it was read as (a corrupt PDF is still application/pdf in the manifest and report).
        outcome.loader = outcome.loader or source.loader_info
        outcome.media_type = outcome.media_type or source.media_type
    outcome.seconds = time.perf_counter() - started
    return outcome


def _documents(source: SourceFile) -> Iterator[Document]:
    yield from load_source(source)


def _check_regular_file(path: Path) -> None:
    """A named pipe, socket or device under an input folder is never opened: reading a pipe
    nobody writes to would wait forever."""
    mode = os.stat(path).st_mode  # follows symlinks; a loop or a broken link raises OSError
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if not stat.S_ISREG(mode):
        kind = (
            "named pipe" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
        )
        raise UnsupportedFormat("file.not_regular", f"not a regular file (a {kind}); not read")


def warm_up(config: Config) -> None:
    """Load every stage's models and libraries once, so the first real file's clock is fair."""
    from ..loaders.registry import get_registry

    get_registry()
    stages = build_stages(config)
    source = SourceFile(
        rel_path="warm-up.md",
        config=config,
        data=b"# Warm up\n\nA short text to load the stages.\n",
    )
    for doc in _documents(source):
        work = DocWork(
            document=doc, rel_path="warm-up.md", config=config, config_hash=config.hash()
        )
        for stage in stages:
            stage(work)
        if work.fingerprint is not None:
            # Workers store MinHash signatures with their shards: load numpy's code paths now.
            work.fingerprint.with_signatures(config)
    if config.redact:
        # The warm-up text gives Presidio nothing to do; load it now, not in the first file.
        from ..pii.engine import get_engine

        get_engine(config.pii).load()
