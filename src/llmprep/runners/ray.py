"""Ray runner: the same per-file work as the local runner, distributed by Ray Data.

Ray Data splits the file list into batches; each batch runs inside a Ray task through a
one-worker `LocalRunner`, so per-file timeouts, memory limits and worker recycling behave
exactly as on one machine. Workers write their shards to the output folder (on a cluster it
must be a shared filesystem); the driver then runs the global phase (dedup, policy, output
files) as a local run does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..config import Config
from .inputs import InputFile
from .local import Job, RowCallback

BATCH_FILES = 16  # files per Ray task: amortizes one worker start-up (model loading) per batch


def _require_ray() -> Any:
    try:
        import ray
    except ImportError:
        from ..errors import ConfigError

        raise ConfigError("engine 'ray' needs the ray extra: pip install 'llmprep[ray]'") from None
    return ray


class _BatchProcessor:
    """Runs inside Ray: processes a batch of files with a one-worker local pool."""

    def __init__(self, config_json: str, out: str) -> None:
        self.config = Config.model_validate_json(config_json)
        self.out = Path(out)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        from .local import LocalRunner

        jobs: list[Job] = [
            (InputFile(path=str(p), rel_path=str(r)), (str(s) or None), str(k))
            for p, r, s, k in zip(batch["path"], batch["rel_path"], batch["sha256"], batch["key"], strict=True)
        ]
        rows: dict[str, str] = {}

        def keep(item: InputFile, row: dict[str, Any]) -> None:
            import json

            rows[item.rel_path] = json.dumps(row)

        LocalRunner(self.config, self.out, workers=1).run(jobs, keep)
        return {"rel_path": [j[0].rel_path for j in jobs], "row": [rows[j[0].rel_path] for j in jobs]}


class RayRunner:
    def __init__(self, config: Config, out: Path, workers: int) -> None:
        self.config = config
        self.out = out.resolve()
        self.workers = max(1, workers)

    def run(self, jobs: Iterable[Job], on_row: RowCallback) -> None:
        import json

        job_list = list(jobs)
        if not job_list:
            return
        ray = _require_ray()
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no telemetry
        started_here = not ray.is_initialized()
        if started_here:
            address = self.config.run.ray_address
            if address:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
            else:
                ray.init(num_cpus=self.workers, include_dashboard=False, log_to_driver=False,
                         configure_logging=False, _node_ip_address="127.0.0.1")
        try:
            by_rel = {item.rel_path: item for item, _, _ in job_list}
            ds = ray.data.from_items(
                [{"path": str(Path(i.path).resolve()), "rel_path": i.rel_path, "sha256": s or "", "key": k} for i, s, k in job_list],
                override_num_blocks=max(1, (len(job_list) + BATCH_FILES - 1) // BATCH_FILES),
            )
            results = ds.map_batches(
                _BatchProcessor,
                fn_constructor_kwargs={"config_json": self.config.model_dump_json(), "out": str(self.out)},
                batch_size=BATCH_FILES,
                concurrency=self.workers,
                num_cpus=1,
                batch_format="numpy",
            )
            for batch in results.iter_batches(batch_size=None, batch_format="numpy"):
                for rel, row in zip(batch["rel_path"], batch["row"], strict=True):
                    data = json.loads(str(row))
                    item = by_rel[str(rel)]
                    data["path"] = item.path  # shown as the user named it, not resolved
                    on_row(item, data)
        finally:
            if started_here:
                ray.shutdown()
