"""Labelled PII examples of llmprep's own: Faker values in many locales, templates written here.

    .venv/bin/python bench/pii_data.py --split measure --n 1500 --out /tmp/measure.json

Same JSON shape as the corpus's `pii/generated_small.json`: `full_text` and `spans` (entity_type,
entity_value, start_position, end_position), plus `language`, `style` and `template_id`.

Three splits, generated at bench time (nothing large is committed):
- `tune`: the templates in TUNE, seeds of their own. Detectors may be tuned on it.
- `measure`: the templates in MEASURE (written apart, never tuned on) and other seeds. Only read
  for figures: it tells how the detectors do on shapes of text they were not fitted to.
- `short`: one- or two-sentence texts from the MEASURE templates, for per-call speed.

Every template is written for this project (chat, support tickets, letters, forms, email
signatures, CSV-like rows, lists, headers); values come from Faker in many locales, so names,
streets and phone numbers are not English-only. Some texts are lower-cased or upper-cased whole,
as chat and form exports are. Deterministic: the same split, size and seed give the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

LOCALES = (
    "en_US",
    "en_GB",
    "de_DE",
    "fr_FR",
    "es_ES",
    "it_IT",
    "pt_BR",
    "nl_NL",
    "sv_SE",
    "pl_PL",
    "en_IN",
    "en_AU",
    "da_DK",
    "fi_FI",
    "cs_CZ",
    "de_CH",
    "en_CA",
    "pt_PT",
    "en_IE",
    "de_AT",
)
# Countries whose locale has a phone-number region, for international formats.
REGION = {
    "en_US": "US",
    "en_GB": "GB",
    "de_DE": "DE",
    "fr_FR": "FR",
    "es_ES": "ES",
    "it_IT": "IT",
    "pt_BR": "BR",
    "nl_NL": "NL",
    "sv_SE": "SE",
    "pl_PL": "PL",
    "en_IN": "IN",
    "en_AU": "AU",
    "da_DK": "DK",
    "fi_FI": "FI",
    "cs_CZ": "CZ",
    "de_CH": "CH",
    "en_CA": "CA",
    "pt_PT": "PT",
    "en_IE": "IE",
    "de_AT": "AT",
}

JOBS = (
    "Head of Sales",
    "Account Manager",
    "Senior Engineer",
    "Office Manager",
    "Project Lead",
    "Customer Success",
    "Finance Director",
    "Operations Coordinator",
    "Product Owner",
    "Legal Counsel",
)
PRODUCTS = (
    "the premium plan",
    "the router",
    "my subscription",
    "the standing desk",
    "the annual licence",
    "the blue jacket",
    "the coffee machine",
    "the family plan",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass
class Person:
    first: str
    last: str


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


class Values:
    """The values of one example: one locale, two people, drawn lazily and reused."""

    def __init__(self, rng: random.Random, fakers: dict[str, Any], locale: str) -> None:
        self.rng = rng
        self.locale = locale
        self.fake = fakers[locale]
        self.en = fakers["en_US"]
        self.fake.seed_instance(rng.randrange(2**31))
        self.en.seed_instance(rng.randrange(2**31))
        self.people = [self._person(), self._person()]
        self.cache: dict[str, str] = {}

    def _person(self) -> Person:
        first = self.fake.first_name()
        last = self.fake.last_name()
        return Person(first, last)

    def get(self, slot: str) -> str:
        if slot not in self.cache:
            self.cache[slot] = self._make(slot)
        return self.cache[slot]

    def _make(self, slot: str) -> str:
        rng, fake, en = self.rng, self.fake, self.en
        p = self.people[1] if slot.endswith("2") else self.people[0]
        base = slot.rstrip("2")
        if base == "first":
            return p.first
        if base == "last":
            return p.last
        if base == "name":
            return f"{p.first} {p.last}"
        if base == "first_lc":
            return p.first.lower()
        if base == "name_lc":
            return f"{p.first} {p.last}".lower()
        if base == "NAME_UC":
            return f"{p.first} {p.last}".upper()
        if base == "last_first":
            return f"{p.last}, {p.first}"
        if base == "initial_last":
            return f"{p.first[0]}. {p.last}"
        if base == "company":
            return str(fake.company())
        if base == "city":
            return str(fake.city())
        if base == "country":
            return str(en.country())
        if base == "street":
            return str(fake.street_address())
        if base == "address":
            return str(fake.address())
        if base == "address1":
            return ", ".join(line.strip() for line in str(fake.address()).split("\n"))
        if base == "po_box":
            box = rng.randrange(1, 99999)
            shape = rng.choice(("PO Box {}", "P.O. Box {}", "P. O. Box {}", "Post Office Box {}"))
            tail = rng.choice(("", f", {en.city()}, {en.state_abbr()} {en.postcode()}"))
            return shape.format(box) + tail
        if base == "military":
            # US military mail: the unit line, then APO/FPO/DPO, the "state" and a ZIP.
            zip5 = f"{rng.randrange(9000, 9999):05d}"
            unit = rng.choice(
                (
                    str(en.military_apo()),
                    str(en.military_dpo()),
                    f"{en.military_ship()} {en.last_name()}",
                )
            )
            post = rng.choice(("APO", "FPO", "DPO"))
            sep = rng.choice((", ", "\n", " "))
            return f"{unit}{sep}{post} {en.military_state()} {zip5}"
        if base == "postcode":
            return str(fake.postcode())
        if base == "phone":
            return str(fake.phone_number())
        if base == "phone_intl":
            return _international_phone(rng, fake, self.locale)
        if base == "email":
            user = rng.choice(
                (
                    f"{_ascii(p.first)}.{_ascii(p.last)}",
                    f"{_ascii(p.first)[0]}{_ascii(p.last)}",
                    str(fake.user_name()),
                )
            )
            user = re.sub(r"[^a-z0-9._]", "", user) or "mail"
            return f"{user}@{fake.free_email_domain() if rng.random() < 0.5 else en.domain_name()}"
        if base == "card":
            return _grouped(rng, str(en.credit_card_number()))
        if base == "card_bad":
            return _grouped(rng, _failing_luhn(rng))
        if base == "iban":
            iban = str(fake.iban()) if hasattr(fake, "iban") else str(en.iban())
            return (
                " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
                if rng.random() < 0.4
                else iban
            )
        if base == "ssn":
            return str(en.ssn())
        if base == "ip":
            return str(en.ipv4() if rng.random() < 0.8 else en.ipv6())
        if base == "dl":
            letters = "".join(
                rng.choice("ABCDEFGHJKLMNPRSTWY") for _ in range(rng.choice((1, 1, 2)))
            )
            digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((7, 8, 9, 12))))
            return letters + digits
        if base == "job":
            return rng.choice(JOBS)
        if base == "order":
            return str(rng.randrange(10_000, 9_999_999))
        if base == "amount":
            return f"{rng.randrange(5, 2000)}.{rng.randrange(100):02d}"
        if base == "date":
            # Fixed bounds: Faker's own default range ends today, so the file would change daily.
            day = en.date_between(start_date=FIRST_DATE, end_date=LAST_DATE)
            return day.strftime(rng.choice(("%d/%m/%Y", "%B %d, %Y", "%Y-%m-%d")))
        if base == "time":
            return f"{rng.randrange(7, 19)}:{rng.choice(('00', '15', '30', '45'))}"
        if base == "product":
            return rng.choice(PRODUCTS)
        if base == "weekday":
            return rng.choice(WEEKDAYS)
        if base == "n":
            return str(rng.randrange(2, 40))
        raise KeyError(slot)


def _grouped(rng: random.Random, digits: str) -> str:
    style = rng.random()
    if style < 0.4 or len(digits) != 16:
        return digits
    sep = " " if style < 0.75 else "-"
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4))


def _failing_luhn(rng: random.Random) -> str:
    while True:
        digits = rng.choice("3456") + "".join(rng.choice("0123456789") for _ in range(15))
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10:
            return digits


def _international_phone(rng: random.Random, fake: Any, locale: str) -> str:
    """A number of the locale's country in one of the ways people write them abroad."""
    import phonenumbers

    region = REGION.get(locale, "US")
    for _ in range(20):
        raw = str(fake.phone_number())
        try:
            num = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(num):
            continue
        intl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        national = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
        cc = f"+{num.country_code}"
        choice = rng.random()
        if choice < 0.35:
            return intl
        if choice < 0.5:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        if choice < 0.65 and national.startswith("0"):
            return f"{cc} (0){national[1:]}"  # the trunk zero kept in brackets
        if choice < 0.8:
            return "00" + intl[1:]
        return national
    return str(fake.phone_number())


