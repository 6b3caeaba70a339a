"""From raw findings to the spans that get replaced: allow-list, overlaps, neighbours.

Overlapping findings are merged into one span covering all of them (a value half-covered is a
leak), typed by the best finding that covers most of it. Neighbouring pieces of one entity
("Tiffany" + "Kilfoyle", a street + its city) become one span, so one placeholder replaces them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from .findings import Finding, is_weak

# Two spans of these types separated only by this gap are one address.
_ADDRESS_PARTS = {"ADDRESS", "POSTAL_CODE", "LOCATION"}
_ADDRESS_GAP = re.compile(r"^[ \t,]*\n?[ \t,]*$")
_SAME_TYPE_GAP = re.compile(r"^ *$")  # a tab separates cells
_LIST_GAP = re.compile(r"^[ \t]*,[ \t]*$")


class AllowList:
    """Values never redacted: exact terms (case-insensitive) and full-match regexes."""

    def __init__(self, terms: Iterable[str], patterns: Iterable[str]) -> None:
        self.terms = {t.strip().casefold() for t in terms if t.strip()}
        self.patterns = [re.compile(p) for p in patterns if p]

    def __bool__(self) -> bool:
        return bool(self.terms or self.patterns)

    def allows(self, value: str) -> bool:
        value = value.strip()
        return value.casefold() in self.terms or any(p.fullmatch(value) for p in self.patterns)


# Found once, redacted everywhere: other mentions of these types in the same text. People and
# contact data only: a company or a place named once is rarely a secret, and models mislabel
# headings ("CHAPTER", "Practice Tips") often enough that spreading them would hurt.
_PROPAGATED = {
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "ADDRESS",
    "IBAN_CODE",
    "CREDIT_CARD",
    "US_SSN",
}
_PART_TYPES = {"PERSON"}


Known = dict[str, tuple[str, float]]


def known_values(text: str, findings: list[Finding], allow: AllowList | None = None) -> Known:
    """Values worth finding again elsewhere: value -> (entity type, score)."""
    from .lexicon import COMMON_CAPITALIZED, STOP_WORDS

    values: Known = {}
    lowered = _lower_words(text)
    for f in findings:
        value = text[f.start : f.end].strip()
        single_word = f.entity_type == "PERSON" and " " not in value
        # Weak findings spread only as whole multi-word names ("Anna Berg", not "Anna").
        if f.entity_type not in _PROPAGATED or f.score < (0.6 if single_word else 0.45):
            continue
        if single_word and value.lower() in lowered:
            continue  # "Handbook" and "handbook": a word the model took for a name
        if len(value) >= 3 and "\n" not in value and not value.isupper():
            values.setdefault(value, (f.entity_type, f.score))
        if f.entity_type in _PART_TYPES and f.score >= 0.8:
            for part in value.split():
                part = part.strip(".,'’")
                # A name part: "Vandersloot" of "Olaf Vandersloot", never a word the text
                # also writes in lower case ("Handbook" / "handbook").
                if (
                    len(part) >= 3
                    and part.istitle()
                    and part.lower() not in STOP_WORDS
                    and part not in COMMON_CAPITALIZED
                    and part.lower() not in lowered
                ):
                    values.setdefault(part, (f.entity_type, f.score - 0.1))
    if allow:
        values = {v: t for v, t in values.items() if not allow.allows(v)}
    return values


def find_known(text: str, known: Known, findings: list[Finding]) -> list[Finding]:
    """Mentions of known values in `text` that no finding covers yet."""
    if not known:
        return []
    from .document import occurrences

    starts, ends = _union(findings)
    extra: list[Finding] = []
    for at, end, value in occurrences(text, list(known)):
        k = bisect_right(starts, at) - 1
        if k >= 0 and end <= ends[k]:
            continue  # already inside a finding
        etype, score = known[value]
        if etype == "PERSON" and " " not in value:
            end = _surname_after(text, end)
        extra.append(Finding(at, end, etype, round(score * 0.9, 3), "propagated"))
    return extra


_NEXT_NAME_WORD = re.compile(
    r"[ \t]+(?:(?:van|von|de|der|den|da|di|du|del|della|le|la|ten|ter|zu)[ \t]+)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’\-]*[^\W\d_]"
)


def _surname_after(text: str, end: int) -> int:
    """'Michel' known from a signature, then 'Michel Trupp meldet sich': the capitalized name
    word after a known given name belongs to the same person."""
    from .lexicon import is_common_word

    m = _NEXT_NAME_WORD.match(text, end)
    if m is None:
        return end
    last = m.group(0).split()[-1]
    if is_common_word(last) or (last.isupper() and len(last) <= 4):
        return end
    return m.end()


def propagate(text: str, findings: list[Finding], allow: AllowList | None = None) -> list[Finding]:
    """Add every other mention of a detected value (and of a person's name parts) in `text`.

    A model that sees "Olaf Vandersloot" in one sentence can miss it in a heading or a list;
    a value found once is PII wherever it appears in the same document.
    """
    return findings + find_known(text, known_values(text, findings, allow), findings)


def _lower_words(text: str) -> set[str]:
    """Words the text writes in lower case (so they are words, not names), addresses aside."""
    from .lexicon import prose_only

    return set(re.findall(r"\b[a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]+\b", prose_only(text)))


def _union(findings: list[Finding]) -> tuple[list[int], list[int]]:
    """Covered ranges as sorted, disjoint (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for f in sorted(findings, key=lambda f: f.start):
        if ends and f.start <= ends[-1]:
            ends[-1] = max(ends[-1], f.end)
        else:
            starts.append(f.start)
            ends.append(f.end)
    return starts, ends


def resolve(
    text: str, findings: list[Finding], allow: AllowList | None = None, known: Known | None = None
) -> list[Finding]:
    """Non-overlapping, sorted spans ready for the operators.

    `known` adds values found elsewhere in the same document (a title next to its body).
    """
    if allow:
        findings = [f for f in findings if not allow.allows(text[f.start : f.end])]
    findings = propagate(text, findings, allow)
    if known:
        findings = findings + find_known(text, known, findings)
    findings = [f for f in findings if f.end > f.start]
    if not findings:
        return []
    findings.sort(key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    cluster: list[Finding] = [findings[0]]
    end = findings[0].end
    for f in findings[1:]:
        if f.start < end:
            cluster.append(f)
            end = max(end, f.end)
        else:
            merged.append(_merge_cluster(cluster))
            cluster, end = [f], f.end
    merged.append(_merge_cluster(cluster))
    return _join_neighbours(text, merged)


def _merge_cluster(cluster: list[Finding]) -> Finding:
    if len(cluster) == 1:
        return cluster[0]
    start = min(f.start for f in cluster)
    end = max(f.end for f in cluster)
    length = end - start
    covering = [f for f in cluster if (f.end - f.start) >= 0.8 * length]
    # A cue (a title, a closing, a form label) is better evidence of what a value is than a
    # model's guess or a capitalization: it names the type and keeps the span out of the rules
    # that drop weak findings.
    best = (
        max(covering, key=lambda f: (not is_weak(f), f.score, f.end - f.start))
        if covering
        else max(cluster, key=lambda f: (f.end - f.start, not is_weak(f), f.score))
    )
    # A cue's finding speaks for the cluster: a model's guess beside it adds no confidence (and
    # the model need not have read a text whose capitalized words the cues all explain).
    voters = [f for f in cluster if not is_weak(f)] if not is_weak(best) else cluster
    return Finding(start, end, best.entity_type, max(f.score for f in voters), best.detector)


def _join_neighbours(text: str, spans: list[Finding]) -> list[Finding]:
    out: list[Finding] = [spans[0]]
    for f in spans[1:]:
        prev = out[-1]
        gap = text[prev.end : f.start]
        same = prev.entity_type == f.entity_type
        address = (
            prev.entity_type == "ADDRESS"
            and f.entity_type in _ADDRESS_PARTS
            and _ADDRESS_GAP.match(gap)
        )
        if (
            same
            and (
                _SAME_TYPE_GAP.match(gap)
                or (f.entity_type in _ADDRESS_PARTS and _LIST_GAP.match(gap))
            )
        ) or address:
            out[-1] = Finding(
                prev.start, f.end, prev.entity_type, max(prev.score, f.score), prev.detector
            )
        else:
            out.append(f)
    return out
