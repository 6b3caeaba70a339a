"""PII detection and redaction on the whole document, before chunking.

detect (pii.engine: Presidio + NER over windows) -> resolve (allow-list, overlaps) -> apply
(pii.operators). The stage detects on the document's elements joined with blank lines, so an
entity that runs over a line break is seen whole; each element then gets its redacted text and
`Element.pii` spans that point at the placeholders in that text (never at values). Headings
repeated in `heading_path` and the document's metadata (title, authors, email addresses,
subject...) are redacted the same way, with the same pseudonyms.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config import Config
from ..models import Document, Element, PiiSpan, PiiSummary
from ..pii.document import judge_headings
from ..pii.findings import Finding
from ..pii.operators import Anonymizer, env_key
from ..pii.resolve import Known, find_known, known_values
from ..pii.table_cells import redact_table_metadata
from .base import DocWork
from .pii_metadata import (
    ADDRESS_FIELDS,
    MAILBOX_RE,
    PEOPLE_FIELDS,
    TEXT_FIELDS,
    redact_metadata,
    redact_texts,
)

if TYPE_CHECKING:
    from ..pii.engine import PiiEngine

log = logging.getLogger("llmprep.pii")
SEPARATOR = "\n\n"


@dataclass
class Redaction:
    """A redacted text; `spans` index the ORIGINAL text and never hold a value."""

    text: str
    spans: list[PiiSpan] = field(default_factory=list)
    engine: str = ""


def _span(f: Finding, start: int, end: int, operator: str) -> PiiSpan:
    return PiiSpan(
        start=start,
        end=end,
        entity_type=f.entity_type,
        score=round(f.score, 3),
        detector=f.detector,
        operator=operator,
    )


def new_anonymizer(config: Config) -> Anonymizer:
    return Anonymizer(config.pii.default_operator, dict(config.pii.operators), env_key())


def redact(text: str, language: str = "en", config: Config | None = None) -> Redaction:
    """Detect and replace PII in one text."""
    return redact_many([text], language, config)[0]


def redact_many(
    texts: list[str], language: str = "en", config: Config | None = None
) -> list[Redaction]:
    """`redact` for many texts at once (NER batched); pseudonym numbers restart per text."""
    from ..pii.engine import get_engine

    cfg = config or Config()
    engine = get_engine(cfg.pii)
    out = []
    for text, findings in zip(texts, engine.detect(texts, language), strict=True):
        new_text, done = new_anonymizer(cfg).apply(text, findings)
        spans = [_span(r.finding, r.start, r.end, r.operator) for r in done]
        out.append(Redaction(text=new_text, spans=spans, engine=engine.label))
    return out


class Pii:
    """The stage: redacts a DocWork's document in place."""

    name = "pii"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        from ..pii.engine import get_engine

        doc = work.document
        engine = get_engine(self.config.pii)
        anonymizer = new_anonymizer(self.config)
        elements = [e for e in doc.elements if e.text]
        originals = {e_id: " ".join(e.text.split()) for e_id, e in enumerate(elements)}
        joined, starts = _join(elements)
        # People the metadata names (authors, senders) are found in the body even where the
        # model misses them; values found in the body are found in titles and headings.
        seed = _metadata_people(doc)
        # The short texts read one by one below (titles, subjects, headings) go through NER in
        # one batch first: one model call per document instead of one per field.
        engine.prefetch(_side_texts(doc), doc.language)
        # The document's title (metadata) is detected with the body and judged as a heading.
        title = doc.metadata.title or ""
        texts = [joined, title] if title else [joined]
        found = engine.detect(texts, doc.language, seed) if joined or title else [[]]
        # Headings need more evidence than prose (pii.document explains why).
        headings = [
            (starts[n], starts[n] + len(e.text))
            for n, e in enumerate(elements)
            if e.type in ("title", "heading")
        ]
        findings, title_findings = _judge_with_title(joined, found, title, headings)
        known = {**seed, **known_values(joined, findings, engine.allow)}
        counts: Counter[str] = Counter(f.entity_type for f in findings)
        _apply_to_elements(joined, starts, elements, findings, anonymizer)
        _redact_heading_paths(doc, elements, originals, engine, anonymizer, counts, known)
        title_types: list[str] = []
        if title:
            # Values the body found are found in the title too (a name the model missed there).
            more = [
                f
                for f in find_known(title, known, title_findings)
                if not any(f.start < g.end and g.start < f.end for g in title_findings)
            ]
            title_findings = sorted(title_findings + more, key=lambda f: f.start)
            doc.metadata.title = anonymizer.apply(title, title_findings)[0]
            counts.update(f.entity_type for f in title_findings)
            title_types = sorted({f.entity_type for f in title_findings})
        fields = redact_metadata(doc, engine, anonymizer, counts, known, skip=("title",))
        if title_types:
            fields = {"title": title_types, **fields}
        doc.pii = PiiSummary(counts=dict(sorted(counts.items())), engine=engine.label)
        extra: dict[str, object] = {"engine": engine.label, "ner": engine.ner}
        if fields:  # which metadata fields held what (no values): `llmprep check` reports them
            extra["fields"] = fields
        if anonymizer.used_ephemeral_key:
            extra["hash_key"] = "ephemeral"
        doc.metadata.extra["pii"] = extra