# -- templates ---------------------------------------------------------------------------------
# (style, language, text). Slots in braces; see Values._make. Literal text holds no personal data.

TUNE: list[tuple[str, str, str]] = [
    ("chat", "en", "hey, it's {first} again. can you call me back on {phone}?"),
    ("chat", "en", "i'm {first_lc}'s sister, she asked me to pick up the parcel"),
    ("chat", "en", "my name is {name_lc} and my card {card_bad} got declined twice"),
    ("chat", "en", "Thanks {first}, that fixed it!"),
    ("chat", "en", "ok so {first_lc} said the invoice went to {email}"),
    ("chat", "en", "can u send it to {street} instead? i moved last {weekday}"),
    ("chat", "en", "lol {first} told me you work at {company} now"),
    (
        "ticket",
        "en",
        "Customer {name} reports that {product} stopped working after the update. Callback number: {phone_intl}.",
    ),
    (
        "ticket",
        "en",
        "Ticket {order}: refund {amount} to card ending in the number below.\nCard: {card}\nHolder: {name}",
    ),
    (
        "ticket",
        "en",
        "Subject: address change\n\nPlease update my billing address to {address}.\n\nThanks,\n{first}",
    ),
    ("ticket", "en", "The user at {ip} tried to log in 14 times as {email}."),
    ("ticket", "en", "Escalated by {name} ({job}). Customer lives in {city}, {country}."),
    (
        "letter",
        "en",
        "Dear {name},\n\nThank you for your order {order}. It will ship to:\n{address}\n\nKind regards,\n{name2}\n{company}",
    ),
    (
        "letter",
        "en",
        "Hi {first},\n\nthe contract is attached. Let me know if {weekday} works.\n\nBest,\n{first2}",
    ),
    (
        "letter",
        "en",
        "Hello {first},\n\nI wanted to follow up on the quote.\n\nCheers,\n{name2}\n{job} | {company}\n{phone}",
    ),
    (
        "letter",
        "en",
        "To whom it may concern,\n\nI confirm that {name} has been employed by {company} since {date}.\n\nSincerely,\n{name2}",
    ),
    (
        "letter",
        "de",
        "Sehr geehrte Frau {last},\n\nanbei die Unterlagen. Bei Fragen erreichen Sie mich unter {phone}.\n\nMit freundlichen Grüßen\n{name2}",
    ),
    (
        "letter",
        "de",
        "Hallo {first},\n\nwie besprochen ist das Treffen in {city}. {name2} kommt auch.\n\nViele Grüße\n{first2}",
    ),
    (
        "letter",
        "fr",
        "Bonjour {first},\n\nJe vous confirme le rendez-vous avec {name2} à {city}.\n\nCordialement,\n{name}",
    ),
    ("prose", "fr", "{name} a rejoint l'équipe de {company} à {city} le mois dernier."),
    ("prose", "fr", "Selon {name}, le dossier a été transmis à {name2} avant la réunion."),
    (
        "form",
        "en",
        "Full name: {name}\nDate of birth: {date}\nSSN: {ssn}\nPhone: {phone}\nEmail: {email}",
    ),
    ("form", "en", "APPLICANT\nName: {NAME_UC}\nAddress: {address1}\nDriver's license: {dl}"),
    ("form", "en", "Payment details\nIBAN: {iban}\nAccount holder: {name}\nReference: {order}"),
    ("form", "en", "Ship to:\n{name}\n{address}"),
    ("form", "en", "Mailing address: {po_box}"),
    ("form", "en", "Forward all mail to {military} until further notice."),
    ("form", "en", "Postcode: {postcode}\nCity: {city}"),
    ("signature", "en", "{name} > {job} > {company}"),
    ("signature", "en", "--\n{name}\n{job}, {company}\nM: {phone_intl}\n{email}"),
    ("signature", "en", "Regards,\n{first}\n\nSent from my phone"),
    ("signature", "en", "{name} | {company} | {phone}"),
    ("csv", "en", "id,name,email,phone\n{order},{name},{email},{phone}"),
    ("csv", "en", "{name};{city};{postcode};{iban}"),
    ("list", "en", "Attendees:\n- {name}\n- {name2}\n- someone from {company}"),
    ("list", "en", "Contacts\n* {name}: {phone}\n* {name2}: {email}"),
    ("header", "en", "From: {name} <{email}>\nTo: {email2}\nDate: {date}\nSubject: order {order}"),
    ("prose", "en", "{name} flew to {city} to meet the team from {company}."),
    ("prose", "en", "According to {name}, the office in {city} will close on {date}."),
    ("prose", "en", "We visited {country} last year and stayed with {first}'s family in {city}."),
    ("prose", "en", "Please wire the deposit to {iban} before {weekday}."),
    ("prose", "en", "My social security number is {ssn}, and my license number is {dl}."),
    ("prose", "en", "The package for {name} was left at {street}."),
    ("prose", "en", "Her new number is {phone_intl}, the old one no longer works."),
    ("prose", "en", "I paid with card {card} but the charge of {amount} shows twice."),
    ("prose", "en", "Our warehouse at {address1} receives deliveries before {time}."),
    ("prose", "en", "{company} hired {name} as {job} in {city}."),
    ("prose", "en", "ask {name} about the server at {ip}, he set it up"),
    ("prose", "en", "WHERE DO I SEND THE FORMS? MY ADDRESS IS {address1}"),
    ("prose", "en", "Mr. {last} and Ms. {last2} signed the agreement."),
    ("prose", "en", "Dr. {name} will see you at {time}."),
    ("csv", "en", "customer;company;town\n{name};{company};{city}\n{name2};{company};{city2}"),
    (
        "csv",
        "en",
        "| Full name | Country | E-mail |\n|---|---|---|\n| {name} | {country} | {email} |",
    ),
    ("list", "en", "Panelists\n- {name} ({job})\n- {name2}, {company}"),
    ("list", "en", "On call this week:\n1. {name} - {phone}\n2. {name2} - {phone2}"),
]

