"""`llmprep check` and the pre-commit hooks this repository provides."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "kari.nordmann@example.com"
PHONE = "+47 912 34 567"


def check(*files: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "check", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_check_reports_path_line_col_and_type_without_the_value(tmp_path: Path) -> None:
    doc = tmp_path / "contacts.md"
    doc.write_text(f"# Contacts\n\nWrite to {EMAIL} today.\nOr call {PHONE}.\n")
    proc = check(doc)
    assert proc.returncode == 1
    assert f"{doc}:3:10: EMAIL_ADDRESS" in proc.stdout
    assert f"{doc}:4:9: PHONE_NUMBER" in proc.stdout
    assert EMAIL not in proc.stdout + proc.stderr and "912 34 567" not in proc.stdout + proc.stderr


def test_a_clean_file_passes_with_a_summary_line(tmp_path: Path) -> None:
    doc = tmp_path / "clean.md"
    doc.write_text("# Release notes\n\nThe export button now remembers the last folder.\n")
    proc = check(doc)
    assert proc.returncode == 0
    assert proc.stdout.strip().splitlines()[-1] == "llmprep check: 1 files, 0 findings"


def test_an_inline_allow_marker_skips_its_line(tmp_path: Path) -> None:
    doc = tmp_path / "team.md"
    doc.write_text(f"Shared inbox: {EMAIL} <!-- llmprep: allow -->\n")
    assert check(doc).returncode == 0


def test_allow_list_and_excludes_come_from_llmprep_toml(tmp_path: Path) -> None:
    (tmp_path / "llmprep.toml").write_text(
        f'[check]\nallow = ["{EMAIL}"]\nexclude = ["drafts/*"]\n'
    )
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.md").write_text(f"call {PHONE}\n")
    (tmp_path / "team.md").write_text(f"Shared inbox: {EMAIL}\n")
    proc = check(Path("team.md"), Path("drafts/x.md"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "1 files, 0 findings" in proc.stdout


def test_block_entities_limits_what_blocks(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.llmprep.check]\nblock_entities = ["CREDIT_CARD"]\n'
    )
    (tmp_path / "a.md").write_text(f"mail {EMAIL}\n")
    assert check(Path("a.md"), cwd=tmp_path).returncode == 0


def test_validate_accepts_records_and_rejects_a_broken_row(tmp_path: Path) -> None:
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "llmprep.cli",
            "run",
            str(ROOT / "fixtures" / "kb" / "handbook.md"),
            "--out",
            str(out),
            "--no-redact",
        ],
        capture_output=True,
        check=False,
    )
    ok = subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "validate", str(out / "records.jsonl")],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout
    bad = tmp_path / "records.jsonl"
    bad.write_text(
        (out / "records.jsonl").read_text().replace('"chunk_index":0', '"chunk_index":"zero"', 1)
    )
    proc = subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "validate", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 1 and "chunk_index" in proc.stdout


def test_every_hook_id_is_documented_in_the_readme() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    readme = (ROOT / "README.md").read_text()
    assert hooks
    for hook in hooks:
        assert f"id: {hook['id']}" in readme, hook["id"]


# -- the real pre-commit ----------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=900
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge-base repo whose .pre-commit-config.yaml uses this checkout as the hook repo."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    repo = tmp_path_factory.mktemp("kb-repo")
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head.stdout.strip()}\n    hooks:\n      - id: llmprep-check\n"
    )
    (repo / "llmprep.toml").write_text('[check]\nallow = ["support@example.com"]\n')
    pre_commit = Path(sys.executable).parent / "pre-commit"
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "config")
    # pre-commit builds the hook's own environment from this checkout (pip install): the one
    # step in the suite that needs the package index. llmprep itself downloads nothing.
    install = subprocess.run(
        [str(pre_commit), "install", "--install-hooks"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")},
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return repo


def _commit(repo: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    (repo / name).write_text(text)
    _git(repo, "add", name)
    env_home = str(repo.parent / "pre-commit-home")
    return subprocess.run(
        ["git", "commit", "-qm", f"add {name}"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "PRE_COMMIT_HOME": env_home,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        },
    )


def test_pre_commit_blocks_a_markdown_file_with_an_email_and_a_phone(hook_repo: Path) -> None:
    proc = _commit(hook_repo, "escalation.md", f"# Escalation\n\nMail {EMAIL} or call {PHONE}.\n")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "escalation.md:3:" in output and "EMAIL_ADDRESS" in output and "PHONE_NUMBER" in output
    assert EMAIL not in output and "912 34 567" not in output
    _git(hook_repo, "reset", "-q", "HEAD", "escalation.md")


def test_pre_commit_lets_a_clean_file_through(hook_repo: Path) -> None:
    proc = _commit(hook_repo, "faq.md", "# FAQ\n\nExports run every night at two.\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_commit_lets_an_allow_listed_value_through(hook_repo: Path) -> None:
    proc = _commit(hook_repo, "contact.md", "# Contact\n\nWrite to support@example.com.\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
