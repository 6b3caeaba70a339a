"""The Ray run-wide phase: duplicates, policy and output parts made by workers, equal to a local
run, incremental and resumable. One private loopback two-CPU cluster serves the module.

The archive is `fixtures/make_dupes.py`'s (emails with planted exact and near copies), cut
into many small parts (`run.part_files`) so that decisions cross parts."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import llmprep

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fixtures"))
import make_dupes  # noqa: E402

OPTIONS: dict[str, Any] = {"redact": False, "run.part_files": 4, "run.workers": 2}


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    from llmprep.runners.ray import require_ray, start_local_cluster

    ray = require_ray()
    start_local_cluster(num_cpus=2)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("archive") / "mail"
    return root, make_dupes.make_archive(root, 600, per_mbox=20, seed=3, eml_every=3)


@pytest.fixture(scope="module")
def runs(
    ray_cluster: None,
    archive: tuple[Path, dict[str, int]],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path]:
    """The archive run once locally and once on Ray."""
    tmp = tmp_path_factory.mktemp("runs")
    root, _ = archive
    llmprep.run(root, out=tmp / "local", engine="local", **OPTIONS)
    llmprep.run(root, out=tmp / "ray", engine="ray", **OPTIONS)
    return tmp / "local", tmp / "ray"


def _rows(out: Path, rejected: bool = False) -> list[str]:
    return [json.dumps(r, sort_keys=True) for r in llmprep.read_records(out, rejected=rejected)]


def _manifest(out: Path) -> list[str]:
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    return [
        json.dumps({k: v for k, v in r.items() if k != "seconds"}, sort_keys=True) for r in rows
    ]


def _parts(out: Path) -> list[str]:
    return json.loads((out / "parts.json").read_text())["parts"]


def _stamps(out: Path) -> dict[str, int]:
    """Each part file and its modification time (ns): which parts a run rewrote."""
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns
        for kind in ("records", "rejected")
        for p in (out / kind).glob("part-*")
    }


def _copy_run(archive_root: Path, out: Path, tmp: Path) -> tuple[Path, Path]:
    shutil.copytree(archive_root, tmp / "mail")
    shutil.copytree(out, tmp / "out")
    return tmp / "mail", tmp / "out"


# -- equal to local ----------------------------------------------------------------------------


def test_ray_records_equal_local_records_row_for_row_in_input_order(
    runs: tuple[Path, Path],
) -> None:
    local, ray = runs
    assert len(_parts(ray)) > 5  # decisions had parts to cross
    assert _rows(ray) == _rows(local) and len(_rows(local)) == 600
    assert _rows(ray, rejected=True) == _rows(local, rejected=True)
    assert _manifest(ray) == _manifest(local)


def test_planted_duplicates_are_found_with_precision_and_recall_one_on_both_engines(
    runs: tuple[Path, Path], archive: tuple[Path, dict[str, int]]
) -> None:
    _, clusters = archive
    for out in runs:
        rows = [*llmprep.read_records(out), *llmprep.read_records(out, rejected=True)]
        precision, recall, expected = make_dupes.score(rows, clusters)
        assert expected == 120 and (precision, recall) == (1.0, 1.0), out.name


def test_the_ray_report_counts_what_the_local_report_counts(runs: tuple[Path, Path]) -> None:
    timing = {"seconds", "slowest_files", "provenance"}
    local, ray = (json.loads((out / "report.json").read_text()) for out in runs)
    assert {k: v for k, v in ray.items() if k not in timing} == {
        k: v for k, v in local.items() if k not in timing
    }
    assert local["duplicates"] > 100


def test_a_ray_run_writes_parts_in_input_order_and_no_single_record_file(
    runs: tuple[Path, Path],
) -> None:
    local, ray = runs
    names = _parts(ray)
    assert not (ray / "records.jsonl").exists() and not (ray / "rejected.jsonl").exists()
    assert sorted(p.name for p in (ray / "records").iterdir()) == sorted(
        f"part-{n}.jsonl" for n in names
    )
    joined = [
        line
        for n in names
        for line in (ray / "records" / f"part-{n}.jsonl").read_text().splitlines()
    ]
    assert joined == (local / "records.jsonl").read_text().splitlines()


def test_dev_corpus_ray_output_equals_local_output(
    ray_cluster: None, corpus: Path, tmp_path: Path
) -> None:
    options = {**OPTIONS, "run.part_files": 16}
    llmprep.run(corpus, out=tmp_path / "local", engine="local", **options)
    llmprep.run(corpus, out=tmp_path / "ray", engine="ray", **options)
    assert _rows(tmp_path / "ray") == _rows(tmp_path / "local")
    assert _rows(tmp_path / "ray", rejected=True) == _rows(tmp_path / "local", rejected=True)
    assert _manifest(tmp_path / "ray") == _manifest(tmp_path / "local")


# -- incremental --------------------------------------------------------------------------------


def _parts_of(out: Path) -> dict[str, str]:
    """rel_path of each input file -> the name of the part holding its records."""
    found: dict[str, str] = {}
    for name in _parts(out):
        for line in (out / "records" / f"part-{name}.jsonl").read_text().splitlines():
            found[json.loads(line)["source"]["path"]] = name
    return found


def test_a_ray_rerun_after_editing_a_file_without_copies_rewrites_only_its_part(
    runs: tuple[Path, Path], archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, clusters = archive
    sizes: dict[int, int] = {}
    for cluster in clusters.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    alone = next(
        k.split("#")[0] for k, c in clusters.items() if k.endswith(".eml#0") and sizes[c] == 1
    )
    mail, out = _copy_run(root, runs[1], tmp_path)
    part = _parts_of(out)[alone]
    before = _stamps(out)
    (mail / alone).write_text(
        "From: New Sender <new@example.com>\nSubject: Rewritten\n\nAn entirely new body.\n",
        encoding="utf-8",
    )
    summary = llmprep.run(mail, out=out, engine="ray", **OPTIONS)
    after = _stamps(out)
    assert summary.processed == 1
    assert {p for p in before if before[p] != after[p]} == {
        f"records/part-{part}.jsonl",
        f"rejected/part-{part}.jsonl",
    }


def test_a_ray_rerun_after_editing_an_original_rewrites_the_parts_of_its_copies_too(
    runs: tuple[Path, Path], archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, clusters = archive
    mail, out = _copy_run(root, runs[1], tmp_path)
    where = _parts_of(out)
    by_cluster: dict[int, list[str]] = {}
    for key, cluster in clusters.items():
        by_cluster.setdefault(cluster, []).append(key)

    def file(key: str) -> str:
        return key.split("#")[0]

    # an .eml original (first of its cluster in input order) whose one copy lies in another part
    order = {p: i for i, p in enumerate(where)}
    original, copy = next(
        (keys[0], keys[1])
        for keys in (
            sorted(k, key=lambda key: (order[file(key)], key))
            for k in by_cluster.values()
            if len(k) == 2
        )
        if keys[0].endswith(".eml#0") and where[file(keys[0])] != where[file(keys[1])]
    )
    before = _stamps(out)
    (mail / file(original)).write_text(
        "From: New Sender <new@example.com>\nSubject: Rewritten\n\nAn entirely new body.\n",
        encoding="utf-8",
    )
    llmprep.run(mail, out=out, engine="ray", **OPTIONS)
    after = _stamps(out)
    changed = {p.split("/")[1] for p in before if before[p] != after[p]}
    assert changed == {f"part-{where[file(original)]}.jsonl", f"part-{where[file(copy)]}.jsonl"}
    records = [r for r in llmprep.read_records(out) if make_dupes.document_key(r["source"]) == copy]
    assert records and all(r["duplicate_of"] is None for r in records)  # its original is gone


def test_a_ray_rerun_after_deleting_a_file_drops_its_rows_and_keeps_a_tombstone(
    runs: tuple[Path, Path], archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    mail, out = _copy_run(archive[0], runs[1], tmp_path)
    gone = next(p for p in sorted(mail.rglob("*.mbox")))
    rel = gone.relative_to(mail).as_posix()
    gone.unlink()
    summary = llmprep.run(mail, out=out, engine="ray", **OPTIONS)
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert summary.deleted == 1 and [r["status"] for r in rows if r["rel_path"] == rel] == [
        "deleted"
    ]
    assert all(r["source"]["path"] != rel for r in llmprep.read_records(out))


def test_a_ray_run_killed_with_sigkill_while_writing_parts_resumes_with_what_it_finished(
    runs: tuple[Path, Path], archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    import ray

    root, _ = archive
    out = tmp_path / "out"
    # The shards (the per-file work) are there: the run goes straight to its run-wide phase.
    shutil.copytree(runs[1] / ".llmprep" / "shards", out / ".llmprep" / "shards")
    sidecars = out / ".llmprep" / "parts"
    code = (
        "import sys, llmprep\n"
        "llmprep.run(sys.argv[1], out=sys.argv[2], engine='ray', redact=False,"
        " **{'run.part_files': 1, 'run.ray_address': sys.argv[3]})\n"
    )
    address = ray.get_runtime_context().gcs_address
    driver = subprocess.Popen([sys.executable, "-c", code, str(root), str(out), address])
    seen: set[str] = set()
    try:
        deadline = time.monotonic() + 600
        while driver.poll() is None and time.monotonic() < deadline:
            seen = {p.name for p in sidecars.glob("*.json")} if sidecars.is_dir() else set()
            if seen:
                os.kill(driver.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        driver.wait(timeout=60)
    assert driver.returncode == -signal.SIGKILL, "the driver finished before it could be killed"
    finished = {f"part-{name.removesuffix('.json')}.jsonl" for name in seen}
    stamps = {
        p.name: p.stat().st_mtime_ns for p in (out / "records").glob("part-*") if p.name in finished
    }
    llmprep.run(root, out=out, engine="ray", redact=False, **{"run.part_files": 1})
    assert _rows(out) == _rows(runs[0]) and _manifest(out) == _manifest(runs[0])
    assert len(_parts(out)) > len(finished) >= 1
    after = {
        p.name: p.stat().st_mtime_ns for p in (out / "records").glob("part-*") if p.name in finished
    }
    assert after == stamps  # what was finished before the kill was not written again


# -- layouts ------------------------------------------------------------------------------------


def test_a_local_run_in_a_ray_output_folder_writes_single_files_and_removes_the_parts(
    runs: tuple[Path, Path], archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, _ = archive
    out = tmp_path / "out"
    shutil.copytree(runs[1], out)
    summary = llmprep.run(root, out=out, engine="local", **OPTIONS)
    assert summary.processed == 0  # the shards were reused; only the layout changed
    assert (out / "records.jsonl").is_file() and not (out / "records").exists()
    assert not (out / "parts.json").exists()
    assert _rows(out) == _rows(runs[0])


def test_a_ray_run_in_a_local_output_folder_writes_parts_and_removes_the_single_files(
    runs: tuple[Path, Path], archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, _ = archive
    out = tmp_path / "out"
    shutil.copytree(runs[0], out)
    summary = llmprep.run(root, out=out, engine="ray", **OPTIONS)
    assert summary.processed == 0
    assert not (out / "records.jsonl").exists() and (out / "parts.json").is_file()
    assert _rows(out) == _rows(runs[0])


# -- output format --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parquet_run(
    runs: tuple[Path, Path],
    archive: tuple[Path, dict[str, int]],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Any]:
    """The Ray run's folder run again on Ray with Parquet output."""
    pytest.importorskip("pyarrow")
    root, _ = archive
    out = tmp_path_factory.mktemp("parquet") / "out"
    shutil.copytree(runs[1], out)
    summary = llmprep.run(root, out=out, engine="ray", **OPTIONS, **{"output.format": "parquet"})
    return out, summary


