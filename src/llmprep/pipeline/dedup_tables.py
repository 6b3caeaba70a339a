"""Per-block dedup tables: what the grouped duplicate decisions read about every element.

For each block (see `blocks`) a worker reads the block's shards once and keeps, per chunk and
per document: position, id, digest, whether it has words, MinHash signature; per document also
its first chunk and chunk count. Tables are Arrow IPC files under `.llmprep/dedup/`, named after
the block's shard keys (an unchanged block is never read again) and memory-mapped when read,
so a worker looking up a few elements of many blocks pays for the pages it touches only.

Positions are stored relative to the block (the block's `base` is added when read), so a table
stays valid when files before the block come or go.
"""

from __future__ import annotations

import os
import tempfile
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config
from ..models import Record
from ..output import STATE_DIR, ShardStore
from ..stages.dedup.fingerprint import Fingerprint, fingerprint
from ..stages.dedup.groups import CHUNK, DIGEST_BYTES, Columns, GroupSettings, key_rows
from .assemble import shard_fingerprint
from .blocks import POS_SHIFT, Block

TABLES_DIR = "dedup"
LEVELS = ("chunks", "docs")


def tables_dir(out: Path) -> Path:
    return out / STATE_DIR / TABLES_DIR


@dataclass
class BlockTable:
    """One block's chunk and document columns (numpy; positions relative to the block)."""

    chunks: Columns  # pos, id (list[str]), digest, words, sig
    docs: Columns  # pos, id, digest, words, sig, first, count

    def level(self, level: int) -> Columns:
        return self.chunks if level == CHUNK else self.docs


# -- building -----------------------------------------------------------------------------------


def build_table(block: Block, store: ShardStore, config: Config) -> BlockTable:
    """Read the block's shards and collect every element's dedup facts."""
    import numpy as np

    perm = config.dedup.num_perm
    chunks: dict[str, list[Any]] = {k: [] for k in ("pos", "id", "digest", "words", "sig")}
    docs: dict[str, list[Any]] = {
        k: [] for k in ("pos", "id", "digest", "words", "sig", "first", "count")
    }
    no_digest = bytes(DIGEST_BYTES)
    no_sig = np.zeros(perm, dtype=np.uint32)
    for offset, key in enumerate(block.keys):
        base = offset << POS_SHIFT
        chunk_ord = doc_ord = 0
        for line in store.iter_documents(key):
            records = line["records"]
            if not records:
                continue
            prints = _fingerprint(line, records, config)
            if prints is None:  # dedup is off: there is nothing to compare
                continue
            docs["pos"].append(base | doc_ord)
            docs["id"].append(records[0]["doc_id"])
            docs["digest"].append(prints.stream or no_digest)
            docs["words"].append(prints.stream is not None)
            sig = prints.doc_signature
            docs["sig"].append(sig if sig is not None else no_sig)
            docs["first"].append(base | chunk_ord)
            docs["count"].append(len(records))
            doc_ord += 1
            for i, record in enumerate(records):
                chunks["pos"].append(base | chunk_ord)
                chunks["id"].append(record["id"])
                chunks["digest"].append(prints.digests[i] or no_digest)
                chunks["words"].append(prints.digests[i] is not None)
                sig = prints.signatures[i] if prints.signatures is not None else None
                chunks["sig"].append(sig if sig is not None else no_sig)
                chunk_ord += 1
    return BlockTable(_columns(chunks, perm), _columns(docs, perm))


def _fingerprint(
    line: dict[str, Any], records: list[dict[str, Any]], config: Config
) -> Fingerprint | None:
    """The stored fingerprint, or one made now when the shard's lacks what the config compares."""
    prints = shard_fingerprint(line)
    if prints is not None and prints.complete(config):
        return prints.with_signatures(config)
    return fingerprint([Record.model_validate(r) for r in records], config)


def _columns(data: dict[str, list[Any]], perm: int) -> Columns:
    import numpy as np

    n = len(data["pos"])
    out: Columns = {
        "pos": np.asarray(data["pos"], dtype=np.int64),
        "id": data["id"],
        "digest": np.frombuffer(b"".join(data["digest"]), dtype=np.uint8).reshape(n, DIGEST_BYTES),
        "words": np.asarray(data["words"], dtype=bool),
        "sig": np.stack(data["sig"]).astype(np.uint32, copy=False)
        if n
        else np.zeros((0, perm), dtype=np.uint32),
    }
    if "first" in data:
        out["first"] = np.asarray(data["first"], dtype=np.int64)
        out["count"] = np.asarray(data["count"], dtype=np.int64)
    return out


# -- storing ------------------------------------------------------------------------------------


def ensure_table(block: Block, out: Path, config: Config) -> None:
    """Build and store the block's table unless it is stored already."""
    folder = tables_dir(out)
    if all((folder / f"{block.table_key}.{level}.arrow").is_file() for level in LEVELS):
        return
    table = build_table(block, ShardStore(out), config)
    folder.mkdir(parents=True, exist_ok=True)
    # Chunks last: a table whose chunk file exists is complete.
    for level, columns in zip(LEVELS[::-1], (table.docs, table.chunks), strict=True):
        _write_arrow(folder / f"{block.table_key}.{level}.arrow", columns)


