"""JSON Schemas of the output rows, as `llmprep schema` prints them."""

from __future__ import annotations

from typing import Any

from .models import ManifestRow, Record


def json_schema(kind: str = "record") -> dict[str, Any]:
    model = {"record": Record, "manifest": ManifestRow}[kind]
    return model.model_json_schema(mode="serialization")
