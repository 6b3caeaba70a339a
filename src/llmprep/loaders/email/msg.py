"""Outlook .msg (OLE2 / MS-OXMSG) into a `ParsedEmail`, through python-oxmsg.

Header fields come from the transport headers when the message kept them, and from MAPI
properties otherwise. S/MIME messages are stored by Outlook as one `smime.p7m` attachment:
a multipart/signed one holds the whole MIME message (read normally), anything else is encrypted.
"""

from __future__ import annotations

import struct
from typing import Any

from ...errors import CorruptDocument, UnsupportedFormat
from ...flags import make_flag
from ...models import Flag
from ..sniff import is_ole2
from .headers import (
    format_address,
    format_utc,
    header_addresses,
    header_text,
    headers_metadata,
    parse_address_list,
)
from .mime import PKCS7, Attachment, ParsedEmail, parse_email_bytes
from .text_body import decode_body, split_message_text

# MAPI property ids (MS-OXPROPS).
PID_TRANSPORT_MESSAGE_HEADERS = 0x007D
PID_INTERNET_MESSAGE_ID = 0x1035
PID_IN_REPLY_TO_ID = 0x1042
PID_INTERNET_REFERENCES = 0x1039
PID_RECIPIENT_TYPE = 0x0C15
PID_ATTACH_METHOD = 0x3705
PID_RTF_COMPRESSED = 0x1009
ATTACH_EMBEDDED_MSG = 5
RECIPIENT_FIELDS = {1: "to", 2: "cc", 3: "bcc"}

_MSG_MARKERS = tuple(
    s.encode("utf-16-le")
    for s in (
        "__substg1.0_",
        "__properties_version1.0",
        "__recip_version1.0",
        "__attach_version1.0",
        "IPM.",
    )
)


_OLE2_HEADER_BYTES = 512


def is_outlook_msg(head: bytes) -> bool:
    """OLE2 with MSG stream names or an IPM message class visible in the first bytes.

    The OLE2 magic alone is shared with .doc/.xls and encrypted OOXML; the directory sector is
    read when it lies inside `head` (small files), and the mini stream often holds the class.
    """
    if not is_ole2(head):
        return False
    if any(marker in head for marker in _MSG_MARKERS):
        return True
    try:
        shift = struct.unpack_from("<H", head, 0x1E)[0]
        first_dir = struct.unpack_from("<I", head, 0x30)[0]
    except struct.error:
        return False
    start = (first_dir + 1) << shift
    window = head[start : start + (1 << shift)]
    return any(marker in window for marker in _MSG_MARKERS)


def parse_msg_bytes(data: bytes, *, prefer: str = "plain") -> ParsedEmail:
    try:
        from oxmsg import Message
    except ImportError:  # a core dependency, but say what is missing if it is
        raise UnsupportedFormat("msg.dependency_missing", "python-oxmsg is not installed") from None
    try:
        msg = Message.load(data)
        return _parse(msg, prefer)
    except (UnsupportedFormat, CorruptDocument):
        raise
    except Exception as exc:
        if not is_ole2(data):
            raise UnsupportedFormat(
                "msg.not_outlook", "not an OLE2 compound file, as Outlook messages are"
            ) from None
        if len(data) < _OLE2_HEADER_BYTES:
            raise CorruptDocument(
                "msg.truncated", "Outlook message cut short (it ends inside its OLE2 header)"
            ) from None
        if not any(marker in data for marker in _MSG_MARKERS):
            # Another OLE2 file (.doc, .xls) named .msg: nothing says it was ever a message.
            raise UnsupportedFormat(
                "msg.not_outlook", "OLE2 file without Outlook message streams"
            ) from None
        if _cut_short(data):
            raise CorruptDocument(
                "msg.truncated", "Outlook message cut short (its OLE2 sectors end early)"
            ) from None
        # The container or its directory is damaged, while the bytes still carry Outlook's
        # stream names or message class: a broken message, not another format.
        raise CorruptDocument(
            "msg.corrupt", f"unreadable Outlook message ({type(exc).__name__})"
        ) from None


def _cut_short(data: bytes) -> bool:
    """True when olefile finds the compound file's sectors ending early (a truncated file)."""
    import olefile

    try:
        with olefile.OleFileIO(data):
            return False
    except Exception as exc:
        return "incomplete" in str(exc).lower()


