"""A run's record files in the configured format: `records` and `rejected`, JSON Lines or Parquet.

`[output] format` (`--format`) picks `records.jsonl` + `rejected.jsonl` (default) or
`records.parquet` + `rejected.parquet` (see `llmprep.parquet` for the schema). The manifest and
the report are JSON whatever the format. Both files appear atomically; once they are in place,
the other format's files left by an earlier run in the same folder are removed, so a folder
never holds records from two runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Literal, Protocol

from .output import atomic_writer, dumps

Format = Literal["jsonl", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "parquet")


class RowWriter(Protocol):
    def write(self, row: dict[str, Any]) -> None: ...


def record_file_names(fmt: Format) -> tuple[str, str]:
    """The records and rejected file names of a format."""
    return f"records.{fmt}", f"rejected.{fmt}"


class _JsonLines:
    def __init__(self, fh: Any) -> None:
        self.fh = fh

    def write(self, row: dict[str, Any]) -> None:
        self.fh.write(dumps(row) + "\n")


@contextmanager
def open_record_files(out: Path, fmt: Format) -> Iterator[tuple[RowWriter, RowWriter]]:
    """Writers for (records, rejected) in `out`; files appear together when the block ends."""
    records_name, rejected_name = record_file_names(fmt)
    with ExitStack() as stack:
        if fmt == "parquet":
            from .parquet import ParquetWriter

            records: RowWriter = stack.enter_context(ParquetWriter(out / records_name, "record"))
            rejected: RowWriter = stack.enter_context(
                ParquetWriter(out / rejected_name, "rejected")
            )
        else:
            records = _JsonLines(stack.enter_context(atomic_writer(out / records_name)))
            rejected = _JsonLines(stack.enter_context(atomic_writer(out / rejected_name)))
        yield records, rejected
    for other in FORMATS:
        if other != fmt:
            for name in record_file_names(other):
                (out / name).unlink(missing_ok=True)


def require_format(fmt: Format) -> None:
    """Fail before any work (ConfigError naming the extra) when the format cannot be written."""
    if fmt == "parquet":
        from .parquet import schema  # noqa: F401  (raises ConfigError without pyarrow)
