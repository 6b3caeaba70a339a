"""Street addresses, postal codes, and the name lines above an address block.

An address is found from a street anchor (a street line in one of the shapes used around the
world: "12 Baker Street", "Nassaustraat 123", "Rue de Rivoli 5", "87 Jakobi 69", "PO Box 7")
and grown to the right over the parts that follow it on the same line or the next lines:
second line (Apt./Suite), place names, state abbreviations, postal codes, countries.
A part must end at a boundary (comma, newline, period, end): "12 Baker Street in case of" stops
at "in". The lines just above a block are a person's or a company's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .address_words import (
    ADDRESS_CUES,
    ONLY_FIRST,
    STREET_FIRST,
    STREET_SUFFIXES,
    STREET_WORDS,
    UNIT_WORDS,
    WEAK_STREET_WORDS,
)
from .findings import CUE_SCORE, Finding
from .lexicon import (
    COMMON_CAPITALIZED,
    COUNTRIES,
    NAME_PARTICLES,
    ORG_SUFFIXES,
    QUANTITY_WORDS,
    STOP_WORDS,
    words,
)

_DIRECTIONS = words(
    """
    e e. east est n n. ne nord north nw ost ouest s s. se south sud sw süd w w. west
    """
)
_COUNTRIES_LOWER = frozenset(c.lower() for c in COUNTRIES)
_COUNTRY_WORDS = frozenset(w for c in _COUNTRIES_LOWER for w in c.split())
_CUES_RE = re.compile(
    r"(?:" + "|".join(re.escape(c) for c in ADDRESS_CUES) + r")\W{0,3}(?:is\W+)?$", re.IGNORECASE
)

_TOKEN_RE = re.compile(
    r"(?P<nl>\n)|(?P<num>\d[\w\-/]*\.?)|(?P<word>[^\W\d_][^\s,;:!?()\"<>\[\]{}]*)|(?P<punct>[^\s])"
)
_POSTAL_SHAPES = (
    re.compile(r"^\d{3,6}(?:-\d{3,4})?$"),  # 12345, 12345-6789, 1234, 123-4567
    re.compile(r"^\d{2}-\d{3}$"),  # Poland: 00-514
    re.compile(r"^[A-Z]{1,2}-?\d{4,5}$"),  # D-12345, SE12345
)
_UK_POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
_CA_POSTCODE_RE = re.compile(r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$")
_NL_POSTCODE_RE = re.compile(r"^[1-9]\d{3} ?[A-Z]{2}$")
_EIRCODE_RE = re.compile(r"^[A-Z]\d[\dW] ?(?=[0-9A-Z]*\d)(?=[0-9A-Z]*[A-Z])[0-9A-Z]{4}$")
_BULLET_RE = re.compile(r"^[^\w\n]{1,4}$")
_POSTAL_CUE_RE = re.compile(
    r"\b(?:zip(?:\s*code)?|postal\s*code|post\s*code|postcode|plz|code\s+postal|c[oó]digo\s+postal|"
    r"postnummer|postinumero|kod\s+pocztowy|psč|eircode|(?:cep|cap|pin\s*code)(?=[ \t]*:))"
    r"[ \t]*[:#.]?[ \t]*"
    # After a label, a code of any country's shape: letters and digits, one space or hyphen.
    r"(?P<code>[A-Z0-9]{2,8}(?:[ \-][A-Z0-9]{2,4})?)(?![\w-])",
    re.IGNORECASE,
)
_PO_BOX_RE = re.compile(
    r"(?:\bP\.?[ \t]?O\.?|\bPost[ \t]+Office)[ \t]+Box[ \t]+\d{1,7}\b"
    r"|\bPostfach[ \t]+\d{1,7}(?:[ \t]\d{2,3})?\b"  # "Postfach 11 20"
    r"|\bBo[iî]te[ \t]+postale[ \t]+\d{1,7}\b|\bApartado(?:[ \t]+de[ \t]+correos)?[ \t]+\d{1,7}\b"
    r"|\bCaixa[ \t]+Postal[ \t]+\d{1,7}\b|\bCasella[ \t]+postale[ \t]+\d{1,7}\b",
    re.IGNORECASE,
)
# US military mail: "PSC 1234, Box 5678", "Unit 8120 Box 44", "USNS Lane", then "APO AE 09012".
_MILITARY_RE = re.compile(
    r"\b(?:(?:PSC|CMR|Unit)[ \t]+\d{1,5},?[ \t]+Box[ \t]+\d{1,5}"
    r"|(?:USS|USNS|USNV|USCGC|USNA)[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)"
    r"(?:,?[ \t]*\n?[ \t]*(?:APO|FPO|DPO)[ \t]+A[AEP][ \t]+\d{5})?"
    r"|\b(?:APO|FPO|DPO)[ \t]+A[AEP][ \t]+\d{5}\b",
    re.IGNORECASE,
)
# "..., Springfield, IL 62704": the rest of a one-line US address after a box number.
_CITY_STATE_ZIP_RE = re.compile(
    r",?[ \t]+[A-Z][\w'’.\-]*(?:[ \t]+[A-Z][\w'’.\-]*){0,3},[ \t]*[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b"
)
_PLACE_PIN_RE = re.compile(r"^[A-Z][^\W\d_]{2,}-\d{6}$")  # India: "Ahmednagar-861126"
_PROVINCE_RE = re.compile(r"[ \t]*(?:\([A-Z]{2}\)|[/\-][ \t]*[A-Z]{2})(?![\w])")
_SAINTS = frozenset({"saint", "sainte", "st", "ste", "sankt", "san", "santa", "são", "sao"})
# Words that open place names and are common words elsewhere ("North Tony", "New Alicia").
_PLACE_PREFIXES = _SAINTS | words(
    "north south east west new old upper lower great little port fort mount lake"
)


def _ordinary(word: str) -> bool:
    from .ordinary import has_word_lists, is_ordinary

    return has_word_lists() and is_ordinary(word)


def _plain_caps(word: str) -> bool:
    """A word in capitals that is an ordinary verb, adjective or plural ("RECEIVES")."""
    from .ordinary import has_word_lists, is_plain_word

    return has_word_lists() and is_plain_word(word)


_CORNER_RE = re.compile(r"(?:(?:at|on)\s+)?(?:the\s+)?corner\s+of\s+$", re.IGNORECASE)


@dataclass(slots=True)
class Tok:
    kind: str  # nl | num | word | punct
    start: int
    end: int
    text: str

    @property
    def core(self) -> str:
        return self.text.rstrip(".").lower() if self.kind == "word" else self.text.rstrip(".")


def tokenize(text: str) -> list[Tok]:
    return [
        Tok(m.lastgroup or "punct", m.start(), m.end(), m.group(0))
        for m in _TOKEN_RE.finditer(text)
    ]


def _is_street_word(tok: Tok) -> bool:
    return tok.kind == "word" and (tok.text.lower() in STREET_WORDS or tok.core in STREET_WORDS)


def _is_weak_street_word(tok: Tok) -> bool:
    return tok.kind == "word" and tok.core in WEAK_STREET_WORDS


def _is_first_type(tok: Tok) -> bool:
    """A street type written before the name ("Rua", "Via", "C.", "al.")."""
    if tok.kind != "word":
        return False
    low = tok.text.lower()
    if len(tok.core) == 1:
        return low in STREET_FIRST  # "C." and "R." only with their period
    return tok.core in STREET_FIRST or low in STREET_FIRST


def _has_street_suffix(tok: Tok) -> bool:
    if tok.kind != "word":
        return False
    low = tok.core
    if not any(low.endswith(s) and len(low) >= len(s) + 3 for s in STREET_SUFFIXES):
        return False
    # "Monitoring", "Engineering", "necktie": English words, not "Kaiserring" or "Taavintie".
    return not _ordinary(low)


# Score of a street anchor whose type word is a common noun too: kept with a place, a postal
# code, a unit or a cue before it.
WEAK_ANCHOR = 0.3
# Score of a street named without a type ("Lánovská 491"): kept only before a postal code and
# a place ("10115 Berlin", "Toledo, 14475").
NAMED_ANCHOR = 0.05


def _is_type_last(tok: Tok) -> bool:
    """A street-type word that ends a street name ("Baker Street", "Nassaustraat")."""
    return (_is_street_word(tok) and tok.core not in ONLY_FIRST) or _has_street_suffix(tok)


def _looks_like_name(tok: Tok) -> bool:
    return tok.text[0].isupper() or not tok.text.isascii()


_DECIMAL_TAIL = re.compile(r"[.,]\d")


def _in_decimal(text: str, start: int) -> bool:
    """A digit run right after "<digit>." or "<digit>,": the decimals of a number."""
    return start >= 2 and text[start - 1] in ".," and text[start - 2].isdigit()


def _is_number(tok: Tok, max_digits: int = 6) -> bool:
    core = tok.text.rstrip(".")
    return (
        tok.kind == "num"
        and sum(ch.isdigit() for ch in core) <= max_digits
        and core[:1].isdigit()
        and (core.isdigit() or bool(re.fullmatch(r"\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?", core)))
    )


def _ends_sentence(tok: Tok) -> bool:
    """A word carrying a sentence's final period ("Berlin." in "10115 Berlin. Telefon: ..."):
    not an abbreviation ("St.", "a.") nor a street word ("Hauptstr.")."""
    return (
        tok.kind == "word"
        and tok.text.endswith(".")
        and len(tok.core) > 3
        and not _is_street_word(tok)
        and not _has_street_suffix(tok)
    )


def _is_name_word(tok: Tok, allow_lower: bool) -> bool:
    """A word that can be part of a street or place name."""
    if tok.kind != "word" or tok.core in STOP_WORDS or tok.text.endswith(":") or "@" in tok.text:
        return False
    if tok.text.rstrip(".") in COMMON_CAPITALIZED and tok.core not in STREET_WORDS:
        return False
    first = tok.text[0]
    return allow_lower or first.isupper() or not first.isascii()


def _is_unit_word(tok: Tok) -> bool:
    return tok.kind == "word" and (tok.text.lower() in UNIT_WORDS or tok.core in UNIT_WORDS)


def _is_postal(toks: list[Tok], i: int) -> int:
    """Number of tokens forming a postal code at i (0 when none)."""
    if i >= len(toks):
        return 0
    t = toks[i]
    core = t.text.rstrip(".")
    if i + 1 < len(toks) and toks[i + 1].start == t.end + 1:
        pair = f"{t.text} {toks[i + 1].text.rstrip('.')}"
        if re.fullmatch(r"\d{3} \d{2}", pair):  # Sweden, Czechia, Greece: "111 23"
            return 2
        if _UK_POSTCODE_RE.match(pair) or _CA_POSTCODE_RE.match(pair):
            return 2
    if i + 1 < len(toks) and toks[i + 1].start == t.end + 1:
        pair = f"{t.text} {toks[i + 1].text.rstrip('.,')}"
        if _NL_POSTCODE_RE.match(pair) or _EIRCODE_RE.match(pair):
            return 2  # "6662 WT", "E34 XY6T"
    if _NL_POSTCODE_RE.match(core) or _EIRCODE_RE.match(core):
        return 1
    if t.kind == "num" and any(p.match(core) for p in _POSTAL_SHAPES):
        return 1
    if (
        t.kind == "num"
        and len(core) == 8
        and core.isdigit()
        and i + 1 < len(toks)
        and toks[i + 1].kind == "word"
        and toks[i + 1].text[:1].isupper()
        and toks[i + 1].start == t.end + 1
    ):
        return 1  # Brazil's CEP written without its hyphen, before the town: "95312537 Machado"
    if t.kind == "word" and _POSTAL_SHAPES[1].match(core):
        return 1
    if _UK_POSTCODE_RE.match(core) or _CA_POSTCODE_RE.match(core):
        return 1
    return 0


class _Scanner:
    """Finds street anchors and grows them into address spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.lower_text = not any(ch.isupper() for ch in text)
        self.has_lower = any(ch.islower() for ch in text)
        # Set by grow(): a unit, a country or a full postal code was among the parts.
        self.decisive = False
        # Set by grow(): a postal code and a place side by side ("10115 Berlin", "Toledo, 14475",
        # "TX 78701"): the line every postal address ends with.
        self.locality = False

    # -- anchors ------------------------------------------------------------------------------

    def _words_from(self, i: int, limit: int, allow_lower: bool) -> int:
        """Index after the run of name words starting at i (at most `limit`)."""
        j = i
        while j < len(self.toks) and j - i < limit:
            t = self.toks[j]
            first_type = j == i and _is_first_type(t)
            if _is_unit_word(t) or not (
                first_type or _is_name_word(t, allow_lower) or (t.core in NAME_PARTICLES and j > i)
            ):
                break
            j += 1
            if _ends_sentence(t):
                break  # "57 titres de revues. Quelle place": no street runs over a sentence end
        while j > i and self.toks[j - 1].core in NAME_PARTICLES:
            j -= 1
        return j

    def anchor_at(self, i: int) -> tuple[int, int, float] | None:
        """(first token, token after the street, score) for a street starting at token i."""
        toks = self.toks
        t = toks[i]
        if t.kind == "num" and _is_number(t) and not t.text.endswith("."):
            # "2. Juni 2018" is a date, "2015 auf dem Weg" a year: not house numbers.
            if (
                re.fullmatch(r"(?:19|20)\d\d", t.text)
                and i + 1 < len(toks)
                and toks[i + 1].text[:1].islower()
            ):
                return None
            if _in_decimal(self.text, t.start):
                return None  # the "1" of "13.1 million": a span never starts inside a number
            if i + 1 < len(toks) and toks[i + 1].core in QUANTITY_WORDS:
                return None  # an amount, a time or a measure, not a house number
            k = i + 1
            if k < len(toks) and _is_number(toks[k], 5) and toks[k].start - t.end <= 2:
                k += 1  # "23 8 wressle road": building number + street number
            if k + 1 < len(toks) and toks[k].text == "," and self._street_after_comma(k + 1):
                k += 1  # "12, rue de la République", "92, Chandran Ganj"
            j = self._words_from(k, 5, allow_lower=True)
            if j == k:
                return None
            words = toks[k:j]
            house_after = (
                j < len(toks)
                and _is_number(toks[j], 5)
                and toks[j].start - toks[j - 1].end <= 2
                and not self._decimal_at(j)
            )
            if _is_first_type(words[0]) and len(words) > 1:
                # "48 rue Descartes"
                return i, j + 1 if house_after else j, 0.8
            typed = [n for n, w in enumerate(words) if _is_type_last(w)]
            if typed:
                # "1755 Nelson Mandela Drive", "45 aðalgata 37", "98 árpád fejedelem útja 45."
                e = typed[-1]
                if e > 0 or _has_street_suffix(words[0]):
                    end = k + e + 1
                    if e == len(words) - 1 and house_after:
                        end += 1
                    return i, end, 0.8
            weak = [n for n, w in enumerate(words) if _is_weak_street_word(w)]
            if weak and weak[-1] > 0 and all(_looks_like_name(w) for w in words[: weak[-1]]):
                # "9 Fraser Forge", "846 Wilson Island": types that are common nouns too need
                # a place, a postal code or a cue ("12 Data Points" is no street).
                return i, k + weak[-1] + 1, WEAK_ANCHOR
            foreign = [w for w in words[:3] if _looks_like_name(w)]
            if (
                house_after
                and len(words) <= 3
                and len(foreign) == len(words)
                # Not a range ("1 à 4") nor a citation's abbreviations ("§ 19a UrhG Rdn. 29").
                and all(len(w.core) >= 3 and not w.text.endswith(".") for w in words)
            ):
                # "46 velký průhon 426", "87 Jakobi 69": number, name, number.
                after = toks[j + 1] if j + 1 < len(toks) else None
                if (
                    after is None
                    or after.kind in ("nl", "punct", "num")
                    or after.text[0].isupper()
                    or _is_unit_word(after)
                ) and not _contents_line(self.text, t.start):
                    return i, j + 1, 0.6
            if len(foreign) == len(words[:3]) and len(words) <= 4:
                # "63 30 N. Stadion\nULLINISH\n, nan\n 40839": needs a postal code or country after it.
                return i, j, 0.0
            return None
        if t.kind == "word" and _is_name_word(t, allow_lower=True):
            # "Nassaustraat 123", "árpád fejedelem útja 45", "Πλατεία Μαβίλη 170"
            j = self._words_from(i, 4, allow_lower=True)
            if (
                j < len(toks)
                and j > i
                and _is_number(toks[j], 5)
                and toks[j].start - toks[j - 1].end <= 2
                and not self._decimal_at(j)
            ):
                words = toks[i:j]
                if self._compound_after_prose(words):
                    return None  # "Im Treppenhaus der Schlossstraße 50": the street starts later
                is_typed = _is_type_last(words[-1]) or (_is_first_type(words[0]) and len(words) > 1)
                named = any(_looks_like_name(w) for w in words) or self.lower_text
                if is_typed and named and not self._citation_like(i, words):
                    return i, j + 1, 0.8
                if (
                    named
                    and len(words) <= 3
                    and all(_looks_like_name(w) or w.core in NAME_PARTICLES for w in words)
                    # Abbreviations in capitals among lower-case text name a court file, a
                    # reporter or a standard ("I ZR 63/45", "GRUR 2018", "USB 3"), not a street.
                    and not (
                        self.has_lower and all(w.text.isupper() and len(w.text) <= 5 for w in words)
                    )
                ):
                    # "Lánovská 491", "Lilypad 62": a street named without its type; only with
                    # a postal code and a place after it ("Chapter 13" is no street).
                    return i, j + 1, NAMED_ANCHOR
            if (
                j + 1 < len(toks)
                and j > i + 1
                and _is_first_type(toks[i])
                and toks[j].text == ","
                and (_is_number(toks[j + 1], 5) or toks[j + 1].text.lower() == "s/n")
            ):
                return i, j + 2, 0.8  # "Via Castelli, 1", "Praça de Godim, S/N"
        if _is_unit_word(t) and t.core not in ("#", "box", "po", "p.o"):
            return self._unit_then_street(i)
        return None

    def _compound_after_prose(self, words: list[Tok]) -> bool:
        """A street written as one compound word ("Schlossstraße") after a lower-case word of
        the sentence: the compound is the whole street name, the words before are prose."""
        last = words[-1]
        return (
            not self.lower_text
            and _has_street_suffix(last)
            and not _is_street_word(last)
            and any(w.text.islower() for w in words[:-1])
        )

    def _decimal_at(self, j: int) -> bool:
        """The number at token j is the integer part of a decimal ("3" of "USB 3.0", "15" of
        "15,6 Zoll")."""
        tok = self.toks[j]
        end = tok.end - 1 if tok.text.endswith(".") else tok.end
        return _DECIMAL_TAIL.match(self.text, end) is not None

    def _citation_like(self, i: int, words: list[Tok]) -> bool:
        """A one-letter street type ("R.", "C.") among abbreviations: a citation's initials
        ("... R. ... P. 12": rules, reporters, sections), not a street. Such a type follows
        another abbreviation, or an initial follows it before the number."""
        toks = self.toks
        if not (len(words[0].text) == 2 and words[0].text.endswith(".")):
            return False
        prev = toks[i - 1] if i > 0 else None
        if (
            prev is not None
            and prev.kind == "word"
            and prev.text.endswith(".")
            and (prev.text[:1].isupper())
        ):
            return True
        return any(len(w.text) == 2 and w.text.endswith(".") for w in words[1:])

    def _street_after_comma(self, k: int) -> bool:
        """After "12, ": a street type first, or name words ending with a street type."""
        toks = self.toks
        if k >= len(toks):
            return False
        if _is_first_type(toks[k]):
            return True
        j = self._words_from(k, 4, allow_lower=True)
        return any(_is_type_last(t) for t in toks[k + 1 : j])

    def _unit_then_street(self, i: int) -> tuple[int, int, float] | None:
        """'Flat 66m\nGordon Forges', 'Apt. 406 1 Barnes Artery': a unit line, then a street."""
        toks = self.toks
        k = i + 1
        while k < len(toks) and toks[k].text in (".", "#"):
            k += 1
        if k >= len(toks) or toks[k].kind != "num":
            return None
        k, _, newlines = self._skip_separator(k + 1)
        if newlines > 1 or k >= len(toks):
            return None
        got = self.anchor_at(k) if toks[k].kind == "num" else None
        if got and got[2] > 0:
            return i, got[1], max(got[2], 0.6)
        j = self._words_from(k, 4, allow_lower=self.lower_text)
        if j > k + 1 and (_is_type_last(toks[j - 1]) or _is_weak_street_word(toks[j - 1])):
            return i, j, 0.7
        return None

    # -- growth -------------------------------------------------------------------------------

    def _skip_separator(self, j: int) -> tuple[int, bool, int]:
        """Skip commas, newlines and line bullets; returns (index, saw comma, newlines)."""
        toks = self.toks
        comma, newlines = False, 0
        while j < len(toks):
            t = toks[j]
            if t.kind == "nl":
                newlines += 1
                j += 1
                # A bullet at the start of a line ("??? Apt. 018", "- Suite 4").
                k = j
                while k < len(toks) and toks[k].kind == "punct" and toks[k].text not in ",(":
                    k += 1
                if k > j and _BULLET_RE.match(self.text[toks[j].start : toks[k - 1].end]):
                    j = k
            elif t.kind == "punct" and t.text == ",":
                comma = True
                j += 1
            elif t.kind == "punct" and t.text in "-–" and self.text[t.start - 1 : t.start] == " ":
                comma = True  # "São Paulo - SP"
                j += 1
            else:
                break
        return j, comma, newlines

    def _part_at(self, j: int, loose: bool, after_postal: bool = False) -> tuple[int, bool] | None:
        """A part of an address at token j: (index after it, is strong evidence)."""
        toks = self.toks
        if j >= len(toks):
            return None
        t = toks[j]
        if _is_unit_word(t):
            k = j + 1
            while k < len(toks) and toks[k].text in (".", "#", "-"):
                k += 1
            if k < len(toks) and (
                toks[k].kind == "num" or (toks[k].kind == "word" and len(toks[k].text) <= 3)
            ):
                self.decisive = True
                return k + 1, True
            return None
        n = _is_postal(toks, j)
        if n:
            self.decisive = self.decisive or n == 2 or len(t.text.rstrip(".")) >= 4
            # A postal code is followed by its town on the same line: "7866 Muri receives ...".
            k = j + n
            if k < len(toks) and toks[k].start - toks[k - 1].end <= 2 and toks[k].kind == "word":
                m = self._place_words(k, self.lower_text)
                if m > k:
                    self.locality = True
                    return self._province_after(m), True
            return k, True
        pin = _PLACE_PIN_RE.match(t.text) if t.kind == "word" else None
        if pin:
            self.decisive = self.locality = True  # "Ahmednagar-861126"
            return j + 1, True
        if t.kind == "word" and ((t.text.isupper() and 2 <= len(t.text) <= 3) or t.text == "nan"):
            n = _is_postal(toks, j + 1)
            if n:
                self.decisive = self.locality = True  # "TX 78701", "nan 80815"
                return j + 1 + n, True
            if self._boundary_after(j + 1):
                return j + 1, False
        allow_lower = loose or self.lower_text
        k = self._place_words(j, allow_lower)
        if k == j:
            return None
        place = self.text[toks[j].start : toks[k - 1].end].rstrip(".").lower()
        strong = place in _COUNTRIES_LOWER
        self.decisive = self.decisive or strong
        # "Kaplice 1", "Ústí nad Labem 2", "Bolivia 28327", "ΑΓΛΑΝΤΖΙΑ (ΑΓΛΑΓΓΙΑ)"
        n = _is_postal(toks, k)
        if n:
            self.locality = self.locality or len(toks[k].text) >= 4 or n == 2
            return k + n, True
        if k + 1 < len(toks) and toks[k].text == "," and toks[k + 1].start - toks[k].end <= 1:
            n = _is_postal(toks, k + 1)
            if n and len(toks[k + 1].text) >= 4 and self._boundary_after(k + 1 + n):
                self.decisive = self.locality = True  # "Toledo, 14475"
                return k + 1 + n, True
        if k < len(toks) and _is_number(toks[k], 3) and self._boundary_after(k + 1):
            return k + 1, strong
        if strong:
            return k, True
        province = self._province_after(k)
        if province > k:
            return province, strong  # "Bardonecchia (TO)", "Leão / AP"
        if k + 2 < len(toks) and toks[k].text == "(":
            m = self._place_words(k + 1, True)
            if m > k + 1 and m < len(toks) and toks[m].text == ")":
                return m + 1, strong
        if self._boundary_after(k) or after_postal:
            self.locality = self.locality or after_postal  # "8483KC, Nijkerk receives ..."
            return k, strong
        return None

    def _province_after(self, k: int) -> int:
        """A province or state after a town: "Bardonecchia (TO)", "Leão / AP", "Recife - PE"."""
        m = _PROVINCE_RE.match(self.text, self.toks[k - 1].end) if k > 0 else None
        if m is None:
            return k
        while k < len(self.toks) and self.toks[k].start < m.end():
            k += 1
        return k

    def _place_words(self, j: int, allow_lower: bool) -> int:
        toks = self.toks
        k = j
        while k < len(toks) and k - j < 5:
            t = toks[k]
            if k > j and _is_postal(toks, k):
                break
            if (
                t.kind == "word"
                and t.core in _PLACE_PREFIXES
                and (t.core in _SAINTS or k == j)
                and k + 1 < len(toks)
                and _is_name_word(toks[k + 1], allow_lower)
            ):
                k += 1  # "Saint Anoukboeuf", "São Paulo", "North Tony", "New Aliciaborough"
                continue
            # A place that starts with a capital goes on in capitals ("Nijkerk receives"); in
            # lower case, an ordinary word is none ("kokkola" is, "instead" is not).
            lower_ok = allow_lower and (k == j or not toks[j].text[:1].isupper())
            if (
                t.kind == "word"
                and t.text.islower()
                and lower_ok
                and t.core not in _COUNTRY_WORDS
                and _ordinary(t.core)
            ):
                break
            if _is_name_word(t, lower_ok) and not _is_unit_word(t):
                if t.text.isupper() and len(t.text) > 3 and _plain_caps(t.text):
                    break  # "... 4813-422 QUARTEIRA RECEIVES DELIVERIES": words, not the town
                k += 1
                if _ends_sentence(t):
                    break  # a place name does not run on into the next sentence
            elif k > j and t.kind == "word" and t.text.isupper() and 2 <= len(t.text) <= 3:
                k += 1  # a province or state code: "Torino TO"
            elif (
                t.core
                in NAME_PARTICLES | {"and", "nad", "pod", "am", "an", "im", "sur", "upon", "on"}
                and k > j
            ):
                # "São Tomé and Príncipe", "Ústí nad Labem", "Mautern an der Donau"
                m = k + 1
                while m < len(toks) and toks[m].core in NAME_PARTICLES and m - k < 3:
                    m += 1
                if m < len(toks) and _is_name_word(toks[m], False):
                    k = m + 1
                else:
                    break
            else:
                break
        return k

    def _boundary_after(self, k: int) -> bool:
        toks = self.toks
        if k >= len(toks) or (k > 0 and _ends_sentence(toks[k - 1])):
            return True
        t = toks[k]
        if t.kind == "nl" or (t.kind == "punct" and t.text in ",.;?!)"):
            return True
        # " - " between parts: "São Paulo - SP"
        return t.kind == "punct" and t.text in "-–" and self.text[t.start - 1 : t.start] == " "

    def grow(self, end: int, anchor_score: float) -> tuple[int, float]:
        """Extend from token `end` over address parts; returns (token after, score)."""
        toks = self.toks
        parts = strong = numbers = 0
        self.decisive = self.locality = False
        j = end
        if (
            j < len(toks)
            and toks[j].kind == "word"
            and toks[j].core in _DIRECTIONS
            and self._boundary_after(j + 1)
        ):
            j += 1  # "88 Queen Street West"
        while parts < 8:
            k, comma, newlines = self._skip_separator(j)
            if newlines > 2 or k >= len(toks):
                break
            if not comma and not newlines:
                prev = toks[k - 1]
                if (
                    _ends_sentence(prev) or (prev.kind == "num" and prev.text.endswith("."))
                ) and not (_is_unit_word(toks[k])):
                    # "10115 Berlin. Telefon: ...", "Schloßstraße 50. Im Süden ...": the address
                    # ended with the sentence ("97. Suite 446" goes on to its unit).
                    break
                # Same line, no comma: a period only before a unit ("97. Suite 446").
                if toks[k].text == "." and k + 1 < len(toks) and _is_unit_word(toks[k + 1]):
                    k += 1
                elif toks[k].kind == "word" and toks[k].core == "and":
                    nxt = self._street_continuation(k + 1)
                    if nxt is None:
                        break
                    j, parts, strong = nxt, parts + 1, strong + 1
                    continue
                elif toks[k].kind == "word" and not (
                    toks[k].text[0].isupper()
                    or not toks[k].text[0].isascii()
                    or _is_unit_word(toks[k])
                    or self.lower_text
                ):
                    break
            saved = self.decisive
            # The anchor's own house number is no postal code: "Tariferhöhungen 2013 – auch
            # bekannt" has no town after a code.
            after_postal = comma and not newlines and j > end and _is_postal(toks, j - 1) > 0
            part = self._part_at(k, loose=bool(comma or newlines), after_postal=after_postal)
            if part is None and parts == 0 and comma and _is_number(toks[k], 4):
                part = (k + 1, False)  # "Calle de Alcalá, 12"
            if part is None or (newlines == 2 and not part[1]):
                # Over a blank line (address lines as paragraphs of their own) only a plain
                # continuation counts: a postal code, a country, a unit. A word alone after
                # a blank line ("Thanks", a heading) starts the next paragraph.
                self.decisive = saved
                break
            if toks[k].kind == "num" and part[0] == k + 1:
                if numbers:
                    self.decisive = saved
                    break  # "869 1664 8732": a list of numbers, not a postal code
                numbers += 1
            j, is_strong = part
            parts += 1
            strong += is_strong
        if parts == 0:
            return end, anchor_score
        score = max(anchor_score, 0.7 if strong else 0.6) + 0.1 * min(strong, 2)
        return j, min(score, 0.95)

    def unit_before(self, first: int) -> int:
        """'Flat 4, 22 Acacia Avenue': a second line written before the street."""
        toks = self.toks
        k = first - 1
        if k >= 0 and toks[k].kind == "word" and toks[k].core in ("h.no", "house no", "no"):
            return k  # "H.No. 64, Kala Street": the house number's own label
        if k >= 0 and toks[k].text == ",":
            k -= 1
        if (
            k >= 1
            and toks[k].kind in ("num", "word")
            and len(toks[k].text) <= 5
            and any(c.isdigit() for c in toks[k].text)
        ):
            u = k - 1
            if u >= 0 and toks[u].text in (".", "#"):
                u -= 1
            if u >= 0 and _is_unit_word(toks[u]):
                return u
        return first

    def _street_continuation(self, j: int) -> int | None:
        """'... and Whittaker Street': a second street named right after the first."""
        got = self.anchor_at(j) if j < len(self.toks) else None
        if got and got[2] > 0:
            return got[1]
        k = self._words_from(j, 4, allow_lower=False)
        if k > j and _is_street_word(self.toks[k - 1]):
            return k
        return None


