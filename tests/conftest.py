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


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared development corpus; tests using it skip cleanly where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not found (../shared/corpus)")
    return CORPUS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
