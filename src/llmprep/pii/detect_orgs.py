"""Companies: by legal form in many countries' shapes, by name shape, by cue and by signature.

A legal form is the strongest evidence a text gives of a company: "Geisler Sp. z o.o.",
"Dehmel GmbH & Co. KGaA", "Lassen & Søn ApS", "Paiva Araújo Lda.", "Šimek s.r.o.". The form is
matched first (longest first, many are several tokens with dots), then the name is read
backwards from it: capitalized words, hyphenated names, and the connectors firms put between
partners' names ("&", "and", "und", "e", "y", "i", "og"), on the same line, at most five words.
A generic noun after capitalized words ("Freeman Group", "Summit Software") is weaker evidence:
headings are full of them ("Data Services"), so those findings count as weak (pii.resolve).
"""

from __future__ import annotations

import re

from .findings import Finding
from .lexicon import COMMON_CAPITALIZED, ORG_SUFFIXES, STOP_WORDS, is_common_word

# Legal forms, as written (case matters for the short ones: "AG" is a form, "ag" is not).
# Several tokens each where the form has them; matched longest first.
LEGAL_FORMS = (
    # German-speaking countries
    "GmbH & Co. KGaA",
    "GmbH & Co. KG",
    "AG & Co. KGaA",
    "AG & Co. KG",
    "& Co. KGaA",
    "& Co. KG",
    "GmbH",
    "gGmbH",
    "mbH",
    "AG",
    "KGaA",
    "KG",
    "OHG",
    "GbR",
    "GesbR",
    "GesmbH",
    "e.V.",
    "e.G.",
    "eG",
    "UG (haftungsbeschränkt)",
    "UG",
    # English-speaking countries
    "Inc.",
    "Inc",
    "Incorporated",
    "LLC",
    "L.L.C.",
    "Ltd.",
    "Ltd",
    "Limited",
    "PLC",
    "plc",
    "LLP",
    "L.P.",
    "Corp.",
    "Corp",
    "Corporation",
    "Pty Ltd",
    "Pty. Ltd.",
    "Pvt Ltd",
    "Pvt. Ltd.",
    "Private Limited",
    "Co., Ltd.",
    "Co. Ltd.",
    # French, Belgian, Swiss, Luxembourgish
    "S.A.R.L.",
    "SARL",
    "S.A.S.U.",
    "SASU",
    "S.A.S.",
    "SAS",
    "EURL",
    "SNC",
    "SCOP",
    "SCI",
    "SCS",
    "Sàrl",
    "S.à r.l.",
    "SPRL",
    "SRL",
    # Spanish, Portuguese, Latin American
    "S.L.N.E.",
    "S.L.N.E",
    "S.L.U.",
    "S.L.L.",
    "S.L.",
    "S.A.U.",
    "S.A.T.",
    "S.A.",
    "S.Coop.",
    "S.COOP.",
    "S. Coop.",
    "S.C.",
    "S. de R.L.",
    "S.A. de C.V.",
    "Ltda.",
    "Ltda",
    "Lda.",
    "Lda",
    "S/A",
    "S.A",
    "EIRELI",
    "- ME",
    "- EPP",
    # Italian
    "S.p.A.",
    "S.P.A.",
    "SpA",
    "SPA",
    "S.r.l.",
    "s.r.l.",
    "S.R.L.",
    "Srl",
    "S.r.l.s.",
    "s.n.c.",
    "S.n.c.",
    "S.a.s.",
    "s.a.s.",
    "s.s.",
    # Dutch, Belgian
    "B.V.",
    "BV",
    "N.V.",
    "NV",
    "V.O.F.",
    "VOF",
    "C.V.",
    "CV",
    "BVBA",
    # Nordic
    "AB",
    "HB",
    "KB",
    "A/S",
    "ApS",
    "I/S",
    "K/S",
    "IVS",
    "ASA",
    "AS",
    "Oyj",
    "Oy",
    "As Oy",
    "Ky",
    "Osk",
    "Tmi",
    "Ay",
    "ry",
    # Polish, Czech, Slovak, Hungarian, Balkan
    "Sp. z o.o. Sp.k.",
    "Sp. z o.o.",
    "sp. z o.o.",
    "Sp.k.",
    "Sp.j.",
    "S.K.A.",
    "s.c.",
    "spol. s r.o.",
    "s.r.o.",
    "a.s.",
    "k.s.",
    "v.o.s.",
    "o.s.",
    "z.s.",
    "Kft.",
    "Zrt.",
    "Nyrt.",
    "Bt.",
    "d.o.o.",
    "d.d.",
)
# Partners' and family endings of a firm's name ("Mota e Filhos", "Lassen & Søn", "Bühlmann
# Moser & Partner", "Zięcik-Hirsch i syn"); after them a legal form may still follow.
FIRM_ENDINGS = (
    "& Söhne",
    "& Sohn",
    "& Sons",
    "and Sons",
    "& Son",
    "& Søn",
    "& Sønner",
    "& Zonen",
    "& Zn.",
    "& Partner",
    "& Partners",
    "& Associates",
    "and Associates",
    "& Cie.",
    "& Cie",
    "& Co.",
    "& Co",
    "& Cia.",
    "& Cia",
    "e figli",
    "e Figli",
    "e Filhos",
    "e filhos",
    "y Asociados",
    "y asociados",
    "e Associados",
    "i syn",
    "i Syn",
    "i Wspólnicy",
    "i wspólnicy",
    "et Fils",
    "et fils",
)
# Words that open a firm's name in some countries ("PPUH Florian", "Hnos Larrea").
FIRM_PREFIXES = (
    "PPUH",
    "P.P.U.H.",
    "FPUH",
    "PHU",
    "P.H.U.",
    "PPH",
    "FHU",
    "F.H.U.",
    "Hnos.",
    "Hnos",
)
# Connectors between partners' names in a firm's name.
_CONNECTORS = {"&", "and", "und", "e", "y", "i", "og", "och", "et", "en", "of", "+"}
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "dos", "das"}

