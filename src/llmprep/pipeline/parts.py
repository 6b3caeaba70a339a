"""Output parts: one block's records written whole by one worker, and the run's files merged
from the parts' small summaries.

`write_part` (in a worker) resolves the block's duplicate decisions to record ids, marks the
records read back from the shards, applies severities and the policy, and writes
`records/part-<name>`, `rejected/part-<name>` and the block's manifest rows; then a sidecar
(`.llmprep/parts/<name>.json`) with a fingerprint of everything the part was made from and a
summary (counts and a partial report). A rerun whose fingerprint for the block is unchanged
leaves the part alone; the sidecar is removed before and written after the part files, so a
part with a sidecar is complete (a run killed half-way resumes with what it finished).

`finish_parts` (on the driver) streams the sidecars and manifest rows in block order: the
report is merged from the summaries, `manifest.jsonl` is a concatenation, and `parts.json`
lists the parts. Nothing there holds more than one block's rows at a time.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._version import __version__
from ..config import Config
from ..models import Record
from ..output import (
    PARTS_INDEX,
    PARTS_LAYOUT_VERSION,
    PARTS_STATE,
    RECORD_KINDS,
    STATE_DIR,
    ShardStore,
    atomic_writer,
    dumps,
    part_path,
)
from ..record_files import FORMATS, Format, record_file_names, row_writer
from ..report import ReportBuilder
from ..stages.dedup.groups import Columns, GroupSettings, best, empty_decisions, resolve
from ..stages.dedup.marks import ChunkMatch, DocMatch, apply_marks
from .assemble import Assembler
from .blocks import POS_SHIFT, Block
from .dedup_tables import BlockTables
from .run import RunSummary, tombstone

SINGLE_FILES = tuple(name for fmt in FORMATS for name in record_file_names(fmt))


def _state(out: Path) -> Path:
    return out / STATE_DIR / PARTS_STATE


def _sidecar(out: Path, name: str) -> Path:
    return _state(out) / f"{name}.json"


def _manifest_part(out: Path, name: str) -> Path:
    return _state(out) / f"{name}.manifest.jsonl"


# -- a worker: one part -----------------------------------------------------------------------


def write_part(
    block: Block,
    decisions: Columns | None,
    tables: BlockTables | None,
    out: Path,
    config: Config,
    fmt: Format = "jsonl",
) -> bool:
    """Write the block's part unless it is up to date; True when its records were written.

    Input files reached under another path (a moved input folder) change the manifest rows
    only: then only the block's manifest rows are written again."""
    chunk_matches, doc_matches = _matches(block, decisions, tables, config)
    records_print = _fingerprint(block, chunk_matches, doc_matches, config, fmt)
    manifest_print = _manifest_fingerprint(block, records_print)
    sidecar = _sidecar(out, block.name)
    found = _read_sidecar(sidecar)
    if found.get("records") == records_print and _parts_exist(out, block.name, fmt):
        if found.get("manifest") != manifest_print:
            sidecar.unlink()
            _write_manifest(block, found["counts"], out)
            _write_sidecar(sidecar, {**found, "manifest": manifest_print})
        return False
    sidecar.unlink(missing_ok=True)
    summary, counts = _write(block, chunk_matches, doc_matches, out, config, fmt)
    _write_manifest(block, counts, out)
    _write_sidecar(
        sidecar,
        {
            "records": records_print,
            "manifest": manifest_print,
            "format": fmt,
            "summary": summary,
            "counts": counts,
        },
    )
    return True


