"""`llmprep check`: the pre-commit hook. Reports PII and blocking flags, never the values.

Output, one finding a line, then a summary line that is always printed:

    docs/escalation.md:12:24: EMAIL_ADDRESS (email) *********************
    policies/handbook.pdf: page 3: PERSON (ner)
    llmprep check: 5 files, 2 findings (EMAIL_ADDRESS 1, PERSON 1)

Text formats are scanned as written, so positions are real lines and columns and a line holding
`llmprep: allow` is skipped. Other formats go through their loader, as the pipeline would read
them, and findings point at pages (or elements). Pattern recognizers only, unless
`[check] ner = true`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from .config import Config
from .formats import DATA_TEXT_EXTENSIONS, TEXT_EXTENSIONS

ALLOW_MARKER = "llmprep: allow"
TEXT_SUFFIXES = {*TEXT_EXTENSIONS, *DATA_TEXT_EXTENSIONS}


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
    findings: list[Finding] = []
    checked = 0
    for name in files:
        if excluded(name, cfg.check.exclude) or not Path(name).is_file():
            continue
        checked += 1
        for finding in _check_file(name, cfg):
            if finding.kind.startswith("flag:") or not blocking or finding.kind in blocking:
                findings.append(finding)
                echo(finding.line())
    counts = Counter(f.kind for f in findings)
    detail = f" ({', '.join(f'{k} {n}' for k, n in sorted(counts.items()))})" if counts else ""
    echo(f"llmprep check: {checked} files, {len(findings)} findings{detail}")
    return 1 if findings else 0


def _check_file(name: str, cfg: Config) -> Iterator[Finding]:
    if Path(name).suffix.lower() in TEXT_SUFFIXES:
        yield from _check_text(name, cfg)
        yield from _check_loaded(name, cfg, pii=False)
        return
    yield from _check_loaded(name, cfg, pii=True)


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


def _check_loaded(name: str, cfg: Config, *, pii: bool) -> Iterator[Finding]:
    from .api import process

    if not pii and not cfg.check.block_flags:
        return
    result = process(name, config=cfg if pii else cfg.with_overrides(redact=False))
    if result.status not in ("ok", "partial"):
        # An unreadable file is not a finding: the hook checks content it can read.
        return
    for doc in result.documents if pii else []:
        for index, element in enumerate(doc.elements):
            where = f"page {element.page}" if element.page else f"element {index + 1}"
            for span in element.pii:
                yield Finding(name, where, span.entity_type, span.detector)
    if cfg.check.block_flags:
        for record in [*result.records, *result.rejected]:
            for flag in record.flags:
                if flag.severity == "block":
                    where = (
                        f"page {record.pages[0]}"
                        if record.pages
                        else f"chunk {record.chunk_index + 1}"
                    )
                    yield Finding(name, where, f"flag:{flag.code}", "quality")
