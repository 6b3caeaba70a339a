"""Where a span may run: inside one word run, one line, one table cell, one header field.

A detector that reads text as a stream (NER above all) can run a span over the structure of a
document: over the end of an email header line into the next field, over two table cells on
consecutive lines, over the cells of a CSV row or of a "Name > Job > Company" signature. Such a
span hides text that is no personal data and mislabels what it does hide. Every finding is cut
at these boundaries and each piece judged on its own. The one exception is an ADDRESS, whose
lines form one postal block (over a blank line only where the address detector saw a postal
code, a country or a unit continue it: address lines are often paragraphs of their own); even it
stops at a "Label:" line (the next field of a form or a header).

A span also never starts or ends inside a word: a model that tags the tail of an acronym
("...V/AIDS") is wrong about the whole span, so a name-like piece cut that way is dropped; an
identifier piece (phone, card...) is widened to the word instead, so nothing of it stays in clear.
"""

from __future__ import annotations

import re

from .findings import NAME_TYPES, Finding
from .lexicon import words

# Cell and field separators inside a line: tab, pipe, " > " (signature blocks), semicolon, and a
# comma glued to the next value (CSV; prose puts a space after its commas).
_CELL = r"\t|[ \t]*\|[ \t]*|[ \t]+>[ \t]+|[ \t]*;[ \t]*|(?<!\d),(?=[^\s\d])"
_CUT = re.compile(r"\n|" + _CELL)
_ADDRESS_CUT = re.compile(_CELL)
# The line after a break starts a new field: "Date: ...", "Driver's license: ...".
# A label is one to three words without digits ("Date", "Date of birth", "E-mail").
_LABEL_WORD = r"[^\W\d_]+(?:['’\-.][^\W\d_]+)*\.?"
_LABEL_LINE = re.compile(
    r"[ \t]*" + _LABEL_WORD + r"(?:[ \t]+" + _LABEL_WORD + r"){0,2}[ \t]*:(?:[ \t]|$)"
)
# Words written with a closing period: legal forms, name suffixes, street types.
_ABBREVIATIONS = words(
    "inc ltd co corp jr sr st ave rd lda ltda hnos cie cia kft zrt nyrt bt bros mfg"
)
# Typographic quotes and apostrophes too: "Peoples’ lands" ends the name at "Peoples".
_EDGE = " \t\r\n,;:.!?\"'()[]{}<>|*-–—‘’“”„«»"
_SPACE = " \t\r\n"


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _pieces(text: str, f: Finding) -> list[tuple[int, int]]:
    cut = _ADDRESS_CUT if f.entity_type == "ADDRESS" else _CUT
    out: list[tuple[int, int]] = []
    pos = f.start
    for m in cut.finditer(text, f.start, f.end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, f.end))
    if f.entity_type == "ADDRESS":
        # One block: stop at the first line that opens another field.
        for m in re.finditer(r"\n", text[f.start : f.end]):
            at = f.start + m.end()
            if _LABEL_LINE.match(text, at):
                return [(a, min(b, f.start + m.start())) for a, b in out if a < f.start + m.start()]
    return out


def _trim(text: str, a: int, b: int, names: bool) -> tuple[int, int]:
    """Names lose surrounding punctuation; identifiers only whitespace ("(96) 627-277")."""
    edge = _EDGE if names else _SPACE
    while a < b and text[a] in edge:
        a += 1
    while b > a and text[b - 1] in edge:
        b -= 1
    if not names:
        return a, b
    # Keep a closing period of an abbreviation ("Ltd.", "Jr.", "Sp. z o.o.", "S.A.") and a
    # bracket that opened inside.
    if b < len(text) and text[b] == "." and b - a >= 2 and text[b - 1].isalpha():
        word = text[a:b].rsplit(None, 1)[-1].lower()
        if word in _ABBREVIATIONS or "." in word:
            b += 1
    if b < len(text) and text[b] == ")" and "(" in text[a:b]:
        b += 1
    return a, b


def within_structure(text: str, findings: list[Finding]) -> list[Finding]:
    """Each finding cut at line, cell and field boundaries and at word edges; empty pieces go."""
    from .lexicon import is_common_word

    out: list[Finding] = []
    for f in findings:
        if f.end <= f.start:
            continue
        pieces = _pieces(text, f)
        whole = len(pieces) == 1
        for a, b in pieces:
            a, b = _trim(text, a, b, f.entity_type in NAME_TYPES)
            if b <= a:
                continue
            inside_start = a > 0 and _word_char(text[a - 1]) and _word_char(text[a])
            inside_end = b < len(text) and _word_char(text[b - 1]) and _word_char(text[b])
            if f.entity_type in NAME_TYPES:
                if inside_start or inside_end:
                    continue
                words = text[a:b].split()
                if not whole and all(is_common_word(w) for w in words):
                    continue  # "Date", "Reference": the next field's label, not a name
                if not any(ch.isalpha() for ch in text[a:b]):
                    continue
            else:
                while inside_start and a > 0 and _word_char(text[a - 1]):
                    a -= 1
                while inside_end and b < len(text) and _word_char(text[b]):
                    b += 1
            if whole and (a, b) == (f.start, f.end):
                out.append(f)
            else:
                out.append(Finding(a, b, f.entity_type, f.score, f.detector))
    return out
