"""Shared test fixtures. Sockets are disabled for every test (see pytest addopts)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("LLMPREP_CORPUS", ROOT.parent / "shared" / "corpus"))
FIXTURES = ROOT / "fixtures"

# Belt and braces on top of pytest-socket: libraries that would phone home must not try.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")  # Haystack pipelines report usage


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared development corpus; tests using it skip cleanly where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not found (../shared/corpus)")
    return CORPUS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def install_plugin(
    site: Path, dist_name: str, module_file: Path, entry_points: dict[str, str]
) -> Path:
    """Register a plugin module the way pip would (a dist-info with entry_points.txt) in `site`.

    Returns `site`; put it on sys.path or PYTHONPATH to activate the plugin.
    """
    dist = site / f"{dist_name.replace('-', '_')}-0.1.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: 0.1\n")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (dist / "entry_points.txt").write_text(f"[llmprep.loaders]\n{lines}")
    (site / module_file.name).write_text(module_file.read_text())
    return site
