"""Email addresses, phone numbers and driver licences: shape, validators and context words.

Numbers alone are weak evidence (tables, logs, order ids are full of them), so a phone-like
group of digits needs a strong shape (+country code, (area) code, extension, NANP grouping)
or a cue word nearby; dates, IPs, SSNs, year ranges and decimals are ruled out first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .findings import Finding
from .lexicon import PHONE_CUES

EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w\-@])"
)

_SEP = r"(?:[ .\-/\u2011\u2013]{1,2}|(?<=\))|(?=\())"
# A run of digit groups as phone numbers are written anywhere: "+41 (0)31 555 02 17",
# "(540)624-8670x36728", "02748/29563100", "+39 050117870", "0043 5242 70605889". Which runs are
# phone numbers is decided after (digit count, other kinds of numbers, cues, libphonenumber).
PHONE_RE = re.compile(
    r"(?<![\w+.\-/:@])"
    r"(?:\+|00|\(\+?)?\d{1,5}\)?"
    r"(?:" + _SEP + r"(?:\(\d{1,5}\)|\d{1,12})){1,6}"
    r"(?:[ ]?(?:x|ext\.?|extension|#)[ ]?\d{1,6})?"
    r"(?![\w\-/@]|[.,]\d)"
)
# Ten or more digits glued together after a '+' ("+14155552671") or next to a cue.
PHONE_PLAIN_RE = re.compile(r"(?<![\w+.\-/])(\+?\d{8,15})(?![\w\-/]|[.,]\d)")

_EXT_RE = re.compile(r"(?:x|ext\.?|extension|#)[ ]?\d{1,6}$")
_DATE_RE = re.compile(r"^(\d{1,4})[.\-/ ](\d{1,2})[.\-/ ](\d{1,4})$")
_DATE_PREFIX_RE = re.compile(
    r"^(?:\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}|\d{1,2}[.\-/]\d{1,2}[.\-/]\d{4})(?:\D|$)"
)
_NANP_RE = re.compile(r"^(?:\+?1[ .\-])?\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}$")
_SSN_RE = re.compile(r"^\d{3}-\d{2}-\d{4}$")
_CUE_RE = re.compile(
    r"(?<![\w])(?:"
    + "|".join(re.escape(c) for c in sorted(PHONE_CUES, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)
_REGIONS = (
    "US",
    "GB",
    "DE",
    "FR",
    "IN",
    "AU",
    "CA",
    "NL",
    "ES",
    "IT",
    "BR",
    "SE",
    "PL",
    "CH",
    "AT",
    "BE",
    "DK",
    "FI",
    "NO",
    "CZ",
    "PT",
    "IE",
)
# One-letter labels of a signature or a business card line: "M: ...", "T. ...".
_LINE_LABEL_RE = re.compile(r"(?:^|\n)[ \t]*[MTPFmtpf][ \t]*[:.][ \t]*$")
# Words before a number that make it an id, not a phone: "Order 123 456 789", "Ticket 4411".
_ID_CUE_RE = re.compile(
    r"(?:order|ticket|invoice|ref|reference|id|no|number|case|account|acct|po|sku|item|version|"
    r"build|serial|tracking|receipt|transaction|batch|lot)[ \t]*(?:no\.?|number|#)?[ \t]*[:#.]?[ \t]*$",
    re.IGNORECASE,
)


def find_emails(text: str) -> list[Finding]:
    return [
        Finding(m.start(), m.end(), "EMAIL_ADDRESS", 0.9, "email") for m in EMAIL_RE.finditer(text)
    ]


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _looks_like_other_number(body: str) -> bool:
    """Dates, IPs, SSNs, year ranges and decimals are not phone numbers."""
    m = _DATE_RE.match(body)
    if m:
        a, b, c = (int(x) for x in m.groups())
        if (len(m.group(1)) == 4 and 1 <= b <= 12 and 1 <= c <= 31) or (
            len(m.group(3)) in (2, 4) and 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)
        ):
            return True
    if body.count(".") == 3 and all(p.isdigit() and int(p) <= 255 for p in body.split(".")):
        return True
    if _DATE_PREFIX_RE.match(body) or _SSN_RE.match(body):
        return True
    parts = re.split(r"[ .\-\u2013]+", body)
    # A year range: 1990-2005.
    return len(parts) == 2 and all(len(p) == 4 and p[:2] in ("19", "20") for p in parts)


def _has_cue(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start]
    after = text[end : end + 16]
    return bool(
        _CUE_RE.search(before)
        or _CUE_RE.search(after.split("\n", 1)[0])
        or _LINE_LABEL_RE.search(before)
    )


def _id_before(text: str, start: int) -> bool:
    return _ID_CUE_RE.search(text, max(0, start - 24), start) is not None


@lru_cache(maxsize=4096)
def _valid_somewhere(candidate: str) -> bool:
    """True when `phonenumbers` says this is a valid number (international, or in a common region)."""
    import phonenumbers

    regions = (None,) if candidate.lstrip().startswith(("+", "00")) else _REGIONS
    number = candidate.lstrip()
    if number.startswith("00"):
        number = "+" + number[2:]
    for region in regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


@lru_cache(maxsize=4096)
def _possible_international(candidate: str) -> bool:
    import phonenumbers

    number = "+" + candidate[2:] if candidate.startswith("00") else candidate
    try:
        return bool(phonenumbers.is_possible_number(phonenumbers.parse(number, None)))
    except phonenumbers.NumberParseException:
        return False


def find_phones(text: str) -> list[Finding]:
    out: list[Finding] = _phone_cells(text)
    for m in PHONE_RE.finditer(text):
        body = m.group(0).rstrip(" .-")
        start, end = m.start(), m.start() + len(body)
        if body.startswith("(") and ")" not in body:
            # An opening parenthesis with no close belongs to the sentence ("(2016-02-01)."),
            # not to the number: the span starts after it.
            body, start = body[1:], start + 1
        ext = _EXT_RE.search(body)
        main = body[: ext.start()].rstrip() if ext else body
        n = len(_digits(main)) - (2 if main.startswith("00") else 0)  # "00" is the "+"
        if n < 7 or n > 15 or _looks_like_other_number(main):
            continue
        intl = main.startswith(("+", "00"))
        cue = _has_cue(text, start, end)
        if intl and not cue and not _possible_international(main):
            continue  # "+0000 2022" is a time zone and a year
        strong = intl or main.startswith("(") or bool(ext) or bool(_NANP_RE.match(main))
        score = 0.6 if strong else 0.3
        if cue:
            score += 0.35
        elif _id_before(text, start):
            continue
        elif (strong or main.startswith("0")) and _valid_somewhere(main):
            # libphonenumber's metadata knows the number plan: a trunk-prefixed national number
            # ("0612 ...", "(01632) ...") that is valid in a common region is a phone number.
            score += 0.15 if strong else 0.2
        out.append(Finding(start, end, "PHONE_NUMBER", min(score, 0.95), "phone"))
    for m in PHONE_PLAIN_RE.finditer(text):
        body = m.group(1)
        if body.startswith("+"):
            if _valid_somewhere(body):
                out.append(Finding(m.start(1), m.end(1), "PHONE_NUMBER", 0.75, "phone"))
        elif 8 <= len(body) <= 13 and _has_cue(text, m.start(1), m.end(1)):
            out.append(Finding(m.start(1), m.end(1), "PHONE_NUMBER", 0.6, "phone"))
        elif (
            body.startswith("0")
            and 9 <= len(body) <= 12
            and not _id_before(text, m.start(1))
            and _valid_somewhere(body)
        ):
            out.append(Finding(m.start(1), m.end(1), "PHONE_NUMBER", 0.5, "phone"))
    return out


_LICENCE_CUE_RE = re.compile(
    r"(?:driver'?s?|driving|drivers)[\s\-]+licen[cs]e|\bDL\b|\bD\.L\.|licen[cs]e\s+(?:no\.?|number|#)|"
    r"f(?:ü|ue)hrerschein|permis de conduire",
    re.IGNORECASE,
)
_LICENCE_VALUE_RE = re.compile(
    r"(?<![\w\-])([A-Z0-9](?:[A-Z0-9\-]{3,18})[A-Z0-9])(?![\w\-])", re.IGNORECASE
)


def find_licences(text: str) -> list[Finding]:
    """Driver licence numbers: formats vary by state and country, so a cue is required."""
    out: list[Finding] = []
    for cue in _LICENCE_CUE_RE.finditer(text):
        window = text[cue.end() : cue.end() + 40]
        for m in _LICENCE_VALUE_RE.finditer(window):
            value = m.group(1)
            if sum(ch.isdigit() for ch in value) >= 4:
                out.append(
                    Finding(
                        cue.end() + m.start(1),
                        cue.end() + m.end(1),
                        "US_DRIVER_LICENSE",
                        0.8,
                        "licence",
                    )
                )
                break
    return out


_CARD_RE = re.compile(r"(?<![\w\-.])([2-6]\d{3}(?:[ \-]?\d){8,15})(?![\w\-]|[.,]\d)")
_CARD_CUE_RE = re.compile(
    r"\b(?:card|credit|debit|visa|mastercard|amex|cc|cvv|pan|kreditkarte|carte|tarjeta|carta|"
    r"cart[ãa]o)\b[^\n\d]{0,30}$",
    re.IGNORECASE,
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def find_cards(text: str) -> list[Finding]:
    """Card numbers: 12 to 19 digits that pass the Luhn check, or follow a card cue.

    A cue ("card", "visa", "Kreditkarte") is enough on its own: a customer who mistypes a digit
    of their card number has still written their card number.
    """
    out: list[Finding] = []
    for m in _CARD_RE.finditer(text):
        body = m.group(1)
        digits = _digits(body)
        if not 12 <= len(digits) <= 19:
            continue
        groups = re.split(r"[ \-]", body)
        if len(groups) > 1 and not all(len(g) in (4, 5, 6, 3) for g in groups):
            continue  # "4000 12 345": not written the way cards are
        cue = _CARD_CUE_RE.search(text, max(0, m.start() - 40), m.start()) is not None
        if cue:
            out.append(Finding(m.start(1), m.end(1), "CREDIT_CARD", 0.9, "card"))
        elif luhn_ok(digits) and len(digits) >= 13 and not _id_before(text, m.start(1)):
            out.append(Finding(m.start(1), m.end(1), "CREDIT_CARD", 0.6, "card"))
    return out


# Where a bare number is somebody's phone number: a cell of a row that names a person or holds
# an email address, a line of a signature block or of a contacts list, a column headed "phone".
_CELL_SEP = re.compile(r"\t|[ \t]*\|[ \t]*|[ \t]+>[ \t]+|[ \t]*;[ \t]*|,(?=\S)|:[ \t]+|,[ \t]+")
_NUMBER_CELL = re.compile(r"[ \t]*(?:[-*•][ \t]+)?(?P<n>\+?\(?\d[\d ()./\-]{5,22}\d)[ \t]*")
_NAME_CELL = re.compile(r"(?:^|[ \t\-*•])[A-ZÀ-ÖØ-Þ][\w'’\-]+[ \t]+[A-ZÀ-ÖØ-Þ][\w'’\-]+")
_CONTACT_HEADER = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?:contacts?|emergency contacts?|phone ?book|directory|team|"
    r"kontakte?|contactos?|contatti)[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
CLOSING_LINE = re.compile(
    r"^[ \t]*(?:best|regards|kind regards|best regards|warm regards|cheers|thanks|thank you|"
    r"sincerely|yours sincerely|yours|mit freundlichen gr(?:ü|ue)(?:ß|ss)en|viele gr(?:ü|ue)(?:ß|ss)e|"
    r"cordialement|saludos|atentamente|--)[ \t]*[,.!]?[ \t]*$",
    re.IGNORECASE,
)
_PHONE_HEADER = re.compile(
    r"^(?:phone|phone ?number|tel|telephone|mobile|cell|fax|telefon|téléphone|teléfono|telefone)$",
    re.IGNORECASE,
)


def _number_ok(body: str) -> bool:
    n = len(_digits(body))
    return 7 <= n <= 15 and not _looks_like_other_number(body)


def _phone_cells(text: str) -> list[Finding]:
    if not any(ch.isdigit() for ch in text):
        return []
    out: list[Finding] = []
    lines = text.split("\n")
    pos = 0
    header_col: int | None = None
    header_sep = ""
    since_closing = 99
    under_contacts = False
    for n, line in enumerate(lines):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            under_contacts = False
            since_closing = 99 if since_closing > 0 else since_closing
            continue
        if CLOSING_LINE.match(line):
            since_closing = 0
            continue
        since_closing += 1
        if _CONTACT_HEADER.match(line):
            under_contacts = True
            continue
        cells = _split_cells(line)
        if n == 0 or header_col is None:
            col = _phone_column(line)
            if col is not None:
                header_col, header_sep = col
                continue
        context = header_col is None and (
            under_contacts
            or since_closing <= 5
            or "@" in line
            or (len(cells) >= 2 and any(_NAME_CELL.search(line[a:b]) for a, b in cells))
        )
        for k, (a, b) in enumerate(cells):
            m = _NUMBER_CELL.fullmatch(line, a, b)
            if m is None or not _number_ok(m.group("n")):
                continue
            column = header_col is not None and header_sep and k == _col_index(line, a, header_sep)
            if context or column:
                out.append(
                    Finding(start + m.start("n"), start + m.end("n"), "PHONE_NUMBER", 0.6, "phone")
                )
    return out


def _split_cells(line: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for sep in _CELL_SEP.finditer(line):
        out.append((pos, sep.start()))
        pos = sep.end()
    out.append((pos, len(line)))
    return [(a, b) for a, b in out if b > a]


def _phone_column(line: str) -> tuple[int, str] | None:
    """(index, separator) of a "phone" column in a header row of a table or CSV."""
    for sep in ("\t", ";", ",", "|"):
        cells = [c.strip().strip('"') for c in line.split(sep)]
        if len(cells) < 2:
            continue
        for k, cell in enumerate(cells):
            if _PHONE_HEADER.match(cell):
                return k, sep
    return None


def _col_index(line: str, at: int, sep: str) -> int:
    return line.count(sep, 0, at)
