"""LlamaIndex: `LlmprepReader`, a `BaseReader` (extra `llamaindex`).

    from llmprep.integrations.llamaindex import LlmprepReader
    docs = LlmprepReader().load_data("handbook.pdf")
    # or as the reader of chosen extensions:
    SimpleDirectoryReader("docs/", file_extractor={".pdf": LlmprepReader(), ".eml": LlmprepReader()})

One `Document(text, metadata, id_)` per kept chunk (`mode="chunks"`, default: already split
under the token limit, so use it with a pass-through node parser) or per document
(`mode="documents"`). Ids, hashes and flag lists are kept out of embeddings and LLM prompts
(`excluded_embed_metadata_keys` / `excluded_llm_metadata_keys`). With a non-local `fs`
(SimpleDirectoryReader passes one), the file's bytes are read through it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from ._common import ID_KEYS, check_mode, chunks, expand, missing_extra, process_source

try:
    from llama_index.core.readers.base import BaseReader
    from llama_index.core.schema import Document
except ImportError:  # pragma: no cover - exercised only without the extra
    raise missing_extra("llama-index-core", "llamaindex") from None

if TYPE_CHECKING:
    from ..config import Config

log = logging.getLogger("llmprep.integrations")
PathLike = str | os.PathLike[str]


class LlmprepReader(BaseReader):
    """Read files through llmprep. Keyword options are `llmprep.process` options."""

    def __init__(self, *, mode: str = "chunks", config: Config | None = None, **options: Any):
        self.mode = check_mode(mode)
        self.config = config
        self.options = options

    def lazy_load_data(
        self,
        file: PathLike | Iterable[PathLike],
        extra_info: dict[str, Any] | None = None,
        fs: Any = None,
    ) -> Iterator[Document]:
        """Documents of `file` (a path, a folder, or a list); `extra_info` joins each metadata."""
        if fs is not None and not _is_local(fs):
            paths: list[Any] = [file] if isinstance(file, str | os.PathLike) else list(file)
            for path in paths:
                with fs.open(str(path), "rb") as fh:
                    data = fh.read()
                name = PurePosixPath(str(path)).name
                result = process_source(
                    data, filename=name, config=self.config, options=self.options
                )
                yield from self._documents(result, str(path), extra_info)
            return
        for path in expand(file):
            result = process_source(path, config=self.config, options=self.options)
            yield from self._documents(result, str(path), extra_info)

    def load_data(
        self,
        file: PathLike | Iterable[PathLike],
        extra_info: dict[str, Any] | None = None,
        fs: Any = None,
    ) -> list[Document]:
        return list(self.lazy_load_data(file, extra_info=extra_info, fs=fs))

    def _documents(
        self, result: Any, where: str, extra_info: dict[str, Any] | None
    ) -> Iterator[Document]:
        if result.status not in ("ok", "partial"):
            code = result.error.code if result.error else result.status
            log.warning("llmprep: %s: %s (%s)", where, result.status, code)
        for chunk in chunks(result, self.mode, extra_info):
            hidden = [k for k in chunk.metadata if k in ID_KEYS or k == "schema_version"]
            yield Document(
                text=chunk.text,
                metadata=chunk.metadata,
                id_=chunk.id,
                excluded_embed_metadata_keys=hidden,
                excluded_llm_metadata_keys=hidden,
            )


def _is_local(fs: Any) -> bool:
    protocol = getattr(fs, "protocol", "file")
    protocols = (protocol,) if isinstance(protocol, str) else tuple(protocol)
    return "file" in protocols or "local" in protocols


__all__ = ["LlmprepReader"]
