"""`llmprep check`: the pre-commit hook. Reports PII and blocking flags, never the values."""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path

from .config import Config


def run_check(files: list[str], config: Config, echo: Callable[[str], None] = print) -> int:
    from .api import process

    cfg = config.with_overrides(**{"pii.ner_model": "auto" if config.check.ner else "none"})
    findings = 0
    checked = 0
    for name in files:
        if any(fnmatch(name, pattern) for pattern in cfg.check.exclude):
            continue
        if not Path(name).is_file():
            continue
        checked += 1
        result = process(name, config=cfg)
        blocking = set(cfg.check.block_entities)
        for record in [*result.records, *result.rejected]:
            for span in record.pii.spans:
                if blocking and span.entity_type not in blocking:
                    continue
                findings += 1
                where = f"page {record.pages[0]}" if record.pages else f"chunk {record.chunk_index}"
                echo(f"{name}: {where}: {span.entity_type} ({span.detector})")
            if cfg.check.block_flags:
                for flag in record.flags:
                    if flag.severity == "block":
                        findings += 1
                        echo(f"{name}: chunk {record.chunk_index}: flag {flag.code}")
    echo(f"llmprep check: {checked} files, {findings} findings")
    return 1 if findings else 0
