"""The one contract every stage follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..config import Config
from ..models import Document, Record


@dataclass
class DocWork:
    """One document on its way through the stages, and the records made from it."""

    document: Document
    rel_path: str
    config: Config
    config_hash: str
    chunks: list[Any] = field(default_factory=list)  # stage-private chunk objects (see chunk.py)
    records: list[Record] = field(default_factory=list)
    fingerprint: Any = None  # dedup.Fingerprint of the records, set by the last stage


class Stage(Protocol):
    name: str

    def __call__(self, work: DocWork) -> None: ...
