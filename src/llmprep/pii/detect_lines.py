"""Names that structure gives away: contact rows, people lists, signature blocks, chat.

A small NER model reads lines without sentences poorly: a CSV row, a bullet under "Attendees",
a "Name > Job > Company" signature. Here a name-shaped cell (two to four capitalized words, not
all of them ordinary words) counts as a person when its line or block says people are listed:
the same line holds an email address or a phone number, the block is headed by a word for
people, the line follows a signature delimiter, or a cell beside it is a job title.
Lower-case names (chat) are taken only after a strong cue and when the word is no ordinary word.
"""

from __future__ import annotations

import re

from .detect_contact import CLOSING_LINE
from .findings import CUE_SCORE, Finding
from .lexicon import (
    LOWER,
    NAME_PARTICLES,
    ORG_SUFFIXES,
    ROLE_WORDS,
    STOP_WORDS,
    UPPER,
    is_common_word,
)

_CELL_SPLIT = re.compile(r"\t|[ \t]*\|[ \t]*|[ \t]+>[ \t]+|[ \t]*;[ \t]*|,(?=\S)|:[ \t]+")
# On a short line of a list or beside contact data a spaced dash and an opening bracket end a
# name too ("1. Ana Silva - 0612 345", "- Ana Silva (Legal)"); under a people heading and
# beside contact data a comma as well ("- Ana Silva, Acme Ltd"). In prose they do not: a
# sentence is no row of cells.
_ROW_SPLIT = re.compile(_CELL_SPLIT.pattern + r"|[ \t]+[-–—][ \t]+|[ \t]+\(")
_LISTED_SPLIT = re.compile(_ROW_SPLIT.pattern + r"|,[ \t]+")
SHORT_ROW = 100
_MARKER = re.compile(r"[ \t]*(?:[-*•·–]|\d{1,2}[.)]|\(\d{1,2}\))?[ \t]*")
_NAME_WORD = re.compile(f"[{UPPER}][{LOWER}'’\\-]+|[{UPPER}]\\.|[{UPPER}]{{2,}}")
_CONTACT_ON_LINE = re.compile(
    r"@[\w\-]+\.[\w.\-]+|(?:\+|\b0)\d[\d ()./\-]{6,}\d|\(\d{2,5}\)[ ]?\d|\b\d{3}[ .\-]\d{3}[ .\-]\d{4}\b"
    r"|\b[A-Z]{2}\d{2}[ ]?[A-Z0-9]{4}[ ]?[0-9]{4}"
)
_PEOPLE_HEADER = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?:attendees|participants|speakers|contacts|emergency contacts|members|"
    r"team members|present|invitees|guests|panel(?:ists)?|signatories|authors|recipients|"
    r"interviewees|witnesses|staff|people|cc)[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
_SIG_DELIM = re.compile(r"^[ \t]*--[ \t]*$")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}")


def _name_cell(cell: str, ordinary_ok: bool = False) -> tuple[int, int] | None:
    """(start, end) of a name filling the whole cell, in cell offsets.

    A cell of ordinary words only ("Quarterly Budget") is no name unless `ordinary_ok`: the
    context says people are listed (a people heading, a contact datum on the line), and many
    names are words too ("Roman Hill", "Grant Young").
    """
    stripped = cell.strip()
    if not stripped or len(stripped) > 60:
        return None
    lead = len(cell) - len(cell.lstrip())
    words = stripped.split()
    if not 2 <= len(words) <= 5:
        return None
    caps = 0
    for n, w in enumerate(words):
        if w.lower() in NAME_PARTICLES and 0 < n < len(words) - 1:
            continue
        if not _NAME_WORD.fullmatch(w.rstrip(",")):
            return None
        caps += 1
    if caps < 2 or all(is_common_word(w) for w in words):
        return None
    if any(w.lower().rstrip(".,") in ORG_SUFFIXES or w in ROLE_WORDS for w in words):
        return None
    from .ordinary import has_word_lists, is_ordinary

    if not ordinary_ok and has_word_lists() and all(is_ordinary(w) for w in words):
        return None  # "Quarterly Budget", "Next Steps": a table's or a list's own words
    return lead, lead + len(stripped)


def _cells(
    text: str, a: int, b: int, split: re.Pattern[str] = _CELL_SPLIT
) -> list[tuple[int, int]]:
    """(start, end) of the cells of the line text[a:b], list marker removed."""
    m = _MARKER.match(text, a, b)
    pos = m.end() if m else a
    out = []
    for sep in split.finditer(text, pos, b):
        out.append((pos, sep.start()))
        pos = sep.end()
    out.append((pos, b))
    return out


