"""Records and rejected records as Parquet: the Arrow schema, a streaming writer, a reader.

The schema is derived from the pydantic models (`Record`, `RejectedRecord`), so it follows
them: nested models are structs (`source.loader.name`, `pii.spans[].start`), lists are lists,
optional fields are nullable. Two kinds of field have no faithful Arrow type that pyarrow,
DuckDB and Hugging Face `datasets` all read, and are stored as documented here:

- `dict[str, V]` with a fixed value type (`pii.counts`) is a list of `{key, value}` structs
  (DuckDB: `map_from_entries(pii.counts)`);
- free-form values (`metadata`, and a flag's `value` / `threshold`, which may be a number, a
  string or a boolean) are JSON text.

`read_rows` undoes both, so a row read back equals the JSON row `records.jsonl` holds. The
file's key-value metadata carries `_schema` (the record `SCHEMA_VERSION`), `llmprep.kind`
(`record` or `rejected`) and `llmprep.json_columns`.

    with ParquetWriter(path, kind="record") as writer:   # rows are JSON-ready dicts
        for row in rows:
            writer.write(row)                             # a row group every `row_group_rows`
    rows = list(read_rows(path))

Needs pyarrow (the `parquet` extra); importing this module without it raises ConfigError.
"""

from __future__ import annotations

import json
import os
import tempfile
import types
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .errors import ConfigError
from .models import SCHEMA_VERSION, Record, RejectedRecord

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - exercised only without the extra
    raise ConfigError("Parquet output needs pyarrow: pip install 'llmprep[parquet]'") from None

Kind = Literal["record", "rejected"]
MODELS: dict[str, type[BaseModel]] = {"record": Record, "rejected": RejectedRecord}
ROW_GROUP_ROWS = 2_000  # rows buffered before a row group is written (bounds memory)
SCHEMA_KEY = b"_schema"
KIND_KEY = b"llmprep.kind"
JSON_COLUMNS_KEY = b"llmprep.json_columns"


# -- schema -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """How one field is stored: an Arrow type plus the conversion to and from JSON values."""

    type: pa.DataType
    kind: Literal["scalar", "json", "list", "entries", "struct"]
    item: _Spec | None = None  # list items, entry values
    fields: tuple[tuple[str, _Spec], ...] = ()  # struct fields, by JSON (alias) name


_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
}
_JSON = _Spec(pa.string(), "json")


def _spec(annotation: Any) -> _Spec:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return _spec(members[0]) if len(members) == 1 else _JSON
    if origin is Literal:
        values = get_args(annotation)
        if all(isinstance(v, str) for v in values):
            return _Spec(pa.string(), "scalar")
        return _JSON
    if origin is list:
        (item,) = get_args(annotation)
        inner = _spec(item)
        return _Spec(pa.list_(inner.type), "list", item=inner)
    if origin is dict:
        key, value = get_args(annotation)
        if key is not str or value is Any:
            return _JSON
        inner = _spec(value)
        entry = pa.struct([("key", pa.string()), ("value", inner.type)])
        return _Spec(pa.list_(entry), "entries", item=inner)
    if annotation in _SCALARS:
        return _Spec(_SCALARS[annotation], "scalar")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _struct(annotation)
    return _JSON


def _struct(model: type[BaseModel]) -> _Spec:
    fields = tuple(
        (info.alias or name, _spec(info.annotation)) for name, info in model.model_fields.items()
    )
    return _Spec(pa.struct([(name, spec.type) for name, spec in fields]), "struct", fields=fields)


_SPECS: dict[str, _Spec] = {}


def _row_spec(kind: Kind) -> _Spec:
    if kind not in MODELS:
        raise ValueError(f"kind must be one of {sorted(MODELS)}, not {kind!r}")
    if kind not in _SPECS:
        _SPECS[kind] = _struct(MODELS[kind])
    return _SPECS[kind]


def _json_columns(spec: _Spec, prefix: str = "") -> list[str]:
    found: list[str] = []
    for name, sub in spec.fields:
        path = f"{prefix}{name}"
        node = sub
        while node.kind in ("list", "entries") and node.item is not None:
            path += "[]"
            node = node.item
        if node.kind == "json":
            found.append(path)
        elif node.kind == "struct":
            found += _json_columns(node, path + ".")
    return found


def schema(kind: Kind = "record") -> pa.Schema:
    """The Arrow schema of a records (`record`) or rejected-records (`rejected`) file."""
    spec = _row_spec(kind)
    metadata = {
        SCHEMA_KEY: SCHEMA_VERSION.encode(),
        KIND_KEY: kind.encode(),
        JSON_COLUMNS_KEY: json.dumps(_json_columns(spec)).encode(),
    }
    return pa.schema([pa.field(name, sub.type) for name, sub in spec.fields], metadata=metadata)


