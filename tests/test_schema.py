"""The output schemas are pinned: any change is deliberate and bumps SCHEMA_VERSION."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from llmprep.models import SCHEMA_VERSION
from llmprep.schema import json_schema

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("kind", ["record", "manifest"])
def test_schema_matches_the_pinned_copy(kind: str) -> None:
    pinned = json.loads((DATA / f"{kind}.schema.json").read_text())
    assert json_schema(kind) == pinned["schema"], (
        f"the {kind} schema changed: bump SCHEMA_VERSION, note it in CHANGELOG.md, run tests/regen_schemas.py"
    )
    assert pinned["schema_version"] == SCHEMA_VERSION


def test_llmprep_schema_prints_the_record_schema() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "schema", "record"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == json_schema("record")
