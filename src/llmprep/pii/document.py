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
from .lexicon import QUANTITY_WORDS, REFERENCE_WORDS, prose_only
from .model_names import PREFERRED_BY_LANGUAGE


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
    # Numbers are no part of a name: "Restart Network 34" is a contents line's title and page.
    words = [p for w in value.split() for p in w.split("-") if p and not p.isdigit()]
    if not words:
        return True
    if not has_word_lists():
        return False
    if entity_type == "PERSON" and len(words) > 1 and is_plain_word(words[0]):
        # "Formal Onboarding", "Financial Roadmap": a describing word, then ordinary words or
        # words made of two of them (which no word list holds): a phrase, not a given name.
        first = words[0].lower()
        if first not in STOP_WORDS and all(is_ordinary(w) or _compound(w) for w in words[1:]):
            return True
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


def _compound(word: str) -> bool:
    """A closed compound of two ordinary words ("roadmap", "onboarding", "workflow")."""
    from .ordinary import is_ordinary

    low = word.lower()
    if not low.isalpha() or len(low) < 6:
        return False
    return any(is_ordinary(low[:k]) and is_ordinary(low[k:]) for k in range(2, len(low) - 2))


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


# Detectors that tie an organisation or a place to a person: an address block, a form's place
# field, a people table's column, a signature or contact line. A company or a place a heading
# names is personal data only where the document uses the same value that way.
PERSONAL_CONTEXT = ("address", "place-label", "column", "record-cell", "org-listed")
# Places, companies and groups: in a heading they name what a document is about.
PLACE_OR_GROUP = frozenset({"ORGANIZATION", "LOCATION", "NRP"})


def _contact(f: Finding) -> bool:
    """A person a cue names (a model's guess makes no contact block), or a postal address.
    (A mailbox or a phone number beside a company is often the company's own.)"""
    if f.entity_type == "PERSON":
        return not is_weak(f) and f.detector != "propagated"
    return f.entity_type == "ADDRESS"


# Lines of a signature or an address block are short; a paragraph is one long line.
_SHORT_LINE = 100


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _short_line(text: str, at: int) -> bool:
    a = _line_start(text, at)
    b = text.find("\n", at)
    return (len(text) if b < 0 else b) - a <= _SHORT_LINE


def _near_contact_line(text: str, at: int, contact_lines: set[int]) -> bool:
    """The line at `at`, or the nearest line above or below it, is a contact line."""
    a = _line_start(text, at)
    if a in contact_lines:
        return True
    above = _line_start(text, max(0, len(text[:a].rstrip()) - 1)) if a else -1
    b = text.find("\n", at)
    below = -1
    if b >= 0:
        rest = text[b:]
        below = b + len(rest) - len(rest.lstrip())
    return above in contact_lines or below in contact_lines


# The name line above an address (read from its place among lines) and copies spread from
# other text: in a heading, which is no address block, they are guesses like a model's.
_LINE_CUES = ("propagated", "address-block")


def _whole_name(value: str) -> bool:
    """Two or three capitalized words with no describing word, verb or plural among them, as
    the model found them ("Tamsin Okonkwo's Home"): a whole name, the way a page or a CV is
    titled by its author's name. ("X Disruption Leaves Users Offline" has a verb and a plural.)"""
    from .ordinary import has_word_lists, is_ordinary, is_plain_word

    words = [w.removesuffix("'s").removesuffix("’s") for w in value.split()]
    if not 2 <= len(words) <= 3 or not has_word_lists():
        return False
    if not all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words):
        return False
    # A name has a word no word list holds, and no word that is a verb, an adjective or a
    # plural ("Formal Onboarding", "Regional Supply").
    from .lexicon import TECH_TERMS

    if any(w.lower() in TECH_TERMS for w in words):
        return False  # "Redis Framework": a tool's name
    return any(not is_ordinary(w) for w in words) and not any(is_plain_word(w) for w in words)


def _whole_words_in(haystack: str, value: str) -> bool:
    if len(value) < 2:
        return False
    at = haystack.find(value)
    while at >= 0:
        end = at + len(value)
        before = haystack[at - 1] if at else " "
        after = haystack[end] if end < len(haystack) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        at = haystack.find(value, at + 1)
    return False


