"""HTML tables: does reading a page grow linearly with its cells? (issue 20, case 15)

    .venv/bin/python bench/html_tables.py [--runs 3]

Pages of one data table with 25,000 to 200,000 cells (10 columns; and one row of 20,000 to
80,000 cells) go through the HTML loader alone (no stages). The anchor, measured on the same
bytes in the same run, is lxml parsing the page: the floor any HTML reader pays. Printed per
size: the loader's median seconds, its ratio to the anchor, and the growth against the previous
size (2.0 is linear for a doubling; a quadratic step shows as ~4).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def page(rows: int, cols: int) -> bytes:
    cells = "".join(
        "<tr>" + "".join(f"<td>r{r}c{c}</td>" for c in range(cols)) + "</tr>" for r in range(rows)
    )
    return f"<html><body><h1>Data</h1><table>{cells}</table></body></html>".encode()


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import lxml.html

    from llmprep.config import Config
    from llmprep.loaders.base import SourceFile
    from llmprep.loaders.registry import load_source

    config = Config()

    def load(data: bytes) -> None:
        list(load_source(SourceFile(rel_path="t.html", config=config, data=data)))

    load(page(10, 10))  # imports and first-use costs out of the clock
    for label, shapes in (
        ("10 columns", [(2_500, 10), (5_000, 10), (10_000, 10), (20_000, 10)]),
        ("one row", [(1, 20_000), (1, 40_000), (1, 80_000)]),
    ):
        previous = None
        for rows, cols in shapes:
            data = page(rows, cols)
            ours = timed(lambda data=data: load(data), args.runs)
            anchor = timed(lambda data=data: lxml.html.fromstring(data), args.runs)
            growth = f"  x{ours / previous:.2f} vs previous" if previous else ""
            print(
                f"{label}: {rows * cols:>7,} cells {len(data) / 1e6:5.1f} MB  loader {ours:6.2f} s"
                f"  lxml parse {anchor:5.2f} s  ratio {ours / anchor:5.1f}{growth}"
            )
            previous = ours


if __name__ == "__main__":
    main()
