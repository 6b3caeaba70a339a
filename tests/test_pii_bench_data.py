"""The labelled PII generator (bench/pii_data.py) gives the same file for the same split, size
and seed in any process: figures measured on its splits can be compared from run to run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("faker")

ROOT = Path(__file__).resolve().parents[1]


def _generate(tmp_path: Path, hash_seed: str) -> list[dict[str, object]]:
    out = tmp_path / f"tune-{hash_seed}.json"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "pii_data.py"),
            "--split",
            "tune",
            "--n",
            "300",
            "--out",
            str(out),
        ],
        check=True,
        env=env,
        timeout=300,
    )
    data: list[dict[str, object]] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_the_same_split_size_and_seed_give_the_same_examples_under_any_hash_seed(
    tmp_path: Path,
) -> None:
    first = _generate(tmp_path, "1")
    second = _generate(tmp_path, "2")
    # 300 examples hold Italian towns, whose list Faker builds from a set, and dates.
    assert len(first) == 300
    assert first == second