def _cue_before(text: str, start: int) -> bool:
    return _CUES_RE.search(text[max(0, start - 40) : start].rstrip()) is not None


# Month names in the languages whose dates write the day first ("14 März 2019").
_MONTHS = words(
    """
    january february march april may june july august september october november december
    januar februar märz april mai juni juli august september oktober november dezember jänner
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
    januari februari maart april mei juni juli augustus september oktober november december
    jan feb mar apr jun jul aug sep sept oct okt nov dec dez
    """
)
_DATE_RE = re.compile(r"(?:[1-9]|[12]\d|3[01])\.?[ \t]+([^\W\d_]+)\.?[ \t]+(?:1[5-9]|20)\d\d(?!\d)")


def _date_end(text: str, at: int) -> int:
    """Where a date at `at` ends (day, month name, year: "14 März 2019" is a date, not a
    house number and a street), or -1."""
    m = _DATE_RE.match(text, at)
    return m.end() if m is not None and m.group(1).lower() in _MONTHS else -1


# A table of contents' line: a section number, a title, a page number (dot leaders allowed).
_CONTENTS_LINE = re.compile(
    r"[ \t]*\d{1,3}(?:\.\d{1,3})*\.?[ \t]+[^\n]*?[^\W\d_][ \t.]+\d{1,4}[ \t]*"
)