def _judge_with_title(
    joined: str, found: list[list[Finding]], title: str, headings: list[tuple[int, int]]
) -> tuple[list[Finding], list[Finding]]:
    """The body's findings and the title's, judged together with the title as one more heading
    after the body (offsets of each in its own text)."""
    body = found[0]
    if not title:
        return judge_headings(joined, body, headings), []
    off = len(joined) + len(SEPARATOR)
    shifted = [
        Finding(f.start + off, f.end + off, f.entity_type, f.score, f.detector) for f in found[1]
    ]
    kept = judge_headings(
        joined + SEPARATOR + title, body + shifted, [*headings, (off, off + len(title))]
    )
    return (
        [f for f in kept if f.start < off],
        [
            Finding(f.start - off, f.end - off, f.entity_type, f.score, f.detector)
            for f in kept
            if f.start >= off
        ],
    )


def _side_texts(doc: Document) -> list[str]:
    """Texts redacted after the body: metadata fields, attachment names, heading paths."""
    meta = doc.metadata
    texts = [v for v in (getattr(meta, name) for name in TEXT_FIELDS) if v]
    texts += [att.name for att in meta.attachments if att.name]
    texts += sorted({h for e in doc.elements for h in e.heading_path})
    return texts


def _join(elements: list[Element]) -> tuple[str, list[int]]:
    starts: list[int] = []
    pos = 0
    for e in elements:
        starts.append(pos)
        pos += len(e.text) + len(SEPARATOR)
    return SEPARATOR.join(e.text for e in elements), starts


def _apply_to_elements(
    joined: str,
    starts: list[int],
    elements: list[Element],
    findings: list[Finding],
    anonymizer: Anonymizer,
) -> None:
    """Replace each finding in the element(s) it falls in; a finding over a break is cut there."""
    pieces: list[list[tuple[int, int, str, Finding, str]]] = [[] for _ in elements]
    for f in findings:
        new, op = anonymizer.replacement(f.entity_type, joined[f.start : f.end])
        for n in _elements_overlapping(starts, elements, f.start, f.end):
            a = max(f.start, starts[n]) - starts[n]
            b = min(f.end, starts[n] + len(elements[n].text)) - starts[n]
            if b > a:
                value = elements[n].text[a:b]
                text = "*" * len(value) if op == "mask" else value if op == "keep" else new
                pieces[n].append((a, b, text, f, op))
    for el, todo in zip(elements, pieces, strict=True):
        if not todo:
            el.pii = []
            continue
        parts: list[str] = []
        spans: list[PiiSpan] = []
        pos = out = 0
        for a, b, text, f, op in sorted(todo, key=lambda t: t[0]):
            parts.append(el.text[pos:a])
            out += a - pos
            parts.append(text)
            spans.append(_span(f, out, out + len(text), op))
            out += len(text)
            pos = b
        parts.append(el.text[pos:])
        if el.type == "table" and el.metadata:
            # The structured cells must not keep what the text no longer shows.
            found = {el.text[a:b]: text for a, b, text, _f, op in todo if op != "keep"}
            redact_table_metadata(el.metadata, "".join(parts), found)
        el.text = "".join(parts)
        el.pii = spans


def _elements_overlapping(
    starts: list[int], elements: list[Element], start: int, end: int
) -> list[int]:
    from bisect import bisect_right

    n = max(0, bisect_right(starts, start) - 1)
    out = []
    while n < len(elements) and starts[n] < end:
        if starts[n] + len(elements[n].text) > start:
            out.append(n)
        n += 1
    return out


def _metadata_people(doc: Document) -> Known:
    """Names and addresses the metadata says belong to people: value -> (type, score)."""
    meta = doc.metadata
    known: Known = {}
    for name in PEOPLE_FIELDS:
        value = getattr(meta, name)
        for v in value if isinstance(value, list) else [value] if value else []:
            if len(v.strip()) >= 3:
                known[v.strip()] = ("PERSON", 0.8)
    for name in ADDRESS_FIELDS:
        for v in getattr(meta, name):
            m = MAILBOX_RE.match(v)
            person, addr = (m.group("name").strip().strip('"'), m.group("addr")) if m else ("", v)
            if len(person) >= 3 and "@" not in person:
                known[person] = ("PERSON", 0.8)
            if "@" in addr:
                known[addr.strip()] = ("EMAIL_ADDRESS", 0.9)
    return known


def _redact_heading_paths(
    doc: Document,
    elements: list[Element],
    originals: dict[int, str],
    engine: PiiEngine,
    anonymizer: Anonymizer,
    counts: Counter[str],
    known: Known,
) -> None:
    """Headings are copied into every later element's heading_path: redact the copies too."""
    redacted = {
        originals[n]: " ".join(e.text.split())
        for n, e in enumerate(elements)
        if e.type in ("title", "heading")
    }
    missing = sorted({h for e in doc.elements for h in e.heading_path if h not in redacted})
    scratch: Counter[str] = Counter()  # same values as the headings already counted
    for raw, new in zip(
        missing,
        redact_texts(missing, engine, anonymizer, doc.language, scratch, known),
        strict=True,
    ):
        redacted[raw] = new
    for e in doc.elements:
        e.heading_path = [redacted.get(h, h) for h in e.heading_path]
