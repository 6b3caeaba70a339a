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

    def shifted(self, offset: int) -> Finding:
        return Finding(
            self.start + offset, self.end + offset, self.entity_type, self.score, self.detector
        )
