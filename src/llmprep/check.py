"""`llmprep check`: the pre-commit hook. Reports PII and blocking flags, never the values.

Output, one finding a line, then a summary line that is always printed:

    docs/escalation.md:12:24: EMAIL_ADDRESS (email) *********************
    policies/handbook.pdf: page 3: PERSON (ner)
    llmprep check: 5 files, 2 findings (EMAIL_ADDRESS 1, PERSON 1)

Text files up to 1 MB are scanned as written, in this process, so positions are real lines and
columns and a line holding `llmprep: allow` is skipped. Larger text files and every other format
go through their loader, as the pipeline would read them, in the run's worker processes with the
run's limits (`run.timeout`, `run.timeout_per_mb`, `run.max_memory_mb`): a file over them is
reported as not checked, as is a file over `limits.max_file_mb` (before anything reads it).
Findings point at pages (or elements), or at the metadata field that holds them
(`metadata title`: a DOCX core property, a PDF Info entry, an HTML canonical link).
Pattern recognizers only, unless `[check] ner = true`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from .config import Config
from .formats import DATA_TEXT_EXTENSIONS, TEXT_EXTENSIONS
from .models import Record

ALLOW_MARKER = "llmprep: allow"
TEXT_SUFFIXES = {*TEXT_EXTENSIONS, *DATA_TEXT_EXTENSIONS}
# Text up to this size is scanned in the hook's own process (about 3 s at most, with positions);
# past it, a worker with the run's time and memory limits reads it.
INLINE_TEXT_BYTES = 1024 * 1024
# Rows with these codes mean the file was not read to the end: the hook could not check it.
LIMIT_CODES = ("file.too_large", "file.timeout", "worker.out_of_memory", "worker.crashed")


@dataclass(frozen=True)
class Finding:
    path: str
    where: str  # "12:24" or "page 3"
    kind: str  # entity type, or "flag:<code>"
    detector: str
    length: int = 0

    def line(self) -> str:
        mask = " " + "*" * min(self.length, 24) if self.length else ""
        return f"{self.path}:{self.where}: {self.kind} ({self.detector}){mask}"


def check_config(config: Config) -> Config:
    """The pipeline config the hook runs with: check's allow-lists added, NER only on request."""
    pii = config.pii
    return config.with_overrides(
        redact=True,
        **{
            # The hook never reports token counts: skip loading the BPE tables.
            "chunk.tokenizer": "chars",
            "pii.ner_model": pii.ner_model if config.check.ner else "none",
            "pii.allow_list": [*pii.allow_list, *config.check.allow],
            "pii.allow_regex": [*pii.allow_regex, *config.check.allow_regex],
        },
    )


def excluded(name: str, patterns: list[str]) -> bool:
    posix = PurePosixPath(Path(name).as_posix())
    return any(fnmatch(str(posix), p) or fnmatch(posix.name, p) or posix.match(p) for p in patterns)


def run_check(files: list[str], config: Config, echo: Callable[[str], None] = print) -> int:
    cfg = check_config(config)
    blocking = set(cfg.check.block_entities)
    names = [n for n in files if not excluded(n, cfg.check.exclude) and Path(n).is_file()]
    sizes = {n: Path(n).stat().st_size for n in names}
    max_bytes = cfg.limits.max_file_mb * 1024 * 1024
    # Over the size limit: not read at all, as a run would not read it.
    too_large = {n for n in names if sizes[n] > max_bytes}
    # Small text is scanned in this process (fast, with positions); larger text and every other
    # format go through the run's worker pool, with its time and memory limits: a hostile DOCX,
    # a page with a table of a million cells or a 400 MB log costs one line, not the commit.
    loaded = [
        n
        for n in names
        if n not in too_large
        and (Path(n).suffix.lower() not in TEXT_SUFFIXES or sizes[n] > INLINE_TEXT_BYTES)
    ]
    guarded = _check_guarded(loaded, cfg) if loaded else {}
    findings: list[Finding] = []
    unchecked = 0
    for name in names:
        if name in too_large:
            unchecked += 1
            limit = f"{cfg.limits.max_file_mb:g} MB"
            echo(
                f"{name}: not checked: file.too_large (over the {limit} limit, limits.max_file_mb)"
            )
            continue
        if name in guarded:
            found, note = guarded[name]
            if note:
                unchecked += 1
                echo(f"{name}: not checked: {note}")
        else:
            found = [*_check_text(name, cfg), *_check_loaded(name, cfg)]
        for finding in found:
            if finding.kind.startswith("flag:") or not blocking or finding.kind in blocking:
                findings.append(finding)
                echo(finding.line())
    counts = Counter(f.kind for f in findings)
    detail = f" ({', '.join(f'{k} {n}' for k, n in sorted(counts.items()))})" if counts else ""
    skipped = f", {unchecked} not checked" if unchecked else ""
    echo(f"llmprep check: {len(names)} files, {len(findings)} findings{detail}{skipped}")
    return 1 if findings else 0


