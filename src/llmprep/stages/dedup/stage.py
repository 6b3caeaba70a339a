"""The per-file dedup stage: each document's fingerprint, made where its records are.

Comparing fingerprints across a run is the run-wide half (`pipeline.assemble`); making them is
an ordinary stage, so workers do it in parallel and `llmprep.process` does it the same way.
"""

from __future__ import annotations

from ...config import Config
from ..base import DocWork
from .fingerprint import fingerprint


class Fingerprinting:
    name = "dedup"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        # Signatures are made on demand: one small file compares with nothing, and a worker
        # makes them when it stores the shard (`Fingerprint.with_signatures`).
        work.fingerprint = fingerprint(work.records, self.config, signatures=False)
