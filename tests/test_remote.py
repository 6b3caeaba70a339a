"""Inputs and outputs behind fsspec URLs, against a real S3 API: moto's server on loopback."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import llmprep

pytest.importorskip("s3fs")
pytest.importorskip("moto.server")

KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
BUCKET = "llmprep-kb"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's S3 server in its own process on 127.0.0.1; yields its endpoint URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    env = {
        **os.environ,
        "MOTO_RECORDER_FILEPATH": str(log.with_name("recording.jsonl")),
    }
    with open(log, "w") as fh:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("moto server exited: " + log.read_text()[-2000:])
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def fs(s3: str, monkeypatch: pytest.MonkeyPatch) -> object:
    """s3fs pointed at the moto server, with the bucket holding a copy of fixtures/kb."""
    import fsspec
    import s3fs

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3,
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setitem(fsspec.config.conf, "s3", {"endpoint_url": s3})
    s3fs.S3FileSystem.clear_instance_cache()
    filesystem = s3fs.S3FileSystem(endpoint_url=s3)
    if filesystem.exists(BUCKET):
        filesystem.rm(BUCKET, recursive=True)
    filesystem.mkdir(BUCKET)
    for path in sorted(KB.rglob("*")):
        if path.is_file():
            filesystem.pipe(f"{BUCKET}/docs/{path.relative_to(KB).as_posix()}", path.read_bytes())
    filesystem.invalidate_cache()
    return filesystem


def _recorder(endpoint: str, action: str) -> bytes:
    method = "GET" if action == "download-recording" else "POST"
    req = urllib.request.Request(f"{endpoint}/moto-api/recorder/{action}", method=method)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.read()  # type: ignore[no-any-return]


def _object_reads(endpoint: str, prefix: str) -> list[str]:
    """Objects under `prefix` whose bytes were requested since recording started."""
    lines = _recorder(endpoint, "download-recording").decode().splitlines()
    reads = []
    for line in lines:
        entry = json.loads(line)
        path = re.sub(r"^https?://[^/]+", "", entry["url"]).split("?", 1)[0]
        if entry["method"] == "GET" and path.startswith(f"/{BUCKET}/{prefix}"):
            reads.append(path)
    return reads


def _rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _without_paths(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("path", "seconds")} for r in rows]


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local-out")
    llmprep.run([KB], out=out, workers=2)
    return out


def test_a_run_from_and_to_s3_equals_a_local_run(
    fs: object, s3: str, local_run: Path, tmp_path: Path
) -> None:
    summary = llmprep.run([f"s3://{BUCKET}/docs"], out=f"s3://{BUCKET}/out", workers=2)
    assert summary.out == f"s3://{BUCKET}/out"
    for name in ("records.jsonl", "rejected.jsonl"):
        remote = fs.cat_file(f"{BUCKET}/out/{name}").decode()  # type: ignore[attr-defined]
        assert _rows(remote) == _rows((local_run / name).read_text()), name
    manifest = _rows(fs.cat_file(f"{BUCKET}/out/manifest.jsonl").decode())  # type: ignore[attr-defined]
    local_manifest = _rows((local_run / "manifest.jsonl").read_text())
    assert _without_paths(manifest) == _without_paths(local_manifest)
    assert all(r["path"].startswith(f"s3://{BUCKET}/docs/") for r in manifest)
    assert fs.exists(f"{BUCKET}/out/report.html")  # type: ignore[attr-defined]


def test_a_rerun_downloads_no_unchanged_object_and_only_a_changed_one(fs: object, s3: str) -> None:
    source, out = f"s3://{BUCKET}/docs", f"s3://{BUCKET}/out"
    first = llmprep.run([source], out=out, workers=1)
    _recorder(s3, "reset-recording")
    _recorder(s3, "start-recording")
    again = llmprep.run([source], out=out, workers=1)
    assert (again.processed, again.reused) == (0, first.files)
    assert _object_reads(s3, "docs/") == []
    fs.pipe(  # type: ignore[attr-defined]
        f"{BUCKET}/docs/handbook.md", b"# Handbook\n\nThe office opens at nine on weekdays.\n"
    )
    _recorder(s3, "reset-recording")
    changed = llmprep.run([source], out=out, workers=1)
    _recorder(s3, "stop-recording")
    assert (changed.processed, changed.reused) == (1, first.files - 1)
    assert _object_reads(s3, "docs/") == [f"/{BUCKET}/docs/handbook.md"]
    records = _rows(fs.cat_file(f"{BUCKET}/out/records.jsonl").decode())  # type: ignore[attr-defined]
    assert any("opens at nine" in r["text"] for r in records)


def test_a_missing_object_gets_a_failed_row_and_the_rest_runs(fs: object, tmp_path: Path) -> None:
    summary = llmprep.run(
        [f"s3://{BUCKET}/docs/handbook.md", f"s3://{BUCKET}/docs/nope.pdf"],
        out=tmp_path / "out",
        workers=1,
    )
    rows = {r["rel_path"]: r for r in _rows((tmp_path / "out" / "manifest.jsonl").read_text())}
    assert rows["handbook.md"]["status"] == "ok"
    assert (rows["nope.pdf"]["status"], rows["nope.pdf"]["error_code"]) == (
        "failed",
        "remote.not_found",
    )
    assert summary.exit_code == 1


def test_process_reads_an_s3_url_like_the_file(fs: object) -> None:
    remote = llmprep.process(f"s3://{BUCKET}/docs/team.mbox")
    local = llmprep.process(KB / "team.mbox")
    assert [r.model_dump() for r in remote.records] == [r.model_dump() for r in local.records]


def test_iter_records_reads_a_memory_filesystem_folder(local_run: Path) -> None:
    import fsspec

    memory = fsspec.filesystem("memory")
    for path in sorted(KB.rglob("*")):
        if path.is_file():
            memory.pipe(f"/kb-copy/{path.relative_to(KB).as_posix()}", path.read_bytes())
    try:
        streamed = [r.model_dump(mode="json") for r in llmprep.iter_records("memory://kb-copy")]
    finally:
        memory.rm("/kb-copy", recursive=True)
    assert streamed == _rows((local_run / "records.jsonl").read_text())


def test_a_url_without_its_filesystem_package_names_what_to_install(tmp_path: Path) -> None:
    from llmprep.errors import ConfigError

    with pytest.raises(ConfigError, match="gcsfs"):
        llmprep.run(["gs://bucket/docs"], out=tmp_path / "out")


def test_process_of_a_missing_object_is_a_failed_result_not_an_exception(fs: object) -> None:
    res = llmprep.process(f"s3://{BUCKET}/docs/nope.pdf")
    assert res.status == "failed" and res.error is not None
    assert res.error.code == "remote.not_found" and res.records == []


def test_the_command_line_takes_urls_for_inputs_and_output(fs: object) -> None:
    from click.testing import CliRunner

    from llmprep.cli import main

    result = CliRunner().invoke(
        main,
        ["run", f"s3://{BUCKET}/docs/handbook.md", "--out", f"s3://{BUCKET}/cli-out", "-q"],
    )
    assert result.exit_code == 0, result.output
    assert f"-> s3://{BUCKET}/cli-out" in result.output
    assert fs.exists(f"{BUCKET}/cli-out/records.jsonl")  # type: ignore[attr-defined]


def test_an_output_folder_inside_the_input_is_never_read(fs: object) -> None:
    root, out = f"s3://{BUCKET}", f"s3://{BUCKET}/out"
    first = llmprep.run([f"{root}/docs/handbook.md"], out=out, workers=1)
    assert first.files == 1
    again = llmprep.run([root], out=f"s3://{BUCKET}/out2", workers=1)
    manifest = _rows(fs.cat_file(f"{BUCKET}/out2/manifest.jsonl").decode())  # type: ignore[attr-defined]
    assert manifest and all(r["rel_path"].startswith("docs/") for r in manifest)
    assert again.files == len(manifest)