def _contents_line(text: str, at: int) -> bool:
    """The line at `at` and a line next to it are lines of a table of contents ("2 Methods 14"
    above "3 Results 21"): number, words, number is then a section and its page, not a street."""
    a = text.rfind("\n", 0, at) + 1
    b = text.find("\n", at)
    b = len(text) if b < 0 else b
    if not _CONTENTS_LINE.fullmatch(text, a, b):
        return False
    # The nearest non-blank line before and after (a PDF's contents may have blank lines).
    before = text[:a].rstrip().rsplit("\n", 1)[-1]
    after = text[b:].lstrip().split("\n", 1)[0]
    return any(_CONTENTS_LINE.fullmatch(line) for line in (before, after) if line)


def find_addresses(text: str) -> list[Finding]:
    scan = _Scanner(text)
    toks = scan.toks
    out: list[Finding] = []
    i = 0
    while i < len(toks):
        date_end = _date_end(text, toks[i].start) if toks[i].kind == "num" else -1
        if date_end >= 0:
            while i < len(toks) and toks[i].start < date_end:
                i += 1  # no part of an address starts inside a date
            continue
        got = scan.anchor_at(i)
        if got is None:
            i += 1
            continue
        first, end, score = got
        last, score2 = scan.grow(end, score)
        if score == 0.0 and (score2 < 0.7 or last == end or not scan.decisive):
            i += 1  # a bare "number + words" needs a postal code or a country after it
            continue
        if score == NAMED_ANCHOR and not scan.locality:
            i += 1  # a street named without its type needs its town and postal code
            continue
        if score == WEAK_ANCHOR and not (
            scan.decisive or scan.locality or _cue_before(text, toks[first].start)
        ):
            i += 1
            continue
        first = scan.unit_before(first)
        start = toks[first].start
        stop = toks[last - 1].end
        # Keep a final period only when it belongs to a number at a line end ("útja 45.").
        if text[stop - 1] == "." and not (
            toks[last - 1].kind == "num" and text[stop : stop + 1] == "\n"
        ):
            stop -= 1
        before = text[max(0, start - 40) : start]
        corner = _CORNER_RE.search(before)
        if corner:
            start -= len(corner.group(0))
        if _CUES_RE.search(before.rstrip()) or corner:
            score2 = min(0.95, score2 + 0.1)
        out.append(Finding(start, stop, "ADDRESS", round(score2, 2), "address"))
        out.extend(
            _name_lines(text, toks[first].start, last - first > 1 or "\n" in text[start:stop])
        )
        i = last
    for m in _PO_BOX_RE.finditer(text):
        tail = _CITY_STATE_ZIP_RE.match(text, m.end())
        out.append(Finding(m.start(), tail.end() if tail else m.end(), "ADDRESS", 0.8, "address"))
    for m in _MILITARY_RE.finditer(text):
        military = m.group(0)
        if military[:2].upper() == "US" and not re.search(r"(?i:APO|FPO|DPO)", military):
            continue  # a ship's name alone is no address
        out.append(Finding(m.start(), m.end(), "ADDRESS", 0.8, "address"))
    for m in _POSTAL_CUE_RE.finditer(text):
        code = m.group("code")
        if sum(ch.isdigit() for ch in code) >= 2 and (
            code.isupper()
            or code.isdigit()
            or not any(c.isalpha() for c in code.split()[-1])
            or _UK_POSTCODE_RE.match(code.upper())
        ):
            out.append(Finding(m.start("code"), m.end("code"), "POSTAL_CODE", 0.8, "postal-code"))
    return out