MEASURE: list[tuple[str, str, str]] = [
    ("chat", "en", "yo {first_lc}!! did you get my text from {phone}?"),
    ("chat", "en", "this is {first_lc}'s mom, he's sick today"),
    ("chat", "en", "hi im {first_lc}, can someone help me with {product}"),
    ("chat", "en", "Thank you {first}! Have a great weekend."),
    ("chat", "en", "just emailed {name} at {email}, no answer yet"),
    ("chat", "en", "pls charge my card {card_bad} again, the first try failed"),
    ("chat", "en", "me and {first} are driving to {city} tomorrow"),
    (
        "ticket",
        "en",
        "Caller {name} (acct {order}) wants to update the phone number on file to {phone_intl}.",
    ),
    ("ticket", "en", "Issue: duplicate charge\nCustomer: {name}\nCard: {card}\nAmount: {amount}"),
    (
        "ticket",
        "en",
        "Request from {email}: please close my account and delete my data. Regards, {name}",
    ),
    ("ticket", "en", "Login alert for {name}: new sign-in from {ip} in {city}."),
    (
        "ticket",
        "en",
        "Delivery failed. Recipient {name}, {address1}. Driver could not find the building.",
    ),
    (
        "letter",
        "en",
        "Dear Mr. {last},\n\nwe have received your application and will contact you at {email}.\n\nYours sincerely,\n{name2}\n{job}",
    ),
    ("letter", "en", "Hey {first},\n\nquick reminder about {weekday}.\n\nThanks,\n{first2}"),
    (
        "letter",
        "en",
        "Good morning {first},\n\nPlease find the revised schedule attached.\n\nWarm regards,\n{name2}\n{company}\nTel: {phone}",
    ),
    (
        "letter",
        "de",
        "Liebe {first},\n\nvielen Dank für deine Nachricht. {name2} meldet sich morgen bei dir.\n\nLiebe Grüße\n{first2}",
    ),
    (
        "letter",
        "de",
        "Sehr geehrter Herr {last},\n\nIhre Bestellung wird an {address1} geliefert.\n\nMit freundlichen Grüßen\n{name2}\n{company}",
    ),
    (
        "letter",
        "fr",
        "Madame {last},\n\nNous avons bien reçu votre dossier. {name2} vous contactera au {phone}.\n\nBien à vous,\n{name2}",
    ),
    ("prose", "fr", "La réunion entre {name} et {name2} aura lieu à {city} jeudi prochain."),
    ("prose", "fr", "{name}, directrice chez {company}, a présenté les résultats."),
    (
        "form",
        "en",
        "Patient name: {name}\nDOB: {date}\nContact number: {phone}\nHome address: {address1}",
    ),
    ("form", "en", "EMPLOYEE RECORD\nNAME: {NAME_UC}\nSSN: {ssn}\nBANK ACCOUNT: {iban}"),
    ("form", "en", "Return address:\n{name}\n{po_box}"),
    ("form", "en", "Send correspondence to {name}, {military}"),
    ("form", "en", "Zip code: {postcode}"),
    ("form", "en", "License no.: {dl}\nIssued to: {name}"),
    ("signature", "en", "Best regards,\n{name} > {job} > {company} > {phone_intl}"),
    ("signature", "en", "{first}\n{job}\n{company}\n{email} | {phone}"),
    ("signature", "en", "Best,\n{first}"),
    ("csv", "en", "name,city,country\n{name},{city},{country}\n{name2},{city2},{country}"),
    ("csv", "en", "{last_first}\t{email}\t{phone}"),
    ("list", "en", "Speakers\n1. {name} ({company})\n2. {name2}"),
    ("list", "en", "Emergency contacts:\n- {name}, {phone}\n- {name2}, {phone2}"),
    ("header", "en", "From: {email}\nSent: {date}\nTo: {name2}\nSubject: meeting in {city}"),
    ("prose", "en", "{name} lives at {address1} with two cats."),
    ("prose", "en", "Last spring {name} moved from {city} to {country}."),
    ("prose", "en", "The transfer to account {iban} was approved by {name}."),
    ("prose", "en", "For verification, my SSN is {ssn}."),
    ("prose", "en", "Her card {card} expired, so the payment bounced."),
    ("prose", "en", "Reach our {city} office on {phone_intl} during business hours."),
    ("prose", "en", "{name} has worked for {company} for six years."),
    ("prose", "en", "THE CHECK WAS MAILED TO {address1} ON {date}"),
    ("prose", "en", "Ms. {name} requested a copy of her records."),
    ("prose", "en", "Server {ip} was flagged after {first_lc} ran the script."),
]

