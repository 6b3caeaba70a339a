"""JSON Schemas of the output rows, as `llmprep schema` prints them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .models import ManifestRow, Record


def json_schema(kind: str = "record") -> dict[str, Any]:
    models: dict[str, type[BaseModel]] = {"record": Record, "manifest": ManifestRow}
    return models[kind].model_json_schema(mode="serialization")
