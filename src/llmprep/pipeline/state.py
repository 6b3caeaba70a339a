"""What the last completed run in an output folder consisted of.

Written last, after every output file is in place, and removed before outputs are rewritten:
a run killed half-way leaves no state, so the next run rebuilds the outputs instead of trusting
them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..output import PARTS_INDEX, STATE_DIR, atomic_writer
from ..record_files import Format, record_file_names

STATE_FILE = "state.json"
SINGLE_LAYOUT, PARTS_LAYOUT = "single", "parts"  # see output.PARTS_INDEX
OUTPUTS = ("manifest.jsonl", "report.json", "report.html")  # and the layout's record files


@dataclass
class RunState:
    keys: list[str]  # shard keys in input order
    paths: list[str]  # rel_paths in input order
    layout: str = SINGLE_LAYOUT  # how the records were written

    @classmethod
    def load(cls, out: Path) -> RunState | None:
        try:
            data = json.loads((out / STATE_DIR / STATE_FILE).read_text(encoding="utf-8"))
            return cls(
                keys=list(data["keys"]),
                paths=list(data["paths"]),
                layout=str(data.get("layout", SINGLE_LAYOUT)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, out: Path) -> None:
        with atomic_writer(out / STATE_DIR / STATE_FILE) as fh:
            json.dump({"keys": self.keys, "paths": self.paths, "layout": self.layout}, fh)

    @staticmethod
    def clear(out: Path) -> None:
        (out / STATE_DIR / STATE_FILE).unlink(missing_ok=True)

    def outputs_present(self, out: Path, fmt: Format = "jsonl") -> bool:
        """The outputs of this state's layout are in place, with records in `fmt`."""
        if self.layout == PARTS_LAYOUT:
            return all((out / name).is_file() for name in OUTPUTS) and _parts_format(out) == fmt
        names = (*OUTPUTS, *record_file_names(fmt))
        return all((out / name).is_file() for name in names)


def _parts_format(out: Path) -> str | None:
    """The record format `parts.json` lists its parts in (None without a readable index)."""
    try:
        data = json.loads((out / PARTS_INDEX).read_text(encoding="utf-8"))
        return str(data.get("format", "jsonl")) if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None
