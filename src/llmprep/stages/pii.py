"""PII detection and redaction on the whole document, before chunking."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Config
from ..models import PiiSpan
from .base import DocWork


@dataclass
class Redaction:
    text: str
    spans: list[PiiSpan] = field(default_factory=list)  # offsets in the ORIGINAL text


def redact(text: str, language: str = "en", config: Config | None = None) -> Redaction:
    """Placeholder until the PII engine lands: detects nothing."""
    return Redaction(text=text)


class Pii:
    name = "pii"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        work.document.pii.engine = "none"
