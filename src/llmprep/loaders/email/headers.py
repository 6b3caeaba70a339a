"""Message headers into `DocumentMetadata`: addresses, subject, ISO 8601 UTC date, thread ids.

Raw header values are read from a message parsed under `compat32` (a plain string lookup) and
interpreted by `policy.default`'s header registry, the modern RFC 5322 / RFC 2047 parser. A
value that parser rejects is decoded again with the legacy API (`decode_header`,
`getaddresses`), so one bad header never loses the others. The modern policy re-parses
Content-Type on every access, which made it the main cost of reading a mailbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ...flags import make_flag
from ...models import DocumentMetadata, Flag

_MSGID = re.compile(r"<[^<>\s]+>")
_SPACES = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"[\r\n]")
_SURROGATES = re.compile(r"[\udc80-\udcff]")

ADDRESS_FIELDS = {"from": "from_", "to": "to", "cc": "cc", "bcc": "bcc", "reply-to": "reply_to"}


def raw_header(msg: Any, name: str) -> str | None:
    """The first value of a header as written (unfolded), 8-bit bytes decoded as UTF-8/cp1252."""
    wanted = name.lower()
    for key, value in getattr(msg, "_headers", ()):
        if key.lower() == wanted:
            text = value if isinstance(value, str) else str(value)
            text = _LINE_BREAKS.sub("", text)
            return _fix_8bit(text) if _SURROGATES.search(text) else text
    return None


def _fix_8bit(text: str) -> str:
    # The bytes parser keeps raw 8-bit header bytes as surrogate escapes.
    data = text.encode("ascii", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _modern(name: str, raw: str) -> Any:
    from email import policy

    return policy.default.header_factory(name, raw)


def header_text(msg: Any, name: str) -> str | None:
    """A header's decoded text (RFC 2047 words decoded), or None when absent or empty."""
    raw = raw_header(msg, name)
    if raw is None:
        return None
    try:
        text = str(_modern(name, raw))
    except Exception:  # the modern parser rejected it: legacy decoding
        text = decode_words(raw)
    text = _SPACES.sub(" ", text).strip()
    return text or None


def decode_words(raw: str) -> str:
    """RFC 2047 encoded words with the legacy API (tolerant of unknown charsets)."""
    from email.header import decode_header

    if "=?" not in raw:
        return raw
    try:
        parts = decode_header(raw)
    except Exception:
        return raw
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(_decode_chunk(chunk, charset))
        else:
            out.append(chunk)
    return "".join(out)


def _decode_chunk(chunk: bytes, charset: str | None) -> str:
    for enc in (charset, "utf-8"):
        if not enc:
            continue
        try:
            return chunk.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return chunk.decode("cp1252", errors="replace")


def header_addresses(msg: Any, name: str) -> list[str]:
    """Addresses of an address header as 'Name <addr>' strings, groups flattened."""
    raw = raw_header(msg, name)
    if raw is None or not raw.strip():
        return []
    try:
        addresses = _modern(name, raw).addresses
        found = [
            format_address(a.display_name, a.addr_spec)
            for a in addresses
            if a.addr_spec or a.display_name
        ]
        return found  # an empty group ("undisclosed-recipients:;") is rightly no address
    except Exception:
        return parse_address_list(decode_words(raw))


def parse_address_list(text: str) -> list[str]:
    from email.utils import getaddresses

    try:
        pairs = getaddresses([text])
    except Exception:
        return [text]
    out = [format_address(n, a) for n, a in pairs if a or n]
    return out or [text]


def format_address(name: str | None, addr: str | None) -> str:
    name = (name or "").strip()
    addr = (addr or "").strip()
    if name and addr and name.lower() != addr.lower():
        if any(c in name for c in ',;:<>@"'):  # quoted, so the list can be split again
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{addr}>"
    return addr or name


def message_ids(text: str | None) -> list[str]:
    """The `<id>` tokens of a Message-ID / In-Reply-To / References value, in order, unique."""
    if not text:
        return []
    found = _MSGID.findall(text) or text.split()
    return list(dict.fromkeys(found))


def iso_utc(raw: str | None) -> str | None:
    """RFC 5322 or ISO 8601 date text as 'YYYY-MM-DDTHH:MM:SSZ'; None when unparseable."""
    if not raw:
        return None
    parsed = _parse_date(raw.strip())
    if parsed is None:
        return None
    return format_utc(parsed)


def format_utc(value: datetime) -> str:
    if value.tzinfo is None:  # RFC 5322 "-0000" and ISO without offset: taken as UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_date(raw: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        pass
    try:  # asctime, as on mbox "From " lines
        return datetime.strptime(_SPACES.sub(" ", raw), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None


def headers_metadata(
    get: Callable[[str], str | None], addresses: Callable[[str], list[str]]
) -> tuple[DocumentMetadata, list[Flag]]:
    """Build the email fields of `DocumentMetadata` from header accessors."""
    meta = DocumentMetadata()
    flags: list[Flag] = []
    for header, field in ADDRESS_FIELDS.items():
        setattr(meta, field, addresses(header))
    subject = get("subject")
    meta.subject = subject
    meta.title = subject
    raw_date = get("date")
    if raw_date:
        meta.date = iso_utc(raw_date)
        if meta.date is None:
            meta.extra["date_raw"] = raw_date
            flags.append(make_flag("email_date_unparseable"))
    mid = message_ids(get("message-id"))
    meta.message_id = mid[0] if mid else None
    reply = message_ids(get("in-reply-to"))
    meta.in_reply_to = reply[0] if reply else None
    meta.references = message_ids(get("references"))
    meta.thread_id = thread_id(meta)
    return meta, flags


def message_metadata(msg: Any) -> tuple[DocumentMetadata, list[Flag]]:
    def get(name: str) -> str | None:
        if name == "subject":
            return header_text(msg, name)
        # Dates and message ids are parsed here; the raw text is what those parsers want.
        raw = raw_header(msg, name)
        return (_SPACES.sub(" ", raw).strip() or None) if raw is not None else None

    return headers_metadata(get, lambda n: header_addresses(msg, n))


def thread_id(meta: DocumentMetadata) -> str | None:
    """First of References, else In-Reply-To, else the message's own id."""
    if meta.references:
        return meta.references[0]
    return meta.in_reply_to or meta.message_id
