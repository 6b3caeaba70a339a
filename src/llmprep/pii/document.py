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
    # The capitalized words the value stands in: "See the General Setup section".
    run = start
    while True:
        m = _CAP_WORD_BEFORE.search(text, max(0, run - 30), run)
        if m is None:
            break
        run = m.start()
    if _DETERMINER_BEFORE.search(text, max(0, run - 12), run) is not None:
        return True
    return _title_case_line(text, start) or _alone_on_line(text, start, start + len(value))


_CAP_WORD_BEFORE = re.compile(r"[A-Z][\w'’\-]*[ \t]+$")


def _alone_on_line(text: str, a: int, b: int) -> bool:
    """The value is all the words of its line ("- Documentation", "10.5 Storage")."""
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    rest = text[line_start:a] + text[b : line_end if line_end >= 0 else len(text)]
    return not any(ch.isalpha() for ch in rest)


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _title_case_line(text: str, at: int) -> bool:
    """A line written in Title Case (a heading, a table row, a list of titles): its capitals
    are the style of the line, not a sign of names."""
    a = text.rfind("\n", 0, at) + 1
    b = text.find("\n", at)
    words = _LONG_WORD.findall(text, a, b if b >= 0 else len(text))
    # Every long word capitalized, and few of them: prose full of names still has its verbs
    # in lower case ("Customer lives in East Dale").
    return 2 <= len(words) <= 12 and all(w[0].isupper() for w in words)


def _product_modifier(text: str, f: Finding) -> bool:
    """'the Harbor dashboard', 'our Atlas index': one ordinary word between a determiner and
    a lower-case noun names a product or a feature, not a person or a company."""
    from .ordinary import has_word_lists, is_ordinary

    value = text[f.start : f.end]
    if " " in value or not has_word_lists() or not is_ordinary(value):
        return False
    if _DETERMINER_WORD_BEFORE.search(text, max(0, f.start - 8), f.start) is None:
        return False
    return _LOWER_NOUN_AFTER.match(text, f.end) is not None


_DETERMINER_WORD_BEFORE = re.compile(r"\b(?:the|a|an|our|your|its|their|this|that)[ \t]+$", re.I)
_LOWER_NOUN_AFTER = re.compile(r"[ \t]+[a-z]{3,}\b")


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


_TECH_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9.+#\-]*")
# CamelCase inside a word (not "McDonald", "MacLeod", "DeVito"), or a name with a dot or a
# digit inside ("Node.js", "Neo4j"): how software and formats are named, not people.
_PRODUCT_SHAPE = re.compile(
    r"(?!Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O')[A-Z][a-z]+[A-Z][A-Za-z]*"
    r"|[A-Z]?[a-z]+[0-9][a-z]?|[A-Za-z]+\.(?:js|io|ai|py)"
)


def _technical(text: str) -> bool:
    """A technical document: it names several tools, formats or protocols llmprep knows
    (two different ones, or one in every 300 words)."""
    from .lexicon import TECH_TERMS
    from .ordinary import is_ordinary

    tokens = _TECH_TOKEN.findall(text)
    # Names that are no English word ("Docker", "JSON"; not "Spring", "Swift", "Go"), and
    # product names written the way software is named: "SendGrid", "OpenCV", "Node.js".
    known = [
        t
        for t in tokens
        if (t.lower().rstrip(".") in TECH_TERMS and not is_ordinary(t.lower().rstrip(".")))
        or _PRODUCT_SHAPE.fullmatch(t.rstrip("."))
    ]
    return len(set(known)) >= 2 or (bool(known) and len(known) * 300 >= len(tokens))


def _lone_model_guess(f: Finding, value: str) -> bool:
    """One word the model alone calls a person, a company or a place: in a technical document
    those are mostly products, tools and brands ("Users of Zendesk and Looker"). There, such a
    word needs a cue somewhere in the text ("works at", "in", "thanks", a legal form, a title)."""
    return (
        f.detector.startswith("ner:")
        and f.entity_type in ("ORGANIZATION", "LOCATION", "PERSON")
        and " " not in value.strip()
        and "-" not in value
    )


# Words that make what follows a product: people and companies have no users or installs.
_PRODUCT_OWNER = re.compile(
    r"\b(?:users?|installs?|versions?|plugins?|instances?|releases?|integrations?) of[ \t]+",
    re.IGNORECASE,
)
# "Users of X and <finding>": the cue covers every name of the list it opens.
_PRODUCT_OWNER_BEFORE = re.compile(
    _PRODUCT_OWNER.pattern
    + r"(?:[A-Z][\w.+#\-]*(?:[ \t]*,[ \t]*[A-Z][\w.+#\-]*)*[ \t]*,?[ \t]*(?:and|or|&)[ \t]+)?$",
    re.IGNORECASE,
)
_JOIN = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|and[ \t]+|or[ \t]+|&[ \t]*)")
_NEIGHBOUR_BEFORE = re.compile(
    r"([A-Za-z][A-Za-z0-9.+#\-]*)[ \t]*(?:,[ \t]*(?:and|or)?|and|or|&)[ \t]*$"
)
_NEIGHBOUR_AFTER = re.compile(r"([A-Za-z][A-Za-z0-9.+#\-]*)")