_FORM_RE = re.compile(
    r"(?:,?[ \t]+)(?P<form>"
    + "|".join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True))
    + r")(?![\w/&])"
)
_ENDING_RE = re.compile(
    r"[ \t]+(?P<form>"
    + "|".join(re.escape(f) for f in sorted(FIRM_ENDINGS, key=len, reverse=True))
    + r")(?![\w/])"
)
_PREFIX_RE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.escape(p) for p in FIRM_PREFIXES)
    + r")[ \t]+(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’\-]*)?)"
)
_NAME_TOKEN_RE = re.compile(r"[^\W\d_][\w'’.\-]*|&|\+|,")
_CAP = r"[A-ZÀ-ÖØ-Þ\u0391-\u03a9\u0410-\u042f]"


def _is_name_word(word: str) -> bool:
    w = word.rstrip(".")
    if not w or not (w[0].isupper() or (not w[0].isascii() and w[0].isalpha())):
        return False
    return not (w.lower() in STOP_WORDS or w in COMMON_CAPITALIZED)


def _name_before(text: str, end: int, max_words: int = 5) -> int | None:
    """Start of the firm's name that ends at `end` (same line), or None."""
    line_start = text.rfind("\n", 0, end) + 1
    tokens = list(_NAME_TOKEN_RE.finditer(text, line_start, end))
    # Only tokens right before the form, separated by spaces (a comma allowed in lists).
    start: int | None = None
    words = 0
    pending: list[re.Match[str]] = []  # connectors waiting for a name word before them
    for m in reversed(tokens):
        gap_end = start if start is not None else end
        if pending:
            gap_end = pending[-1].start()
        gap = text[m.end() : gap_end]
        if gap.strip(" \t") not in ("", ","):
            break
        tok = m.group(0)
        if tok == ",":
            if start is None:
                continue  # "Lemaire, SA" / "Firm, Inc.": the comma before the form
            pending.append(m)
            continue
        if tok in _CONNECTORS or tok.lower() in _PARTICLES:
            if start is None:
                break
            pending.append(m)
            continue
        if not _is_name_word(tok) or (tok.endswith(".") and len(tok) > 2 and start is not None):
            break  # a word ending a sentence ("Dresden. Dank") is not part of the next name
        # A comma between names only in a list of partners that a connector ends.
        if any(p.group(0) == "," for p in pending) and not _has_connector(text, m.end(), end):
            break
        start = m.start()
        pending = []
        words += 1
        if words >= max_words:
            break
    return start