def _write_arrow(path: Path, columns: Columns) -> None:
    import pyarrow as pa

    table = to_arrow(columns)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with pa.OSFile(tmp, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def load_table(out: Path, table_key: str) -> BlockTable:
    import pyarrow as pa

    folder = tables_dir(out)
    loaded = []
    for level in LEVELS:
        source = pa.memory_map(str(folder / f"{table_key}.{level}.arrow"))
        loaded.append(from_arrow(pa.ipc.open_file(source).read_all()))
    return BlockTable(chunks=loaded[0], docs=loaded[1])


def prune_tables(out: Path, keep: set[str]) -> None:
    folder = tables_dir(out)
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name.split(".", 1)[0] not in keep:
            path.unlink(missing_ok=True)


# -- Arrow <-> numpy columns ----------------------------------------------------------------------


def to_arrow(columns: Columns) -> Any:
    """numpy columns as an Arrow table: 2-D arrays become fixed-size binary (one row each)."""
    import numpy as np
    import pyarrow as pa

    arrays = {}
    for name, values in columns.items():
        if isinstance(values, np.ndarray) and values.ndim == 2:
            raw = np.ascontiguousarray(values)
            width = raw.shape[1] * raw.itemsize
            arrays[name] = pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(width), len(raw), [None, pa.py_buffer(raw.tobytes())]
            )
        elif isinstance(values, np.ndarray):
            arrays[name] = pa.array(values)
        else:
            arrays[name] = pa.array(values, type=pa.string())
    return pa.table(arrays)


_WIDE = {"sig": "uint32"}  # fixed-size binary columns read back as these (others: uint8)


def from_arrow(table: Any) -> Columns:
    """The inverse of `to_arrow` (fixed-size binary as 2-D arrays, without copying)."""
    import numpy as np
    import pyarrow as pa

    out: Columns = {}
    for name in table.column_names:
        column = table.column(name)
        array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        if pa.types.is_fixed_size_binary(array.type):
            width = array.type.byte_width
            dtype = np.dtype(_WIDE.get(name, "uint8"))
            buffer = array.buffers()[1]
            raw = (
                np.frombuffer(buffer, dtype=np.uint8)[
                    array.offset * width : (array.offset + len(array)) * width
                ]
                if buffer is not None
                else np.zeros(0, dtype=np.uint8)
            )
            out[name] = raw.view(dtype).reshape(len(array), width // dtype.itemsize)
        elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            out[name] = array
        else:
            out[name] = array.to_numpy(zero_copy_only=False)
    return out


# -- reading any element of the run --------------------------------------------------------------


class BlockTables:
    """`groups.Tables` over every block of a run: positions -> block -> row.

    Holds the blocks' starts and table names only (a few dozen bytes per block) and keeps the
    most recently used tables memory-mapped.
    """

    def __init__(
        self, out: Path, starts: list[int], table_keys: list[str], cache_size: int = 64
    ) -> None:
        import numpy as np

        self.out = out
        self.starts = np.asarray(starts, dtype=np.int64)
        self.table_keys = table_keys
        self.cache_size = cache_size
        self._cache: OrderedDict[int, BlockTable] = OrderedDict()

    def table(self, block: int) -> BlockTable:
        found = self._cache.get(block)
        if found is None:
            found = load_table(self.out, self.table_keys[block])
            self._cache[block] = found
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(block)
        return found

    def _locate(self, level: int, positions: Any) -> list[tuple[Any, BlockTable, Any]]:
        """(indexes into `positions`, table, rows) for each block the positions fall in."""
        import numpy as np

        positions = np.asarray(positions, dtype=np.int64)
        blocks = np.searchsorted(self.starts, positions >> POS_SHIFT, side="right") - 1
        found = []
        for block in np.unique(blocks).tolist():
            where = np.flatnonzero(blocks == block)
            table = self.table(block)
            local = positions[where] - (int(self.starts[block]) << POS_SHIFT)
            rows = np.searchsorted(table.level(level)["pos"], local)
            found.append((where, table, rows))
        return found

    def _gather(self, level: int, column: str, positions: Any) -> Any:
        import numpy as np

        parts = self._locate(level, positions)
        sample = parts[0][1].level(level)[column] if parts else None
        if sample is None:
            return np.zeros(0)
        shape = (len(positions), *sample.shape[1:])
        out = np.zeros(shape, dtype=sample.dtype)
        for where, table, rows in parts:
            out[where] = table.level(level)[column][rows]
        return out

    def _strings(self, level: int, column: str, positions: Any) -> list[str]:
        out: list[str] = [""] * len(positions)
        for where, table, rows in self._locate(level, positions):
            values = table.level(level)[column]
            if isinstance(values, list):
                taken = [values[r] for r in rows.tolist()]
            else:
                taken = values.take(rows).to_pylist()
            for i, value in zip(where.tolist(), taken, strict=True):
                out[i] = value
        return out

    def chunk_ids(self, positions: Any) -> list[str]:
        return self._strings(CHUNK, "id", positions)

    def chunk_digests(self, positions: Any) -> tuple[Any, Any]:
        return self._gather(CHUNK, "digest", positions), self._gather(CHUNK, "words", positions)

    def signatures(self, level: int, positions: Any) -> Any:
        return self._gather(level, "sig", positions)

    def documents(self, positions: Any) -> tuple[list[str], Any, Any]:
        import numpy as np

        positions = np.asarray(positions, dtype=np.int64)
        first = self._gather(1, "first", positions)
        # `first` is relative to the block: add the base of the block each document is in.
        blocks = np.searchsorted(self.starts, positions >> POS_SHIFT, side="right") - 1
        first = first + (self.starts[blocks] << POS_SHIFT)
        return self._strings(1, "id", positions), first, self._gather(1, "count", positions)


def block_key_rows(block: Block, table: BlockTable, settings: GroupSettings) -> Columns:
    """The block's key rows (`groups.key_rows`), with run-wide positions."""
    import numpy as np

    parts = []
    for level, columns in enumerate((table.chunks, table.docs)):
        sig = columns["sig"] if settings.near else None
        parts.append(
            key_rows(
                level,
                columns["pos"] + block.base,
                columns["digest"],
                np.asarray(columns["words"], dtype=bool),
                sig,
                settings,
            )
        )
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
