"""Cold `llmprep check` on 5 small Markdown files (goal: under 1.5 s; patterns only).

    .venv/bin/python bench/check.py [--runs 5]

Each run is a fresh process, as pre-commit starts it. Prints median/best wall time, with
`python -c pass` as the floor measured in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTES = [
    "# Deploys\n\nDeploys run every weekday at ten. Ask the release captain before a hotfix.\n",
    "# On call\n\nThe rota lives in the team calendar. Swap shifts in the channel, not by mail.\n",
    "# Contact\n\nExternal partners write to partners@example.com or call +44 20 7946 0958.\n",
    "# Glossary\n\n- SLA: service level agreement\n- RCA: root cause analysis\n",
    "# Backups\n\nNightly snapshots are kept for 35 days; monthly ones for a year.\n",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = shutil.which("llmprep", path=str(Path(sys.executable).parent)) or "llmprep"
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, text in enumerate(NOTES):
            path = Path(tmp) / f"note-{i}.md"
            path.write_text(text)
            files.append(str(path))
        floor, times = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            floor.append(time.perf_counter() - t)
            t = time.perf_counter()
            proc = subprocess.run([exe, "check", *files], capture_output=True, text=True)
            times.append(time.perf_counter() - t)
        print(proc.stdout.strip().splitlines()[-1])
    med = statistics.median(times)
    print(f"cold llmprep check, 5 Markdown files: median {med:.2f} s, best {min(times):.2f} s "
          f"(python -c pass: {statistics.median(floor):.3f} s); goal 1.5 s: {'OK' if med < 1.5 else 'OVER'}")


if __name__ == "__main__":
    main()
