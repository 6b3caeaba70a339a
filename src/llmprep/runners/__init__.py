"""Where a run's files are processed: a local process pool, or a Ray cluster.

Both run the same per-file task (`pipeline.task.run_task`) in warm worker processes with the
run's limits; the run-wide half (dedup, policy, outputs) is `pipeline`'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..config import Config
from ..pipeline.run import Runner


def runner_factory(*, quiet: bool = True) -> Callable[[Config, Path], Runner]:
    """A function making the runner `config.run.engine` names, for one output folder.

    For Ray the check that Ray is installed happens here, before any input is hashed.
    """

    def make(config: Config, out: Path) -> Runner:
        workers = config.run.workers or os.cpu_count() or 1
        if config.run.engine == "ray":
            from .ray import RayRunner

            return RayRunner(config, out, workers, quiet=quiet)
        from .local import LocalRunner

        return LocalRunner(config, out, workers)

    return make


def require_engine(config: Config) -> None:
    """Fail fast (ConfigError naming the extra) when the configured engine cannot run."""
    if config.run.engine == "ray":
        from .ray import require_ray

        require_ray()


__all__ = ["require_engine", "runner_factory"]