_SHORT_FORM = re.compile(r"[A-Z]{2,4}")


def _plain_name(name: str) -> bool:
    """Words no firm is named with: verbs, adjectives, plurals, common words, or capitals only
    (a line in capitals: "SUCH AS", "GO AG")."""
    from .ordinary import has_word_lists, is_plain_word

    words = [w for w in name.replace(",", " ").split() if w not in _CONNECTORS]
    if not words or all(w.isupper() for w in words):
        return True
    if all(is_common_word(w) for w in words):
        return True
    return has_word_lists() and all(is_plain_word(w) for w in words)


def _has_connector(text: str, start: int, end: int) -> bool:
    return any(w in _CONNECTORS for w in text[start:end].replace(",", " ").split())


def find_organisations(text: str, english: bool = True) -> list[Finding]:
    """Companies by legal form and firm ending (any language); by name shape, generic company
    nouns and English cues when `english`."""
    out: list[Finding] = []
    covered: list[tuple[int, int]] = []
    for regex, score in ((_FORM_RE, 0.85), (_ENDING_RE, 0.75)):
        for m in regex.finditer(text):
            start = _name_before(text, m.start())
            if start is None:
                continue
            form = m.group("form")
            if _SHORT_FORM.fullmatch(form) and _plain_name(text[start : m.start()]):
                continue  # "Updated CV", "WORK AS": words before a two-letter form
            end = m.end("form")
            # A legal form may follow a firm ending: "Lassen & Søn ApS".
            nxt = _FORM_RE.match(text, end)
            if nxt:
                end = nxt.end("form")
            out.append(Finding(start, end, "ORGANIZATION", score, "org-legal"))
            covered.append((start, end))
    for m in _PREFIX_RE.finditer(text):
        out.append(Finding(m.start(), m.end("name"), "ORGANIZATION", 0.75, "org-legal"))
    if not english:
        return out  # German capitalizes nouns: "Car-Sharing" is not a company
    out += _company_nouns(text, covered)
    out += _shapes(text)
    out += _cued(text)
    return out


_NOUN_RE = re.compile(r"(?<=[ \t])" + _CAP + r"[\w.]*(?![\w\-])")
_LEGAL_WORDS = {f.lower() for f in LEGAL_FORMS if " " not in f}


def _company_nouns(text: str, covered: list[tuple[int, int]]) -> list[Finding]:
    """'Freeman Group', 'Summit Software': capitalized words and a generic company noun."""
    out: list[Finding] = []
    for m in _NOUN_RE.finditer(text):
        noun = m.group(0).rstrip(".").lower()
        if noun not in ORG_SUFFIXES or noun in _LEGAL_WORDS:
            continue
        if any(a <= m.start() < b for a, b in covered):
            continue
        start = _name_before(text, m.start(), max_words=3)
        if start is None or all(is_common_word(w) for w in text[start : m.start()].split()):
            continue
        end = m.end() if noun in ("co.", "corp.") else m.start() + len(m.group(0).rstrip("."))
        out.append(Finding(start, end, "ORGANIZATION", 0.6, "org-noun"))
    return out


