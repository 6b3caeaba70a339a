"""`llmprep run` on the sample knowledge base: one typed row per file, exit codes, stable ids."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from llmprep.config import Config
from llmprep.schema import json_schema

KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"


def _run(inputs: list[Path], out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "llmprep.cli",
            "run",
            *map(str, inputs),
            "--out",
            str(out),
            "--workers",
            "2",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def kb_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("out")
    return _run([KB], out), out


def test_every_fixture_file_gets_exactly_one_manifest_row(kb_run) -> None:  # type: ignore[no-untyped-def]
    _, out = kb_run
    rows = _rows(out / "manifest.jsonl")
    expected = sorted(p.relative_to(KB).as_posix() for p in KB.rglob("*") if p.is_file())
    assert sorted(r["rel_path"] for r in rows) == expected


def test_the_corrupt_pdf_fails_with_a_code_and_the_run_exits_1(kb_run) -> None:  # type: ignore[no-untyped-def]
    proc, out = kb_run
    rows = {r["rel_path"]: r for r in _rows(out / "manifest.jsonl")}
    broken = rows["scanned-contract.pdf"]
    assert broken["status"] == "failed" and broken["error_code"] == "pdf.corrupt"
    # The row still names the loader that tried and the format it read the file as.
    assert broken["loader"]["name"] == "pdf" and broken["media_type"] == "application/pdf"
    assert proc.returncode == 1
    assert all(r["status"] == "ok" for name, r in rows.items() if name != "scanned-contract.pdf"), (
        rows
    )


def test_outputs_and_report_are_written(kb_run) -> None:  # type: ignore[no-untyped-def]
    _, out = kb_run
    for name in ("records.jsonl", "rejected.jsonl", "manifest.jsonl", "report.json", "report.html"):
        assert (out / name).is_file(), name
    report = json.loads((out / "report.json").read_text())
    assert report["files"] == len(_rows(out / "manifest.jsonl"))
    assert report["by_status"]["failed"] == 1
    assert "unknown" not in report["by_format"]


def test_the_report_draws_token_buckets_in_order_and_fits_long_labels(kb_run) -> None:  # type: ignore[no-untyped-def]
    import re

    _, out = kb_run
    page = (out / "report.html").read_text()
    tokens = page.split("id=tokens>")[1].split("</section>")[0]
    labels = re.findall(r"text-anchor='end'>([^<]+)</text>", tokens)
    assert labels[:3] == ["0-31", "32-63", "64-127"] and labels[-1] == "2048+"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    formats = page.split("id=formats>")[1].split("</section>")[0]
    assert f"<title>{docx}</title>application/…" in formats
    assert "processingml.document</text>" in formats


def test_records_validate_against_the_published_schema(kb_run) -> None:  # type: ignore[no-untyped-def]
    _, out = kb_run
    records = _rows(out / "records.jsonl")
    assert records
    validator = jsonschema.Draft202012Validator(json_schema("record"))
    for record in records:
        validator.validate(record)
    manifest_validator = jsonschema.Draft202012Validator(json_schema("manifest"))
    for row in _rows(out / "manifest.jsonl"):
        manifest_validator.validate(row)


def test_the_exact_duplicate_file_is_marked_duplicate(kb_run) -> None:  # type: ignore[no-untyped-def]
    _, out = kb_run
    records = _rows(out / "records.jsonl") + _rows(out / "rejected.jsonl")
    copies = [r for r in records if r["source"]["path"] == "archive/handbook-copy.md"]
    originals = {r["id"] for r in records if r["source"]["path"] == "handbook.md"}
    assert copies and all(r["duplicate_of"] in originals for r in copies)


def test_ids_are_the_same_on_another_machine_and_path(tmp_path: Path, kb_run) -> None:  # type: ignore[no-untyped-def]
    _, first_out = kb_run
    elsewhere = tmp_path / "some" / "other" / "checkout" / "kb"
    shutil.copytree(KB, elsewhere)
    _run([elsewhere], tmp_path / "out2")
    ids = lambda out: sorted((r["id"], r["doc_id"]) for r in _rows(out / "records.jsonl"))  # noqa: E731
    assert ids(first_out) == ids(tmp_path / "out2")
    assert all("/tmp" not in r["id"] for r in _rows(first_out / "records.jsonl"))


def test_record_ids_are_unique_within_a_run(kb_run) -> None:  # type: ignore[no-untyped-def]
    _, out = kb_run
    ids = [r["id"] for r in _rows(out / "records.jsonl") + _rows(out / "rejected.jsonl")]
    assert len(ids) == len(set(ids))


def test_a_folder_of_good_files_exits_0(tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(KB / "handbook.md", good)
    shutil.copy(KB / "maintenance-notes.txt", good)
    proc = _run([good], tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "2 ok" in proc.stderr


def test_hidden_and_vcs_folders_and_the_output_folder_are_skipped(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / ".cache").mkdir()
    (root / ".cache" / "x.md").write_text("cached\n")
    (root / "a.md").write_text("# A\n\nhello\n")
    out = root / "out"
    _run([root], out)
    _run([root], out)  # second run must not pick up its own outputs
    assert [r["rel_path"] for r in _rows(out / "manifest.jsonl")] == ["a.md"]


def test_a_file_over_the_timeout_gets_a_timeout_row_and_the_run_goes_on(tmp_path: Path) -> None:
    """A plugin-free way to make a file slow: a huge text with a tiny timeout."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "big.txt").write_text(("word " * 200 + "\n\n") * 20000)
    (root / "small.md").write_text("# Small\n\nfine\n")
    flat = tmp_path / "flat.toml"  # no extra seconds per MB: the 20 MB file gets 0.5 s
    flat.write_text("[run]\ntimeout_per_mb = 0\n")
    proc = _run([root], tmp_path / "out", "--timeout", "0.5", "--no-redact", "--config", str(flat))
    rows = {r["rel_path"]: r for r in _rows(tmp_path / "out" / "manifest.jsonl")}
    assert (
        rows["big.txt"]["status"] == "timeout" and rows["big.txt"]["error_code"] == "file.timeout"
    )
    assert rows["small.md"]["status"] == "ok"
    assert proc.returncode == 1