def _parse(msg: Any, prefer: str) -> ParsedEmail:
    props = msg.properties
    headers = _transport_headers(props)
    message_class = (msg.message_class or "").upper()
    attachments, embedded = _attachments(msg)

    signed_mime = next(
        (
            a
            for a in attachments
            if message_class.startswith("IPM.NOTE.SMIME.MULTIPARTSIGNED") and a.data
        ),
        None,
    )
    if signed_mime is not None and signed_mime.data:
        # Outlook keeps a clear-signed message as its full MIME text in one attachment.
        inner = parse_email_bytes(signed_mime.data, prefer=prefer)
        meta, flags = _metadata(msg, headers)
        meta.attachments = inner.metadata.attachments
        meta.extra.update({"signed": "smime", "body": inner.metadata.extra.get("body", "none")})
        return ParsedEmail(
            meta,
            inner.elements,
            inner.attachments,
            flags + inner.flags,
            inner.encrypted,
            inner.partial,
        )

    meta, flags = _metadata(msg, headers)
    meta.attachments = [a.info() for a in attachments] + embedded
    parsed = ParsedEmail(metadata=meta, attachments=attachments, flags=flags)
    if embedded:
        flags.append(make_flag("email_embedded_msg_listed", len(embedded)))
    if _is_encrypted(message_class, headers, attachments):
        parsed.encrypted = "smime" if "SMIME" in message_class or _pkcs7(headers) else "pgp"
        return parsed
    parsed.elements, body_kind = _body(msg, prefer, flags)
    meta.extra["body"] = body_kind
    if body_kind == "none" and props.binary_prop_value(PID_RTF_COMPRESSED):
        parsed.partial = (
            "msg.rtf_body",
            "the message body is stored only as RTF, which is not read",
        )
    return parsed


def _transport_headers(props: Any) -> Any:
    from email import policy
    from email.parser import HeaderParser

    raw = props.str_prop_value(PID_TRANSPORT_MESSAGE_HEADERS) or ""
    return HeaderParser(policy=policy.compat32).parsestr(raw) if raw.strip() else None


def _metadata(msg: Any, headers: Any) -> tuple[Any, list[Flag]]:
    props = msg.properties
    recipients = _recipients(msg)

    def get(name: str) -> str | None:
        value = header_text(headers, name) if headers is not None else None
        if value:
            return value
        if name == "subject":
            return msg.subject or None
        if name == "date":
            sent = msg.sent_date
            return format_utc(sent) if sent else None
        pid = {
            "message-id": PID_INTERNET_MESSAGE_ID,
            "in-reply-to": PID_IN_REPLY_TO_ID,
            "references": PID_INTERNET_REFERENCES,
        }.get(name)
        return props.str_prop_value(pid) if pid else None

    def addresses(name: str) -> list[str]:
        found = header_addresses(headers, name) if headers is not None else []
        if found:
            return found
        if name == "from":
            sender = msg.sender
            return parse_address_list(sender) if sender else []
        return recipients.get(name, [])

    return headers_metadata(get, addresses)


def _recipients(msg: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rec in msg.recipients:
        try:
            kind = RECIPIENT_FIELDS.get(
                rec.properties.int_prop_value(PID_RECIPIENT_TYPE) or 1, "to"
            )
            name, addr = (rec.name or "").strip(), (rec.email_address or "").strip()
        except Exception:
            continue
        value = format_address(name, addr)
        if value:
            out.setdefault(kind, []).append(value)
    return out


def _attachments(msg: Any) -> tuple[list[Attachment], list[Any]]:
    from ...models import AttachmentInfo

    loaded: list[Attachment] = []
    embedded: list[AttachmentInfo] = []
    for att in msg.attachments:
        try:
            method = att.properties.int_prop_value(PID_ATTACH_METHOD)
            name = att.file_name or att.properties.str_prop_value(
                0x3704
            )  # long name, else 8.3 name
            media_type = (att.mime_type or "application/octet-stream").lower()
            if method == ATTACH_EMBEDDED_MSG:
                # An attached Outlook item lives as a sub-storage, not bytes; listed only.
                embedded.append(AttachmentInfo(name=name, media_type="application/vnd.ms-outlook"))
                continue
            data = att.file_bytes
        except Exception:
            continue
        loaded.append(Attachment(name=name, media_type=media_type, data=data))
    return loaded, embedded


def _pkcs7(headers: Any) -> bool:
    if headers is None:
        return False
    ctype = (header_text(headers, "content-type") or "").lower()
    return any(p in ctype for p in PKCS7) and "signed-data" not in ctype


def _is_encrypted(message_class: str, headers: Any, attachments: list[Attachment]) -> bool:
    if message_class.startswith("IPM.NOTE.SMIME") and "MULTIPARTSIGNED" not in message_class:
        return True
    ctype = (header_text(headers, "content-type") or "").lower() if headers is not None else ""
    if ctype.startswith("multipart/encrypted") or _pkcs7(headers):
        return True
    return any(a.media_type in ("application/pgp-encrypted", *PKCS7) for a in attachments)


def _body(msg: Any, prefer: str, flags: list[Flag]) -> tuple[list[Any], str]:
    from .html_body import html_elements
    from .text_body import mark_quoted_elements

    plain = msg.body or ""
    try:
        html = msg.html_body
    except Exception:  # an unknown internet code page: decode the raw bytes ourselves
        raw = msg.properties.binary_prop_value(0x1013)
        html = decode_body(raw, None).text if raw else None
    use_html = bool(html) and (prefer == "html" or not plain.strip())
    if use_html and html:
        elements, html_flags = html_elements(html)
        flags += html_flags
        return mark_quoted_elements(elements), "html"
    if plain.strip():
        return split_message_text(plain), "plain"
    return [], "none"
