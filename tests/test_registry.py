"""Loader selection by extension and content, and third-party loaders from entry points."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from llmprep.config import Config
from llmprep.loaders import registry
from llmprep.loaders.base import SourceFile

PLUGIN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "plugin"


def _choose(tmp_path: Path, name: str, data: bytes) -> str | None:
    path = tmp_path / name
    path.write_bytes(data)
    loader = registry.get_registry().choose(SourceFile(path=path, rel_path=name, config=Config()))
    return loader.name if loader else None


def test_markdown_is_chosen_by_extension(tmp_path: Path) -> None:
    assert _choose(tmp_path, "a.md", b"# Title\n\ntext\n") == "text"


def test_binary_junk_without_extension_has_no_loader(tmp_path: Path) -> None:
    assert _choose(tmp_path, "blob", bytes(range(256))) is None


def test_utf16_text_with_bom_is_text(tmp_path: Path) -> None:
    assert _choose(tmp_path, "notes", "Hello there\n".encode("utf-16")) == "text"


def _install_plugin(site: Path) -> None:
    """Register the fixture plugin the way pip would: a dist-info with entry_points.txt."""
    dist = site / "llmprep_recipe_loader-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: llmprep-recipe-loader\nVersion: 0.1\n"
    )
    (dist / "entry_points.txt").write_text(
        "[llmprep.loaders]\nrecipe = llmprep_recipe_loader:RecipeLoader\n"
    )
    (site / "llmprep_recipe_loader.py").write_text(
        (PLUGIN_DIR / "llmprep_recipe_loader.py").read_text()
    )


@pytest.fixture
def plugin_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    _install_plugin(site)
    monkeypatch.syspath_prepend(str(site))
    registry.get_registry(refresh=True)
    yield site
    monkeypatch.undo()
    registry.get_registry(refresh=True)


def test_a_plugin_loader_registered_by_entry_point_is_used(
    plugin_site: Path, tmp_path: Path
) -> None:
    import llmprep

    recipe = tmp_path / "pancakes.recipe"
    recipe.write_text("RECIPE: Pancakes\n* 2 eggs\n* 250 ml milk\nWhisk and fry.\n")
    result = llmprep.process(recipe, redact=False)
    assert result.status == "ok"
    assert result.documents[0].source.loader.name == "recipe"
    assert result.documents[0].metadata.title == "Pancakes"
    assert "250 ml milk" in result.text


def test_llmprep_loaders_lists_the_plugin_with_its_formats(plugin_site: Path) -> None:
    env_path = f"{plugin_site}"
    out = subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "loaders"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("recipe"))
    assert "llmprep-recipe-loader" in line and ".recipe" in line


def test_a_broken_plugin_is_a_warning_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    dist = site / "broken_plugin-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[llmprep.loaders]\nbroken = no_such_module:Loader\n")
    monkeypatch.syspath_prepend(str(site))
    try:
        reg = registry.get_registry(refresh=True)
        assert any(b.origin == "broken-plugin" for b in reg.broken)
        assert any(ld.name == "text" for ld in reg.loaders)
    finally:
        monkeypatch.undo()
        registry.get_registry(refresh=True)
