"""A document's metadata through PII redaction: every field that can name a person or hold a value.

Records repeat the metadata on every chunk, so a value left here leaks as surely as one in the
text. Each field is handled by what it holds:

- free text (title, subject, description, site name, producer, keywords, an unparsable Date
  header): detected like the body;
- people (authors, last modified by): replaced whole as PERSON;
- mailboxes (from, to, cc, bcc, reply-to): the name and the address replaced whole;
- attachment names: detected;
- message identifiers (message_id, in_reply_to, references, thread_id): always replaced by a
  digest shaped like a Message-ID (`<3f2a...@redacted.invalid>`). Identifiers are often an
  address or hold a number; a digest keeps threads linkable (the same id gives the same digest in
  every message, file and run) without the value. With LLMPREP_PII_KEY it is a keyed HMAC; without
  it, a plain SHA-256, which someone who guesses an exact identifier could confirm;
- URLs (a page's canonical link): read with their query decoded and detected; a URL holding a
  value (an address or a card number in the query) is replaced by its decoded form with the
  values redacted; others are kept as they are.

`redact_metadata` returns, per field, the entity types it found there, for `llmprep check`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

from ..models import Document
from ..pii.operators import Anonymizer, env_key
from ..pii.resolve import Known

if TYPE_CHECKING:
    from ..pii.engine import PiiEngine

TEXT_FIELDS = ("title", "subject", "description", "site_name", "producer")
PEOPLE_FIELDS = ("authors", "last_modified_by")
ADDRESS_FIELDS = ("from_", "to", "cc", "bcc", "reply_to")
ID_FIELDS = ("message_id", "in_reply_to", "thread_id")
# Loader facts in `metadata.extra` that are written by a person or a sender: keywords, and a
# Date header that did not parse, kept as written.
EXTRA_TEXT_FIELDS = ("keywords", "date_raw")
MAILBOX_RE = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<addr>[^<>]+)>\s*$")
_ID_DOMAIN = b"llmprep message id\x1f"  # keeps these digests apart from any other SHA-256

FieldFindings = dict[str, list[str]]


def redact_texts(
    values: list[str],
    engine: PiiEngine,
    anonymizer: Anonymizer,
    language: str | None,
    counts: Counter[str],
    known: Known | None = None,
    found: list[set[str]] | None = None,
) -> list[str]:
    """Detect and replace PII in each value; `found[i]` collects the types seen in value i."""
    if not values:
        return []
    out = []
    for i, (value, findings) in enumerate(
        zip(values, engine.detect(values, language, known), strict=True)
    ):
        counts.update(f.entity_type for f in findings)
        if found is not None:
            found[i].update(f.entity_type for f in findings)
        out.append(anonymizer.apply(value, findings)[0])
    return out


def redact_metadata(
    doc: Document,
    engine: PiiEngine,
    anonymizer: Anonymizer,
    counts: Counter[str],
    known: Known,
    skip: tuple[str, ...] = (),
) -> FieldFindings:
    """Redact `doc.metadata` in place; returns field -> entity types found there. Text fields
    in `skip` were redacted by the caller (the title, judged as a heading with the body)."""
    meta = doc.metadata
    fields: FieldFindings = {}
    texts: list[tuple[str, str]] = [
        (name, getattr(meta, name))
        for name in TEXT_FIELDS
        if getattr(meta, name) and name not in skip
    ]
    texts += [
        (f"extra.{name}", meta.extra[name])
        for name in EXTRA_TEXT_FIELDS
        if isinstance(meta.extra.get(name), str) and meta.extra[name]
    ]
    url = meta.url
    readable_url = _readable_url(url) if url else None
    if readable_url is not None:
        texts.append(("url", readable_url))
    found: list[set[str]] = [set() for _ in texts]
    new = redact_texts(
        [v for _, v in texts], engine, anonymizer, doc.language, counts, known, found
    )
    for (name, _), value, types in zip(texts, new, found, strict=True):
        if name == "url" and not types:
            continue  # nothing in it: the URL stays exactly as the page wrote it
        if name.startswith("extra."):
            meta.extra[name[len("extra.") :]] = value
        else:
            setattr(meta, name, value)
        if types:
            fields[name] = sorted(types)
    for name in PEOPLE_FIELDS:
        value = getattr(meta, name)
        if isinstance(value, list):
            setattr(meta, name, [whole(anonymizer, "PERSON", v, counts) for v in value])
        elif value:
            setattr(meta, name, whole(anonymizer, "PERSON", value, counts))
        if value:
            fields[name] = ["PERSON"]
    for name in ADDRESS_FIELDS:
        values = getattr(meta, name)
        setattr(meta, name, [mailbox(anonymizer, v, counts) for v in values])
        if values:
            kinds = {"EMAIL_ADDRESS" if "@" in v else "PERSON" for v in values}
            kinds |= {"PERSON" for v in values if (m := MAILBOX_RE.match(v)) and m["name"].strip()}
            fields[name.rstrip("_")] = sorted(kinds)
    names = [att for att in meta.attachments if att.name]
    found = [set() for _ in names]
    for att, value in zip(
        names,
        redact_texts(
            [a.name or "" for a in names], engine, anonymizer, doc.language, counts, known, found
        ),
        strict=True,
    ):
        att.name = value
    if any(found):
        fields["attachments"] = sorted(set().union(*found))
    _digest_identifiers(doc)
    return fields


def _digest_identifiers(doc: Document) -> None:
    meta = doc.metadata
    key = env_key()
    for name in ID_FIELDS:
        value = getattr(meta, name)
        if value:
            setattr(meta, name, identifier_digest(value, key))
    meta.references = [identifier_digest(v, key) for v in meta.references]


def identifier_digest(value: str, key: bytes | None = None) -> str:
    """`<digest@redacted.invalid>` for a Message-ID (angle brackets and spaces ignored)."""
    core = value.strip().strip("<>").strip().encode("utf-8", "surrogatepass")
    if key:
        digest = hmac.new(key, _ID_DOMAIN + core, hashlib.sha256).hexdigest()
    else:
        digest = hashlib.sha256(_ID_DOMAIN + core).hexdigest()
    return f"<{digest[:24]}@redacted.invalid>"


def _readable_url(url: str) -> str | None:
    """The URL with its escapes decoded (`%40` -> `@`), so detectors see the values in it."""
    try:
        return unquote_plus(url)
    except Exception:  # a malformed escape: read it as written
        return url


def whole(anonymizer: Anonymizer, entity_type: str, value: str, counts: Counter[str]) -> str:
    if not value.strip():
        return value
    counts[entity_type] += 1
    return anonymizer.replacement(entity_type, value.strip())[0]


def mailbox(anonymizer: Anonymizer, value: str, counts: Counter[str]) -> str:
    """'Anna Berg <anna@example.com>' -> '<PERSON_1> <EMAIL_ADDRESS_1>'."""
    m = MAILBOX_RE.match(value)
    if m:
        name, addr = m.group("name").strip().strip('"'), m.group("addr")
        parts = [whole(anonymizer, "PERSON", name, counts)] if name else []
        return " ".join([*parts, whole(anonymizer, "EMAIL_ADDRESS", addr, counts)])
    kind = "EMAIL_ADDRESS" if "@" in value else "PERSON"
    return whole(anonymizer, kind, value, counts)


__all__ = [
    "ADDRESS_FIELDS",
    "MAILBOX_RE",
    "PEOPLE_FIELDS",
    "TEXT_FIELDS",
    "FieldFindings",
    "identifier_digest",
    "mailbox",
    "redact_metadata",
    "redact_texts",
    "whole",
]
