"""A bug inside a stage: one typed row with its raising frame, and the traceback in debug mode."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import llmprep
from llmprep.stages.normalize.stage import Normalize

SECRET = "Ada Lovelace wrote this line"
# Installed in worker processes through sitecustomize: the normalize stage hits a bug whose
# exception message quotes the document, as parser exceptions often do.
BUG = """
from llmprep.stages.normalize.stage import Normalize

def broken(self, work):
    raise KeyError(work.document.elements[0].text)

Normalize.__call__ = broken
"""


def _break_normalize(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Normalize, work: object) -> None:
        raise KeyError(work.document.elements[0].text)  # type: ignore[attr-defined]

    monkeypatch.setattr(Normalize, "__call__", broken)


def test_a_bug_in_a_stage_names_its_type_stage_and_raising_frame_but_not_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_normalize(monkeypatch)
    note = tmp_path / "note.md"
    note.write_text(f"{SECRET}\n")
    res = llmprep.process(note)
    assert res.status == "failed" and res.error is not None
    assert res.error.code == "normalize.error"
    # Raised outside llmprep (here, the test's stand-in for a library): the last llmprep frame
    # on the way is named too.
    assert re.fullmatch(
        r"KeyError during normalize at test_failures\.py:\d+ \(from llmprep/pipeline/file\.py:\d+\)",
        res.error.message,
    ), res.error.message
    assert SECRET not in res.error.message


def _run_with_a_broken_stage(
    tmp_path: Path, debug: bool
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`llmprep run` on one note, with the normalize stage broken in every process."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "note.md").write_text(f"{SECRET}\n")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(BUG)
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "LLMPREP_DEBUG"}
    env["PYTHONPATH"] = str(hook)
    if debug:
        env["LLMPREP_DEBUG"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "run", str(inputs), "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return out, done


def test_debug_mode_writes_the_full_traceback_to_the_run_log_and_stderr(tmp_path: Path) -> None:
    out, done = _run_with_a_broken_stage(tmp_path, debug=True)
    assert done.returncode == 1, done.stderr
    row = json.loads((out / "manifest.jsonl").read_text().splitlines()[0])
    assert row["error_code"] == "normalize.error"
    assert "sitecustomize.py:" in row["error_message"] and SECRET not in row["error_message"]
    log = (out / ".llmprep" / "debug.log").read_text()
    assert "Traceback (most recent call last)" in log and SECRET in log
    assert "KeyError" in done.stderr
    # Only the debug log and stderr carry the message; no output file does.
    for name in ("records.jsonl", "rejected.jsonl", "manifest.jsonl", "report.json", "report.html"):
        assert SECRET not in (out / name).read_text()


def test_without_debug_mode_no_traceback_is_written_anywhere(tmp_path: Path) -> None:
    out, done = _run_with_a_broken_stage(tmp_path, debug=False)
    assert done.returncode == 1
    assert not (out / ".llmprep" / "debug.log").exists()
    assert SECRET not in done.stderr and "Traceback" not in done.stderr
