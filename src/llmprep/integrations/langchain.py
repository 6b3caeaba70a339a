"""LangChain: `LlmprepLoader`, a `BaseLoader` over files and folders (extra `langchain`).

    from llmprep.integrations.langchain import LlmprepLoader
    docs = LlmprepLoader(["handbook.pdf", "mail/"], chunk_max_tokens=256).load()

One `Document(page_content, metadata, id)` per kept chunk (`mode="chunks"`, default; already
split under the token limit, so no text splitter is needed) or per document
(`mode="documents"`). Keyword options are `llmprep.process` options. See
`llmprep.integrations` for the metadata keys.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ._common import check_mode, chunks, expand, missing_extra, process_source

try:
    from langchain_core.document_loaders import BaseLoader
    from langchain_core.documents import Document
except ImportError:  # pragma: no cover - exercised only without the extra
    raise missing_extra("langchain-core", "langchain") from None

if TYPE_CHECKING:
    from ..config import Config

log = logging.getLogger("llmprep.integrations")
PathLike = str | os.PathLike[str]


class LlmprepLoader(BaseLoader):
    """Load files and folders through llmprep: parsed, normalized, redacted, chunked, flagged.

    `file_path`: a path, a folder (its files, in a run's order) or a list of them.
    A file llmprep cannot read yields nothing and logs its status and error code.
    """

    def __init__(
        self,
        file_path: PathLike | Iterable[PathLike],
        *,
        mode: str = "chunks",
        config: Config | None = None,
        **options: Any,
    ) -> None:
        self.file_path = file_path
        self.mode = check_mode(mode)
        self.config = config
        self.options = options

    def lazy_load(self) -> Iterator[Document]:
        for path in expand(self.file_path):
            result = process_source(path, config=self.config, options=self.options)
            if result.status not in ("ok", "partial"):
                code = result.error.code if result.error else result.status
                log.warning("llmprep: %s: %s (%s)", path, result.status, code)
            for chunk in chunks(result, self.mode):
                yield Document(page_content=chunk.text, metadata=chunk.metadata, id=chunk.id)


__all__ = ["LlmprepLoader"]