def _names_someone(f: Finding, value: str) -> bool:
    """Body evidence that a value is a person's name: a cue found it, or the model found a
    whole name (two words or more). One capitalized word the model alone calls a person is a
    product, a place or a brand as often as a name (a product, an island)."""
    if f.entity_type != "PERSON" or f.detector == "propagated":
        return False
    return not is_weak(f) or len(value.split()) >= 2


def judge_headings(
    text: str, findings: list[Finding], headings: list[tuple[int, int]]
) -> list[Finding]:
    """Drop findings in headings that the document gives no personal reason for.

    - A person's name stands when a cue found it in the heading (a title, a mailbox, a
      greeting), or when the body names the same person: the same value, or every word of it
      as part of a name the body finds by a cue or as a whole name.
    - An organisation, a place or a group (ORGANIZATION, LOCATION, NRP) stands only when the
      document ties the same value to a person: an address block, a form's place field, a
      people table, a signature or contact line (PERSONAL_CONTEXT). A heading's "Grown in X",
      a product, a conference or the company a news story is about is no one's personal data.
    - The name line above an "address" counts as a guess in a heading: a table of contents
      under its title reads like an address block.

    A value dropped from a heading is decided once for the document: its other findings go
    too (weak and propagated ones for a person; every one for a place, company or group).
    """
    if not headings or not findings:
        return findings
    starts = [a for a, _ in headings]

    def in_heading(f: Finding) -> bool:
        k = bisect_right(starts, f.start) - 1
        return k >= 0 and f.start < headings[k][1]

    people: set[str] = set()
    parts: set[str] = set()
    personal: set[str] = set()
    # Short lines naming a person by a cue, or holding a postal address: a signature, a
    # letter's head, an address block. A company or a place on or next to them is a person's.
    contact_lines = {
        _line_start(text, f.start)
        for f in findings
        if _contact(f) and not in_heading(f) and _short_line(text, f.start)
    }
    for f in findings:
        if in_heading(f):
            continue
        value = _norm(text[f.start : f.end])
        if f.detector.startswith(PERSONAL_CONTEXT) or (
            f.entity_type in PLACE_OR_GROUP
            and _short_line(text, f.start)
            and _near_contact_line(text, f.start, contact_lines)
        ):
            personal.add(value)
        if f.detector != "propagated" and _names_someone(f, value):
            people.add(value)
            parts.update(p for p in value.split() if len(p) >= 2)
    dropped: dict[str, bool] = {}  # value -> drop every finding of it (else weak ones only)
    # Headings as written, in one case: a subject named in capitals ("X SUMMIT & TRADE SHOW") or
    # with more words around it is the same subject.
    titles = " | ".join(_norm(text[a:b]) for a, b in headings)
    for f in findings:
        value = _norm(text[f.start : f.end])
        if not in_heading(f):
            if (
                f.entity_type in PLACE_OR_GROUP
                and value not in personal
                and _whole_words_in(titles, value)
            ):
                dropped[value] = True  # what a heading names is what the document is about
            elif (
                f.entity_type == "PERSON"
                and is_weak(f)
                and value not in people
                and _whole_words_in(titles, value)
            ):
                # One capitalized word the model calls a person, which a heading shows in a
                # phrase no detector there took for a name ("X Disruption Leaves Users Offline").
                dropped.setdefault(value, False)
            continue
        if f.entity_type in PLACE_OR_GROUP:
            own = f.detector.startswith(PERSONAL_CONTEXT) and f.detector != "address-block"
            if not own and value not in personal:
                dropped[value] = True
        elif f.entity_type == "PERSON" and (is_weak(f) or f.detector in _LINE_CUES):
            words = value.split()
            if (
                value not in people
                and not (words and all(w in parts for w in words))
                and not (f.detector != "propagated" and _whole_name(text[f.start : f.end]))
            ):
                dropped.setdefault(value, False)
    if not dropped:
        return findings
    out = []
    for f in findings:
        value = _norm(text[f.start : f.end])
        if value in dropped and (
            dropped[value] or in_heading(f) or f.detector == "propagated" or is_weak(f)
        ):
            continue
        out.append(f)
    return out


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
    if " " in word or not has_word_lists() or not is_ordinary(word):
        return False
    # A group's name is an ordinary word too ("Americans", "Catholics"): only a word with no
    # nationality's or creed's ending ("Costs", "Events") is plainly none.
    return f.entity_type != "NRP" or not _GROUP_ENDING.search(word)


