"""The one value every detector returns: a scored span of the text, never its value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Finding:
    start: int
    end: int
    entity_type: str
    score: float
    detector: str