# -- conversion -------------------------------------------------------------------------------


def _encode(value: Any, spec: _Spec) -> Any:
    if value is None:
        return None
    if spec.kind == "json":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if spec.kind == "list":
        assert spec.item is not None
        return [_encode(v, spec.item) for v in value]
    if spec.kind == "entries":
        assert spec.item is not None
        return [{"key": k, "value": _encode(v, spec.item)} for k, v in value.items()]
    if spec.kind == "struct":
        return {name: _encode(value.get(name), sub) for name, sub in spec.fields}
    return value


def _decode(value: Any, spec: _Spec) -> Any:
    if value is None:
        return None
    if spec.kind == "json":
        return json.loads(value)
    if spec.kind == "list":
        assert spec.item is not None
        return [_decode(v, spec.item) for v in value]
    if spec.kind == "entries":
        assert spec.item is not None
        return {e["key"]: _decode(e["value"], spec.item) for e in value}
    if spec.kind == "struct":
        return {name: _decode(value.get(name), sub) for name, sub in spec.fields}
    return value


def encode_row(row: dict[str, Any], kind: Kind = "record") -> dict[str, Any]:
    """A JSON row (`Record.model_dump(mode="json")`) as the dict `schema(kind)` stores."""
    return _encode(row, _row_spec(kind))


def decode_row(row: dict[str, Any], kind: Kind = "record") -> dict[str, Any]:
    """A stored row back as the JSON row it came from."""
    return _decode(row, _row_spec(kind))


# -- files ------------------------------------------------------------------------------------


class ParquetWriter:
    """Writes JSON rows to one Parquet file, a row group every `row_group_rows` rows.

    The file appears atomically at `close()` (written beside it under a temporary name, then
    renamed); on an exception inside `with`, nothing is left behind. A file with no rows is
    still a valid Parquet file with the schema.
    """

    def __init__(
        self, path: str | Path, kind: Kind = "record", *, row_group_rows: int = ROW_GROUP_ROWS
    ) -> None:
        self.path = Path(path)
        self.kind: Kind = kind
        self.schema = schema(kind)
        self.row_group_rows = max(1, row_group_rows)
        self.rows = 0
        self._buffer: list[dict[str, Any]] = []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        os.close(fd)
        self._tmp = Path(tmp)
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(
            str(self._tmp), self.schema, compression="zstd"
        )

    def write(self, row: dict[str, Any]) -> None:
        """Add one JSON row (a `Record` / `RejectedRecord` dumped with `mode="json"`)."""
        self._buffer.append(encode_row(row, self.kind))
        self.rows += 1
        if len(self._buffer) >= self.row_group_rows:
            self._flush()

    def _flush(self) -> None:
        if self._buffer and self._writer is not None:
            table = pa.Table.from_pylist(self._buffer, schema=self.schema)
            self._writer.write_table(table, row_group_size=len(self._buffer))
            self._buffer = []

    def close(self) -> None:
        """Write what is buffered and move the file into place."""
        if self._writer is None:
            return
        self._flush()
        self._writer.close()
        self._writer = None
        with open(self._tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Drop the file being written."""
        if self._writer is not None:
            with suppress(Exception):
                self._writer.close()
            self._writer = None
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> ParquetWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def read_rows(path: str | Path, *, batch_rows: int = ROW_GROUP_ROWS) -> Iterator[dict[str, Any]]:
    """The JSON rows of a file `ParquetWriter` wrote, one batch of rows in memory at a time."""
    file = pq.ParquetFile(str(path))
    meta = file.schema_arrow.metadata or {}
    kind = meta.get(KIND_KEY, b"record").decode()
    if kind not in MODELS:
        raise ValueError(f"{path}: not an llmprep records file (kind {kind!r})")
    spec = _row_spec(kind)
    for batch in file.iter_batches(batch_size=batch_rows):
        for row in batch.to_pylist():
            yield _decode(row, spec)


def file_schema_version(path: str | Path) -> str | None:
    """The `_schema` version a file was written with (None: not an llmprep file)."""
    meta = pq.read_schema(str(path)).metadata or {}
    value = meta.get(SCHEMA_KEY)
    return value.decode() if value is not None else None


__all__ = [
    "ROW_GROUP_ROWS",
    "ParquetWriter",
    "decode_row",
    "encode_row",
    "file_schema_version",
    "read_rows",
    "schema",
]
