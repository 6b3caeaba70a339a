"""Quality flags on documents and chunks."""

from __future__ import annotations

from ..config import Config
from ..models import Flag
from .base import DocWork


class Quality:
    name = "quality"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        if not work.document.text.strip():
            work.document.flags.append(Flag(code="empty", severity="warn", value=0, threshold=1))
