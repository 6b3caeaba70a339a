"""Email body text: charset fallback, and quoted replies / signatures marked as elements.

Quoted material is kept (type `quote` / `signature`) so nothing disappears; the chunker leaves
it out when `email.drop_quoted` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...flags import make_flag
from ...models import Element, Flag

# Single-byte charsets decode any bytes without error, so a lie is only visible another way.
_SINGLE_BYTE = re.compile(
    r"^(?:us-?ascii|ascii|iso[-_]?8859[-_]?\d+|latin[-_]?\d|windows-125\d|cp125\d|cp1252)$"
)


@dataclass
class DecodedBody:
    text: str
    encoding: str
    flags: list[Flag] = field(default_factory=list)


def decode_body(data: bytes, declared: str | None) -> DecodedBody:
    """Declared charset -> detected -> cp1252 with replacement; every fallback is flagged."""
    from ...textio import WEB_ALIASES, charset_label, decode_bytes

    charset = charset_label(declared)
    flags: list[Flag] = []
    if charset and _SINGLE_BYTE.match(charset) and not data.isascii():
        # A UTF-8 body labelled Latin-1 decodes "fine" into mojibake; valid multi-byte UTF-8
        # is almost never produced by accident, so it wins.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            flags.append(make_flag("email_charset_mismatch", "utf-8", charset))
            return DecodedBody(text, "utf-8", flags)
    if WEB_ALIASES.get(charset or "") == "cp1252" and not data.isascii():
        # As browsers do (WHATWG): Latin-1 and ASCII labels mean windows-1252, whose curly
        # quotes and dashes sit where Latin-1 has invisible C1 controls.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if charset in ("us-ascii", "ascii"):
                flags.append(make_flag("email_charset_mismatch", "cp1252", charset))
            return DecodedBody(text, "cp1252", flags)
    decoded = decode_bytes(data, charset)
    if charset and decoded.encoding != charset:
        flags.append(make_flag("email_charset_mismatch", decoded.encoding, charset))
    if decoded.lossy:
        flags.append(make_flag("encoding_lossy", decoded.encoding))
    return DecodedBody(decoded.text, decoded.encoding, flags)


# -- quotes and signatures ---------------------------------------------------------------------

_QUOTED_LINE = re.compile(r"^[ \t]*>")
_QUOTE_PREFIX = re.compile(r"^(?:[ \t]*>)+[ \t]?")
_WROTE = re.compile(
    r"^[ \t]*(?:On|Le|Am|El|Il|Op|Em|Den|På|W dniu)\b.{0,300}?"
    r"(?:wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu|skrev|napisał)[^\n:]{0,80}:[ \t]*$",
    re.IGNORECASE | re.DOTALL,
)
_ORIGINAL = re.compile(
    r"^[ \t]*-{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original"
    r"|Messaggio originale|Oorspronkelijk bericht)[ \t]*-{2,}[ \t]*$",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:Forwarded message|Forwarded Message|Weitergeleitete Nachricht|Message transféré)"
    r"[ \t]*-{2,}|Begin forwarded message:)[ \t]*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^[ \t]*\*?(?:From|Von|De|Van)\*?:\*?[ \t]+\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
    r"^[ \t]*\*?(?:Sent|Date|Gesendet|Envoyé|Enviado|Verzonden)\*?:\*?[ \t]", re.IGNORECASE
)
_RULE = re.compile(r"^[ \t]*_{5,}[ \t]*$")
_SIG_DELIM = re.compile(r"^--[ \t]?$")
_MOBILE_SIG = re.compile(
    r"^[ \t]*(?:Sent from my \w[\w ]{0,40}|Get Outlook for \w+)[ \t.]*$", re.IGNORECASE
)


def find_tail_quote(lines: list[str]) -> tuple[int, str] | None:
    """Index of the line where the quoted tail of a reply or forward starts, and its kind."""
    for i, line in enumerate(lines):
        if not line.strip() or _QUOTED_LINE.match(line):
            continue
        if _FORWARD.match(line):
            return i, "forward"
        if _ORIGINAL.match(line):
            return i, "reply"
        if _RULE.match(line) and i + 1 < len(lines) and _OUTLOOK_FROM.match(lines[i + 1]):
            return i, "reply"
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(x) for x in lines[i + 1 : i + 4]):
            return i, "reply"
        if re.match(r"^[ \t]*\S", line) and _looks_like_wrote(lines, i):
            return i, "reply"
    return None


def _looks_like_wrote(lines: list[str], i: int) -> bool:
    # Clients wrap long attributions ("On Mon, ... John Doe <\njohn@x.org> wrote:") over lines.
    for span in (1, 2, 3):
        joined = " ".join(x.strip() for x in lines[i : i + span])
        if len(joined) > 400:
            return False
        if _WROTE.match(joined):
            return True
    return False


def split_message_text(text: str) -> list[Element]:
    """Plain-text body into paragraph, quote and signature elements."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tail = find_tail_quote(lines)
    end = tail[0] if tail else len(lines)
    own, quoted = lines[:end], lines[end:]
    sig_at = next((i for i in range(len(own) - 1, -1, -1) if _SIG_DELIM.match(own[i])), None)
    signature: list[str] = []
    if sig_at is not None and len(own) - sig_at <= 25:  # a 200-line "signature" is not one
        own, signature = own[:sig_at], own[sig_at + 1 :]
    elif own and (last := _last_nonblank(own)) is not None and _MOBILE_SIG.match(own[last]):
        own, signature = own[:last], own[last:]
    elements = _body_elements(own)
    if any(x.strip() for x in signature):
        elements.append(Element(type="signature", text="\n".join(signature).strip("\n")))
    if quoted:
        elements += [
            Element(type="quote", text=p, metadata={"quote": tail[1] if tail else "reply"})
            for p in _paragraphs([_QUOTE_PREFIX.sub("", x) for x in quoted])
        ]
    return elements