_NAME_LINE_RE = re.compile(r"^[^\w\n]*(?P<name>[^\W\d_][^\n\d:@]{1,60}?)[\s.,]*$")


def _name_lines(text: str, street_start: int, block: bool) -> list[Finding]:
    """The one or two short lines right above an address block: who and which company."""
    line_start = text.rfind("\n", 0, street_start) + 1
    if text[line_start:street_start].strip(" \t?*-•·") or not block:
        return []
    out: list[Finding] = []
    pos = line_start - 1
    lines: list[tuple[int, int]] = []
    while pos > 0 and len(lines) < 2:
        prev_start = text.rfind("\n", 0, pos) + 1
        segment = text[prev_start:pos]
        if segment.strip():
            lines.append((prev_start, pos))
        elif lines:
            break
        pos = prev_start - 1
        if not segment.strip() and pos <= 0:
            break
    for n, (a, b) in enumerate(lines):
        segment = text[a:b]
        colon = segment.rfind(":")
        offset = a + colon + 1 if colon >= 0 else a
        m = _NAME_LINE_RE.match(text[offset:b])
        if not m:
            break
        words = m.group("name").split()
        if not 1 <= len(words) <= 5 or any(w.lower() in STOP_WORDS for w in words):
            break
        s = offset + m.start("name")
        e = offset + m.end("name")
        is_org = any(w.lower().rstrip(".,") in ORG_SUFFIXES for w in words)
        if is_org:
            out.append(Finding(s, e, "ORGANIZATION", 0.7, "address-block"))
        elif n == len(lines) - 1 or len(lines) == 1:
            out.append(Finding(s, e, "PERSON", CUE_SCORE, "address-block"))
        else:
            out.append(Finding(s, e, "ORGANIZATION", 0.5, "address-block"))
    return out
