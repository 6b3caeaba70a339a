"""Folder runs for real: incremental, resumable, isolated, reported."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, install_plugin

KB = FIXTURES / "kb"
ADVERSARIAL = FIXTURES / "plugin" / "llmprep_adversarial_loaders.py"
OUTPUTS = ("records.jsonl", "rejected.jsonl", "manifest.jsonl", "report.json", "report.html")


def llmprep(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "llmprep.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(KB, root)
    return root


@pytest.fixture
def adversarial_plugins(tmp_path: Path) -> dict[str, str]:
    site = install_plugin(
        tmp_path / "site",
        "adversarial-loaders",
        ADVERSARIAL,
        {
            "hang": "llmprep_adversarial_loaders:HangLoader",
            "balloon": "llmprep_adversarial_loaders:BalloonLoader",
            "pid": "llmprep_adversarial_loaders:PidLoader",
            "drip": "llmprep_adversarial_loaders:DripLoader",
        },
    )
    return {"PYTHONPATH": str(site)}


# -- incremental ---------------------------------------------------------------------------------


def test_a_rerun_over_unchanged_inputs_processes_nothing_and_changes_no_byte(
    kb_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    before = snapshot(out)
    second = llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    assert "0 processed" in second.stderr
    assert snapshot(out) == before


def test_a_changed_file_has_its_old_records_replaced(kb_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (kb_copy / "extra.md").write_text(
        "# Extra\n\nThe first version of this note mentions tangerines.\n"
    )
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    (kb_copy / "extra.md").write_text(
        "# Extra\n\nThe second version of this note mentions pomegranates.\n"
    )
    second = llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    assert "1 processed" in second.stderr
    texts = " ".join(
        r["text"] for r in rows(out / "records.jsonl") if r["source"]["path"] == "extra.md"
    )
    assert "pomegranates" in texts and "tangerines" not in texts


def test_a_deleted_file_loses_its_records_and_gets_a_tombstone(
    kb_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    (kb_copy / "maintenance-notes.txt").unlink()
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    assert not [
        r for r in rows(out / "records.jsonl") if r["source"]["path"] == "maintenance-notes.txt"
    ]
    tomb = [r for r in rows(out / "manifest.jsonl") if r["rel_path"] == "maintenance-notes.txt"]
    assert [(t["status"], t["error_code"]) for t in tomb] == [("deleted", "file.deleted")]
    assert json.loads((out / "report.json").read_text())["deleted"] == ["maintenance-notes.txt"]


def test_full_reprocesses_everything(kb_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    again = llmprep(
        "run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact", "--full"
    )
    assert f"{sum(1 for p in kb_copy.rglob('*') if p.is_file())} processed" in again.stderr


# -- resumable ------------------------------------------------------------------------------------


def test_kill_9_mid_run_then_rerun_gives_the_outputs_of_an_uninterrupted_run(
    tmp_path: Path,
) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    total = 150
    for i in range(total):
        body = "\n\n".join(
            f"Paragraph {j} of note {i} is about topic {(i * j) % 11}. " * 12 for j in range(30)
        )
        (root / f"note-{i:03d}.md").write_text(f"# Note {i}\n\n{body}\n")
    reference = tmp_path / "reference"
    llmprep("run", str(root), "--out", str(reference), "--workers", "2", "--no-redact")

    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "llmprep.cli",
        "run",
        str(root),
        "--out",
        str(out),
        "--workers",
        "2",
        "--no-redact",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    shards = out / ".llmprep" / "shards"
    deadline = time.monotonic() + 120
    while (
        time.monotonic() < deadline
        and len(list(shards.glob("*.row.json")) if shards.is_dir() else []) < 10
    ):
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its workers, mid-run
    proc.wait()
    finished = len(list(shards.glob("*.row.json")))
    assert 0 < finished < total, "the kill should land mid-run"

    rerun = llmprep("run", str(root), "--out", str(out), "--workers", "2", "--no-redact")
    assert rerun.returncode == 0
    for name in ("records.jsonl", "rejected.jsonl"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    strip = lambda rs: [{k: v for k, v in r.items() if k not in ("seconds", "path")} for r in rs]  # noqa: E731
    assert strip(rows(out / "manifest.jsonl")) == strip(rows(reference / "manifest.jsonl"))
    assert not list(out.glob(".*.tmp")) and not list(shards.glob(".*.tmp"))


# -- isolation --------------------------------------------------------------------------------------


def test_a_hanging_parser_costs_one_timeout_row(
    tmp_path: Path, adversarial_plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "stuck.hang").write_text("x")
    (root / "fine.md").write_text("# Fine\n\nok\n")
    proc = llmprep(
        "run",
        str(root),
        "--out",
        str(tmp_path / "out"),
        "--timeout",
        "3",
        "--workers",
        "1",
        "--no-redact",
        env=adversarial_plugins,
    )
    status = {
        r["rel_path"]: (r["status"], r["error_code"])
        for r in rows(tmp_path / "out" / "manifest.jsonl")
    }
    assert status == {"fine.md": ("ok", None), "stuck.hang": ("timeout", "file.timeout")}
    assert proc.returncode == 1


def test_a_slow_file_that_keeps_finishing_documents_is_not_a_timeout(
    tmp_path: Path, adversarial_plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "mailbox.drip").write_text("x")  # 4 documents, 1.5 s apart: 6 s in all
    proc = llmprep(
        "run",
        str(root),
        "--out",
        str(tmp_path / "out"),
        "--timeout",
        "3",
        "--workers",
        "1",
        "--no-redact",
        env=adversarial_plugins,
    )
    [row] = rows(tmp_path / "out" / "manifest.jsonl")
    assert (row["status"], row["documents"]) == ("ok", 4)
    assert proc.returncode == 0


def test_a_ballooning_parser_costs_one_failed_row(
    tmp_path: Path, adversarial_plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "huge.balloon").write_text("x")
    (root / "fine.md").write_text("# Fine\n\nok\n")
    proc = llmprep(
        "run",
        str(root),
        "--out",
        str(tmp_path / "out"),
        "--max-memory",
        "700",
        "--workers",
        "1",
        "--no-redact",
        env=adversarial_plugins,
    )
    status = {
        r["rel_path"]: (r["status"], r["error_code"])
        for r in rows(tmp_path / "out" / "manifest.jsonl")
    }
    assert status["fine.md"] == ("ok", None)
    assert status["huge.balloon"][0] == "failed" and "out_of_memory" in status["huge.balloon"][1]
    assert proc.returncode == 1


def test_workers_are_recycled_after_the_configured_number_of_files(
    tmp_path: Path, adversarial_plugins: dict[str, str]
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for i in range(6):
        (root / f"probe-{i}.pid").write_text(str(i))
    cfg = tmp_path / "llmprep.toml"
    cfg.write_text("redact = false\n[run]\nrecycle_after = 2\nworkers = 1\n")
    llmprep(
        "run",
        str(root),
        "--out",
        str(tmp_path / "out"),
        "--config",
        str(cfg),
        env=adversarial_plugins,
    )
    pids = [r["metadata"]["title"] for r in rows(tmp_path / "out" / "records.jsonl")]
    assert len(pids) == 6
    assert len(set(pids)) == 3  # 6 files, 2 per worker


# -- adversarial folder -------------------------------------------------------------------------------


def _adversarial_folder(root: Path) -> list[str]:
    root.mkdir()
    pdf = (KB / "data-protection-policy.pdf").read_bytes()
    (root / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (root / "random.pdf").write_bytes(os.urandom(4096))
    (root / "random.docx").write_bytes(os.urandom(4096))
    with zipfile.ZipFile(root / "bomb.docx", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "word/document.xml", b"<w:document>" + b"\0" * (300 * 1024 * 1024) + b"</w:document>"
        )
    (root / "empty.txt").write_bytes(b"")
    (root / "one-line.txt").write_text("word " * (4 * 1024 * 1024))
    unreadable = root / "unreadable.md"
    unreadable.write_text("secret")
    unreadable.chmod(0)
    (root / "loop").symlink_to(root / "loop")
    (root / "dangling.md").symlink_to(root / "missing-target.md")
    (root / "name\nwith newline.md").write_text("# Odd name\n\nStill processed.\n")
    os.mkfifo(root / "pipe.md")  # opening it for reading would wait for a writer forever
    (root / "nested.html").write_text(
        "<html><body>" + "<div>" * 5000 + "deep text" + "</div>" * 5000 + "</body></html>"
    )
    return sorted(p.name for p in root.iterdir())


def test_an_adversarial_folder_runs_to_the_end_with_a_typed_row_for_every_file(
    tmp_path: Path,
) -> None:
    root = tmp_path / "bad"
    names = _adversarial_folder(root)
    started = time.monotonic()
    proc = llmprep(
        "run",
        str(root),
        "--out",
        str(tmp_path / "out"),
        "--timeout",
        "60",
        "--workers",
        "2",
        timeout=900,
    )
    elapsed = time.monotonic() - started
    assert (tmp_path / "out" / "manifest.jsonl").is_file(), proc.stderr[-3000:]
    manifest = rows(tmp_path / "out" / "manifest.jsonl")
    assert sorted(r["rel_path"] for r in manifest) == names
    typed = {"ok", "partial", "unsupported", "encrypted", "failed", "timeout"}
    assert all(r["status"] in typed for r in manifest)
    assert all(r["error_code"] for r in manifest if r["status"] != "ok")
    by_name = {r["rel_path"]: r for r in manifest}
    assert by_name["random.pdf"]["status"] == "failed"
    assert by_name["loop"]["status"] == "failed" and by_name["dangling.md"]["status"] == "failed"
    assert by_name["loop"]["error_code"] == "load.symlink_loop"
    assert (by_name["pipe.md"]["status"], by_name["pipe.md"]["error_code"]) == (
        "unsupported",
        "file.not_regular",
    )
    assert (by_name["empty.txt"]["status"], by_name["empty.txt"]["error_code"]) == (
        "failed",
        "file.empty",
    )
    assert proc.returncode == 1
    assert elapsed < 60 * len(names)


# -- report -------------------------------------------------------------------------------------------


def test_the_report_has_drift_against_the_previous_run(kb_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    first = json.loads((out / "report.json").read_text())
    assert first["drift"] is None
    for i in range(4):
        (kb_copy / f"deutsch-{i}.md").write_text(
            "# Hinweise\n\nDie Mitarbeiter lesen die Richtlinien sorgfältig und melden Fehler sofort an das Team.\n"
        )
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    report = json.loads((out / "report.json").read_text())
    changes = {c["metric"]: c for c in report["drift"]["changes"]}
    assert changes["language_share.de"]["current"] > changes["language_share.de"]["previous"]
    assert changes["language_share.de"]["notable"]
    html = (out / "report.html").read_text()
    assert "class='notable'" in html and "Drift against the previous run" in html


def test_the_report_carries_provenance(tmp_path: Path) -> None:
    out = tmp_path / "out"
    llmprep("run", str(KB / "handbook.md"), "--out", str(out), "--no-redact")
    prov = json.loads((out / "report.json").read_text())["provenance"]
    assert prov["llmprep_version"] and prov["config_hash"] and "pydantic" in prov["dependencies"]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_html_renders_in_headless_chromium_without_console_errors(
    kb_copy: Path, tmp_path: Path
) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian package `chromium`)")
    out = tmp_path / "out"
    llmprep("run", str(kb_copy), "--out", str(out), "--workers", "2", "--no-redact")
    shot = tmp_path / "report.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    url = (out / "report.html").as_uri()
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1200,2400", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.is_file() and shot.stat().st_size > 10_000
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    )
    for section in (
        "summary",
        "status",
        "formats",
        "languages",
        "pii",
        "tokens",
        "drift",
        "failures",
        "provenance",
    ):
        assert f'id="{section}"' in dom.stdout, section
    console_errors = [
        line for line in dom.stderr.splitlines() if "CONSOLE" in line and "ERROR" in line.upper()
    ]
    assert not console_errors


# -- inspect ------------------------------------------------------------------------------------------


def test_inspect_shows_elements_chunks_and_flags_readably(tmp_path: Path) -> None:
    proc = llmprep("inspect", str(KB / "handbook.md"))
    assert proc.returncode == 0
    assert "Escalation" in proc.stdout and "records" in proc.stdout and "tokens" in proc.stdout


# -- the worker pool ------------------------------------------------------------------------------


def _jobs(root: Path, names: list[str], config_hash: str) -> list:
    from llmprep.pipeline.inputs import InputFile
    from llmprep.pipeline.task import file_sha256, task_key

    jobs = []
    for name in names:
        path = root / name
        path.write_text(f"# {name}\n\nA short note about {name}.\n")
        item = InputFile(path=str(path), rel_path=name)
        sha = file_sha256(path)
        jobs.append((item, sha, task_key(item, sha, config_hash)))
    return jobs


def test_a_worker_pool_keeps_its_warm_worker_between_batches_and_recycles_it_when_told(
    tmp_path: Path,
) -> None:
    from llmprep.config import Config
    from llmprep.runners.local import WorkerPool

    root = tmp_path / "in"
    root.mkdir()
    for recycle_after, same_worker in ((100, True), (1, False)):
        config = Config().with_overrides(redact=False, **{"run.recycle_after": recycle_after})
        rows_seen: list[str] = []
        record = rows_seen.append
        with WorkerPool(config, tmp_path / f"out-{recycle_after}", size=1) as pool:
            pool.start()
            first = pool.workers[0].process.pid
            pool.process(
                _jobs(root, ["a.md", "b.md"], config.hash()),
                lambda item, row, record=record: record(row["status"]),
            )
            pool.process(
                _jobs(root, ["c.md"], config.hash()),
                lambda item, row, record=record: record(row["status"]),
            )
            last = pool.workers[0].process.pid
        assert rows_seen == ["ok", "ok", "ok"]
        assert (first == last) is same_worker
