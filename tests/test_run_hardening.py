"""Folder runs under hostile conditions: odd names, colliding inputs, locks, full disks, kills,
files that change, timeouts, and configs found beside the inputs."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, install_plugin

ADVERSARIAL = FIXTURES / "plugin" / "llmprep_adversarial_loaders.py"


def llmprep(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    prefix: list[str] | None = None,
    preexec: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "llmprep.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        preexec_fn=preexec,
    )


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def note(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {path.stem}\n\n{text}\n")
    return path


@pytest.fixture
def plugins(tmp_path: Path) -> dict[str, str]:
    site = install_plugin(
        tmp_path / "site",
        "adversarial-loaders",
        ADVERSARIAL,
        {
            "hang": "llmprep_adversarial_loaders:HangLoader",
            "drip": "llmprep_adversarial_loaders:DripLoader",
            "abort": "llmprep_adversarial_loaders:AbortLoader",
        },
    )
    return {"PYTHONPATH": str(site)}


# -- names and inputs -----------------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_processed_and_shown_escaped(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    note(root / "plain.md", "A plain note about the weekly report.")
    with open(os.path.join(os.fsencode(root), b"r\xe9sum\xe9.md"), "wb") as fh:
        fh.write(b"# Resume\n\nA note whose name is Latin-1 bytes.\n")
    out = tmp_path / "out"
    first = llmprep("run", str(root), "--out", str(out), "--no-redact", "--workers", "1")
    assert first.returncode == 0, first.stderr[-2000:]
    by_rel = {r["rel_path"]: r for r in rows(out / "manifest.jsonl")}
    assert by_rel["r\\udce9sum\\udce9.md"]["status"] == "ok"
    sources = {r["source"]["path"] for r in rows(out / "records.jsonl")}
    assert sources == {"plain.md", "r\\udce9sum\\udce9.md"}
    again = llmprep("run", str(root), "--out", str(out), "--no-redact", "--workers", "1")
    assert again.returncode == 0 and "0 processed, 2 unchanged" in again.stderr


def test_two_input_folders_with_the_same_relative_paths_both_get_rows_and_records(
    tmp_path: Path,
) -> None:
    note(tmp_path / "a" / "docs" / "faq.md", "The first team answers billing questions.")
    note(tmp_path / "b" / "docs" / "faq.md", "The second team answers shipping questions.")
    out = tmp_path / "out"
    proc = llmprep(
        "run",
        str(tmp_path / "a" / "docs"),
        str(tmp_path / "b" / "docs"),
        "--out",
        str(out),
        "--no-redact",
        "--workers",
        "1",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [r["rel_path"] for r in rows(out / "manifest.jsonl")] == [
        "a/docs/faq.md",
        "b/docs/faq.md",
    ]
    texts = " ".join(r["text"] for r in rows(out / "records.jsonl"))
    assert "billing" in texts and "shipping" in texts


def test_files_no_loader_reads_get_rows_and_leave_the_exit_code_alone(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    note(root / "guide.md", "How to file an expense report, step by step.")
    (root / "package.json").write_text('{"name": "x"}\n')
    (root / "LICENSE").write_text("MIT License\n")
    out = tmp_path / "out"
    proc = llmprep("run", str(root), "--out", str(out), "--no-redact", "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    manifest = {r["rel_path"]: (r["status"], r["error_code"]) for r in rows(out / "manifest.jsonl")}
    assert manifest == {
        "LICENSE": ("unsupported", "file.excluded"),
        "guide.md": ("ok", None),
        "package.json": ("unsupported", "file.excluded"),
    }
    assert "2 excluded" in proc.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["excluded"] == 2 and report["by_error"]["file.excluded"] == 2
    included = llmprep(
        "run", str(root), "--out", str(tmp_path / "out2"), "--no-redact", "--include", "*.json"
    )
    assert [
        r["rel_path"] for r in rows(tmp_path / "out2" / "manifest.jsonl") if r["status"] == "ok"
    ] == ["package.json"], included.stderr


def test_an_unreadable_subfolder_gets_a_manifest_row(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    note(root / "a.md", "Readable note.")
    note(root / "locked" / "b.md", "Note in a folder nobody may list.")
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: folder permissions do not apply")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    out = tmp_path / "out"
    (root / "locked").chmod(0)
    try:
        proc = llmprep("run", str(root), "--out", str(out), "--no-redact", prefix=prefix)
    finally:
        (root / "locked").chmod(0o755)
    manifest = {r["rel_path"]: (r["status"], r["error_code"]) for r in rows(out / "manifest.jsonl")}
    assert manifest == {"a.md": ("ok", None), "locked": ("failed", "folder.unreadable")}
    assert proc.returncode == 1


# -- the output folder ----------------------------------------------------------------------------


def test_an_output_folder_that_is_also_an_input_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    note(root / "a.md", "A note.")
    proc = llmprep("run", str(root), "--out", str(root), "--no-redact")
    assert proc.returncode == 2
    assert "also an input folder" in proc.stderr and "Traceback" not in proc.stderr
    assert not (root / "records.jsonl").exists()


def test_a_second_run_into_an_output_folder_in_use_stops_with_exit_2(tmp_path: Path) -> None:
    from llmprep.output import output_lock

    note(tmp_path / "docs" / "a.md", "A note.")
    out = tmp_path / "out"
    with output_lock(out):  # another run holds the folder
        proc = llmprep("run", str(tmp_path / "docs"), "--out", str(out), "--no-redact")
    assert proc.returncode == 2
    assert f"pid {os.getpid()}" in proc.stderr and "is writing to" in proc.stderr
    assert not (out / "manifest.jsonl").exists()
    after = llmprep("run", str(tmp_path / "docs"), "--out", str(out), "--no-redact")
    assert after.returncode == 0, after.stderr[-2000:]


def test_an_output_folder_that_cannot_be_created_stops_with_exit_2(tmp_path: Path) -> None:
    note(tmp_path / "docs" / "a.md", "A note.")
    (tmp_path / "file").write_text("a file where the output folder's parent should be")
    proc = llmprep("run", str(tmp_path / "docs"), "--out", str(tmp_path / "file" / "out"))
    assert proc.returncode == 2
    assert "cannot write the output folder" in proc.stderr and "Traceback" not in proc.stderr


def test_a_read_only_output_folder_stops_with_exit_2(tmp_path: Path) -> None:
    note(tmp_path / "docs" / "a.md", "A note.")
    out = tmp_path / "out"
    first = llmprep("run", str(tmp_path / "docs"), "--out", str(out), "--no-redact")
    assert first.returncode == 0, first.stderr[-2000:]
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: folder permissions do not apply")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    written = sorted(p for p in out.rglob("*"))
    for path in [out, *written]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        proc = llmprep(
            "run", str(tmp_path / "docs"), "--out", str(out), "--no-redact", "--full", prefix=prefix
        )
    finally:
        for path in [out, *written]:
            path.chmod(path.stat().st_mode | 0o200)
    assert proc.returncode == 2
    assert "cannot write the output folder" in proc.stderr and "Permission denied" in proc.stderr
    assert "Traceback" not in proc.stderr


def _small_disk() -> None:
    """A disk that is full after 64 KB per file (Python ignores SIGXFSZ: writes raise)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_full_disk_stops_the_run_with_exit_2_and_caches_no_failure(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    note(root / "small.md", "A small note.")
    note(
        root / "long.md", "\n\n".join(f"Paragraph {i} of a long handbook. " * 30 for i in range(80))
    )
    out = tmp_path / "out"
    full = llmprep("run", str(root), "--out", str(out), "--no-redact", preexec=_small_disk)
    assert full.returncode == 2, full.stderr[-2000:]
    assert "cannot write the output folder" in full.stderr and "File too large" in full.stderr
    assert "Traceback" not in full.stderr
    later = llmprep("run", str(root), "--out", str(out), "--no-redact")
    assert later.returncode == 0, later.stderr[-2000:]
    assert {r["rel_path"]: r["status"] for r in rows(out / "manifest.jsonl")} == {
        "long.md": "ok",
        "small.md": "ok",
    }


def test_a_file_over_the_size_limit_is_refused_before_it_is_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import llmprep
    from llmprep.pipeline import run as run_module

    root = tmp_path / "docs"
    note(root / "small.md", "A small note.")
    with open(root / "huge.txt", "wb") as fh:  # sparse: 2 GB on paper, nothing on disk
        fh.truncate(2 * 1024**3)
    hashed: list[str] = []
    real = run_module.file_sha256

    def spy(path: str) -> str | None:
        hashed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(run_module, "file_sha256", spy)
    llmprep.run(root, out=tmp_path / "out", workers=1, redact=False, limits_max_file_mb=1)
    manifest = {r["rel_path"]: r for r in rows(tmp_path / "out" / "manifest.jsonl")}
    big = manifest["huge.txt"]
    assert (big["status"], big["error_code"], big["size"]) == (
        "failed",
        "file.too_large",
        2 * 1024**3,
    )
    assert hashed == ["small.md"]


# -- workers that lose their parent, files that change -----------------------------------------


def _wait_for(predicate: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def _in_progress(out: Path) -> bool:
    """A worker has started a file: its shard is being written under a temporary name."""
    shards = out / ".llmprep" / "shards"
    return shards.is_dir() and any(shards.glob(".*.jsonl.*.tmp"))


def _workers_of(out: Path) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes()
            env = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"llmprep.runners.worker" in cmd and f"LLMPREP_WORKER_OUT={out}\0".encode() in env:
            pids.append(int(proc.name))
    return pids


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "llmprep.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )


def test_killing_the_parent_alone_caches_no_half_read_file(
    tmp_path: Path, plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "mailbox.drip").write_text("x")  # 4 documents, 1.5 s apart
    out = tmp_path / "out"
    args = ["run", str(root), "--out", str(out), "--workers", "1", "--no-redact"]
    parent = _start(args, plugins)
    _wait_for(lambda: _in_progress(out))
    os.kill(parent.pid, signal.SIGKILL)  # the parent only: its worker is orphaned mid-file
    parent.wait()
    _wait_for(lambda: not _workers_of(out), seconds=30)
    assert not list((out / ".llmprep" / "shards").glob("*.row.json"))
    rerun = llmprep(*args, env=plugins)
    assert rerun.returncode == 0 and "1 processed" in rerun.stderr, rerun.stderr[-2000:]
    [row] = rows(out / "manifest.jsonl")
    assert (row["status"], row["documents"]) == ("ok", 4)


def test_a_file_edited_during_the_run_is_not_cached_under_its_old_hash(
    tmp_path: Path, plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a-mailbox.drip").write_text("x")  # first in line: 6 s of work
    edited = note(root / "b-note.md", "The original wording mentions tangerines.")
    original = edited.read_bytes()
    out = tmp_path / "out"
    args = ["run", str(root), "--out", str(out), "--workers", "1", "--no-redact"]
    run = _start(args, plugins)
    _wait_for(lambda: _in_progress(out))  # hashed already; not read yet
    note(edited, "An edited wording mentions pomegranates.")
    run.wait(timeout=300)
    manifest = {r["rel_path"]: r for r in rows(out / "manifest.jsonl")}
    assert (manifest["b-note.md"]["status"], manifest["b-note.md"]["error_code"]) == (
        "failed",
        "file.changed",
    )
    edited.write_bytes(original)  # reverted: the old hash again
    llmprep(*args, env=plugins)
    texts = " ".join(r["text"] for r in rows(out / "records.jsonl"))
    assert "tangerines" in texts and "pomegranates" not in texts


# -- reruns -----------------------------------------------------------------------------------------


def test_a_timed_out_file_is_retried_on_the_next_run_and_named_with_the_flag(
    tmp_path: Path, plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "mailbox.drip").write_text("x")  # 1.5 s per document
    note(root / "note.md", "A short note.")
    out = tmp_path / "out"
    base = ["run", str(root), "--out", str(out), "--workers", "1", "--no-redact"]
    first = llmprep(*base, "--timeout", "1", env=plugins)
    assert first.returncode == 1
    # It had 1 s (and 30 s per MB of its one byte): twice as long is --timeout 2.
    assert "timed out: mailbox.drip (after up to 1 s); rerun with --timeout 2 " in first.stderr
    second = llmprep(*base, "--timeout", "5", env=plugins)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "1 processed (1 retried), 1 unchanged" in second.stderr
    row = next(r for r in rows(out / "manifest.jsonl") if r["rel_path"] == "mailbox.drip")
    assert (row["status"], row["documents"]) == ("ok", 4)


def test_a_file_whose_worker_crashed_is_retried_on_the_next_run(
    tmp_path: Path, plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "odd.abort").write_text("x")
    note(root / "note.md", "A short note.")
    out = tmp_path / "out"
    base = ["run", str(root), "--out", str(out), "--workers", "1", "--no-redact"]
    first = llmprep(*base, env={**plugins, "LLMPREP_TEST_ABORT": "1"})
    assert first.returncode == 1
    row = next(r for r in rows(out / "manifest.jsonl") if r["rel_path"] == "odd.abort")
    assert (row["status"], row["error_code"]) == ("failed", "worker.crashed")
    second = llmprep(*base, env=plugins)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "1 processed (1 retried), 1 unchanged" in second.stderr
    row = next(r for r in rows(out / "manifest.jsonl") if r["rel_path"] == "odd.abort")
    assert (row["status"], row["error_code"]) == ("ok", None)


def test_a_worker_that_aborts_under_a_memory_limit_ends_as_worker_out_of_memory(
    tmp_path: Path, plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "odd.abort").write_text("x")
    out = tmp_path / "out"
    args = ["run", str(root), "--out", str(out), "--no-redact", "--max-memory", "700"]
    proc = llmprep(*args, env={**plugins, "LLMPREP_TEST_ABORT": "1"})
    [row] = rows(out / "manifest.jsonl")
    assert (row["status"], row["error_code"]) == ("failed", "worker.out_of_memory"), row
    assert proc.returncode == 1


def test_the_timeout_grows_with_the_file_size() -> None:
    from llmprep.config import Config

    run = Config().run
    assert run.timeout_for(0) == run.timeout == 120
    # Redaction with NER reads a text-dense page at about 15 CPU-seconds per MB here: 30 s per
    # MB leaves room for a busy machine (10 s per MB timed out an 11 MB page after 227 s).
    assert run.timeout_for(int(3.2 * 1024 * 1024)) == pytest.approx(216)  # a long novel
    assert Config().with_overrides(**{"run.timeout_per_mb": 0}).run.timeout_for(10**9) == 120


def test_hash_without_a_key_reprocesses_every_file_so_a_value_has_one_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import llmprep

    monkeypatch.delenv("LLMPREP_PII_KEY", raising=False)
    root = tmp_path / "docs"
    note(root / "a.md", "Write to ada.vale@example.org about the invoice.")
    out = tmp_path / "out"
    options = {"pii.ner_model": "none", "pii.default_operator": "hash", "workers": 1}
    llmprep.run(root, out=out, **options)
    note(root / "b.md", "Ada at ada.vale@example.org asked again about the invoice.")
    summary = llmprep.run(root, out=out, **options)
    assert summary.processed == 2 and any("LLMPREP_PII_KEY" in n for n in summary.notes)
    hashes = {
        h for r in rows(out / "records.jsonl") for h in re.findall(r"[0-9a-f]{64}", r["text"])
    }
    assert len(hashes) == 1


# -- configs found beside the inputs ----------------------------------------------------------


def test_a_config_in_the_input_folder_that_turns_redaction_off_is_named(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    note(root / "a.md", "Call Anna at anna.berg@example.org.")
    (root / "llmprep.toml").write_text('redact = false\n[pii]\noperators = {PERSON = "keep"}\n')
    out = tmp_path / "out"
    proc = llmprep("run", str(root), "--out", str(out))
    assert "llmprep.toml" in proc.stderr and "weakens redaction: redact = false" in proc.stderr
    report = json.loads((out / "report.json").read_text())
    assert any("redact = false" in n and "llmprep.toml" in n for n in report["notes"])
    assert "weakens redaction" in (out / "report.html").read_text()


def test_a_config_given_with_config_or_a_no_redact_flag_is_not_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    note(root / "a.md", "A note.")
    cfg = tmp_path / "chosen.toml"
    cfg.write_text("redact = false\n")
    proc = llmprep("run", str(root), "--out", str(tmp_path / "o1"), "--config", str(cfg))
    assert "weakens redaction" not in proc.stderr
    proc = llmprep("run", str(root), "--out", str(tmp_path / "o2"), "--no-redact")
    assert "weakens redaction" not in proc.stderr
