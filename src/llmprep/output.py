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

from .names import shown

STATE_DIR = ".llmprep"


def dumps(obj: Any) -> str:
    """One JSON line, UTF-8 as written. A lone surrogate that reached this far (text decoded
    from a file with surrogate escapes) is written as a JSON escape instead of failing the
    whole output file."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    return text


LOCK_FILE = "lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder for one run: a second run into it stops at once (`OutputError`).

    An advisory `flock` on `DIR/.llmprep/lock`, released by the kernel when the process ends,
    however it ends: a run killed with -9 leaves no stale lock behind.
    """
    import fcntl

    from .errors import OutputError

    state = out / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    fh = open(state / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 (held until the end)
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise OutputError(
                f"another llmprep run{who} is writing to {shown(str(out))}; wait for it to finish or "
                "choose another --out"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()


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


# -- output layouts ----------------------------------------------------------------------------
#
# A local run writes one file per kind (`records.jsonl`, `rejected.jsonl`). A Ray run writes
# parts, each written whole by one worker: `records/part-<name>.jsonl`, `rejected/part-<name>.jsonl`,
# with `parts.json` listing the part names in input order (a part holds the records of a run of
# consecutive input files). `manifest.jsonl` and `report.*` are single files in both layouts.
# `llmprep.read_records` reads either.

RECORD_KINDS = ("records", "rejected")
PARTS_INDEX = "parts.json"
PARTS_LAYOUT_VERSION = 1
PARTS_STATE = "parts"  # under STATE_DIR: each part's sidecar and manifest rows


def part_path(out: Path, kind: str, name: str, fmt: str = "jsonl") -> Path:
    return out / kind / f"part-{name}.{fmt}"


def remove_parts(out: Path) -> None:
    """Remove a parts layout (a single-file run in a folder that held one)."""
    import shutil

    for kind in RECORD_KINDS:
        folder = out / kind
        if folder.is_dir():
            for path in folder.glob("part-*"):
                path.unlink(missing_ok=True)
            with suppress(OSError):
                folder.rmdir()  # only if nothing else is in it
    (out / PARTS_INDEX).unlink(missing_ok=True)
    shutil.rmtree(out / STATE_DIR / PARTS_STATE, ignore_errors=True)