def test_hash_without_a_key_is_the_same_in_every_worker_of_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's random key reaches every worker process, so one value hashes alike in every
    document, and the key itself is written nowhere."""
    import llmprep
    from llmprep.pii.operators import RUN_KEY_ENV, run_key_hex
    from llmprep.runners.local import WorkerPool

    monkeypatch.delenv("LLMPREP_PII_KEY", raising=False)
    monkeypatch.delenv(RUN_KEY_ENV, raising=False)
    src = tmp_path / "src"
    src.mkdir()
    for n in range(6):
        (src / f"note{n}.txt").write_text(f"Note {n}. Write to ada.vale@example.org today.\n")
    out = tmp_path / "out"
    options = {"pii.ner_model": "none", "pii.default_operator": "hash"}
    llmprep.run(src, out=out, workers=2, **options)
    records = _rows(out / "records.jsonl")
    hashes = {r["text"].split("Write to ")[1].split()[0] for r in records}
    # Workers hash with the key of the process that started them: the value this process makes.
    here = llmprep.redact("ada.vale@example.org", **options).text
    assert len(records) == 6 and hashes == {here}
    assert all(r["metadata"]["pii_hash_key"] == "ephemeral" for r in records)
    # A pool's workers get the key of the process that starts them (a Ray actor passes its
    # driver's key on), and a worker reads it back as its own.
    assert WorkerPool(Config(), out, 1).env[RUN_KEY_ENV] == run_key_hex()
    assert WorkerPool(Config(), out, 1, run_key="ab" * 32).env[RUN_KEY_ENV] == "ab" * 32
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from llmprep.pii.operators import run_key_hex; print(run_key_hex())",
        ],
        env={**os.environ, RUN_KEY_ENV: "cd" * 32},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "cd" * 32
    written = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert run_key_hex().encode() not in written


def test_the_fixtures_are_what_their_generator_writes(tmp_path: Path) -> None:
    """fixtures/kb comes from fixtures/make_fixtures.py, byte for byte, on every run."""
    script = KB.parent / "make_fixtures.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    made = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in tmp_path.rglob("*")
        if p.is_file()
    }
    kept = {p.relative_to(KB).as_posix(): p.read_bytes() for p in KB.rglob("*") if p.is_file()}
    assert made.keys() == kept.keys()
    assert [name for name in made if made[name] != kept[name]] == []