def test_a_ray_run_with_parquet_output_writes_parquet_parts_holding_the_local_rows(
    runs: tuple[Path, Path], parquet_run: tuple[Path, Any]
) -> None:
    out, summary = parquet_run
    assert summary.processed == 0  # the format is not in the config hash: shards reused
    assert json.loads((out / "parts.json").read_text())["format"] == "parquet"
    for kind in ("records", "rejected"):
        assert sorted(p.name for p in (out / kind).iterdir()) == sorted(
            f"part-{n}.parquet" for n in _parts(out)
        )
    assert _rows(out) == _rows(runs[0])
    assert _rows(out, rejected=True) == _rows(runs[0], rejected=True)
    assert _manifest(out) == _manifest(runs[0])


def test_a_ray_rerun_with_the_same_format_touches_no_part_and_a_format_switch_rewrites_them(
    runs: tuple[Path, Path],
    archive: tuple[Path, dict[str, int]],
    parquet_run: tuple[Path, Any],
    tmp_path: Path,
) -> None:
    root, _ = archive
    out = tmp_path / "out"
    shutil.copytree(parquet_run[0], out)
    before = _stamps(out)
    llmprep.run(root, out=out, engine="ray", **OPTIONS, **{"output.format": "parquet"})
    assert _stamps(out) == before
    llmprep.run(root, out=out, engine="ray", **OPTIONS)  # back to JSON Lines
    assert all(name.endswith(".jsonl") for name in _stamps(out))
    assert _rows(out) == _rows(runs[0])
