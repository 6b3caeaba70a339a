"""The run-wide half on Ray Data: duplicates, policy and output parts computed by workers.

After the per-file map, the driver only plans blocks (runs of consecutive files, see
`pipeline.blocks`), schedules these Ray Data operations and merges the parts' small summaries:

1. per block: read its shards into a dedup table (kept in `.llmprep/dedup/`, reused while the
   block's files are unchanged);
2. per block: one row per exact key (chunk digest, document token-stream digest) and per LSH
   band of every chunk and document, with a partition number made from the key;
   `groupby("part")` puts every key's rows in one partition;
3. per partition: duplicate decisions inside each key group (`stages.dedup.groups`: the same
   original the sequential pass picks), routed to the block of the duplicate;
4. `groupby("block")` of decisions plus one row per block; per block: its part written by a
   worker (`pipeline.parts`), unless it is up to date;
5. driver: `manifest.jsonl` concatenated and the report merged from the parts' sidecars in
   block order, streaming; `parts.json` lists the parts.

The driver holds the block plan (a few dozen bytes per block, plus the job list every runner
has), never a record, a fingerprint or a decision. The per-block steps run as a few Ray Data
tasks per CPU of the cluster, not one per block: Ray Data keeps per-task bookkeeping on the
driver.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..config import Config
from ..pipeline import blockwise
from ..pipeline.run import RunSummary
from ..pipeline.task import Job
from ..report import ReportBuilder

log = logging.getLogger(__name__)


def assemble(
    ray: Any, keyed: list[Job], out: Path, config: Config, deleted: list[str], cpus: int
) -> tuple[RunSummary, ReportBuilder]:
    """Rebuild the output parts of `keyed` (shards written) in `out`; see the module doc."""
    started = time.perf_counter()
    fmt = config.output.format  # parts are written in the run's output format
    blocks = blockwise.plan_blocks(keyed, config.run.part_files)
    # Key groups are spread over this many partitions (one `decide` call each).
    partitions = max(2 * cpus, min(len(blocks), 8 * cpus))
    index = blockwise.Index.of(out, blocks, config, partitions, fmt)
    if not blocks:  # no input file: nothing for the cluster to do
        return blockwise.finish_parts(out, blocks, 0, deleted, config, fmt)
    data = ray.data
    with _hash_shuffle(data):  # before any dataset is made: each keeps the context it saw
        # A few Ray Data blocks per CPU, each holding several of the run's blocks (the key-rows
        # step still takes one run block per call). Ray Data's bookkeeping on the driver is per
        # task: with one task per run block, the driver grew by about 50 KB and 14 ms of CPU
        # per block (111 blocks of one file each against 8 tasks, same run).
        to_write = data.from_items(
            [blockwise.block_row(b) for b in blocks],
            override_num_blocks=min(len(blocks), TASKS_PER_CPU * cpus),
        )
        if blockwise.dedup_enabled(config):
            # Each key-rows call stores its block's table first. Decisions may read any
            # block's table: they start once the shuffle has every key row, so every table.
            keys = to_write.map_batches(_key_rows, fn_kwargs={"index": index}, **_ONE_BLOCK)
            decisions = keys.groupby("part", num_partitions=partitions).map_groups(
                _decide, fn_kwargs={"index": index}, **_GROUP
            )
            to_write = decisions.union(to_write)
        results = to_write.groupby("block", num_partitions=partitions).map_groups(
            _write, fn_kwargs={"index": index}, **_GROUP
        )
    written = sum(int(row["written"]) for row in results.iter_rows())
    log.debug("ray assembly: %d of %d parts written, %.1fs", written, len(blocks), _since(started))
    if log.isEnabledFor(logging.DEBUG - 1):
        log.log(logging.DEBUG - 1, "%s", results.stats())
    summary, report = blockwise.finish_parts(out, blocks, len(keyed), deleted, config, fmt)
    blockwise.prune_tables(out, set(index.table_keys))
    log.debug("ray assembly: finished in %.1fs", _since(started))
    return summary, report


TASKS_PER_CPU = 4  # per-block steps: tasks per CPU of the cluster, whatever the run's size
_ONE_BLOCK = {"batch_size": 1, "batch_format": "pyarrow", "num_cpus": 1}
_GROUP = {"batch_format": "pyarrow", "num_cpus": 1}


@contextmanager
def _hash_shuffle(data: Any) -> Iterator[None]:
    """Group with Ray Data's hash shuffle: map tasks hand their pieces to aggregator actors,
    so no shuffled row passes through the driver. (With the sort-based shuffle every task
    output under Ray's inline limit, 100 KB, is returned into the driver's memory: the pieces
    of a large run would fill it.)"""
    from ray.data.context import ShuffleStrategy

    ctx = data.DataContext.get_current()
    saved = ctx.shuffle_strategy, ctx.hash_shuffle_operator_actor_num_cpus_override
    ctx.shuffle_strategy = ShuffleStrategy.HASH_SHUFFLE
    # Aggregators only receive and concatenate pieces; by default each reserves a fraction of
    # a CPU for as long as the dataset runs, and on a one-CPU cluster the one-CPU tasks of
    # this phase then never got scheduled. They reserve none.
    ctx.hash_shuffle_operator_actor_num_cpus_override = 0.0
    try:
        yield
    finally:
        ctx.shuffle_strategy, ctx.hash_shuffle_operator_actor_num_cpus_override = saved


def _since(started: float) -> float:
    return time.perf_counter() - started


def _key_rows(batch: Any, index: blockwise.Index) -> Any:
    import pyarrow as pa

    tables = [blockwise.key_rows(desc, index) for desc in batch.column("desc").to_pylist()]
    return pa.concat_tables(tables)


def _decide(batch: Any, index: blockwise.Index) -> Any:
    return blockwise.decide(batch, index)


def _write(batch: Any, index: blockwise.Index) -> Any:
    import pyarrow as pa

    done = blockwise.write(batch, index)
    return pa.table(
        {
            "name": pa.array([n for n, _ in done], type=pa.string()),
            "written": pa.array([w for _, w in done], type=pa.bool_()),
        }
    )