_SLOT = re.compile(r"\{([A-Za-z_0-9]+)\}")
SLOT_TYPES = {
    "first": "PERSON",
    "last": "PERSON",
    "name": "PERSON",
    "first_lc": "PERSON",
    "name_lc": "PERSON",
    "NAME_UC": "PERSON",
    "last_first": "PERSON",
    "initial_last": "PERSON",
    "company": "ORGANIZATION",
    "city": "LOCATION",
    "country": "LOCATION",
    "street": "ADDRESS",
    "address": "ADDRESS",
    "address1": "ADDRESS",
    "po_box": "ADDRESS",
    "military": "ADDRESS",
    "postcode": "POSTAL_CODE",
    "phone": "PHONE_NUMBER",
    "phone_intl": "PHONE_NUMBER",
    "email": "EMAIL_ADDRESS",
    "card": "CREDIT_CARD",
    "card_bad": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ssn": "US_SSN",
    "ip": "IP_ADDRESS",
    "dl": "US_DRIVER_LICENSE",
}
# Locales whose people write the template's language.
LANGUAGE_LOCALES = {"de": ("de_DE", "de_AT", "de_CH"), "fr": ("fr_FR",)}
SHORT_STYLES = {"chat", "prose", "ticket"}


def _casing(rng: random.Random, style: str, language: str) -> Callable[[str], str]:
    """Chat and forms are sometimes written all in lower (or upper) case."""
    if language == "en" and style in ("chat", "form", "prose", "ticket"):
        r = rng.random()
        if r < 0.10:
            return str.lower
        if r < 0.14:
            return str.upper
    return lambda s: s


