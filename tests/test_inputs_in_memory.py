"""Content that is not a file on disk: bytes, binary streams and text give a file's records."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import llmprep

KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
# One file of every native format in the sample knowledge base (and a corrupt PDF).
KB_FILES = sorted(p for p in KB.iterdir() if p.is_file())


def _dump(result: llmprep.api.ProcessResult) -> tuple[str, list[dict], list[dict], list[dict]]:  # type: ignore[name-defined]
    return (
        result.status,
        [r.model_dump(mode="json") for r in result.records],
        [r.model_dump(mode="json") for r in result.rejected],
        [d.model_dump(mode="json") for d in result.documents],
    )


@pytest.mark.parametrize("path", KB_FILES, ids=lambda p: p.name)
def test_bytes_a_stream_and_the_path_give_identical_records(path: Path) -> None:
    from_path = _dump(llmprep.process(path))
    from_bytes = _dump(llmprep.process(path.read_bytes(), filename=path.name))
    from_stream = _dump(llmprep.process(io.BytesIO(path.read_bytes()), filename=path.name))
    with open(path, "rb") as fh:  # an open file names itself
        from_open_file = _dump(llmprep.process(fh))
    assert from_path == from_bytes == from_stream == from_open_file
    assert from_path[0] == "failed" or from_path[1]


def test_a_filename_with_folders_is_the_relative_path_a_run_would_use(tmp_path: Path) -> None:
    (tmp_path / "guide").mkdir()
    data = (KB / "handbook.md").read_bytes()
    (tmp_path / "guide" / "handbook.md").write_bytes(data)
    summary = llmprep.run([tmp_path / "guide"], out=tmp_path / "out", workers=1)
    assert summary.records
    import json

    run_ids = [
        json.loads(line)["id"]
        for line in (tmp_path / "out" / "records.jsonl").read_text().splitlines()
    ]
    # A run over the folder `guide/` sees the file as `handbook.md` relative to its root.
    assert [r.id for r in llmprep.process(data, filename="handbook.md").records] == run_ids
    nested = llmprep.process(data, filename="guide/handbook.md")
    assert [r.source.path for r in nested.records] == ["guide/handbook.md"] * len(run_ids)
    assert [r.id for r in nested.records] != run_ids


def test_media_type_names_content_that_has_no_filename() -> None:
    html = b"<html><head><title>Resets</title></head><body><h1>Password resets</h1><p>Open the portal and choose Forgot password, then follow the link in the message.</p></body></html>"
    res = llmprep.process(html, media_type="text/html")
    assert res.status == "ok"
    assert res.documents[0].source.path == "document.html"
    assert res.documents[0].source.media_type == "text/html"
    assert "Password resets" in res.text


def test_an_unknown_media_type_is_an_error_naming_the_accepted_ones() -> None:
    with pytest.raises(ValueError, match="text/html"):
        llmprep.process(b"x", media_type="application/x-unknown")


def test_a_str_is_always_a_path_never_content() -> None:
    res = llmprep.process("<html><body>hello</body></html>")
    assert res.status == "failed" and res.error is not None
    assert res.error.code == "load.not_found"


def test_process_text_reads_a_string_as_the_media_type_says() -> None:
    markdown = "# Refunds\n\nRefunds are paid within ten working days of the request.\n"
    res = llmprep.process_text(markdown, media_type="text/markdown", redact=False)
    assert res.status == "ok"
    assert res.documents[0].source.path == "document.md"
    assert res.records[0].heading_path == ["Refunds"]
    same = llmprep.process(markdown.encode(), filename="document.md", redact=False)
    assert [r.model_dump() for r in res.records] == [r.model_dump() for r in same.records]


def test_process_text_defaults_to_plain_text() -> None:
    res = llmprep.process_text("The office opens at nine and closes at five on weekdays.")
    assert res.status == "ok" and res.documents[0].source.media_type == "text/plain"


def test_a_text_mode_stream_is_refused_with_a_pointer_to_process_text() -> None:
    with pytest.raises(TypeError, match="process_text"):
        llmprep.process(io.StringIO("some text"), filename="a.txt")


def test_other_objects_are_refused_with_a_type_error() -> None:
    with pytest.raises(TypeError, match="path, bytes or a binary file-like"):
        llmprep.process(12345)  # type: ignore[arg-type]