_GROUP_ENDING = re.compile(r"(?:an|ese|ish|ic|i|ist|ite|ch)s?$", re.IGNORECASE)


# A verb right after a capitalized word makes it the subject of a clause: a noun, so "Frank
# had given ..." names somebody, though "frank" is also an adjective.
_VERB_AFTER = re.compile(
    r"[ \t]+(?:had|has|was|is|will|would|could|should|can|did|does|said|says|told|asked|"
    r"wrote|replied|called|gave|went|came|met|sent|left|wants|wanted|thinks|thought)\b"
)


def _no_name(
    text: str,
    f: Finding,
    versioned: set[str],
    technical: bool,
    backed: set[str],
    lower_words: set[str],
) -> bool:
    """Whether a finding is plainly no personal data (see one_decision_per_value)."""
    from .ordinary import is_adverb

    value = text[f.start : f.end]
    if versioned and f.entity_type in NAME_TYPES and _names_a_version(value, versioned):
        return True  # "Python 3", "Future of Python 3" where the text writes "Python 2.7"
    if technical and _lone_model_guess(f, value) and _norm(value) not in backed:
        return True  # "Users of Zendesk and Looker" in a manual: tools; no cue says otherwise
    if f.detector.startswith("ner:") and _named_as_product(text, f.start, f.end):
        return True
    if f.entity_type in NAME_TYPES and not _cue_backed(f) and _reference(text, f.end, value):
        return True  # "Rule 9017", "Subject to Rule 1019", "Form 1099" (not "Mr. Page 3 ...")
    if f.detector.startswith("ner:") and (
        _unit_after_number(text, f.start, value)
        or _in_citation(text, f.start, f.end)
        or (f.entity_type == "PERSON" and _after_determiner(text, f.start, value))
        or (f.entity_type in NAME_TYPES and is_adverb(value.strip()))
    ):
        # "holds 16 Gigabyte", "12 C.F.R. § 330", "Fed. R. Bankr. P. 3002", "this Handbook",
        # "Realistically, ..."
        return True
    weakish = is_weak(f) or (f.detector == "propagated" and f.entity_type in NAME_TYPES)
    if weakish and f.entity_type in ("PERSON", "ORGANIZATION") and _brand_shaped(value):
        # "Fair2025", "Agro-XYForum": how events and products are written. (Places keep theirs:
        # town names glue words too.)
        return True
    if f.detector in _AS_WRITTEN and value.islower() and _line_has_capitals(text, f.start):
        # Models for other languages read text as written (re-casing is English only), and
        # their small models tag common nouns ("la recherche"); a writer who uses capitals
        # gives a name one. (The English model finds real names in lower-case chat lines.)
        return True
    if (
        f.detector.startswith("ner:")
        and f.entity_type in ("ORGANIZATION", "NRP")
        and _capitals_read_as_written(text, f.start, value)
    ):
        return True  # "REGIONAL SUMMIT & TRADE SHOW" on a line of capitals among lines of prose
    if is_weak(f) and f.detector in _SHAPE_DETECTORS and value.isupper():
        return (
            True  # "SUMMIT & TRADE SHOW": in capitals all along, a shape of capitals says nothing
        )
    if (
        is_weak(f)
        and " " not in value.strip()
        and not value.islower()
        and value.lower() in lower_words
    ):
        return True  # "Growth" in a heading, "growth" in the prose: a word, not a name
    lower_ok = not value.islower() or f.detector.startswith("ner:")
    return weakish and lower_ok and _ordinary_not_a_name(text, f, value)


