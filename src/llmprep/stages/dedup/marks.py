"""Writing duplicate decisions onto records: one place, whoever made the decisions.

The sequential pass (`fingerprint.Deduplicator`, local runs and `llmprep.process`) and the
grouped one (`groups`, the Ray run-wide phase) decide the same things in different ways; both
end here, so a record is marked byte for byte alike:

- a chunk matched on its own gets `duplicate_of` = the first copy's record id and
  `duplicate_exact` (1.0) or `duplicate_near` (estimated Jaccard, rounded to 4 places);
- when its whole document repeats an earlier one it also gets `duplicate_doc_exact` /
  `duplicate_doc_near` and `metadata["duplicate_of_doc"]`, and `duplicate_of` (if still empty)
  = the original's record chosen by `doc_targets`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...flags import make_flag
from ...models import Flag, Record


@dataclass(frozen=True, slots=True)
class ChunkMatch:
    """A chunk's own decision: the first copy's record id; similarity None = exact copy."""

    target: str
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class DocMatch:
    """A document repeating an earlier one: its id, the record each chunk points at."""

    doc_id: str
    targets: list[str]
    similarity: float | None = None  # None: exact copy (the same token stream)


def doc_targets(
    count: int,
    original_count: int,
    near: bool,
    chunks_match: Callable[[int], bool],
) -> list[int]:
    """For each of a duplicate document's `count` chunks, the index of the original's chunk it
    points at: the same index when that chunk exists (and, for a near copy, matches it:
    `chunks_match(i)`), else the original's first chunk."""
    return [i if i < original_count and (not near or chunks_match(i)) else 0 for i in range(count)]


def apply_marks(
    records: Sequence[Record],
    chunks: Sequence[ChunkMatch | None],
    document: DocMatch | None,
    threshold: float,
) -> None:
    """Mark one document's records in place (chunk decisions first, then the document's)."""
    for i, record in enumerate(records):
        match = chunks[i]
        if match is not None:
            if match.similarity is None:
                flag = make_flag("duplicate_exact", 1.0)
            else:
                flag = make_flag("duplicate_near", round(match.similarity, 4), threshold)
            _mark(record, match.target, flag)
        if document is not None:
            if document.similarity is None:
                flag = make_flag("duplicate_doc_exact", 1.0)
            else:
                flag = make_flag("duplicate_doc_near", round(document.similarity, 4), threshold)
            _mark(record, document.targets[i], flag)
            record.metadata["duplicate_of_doc"] = document.doc_id


def _mark(record: Record, first_id: str, flag: Flag) -> None:
    if first_id == record.id:
        return
    if record.duplicate_of is None:
        record.duplicate_of = first_id
    record.flags.append(flag)
