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


# Score of a cue-backed finding (a title, a greeting or closing, a form label, a mailbox, a
# listed contact, a country): above the NER model's 0.85, so where both find the same span
# the cue's finding is the one kept (Presidio's own duplicate removal keeps the higher score).
CUE_SCORE = 0.86

# Types whose evidence is a language model or a capitalization heuristic.
NAME_TYPES = frozenset({"PERSON", "ORGANIZATION", "LOCATION", "NRP"})
# Detectors whose evidence is capitalization or a model's guess: weaker than a cue (a title, a
# closing, a form label, a legal form), so headings and ordinary words judge them harder.
WEAK_DETECTORS = (
    "ner:",
    "proper-noun",
    "place-cue",
    "org-shape",
    "org-partners",
    "org-noun",
    "person-subject",
    "org-cue",
)


def is_weak(f: Finding) -> bool:
    return f.entity_type in NAME_TYPES and f.detector.startswith(WEAK_DETECTORS)
