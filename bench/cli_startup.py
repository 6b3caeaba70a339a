"""How fast does `llmprep --help` answer? (Goal: under 0.5 s; heavy libraries load lazily.)

    .venv/bin/python bench/cli_startup.py [--runs 10]

Prints the median and best wall time of `llmprep --help` next to `python -c pass` (the floor:
interpreter start-up alone) measured in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    exe = shutil.which("llmprep", path=str(Path(sys.executable).parent)) or "llmprep"
    floor = timed([sys.executable, "-c", "pass"], args.runs)
    helps = timed([exe, "--help"], args.runs)
    loaders = timed([exe, "loaders"], args.runs)
    print(f"{'command':<22}{'median s':>10}{'best s':>10}")
    for name, t in (
        ("python -c pass", floor),
        ("llmprep --help", helps),
        ("llmprep loaders", loaders),
    ):
        print(f"{name:<22}{statistics.median(t):>10.3f}{min(t):>10.3f}")
    verdict = "OK" if statistics.median(helps) < 0.5 else "OVER"
    print(
        f"llmprep --help median {statistics.median(helps):.3f} s vs goal 0.5 s: {verdict}; "
        f"{statistics.median(helps) / statistics.median(floor):.1f}x bare interpreter start-up"
    )


if __name__ == "__main__":
    main()
