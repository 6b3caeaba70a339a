"""The run-wide half as steps a distributed runner schedules: per block, per key partition.

    plan_blocks(jobs)                        driver: the run cut into blocks (`blocks`)
    key_rows(block, index)                   per block: its dedup table (`dedup_tables`), then
                                             one row per exact key and per LSH band
        -> the runner partitions the rows by `key` (all rows of a key in one partition)
    decide(rows, index)                      per partition: duplicate decisions (`groups`)
        -> the runner partitions decisions and block rows by `block`
    write(rows, index)                       per partition: each block's part (`parts`)
    finish_parts(...)                        driver: report, manifest.jsonl, parts.json

Steps exchange Arrow tables (what Ray Data moves between workers); `Index` is the one piece
of run-wide state every step gets: the blocks' first files and table names, a few dozen bytes
per block. A runner imports this module and nothing under `stages`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config
from ..record_files import Format
from ..stages.dedup.groups import Columns, GroupSettings, empty_decisions
from ..stages.dedup.groups import decide as decide_groups
from .blocks import POS_SHIFT, Block, plan_blocks
from .dedup_tables import (
    BlockTables,
    block_key_rows,
    ensure_table,
    from_arrow,
    load_table,
    prune_tables,
    to_arrow,
)
from .parts import finish_parts, write_part

NO_BLOCK_FIELD = ""  # the `desc` of a decision row (a block row carries its block's JSON)

__all__ = [
    "Block",
    "Index",
    "decide",
    "dedup_enabled",
    "finish_parts",
    "key_rows",
    "plan_blocks",
    "prune_tables",
    "write",
]


@dataclass(frozen=True)
class Index:
    """Where each block starts (input index of its first file) and its dedup table's name."""

    out: str
    starts: list[int]
    table_keys: list[str]
    config_json: str
    partitions: int = 1  # key rows carry `part` in 0..partitions-1 (a function of the key)
    fmt: Format = "jsonl"

    @classmethod
    def of(
        cls,
        out: Path,
        blocks: list[Block],
        config: Config,
        partitions: int = 1,
        fmt: Format = "jsonl",
    ) -> Index:
        return cls(
            out=str(out),
            starts=[b.start for b in blocks],
            table_keys=[b.table_key for b in blocks],
            config_json=config.model_dump_json(),
            partitions=max(1, partitions),
            fmt=fmt,
        )

    @property
    def config(self) -> Config:
        return Config.model_validate_json(self.config_json)

    def tables(self) -> BlockTables:
        return BlockTables(Path(self.out), self.starts, self.table_keys)

    def block_of(self, positions: Any) -> Any:
        import numpy as np

        starts = np.asarray(self.starts, dtype=np.int64)
        return np.searchsorted(starts, np.asarray(positions) >> POS_SHIFT, side="right") - 1


def dedup_enabled(config: Config) -> bool:
    return GroupSettings.from_config(config).enabled


def block_row(block: Block) -> dict[str, Any]:
    """A block as one row of the `write` step's input (see `decision_rows`)."""
    return {
        "block": block.ordinal,
        "level": -1,
        "kind": -1,
        "pos": -1,
        "target": -1,
        "similarity": 0.0,
        "desc": json.dumps(block.to_json(), ensure_ascii=False),
    }


def key_rows(desc: str, index: Index) -> Any:
    """The block's key rows as an Arrow table (`key`, `pos`, `digest`, `part`), its table
    stored first (built from its shards unless it is stored already)."""
    import numpy as np

    block = Block.from_json(json.loads(desc))
    config = index.config
    ensure_table(block, Path(index.out), config)
    table = load_table(Path(index.out), block.table_key)
    rows = block_key_rows(block, table, GroupSettings.from_config(config))
    # Bytes 4..12 of a key are digest or MinHash bytes: uniform. Rows of one key, one part.
    spread = np.ascontiguousarray(rows["key"][:, 4:12]).view(np.uint64).ravel()
    rows["part"] = (spread % np.uint64(index.partitions)).astype(np.int64)
    return to_arrow(rows)


def decide(rows: Any, index: Index) -> Any:
    """Decisions for the key groups in `rows` (whole groups), routed to their blocks."""
    import numpy as np

    settings = GroupSettings.from_config(index.config)
    columns = from_arrow(rows) if rows.num_rows else None
    if columns is None:
        found = empty_decisions()
    else:
        tables = index.tables()
        found = decide_groups(columns, tables.signatures, settings)
    return to_arrow(_with_routing(found, index.block_of(found["pos"]).astype(np.int64)))


def _with_routing(decisions: Columns, blocks: Any) -> Columns:
    return {
        "block": blocks,
        # int64 like the block rows' (Ray Data unions tables of one schema)
        "level": decisions["level"].astype("int64"),
        "kind": decisions["kind"].astype("int64"),
        "pos": decisions["pos"],
        "target": decisions["target"],
        "similarity": decisions["similarity"],
        "desc": [NO_BLOCK_FIELD] * len(blocks),
    }


def write(rows: Any, index: Index) -> list[tuple[str, bool]]:
    """Write the part of every block described in `rows`, with its decisions from `rows`.

    Returns (part name, whether it was written) per block."""
    import numpy as np

    columns = from_arrow(rows)
    descs = (
        columns["desc"].to_pylist() if hasattr(columns["desc"], "to_pylist") else columns["desc"]
    )
    is_block = np.asarray([bool(d) for d in descs])
    out = Path(index.out)
    config = index.config
    tables = index.tables() if dedup_enabled(config) else None
    done: list[tuple[str, bool]] = []
    for i in np.flatnonzero(is_block).tolist():
        block = Block.from_json(json.loads(descs[i]))
        mine = (columns["block"] == block.ordinal) & ~is_block
        decisions = {k: columns[k][mine] for k in ("level", "kind", "pos", "target", "similarity")}
        written = write_part(block, decisions, tables, out, config, index.fmt)
        done.append((block.name, written))
    return done
