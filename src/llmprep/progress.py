"""The rich progress bar for terminal runs."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RichProgress:
    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]llmprep"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} not ok"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("files", total=None, failed=0)
        self._failed = 0

    def __enter__(self) -> RichProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._progress.__exit__(*exc)

    def update(self, done: int, total: int, row: dict[str, Any] | None) -> None:
        if row is not None and row.get("status") != "ok":
            self._failed += 1
        self._progress.update(self._task, completed=done, total=total, failed=self._failed)
