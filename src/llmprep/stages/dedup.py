"""Duplicate detection across a run: later copies point at the first (input path order)."""

from __future__ import annotations

from ..config import Config
from ..ids import text_hash
from ..models import Flag, Record


class Deduplicator:
    """Fed one document's records at a time, in input order; marks duplicates in place."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._chunks: dict[str, str] = {}

    def check_document(self, records: list[Record]) -> None:
        if not self.config.dedup.exact:
            return
        for record in records:
            key = text_hash(" ".join(record.text.split()))
            first = self._chunks.setdefault(key, record.id)
            if first != record.id:
                record.duplicate_of = first
                record.flags.append(Flag(code="duplicate_exact", severity="info", value=first))
