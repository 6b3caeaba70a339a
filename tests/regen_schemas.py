"""Rewrite the pinned JSON Schemas after a deliberate schema change (bump SCHEMA_VERSION first)."""

import json
from pathlib import Path

from llmprep.models import SCHEMA_VERSION
from llmprep.schema import json_schema

DATA = Path(__file__).resolve().parent / "data"

if __name__ == "__main__":
    for kind in ("record", "manifest"):
        pinned = {"schema_version": SCHEMA_VERSION, "schema": json_schema(kind)}
        (DATA / f"{kind}.schema.json").write_text(
            json.dumps(pinned, indent=2, sort_keys=True) + "\n"
        )
    print("pinned schemas written for version", SCHEMA_VERSION)