def render(template: str, values: Values, case: Callable[[str], str]) -> dict[str, Any]:
    text_parts: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    last = 0
    for m in _SLOT.finditer(template):
        literal = case(template[last : m.start()])
        text_parts.append(literal)
        pos += len(literal)
        slot = m.group(1)
        value = case(values.get(slot))
        etype = SLOT_TYPES.get(slot.rstrip("2"))
        if etype and value:
            spans.append(
                {
                    "entity_type": etype,
                    "entity_value": value,
                    "start_position": pos,
                    "end_position": pos + len(value),
                }
            )
        text_parts.append(value)
        pos += len(value)
        last = m.end()
    text_parts.append(case(template[last:]))
    return {"full_text": "".join(text_parts), "spans": spans}


FIRST_DATE, LAST_DATE = date(1950, 1, 1), date(2025, 12, 31)


def _ordered(fake: Any) -> Any:
    """`fake` with its providers' value lists in a fixed order. Some locales build a list from a
    set (it_IT's cities), whose order follows the interpreter's hash seed: the same seed then
    gave other values in another process."""
    for provider in fake.providers:
        for name, value in vars(type(provider)).items():
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                setattr(provider, name, sorted(value))
    return fake


def generate(split: str, n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` labelled examples of `split` ('tune', 'measure' or 'short')."""
    from faker import Faker

    templates = TUNE if split == "tune" else MEASURE
    if split == "short":
        templates = [t for t in MEASURE if t[0] in SHORT_STYLES and "\n" not in t[2]]
    fakers = {loc: _ordered(Faker(loc)) for loc in LOCALES}
    out = []
    for i in range(n):
        rng = random.Random(f"{split}:{seed}:{i}")
        tid = rng.randrange(len(templates))
        style, language, template = templates[tid]
        locale = rng.choice(LANGUAGE_LOCALES.get(language, LOCALES))
        values = Values(rng, fakers, locale)
        example = render(template, values, _casing(rng, style, language))
        example.update(template_id=f"{split}-{tid}", style=style, language=language)
        out.append(example)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=("tune", "measure", "short"), default="tune")
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    data = generate(args.split, args.n, args.seed)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
