"""The pieces of the Ray run-wide phase that need no cluster: block cuts, the blockwise steps
run in one process, partial reports, and `llmprep.read_records` on both layouts."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

import llmprep
from llmprep.config import Config
from llmprep.pipeline import blockwise
from llmprep.pipeline.blocks import FORCED_CUT, plan_blocks
from llmprep.pipeline.inputs import InputFile, discover
from llmprep.pipeline.run import execute_run
from llmprep.pipeline.task import Job, file_sha256, task_key
from llmprep.report import ReportBuilder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fixtures"))
import make_dupes  # noqa: E402


def _jobs(names: list[str]) -> list[Job]:
    return [(InputFile(path=n, rel_path=n), "0" * 64, f"k{n}") for n in names]


def test_adding_a_file_changes_only_the_block_it_falls_into() -> None:
    names = [f"docs/{i:05d}.md" for i in range(2000)]
    before = plan_blocks(_jobs(names), part_files=16)
    after = plan_blocks(_jobs(sorted([*names, "docs/01000a.md"])), part_files=16)
    changed = {b.name for b in after} ^ {b.name for b in before}
    assert len(before) > 50
    kept = {(b.name, b.rel_paths) for b in before} & {(b.name, b.rel_paths) for b in after}
    assert len(kept) >= len(before) - 2  # the block it joined, and the one it may cut
    assert len(changed) <= 2


def test_blocks_are_cut_at_the_latest_after_four_times_part_files_files() -> None:
    blocks = plan_blocks(_jobs([f"{i}" for i in range(5000)]), part_files=1000)
    assert max(len(b.keys) for b in blocks) <= FORCED_CUT * 1000
    assert [b.start for b in blocks] == sorted(b.start for b in blocks)
    assert sum(len(b.keys) for b in blocks) == 5000


class _InProcess:
    """The blockwise steps a Ray run schedules, run one after the other in this process."""

    layout = "parts"

    def run(self, jobs: object, on_row: object) -> None:
        raise AssertionError("the shards are made by a local run first")

    def session(self) -> object:
        from contextlib import nullcontext

        return nullcontext()

    def assemble(
        self, keyed: list[Job], out: Path, config: Config, deleted: list[str]
    ) -> tuple[object, object]:
        import pyarrow as pa

        blocks = blockwise.plan_blocks(keyed, config.run.part_files)
        index = blockwise.Index.of(out, blocks, config, partitions=1)
        descs = [blockwise.block_row(b)["desc"] for b in blocks]
        rows = pa.concat_tables([blockwise.key_rows(d, index) for d in descs])
        decisions = blockwise.decide(rows, index)
        block_rows = pa.Table.from_pylist([blockwise.block_row(b) for b in blocks]).cast(
            decisions.schema
        )
        blockwise.write(pa.concat_tables([decisions, block_rows]), index)
        return blockwise.finish_parts(out, blocks, len(keyed), deleted, config)


@pytest.fixture(scope="module")
def archive_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("parts")
    root = tmp / "mail"
    make_dupes.make_archive(root, 300, per_mbox=10, seed=5, eml_every=4)
    config = Config().with_overrides(redact=False, **{"run.workers": 2, "run.part_files": 3})
    llmprep.run(root, out=tmp / "local", config=config)
    shutil.copytree(tmp / "local" / ".llmprep" / "shards", tmp / "parts" / ".llmprep" / "shards")
    execute_run([root], tmp / "parts", config, runner=lambda c, o: _InProcess())  # type: ignore[arg-type,return-value]
    return root, tmp / "local", tmp / "parts"


def test_the_blockwise_steps_write_the_records_a_local_run_writes(
    archive_runs: tuple[Path, Path, Path],
) -> None:
    _, local, parts = archive_runs
    assert len(json.loads((parts / "parts.json").read_text())["parts"]) > 5
    assert list(llmprep.read_records(parts)) == list(llmprep.read_records(local))
    assert list(llmprep.read_records(parts, rejected=True)) == list(
        llmprep.read_records(local, rejected=True)
    )
    assert sum(1 for r in llmprep.read_records(local) if r["duplicate_of"]) > 30


def test_read_records_reads_a_single_file_layout_and_a_parts_layout_alike(
    archive_runs: tuple[Path, Path, Path],
) -> None:
    _, local, parts = archive_runs
    assert (local / "records.jsonl").is_file() and not (local / "parts.json").exists()
    assert not (parts / "records.jsonl").exists()
    single = [json.loads(line) for line in (local / "records.jsonl").read_text().splitlines()]
    assert list(llmprep.read_records(local)) == single == list(llmprep.read_records(parts))


def test_read_records_says_when_a_folder_holds_no_run_output(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no llmprep output"):
        next(llmprep.read_records(tmp_path))


def test_partial_reports_merge_into_the_report_of_the_whole_run(
    archive_runs: tuple[Path, Path, Path],
) -> None:
    _, local, parts = archive_runs
    # (the parts run reused the local run's shards: processed and reused differ, rightly)
    timing = {"seconds", "slowest_files", "provenance", "processed", "reused"}
    whole, merged = (json.loads((out / "report.json").read_text()) for out in (local, parts))
    assert {k: v for k, v in merged.items() if k not in timing} == {
        k: v for k, v in whole.items() if k not in timing
    }


def test_a_partial_report_keeps_the_first_failures_in_order_and_the_slowest_files() -> None:
    rows = [
        {"rel_path": f"f{i}", "status": "failed", "error_code": "x", "seconds": float(i % 17)}
        for i in range(1200)
    ]
    whole, merged = ReportBuilder("h"), ReportBuilder("h")
    for row in rows:
        whole.add_row(row)
    for start in range(0, 1200, 250):
        part = ReportBuilder("h")
        for row in rows[start : start + 250]:
            part.add_row(row)
        merged.merge(json.loads(json.dumps(part.to_state())))
    assert merged.build(1.0, 0, 0) == whole.build(1.0, 0, 0)


def test_shard_keys_do_not_depend_on_the_part_size(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\ntext\n")
    small, large = (Config().with_overrides(**{"run.part_files": n}).hash() for n in (1, 1000))
    item = discover([tmp_path])[0]
    sha = file_sha256(item.path)
    assert task_key(item, sha, small) == task_key(item, sha, large)
