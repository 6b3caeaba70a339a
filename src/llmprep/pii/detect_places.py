"""Places: form fields, countries, and capitalized words after a preposition of place.

English text: "in", "from", "to", "at", "near", "visited" before capitalized words. Other
languages have their own cues: French "à Nantes", Spanish "en Cuenca", Portuguese "em Braga",
Italian "a Roma", Dutch "in Ermelo"; in German every noun has a capital ("in Ordnung"), so only
verbs and nouns of place lead ("wohnt in", "das Treffen in", "fährt nach"). Countries are
matched by name in any case when a text is written all in lower case or in capitals.
"""

from __future__ import annotations

import re

from .detect_names import _cap_run
from .findings import CUE_SCORE, Finding
from .lexicon import COUNTRIES, UPPER

_COUNTRY_ALTERNATION = (
    r"(?<![\w\-])(?:"
    + "|".join(sorted((re.escape(c) for c in COUNTRIES), key=len, reverse=True))
    + r")(?![\w\-])"
)
_COUNTRY_RE = re.compile(_COUNTRY_ALTERNATION)
# Text in one case only: countries in any case (a case-blind alternation is slower, so only here).
_COUNTRY_ANY_CASE_RE = re.compile(_COUNTRY_ALTERNATION, re.IGNORECASE)
# "Slovakia (Slovak Republic)", "Holy See (Vatican City State)": the long form after a name.
_COUNTRY_TAIL_RE = re.compile(r"[ \t]*\((?:[A-Z][\w'’\-]*[ \t]*){1,4}\)")
_PLACE_CUE_RE = re.compile(
    r"\b(?:in|from|to|at|near|visit(?:ed|ing)?|(?:university|city|town|village|state|province|county|region|port)[ \t]+of)[ \t]+"
    r"(?=[" + UPPER + r"])"
)
# Other languages, by ISO 639-1 code: the words after which a capitalized word is a place.
_CUES_BY_LANGUAGE = {
    "fr": r"\b(?:à|au|aux|en|de|d'|depuis|vers|près de)[ \t]+",
    "es": r"\b(?:en|de|desde|hacia|a)[ \t]+",
    "pt": r"\b(?:em|no|na|de|do|da|para|a)[ \t]+",
    "it": r"\b(?:a|in|da|di|per)[ \t]+",
    "nl": r"\b(?:in|uit|naar|te|bij)[ \t]+",
    "ca": r"\b(?:a|en|de)[ \t]+",
    "de": (
        r"\b(?:(?:wohn|leb|arbeit|studier|treff)(?:t|e|en|et)|Treffen|Termin|Sitz|Büro|Filiale|"
        r"Niederlassung|Standort|geboren|Urlaub|Hotel|Messe)[ \t]+(?:in|im|bei)[ \t]+|"
        r"\b(?:f(?:ä|a)hr(?:t|e|en)|flieg(?:t|e|en)|zieh(?:t|e|en)|zog|reis(?:t|e|en)|komm(?:t|e|en)|"
        r"stamm(?:t|e|en))[ \t]+(?:nach|aus)[ \t]+"
    ),
}
_CUE_RES = {
    lang: re.compile(cue + r"(?=[A-ZÀ-ÖØ-Þ])", re.IGNORECASE if lang != "de" else 0)
    for lang, cue in _CUES_BY_LANGUAGE.items()
}
_DISTRICT_RE = re.compile(r"[ \t]+\d{1,2}(?![\w.,]\d|[ \t]*\d)")
# Form fields that hold a place: "City: Lemland", "Ort: Tulln", "Ville : Nantes".
_PLACE_LABEL_RE = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?:city|town|place of birth|birthplace|country|ort|stadt|wohnort|ville|"
    r"ciudad|città|cidade|plaats|woonplaats|stad|ort)[ \t]*:[ \t]*(?P<value>[^\n:]{2,40})$",
    re.IGNORECASE | re.MULTILINE,
)
_CONNECTORS = ("nad", "am", "an", "der", "sur", "upon", "on", "de", "del", "la", "le", "les")


def find_places(text: str, english: bool = True, language: str = "") -> list[Finding]:
    """Place fields and countries (any language); places after prepositions: English ones when
    `english`, else the cues of `language` (ISO 639-1) when llmprep knows them."""
    out: list[Finding] = []
    for m in _PLACE_LABEL_RE.finditer(text):
        value = m.group("value").rstrip(" \t.,")
        if value and value[0].isalpha() and not any(ch.isdigit() for ch in value):
            out.append(
                Finding(
                    m.start("value"),
                    m.start("value") + len(value),
                    "LOCATION",
                    CUE_SCORE,
                    "place-label",
                )
            )
    out += _countries(text)
    cue = _PLACE_CUE_RE if english else _CUE_RES.get(language)
    if cue is not None:
        out += _after_cues(text, cue)
    return out


def _countries(text: str) -> list[Finding]:
    """Countries as written in the text's own case: capitalized in ordinary text, in any case in
    text written all in lower case or in capitals (where a lower-case word that is an ordinary
    word too, "turkey", "chile", is left alone)."""
    one_case = not any(c.isupper() for c in text) or not any(c.islower() for c in text)
    out: list[Finding] = []
    for m in (_COUNTRY_ANY_CASE_RE if one_case else _COUNTRY_RE).finditer(text):
        word = m.group(0)
        if word.islower():
            if not one_case or _ordinary_word(word):
                continue
        elif not word[0].isupper() or (word.isupper() and not one_case and len(word) > 3):
            continue
        end = m.end()
        tail = _COUNTRY_TAIL_RE.match(text, end)
        if tail:
            end = tail.end()
        out.append(Finding(m.start(), end, "LOCATION", CUE_SCORE, "country"))
    return out


def _ordinary_word(phrase: str) -> bool:
    from .ordinary import has_word_lists, is_ordinary

    return has_word_lists() and all(is_ordinary(w) for w in phrase.split())


def _after_cues(text: str, cue: re.Pattern[str]) -> list[Finding]:
    out: list[Finding] = []
    for m in cue.finditer(text):
        run = _cap_run(text, m.end(), max_tokens=3, connectors=_CONNECTORS, place=True)
        value = text[run[0] : run[1]] if run else ""
        if not run or re.search(r"[_\d]", value) or (value.isupper() and len(value) <= 4):
            continue  # SOME_SETTING, B2B, RSVP: identifiers and acronyms, not places
        start, end = run
        # "Ústí nad Labem 2": a district number belongs to the place.
        num = _DISTRICT_RE.match(text, end)
        if num:
            end = num.end()
        nxt = text[end : end + 2]
        if re.match(r"[ \t]+[A-Z]", nxt):
            continue  # more capitalized words follow: a name or a title, not a bare place
        out.append(Finding(start, end, "LOCATION", 0.45, "place-cue"))
    return out
