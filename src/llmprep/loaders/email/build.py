"""A `ParsedEmail` into documents: the message itself, then one child per loadable attachment."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator

from ...flags import make_flag
from ...models import Document, DocumentMetadata, Element
from ..base import SourceFile
from ..registry import get_registry, load_attachment
from .mime import Attachment, ParsedEmail
from .text_body import quote_flags

# Signature parts are never documents: skip the registry (and its "unsupported" warning).
_SIGNATURES = (
    "application/pgp-signature",
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
)
_EXTENSIONS = {
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "text/plain": ".txt",
    "text/html": ".html",
}


def header_element(meta: DocumentMetadata) -> Element | None:
    """'Subject: ...' lines for retrieval; PII redaction runs over this text like any other."""
    lines = []
    if meta.subject:
        lines.append(f"Subject: {meta.subject}")
    for label, values in (("From", meta.from_), ("To", meta.to), ("Cc", meta.cc)):
        if values:
            lines.append(f"{label}: {', '.join(values)}")
    date = meta.date or meta.extra.get("date_raw")
    if date:
        lines.append(f"Date: {date}")
    names = [a.name for a in meta.attachments if a.name]
    if names:
        lines.append(f"Attachments: {', '.join(names)}")
    return Element(type="email_header", text="\n".join(lines)) if lines else None


def build_document(
    source: SourceFile, parsed: ParsedEmail, *, sub_path: str | None, media_type: str | None
) -> Document:
    elements: list[Element] = []
    if source.config.email.header_element:
        header = header_element(parsed.metadata)
        if header is not None:
            elements.append(header)
    elements += parsed.elements
    doc = source.new_document(
        elements, metadata=parsed.metadata, sub_path=sub_path, media_type=media_type
    )
    doc.flags += parsed.flags + quote_flags(parsed.elements)
    if parsed.encrypted:
        doc.flags.append(make_flag("email_encrypted", parsed.encrypted))
    return doc


def emit(
    source: SourceFile,
    parsed: ParsedEmail,
    *,
    sub_path: str | None = None,
    media_type: str | None = None,
) -> Iterator[Document]:
    """Yield the message document, then its attachments' documents (unless encrypted)."""
    doc = build_document(source, parsed, sub_path=sub_path, media_type=media_type)
    yield doc
    if parsed.encrypted or not source.config.email.attachments:
        return
    for i, att in enumerate(parsed.attachments):
        att_path = f"{sub_path}/att/{i}" if sub_path else f"att/{i}"
        if att.data is None or not _worth_loading(source, att, att_path, i):
            continue
        yield from load_attachment(source, att.data, attachment_name(att, i), att_path, doc.id)


def attachment_name(att: Attachment, index: int) -> str:
    """The attachment's own name when it has a usable extension, else one from its media type."""
    ext = _EXTENSIONS.get(att.media_type) or mimetypes.guess_extension(att.media_type) or ""
    name = att.name or f"attachment-{index}{ext}"
    if att.is_message and not name.lower().endswith((".eml", ".msg")):
        name += ".eml"
    elif "." not in name.rsplit("/", 1)[-1] and ext:
        name += ext
    return name


def _worth_loading(source: SourceFile, att: Attachment, att_path: str, index: int) -> bool:
    if att.media_type in _SIGNATURES:
        return False

    child = source.child(att.data or b"", attachment_name(att, index), att_path)
    loader = get_registry().choose(child)
    # Same rule as the registry's: the text fallback only takes files named as text.
    return loader is not None and (loader.name != "text" or child.suffix in loader.extensions)
