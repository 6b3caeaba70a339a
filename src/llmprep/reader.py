"""Reading a run's output back: the same rows whatever wrote them.

A local run writes `records.jsonl` and `rejected.jsonl`; a Ray run writes parts
(`records/part-<name>.jsonl` ..., listed in input order by `parts.json`). `read_records` reads
either, in input order, one row at a time, so a run of any size can be read in constant
memory. Parquet files (`.parquet`, the `parquet` extra) are read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .output import PARTS_INDEX, RECORD_KINDS, part_path
from .record_files import FORMATS


def read_records(out: str | Path, *, rejected: bool = False) -> Iterator[dict[str, Any]]:
    """The records of the run in `out` (or, with `rejected=True`, the rejected rows), in input
    order, as dicts (the Record JSON; rejected rows add `reasons`).

        for row in llmprep.read_records("out/"): ...
        rows = list(llmprep.read_records("out/"))

    Raises FileNotFoundError when `out` holds no run output.
    """
    return _rows(_files(Path(out), RECORD_KINDS[1] if rejected else RECORD_KINDS[0]))


def record_files(out: str | Path, *, rejected: bool = False) -> list[Path]:
    """The files holding those rows, in order (one per part, or the single file)."""
    return _files(Path(out), RECORD_KINDS[1] if rejected else RECORD_KINDS[0])


def _files(out: Path, kind: str) -> list[Path]:
    index = out / PARTS_INDEX
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        fmt = data.get("format", "jsonl")
        return [part_path(out, kind, name, fmt) for name in data["parts"]]
    for fmt in FORMATS:
        single = out / f"{kind}.{fmt}"
        if single.is_file():
            return [single]
    raise FileNotFoundError(f"no llmprep output in {out} (no {PARTS_INDEX}, no {kind}.jsonl)")


def _rows(files: list[Path]) -> Iterator[dict[str, Any]]:
    for path in files:
        if path.suffix == ".parquet":
            yield from _parquet_rows(path)
            continue
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    try:
        from .parquet import read_rows
    except ConfigError:
        raise ImportError(
            f"{path.name} is Parquet, which needs pyarrow: pip install 'llmprep[parquet]'"
        ) from None
    yield from read_rows(path)  # maps and free-form values decoded back to their JSON form