_NUMBER_BEFORE = re.compile(r"\d[\d.,]*[ \t\u00a0]*$")
# A chain of two or more capitalized abbreviations, then a section sign or a number: the title
# of a statute, a rule or a reporter in a citation ("12 C.F.R. § 330", "Fed. R. Civ. P. 26").
_CITATION = re.compile(
    r"(?:(?:\b[A-Z][A-Za-z]{0,5}\.[ \t]?){2,}|\b(?:[A-Z]\.)+[A-Z]\b[ \t]?)"  # "Fed. R.", "U.S.C"
    r"[ \t]*(?:§+[ \t]*)?\d+(?:[.\-]\d+)*(?:\([a-z0-9]\))*"
)


def _unit_after_number(text: str, start: int, value: str) -> bool:
    """A unit of measure, time or money right after a number ("16 Gigabyte", "12 Minuten")."""
    return (
        value.strip(" .").lower() in QUANTITY_WORDS
        and _NUMBER_BEFORE.search(text, max(0, start - 24), start) is not None
    )


_NUMBER_AFTER = re.compile(r"[ \t\u00a0]+\(?\d")
# Determiners before a thing, not before a person's name ("this Handbook").
_THING_DETERMINER = re.compile(
    r"\b(?:this|that|these|those|our|your|its|their|the)[ \t]+$", re.IGNORECASE
)


_REFERENCE_VALUE = re.compile(r"(?P<noun>[^\W\d_]+)(?:[ \t\u00a0]+\(?\d[\w().\-]*)?")


def _reference(text: str, end: int, value: str) -> bool:
    """A reference noun and its number: "Rule 9017", "Form 1099", "Rule 1007(b)(7)"."""
    m = _REFERENCE_VALUE.fullmatch(value.strip())
    if m is None or m.group("noun").lower() not in REFERENCE_WORDS:
        return False
    return m.end("noun") < m.end() or _NUMBER_AFTER.match(text, end) is not None


def _after_determiner(text: str, start: int, value: str) -> bool:
    """ "this Handbook", "the Handbook": one ordinary word after a determiner names a thing."""
    from .ordinary import has_word_lists, is_ordinary

    word = value.strip()
    return (
        " " not in word
        and has_word_lists()
        and is_ordinary(word)
        and _THING_DETERMINER.search(text, max(0, start - 12), start) is not None
    )


