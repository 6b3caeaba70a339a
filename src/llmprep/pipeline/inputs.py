"""Turning the command line's INPUT... into an ordered list of files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv"}


@dataclass(frozen=True)
class InputFile:
    path: str  # as the user would write it: the input joined with the relative part
    rel_path: str  # relative to its input root, POSIX separators (used in ids)


def discover(inputs: list[str | Path], *, exclude: list[Path] | None = None) -> list[InputFile]:
    """Files under the inputs in a stable order; hidden folders, VCS folders and `exclude` skipped.

    Symlinked folders are not followed (no loops); symlinked files are included and a broken
    one still gets a row. A missing input becomes a row too (it fails at load time).
    """
    excluded = {p.resolve() for p in (exclude or [])}
    found: list[InputFile] = []
    seen: set[str] = set()
    multi = len(inputs) > 1
    for raw in inputs:
        root = Path(raw)
        if (root.is_dir() and not root.is_symlink()) or (
            root.is_dir() and root.is_symlink() and not multi
        ):
            prefix = f"{root.resolve().name}/" if multi else ""
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                here = Path(dirpath)
                dirnames[:] = sorted(
                    d
                    for d in dirnames
                    if not d.startswith(".")
                    and d not in SKIP_DIRS
                    and (here / d).resolve() not in excluded
                )
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    full = here / name
                    rel = prefix + full.relative_to(root).as_posix()
                    _add(found, seen, InputFile(str(full), rel))
        else:
            _add(found, seen, InputFile(str(root), root.name))
    return found


def _add(found: list[InputFile], seen: set[str], item: InputFile) -> None:
    if item.rel_path in seen:  # the same file named twice on the command line
        return
    seen.add(item.rel_path)
    found.append(item)
