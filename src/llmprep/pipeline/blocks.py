"""A run's files cut into blocks: the unit of the distributed run-wide phase and of output parts.

A block is a run of consecutive input files. Its records are one output part
(`records/part-<name>.jsonl`), written whole by one worker; reading the parts in `parts.json`
order gives the records in input order, as a local run's single file holds them.

Cuts are made where a file's relative path hashes to a boundary (about one file in
`part_files`), plus a forced cut after `4 * part_files` files without one. A cut depends on the
file's own path only, so adding, removing or editing a file changes its own block and never
moves the other blocks' cuts: a rerun rewrites only the parts whose inputs or duplicate
decisions changed. A part is named after its first file's path, which stays its first file.

Elements (chunks, documents) are numbered by position: `file index << 32 | ordinal in the
file`, so comparing positions is comparing input order, and a position tells its block.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .task import Job

POS_SHIFT = 32  # position = file index << POS_SHIFT | ordinal of the chunk/document in its file
FORCED_CUT = 4  # a block is cut after this many times `part_files` files without a boundary


@dataclass(frozen=True)
class Block:
    ordinal: int  # place in the run
    start: int  # input index of its first file
    name: str  # its output part's name
    paths: tuple[str, ...]  # as the user named them (shown in the manifest)
    rel_paths: tuple[str, ...]
    keys: tuple[str, ...]  # shard keys

    @property
    def base(self) -> int:
        """Position of the block's first file's first element."""
        return self.start << POS_SHIFT

    @property
    def table_key(self) -> str:
        """Name of the block's dedup table: it changes when any of its files' shards does."""
        h = hashlib.sha256()
        for key in self.keys:
            h.update(key.encode("ascii"))
        return h.hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        return {
            "ordinal": self.ordinal,
            "start": self.start,
            "name": self.name,
            "paths": list(self.paths),
            "rel_paths": list(self.rel_paths),
            "keys": list(self.keys),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        return cls(
            ordinal=int(data["ordinal"]),
            start=int(data["start"]),
            name=str(data["name"]),
            paths=tuple(data["paths"]),
            rel_paths=tuple(data["rel_paths"]),
            keys=tuple(data["keys"]),
        )


def part_name(rel_path: str) -> str:
    return hashlib.sha256(rel_path.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _is_boundary(rel_path: str, part_files: int) -> bool:
    digest = hashlib.blake2b(rel_path.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % part_files == 0


def plan_blocks(jobs: Sequence[Job], part_files: int) -> list[Block]:
    """Cut the run's jobs (in input order) into blocks."""
    blocks: list[Block] = []
    current: list[Job] = []
    start = 0

    def close() -> None:
        if current:
            blocks.append(
                Block(
                    ordinal=len(blocks),
                    start=start,
                    name=part_name(current[0][0].rel_path),
                    paths=tuple(item.path for item, _, _ in current),
                    rel_paths=tuple(item.rel_path for item, _, _ in current),
                    keys=tuple(key for _, _, key in current),
                )
            )

    for index, job in enumerate(jobs):
        if current and (
            _is_boundary(job[0].rel_path, part_files) or len(current) >= FORCED_CUT * part_files
        ):
            close()
            current, start = [], index
        current.append(job)
    close()
    return blocks


def block_starts(blocks: Sequence[Block]) -> list[int]:
    return [b.start for b in blocks]
