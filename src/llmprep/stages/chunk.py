"""Chunking: pack elements into records under a token limit."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Config
from ..ids import record_id
from ..models import Element, Record
from .base import DocWork

FURNITURE = ("header", "footer")


@dataclass
class Chunk:
    text: str
    elements: list[Element] = field(default_factory=list)
    tokens: int = 0


def count_tokens_chars(text: str) -> int:
    return max(1, (len(text) + 3) // 4) if text else 0


class ChunkStage:
    name = "chunk"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        cfg = self.config.chunk
        chunks: list[Chunk] = []
        current = Chunk(text="")
        for el in work.document.elements:
            if el.type in FURNITURE and not cfg.include_furniture:
                continue
            piece = el.text
            joined = f"{current.text}\n\n{piece}" if current.text else piece
            if current.text and count_tokens_chars(joined) > cfg.max_tokens:
                chunks.append(current)
                current = Chunk(text=piece, elements=[el])
            else:
                current.text = joined
                current.elements.append(el)
        if current.text:
            chunks.append(current)
        work.chunks = chunks
        work.records = [self._record(work, i, c) for i, c in enumerate(chunks)]

    def _record(self, work: DocWork, index: int, chunk: Chunk) -> Record:
        doc = work.document
        pages = sorted({e.page for e in chunk.elements if e.page is not None})
        types = list(dict.fromkeys(e.type for e in chunk.elements))
        heading_path = chunk.elements[0].heading_path if chunk.elements else []
        return Record(
            id=record_id(doc.id, work.rel_path, index, work.config_hash),
            doc_id=doc.id,
            chunk_index=index,
            text=chunk.text,
            heading_path=list(heading_path),
            pages=pages,
            element_types=types,
            language=doc.language,
            tokens=count_tokens_chars(chunk.text),
            tokenizer="chars",
            source=doc.source,
            metadata=record_metadata(doc),
        )


def record_metadata(doc) -> dict:  # type: ignore[no-untyped-def]
    """The document facts worth repeating on every chunk (no bulky lists)."""
    meta = doc.metadata.model_dump(mode="json", exclude_defaults=True, exclude={"extra", "attachments"})
    if doc.parent_id:
        meta["parent_id"] = doc.parent_id
    return meta
