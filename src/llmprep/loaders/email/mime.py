"""A MIME message into a `ParsedEmail`: headers, chosen body, attachments, encryption state.

The tree is parsed once with the stdlib feed parser; header values are interpreted by
`policy.default`'s header registry with a legacy fallback per header (see `email_headers`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from email.errors import CloseBoundaryNotFoundDefect
from typing import Any

from ...flags import make_flag
from ...models import AttachmentInfo, DocumentMetadata, Element, Flag
from .headers import message_metadata
from .html_body import html_elements
from .text_body import decode_body, mark_quoted_elements, split_message_text

PKCS7 = ("application/pkcs7-mime", "application/x-pkcs7-mime")
_MAX_DEPTH = 40  # MIME nesting deeper than this is hostile, not mail
_WORD = re.compile(r"\w+")
_PGP_ARMOR = re.compile(r"^\s*-----BEGIN PGP MESSAGE-----", re.MULTILINE)
_PGP_SIGNED = re.compile(
    r"^-----BEGIN PGP SIGNED MESSAGE-----\n(?:Hash:[^\n]*\n)*\n?", re.MULTILINE
)
_PGP_SIGNATURE = re.compile(
    r"\n?-----BEGIN PGP SIGNATURE-----.*?-----END PGP SIGNATURE-----\s*", re.DOTALL
)


@dataclass
class Attachment:
    name: str | None
    media_type: str
    data: bytes | None
    is_message: bool = False

    def info(self) -> AttachmentInfo:
        return AttachmentInfo(
            name=self.name,
            media_type=self.media_type,
            size=len(self.data) if self.data is not None else None,
        )


@dataclass
class ParsedEmail:
    metadata: DocumentMetadata
    elements: list[Element] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    encrypted: str | None = None  # "pgp" / "smime" when the body cannot be read
    partial: tuple[str, str] | None = None  # (code, message) when only part was read


def transcode_wide(data: bytes) -> bytes | None:
    """UTF-16/32 messages (with or without a BOM) re-encoded as UTF-8, else None."""
    from ...textio import bom_encoding

    bom = bom_encoding(data)
    enc: str | None = None
    skip = 0
    if bom and bom[0] != "utf-8":
        enc, skip = bom
    else:
        sample = data[:512]
        if len(sample) >= 16:
            even_nul = sample[0::2].count(0) / len(sample[0::2])
            odd_nul = sample[1::2].count(0) / len(sample[1::2])
            if odd_nul > 0.4 and even_nul < 0.05:
                enc = "utf-16-le"
            elif even_nul > 0.4 and odd_nul < 0.05:
                enc = "utf-16-be"
    if enc is None:
        return None
    return data[skip:].decode(enc, errors="replace").encode("utf-8")


def parse_email_bytes(data: bytes, *, prefer: str = "plain") -> ParsedEmail:
    """Parse one RFC 822 message; never raises for malformed mail.

    The MIME tree is read with the `compat32` API (plain string header lookups); header values
    go through `policy.default`'s parsers in `email_headers`, per header, with a legacy fallback.
    """
    from email import policy
    from email.parser import BytesParser

    flags: list[Flag] = []
    wide = transcode_wide(data)
    if wide is not None:
        data = wide
        flags.append(make_flag("email_utf16"))
    msg = BytesParser(policy=policy.compat32).parsebytes(data)
    parsed = _parse_message(msg, prefer)
    parsed.flags[:0] = flags
    return parsed


def _parse_message(msg: Any, prefer: str) -> ParsedEmail:
    meta, flags = message_metadata(msg)
    walker = MimeWalker(prefer)
    walker.walk(msg, root=True)
    meta.attachments = [a.info() for a in walker.attachments]
    if walker.signed:
        meta.extra["signed"] = walker.signed
    meta.extra["body"] = walker.body_kind or "none"
    if walker.truncated:
        # A flag, not a partial read: some mailers omit the closing boundary of complete
        # messages, so whether anything was lost cannot be told from the message itself.
        meta.extra["truncated"] = "email: a MIME part ends before its closing boundary"
    return ParsedEmail(
        metadata=meta,
        elements=walker.elements,
        attachments=walker.attachments,
        flags=flags + walker.flags,
        encrypted=walker.encrypted,
        partial=walker.partial,
    )


class MimeWalker:
    """Depth-first over the MIME tree: body parts become elements, the rest attachments."""

    def __init__(self, prefer: str) -> None:
        self.prefer = prefer
        self.elements: list[Element] = []
        self.attachments: list[Attachment] = []
        self.flags: list[Flag] = []
        self.encrypted: str | None = None
        self.signed: str | None = None
        self.partial: tuple[str, str] | None = None
        self.body_kind: str | None = None
        self.truncated = False

    def walk(self, part: Any, depth: int = 0, *, root: bool = False) -> None:
        if depth > _MAX_DEPTH:
            self.partial = (
                "email.too_deep",
                "MIME nesting deeper than the limit; the rest was skipped",
            )
            return
        ctype = part.get_content_type()
        if ctype == "multipart/encrypted":
            protocol = (part.get_param("protocol") or "").lower()
            self.encrypted = (
                "pgp" if "pgp" in protocol else "smime" if "pkcs7" in protocol else "encrypted"
            )
        elif ctype in PKCS7:
            smime = str(part.get_param("smime-type") or "").lower()
            if smime in ("signed-data", "certs-only"):
                # Opaque signing wraps the content in CMS, which needs a crypto parser to open.
                self.partial = ("email.opaque_signed", "S/MIME opaque-signed content is not read")
                self.signed = "smime"
                self._attach(part)
            else:
                self.encrypted = "smime"
        elif ctype in ("message/rfc822", "message/global"):
            self._attach(part, message=True)
        elif part.is_multipart():
            self._multipart(part, ctype, depth)
        elif part.get_content_maintype() == "multipart":
            self._text_body(part, "plain")  # a multipart whose boundary never came: keep its text
        elif ctype in ("text/plain", "text/html") and (root or _is_inline_text(part)):
            self._text_body(part, part.get_content_subtype())
        else:
            self._attach(part)

    def _multipart(self, part: Any, ctype: str, depth: int) -> None:
        if any(isinstance(d, CloseBoundaryNotFoundDefect) for d in part.defects):
            # The closing boundary never came: the message was cut (a partial download, a
            # mailbox cut mid-message); its last part is incomplete.
            self.truncated = True
        children = [c for c in part.get_payload() if c is not None]
        if not children:
            return
        sub = ctype.split("/", 1)[1]
        if sub == "alternative":
            self._alternative(children, depth)
        elif sub == "signed":
            self.signed = self.signed or str(part.get_param("protocol") or "signed").lower()
            self.walk(children[0], depth + 1)  # the rest is the signature itself
        elif sub == "related":
            start = str(part.get_param("start") or "").strip()
            root = next(
                (c for c in children if start and str(c.get("content-id", "")).strip() == start),
                children[0],
            )
            self.walk(root, depth + 1)
            for other in children:
                if other is root:
                    continue
                if other.is_multipart():
                    self.walk(other, depth + 1)
                else:
                    self._attach(other)  # inline images and other resources of the HTML
        else:
            for child in children:
                self.walk(child, depth + 1)

    def _alternative(self, children: list[Any], depth: int) -> None:
        kinds = [(_text_kind(c), c) for c in children]
        plains = [c for k, c in kinds if k == "plain"]
        htmls = [c for k, c in kinds if k == "html"]
        chosen = None
        if self.prefer == "html" and htmls:
            chosen = htmls[-1]
        elif plains:
            chosen = plains[-1]
            if htmls and not self._plain_is_meaningful(plains[-1], htmls[-1]):
                chosen = htmls[-1]
        elif htmls:
            chosen = htmls[-1]
        else:
            chosen = children[-1]  # RFC 2046: the last alternative is the richest
        self.walk(chosen, depth + 1)
        for kind, child in kinds:
            if kind is None and child is not chosen:
                self._attach(child)  # e.g. a text/calendar invitation next to the text

    def _plain_is_meaningful(self, plain: Any, html: Any) -> bool:
        """Plain text wins unless it is empty or a stub ("view this email in HTML")."""
        text = _leaf_text(plain)
        words = len(_WORD.findall(text))
        if words >= 30:
            return True
        if words == 0:
            return False
        html_leaf = _first_leaf(html, "text/html")
        if html_leaf is None:
            return True
        from .html_body import fallback_html_elements

        html_words = sum(
            len(_WORD.findall(e.text)) for e in fallback_html_elements(_leaf_text(html_leaf))
        )
        return words >= 0.2 * html_words

    def _text_body(self, part: Any, subtype: str) -> None:
        data = part.get_payload(decode=True) or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        decoded = decode_body(data, _charset(part))
        self.flags += decoded.flags
        text = decoded.text
        if subtype == "html":
            elements, flags = html_elements(text)
            self.flags += flags
            elements = mark_quoted_elements(elements)
            self.body_kind = self.body_kind or "html"
        else:
            if _PGP_ARMOR.match(text):
                self.encrypted = "pgp"
                return
            if text.lstrip().startswith("-----BEGIN PGP SIGNED MESSAGE-----"):
                self.signed = self.signed or "pgp-inline"
                text = _PGP_SIGNATURE.sub("\n", _PGP_SIGNED.sub("", text, count=1))
            elements = split_message_text(text)
            self.body_kind = self.body_kind or "plain"
        self.elements += elements

    def _attach(self, part: Any, *, message: bool = False) -> None:
        try:
            name = part.get_filename()
        except Exception:
            name = None
        ctype = part.get_content_type()
        data: bytes | None
        if message and part.is_multipart():
            data = message_bytes(part.get_payload(0))
        else:
            raw = part.get_payload(decode=True)
            data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
        self.attachments.append(
            Attachment(name=_clean_name(name), media_type=ctype, data=data, is_message=message)
        )


def _is_inline_text(part: Any) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment":
        return False
    try:
        has_name = bool(part.get_filename())
    except Exception:
        has_name = False
    return not has_name or disposition == "inline"


def _text_kind(part: Any) -> str | None:
    """'plain' / 'html' for what an alternative shows, looking inside multipart/related."""
    ctype = part.get_content_type()
    if ctype == "text/plain":
        return "plain"
    if ctype == "text/html":
        return "html"
    if part.is_multipart() and ctype != "multipart/encrypted":
        for child in part.get_payload():
            kind = _text_kind(child)
            if kind:
                return kind
    return None


def _first_leaf(part: Any, ctype: str) -> Any:
    if part.get_content_type() == ctype:
        return part
    if part.is_multipart():
        for child in part.get_payload():
            found = _first_leaf(child, ctype)
            if found is not None:
                return found
    return None


def _leaf_text(part: Any) -> str:
    if part.is_multipart():
        leaf = _first_leaf(part, "text/plain")
        if leaf is None:
            return ""
        part = leaf
    data = part.get_payload(decode=True) or b""
    if isinstance(data, str):
        return data
    return decode_body(data, _charset(part)).text


def _charset(part: Any) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _clean_name(name: str | None) -> str | None:
    """A display name only: no directories, no control characters (it never reaches the disk)."""
    if not name:
        return None
    from .headers import decode_words

    name = decode_words(str(name))
    name = re.sub(r"[\x00-\x1f\x7f]", "", str(name)).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:255] or None


def message_bytes(msg: Any) -> bytes | None:
    """Serialize an embedded message back to bytes, as close to how it was parsed as possible."""
    from email import policy
    from email.generator import BytesGenerator

    for pol in (policy.compat32, policy.default):
        try:
            buf = io.BytesIO()
            BytesGenerator(buf, mangle_from_=False, policy=pol).flatten(msg)
            return buf.getvalue()
        except Exception:
            continue
    return None