def _last_nonblank(lines: list[str]) -> int | None:
    return next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)


def _body_elements(lines: list[str]) -> list[Element]:
    """Own text: paragraphs, with runs of `>` lines (inline quoting) as quote elements."""
    out: list[Element] = []
    run: list[str] = []
    quoting = False
    for line in [*lines, ""]:
        is_quote = bool(_QUOTED_LINE.match(line))
        if line.strip() and is_quote != quoting:
            out += _flush(run, quoting)
            run, quoting = [], is_quote
        run.append(line)
    out += _flush(run, quoting)
    return out


def _flush(run: list[str], quoting: bool) -> list[Element]:
    if quoting:
        return [
            Element(type="quote", text=p, metadata={"quote": "inline"})
            for p in _paragraphs([_QUOTE_PREFIX.sub("", x) for x in run])
        ]
    out: list[Element] = []
    for para in _paragraphs(run):
        out += _list_items(para) or [Element(type="paragraph", text=para)]
    return out


_LIST_LINE = re.compile(r"^([ \t]*)(?:[-*+•·o]|\d{1,3}[.)])[ \t]+(\S.*)$")


def _list_items(para: str) -> list[Element] | None:
    """A paragraph made only of bullet / numbered lines (with indented continuations)."""
    lines = para.split("\n")
    first = _LIST_LINE.match(lines[0])
    if first is None:
        return None
    items: list[Element] = []
    base = len(first.group(1).expandtabs(4))
    for line in lines:
        m = _LIST_LINE.match(line)
        if m:
            level = max(0, len(m.group(1).expandtabs(4)) - base) // 2 + 1
            items.append(Element(type="list_item", text=m.group(2).strip(), level=min(level, 6)))
        elif items and line[:1] in (" ", "\t"):
            items[-1].text += " " + line.strip()
        else:
            return None
    return items


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line.rstrip())
        elif block:
            out.append("\n".join(block))
            block = []
    return out


def mark_quoted_elements(elements: list[Element]) -> list[Element]:
    """HTML bodies: from the first reply/forward attribution on, elements become quotes."""
    out: list[Element] = []
    kind: str | None = None
    for el in elements:
        if kind is None and el.type not in ("quote", "signature"):
            lines = el.text.split("\n")
            found = find_tail_quote(lines)
            if found is not None:
                at, kind = found
                head = "\n".join(lines[:at]).strip()
                if head:
                    out.append(el.model_copy(update={"text": head}))
                rest = "\n".join(lines[at:]).strip()
                if rest:
                    out.append(_as_quote(el, rest, kind))
                continue
        if kind is not None and el.type != "quote":
            out.append(_as_quote(el, el.text, kind))
        else:
            if el.type == "quote" and "quote" not in el.metadata:
                el.metadata = {**el.metadata, "quote": "inline"}
            out.append(el)
    return out


def _as_quote(el: Element, text: str, kind: str) -> Element:
    return Element(
        type="quote",
        text=text,
        page=el.page,
        metadata={**el.metadata, "quote": kind, "was": el.type},
    )


def quote_flags(elements: list[Element]) -> list[Flag]:
    flags = []
    quotes = sum(1 for e in elements if e.type == "quote")
    if quotes:
        flags.append(make_flag("email_quoted", quotes))
    if any(e.type == "signature" for e in elements):
        flags.append(make_flag("email_signature"))
    return flags
