"""The flag catalog and the error-code catalog agree with the source and with the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmprep.codes import ERROR_CODES, STAGE_FAILURES, STAGES, STATUSES
from llmprep.flags import CATALOG, make_flag

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {p: p.read_text(encoding="utf-8") for p in (ROOT / "src" / "llmprep").rglob("*.py")}


def _doc_codes(doc: str) -> set[str]:
    """Codes in the first column of the doc's tables (`a`, `b` .. `c` ranges expanded)."""
    codes: set[str] = set()
    for line in doc.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        names = re.findall(r"`([a-z0-9_.<>]+)`", first)
        if ".." in first and len(names) == 2:
            head, tail = (re.match(r"([a-z]+_)(\d+)(\w+)", n) for n in names)
            assert head and tail
            names = [f"{head[1]}{n}{head[3]}" for n in range(int(head[2]), int(tail[2]) + 1)]
        codes.update(names)
    return codes


# -- flags -------------------------------------------------------------------------------------


def test_every_flag_the_source_sets_is_in_the_catalog() -> None:
    made = {
        m[1]
        for text in SOURCES.values()
        for m in re.finditer(r"make_flag\(\s*\"([a-z0-9_]+)\"", text)
    }
    assert len(made) > 20  # the pattern still finds them
    assert sorted(made - set(CATALOG)) == []


def test_no_flag_is_built_around_the_catalog() -> None:
    bypass = [
        str(p.relative_to(ROOT))
        for p, text in SOURCES.items()
        if re.search(r"\bFlag\(\s*code=", text) and p.name not in ("flags.py", "models.py")
    ]
    assert bypass == []


def test_a_flag_code_missing_from_the_catalog_is_refused() -> None:
    with pytest.raises(KeyError, match=r"not in llmprep\.flags\.CATALOG"):
        make_flag("no_such_flag")


def test_a_catalogued_flag_gets_its_default_severity() -> None:
    assert make_flag("needs_ocr", 3).severity == CATALOG["needs_ocr"].severity == "warn"
    assert make_flag("needs_ocr", 3, severity="info").severity == "info"


def test_docs_quality_lists_exactly_the_catalogued_flags() -> None:
    documented = _doc_codes((ROOT / "docs" / "quality.md").read_text(encoding="utf-8"))
    families = re.compile(r"(top|dup)_\d+gram$")
    catalogued = {c for c in CATALOG if not families.match(c)}
    assert sorted(catalogued - documented) == []
    assert sorted(c for c in documented - set(CATALOG)) == []


# -- statuses and error codes ------------------------------------------------------------------


def test_every_error_code_the_source_raises_is_in_the_catalog() -> None:
    raised = re.compile(
        r"(?:Error|Document|Format|TooLarge|mark_partial|_fail)\(\s*(?:[\w.]+,\s*)*\"([a-z]+\.[a-z_]+)\""
        r"|code=\"([a-z]+\.[a-z_]+)\"|partial = \(\s*\"([a-z]+\.[a-z_]+)\""
    )
    codes = {
        next(g for g in m.groups() if g) for text in SOURCES.values() for m in raised.finditer(text)
    }
    assert len(codes) > 25  # the pattern still finds the codes
    assert sorted(codes - set(ERROR_CODES)) == []


def test_docs_errors_lists_exactly_the_catalogued_codes_and_statuses() -> None:
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    documented = _doc_codes(doc)
    per_stage = {f"{stage}.{kind}" for stage in STAGES for kind in STAGE_FAILURES}
    expected = (set(ERROR_CODES) - per_stage) | {f"<stage>.{kind}" for kind in STAGE_FAILURES}
    assert sorted(expected - documented - set(STATUSES) - {"deleted"}) == []
    assert sorted(documented - expected - set(STATUSES) - {"deleted"}) == []
    for stage in STAGES:
        assert f"`{stage}`" in doc


def test_every_status_is_documented_with_its_exit_code() -> None:
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for status in (*STATUSES, "deleted"):
        assert f"| `{status}` |" in doc