# A job title is a few words; a longer cell with a role word in it is a sentence.
_ROLE_CELL_WORDS = 8


def _role_cell(text: str, a: int, b: int) -> bool:
    words = text[a:b].split()
    return 0 < len(words) <= _ROLE_CELL_WORDS and any(w.strip(",.") in ROLE_WORDS for w in words)


_SENTENCE_END = re.compile(r"[.!?][ \t]+[A-ZÀ-ÖØ-Þ]")
_ROLE_THEN_COMPANY = re.compile(
    r"(?P<role>(?:[A-Z][\w&/\-]*|of|and|&)(?:[ \t]+(?:[A-Z][\w&/\-]*|of|and|&)){0,4}),[ \t]+"
    r"(?P<org>[A-ZÀ-ÖØ-Þ][^\n|;@]{0,60}?)[ \t]*$"
)


def _company_after_role(text: str, cells: list[tuple[int, int]]) -> list[Finding]:
    """'Senior Engineer, Lee, Morris and Snyder' on a signature line: after a job title and a
    comma comes the employer, whatever its shape (partners' names, one word, capitals)."""
    out = []
    for x, y in cells:
        m = _ROLE_THEN_COMPANY.fullmatch(text, x, y)
        if m is None or not any(w in ROLE_WORDS for w in m.group("role").split()):
            continue
        if _CONTACT_ON_LINE.search(m.group("org")) or any(
            w in ROLE_WORDS for w in m.group("org").split()
        ):
            continue
        out.append(Finding(m.start("org"), m.end("org"), "ORGANIZATION", CUE_SCORE, "org-listed"))
    return out


def find_listed_people(text: str) -> list[Finding]:
    out: list[Finding] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text)]
    lines = [(a, b) for n, (a, b) in enumerate(lines) if n == 0 or a != lines[n - 1][1]]
    under_header = False
    after_delim = 0
    since_closing = 99
    for a, b in lines:
        line = text[a:b]
        if not line.strip():
            under_header = False
            continue
        if _PEOPLE_HEADER.match(line):
            under_header = True
            continue
        if _SIG_DELIM.match(line):
            after_delim = 2
            continue
        since_closing += 1
        if CLOSING_LINE.match(line):
            since_closing = 0
            continue
        if _TABLE_RULE.match(text, b + 1):
            continue  # a table's header row: the names of its columns
        marker = _MARKER.match(line)
        listed = under_header and marker is not None and marker.end() > 0
        contact = _CONTACT_ON_LINE.search(line) is not None
        row = len(line) <= SHORT_ROW and (contact or (marker is not None and marker.end() > 0))
        # Beside contact data a comma ends a name too ("Ana Silva, reachable at ana@...").
        split = _LISTED_SPLIT if listed or (row and contact) else _ROW_SPLIT if row else _CELL_SPLIT
        cells = _cells(text, a, b, split)
        roles = [n for n, (x, y) in enumerate(cells) if _role_cell(text, x, y)]
        signature_row = len(cells) >= 2 and bool(roles)
        record = len(cells) >= 3 and any(ch.isdigit() for ch in line)
        named: set[int] = set()
        for n, (x, y) in enumerate(cells):
            first = n == 0
            strong = contact or (listed and first) or bool(after_delim and first)
            got = _name_cell(text[x:y], ordinary_ok=strong)
            if got is None:
                continue
            if strong or signature_row or (record and first):
                out.append(Finding(x + got[0], x + got[1], "PERSON", CUE_SCORE, "person-listed"))
                named.add(n)
        if record and contact and len(cells) >= 3:
            out += _record_cells(text, cells, named)
        if signature_row and roles[-1] + 1 < len(cells):
            x, y = cells[roles[-1] + 1]
            org = text[x:y].strip()
            if (
                org
                and org[0].isupper()
                and len(org.split()) <= _ROLE_CELL_WORDS
                and not _SENTENCE_END.search(org)
                and not _CONTACT_ON_LINE.search(org)
            ):
                lead = len(text[x:y]) - len(text[x:y].lstrip())
                out.append(
                    Finding(x + lead, x + lead + len(org), "ORGANIZATION", 0.5, "org-listed")
                )
        if after_delim or contact or since_closing <= 4:
            out += _company_after_role(text, cells)
        after_delim = max(0, after_delim - 1)
        if not under_header or marker is None or marker.end() == 0:
            under_header = under_header and marker is not None and marker.end() > 0
    return out


