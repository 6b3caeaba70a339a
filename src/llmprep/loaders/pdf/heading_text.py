"""What a heading's text looks like: section numbers, and the text that only looks like one.

Section numbers give both evidence and depth: "2.3 Methods" is a level-2 heading, "IV. RESULTS"
and "Chapter 3" level 1, "A.1 Proofs" level 2. Some short bold or large lines are not headings
whatever their type: captions ("Figure 3:"), theorem-style labels ("Lemma 2.", "Proof."),
reference entries ("[12] A. Berg...", "Berg, A. (2019)."), sentences, addresses, dates and numbers.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(
    r"^(?:(?P<word>chapter|section|part|appendix|kapitel|abschnitt|teil|anhang|chapitre|"
    r"annexe|capítulo|capitolo|hoofdstuk)\s+(?P<wnum>[\dIVXLC]+|[A-Z])\b[.:]?"
    r"|(?P<decimal>\d{1,2}(?:\.\d{1,2}){0,4})(?:\.(?!\d))?(?=\s)"
    r"|(?P<letter>[A-Z])(?P<sub>(?:\.\d{1,2}){1,3})\.?(?=\s)"
    r"|(?P<roman>[IVXLC]{1,6})\.(?=\s)"
    r"|(?P<alpha>[A-Z])\.(?=\s)"
    r"|§\s*(?P<para>\d+(?:\.\d+)*))",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?:theorem|lemma|proof|definition|corollary|proposition|remark|example|claim|"
    r"conjecture|assumption|notation|observation|fact|exercise|problem|solution|hypothesis|"
    r"axiom|case|step|satz|beweis|definition|bemerkung|beispiel|korollar|théorème|lemme|"
    r"preuve|démonstration|remarque|exemple)\b\s*(?:\d+(?:\.\d+)*)?\s*(?:\([^)]{0,60}\))?\s*[.:]",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"^(?:\[\d{1,3}\]|\[[A-Z][A-Za-z+]{1,8}\d{2,4}[a-z]?\]|\d{1,3}\.\s+[A-Z][^\s,]*,\s+[A-Z]\.|"
    r"[A-Z][^\s,]+,\s+(?:[A-Z]\.\s*){1,3}(?:,|and|&|\())"
)
_YEAR_IN_PARENS = re.compile(r"\((?:19|20)\d{2}[a-z]?\)")
_CONTACT = re.compile(r"@|https?://|www\.|\.(?:com|org|edu|net)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")
_MONTH = (
    r"(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|février|mar(?:ch|s)?|märz|apr(?:il)?|avril|"
    r"may|mai|june?|juni|juin|july?|juli|juillet|aug(?:ust)?|août|sept?(?:ember|embre)?|"
    r"oct(?:ober)?|okt(?:ober)?|octobre|nov(?:ember|embre)?|dec(?:ember)?|dez(?:ember)?|"
    r"décembre)\.?"
)
# A date with its day ("October 14, 1998", "14 March 2021", "31. Dezember 2016"): the date
# line under a title, never a section heading.
_DATE = re.compile(
    rf"^(?:[^\W\d_]+day,?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
    rf"|\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{_MONTH},?)\s+\d{{4}}$",
    re.IGNORECASE,
)
_ENDS_LIKE_SENTENCE = re.compile(r"[,;]$|[^.]\.$")


_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.(?:-?[A-Z]\.)*|and|&|,|van|von|de|da|del|der|la|le)$"
)
_JOINERS = frozenset({"and", "&", ","})


def looks_like_names(text: str) -> bool:
    """A line of person names: "Anna Berg, Bo Lind and C. Novak", "Anna Berg  Bo Lind"."""
    tokens = text.replace(",", " , ").split()
    if len(tokens) < 3 or not all(_NAME_TOKEN.match(t) for t in tokens):
        return False
    names = [t for t in tokens if t not in _JOINERS]
    return any(t in _JOINERS for t in tokens) or len(names) >= 4


def numbering(text: str) -> tuple[int, str] | None:
    """(depth, number) of a section number opening `text`, with a title after it."""
    m = _NUMBER.match(text)
    if m is None:
        return None
    rest = text[m.end() :].strip()
    if not rest or not _LETTERS.search(rest[:3] or rest):
        return None  # "3.5" alone, "1.2 3.4": a number, not a section number
    if m.group("word"):
        return 1, m.group("wnum")
    if m.group("decimal"):
        number = m.group("decimal")
        if int(number.split(".")[0]) == 0 or len(number.split(".")[0]) > 2:
            return None
        return number.count(".") + 1, number
    if m.group("letter"):
        sub = m.group("sub")
        return sub.count(".") + 1, m.group("letter") + sub
    if m.group("roman"):
        return 1, m.group("roman")
    if m.group("alpha"):
        return 2, m.group("alpha")
    return m.group("para").count(".") + 1, m.group("para")


def not_a_heading(text: str) -> bool:
    """Text that is never a section heading, whatever type it is set in."""
    from .flow import CAPTION

    stripped = text.strip()
    if not stripped or not _LETTERS.search(stripped):
        return True
    if CAPTION.match(stripped) or _LABEL.match(stripped) or _REFERENCE.match(stripped):
        return True
    if _YEAR_IN_PARENS.search(stripped) and stripped.count(",") >= 1:
        return True  # an author-year reference entry
    if _CONTACT.search(stripped) or _DATE.match(stripped):
        return True
    if stripped[0].islower():
        return True
    words = stripped.split()
    # A sentence: ends with a comma, a semicolon or a full stop after several words (a
    # numbered heading's own period, "2. Methods", does not count).
    if _ENDS_LIKE_SENTENCE.search(stripped) and len(words) > 3 and numbering(stripped) is None:
        return True
    letters = len(_LETTERS.findall(stripped))
    return letters * 2 < len(stripped.replace(" ", ""))  # mostly digits and symbols
