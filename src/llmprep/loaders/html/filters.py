"""Precision filters on extracted blocks: lines that are page furniture whatever the site.

- a block that is only a date and/or a time ("23.10.2018", "January 13", "3:59 PM"): the
  article's dateline, which belongs in metadata, not in the text;
- a short copyright line ("© 2019 Science X Network");
- a "read more" teaser: a short label ending in a colon followed by a linked headline
  ("Read more: Looted colonial art: Germany to set up new contact office").
"""

from __future__ import annotations

import re

_MONTHS = (
    # en, de, fr, es, it, nl, pt, pl, ru (stems long enough to be unambiguous)
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "januar februar märz mär mai juni juli oktober okt dezember dez jänner "
    "janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre "
    "janv févr avr juil déc "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "ene abr ago dic "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre gen giu lug set ott "
    "januari februari maart mei augustus "
    "janeiro fevereiro março abril maio junho julho setembro outubro novembro dezembro "
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia "
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
)
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend mo di mi do fr sa so "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo "
    "lunedì martedì mercoledì giovedì venerdì sabato domenica "
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"
)
# Little words that join the parts of a date or time ("13. Mai 2019 um 14 Uhr", "le 3 mai").
_JOINERS = (
    "am pm a.m. p.m. uhr um at on the of le la el de del du di den der h hrs o'clock st nd rd th er"
)
_DATE_WORDS = frozenset((_MONTHS + " " + _WEEKDAYS + " " + _JOINERS).split())
_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+", re.UNICODE)
_CJK_DATE = re.compile(r"^[\d\s年月日号時时分秒년월일:./-]+$")
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)

MAX_DATE_CHARS = 60
MAX_COPYRIGHT_WORDS = 12


def is_dateline(text: str) -> bool:
    """True when the text is nothing but a date and/or time, in a common language."""
    text = text.strip()
    if not text or len(text) > MAX_DATE_CHARS or not any(ch.isdigit() for ch in text):
        return False
    if _CJK_DATE.match(text):
        return True
    for token in _TOKEN.findall(text.lower()):
        if token.isdigit():
            if len(token) > 4:
                return False
            continue
        if token not in _DATE_WORDS and token.rstrip(".") not in _DATE_WORDS:
            return False
    return True


# "Photo: Jane Doe / Agency", "(Credit: ...)", "Bildquelle: ...": who made the picture above.
_CREDIT = re.compile(
    r"^\(?\s*(?:photo|photograph|foto|fotos|image|picture|pic|illustration|grafik|graphic|bild|"
    r"bildquelle|beitragsbild|titelbild|abbildung|credit|credits|crédit|crédits|crédito|"
    r"image\s+illustrative|photo\s+credit|image\s+credit|fotocredit)s?\b[^:]{0,20}:\s*\S",
    re.IGNORECASE,
)
MAX_CREDIT_WORDS = 20


def is_credit_line(text: str) -> bool:
    """A picture credit standing alone: a credit label, a colon, the names."""
    return bool(_CREDIT.match(text)) and len(text.split()) <= MAX_CREDIT_WORDS


def is_copyright_line(text: str) -> bool:
    return bool(_COPYRIGHT.match(text)) and len(text.split()) <= MAX_COPYRIGHT_WORDS


def looks_like_teaser(text: str) -> bool:
    """Shaped like "Label: Some headline": a label of at most three words, a headline of 4+."""
    label, colon, rest = text.partition(":")
    return (
        bool(colon)
        and 0 < len(label.split()) <= 3
        and len(rest.split()) >= 4
        and len(text.split()) <= 25
    )


def is_teaser_link(text: str, link_chars: int) -> bool:
    """A teaser-shaped line whose headline part is a link."""
    if not looks_like_teaser(text):
        return False
    rest = text.partition(":")[2]
    headline = len(" ".join(rest.split()))
    # The headline (not the label) is linked; the label itself may be linked too.
    return link_chars >= headline * 0.8
