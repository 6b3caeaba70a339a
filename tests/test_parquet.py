"""Parquet output: the same rows as JSON Lines, read back by pyarrow, DuckDB and `datasets`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import llmprep
from llmprep.models import SCHEMA_VERSION

pq = pytest.importorskip("pyarrow.parquet")
KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"


def _junk_lines() -> str:
    """Symbols and digits without a letter: blocked, so the run has rejected rows too."""
    rng = random.Random(7)
    alphabet = "0123456789+-*/=<>()[]%$#@!?.,;:|~^&"
    return "\n".join(
        " ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(12))
        for _ in range(40)
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("inputs")
    for path in KB.iterdir():
        if path.is_file():
            (root / path.name).write_bytes(path.read_bytes())
    (root / "export.txt").write_text(_junk_lines())
    return root


@pytest.fixture(scope="module")
def runs(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    jsonl = tmp_path_factory.mktemp("jsonl")
    parquet = tmp_path_factory.mktemp("parquet")
    llmprep.run([inputs], out=jsonl, workers=2)
    llmprep.run([inputs], out=parquet, workers=2, **{"output.format": "parquet"})
    return jsonl, parquet


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_a_parquet_run_writes_parquet_records_and_json_manifest_and_report(
    runs: tuple[Path, Path],
) -> None:
    _, parquet = runs
    names = sorted(p.name for p in parquet.iterdir() if p.is_file())
    assert names == [
        "manifest.jsonl",
        "records.parquet",
        "rejected.parquet",
        "report.html",
        "report.json",
    ]


@pytest.mark.parametrize("name", ["records", "rejected"])
def test_parquet_rows_read_back_equal_the_jsonl_rows(runs: tuple[Path, Path], name: str) -> None:
    from llmprep.parquet import read_rows

    jsonl, parquet = runs
    expected = _jsonl(jsonl / f"{name}.jsonl")
    assert expected, f"the run has no {name} rows to compare"
    assert list(read_rows(parquet / f"{name}.parquet")) == expected


def test_the_file_metadata_names_the_schema_version_and_kind(runs: tuple[Path, Path]) -> None:
    _, parquet = runs
    meta = pq.read_schema(parquet / "rejected.parquet").metadata
    assert meta[b"_schema"] == SCHEMA_VERSION.encode()
    assert meta[b"llmprep.kind"] == b"rejected"


def test_nested_fields_are_structs_and_lists_in_the_arrow_schema() -> None:
    import pyarrow as pa

    from llmprep.parquet import schema

    s = schema("record")
    assert pa.types.is_struct(s.field("source").type)
    assert s.field("source").type.field("loader").type == pa.struct(
        [("name", pa.string()), ("version", pa.string())]
    )
    assert s.field("pages").type == pa.list_(pa.int64())
    flag = s.field("flags").type.value_type
    assert [flag.field(i).name for i in range(flag.num_fields)] == [
        "code",
        "severity",
        "value",
        "threshold",
    ]
    assert "reasons" not in s.names and "reasons" in schema("rejected").names


def test_pyarrow_reads_the_records_with_their_nested_values(runs: tuple[Path, Path]) -> None:
    jsonl, parquet = runs
    table = pq.read_table(parquet / "records.parquet")
    expected = _jsonl(jsonl / "records.jsonl")
    assert table.num_rows == len(expected)
    assert table.column("id").to_pylist() == [r["id"] for r in expected]
    assert table.column("source").to_pylist()[0]["loader"] == expected[0]["source"]["loader"]


def test_duckdb_queries_the_records_and_their_pii_counts(runs: tuple[Path, Path]) -> None:
    duckdb = pytest.importorskip("duckdb")
    jsonl, parquet = runs
    expected = _jsonl(jsonl / "records.jsonl")
    rows = duckdb.sql(
        "select id, source.path, map_from_entries(pii.counts) as counts, text "
        f"from read_parquet('{parquet / 'records.parquet'}')"
    ).fetchall()
    assert [(r[0], r[1], dict(r[2]), r[3]) for r in rows] == [
        (r["id"], r["source"]["path"], r["pii"]["counts"], r["text"]) for r in expected
    ]


def test_datasets_loads_the_shards_with_the_same_rows(
    runs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    from llmprep.parquet import decode_row

    jsonl, parquet = runs
    ds = datasets.load_dataset(
        "parquet",
        data_files={"records": str(parquet / "records.parquet")},
        cache_dir=str(tmp_path / "hf"),
    )["records"]
    assert [decode_row(row) for row in ds] == _jsonl(jsonl / "records.jsonl")


def test_switching_format_replaces_the_other_formats_record_files(
    inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    llmprep.run([inputs], out=out, workers=1)
    first = llmprep.run([inputs], out=out, workers=1, **{"output.format": "parquet"})
    assert first.processed == 0  # the format is not part of the shard key: nothing reprocessed
    assert (out / "records.parquet").is_file() and not (out / "records.jsonl").exists()
    from llmprep.parquet import read_rows

    assert len(list(read_rows(out / "records.parquet"))) == first.records


def test_the_writer_writes_a_row_group_per_batch_of_rows(tmp_path: Path) -> None:
    from llmprep.parquet import ParquetWriter, read_rows

    res = llmprep.process(KB / "team.mbox")
    rows = [r.model_dump(mode="json") for r in res.records]
    assert len(rows) >= 3
    with ParquetWriter(tmp_path / "r.parquet", "record", row_group_rows=2) as writer:
        for row in rows:
            writer.write(row)
    assert pq.ParquetFile(tmp_path / "r.parquet").num_row_groups == -(-len(rows) // 2)
    assert list(read_rows(tmp_path / "r.parquet")) == rows


def test_a_writer_that_fails_leaves_no_file(tmp_path: Path) -> None:
    from llmprep.parquet import ParquetWriter

    with pytest.raises(RuntimeError), ParquetWriter(tmp_path / "r.parquet") as writer:
        writer.write(llmprep.process(KB / "handbook.md").records[0].model_dump(mode="json"))
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_the_cli_takes_format_parquet(inputs: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from llmprep.cli import main

    result = CliRunner().invoke(
        main,
        ["run", str(inputs / "handbook.md"), "--out", str(tmp_path), "--format", "parquet", "-q"],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "records.parquet").is_file()


def test_output_format_in_the_config_file_is_used(inputs: Path, tmp_path: Path) -> None:
    config = llmprep.Config.from_mapping({"output": {"format": "parquet"}})
    llmprep.run([inputs / "handbook.md"], out=tmp_path, config=config, workers=1)
    assert (tmp_path / "records.parquet").is_file()


def test_validate_checks_parquet_record_files_against_the_schema(runs: tuple[Path, Path]) -> None:
    from llmprep.validate import validate_files

    _, parquet = runs
    lines: list[str] = []
    code = validate_files(
        [str(parquet / "records.parquet"), str(parquet / "rejected.parquet")], echo=lines.append
    )
    assert code == 0, lines
    assert lines[-1].startswith("llmprep validate: 2 files,") and lines[-1].endswith("0 problems")
