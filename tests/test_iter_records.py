"""`llmprep.iter_records`: a run's records, streamed file by file with flat memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import llmprep

KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"


@pytest.fixture(scope="module")
def kb_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kb-run")
    llmprep.run([KB], out=out, workers=2)
    return out


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_in_input_order_it_yields_exactly_the_records_of_a_run(kb_run: Path) -> None:
    streamed = [r.model_dump(mode="json") for r in llmprep.iter_records([KB], workers=2)]
    assert streamed == _rows(kb_run / "records.jsonl")
    # fixtures/kb holds a copy of the handbook: dedup ran across files, as in a run.
    assert any(r["duplicate_of"] for r in streamed)


def test_in_completion_order_it_yields_the_same_records_in_some_order(kb_run: Path) -> None:
    streamed = list(llmprep.iter_records([KB], workers=2, order="completion"))
    expected = _rows(kb_run / "records.jsonl")
    assert sorted(r.id for r in streamed) == sorted(r["id"] for r in expected)


def test_on_file_gets_every_files_manifest_row_with_its_counts(kb_run: Path) -> None:
    rows: list[llmprep.ManifestRow] = []
    records = list(llmprep.iter_records([KB], workers=2, on_file=rows.append))
    manifest = {r["rel_path"]: r for r in _rows(kb_run / "manifest.jsonl")}
    assert sorted(r.rel_path for r in rows) == sorted(manifest)
    for row in rows:
        assert (row.status, row.records, row.rejected, row.path) == (
            manifest[row.rel_path]["status"],
            manifest[row.rel_path]["records"],
            manifest[row.rel_path]["rejected"],
            manifest[row.rel_path]["path"],
        )
    assert sum(r.records for r in rows) == len(records)


def test_stopping_early_stops_the_workers_and_cleans_up(tmp_path: Path) -> None:
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("llmprep-stream-*"))
    stream = llmprep.iter_records([KB], workers=1)
    first = next(stream)
    stream.close()
    assert first.id
    assert set(Path(tempfile.gettempdir()).glob("llmprep-stream-*")) == before


def test_an_unknown_order_is_refused() -> None:
    with pytest.raises(ValueError, match="order"):
        list(llmprep.iter_records([KB], order="random"))  # type: ignore[arg-type]


_PEAK_SCRIPT = textwrap.dedent(
    """
    import sys, llmprep
    n = 0
    for record in llmprep.iter_records([sys.argv[1]], workers=2, redact=False):
        n += 1
    peak_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    print(n, peak_kb)
    """
)


_SUBJECTS = [
    "the team",
    "our support desk",
    "the finance office",
    "each customer",
    "the new server",
    "a vendor",
    "the auditor",
    "every manager",
    "the night shift",
    "the release board",
]
_VERBS = [
    "reviews",
    "approves",
    "schedules",
    "updates",
    "archives",
    "checks",
    "reports on",
    "plans",
    "signs off",
    "moves",
]
_OBJECTS = [
    "the quarterly invoices",
    "a backup of the mail store",
    "the holiday rota",
    "open tickets from the weekend",
    "the travel policy",
    "access rights for contractors",
    "the printer fleet",
    "the training budget",
    "the onboarding checklist",
    "a draft of the contract",
]
_TAILS = [
    "before the end of the month",
    "after the Monday meeting",
    "with the help of the IT desk",
    "and writes a short note to the owner",
    "when the request is complete",
    "so that nothing is lost",
    "for the board on Friday",
    "in the shared folder",
    "at least once a week",
    "unless the owner objects",
]


def _make_folder(root: Path, files: int) -> Path:
    """`files` distinct short notes (a few paragraphs of plain sentences each)."""
    import random

    root.mkdir()
    for i in range(files):
        rng = random.Random(i)
        paragraphs = [
            " ".join(
                f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
                for _ in range(rng.randint(4, 7))
            )
            for _ in range(3)
        ]
        (root / f"note-{i:04d}.md").write_text(f"# Note {i}\n\n" + "\n\n".join(paragraphs) + "\n")
    return root


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_memory_stays_flat_from_200_to_1000_files(tmp_path: Path) -> None:
    peaks = {}
    for files in (200, 1000):
        folder = _make_folder(tmp_path / f"kb{files}", files)
        proc = subprocess.run(
            [sys.executable, "-c", _PEAK_SCRIPT, str(folder)],
            capture_output=True,
            text=True,
            timeout=1500,
            check=True,
        )
        count, peak_kb = map(int, proc.stdout.split())
        assert count >= files * 0.9  # nearly every note gives a record (a few repeat others)
        peaks[files] = peak_kb / 1024
    print(f"parent peak RSS: 200 files {peaks[200]:.0f} MB, 1000 files {peaks[1000]:.0f} MB")
    # Five times the files: the parent holds one file's records and the dedup index at a time.
    assert peaks[1000] - peaks[200] < 40
