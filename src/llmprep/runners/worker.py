"""A worker process: `python -m llmprep.runners.worker IN_FD OUT_FD`.

Started by the local runner as a fresh interpreter (not by multiprocessing), so a user's script
that calls `llmprep.run()` needs no `if __name__ == "__main__"` guard. It reads jobs as JSON lines
on IN_FD and answers with JSON lines on OUT_FD: first `{"ready": true}` once every stage is
loaded, then one manifest row per job. Configuration arrives in LLMPREP_WORKER_CONFIG.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    in_fd, out_fd = int(argv[0]), int(argv[1])
    out_dir = os.environ["LLMPREP_WORKER_OUT"]
    max_memory_mb = int(os.environ.get("LLMPREP_WORKER_MAX_MEMORY_MB", "0"))
    if max_memory_mb:
        import resource

        # RLIMIT_DATA counts memory a process actually writes (heap, anonymous maps), unlike
        # RLIMIT_AS, which thread pools' address-space reservations blow through. The parent
        # also watches RSS; this is the in-process backstop.
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))

    from ..config import Config
    from ..models import ErrorInfo
    from ..output import ShardStore
    from ..pipeline.failures import report_exception
    from ..pipeline.file import warm_up
    from ..pipeline.inputs import InputFile
    from ..pipeline.task import failure_row, run_task, store_failure

    config = Config.model_validate_json(os.environ["LLMPREP_WORKER_CONFIG"])
    store = ShardStore(Path(out_dir))
    try:
        warm_up(config)
    except Exception as exc:  # a stage that cannot warm up fails per file, with a typed row
        report_exception(exc, "(warm-up)", "warm_up")
    with open(in_fd, encoding="utf-8") as jobs, open(out_fd, "w", encoding="utf-8") as answers:
        answers.write('{"ready": true}\n')
        answers.flush()
        for line in jobs:
            job = json.loads(line)
            if job is None:
                break
            item = InputFile(path=job["path"], rel_path=job["rel_path"])
            sha, key = job["sha256"], job["key"]

            def heartbeat() -> None:
                # One finished document: the file is making progress, not hanging.
                answers.write('{"progress": true}\n')
                answers.flush()

            try:
                row = run_task(item, sha, key, config, store, on_progress=heartbeat)
            except MemoryError:
                error = ErrorInfo(
                    code="worker.out_of_memory", message="file exceeded the worker memory limit"
                )
                row = failure_row(item, sha, config.hash(), "failed", error, 0.0)
                store_failure(store, key, row)
            answers.write(json.dumps(row, ensure_ascii=False) + "\n")
            answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
