"""What every adapter shares: sources to `ProcessResult`s, and records to flat metadata."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ..config import Config
    from ..models import Document, Record
    from ..pipeline.assemble import ProcessResult

Mode = Literal["chunks", "documents"]
MODES: tuple[Mode, ...] = ("chunks", "documents")

# Document metadata worth filtering or citing on; people (authors, from, to) stay in the
# record itself, where redaction applies to them.
_DOC_FIELDS = (
    "title",
    "subject",
    "url",
    "date",
    "created",
    "modified",
    "page_count",
    "message_id",
    "in_reply_to",
    "thread_id",
)
# Keys that identify rather than describe: kept out of embedding and LLM prompts.
ID_KEYS = ("id", "doc_id", "parent_id", "sha256", "chunk_index", "duplicate_of", "flags", "tokens")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One framework document to be: its text, metadata and a stable id."""

    id: str
    text: str
    metadata: dict[str, Any]


def check_mode(mode: str) -> Mode:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def expand(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and the files under folders named, in a run's order."""
    from ..pipeline.inputs import discover

    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    return [Path(f.path) for f in discover([Path(p) for p in items])]


def process_source(
    source: Any,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    config: Config | None,
    options: dict[str, Any],
) -> ProcessResult:
    from ..api import process

    return process(source, filename=filename, media_type=media_type, config=config, **options)


def chunks(
    result: ProcessResult, mode: Mode, extra: dict[str, Any] | None = None
) -> Iterator[Chunk]:
    """The kept records (or the documents) of one processed file, as `Chunk`s."""
    extra = extra or {}
    if mode == "documents":
        for doc in result.documents:
            yield Chunk(doc.id, doc.text, {**extra, **document_metadata(doc, result)})
        return
    for record in result.records:
        yield Chunk(record.id, record.text, {**extra, **record_metadata(record)})


def _doc_fields(metadata: dict[str, Any]) -> dict[str, Any]:
    return {k: metadata[k] for k in _DOC_FIELDS if metadata.get(k) not in (None, "", [])}


def record_metadata(record: Record) -> dict[str, Any]:
    """A record's metadata for a framework document: JSON-ready, no PII value, no text."""
    src = record.source
    return {
        "id": record.id,
        "doc_id": record.doc_id,
        "chunk_index": record.chunk_index,
        "source": src.path,
        "sha256": src.sha256,
        "media_type": src.media_type,
        "loader": src.loader.name,
        "sub_path": src.sub_path,
        "pages": list(record.pages),
        "page": record.pages[0] if record.pages else None,
        "heading_path": list(record.heading_path),
        "language": record.language,
        "tokens": record.tokens,
        "flags": [f.code for f in record.flags],
        "pii_counts": dict(record.pii.counts),
        "duplicate_of": record.duplicate_of,
        "schema_version": record.schema_version,
        **_doc_fields(record.metadata),
    }


def document_metadata(doc: Document, result: ProcessResult) -> dict[str, Any]:
    """A whole document's metadata (mode `documents`), in the same keys as a record's."""
    src = doc.source
    pages = sorted({e.page for e in doc.elements if e.page is not None})
    meta = doc.metadata.model_dump(mode="json", by_alias=True)
    return {
        "id": doc.id,
        "doc_id": doc.id,
        "parent_id": doc.parent_id,
        "source": src.path,
        "sha256": src.sha256,
        "media_type": src.media_type,
        "loader": src.loader.name,
        "sub_path": src.sub_path,
        "pages": pages,
        "page": pages[0] if pages else None,
        "language": doc.language,
        "flags": [f.code for f in doc.flags],
        "pii_counts": dict(doc.pii.counts),
        "status": result.status,
        **_doc_fields(meta),
    }


def missing_extra(package: str, extra: str) -> ImportError:
    return ImportError(f"{package} is not installed: pip install 'llmprep[{extra}]'")
