"""Atomic output files and the per-file shard store that makes runs incremental and resumable.

Each processed file leaves a shard (`.llmprep/shards/<key>.jsonl`, one line per document) and a
row (`<key>.row.json`), written to a temporary name and renamed, so a shard that exists is
complete. The final files are rebuilt from shards in input order, again via rename.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

STATE_DIR = ".llmprep"


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class ShardStore:
    def __init__(self, out: Path) -> None:
        self.dir = out / STATE_DIR / "shards"
        self.dir.mkdir(parents=True, exist_ok=True)

    def shard_path(self, key: str) -> Path:
        return self.dir / f"{key}.jsonl"

    def row_path(self, key: str) -> Path:
        return self.dir / f"{key}.row.json"

    def has(self, key: str) -> bool:
        return self.row_path(key).is_file() and self.shard_path(key).is_file()

    def read_row(self, key: str) -> dict[str, Any]:
        return json.loads(self.row_path(key).read_text(encoding="utf-8"))

    def write_row(self, key: str, row: dict[str, Any]) -> None:
        with atomic_writer(self.row_path(key)) as fh:
            fh.write(dumps(row))

    def iter_documents(self, key: str) -> Iterator[dict[str, Any]]:
        with open(self.shard_path(key), encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

    def prune(self, keep: set[str]) -> None:
        """Drop shards of files no longer in the run (deleted or changed inputs)."""
        for path in self.dir.iterdir():
            key = path.name.split(".", 1)[0]
            if key not in keep:
                path.unlink(missing_ok=True)
