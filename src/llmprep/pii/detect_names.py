"""People, organisations and places: NER spans cleaned up, plus cues the small model misses.

The small spaCy model finds most capitalized names in running text; it misses names after a
title ("ms. Wijtze"), names a sentence announces ("my name is ...", "call me ..."), names
addressed directly ("Marisca, can I ..."), companies by their legal form ("... Inc",
"Hubbard-Thomas") and places after a preposition. Each cue here is a general English pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .findings import CUE_SCORE, Finding
from .lexicon import (
    COMMON_CAPITALIZED,
    CUE_NON_NAMES,
    EN_GREETINGS,
    GREETINGS,
    NAME_LABELS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    SIGN_OFFS,
    STOP_WORDS,
    TITLES,
    UPPER,
    WEAK_TITLES,
    is_common_word,
    words,
)
from .structure import within_structure

_TOKEN_RE = re.compile(r"[^\W\d_][\w'’\-]*\.?|[A-Z]\.")
_CAP_WORD = r"(?:[" + UPPER + r"][\w'’\-]*)"


def _is_stop(word: str) -> bool:
    low = word.lower().rstrip(".")
    return low in STOP_WORDS or low.split("'")[0].split("’")[0] in STOP_WORDS


_GAP_RE = re.compile(r"[ \t]+")
_PARTICLE_NEXT_RE = re.compile(r"[ \t]+" + _CAP_WORD)
_INITIAL_RE = re.compile(r"[A-Z]\.")


def _name_run(
    text: str, pos: int, *, first_lower_ok: bool, max_tokens: int = 3
) -> tuple[int, int] | None:
    """The span of up to `max_tokens` name words starting at `pos` (spaces/tabs between them)."""
    end = pos
    count = 0
    first_cap = True
    i = pos
    while count < max_tokens:
        m = _TOKEN_RE.match(text, i)
        if not m:
            break
        raw = m.group(0)
        word = raw if _INITIAL_RE.fullmatch(raw) else raw.rstrip(".")
        low = word.lower()
        is_cap = word[0].isupper()
        if count == 0:
            if _is_stop(word) or word in COMMON_CAPITALIZED or low in TITLES:
                return None
            if not is_cap and not first_lower_ok:
                return None
            first_cap = is_cap
        elif low in NAME_PARTICLES:
            if not _PARTICLE_NEXT_RE.match(text, m.end()):
                break
        elif (
            _is_stop(word)
            or word in COMMON_CAPITALIZED
            or (first_cap and not is_cap)
            or low in NAME_SUFFIXES
        ):
            break
        end = m.start() + len(word)
        count += 1
        gap = _GAP_RE.match(text, m.end())
        if not gap:
            break
        i = gap.end()
    return (pos, end) if count else None


_SUFFIX_RE = re.compile(r",?[ \t]+([A-Za-z]{2,4}\.?)(?![\w])")
_SUFFIXES = {s.rstrip(".") for s in NAME_SUFFIXES}


def _extend_suffix(text: str, end: int) -> int:
    """Include letters after a name: "Janice Brkić MD", "John Smith, Jr."."""
    m = _SUFFIX_RE.match(text, end)
    if m and m.group(1).lower().rstrip(".") in _SUFFIXES:
        return m.end()
    return end


# -- people -------------------------------------------------------------------------------------

_TITLE_RE = re.compile(
    r"(?<![\w.])(?P<title>(?:"
    + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
    + r")\.?)[ \t]+",
    re.IGNORECASE,
)

_LOOSE_CUES = re.compile(
    r"\b(?:(?:my|his|her|their|your|our|the|partner'?s|maiden|last|first|full|middle|family|given|sur|user|account|nick)"
    r"[ \t]*name(?:'s|[ \t]+is|[ \t]+was|[ \t]*:|[ \t]*\?|[ \t]*=)|name[ \t]+is|nam[ \t]+is|"
    r"(?:call|calls|called)[ \t]+me|known[ \t]+as|a\.?k\.?a\b\.?|goes[ \t]+by)[ \t]*(?:\n[ \t]*)?",
    re.IGNORECASE,
)
_STRICT_CUES = re.compile(
    r"\b(?:named|name|dear|hi|hello|hey|attn:?|attention:?|c/o|signed|regards,|sincerely,|thanks,|"
    r"(?:from|to|cc|bcc|reply-to|sender|author|authors|attendees?|contact|contact person|patient|client|employee|"
    r"plaintiff|defendant|petitioner|respondent|appellant|appellee|debtor|creditor|claimant|applicant|"
    r"witness|tenant|landlord|buyer|seller|borrower|lender|guarantor|beneficiary|insured|policyholder|"
    r"recipient|holder|account holder|card ?holder|issued to|caller|customer|member|passenger|guest|"
    r"student|signed by|prepared by|approved by|requested by|reported by|assigned to|owner|"
    r"full name|patient name|ship to|bill to|deliver to)[ \t]*:|"
    r"(?:my|his|her|our|their|your)[ \t]+(?:kid|son|daughter|child|wife|husband|partner|spouse|boyfriend|"
    r"girlfriend|fianc[ée]e?|brother|sister|mother|father|mom|mum|dad|friend|boss|manager|colleague|"
    r"coworker|co-worker|assistant|cousin|uncle|aunt|grandmother|grandfather|grandma|grandpa|nephew|"
    r"niece|neighbou?r|doctor|lawyer|teacher|tenant|landlord|guardian))[ \t]*\n?[ \t]*",
    re.IGNORECASE,
)
_VOCATIVE_RE = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?][ \t]))[ \t]*(?P<name>"
    + _CAP_WORD
    + r"),[ \t]+(?=(?:can|could|would|will|please|I|we|you|do|did|are|is|have|"
    r"thanks|thank|how|what|why|where|when|let|don't|this|it|i'm|just)\b)",
    re.IGNORECASE | re.MULTILINE,
)


# 'Mia Quimby-Hart <mia@example.org>': the display name of a mailbox.
_MAILBOX_NAME_RE = re.compile(
    r"(?P<name>"
    + _CAP_WORD
    + r"(?:[ \t]+(?:"
    + _CAP_WORD
    + r"|[a-z]{1,3})){0,3})[ \t]*<[^<>@\s]+@[^<>\s]+>"
)


# "Halvard spent a year...": a sentence that opens with one name and a verb people do.
_SUBJECT_RE = re.compile(
    r"(?:^|(?<=[.!?\n][ \t])|(?<=\n))(?P<name>"
    + _CAP_WORD
    + r")[ \t]+(?=(?:began|spent|shouted|said|says|"
    r"explained|listed|wrote|told|asked|replied|lives|lived|works|worked|joined|studied|died|married|"
    r"grew|moved|called|emailed|texted|visited|met)\b)",
    re.MULTILINE,
)


# Letters and forms in other languages: the name on the line after a closing ("Mit freundlichen
# Grüßen\n\nAnna Berg", with "i. A." or "p.p." allowed before it), after a greeting ("Liebe
# Anna,") and after a name label ("Vorname: Jonas").
_SIGN_OFF_RE = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?:" + "|".join(SIGN_OFFS) + r")[ \t]*[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t]*"
    r"(?:(?:i\.[ \t]*a\.|i\.[ \t]*v\.|pp?\.)[ \t]*)?",
    re.IGNORECASE,
)
_GREETING_RE = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?:"
    + "|".join(sorted([*GREETINGS, *EN_GREETINGS], key=len, reverse=True))
    + r")[ \t]+",
    re.IGNORECASE,
)
_GREETING_END_RE = re.compile(r"[ \t]*[,!]")
_NAME_LABEL_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(NAME_LABELS) + r")[ \t]*:[ \t]*", re.IGNORECASE
)


def _letter_people(text: str) -> list[Finding]:
    out: list[Finding] = []
    for cue, needs_comma in ((_SIGN_OFF_RE, False), (_GREETING_RE, True), (_NAME_LABEL_RE, False)):
        for m in cue.finditer(text):
            run = _name_run(text, m.end(), first_lower_ok=False)
            if not run:
                continue
            words = text[run[0] : run[1]].split()
            # "Ihr Support-Team", "Kolleginnen und Kollegen": a group, not a person.
            parts = (p for w in words for p in re.split(r"['’]", w.lower().strip(".,")))
            if any(p in CUE_NON_NAMES for p in parts):
                continue
            if needs_comma and not _GREETING_END_RE.match(text, run[1]):
                continue  # "Hallo Anna," is a greeting; "Hola Mundo que ..." is not
            out.append(
                Finding(run[0], _extend_suffix(text, run[1]), "PERSON", CUE_SCORE, "person-letter")
            )
    return out


def find_people(text: str, english: bool = True) -> list[Finding]:
    """Names after titles, in mailboxes and in letters (any language); English cues when
    `english`."""
    out: list[Finding] = _letter_people(text)
    for m in _MAILBOX_NAME_RE.finditer(text):
        words = list(re.finditer(r"\S+", m.group("name")))
        while words and (_is_stop(words[0].group(0)) or words[0].group(0) in COMMON_CAPITALIZED):
            words.pop(0)
        if words:
            out.append(
                Finding(
                    m.start("name") + words[0].start(),
                    m.end("name"),
                    "PERSON",
                    CUE_SCORE,
                    "person-mailbox",
                )
            )
    for m in _TITLE_RE.finditer(text):
        title = m.group("title")
        weak = title.lower().rstrip(".") in WEAK_TITLES or not title.endswith(".")
        run = _name_run(text, m.end(), first_lower_ok=not weak)
        word_title = title.lower().rstrip(".") in WEAK_TITLES
        if run and word_title and _not_after_a_title(text, m.start(), text[run[0] : run[1]]):
            continue  # "the General Setup section", "General Progress"
        if run and (text[run[0]].isupper() or not weak):
            out.append(
                Finding(run[0], _extend_suffix(text, run[1]), "PERSON", CUE_SCORE, "person-title")
            )
    if english:
        out += _english_people(text)
    return out


def _ordinary_after_greeting(text: str, run: tuple[int, int]) -> bool:
    """'Hello World', 'Hi There': one ordinary word after a greeting, with no comma after it."""
    from .ordinary import is_ordinary

    value = text[run[0] : run[1]]
    if " " in value or re.match(r"[ \t]*[,!:]", text[run[1] : run[1] + 2]):
        return False
    return is_ordinary(value)


_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an|this|that|our|your|its|their)[ \t]+$", re.I)


def _not_after_a_title(text: str, title_start: int, value: str) -> bool:
    """A title that is a word too ("General", "Sister") names nobody after an article ("the
    General Setup") or before one ordinary word alone ("General Progress")."""
    from .ordinary import has_word_lists, is_ordinary

    if _ARTICLE_BEFORE.search(text, max(0, title_start - 8), title_start):
        return True
    if not has_word_lists():
        return False
    if " " not in value:
        return is_ordinary(value)
    from .document import _title_case_line

    # "General Migration Logging" as a heading or a table cell: the title is a word of a line
    # written in Title Case, and the words after it are ordinary words, not a name.
    return _title_case_line(text, title_start) and all(is_ordinary(w) for w in value.split())


def _english_people(text: str) -> list[Finding]:
    from .ordinary import is_adverb

    out: list[Finding] = []
    for m in _SUBJECT_RE.finditer(text):
        name = m.group("name")
        if not (
            _is_stop(name) or name in COMMON_CAPITALIZED or name.isupper() or name.lower() in TITLES
        ):
            out.append(Finding(m.start("name"), m.end("name"), "PERSON", 0.5, "person-subject"))
    for cue, loose in ((_LOOSE_CUES, True), (_STRICT_CUES, False)):
        for m in cue.finditer(text):
            run = _name_run(text, m.end(), first_lower_ok=loose)
            if run and not loose and _ordinary_after_greeting(text, run):
                continue
            if run:
                out.append(
                    Finding(run[0], _extend_suffix(text, run[1]), "PERSON", CUE_SCORE, "person-cue")
                )
    for m in _VOCATIVE_RE.finditer(text):
        name = m.group("name")
        if (
            not name[0].isupper()
            or _is_stop(name)
            or name in COMMON_CAPITALIZED
            or name.lower() in TITLES
            or is_adverb(name)  # "Realistically, we ..." opens a sentence, names nobody
        ):
            continue
        out.append(Finding(m.start("name"), m.end("name"), "PERSON", 0.6, "person-vocative"))
    return out


_PROPER_RUN_RE = re.compile(
    r"(?<=[a-z,][ \t])(?P<run>"
    + _CAP_WORD
    + r"(?:[ \t]+"
    + _CAP_WORD
    + r"){1,2})(?=[ \t]+[a-z]|[,.;:!?)\n]|$)"
)


def find_proper_nouns(text: str) -> list[Finding]:
    """Two or three capitalized words in the middle of a sentence: usually somebody's name.

    Weak evidence (score 0.45): the NER model's type wins wherever it saw the same words.
    Headings are Title Case from their first word, so they never start after a lowercase word.
    """
    out: list[Finding] = []
    for m in _PROPER_RUN_RE.finditer(text):
        before = text[max(0, m.start() - 24) : m.start()].split()
        prev = before[-1] if before else ""
        if not (prev.islower() or prev.endswith(",")) or prev in ("the", "a", "an"):
            continue
        words = m.group("run").split()
        if all(is_common_word(w) for w in words):
            continue  # "Operations Coordinator", "Finance Director": a role
        if any(
            _is_stop(w)
            or w in COMMON_CAPITALIZED
            or w.isupper()
            or w.lower() in TITLES
            or w.lower() in ORG_SUFFIXES
            for w in words
        ):
            continue
        out.append(Finding(m.start("run"), m.end("run"), "PERSON", 0.45, "proper-noun"))
    return out


_CAP_RUN_WORD_RE = re.compile(r"[^\W\d_][\w'’\-&.]*")


_PLACE_OPENERS = words(
    "Saint Sainte St Ste Sankt San Santa São Sao North South East West New Old Port Fort Mount "
    "Lake Bad"
)


def _cap_run(
    text: str, pos: int, *, max_tokens: int, connectors: Iterable[str] = (), place: bool = False
) -> tuple[int, int] | None:
    """Capitalized words from pos (connectors allowed between two of them); with `place`, a
    place name's opening word ("Saint Julien", "North Tony") counts though it is a common word."""
    conn = set(connectors) | NAME_PARTICLES
    i, end, count = pos, pos, 0
    while count < max_tokens:
        m = _CAP_RUN_WORD_RE.match(text, i)
        if not m:
            break
        word = m.group(0).rstrip(".")
        opener = place and count == 0 and word in _PLACE_OPENERS
        if word in conn and count:
            if not _PARTICLE_NEXT_RE.match(text, m.end()):
                break
        elif opener and _PARTICLE_NEXT_RE.match(text, m.end()):
            end = i + len(m.group(0))
            count += 1
        elif not word[0].isupper() or _is_stop(word) or word in COMMON_CAPITALIZED:
            break
        else:
            end = i + len(word)
            count += 1
        if m.group(0).endswith(".") and len(word) > 1 and not opener:
            break  # "Dresden. Dank": a sentence ended
        gap = _GAP_RE.match(text, m.end())
        if not gap:
            break
        i = gap.end()
    return (pos, end) if end > pos else None


# -- NER ----------------------------------------------------------------------------------------

NER_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORGANIZATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "NRP",
    # Presidio's NerModelConfiguration may already have renamed them.
    "ORGANIZATION": "ORGANIZATION",
    "LOCATION": "LOCATION",
    "NRP": "NRP",
}
_NER_SCORES = {"PERSON": 0.85, "ORGANIZATION": 0.6, "LOCATION": 0.75, "NRP": 0.6}
_LEADING_JUNK_RE = re.compile(
    r"^(?:the|a|an|ex|dear|hi|hello|hey|yo|thanks|thank you|cheers|regards|best|attn)[ \t\-,]+",
    re.IGNORECASE,
)


