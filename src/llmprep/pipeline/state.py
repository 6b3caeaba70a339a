"""What the last completed run in an output folder consisted of.

Written last, after every output file is in place, and removed before outputs are rewritten:
a run killed half-way leaves no state, so the next run rebuilds the outputs instead of trusting
them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..output import STATE_DIR, atomic_writer
from ..record_files import Format, record_file_names

STATE_FILE = "state.json"
OUTPUTS = ("manifest.jsonl", "report.json", "report.html")  # and the format's record files


@dataclass
class RunState:
    keys: list[str]  # shard keys in input order
    paths: list[str]  # rel_paths in input order

    @classmethod
    def load(cls, out: Path) -> RunState | None:
        try:
            data = json.loads((out / STATE_DIR / STATE_FILE).read_text(encoding="utf-8"))
            return cls(keys=list(data["keys"]), paths=list(data["paths"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, out: Path) -> None:
        with atomic_writer(out / STATE_DIR / STATE_FILE) as fh:
            json.dump({"keys": self.keys, "paths": self.paths}, fh)

    @staticmethod
    def clear(out: Path) -> None:
        (out / STATE_DIR / STATE_FILE).unlink(missing_ok=True)

    def outputs_present(self, out: Path, fmt: Format = "jsonl") -> bool:
        names = (*OUTPUTS, *record_file_names(fmt))
        return all((out / name).is_file() for name in names)
