"""`llmprep validate`: records (JSON Lines or Parquet) checked against the published Record schema."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError

from .models import SCHEMA_VERSION, Record, RejectedRecord


def validate_files(files: list[str], echo: Callable[[str], None] = print) -> int:
    problems = 0
    rows = 0
    for name in files:
        model: type[Record] = RejectedRecord if _is_rejected(name) else Record
        for number, line in _lines(name):
            rows += 1
            try:
                data = json.loads(line) if isinstance(line, str) else line
                model.model_validate(data)
            except ValueError as exc:
                problems += 1
                echo(f"{name}:{number}: {_describe(exc)}")
                continue
            if data.get("schema_version") != SCHEMA_VERSION:
                problems += 1
                echo(
                    f"{name}:{number}: schema_version {data.get('schema_version')!r}, expected {SCHEMA_VERSION!r}"
                )
    echo(f"llmprep validate: {len(files)} files, {rows} rows, {problems} problems")
    return 1 if problems else 0


def _is_rejected(name: str) -> bool:
    if name.endswith(".parquet"):
        from .parquet import KIND_KEY, pq

        meta = pq.read_schema(name).metadata or {}
        return meta.get(KIND_KEY) == b"rejected"
    return name.endswith("rejected.jsonl")


def _lines(name: str) -> Iterator[tuple[int, str | dict[str, Any]]]:
    """(row number, JSON text or a Parquet row decoded to its JSON form), blank lines skipped."""
    if name.endswith(".parquet"):
        from .parquet import read_rows

        yield from enumerate(read_rows(name), start=1)
        return
    with open(name, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                yield number, line


def _describe(exc: ValueError) -> str:
    # Field paths and error types only: the offending values may be document text.
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['type']}" for e in exc.errors()[:5]
        )
    return "not valid JSON"
