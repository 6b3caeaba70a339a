"""Cold `llmprep check` on 5 small Markdown files (goal: under 1.5 s; patterns only).

    .venv/bin/python bench/check.py [--runs 5]

Each run is a fresh process, as pre-commit starts it. Prints median/best wall time, with
`python -c pass` as the floor measured in the same run. A second line times the same notes when
one of them holds an id-shaped number (a card number here): then Presidio's validated
recognizers, and the spaCy it imports, have to load.
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


WITH_ID = "# Refunds\n\nTest refunds go to card 4111 1111 1111 1111 only.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = shutil.which("llmprep", path=str(Path(sys.executable).parent)) or "llmprep"
    med = measure(exe, NOTES, args.runs, "")
    print(f"goal 1.5 s: {'OK' if med < 1.5 else 'OVER'}")
    measure(exe, [*NOTES[:4], WITH_ID], args.runs, " (one note holds a card number)")


def measure(exe: str, notes: list[str], runs: int, label: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, text in enumerate(notes):
            path = Path(tmp) / f"note-{i}.md"
            path.write_text(text)
            files.append(str(path))
        floor, times = [], []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            floor.append(time.perf_counter() - t)
            t = time.perf_counter()
            proc = subprocess.run([exe, "check", *files], capture_output=True, text=True)
            times.append(time.perf_counter() - t)
        print(proc.stdout.strip().splitlines()[-1])
    med = statistics.median(times)
    print(
        f"cold llmprep check, 5 Markdown files{label}: median {med:.2f} s, best {min(times):.2f} s "
        f"(python -c pass: {statistics.median(floor):.3f} s)"
    )
    return med


if __name__ == "__main__":
    main()
