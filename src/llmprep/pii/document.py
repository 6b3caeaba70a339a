"""Decisions a whole document makes about its findings: headings, and one decision per value.

Headings and titles are Title Case by convention, so capitalization and a small NER model's
guess there say little: "Stability and Growth", "Regional Supply Network". A name-like finding
in a heading stands only when the document gives a reason: the cue that found it is strong (a
title, a greeting, a mailbox, a legal form, an address block), or the same value is found in the
document's other text by a detector of its own.

A value is then decided once for the document: found as personal data, it is replaced at every
occurrence (same placeholder, since the anonymizer numbers values); judged ordinary text, it
stays everywhere. A single word the document also writes in lower case is ordinary text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .findings import NAME_TYPES, Finding, is_weak


def plainly_not_a_name(value: str, entity_type: str, detector: str = "") -> bool:
    """A weak name-like finding that is technical vocabulary or a phrase of ordinary words.

    A phrase made only of ordinary words goes when one of them is no bare noun ("Global
    Latency", "Key Milestones"): common nouns double as surnames, places and company names
    ("Hill", "Monroe", "Tableau Software"), adjectives, verbs and plurals rarely do.
    """
    from .lexicon import STOP_WORDS, TECH_TERMS
    from .ordinary import has_word_lists, is_ordinary, is_plain_word

    if all(w.lower().strip(".,") in TECH_TERMS for w in value.split()):
        return True
    words = [p for w in value.split() for p in w.split("-") if p]
    if not words:
        return True
    if not has_word_lists():
        return False
    if not all(is_ordinary(w) for w in words):
        return False
    if detector == "org-partners":
        # "Hubbard, Fox and Gillespie": partners' surnames are often words; only a list of
        # describing words ("Red, Green and Blue") is plainly none.
        return all(is_plain_word(w) for w in words)
    if entity_type == "PERSON" and len(words) > 1:
        # Surnames are often adjectives and verbs ("Brown", "Young", "Hasty"), given names
        # rarely are: a person's name goes only when its first word is no bare noun.
        return is_plain_word(words[0]) and words[0].lower() not in STOP_WORDS
    return any(is_plain_word(w) and w.lower() not in STOP_WORDS for w in words)


def occurrences(text: str, values: list[str]) -> list[tuple[int, int, str]]:
    """Whole-word occurrences of the values in text, longest value first at a position.

    Plain `str.find` instead of one alternation regex: a regex built per text costs far more to
    compile than the search, and short texts are redacted one call at a time.
    """
    found: dict[int, tuple[int, str]] = {}
    for value in sorted(set(values), key=len, reverse=True):
        at = text.find(value)
        while at >= 0:
            end = at + len(value)
            before = text[at - 1] if at else ""
            after = text[end] if end < len(text) else ""
            # (An empty neighbour is the text's edge: `"" in "_@"` would be True.)
            if (
                not (before and (before.isalnum() or before in "_@.-"))
                and not (after and (after.isalnum() or after in "_@-"))
                and at not in found
            ):
                found[at] = (end, value)
            at = text.find(value, at + 1)
    out = []
    last_end = -1
    for at in sorted(found):
        end, value = found[at]
        if at >= last_end:
            out.append((at, end, value))
            last_end = end
    return out


_DETERMINER_BEFORE = re.compile(
    r"(?:^|[.!?:;\n#*\-|]|\b(?:the|a|an|this|that|these|our|your|its|their|each|every|see))[ \t]*$",
    re.IGNORECASE,
)


def _title_case_carries_no_evidence(text: str, start: int, value: str) -> bool:
    """Capitals say nothing at a line or sentence start, after an article or a determiner, or
    on one technical word; mid-sentence after a verb or a preposition ("became Next Step
    Living", "at Weight Watchers") they are a writer's signal of a name."""
    from .lexicon import TECH_TERMS

    if all(w.lower().strip(".,") in TECH_TERMS for w in value.split()):
        return True
    return _DETERMINER_BEFORE.search(text, max(0, start - 12), start) is not None


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


def judge_headings(
    text: str, findings: list[Finding], headings: list[tuple[int, int]]
) -> list[Finding]:
    """Drop weak name-like findings inside headings unless the rest of the text confirms them."""
    if not headings or not findings:
        return findings
    starts = [a for a, _ in headings]

    def in_heading(f: Finding) -> bool:
        k = bisect_right(starts, f.start) - 1
        return k >= 0 and f.start < headings[k][1]

    confirmed: set[str] = set()
    for f in findings:
        if f.detector != "propagated" and not in_heading(f):
            value = _norm(text[f.start : f.end])
            confirmed.add(value)
            if f.entity_type == "PERSON":
                confirmed.update(p for p in value.split() if len(p) >= 3)
    dropped: set[str] = set()
    for f in findings:
        if in_heading(f) and (is_weak(f) or f.detector == "propagated"):
            value = _norm(text[f.start : f.end])
            if value not in confirmed and not (
                f.entity_type == "PERSON" and any(p in confirmed for p in value.split())
            ):
                dropped.add(value)
    # The value is ordinary text everywhere: its copies spread from the heading go too.
    return [
        f
        for f in findings
        if not (
            _norm(text[f.start : f.end]) in dropped
            and (in_heading(f) or f.detector == "propagated" or is_weak(f))
        )
    ]


_WORD_RE = re.compile(r"\b[^\W\d_][\w'’\-]*\b")


# A verb right after a capitalized word makes it the subject of a clause: a noun, so "Frank
# had given ..." names somebody, though "frank" is also an adjective.
_VERB_AFTER = re.compile(
    r"[ \t]+(?:had|has|was|is|will|would|could|should|can|did|does|said|says|told|asked|"
    r"wrote|replied|called|gave|went|came|met|sent|left|wants|wanted|thinks|thought)\b"
)


def one_decision_per_value(text: str, findings: list[Finding]) -> list[Finding]:
    """Every occurrence of a value gets the decision of the value.

    Weak single-word name findings whose word the text also writes in lower case are dropped
    everywhere; every other finding's value is added at its other occurrences (whole words).
    """
    if not findings:
        return findings
    lower_words = {w for w in _WORD_RE.findall(text) if w.islower()}
    kept: list[Finding] = []
    for f in findings:
        value = text[f.start : f.end]
        if (
            is_weak(f)
            and " " not in value.strip()
            and not value.islower()
            and value.lower() in lower_words
        ):
            continue  # "Growth" in a heading, "growth" in the prose: a word, not a name
        weakish = is_weak(f) or (f.detector == "propagated" and f.entity_type in NAME_TYPES)
        lower_ok = not value.islower() or f.detector.startswith("ner:")
        if (
            weakish
            and lower_ok
            # Capitals alone (no model, no cue) never make a name of ordinary words.
            and (
                f.detector == "proper-noun" or _title_case_carries_no_evidence(text, f.start, value)
            )
            and plainly_not_a_name(value, f.entity_type, f.detector)
            and not (f.entity_type == "PERSON" and _VERB_AFTER.match(text, f.end))
        ):
            continue
        kept.append(f)
    values: dict[str, Finding] = {}
    for f in sorted(kept, key=lambda f: -f.score):
        value = text[f.start : f.end].strip()
        if len(value) >= 3 and "\n" not in value:
            values.setdefault(value, f)
    if not values:
        return kept
    covered = sorted((f.start, f.end) for f in kept)
    cstarts = [a for a, _ in covered]
    extra = []
    for at, end, value in occurrences(text, list(values)):
        k = bisect_right(cstarts, at) - 1
        if k >= 0 and at < covered[k][1]:
            continue
        nxt = k + 1
        if nxt < len(covered) and covered[nxt][0] < end:
            continue
        src = values[value]
        extra.append(Finding(at, end, src.entity_type, src.score, "propagated"))
    return sorted(kept + extra, key=lambda f: f.start)
