"""Email loaders: EML (RFC 822 / MIME), MBOX (streamed, one document per message), Outlook MSG.

Every message becomes a document whose elements are an `email_header` line block, the body
(text/plain when meaningful, else the HTML in full mode) with quoted replies and signatures as
`quote` / `signature` elements, followed by one child document per loadable attachment. An
encrypted message yields its headers-only document and then raises `EncryptedDocument`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...errors import EncryptedDocument
from ...models import Document
from ..base import Loader, SourceFile
from ..sniff import is_mbox, is_rfc822, strip_bom_ascii

_ENCRYPTED_MESSAGE = {
    "pgp": "the message body is PGP-encrypted; only headers were read",
    "smime": "the message body is S/MIME-encrypted; only headers were read",
}


def _encrypted(kind: str) -> EncryptedDocument:
    return EncryptedDocument(
        "email.encrypted",
        _ENCRYPTED_MESSAGE.get(kind, "the message body is encrypted; only headers were read"),
    )


def _sniff_wide_rfc822(head: bytes) -> bool:
    """UTF-16 messages without a BOM: squeeze the NULs and look for headers."""
    sample = head[:1024]
    if sample.count(0) < len(sample) // 3:
        return False
    return is_rfc822(sample.replace(b"\x00", b""))


class EmlLoader(Loader):
    name = "eml"
    version = "1"
    extensions = (".eml", ".emlx")
    media_types = ("message/rfc822",)
    priority = 10

    def sniff(self, head: bytes) -> bool:
        # A single message saved with its mbox From_ line is still one message; for files
        # without an extension the mbox loader outranks this one on such heads.
        return is_rfc822(head) or _from_line_then_headers(head) or _sniff_wide_rfc822(head)

    def load(self, source: SourceFile) -> Iterator[Document]:
        from .build import emit
        from .mime import parse_email_bytes

        data = source.read_bytes()
        if source.suffix == ".emlx":
            data = _strip_emlx(data)
        parsed = parse_email_bytes(data, prefer=source.config.email.body)
        if parsed.partial:
            source.mark_partial(*parsed.partial)
        yield from emit(source, parsed)
        if parsed.encrypted:
            raise _encrypted(parsed.encrypted)


def _strip_emlx(data: bytes) -> bytes:
    """Apple Mail .emlx: a byte count line, the message, then an XML plist."""
    first, _, rest = data.partition(b"\n")
    if first.strip().isdigit():
        return rest[: int(first.strip())]
    return data


def _from_line_then_headers(head: bytes) -> bool:
    if not is_mbox(head):
        return False
    # "From " starts a paragraph of plain text too; a mailbox has headers right after it.
    first, _, rest = strip_bom_ascii(head).partition(b"\n")
    return is_rfc822(rest) or (b"@" in first and b":" in rest[:200])


class MboxLoader(Loader):
    name = "mbox"
    version = "1"
    extensions = (".mbox", ".mbx", ".mbs")
    media_types = ("application/mbox",)
    priority = 11  # above eml: a file without extension starting with a From_ line is a mailbox

    def sniff(self, head: bytes) -> bool:
        return _from_line_then_headers(head)

    def load(self, source: SourceFile) -> Iterator[Document]:
        from .build import emit
        from .headers import iso_utc
        from .mbox import envelope_date, iter_mbox
        from .mime import parse_email_bytes

        limit = int(source.config.limits.max_attachment_mb * 1024 * 1024)
        prefer = source.config.email.body
        with source.open() as stream:
            for item in iter_mbox(stream, max_message_bytes=limit):
                sub_path = f"msg/{item.index}"
                if item.data is None:
                    source.warnings.append(f"email.message_too_large: {sub_path}")
                    source.mark_partial(
                        "email.message_too_large", "a message was over the size limit and skipped"
                    )
                    continue
                try:
                    parsed = parse_email_bytes(item.data, prefer=prefer)
                except Exception as exc:  # one bad message must not cost the rest of the mailbox
                    source.warnings.append(
                        f"email.message_failed: {sub_path} ({type(exc).__name__})"
                    )
                    source.mark_partial("email.message_failed", "a message could not be parsed")
                    continue
                if parsed.metadata.date is None and "date_raw" not in parsed.metadata.extra:
                    # No Date header: the envelope's delivery date is the next best thing.
                    parsed.metadata.date = iso_utc(envelope_date(item.envelope))
                    if parsed.metadata.date:
                        parsed.metadata.extra["date_source"] = "mbox_envelope"
                if parsed.partial:
                    source.warnings.append(f"{parsed.partial[0]}: {sub_path}")
                if parsed.encrypted:
                    # Raising would end the mailbox: the message keeps its headers and a flag.
                    source.warnings.append(f"email.encrypted: {sub_path}")
                yield from emit(source, parsed, sub_path=sub_path, media_type="message/rfc822")


class MsgLoader(Loader):
    name = "msg"
    version = "1"
    extensions = (".msg",)
    media_types = ("application/vnd.ms-outlook",)
    priority = 10

    def sniff(self, head: bytes) -> bool:
        from .msg import is_outlook_msg

        return is_outlook_msg(head)

    def load(self, source: SourceFile) -> Iterator[Document]:
        from .build import emit
        from .msg import parse_msg_bytes

        parsed = parse_msg_bytes(source.read_bytes(), prefer=source.config.email.body)
        if parsed.partial:
            source.mark_partial(*parsed.partial)
        yield from emit(source, parsed)
        if parsed.encrypted:
            raise _encrypted(parsed.encrypted)


__all__ = ["EmlLoader", "MboxLoader", "MsgLoader"]