def _in_citation(text: str, start: int, end: int) -> bool:
    """The span lies inside a citation's title on its line (see _CITATION)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    line = text[a : len(text) if b < 0 else b]
    return any(m.start() <= start - a and end - a <= m.end() + 1 for m in _CITATION.finditer(line))


_AS_WRITTEN = frozenset(
    f"ner:{model}" for models in PREFERRED_BY_LANGUAGE.values() for model in models
)
# Detectors that read a name from capitals alone (no model, no cue word).
_SHAPE_DETECTORS = frozenset({"org-shape", "org-noun", "org-partners", "proper-noun"})
# A brand's or an event's spelling, never a person's: capitals run into a capitalized word
# ("XYWorld"), letters glued to two or more digits ("Fair2025"), or a word in lower case with
# a capital inside after three letters ("HubSpot"-like; not "McKay", "DeShawn", "LaToya").
_BRAND_WORD = re.compile(
    r"[A-Z]{2,}[a-z]{2,}[A-Za-z]*|[A-Za-z]*[A-Za-z][0-9]{2,}[A-Za-z]*"
    r"|(?!Fitz|Mac|Van|Von)[A-Z][a-z]{2,}[A-Z][a-z]+"
)


def _brand_shaped(value: str) -> bool:
    return any(
        _BRAND_WORD.fullmatch(part.strip(".,;:!?()'’\""))
        for w in value.split()
        for part in w.split("-")
    )


def _capitals_read_as_written(text: str, at: int, value: str) -> bool:
    """Ordinary words in capitals on a line of capitals next to a line in lower case: the model
    read them as written (only text in one case is re-cased for it), and capitals all along
    give it nothing to go on. (A form or a message written all in capitals is re-cased.)"""
    from .ordinary import has_word_lists, is_ordinary

    if not value.isupper() or not has_word_lists():
        return False
    words = [w for w in re.split(r"[\s&/\-]+", value) if len(w.strip(".,")) > 2]
    if not words or not all(is_ordinary(w) for w in words):
        return False
    a = text.rfind("\n", 0, at) + 1
    b = text.find("\n", at)
    b = len(text) if b < 0 else b
    if any(c.islower() for c in text[a:b]):
        return False
    before = text[:a].rstrip().rsplit("\n", 1)[-1]
    after = text[b:].lstrip().split("\n", 1)[0]
    return any(c.islower() for c in before + after)


def _line_has_capitals(text: str, at: int) -> bool:
    a = text.rfind("\n", 0, at) + 1
    b = text.find("\n", at)
    return any(c.isupper() for c in text[a : b if b >= 0 else len(text)])


def _cue_backed(f: Finding) -> bool:
    """Found by a cue (a header field, a greeting, a form label), not by the model, a shape or
    a copy of another finding."""
    return not (is_weak(f) or f.detector.startswith("ner:") or f.detector == "propagated")


def _one_kind_per_value(text: str, findings: list[Finding]) -> list[Finding]:
    """A name the text gives several times is one kind of thing everywhere, so one placeholder.

    The model may call the same words a place in one sentence, a person in the next and a
    company in a third ("Indigenous Peoples"). The kind a cue gave wins, then the kind found
    most often, then the best-scored one.
    """
    kinds_of: dict[str, dict[str, list[Finding]]] = {}
    for f in findings:
        if f.entity_type in NAME_TYPES:
            value = text[f.start : f.end].strip()
            kinds_of.setdefault(value, {}).setdefault(f.entity_type, []).append(f)

    def weight(found: list[Finding]) -> tuple[bool, int, float]:
        return (any(_cue_backed(f) for f in found), len(found), max(f.score for f in found))

    chosen = {
        value: max(kinds, key=lambda kind: weight(kinds[kind]))
        for value, kinds in kinds_of.items()
        if len(kinds) > 1
    }
    if not chosen:
        return findings
    out = []
    for f in findings:
        kind = chosen.get(text[f.start : f.end].strip()) if f.entity_type in NAME_TYPES else None
        out.append(
            f
            if kind in (None, f.entity_type)
            else Finding(f.start, f.end, kind, f.score, f.detector)
        )
    return out


def one_decision_per_value(text: str, findings: list[Finding]) -> list[Finding]:
    """Every occurrence of a value gets the decision of the value.

    Weak single-word name findings whose word the text also writes in lower case are dropped
    everywhere; every other finding's value is added at its other occurrences (whole words).
    """
    if not findings:
        return findings
    lower_words = {w for w in _WORD_RE.findall(prose_only(text)) if w.islower()}
    # Values some detector other than the model found: evidence for the model's other finds.
    backed = {_norm(text[f.start : f.end]) for f in findings if not f.detector.startswith("ner:")}
    # Given names and surnames of people a cue names ("From: Lena Fischbach <...>"): the same
    # word alone elsewhere (a sign-off, "Thanks Lena") is that person, not an ordinary word.
    name_parts = {
        part
        for f in findings
        if f.entity_type == "PERSON" and _cue_backed(f)
        for part in text[f.start : f.end].split()
        if len(part) >= 3 and part.istitle()
    }
    technical = _technical(text)
    versioned = {m.group(1) for m in _VERSIONED.finditer(text)}
    kept: list[Finding] = []
    dropped: set[str] = set()
    for f in findings:
        if f.entity_type == "PERSON" and text[f.start : f.end].strip() in name_parts:
            kept.append(f)
        elif _no_name(text, f, versioned, technical, backed, lower_words):
            dropped.add(_norm(text[f.start : f.end]))
        else:
            kept.append(f)
    if dropped:
        # One decision per value: copies spread from a value judged ordinary text go too,
        # unless another finding of the same value stands on its own.
        standing = {_norm(text[f.start : f.end]) for f in kept if f.detector != "propagated"}
        kept = [
            f
            for f in kept
            if not (
                f.detector == "propagated"
                and f.entity_type in NAME_TYPES
                and _norm(text[f.start : f.end]) in dropped - standing
            )
        ]
    kept = _one_kind_per_value(text, kept)
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