_HYPHEN_ORG_RE = re.compile(r"(?<![\w\-])(?P<org>[A-Z][a-z]{2,}(?:-[A-Z][a-z]{2,})+)(?![\w\-])")
_WORD = _CAP + r"[\w'’]*"
_PARTNERS_RE = re.compile(
    r"(?<![\w,])(?P<org>"
    + _WORD
    + r"(?:,[ \t]+"
    + _WORD
    + r")*,?[ \t]+(?:and|&)[ \t]+"
    + _WORD
    + r")(?![\w\-])"
)


_AMPERSAND_RE = re.compile(
    r"(?<![\w&])(?P<org>"
    + _WORD
    + r"[ \t]*&[ \t]*(?:(?:van|von|de|der|den)[ \t]+)?"
    + _WORD
    + r")(?![\w&\-])"
)


def _shapes(text: str) -> list[Finding]:
    """'Wilson-Hodges', 'Dekker & Reimes' and 'Griffin, Griffith and Perez': how partnerships
    are named."""
    from .document import plainly_not_a_name

    out: list[Finding] = []
    for m in _AMPERSAND_RE.finditer(text):
        value = m.group("org")
        words = [w for w in value.replace("&", " ").split() if w.lower() not in _PARTICLES]
        if any(is_common_word(w) for w in words) or plainly_not_a_name(
            " ".join(words), "ORGANIZATION"
        ):
            continue  # "Terms & Conditions", "Sales & Marketing", "Q&A"
        out.append(Finding(m.start("org"), m.end("org"), "ORGANIZATION", 0.5, "org-shape"))
    for m in _HYPHEN_ORG_RE.finditer(text):
        out.append(Finding(m.start("org"), m.end("org"), "ORGANIZATION", 0.5, "org-shape"))
    for m in _PARTNERS_RE.finditer(text):
        parts = re.findall(_WORD, m.group("org"))
        if len(parts) < 3 or any(is_common_word(p) for p in parts):
            continue
        out.append(Finding(m.start("org"), m.end("org"), "ORGANIZATION", 0.5, "org-partners"))
    return out


_ORG_CUE_RE = re.compile(
    r"\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|employee[ \t]+of|"
    r"(?:ceo|cto|cfo|coo|founder|co-founder|president|chairman|director|head)[ \t]+(?:of|at)|"
    r"(?:intern(?:ed|ship)?|job|position)[ \t]+at|joined|the[ \t]+team[ \t]+(?:from|at)|"
    r"on[ \t]+behalf[ \t]+of|hired[ \t]+by)[ \t]+",
    re.IGNORECASE,
)
_CAP_RUN_WORD_RE = re.compile(r"[^\W\d_][\w'’\-&.]*")
_GAP_RE = re.compile(r"[ \t]+")


def _cued(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _ORG_CUE_RE.finditer(text):
        run = _cap_run(text, m.end(), max_tokens=4)
        if run is None:
            continue
        if all(is_common_word(w) for w in text[run[0] : run[1]].split()):
            continue  # "Head of Sales", "Director of Operations": a department, not a company
        out.append(Finding(run[0], run[1], "ORGANIZATION", 0.65, "org-cue"))
    return out


def _cap_run(text: str, pos: int, *, max_tokens: int) -> tuple[int, int] | None:
    """Capitalized words from pos (connectors allowed between two of them)."""
    i, end, count = pos, pos, 0
    while count < max_tokens:
        m = _CAP_RUN_WORD_RE.match(text, i)
        if not m:
            break
        word = m.group(0).rstrip(".")
        if (word in _CONNECTORS or word in _PARTICLES) and count:
            if not re.match(r"[ \t]+" + _CAP, text[m.end() :]):
                break
        elif not word[0].isupper() or word.lower() in STOP_WORDS or word in COMMON_CAPITALIZED:
            break
        else:
            end = i + len(word)
            count += 1
        if m.group(0).endswith(".") and len(word) > 1:
            break  # "Dresden. Dank": a sentence ended
        gap = _GAP_RE.match(text, m.end())
        if not gap:
            break
        i = gap.end()
    return (pos, end) if end > pos else None
