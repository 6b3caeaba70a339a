"""Haystack 2: `LlmprepConverter`, a converter component (extra `haystack`).

    from llmprep.integrations.haystack import LlmprepConverter
    pipeline.add_component("converter", LlmprepConverter(chunk_max_tokens=256))
    LlmprepConverter().run(sources=["handbook.pdf", ByteStream(data, meta={"file_path": "a.html"})])

`sources` are paths or `ByteStream`s (named by `meta["file_path"]` or `meta["file_name"]`,
else by their `mime_type`); `meta` (one dict, or one per source) joins each document's meta.
Returns `{"documents": [...]}`: one Haystack `Document` per kept chunk (`mode="chunks"`,
default: already split under the token limit, no splitter needed) or per document
(`mode="documents"`). Haystack sends usage telemetry from pipelines unless
`HAYSTACK_TELEMETRY_ENABLED=False`; the component itself never opens a connection.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path, PurePosixPath
from typing import Any

from ._common import check_mode, chunks, expand, missing_extra, process_source

try:
    from haystack import Document, component, default_from_dict, default_to_dict
    from haystack.dataclasses import ByteStream
except ImportError:  # pragma: no cover - exercised only without the extra
    raise missing_extra("haystack-ai", "haystack") from None

log = logging.getLogger("llmprep.integrations")


@component
class LlmprepConverter:
    """Convert files and byte streams into llmprep's chunks as Haystack Documents.

    Keyword options are `llmprep.process` options (`redact=False`, `chunk_max_tokens=256`...).
    """

    def __init__(self, mode: str = "chunks", **options: Any) -> None:
        self.mode = check_mode(mode)
        self.options = options

    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(self, mode=self.mode, **self.options)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LlmprepConverter:
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(
        self,
        sources: list[str | Path | ByteStream],
        meta: dict[str, Any] | list[dict[str, Any]] | None = None,
    ) -> dict[str, list[Document]]:
        metas = meta if isinstance(meta, list) else [meta or {}] * len(sources)
        if len(metas) != len(sources):
            raise ValueError("meta must be one dict, or one dict per source")
        documents: list[Document] = []
        for source, extra in zip(sources, metas, strict=True):
            for where, result in self._results(source):
                if result.status not in ("ok", "partial"):
                    code = result.error.code if result.error else result.status
                    log.warning("llmprep: %s: %s (%s)", where, result.status, code)
                for chunk in chunks(result, self.mode, extra):
                    documents.append(Document(id=chunk.id, content=chunk.text, meta=chunk.metadata))
        return {"documents": documents}

    def _results(self, source: str | Path | ByteStream) -> list[tuple[str, Any]]:
        if isinstance(source, ByteStream):
            name = source.meta.get("file_path") or source.meta.get("file_name")
            filename = PurePosixPath(str(name).replace("\\", "/")).name if name else None
            result = process_source(
                source.data,
                filename=filename,
                media_type=None if filename else source.mime_type,
                config=None,
                options=self.options,
            )
            return [(filename or "<bytes>", result)]
        if not isinstance(source, str | os.PathLike):
            raise TypeError(f"sources take paths or ByteStreams, not {type(source).__name__}")
        return [
            (str(path), process_source(path, config=None, options=self.options))
            for path in expand(source)
        ]


__all__ = ["LlmprepConverter"]
