"""The data model: what flows between stages and what lands in the output files.

Everything a user consumes is a pydantic v2 model here. `Record` and `ManifestRow` are the
output rows; their JSON Schema is pinned by a test, and any change to them bumps
`SCHEMA_VERSION` (and gets a "Schema" note in CHANGELOG.md).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

# A file's outcome (docs/errors.md says what each means and what to do).
Status = Literal["ok", "partial", "unsupported", "encrypted", "failed", "timeout"]
# Manifest rows may also be tombstones: a file seen by the previous run in the same output
# folder and gone now (its records were removed).
ManifestStatus = Literal[Status, "deleted"]
Severity = Literal["info", "warn", "block"]

ElementType = Literal[
    "title",
    "heading",
    "paragraph",
    "list_item",
    "table",
    "code",
    "quote",
    "header",
    "footer",
    "caption",
    "footnote",
    "comment",
    "email_header",
    "signature",
    "image",
    "formula",
    "other",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class LoaderInfo(_Model):
    name: str
    version: str


class Source(_Model):
    """Where a document came from."""

    path: str = Field(description="Path relative to its input root, POSIX separators.")
    sha256: str
    size: int
    media_type: str
    loader: LoaderInfo
    sub_path: str | None = Field(
        default=None,
        description="Position inside the file for attachments and mailbox messages, e.g. 'msg/12' or 'att/0'.",
    )


class ErrorInfo(_Model):
    """A typed failure; `message` never contains document text or PII values."""

    code: str
    message: str


class Flag(_Model):
    """A quality or processing annotation; a policy decides what it means for the output."""

    code: str
    severity: Severity = "info"
    value: float | int | str | bool | None = None
    threshold: float | int | str | None = None


class PiiSpan(_Model):
    """One detected entity. Offsets only: the raw value is never stored."""

    start: int
    end: int
    entity_type: str
    score: float
    detector: str
    operator: str


class PiiSummary(_Model):
    counts: dict[str, int] = Field(default_factory=dict)
    engine: str | None = Field(
        default=None, description="'ner:<model>' or 'patterns' (no NER model)."
    )


class RecordPii(_Model):
    counts: dict[str, int] = Field(default_factory=dict)
    spans: list[PiiSpan] = Field(default_factory=list, description="Offsets in the record's text.")


class Element(_Model):
    """One structural unit of a document: a heading, a paragraph, a table..."""

    type: ElementType
    text: str
    level: int | None = None
    page: int | None = None
    heading_path: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    pii: list[PiiSpan] = Field(
        default_factory=list, description="Redactions in this element's (redacted) text."
    )


class AttachmentInfo(_Model):
    name: str | None = None
    media_type: str | None = None
    size: int | None = None


class DocumentMetadata(_Model):
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    subject: str | None = None
    description: str | None = None
    created: str | None = None
    modified: str | None = None
    last_modified_by: str | None = None
    producer: str | None = None
    page_count: int | None = None
    url: str | None = None
    site_name: str | None = None
    declared_language: str | None = None
    # email
    from_: list[str] = Field(default_factory=list, alias="from")
    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    reply_to: list[str] = Field(default_factory=list)
    date: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = Field(default_factory=list)
    thread_id: str | None = None
    attachments: list[AttachmentInfo] = Field(default_factory=list)
    extra: dict[str, Any] = Field(
        default_factory=dict, description="Loader-specific facts (counts, engine used...)."
    )


class Document(_Model):
    id: str
    source: Source
    parent_id: str | None = None
    metadata: DocumentMetadata = Field(default_factory=DocumentMetadata)
    elements: list[Element] = Field(default_factory=list)
    language: str | None = None
    languages: list[str] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    pii: PiiSummary = Field(default_factory=PiiSummary)

    @property
    def text(self) -> str:
        return "\n\n".join(e.text for e in self.elements if e.text)


class Record(_Model):
    """One chunk: the unit users embed, index or train on."""

    schema_version: str = SCHEMA_VERSION
    id: str
    doc_id: str
    chunk_index: int
    text: str
    heading_path: list[str] = Field(default_factory=list)
    pages: list[int] = Field(default_factory=list)
    element_types: list[str] = Field(default_factory=list)
    language: str | None = None
    tokens: int
    tokenizer: str
    overlap_tokens: int = 0
    context: str | None = Field(default=None, description="Title + heading path, for embedding.")
    pii: RecordPii = Field(default_factory=RecordPii)
    flags: list[Flag] = Field(default_factory=list)
    duplicate_of: str | None = None
    source: Source
    metadata: dict[str, Any] = Field(default_factory=dict)


class RejectedRecord(Record):
    reasons: list[str] = Field(default_factory=list)


class ManifestRow(_Model):
    """One row per input file, whatever happened to it."""

    schema_version: str = SCHEMA_VERSION
    path: str
    rel_path: str
    sha256: str | None = None
    size: int | None = None
    media_type: str | None = None
    loader: LoaderInfo | None = None
    status: ManifestStatus
    error_code: str | None = None
    error_message: str | None = None
    documents: int = 0
    records: int = 0
    rejected: int = 0
    seconds: float = 0.0
    config_hash: str
    warnings: list[str] = Field(default_factory=list)
