"""The README's claims, executed: its Python examples, its command lines, its TOML and its
pre-commit snippet. An example that stops working fails here instead of misleading a user."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def blocks(lang: str, marker: str | None = None) -> list[str]:
    """Fenced code blocks of `lang` (only those right after `<!-- marker -->` when given)."""
    pattern = r"```" + re.escape(lang) + r"\n(.*?)```"
    if marker is not None:
        pattern = r"<!-- " + re.escape(marker) + r" -->\n" + pattern
    return re.findall(pattern, README, flags=re.S)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder where `fixtures/` is this repository's, so examples write nothing into it."""
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    return tmp_path


def test_the_readme_has_python_examples_and_a_command_block() -> None:
    assert len(blocks("python")) >= 2
    assert len(blocks("bash", "readme-test: run")) == 1


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_every_python_example_runs(workdir: Path, index: int) -> None:
    code = blocks("python")[index]
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=900,
        env={
            "PATH": f"{BIN}:/usr/bin:/bin",
            "HAYSTACK_TELEMETRY_ENABLED": "False",
            "HOME": str(workdir),
        },
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


def _command_lines() -> list[tuple[str, int]]:
    """Each command of the tested bash block, with the exit code its comment announces (0)."""
    lines = []
    for line in blocks("bash", "readme-test: run")[0].splitlines():
        if not line.strip():
            continue
        command, _, comment = line.partition("#")
        expected = re.match(r"\s*exit (\d+)", comment)
        lines.append((command.strip(), int(expected.group(1)) if expected else 0))
    return lines


def test_the_command_examples_exit_as_their_comments_say(workdir: Path) -> None:
    for command, expected in _command_lines():
        proc = subprocess.run(
            command,
            shell=True,
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=900,
            env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(workdir)},
        )
        assert proc.returncode == expected, f"{command}: {proc.stderr[-2000:]}"
    assert (workdir / "out-parquet" / "records.parquet").is_file()


def test_every_subcommand_is_in_the_command_synopsis() -> None:
    from llmprep.cli import main

    synopsis = README[README.index("## Command line") :]
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"llmprep {name}" in synopsis, name


def test_every_run_option_is_in_the_synopsis() -> None:
    from llmprep.cli import main

    synopsis = README[README.index("## Command line") :]
    for param in main.commands["run"].params:  # type: ignore[attr-defined]
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in synopsis, opt


def test_every_toml_example_is_a_valid_configuration() -> None:
    from llmprep.config import Config

    examples = [tomllib.loads(b) for b in blocks("toml")]
    configs = [e for e in examples if "project" not in e]  # the plugin example is a pyproject
    assert configs
    for data in configs:
        Config.from_mapping(data)
    assert any("tokenizer" in d.get("chunk", {}) for d in configs)


def test_the_extras_table_names_every_extra_of_the_package() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = set(data["project"]["optional-dependencies"]) - {"dev"}
    table = README[README.index("## Extras") : README.index("## Plugins")]
    for extra in extras:
        assert f"| `{extra}` |" in table, extra


def test_the_pre_commit_snippet_pins_a_commit_that_exists_and_validates(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    (snippet,) = [b for b in blocks("yaml") if "llmprep-check" in b]
    # What the README tells the user to fill in: the clone's path and its commit.
    text = snippet.replace("/path/to/llmprep", str(ROOT))
    text = re.sub(r"rev: [0-9a-f]{40}", f"rev: {head.stdout.strip()}", text)
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(text)
    proc = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(config)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (repo,) = yaml.safe_load(text)["repos"]
    # pre-commit fetches `rev` from `repo` and reads the hooks from that commit.
    manifest = subprocess.run(
        ["git", "show", f"{repo['rev']}:.pre-commit-hooks.yaml"],
        cwd=repo["repo"],
        capture_output=True,
        text=True,
    )
    assert manifest.returncode == 0, manifest.stderr
    ids = {hook["id"] for hook in yaml.safe_load(manifest.stdout)}
    assert {hook["id"] for hook in repo["hooks"]} <= ids