def _common_word(word: str) -> bool:
    return is_common_word(word)


def _strip_role_words(text: str, start: int, end: int) -> tuple[int, int]:
    """'Customer Edgar Amorim' -> 'Edgar Amorim': a role before a name is not part of it."""
    while True:
        m = re.match(r"[^\s]+[ \t]+", text[start:end])
        if (
            not m
            or not is_common_word(m.group(0).strip())
            or m.group(0).strip().lower() in (NAME_PARTICLES)
        ):
            return start, end
        start += m.end()


def _cut_at_function_word(text: str, start: int, end: int) -> int:
    """'Laar as Account': a lower-case function word ends a name (particles excepted)."""
    pos = start
    for m in re.finditer(r"\S+", text[start:end]):
        word = m.group(0)
        if pos != start and word.islower() and word in STOP_WORDS and word not in NAME_PARTICLES:
            return start + m.start() - 1
        pos = start + m.end()
    return end


def refine_ner(text: str, ents: Iterable[tuple[int, int, str]], detector: str) -> list[Finding]:
    """Map spaCy labels to Presidio's, trim furniture words, drop what is plainly not a name."""
    out: list[Finding] = []
    for start, end, label in ents:
        etype = NER_LABELS.get(label)
        if etype is None:
            continue
        value = text[start:end]
        lead = _LEADING_JUNK_RE.match(value)
        if lead and etype != "NRP":
            start += lead.end()
        if etype == "PERSON" and not value.isupper():
            start, end = _strip_role_words(text, start, end)
            end = _cut_at_function_word(text, start, end)
        title = _TITLE_RE.match(text, start, end) if etype == "PERSON" else None
        if title and title.end() < end:
            start = title.end()
        while end > start and text[end - 1] in " \t\n.,;:'’\"":
            end -= 1
        if text.endswith(("'s", "’s"), start, end):
            end -= 2
        value = text[start:end]
        words = value.split()
        if not words or all(_common_word(w) for w in words):
            # "Invoice 44817", "Chapter 13", "PURPOSE", "DEFENDANT": a document's own labels
            continue
        if etype == "ORGANIZATION" and value.isupper() and len(value) <= 5:
            continue  # acronyms: ASAP, SSN, FAQ; rarely personal
        if etype == "PERSON":
            end = _extend_suffix(text, end)
        out.append(Finding(start, end, etype, _NER_SCORES[etype], detector))
    # A model's span over a line break, a cell or a header field is cut there, where the model
    # produced it: the cue-backed finding on one of its lines then meets a span of its own size.
    return within_structure(text, out)
