"""Run llmprep from a checkout: `python cli.py run fixtures/kb --out out`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from llmprep.cli import main

if __name__ == "__main__":
    main()
