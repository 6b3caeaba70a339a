"""Configuration: files, discovery, overrides, and errors that name the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from llmprep.config import Config, find_config_file
from llmprep.errors import ConfigError


def test_keyword_options_override_sections() -> None:
    cfg = Config().with_overrides(
        redact=False, chunk_max_tokens=256, **{"pdf.passwords": ["s3cret"]}
    )
    assert (cfg.redact, cfg.chunk.max_tokens, cfg.pdf.passwords) == (False, 256, ["s3cret"])


def test_unknown_option_names_the_key() -> None:
    with pytest.raises(ConfigError, match="chunk_max_tokenz"):
        Config().with_overrides(chunk_max_tokenz=3)


def test_bad_value_in_a_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "llmprep.toml"
    path.write_text('[chunk]\nmax_tokens = "many"\n')
    with pytest.raises(ConfigError, match=r"chunk\.max_tokens"):
        Config.from_file(path)


def test_unknown_key_in_a_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "llmprep.toml"
    path.write_text("[chunk]\nsize = 3\n")
    with pytest.raises(ConfigError, match=r"chunk\.size"):
        Config.from_file(path)


def test_nearest_pyproject_with_a_tool_table_is_found(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.llmprep.chunk]\nmax_tokens = 128\n")
    docs = tmp_path / "docs" / "deep"
    docs.mkdir(parents=True)
    assert find_config_file(docs) == tmp_path / "pyproject.toml"
    assert Config.discover(docs).chunk.max_tokens == 128


def test_a_pyproject_without_a_tool_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert Config.discover(tmp_path).chunk.max_tokens == Config().chunk.max_tokens


def test_config_hash_ignores_run_mechanics_but_not_outputs() -> None:
    base = Config()
    assert base.hash() == base.with_overrides(**{"run.workers": 7}).hash()
    assert base.hash() != base.with_overrides(chunk_max_tokens=100).hash()


def test_cli_exits_2_on_a_config_error_naming_the_key(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[pii]\noperatorz = 1\n")
    (tmp_path / "a.md").write_text("hello\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "llmprep.cli",
            "run",
            str(tmp_path / "a.md"),
            "--out",
            str(tmp_path / "out"),
            "--config",
            str(cfg),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "pii.operatorz" in proc.stderr
