"""The public API surface: every exported name resolves, and importing llmprep stays light."""

from __future__ import annotations

import subprocess
import sys

import llmprep


def test_every_exported_name_resolves() -> None:
    for name in llmprep.__all__:
        assert getattr(llmprep, name) is not None, name


def test_importing_llmprep_loads_no_heavy_library() -> None:
    code = "import sys, llmprep; print(sorted(m for m in ('pydantic', 'spacy', 'presidio_analyzer', 'pypdfium2', 'trafilatura') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_process_reports_a_missing_file_as_failed_not_an_exception(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = llmprep.process(tmp_path / "nope.md")
    assert (
        result.status == "failed"
        and result.error is not None
        and result.error.code == "load.not_found"
    )
    assert result.records == [] and result.text == ""


def test_process_does_not_open_a_named_pipe_and_says_what_it_is(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    pipe = tmp_path / "notes.md"
    os.mkfifo(pipe)
    res = llmprep.process(pipe)  # returns at once: reading it would wait for a writer forever
    assert res.status == "unsupported" and res.error is not None
    assert (res.error.code, res.error.message) == (
        "file.not_regular",
        "not a regular file (a named pipe); not read",
    )


def test_process_reports_an_empty_file_as_empty(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    path.write_bytes(b"")
    res = llmprep.process(path)
    assert res.status == "failed" and res.error is not None and res.error.code == "file.empty"
