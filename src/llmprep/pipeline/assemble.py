"""The run-wide half: documents in input order → duplicates marked → policy → which output.

Every way of running llmprep ends here: `llmprep.process` feeds one file's documents, a folder
run (local or Ray) feeds every file's documents from their shards, in input order. The assembler
compares each document's fingerprint with everything before it (`stages.dedup`), applies
`[quality] severities` to the flags the per-file stages do not own, and asks the policy whether
each record is kept (records.jsonl) or rejected (rejected.jsonl, with reasons).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..flags import QUALITY_CODES
from ..models import Document, ErrorInfo, Record, RejectedRecord, Status
from ..policy import as_rejected, judge
from ..stages.dedup.fingerprint import Deduplicator, Fingerprint
from .file import DocumentResult, FileOutcome


@dataclass(frozen=True, slots=True)
class Verdict:
    """One record and the policy's reasons to reject it (none: kept)."""

    record: Record
    reasons: list[str]

    @property
    def kept(self) -> bool:
        return not self.reasons

    def rejected(self) -> RejectedRecord:
        return as_rejected(self.record, self.reasons)


class Assembler:
    """Holds the run's dedup indexes; `judge_document` is called once per document, in order."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.dedup = Deduplicator(config)
        # The quality stage applies (and caps) overrides of its own codes; the rest apply here,
        # where every flag of a record is known.
        self.overrides = {
            code: severity
            for code, severity in config.quality.severities.items()
            if code not in QUALITY_CODES
        }

    def judge_document(
        self, records: list[Record], fingerprint: Fingerprint | None = None
    ) -> list[Verdict]:
        self.dedup.check_document(records, fingerprint)
        if self.overrides:
            for record in records:
                record.flags = [
                    f.model_copy(update={"severity": self.overrides[f.code]})
                    if f.code in self.overrides
                    else f
                    for f in record.flags
                ]
        return [Verdict(record, reasons) for record, reasons in judge(records, self.config)]


@dataclass
class ProcessResult:
    """What `llmprep.process` returns for one file."""

    status: Status
    error: ErrorInfo | None
    documents: list[Document]
    records: list[Record]
    rejected: list[RejectedRecord]
    outcome: FileOutcome = field(repr=False)

    @property
    def text(self) -> str:
        """The first document's full normalized text (redacted unless redaction is off)."""
        return self.documents[0].text if self.documents else ""

    @property
    def warnings(self) -> list[str]:
        return self.outcome.warnings


def assemble_file(
    outcome: FileOutcome, results: Iterable[DocumentResult], config: Config
) -> ProcessResult:
    """One file's documents through the run-wide half on their own (dedup within the file)."""
    assembler = Assembler(config)
    documents: list[Document] = []
    kept: list[Record] = []
    rejected: list[RejectedRecord] = []
    for result in results:
        documents.append(result.document)
        for verdict in assembler.judge_document(result.records, result.fingerprint):
            if verdict.kept:
                kept.append(verdict.record)
            else:
                rejected.append(verdict.rejected())
    return ProcessResult(
        status=outcome.status,
        error=outcome.error,
        documents=documents,
        records=kept,
        rejected=rejected,
        outcome=outcome,
    )


def shard_fingerprint(line: dict[str, Any]) -> Fingerprint | None:
    """The fingerprint a worker stored with a document in its shard."""
    prints = line.get("dedup")
    return Fingerprint.from_json(prints) if prints else None