_POSTAL_CELL = re.compile(
    r"\d{4,6}|\d{3} \d{2}|\d{2}-\d{3}|\d{4}-\d{3}|\d{5}-\d{3}|[1-9]\d{3} ?[A-Z]{2}"
    r"|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]\d[\dW] ?[0-9A-Z]{4}"
)
_PLACE_CELL = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[ \-][A-Za-zÀ-ÖØ-öø-ÿ][^\W\d_]*){0,3}")


def _record_cells(text: str, cells: list[tuple[int, int]], named: set[int]) -> list[Finding]:
    """The other cells of a record that holds a person's contact data ("Bo Andersson;Borås;
    52625;SE45 ..."): a postal code, and a town (a capitalized word or two, no ordinary phrase)."""
    from .ordinary import has_word_lists, is_ordinary, is_plain_word

    out: list[Finding] = []
    for n, (x, y) in enumerate(cells):
        if n in named:
            continue
        raw = text[x:y]
        value = raw.strip()
        lead = x + len(raw) - len(raw.lstrip())
        if text.startswith(":", y):
            continue  # "Adresse: ...": a field's label
        if _POSTAL_CELL.fullmatch(value):
            out.append(Finding(lead, lead + len(value), "POSTAL_CODE", 0.55, "record-cell"))
        elif _PLACE_CELL.fullmatch(value) and not all(is_common_word(w) for w in value.split()):
            words = value.replace("-", " ").split()
            if has_word_lists() and all(
                is_ordinary(w) and (is_plain_word(w) or w.lower() in STOP_WORDS) for w in words
            ):
                continue  # "Next Steps", "Blue": words, not a town
            if (
                has_word_lists()
                and len(words) > 1
                and is_plain_word(words[0])
                and words[1].islower()
            ):
                continue  # "Call the desk (+41 ...)": a sentence's verb and object, not a town
            out.append(Finding(lead, lead + len(value), "LOCATION", 0.5, "record-cell"))
    return out


# Cues after which a lower-case word is somebody's name: "i'm lucas's sister", "this is
# maria", "ask tom about", "ok so julia said".
_LOWER_CUES = re.compile(
    r"(?:\b(?i:i'?m|i am|im|this is|it'?s|me and|ask|tell|told|thanks|thank you|hi|hey|hello|dear)"
    r"[ \t]+)(?P<name>[a-zà-öø-ÿ][a-zà-öø-ÿ\-]{1,20})(?P<rest>(?:[ \t]+[a-zà-öø-ÿ][a-zà-öø-ÿ\-]{1,20})?)"
    r"|(?:^|(?<=[.!?,;][ \t])|(?<=\bso[ \t])|(?<=\band[ \t])|(?<=\bbut[ \t]))"
    r"(?P<subj>[a-zà-öø-ÿ][a-zà-öø-ÿ\-]{1,20})(?=[ \t]+(?:said|says|told|asked|wrote|called|texted|emailed)\b)",
    re.MULTILINE,
)
_RELATION = re.compile(
    r"\b(?P<name>[a-zà-öø-ÿ][a-zà-öø-ÿ\-]{1,20})['’]s[ \t]+(?:sister|brother|mom|mum|mother|dad|"
    r"father|wife|husband|son|daughter|friend|boss|partner|girlfriend|boyfriend|aunt|uncle|cousin)\b"
)


def find_lowercase_names(text: str) -> list[Finding]:
    """Lower-case first names after strong cues, when the word is no ordinary English word."""
    from .ordinary import has_word_lists, is_ordinary, is_plain_word

    if not any(ch.islower() for ch in text) or not (
        _LOWER_CUES.search(text) or _RELATION.search(text)
    ):
        return []
    if not has_word_lists():
        return []  # without a dictionary every lower-case word would look like a name
    out: list[Finding] = []
    for m in _LOWER_CUES.finditer(text):
        group = "name" if m.group("name") else "subj"
        word = m.group(group)
        if is_ordinary(word) or word.isupper():
            continue
        end = m.end(group)
        rest = (m.group("rest") or "").strip() if group == "name" else ""
        if rest and not is_ordinary(rest):
            end = m.end("rest")
        out.append(Finding(m.start(group), end, "PERSON", 0.6, "person-lower"))
    for m in _RELATION.finditer(text):
        # The relation is a strong cue: only verbs, adjectives and function words are ruled
        # out, as common nouns double as first names.
        if not is_plain_word(m.group("name")):
            out.append(Finding(m.start("name"), m.end("name"), "PERSON", 0.65, "person-lower"))
    return out