def _check_text(name: str, cfg: Config) -> Iterator[Finding]:
    from .api import redact
    from .textio import decode_bytes

    text = decode_bytes(Path(name).read_bytes()).text
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    allowed_lines = {i for i, line in enumerate(text.split("\n")) if ALLOW_MARKER in line}
    for span in redact(text, language="en", config=cfg).spans:
        line = _line_of(line_starts, span.start)
        if line in allowed_lines:
            continue
        col = span.start - line_starts[line] + 1
        yield Finding(
            name, f"{line + 1}:{col}", span.entity_type, span.detector, span.end - span.start
        )


def _line_of(line_starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(line_starts, offset) - 1


def _check_loaded(name: str, cfg: Config) -> Iterator[Finding]:
    """Blocking quality flags of a text file, as the pipeline reads it (no redaction)."""
    from .api import process

    if not cfg.check.block_flags:
        return
    result = process(name, config=cfg.with_overrides(redact=False))
    if result.status not in ("ok", "partial"):
        # An unreadable file is not a finding: the hook checks content it can read.
        return
    yield from _flag_findings(name, [*result.records, *result.rejected])


def _flag_findings(name: str, records: list[Record]) -> Iterator[Finding]:
    for record in records:
        for flag in record.flags:
            if flag.severity == "block":
                where = (
                    f"page {record.pages[0]}" if record.pages else f"chunk {record.chunk_index + 1}"
                )
                yield Finding(name, where, f"flag:{flag.code}", "quality")


def _check_guarded(names: list[str], cfg: Config) -> dict[str, tuple[list[Finding], str | None]]:
    """Findings of each file read through worker processes with the run's limits
    (`run.timeout` + `run.timeout_per_mb`, `run.max_memory_mb`): name -> (findings, a note
    when the file could not be checked)."""
    import os
    import tempfile

    from .output import ShardStore
    from .pipeline.assemble import Assembler, shard_fingerprint
    from .pipeline.inputs import InputFile
    from .pipeline.task import Job, task_key
    from .runners.local import WorkerPool

    config_hash = cfg.hash()
    jobs: list[Job] = []
    for n, name in enumerate(names):
        item = InputFile(path=name, rel_path=name)
        jobs.append((item, None, task_key(item, f"check:{n}", config_hash)))
    by_path = {job[0].path: job for job in jobs}
    results: dict[str, tuple[list[Finding], str | None]] = {}
    with tempfile.TemporaryDirectory(prefix="llmprep-check-") as tmp:
        store = ShardStore(Path(tmp))

        def on_row(item: InputFile, row: dict[str, Any]) -> None:
            name = item.path
            if row["status"] not in ("ok", "partial"):
                # An unreadable file is not a finding: the hook checks content it can read.
                code = row.get("error_code")
                limits = code in LIMIT_CODES
                results[name] = ([], f"{code} ({row.get('error_message')})" if limits else None)
                return
            found: list[Finding] = []
            assembler = Assembler(cfg)
            for line in store.iter_documents(by_path[name][2]):
                found += _document_findings(name, line["doc"])
                if cfg.check.block_flags:
                    records = [Record.model_validate(r) for r in line["records"]]
                    verdicts = assembler.judge_document(records, shard_fingerprint(line))
                    found += _flag_findings(name, [v.record for v in verdicts])
            results[name] = (found, None)

        size = min(len(jobs), cfg.run.workers or os.cpu_count() or 1)
        with WorkerPool(cfg, Path(tmp), size, warm=False) as pool:
            pool.process(jobs, on_row)
    return results


def _document_findings(name: str, doc: dict[str, Any]) -> Iterator[Finding]:
    """PII in a document's elements (by page, else element) and in its metadata fields."""
    for page, index, entity_type, detector in doc.get("pii_where", []):
        where = f"page {page}" if page else f"element {index + 1}"
        yield Finding(name, where, entity_type, detector)
    for field, types in sorted((doc.get("pii_fields") or {}).items()):
        for entity_type in types:
            yield Finding(name, f"metadata {field}", entity_type, "metadata")