def _read_sidecar(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_sidecar(path: Path, data: dict[str, Any]) -> None:
    with atomic_writer(path) as fh:
        fh.write(dumps(data))


def _matches(
    block: Block, decisions: Columns | None, tables: BlockTables | None, config: Config
) -> tuple[dict[int, ChunkMatch], dict[int, DocMatch]]:
    """The block's chunk and document matches, keyed by position relative to the block."""
    settings = GroupSettings.from_config(config)
    if tables is None or not settings.enabled:
        return {}, {}
    table = tables.table(block.ordinal)
    docs = {
        "pos": table.docs["pos"] + block.base,
        "first": table.docs["first"] + block.base,
        "count": table.docs["count"],
    }
    chunks, documents = resolve(best(decisions or empty_decisions()), docs, tables, settings)
    return (
        {p - block.base: m for p, m in chunks.items()},
        {p - block.base: m for p, m in documents.items()},
    )


def _fingerprint(
    block: Block,
    chunks: dict[int, ChunkMatch],
    documents: dict[int, DocMatch],
    config: Config,
    fmt: Format,
) -> str:
    """Everything the part's records depend on: inputs (shard keys, which hold the relative
    paths), the duplicate decisions, the config and the code."""
    h = hashlib.sha256()
    head = [PARTS_LAYOUT_VERSION, __version__, config.hash(), fmt, block.name]
    h.update(dumps(head).encode())
    for key in block.keys:
        h.update(key.encode("ascii"))
    for pos in sorted(chunks):
        m = chunks[pos]
        h.update(dumps(["c", pos, m.target, m.similarity]).encode())
    for pos in sorted(documents):
        d = documents[pos]
        h.update(dumps(["d", pos, d.doc_id, d.similarity, d.targets]).encode())
    return h.hexdigest()


def _manifest_fingerprint(block: Block, records_print: str) -> str:
    """The manifest rows also show each file's path as the user named it."""
    h = hashlib.sha256(records_print.encode())
    for path in block.paths:
        h.update(path.encode("utf-8", "surrogatepass") + b"\x1f")
    return h.hexdigest()


def _parts_exist(out: Path, name: str, fmt: str) -> bool:
    files = [part_path(out, kind, name, fmt) for kind in RECORD_KINDS]
    return all(p.is_file() for p in files) and _manifest_part(out, name).is_file()


def _write(
    block: Block,
    chunk_matches: dict[int, ChunkMatch],
    doc_matches: dict[int, DocMatch],
    out: Path,
    config: Config,
    fmt: Format,
) -> tuple[dict[str, Any], list[list[int]]]:
    """The records of the block's files, marked and judged, in input order. Returns the
    block's summary and each file's kept and rejected counts."""
    store = ShardStore(out)
    assembler = Assembler(config, dedup=False)
    report = ReportBuilder(config.hash())
    threshold = config.dedup.threshold
    totals: dict[str, Any] = {"documents": 0, "records": 0, "rejected": 0, "by_status": {}}
    counts: list[list[int]] = []
    with (
        row_writer(part_path(out, "records", block.name, fmt), fmt, "records") as records_out,
        row_writer(part_path(out, "rejected", block.name, fmt), fmt, "rejected") as rejected_out,
    ):
        for offset, key in enumerate(block.keys):
            base = offset << POS_SHIFT
            chunk_ord = doc_ord = 0
            kept = rejected = 0
            for line in store.iter_documents(key):
                report.add_document(line["doc"])
                totals["documents"] += 1
                records = [Record.model_validate(r) for r in line["records"]]
                if records:
                    apply_marks(
                        records,
                        [chunk_matches.get(base | (chunk_ord + i)) for i in range(len(records))],
                        doc_matches.get(base | doc_ord),
                        threshold,
                    )
                    chunk_ord += len(records)
                    doc_ord += 1
                for verdict in assembler.verdicts(records):
                    data = verdict.record.model_dump(mode="json")
                    report.add_record(data, verdict.reasons)
                    if verdict.kept:
                        kept += 1
                        records_out.write(data)
                    else:
                        rejected += 1
                        rejected_out.write(verdict.rejected().model_dump(mode="json"))
            row = _row(store, key, kept, rejected)
            totals["records"] += kept
            totals["rejected"] += rejected
            totals["by_status"][row["status"]] = totals["by_status"].get(row["status"], 0) + 1
            report.add_row(row)
            counts.append([kept, rejected])
    totals["report"] = report.to_state()
    return totals, counts


def _row(store: ShardStore, key: str, kept: int, rejected: int) -> dict[str, Any]:
    row = store.read_row(key)
    row["records"], row["rejected"] = kept, rejected
    return row


def _write_manifest(block: Block, counts: list[list[int]], out: Path) -> None:
    """The block's manifest rows, each file shown under the path the user named it by."""
    store = ShardStore(out)
    with atomic_writer(_manifest_part(out, block.name)) as fh:
        for key, path, (kept, rejected) in zip(block.keys, block.paths, counts, strict=True):
            row = _row(store, key, kept, rejected)
            row["path"] = path  # the same content reached through another spelling of the input
            fh.write(dumps(row) + "\n")


# -- the driver: the run's files from the parts ------------------------------------------------


def finish_parts(
    out: Path,
    blocks: Sequence[Block],
    files: int,
    deleted: list[str],
    config: Config,
    fmt: Format = "jsonl",
) -> tuple[RunSummary, ReportBuilder]:
    """Merge the parts' summaries and manifest rows (in block order), list the parts, and
    remove what belongs to no current part (and a single-file layout left by a local run)."""
    config_hash = config.hash()
    report = ReportBuilder(config_hash)
    summary = RunSummary(out=out, files=files, deleted=len(deleted))
    with atomic_writer(out / "manifest.jsonl") as manifest:
        for block in blocks:
            data = _read_sidecar(_sidecar(out, block.name))["summary"]
            summary.documents += data["documents"]
            summary.records += data["records"]
            summary.rejected += data["rejected"]
            for status, n in data["by_status"].items():
                summary.by_status[status] = summary.by_status.get(status, 0) + n
            report.merge(data["report"])
            with open(_manifest_part(out, block.name), encoding="utf-8") as part:
                shutil.copyfileobj(part, manifest)
        for rel in deleted:
            manifest.write(dumps(tombstone(rel, config_hash)) + "\n")
    report.deleted = deleted
    names = [b.name for b in blocks]
    with atomic_writer(out / PARTS_INDEX) as fh:
        fh.write(dumps({"layout_version": PARTS_LAYOUT_VERSION, "format": fmt, "parts": names}))
        fh.write("\n")
    _remove_stale(out, set(names), fmt)
    return summary, report


def _remove_stale(out: Path, names: set[str], fmt: str) -> None:
    for kind in RECORD_KINDS:
        folder = out / kind
        if folder.is_dir():
            for path in folder.glob("part-*"):
                if path.name != f"part-{_name(path)}.{fmt}" or _name(path) not in names:
                    path.unlink(missing_ok=True)
    state = _state(out)
    if state.is_dir():
        for path in state.iterdir():
            if path.name.split(".", 1)[0] not in names:
                path.unlink(missing_ok=True)
    for name in SINGLE_FILES:
        (out / name).unlink(missing_ok=True)


def _name(path: Path) -> str:
    return path.name.removeprefix("part-").split(".", 1)[0]