def _known_product(word: str) -> bool:
    from .lexicon import TECH_TERMS
    from .ordinary import is_ordinary

    w = word.rstrip(".")
    low = w.lower()
    return bool((low in TECH_TERMS and not is_ordinary(low)) or _PRODUCT_SHAPE.fullmatch(w))


def _named_as_product(text: str, start: int, end: int) -> bool:
    """A model's finding that the sentence names as software: "users of X", or listed beside a
    tool llmprep knows ("X and SendGrid", "Figma, Slack or X"). Such names are products."""
    if _PRODUCT_OWNER.match(text, start, end) or _PRODUCT_OWNER_BEFORE.search(
        text, max(0, start - 80), start
    ):
        return True
    before = _NEIGHBOUR_BEFORE.search(text, max(0, start - 40), start)
    if before is not None and _known_product(before.group(1)):
        return True
    j = _JOIN.match(text, end)
    if j is not None and j.end() > end:
        after = _NEIGHBOUR_AFTER.match(text, j.end())
        if after is not None and _known_product(after.group(1)):
            return True
    return False


# A name followed by a dotted version number ("Python 2.7", "Mercurial 5.2", "Java v1.8") is
# software: wherever the text writes that name, it names the product.
_VERSIONED = re.compile(r"\b([A-Z][\w+#\-]*)[ \t]+v?\d{1,2}(?:\.\d{1,2}){1,2}(?![.\d])")
_VERSION = re.compile(r"v?\d+(?:\.\d+)*")


def _names_a_version(value: str, products: set[str]) -> bool:
    """The value is a versioned product's name, with its version or words around it."""
    from .lexicon import STOP_WORDS
    from .ordinary import has_word_lists, is_ordinary

    words = [w.removesuffix("'s").removesuffix("’s") for w in value.split()]
    named = [w for w in words if w in products]
    if not named:
        return False
    for w in words:
        if w in products or _VERSION.fullmatch(w) or w.lower() in STOP_WORDS:
            continue
        if not (has_word_lists() and is_ordinary(w.lower())):
            return False
    return True


def _plural(value: str) -> bool:
    """'Officials', 'Readers': the plural of an ordinary noun, a group and not a name."""
    from .ordinary import has_word_lists, is_ordinary

    low = value.strip().lower()
    return (
        has_word_lists()
        and " " not in low
        and low.endswith("s")
        and not is_ordinary_exact(low)
        and is_ordinary(low)
    )


def is_ordinary_exact(word: str) -> bool:
    from .ordinary import ordinary_words

    return word in ordinary_words()


def _ordinary_not_a_name(text: str, f: Finding, value: str) -> bool:
    """A weak finding that is ordinary words where capitals carry no evidence."""
    from .ordinary import has_word_lists, is_ordinary

    if f.entity_type == "PERSON" and _VERB_AFTER.match(text, f.end) and not _plural(value):
        return False  # "Frank had given ...": the subject of a clause is a noun
    if _product_modifier(text, f):
        return True
    # Capitals alone (no model, no cue) never make a name of ordinary words.
    if not (f.detector == "proper-noun" or _title_case_carries_no_evidence(text, f.start, value)):
        return False
    if plainly_not_a_name(value, f.entity_type, f.detector):
        return True
    if value.isupper() and has_word_lists() and all(is_ordinary(w) for w in value.split()):
        return True  # "PERFORMANCE BUDGET": capitals all along say nothing at all
    # One ordinary word where capitals say nothing ("| Reliability |", "Queries"): a word.
    word = value.strip()
    return " " not in word and has_word_lists() and is_ordinary(word) and f.entity_type != "NRP"


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
    # Values some detector other than the model found: evidence for the model's other finds.
    backed = {_norm(text[f.start : f.end]) for f in findings if not f.detector.startswith("ner:")}
    technical = _technical(text)
    versioned = {m.group(1) for m in _VERSIONED.finditer(text)}
    kept: list[Finding] = []
    for f in findings:
        value = text[f.start : f.end]
        if versioned and f.entity_type in NAME_TYPES and _names_a_version(value, versioned):
            continue  # "Python 3", "Future of Python 3" where the text writes "Python 2.7"
        if technical and _lone_model_guess(f, value) and _norm(value) not in backed:
            continue  # "Users of Zendesk and Looker" in a manual: tools; no cue says otherwise
        if f.detector.startswith("ner:") and _named_as_product(text, f.start, f.end):
            continue
        if (
            is_weak(f)
            and " " not in value.strip()
            and not value.islower()
            and value.lower() in lower_words
        ):
            continue  # "Growth" in a heading, "growth" in the prose: a word, not a name
        weakish = is_weak(f) or (f.detector == "propagated" and f.entity_type in NAME_TYPES)
        lower_ok = not value.islower() or f.detector.startswith("ner:")
        if weakish and lower_ok and _ordinary_not_a_name(text, f, value):
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
