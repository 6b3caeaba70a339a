"""Values that a table's header row names: the cells under "Name", "City" or "Company".

A CSV export, a spreadsheet pasted as text or a Markdown table of customers says in its first row
what every column holds; a small NER model reads its cells (no sentence, no cue) poorly. Here a
header row of short labels that describes people (a person column beside another personal
column, or a contact column) makes every cell below a person, place, organisation or address
column a finding of that type, down to the first line that is not a row of the same table.

A table only of things ("Name | Version | License", "Country | GDP") names no one: a column is
taken only when the header holds a person column and some other personal column, or a contact
column (email, phone, address).
"""

from __future__ import annotations

import re

from .findings import CUE_SCORE, Finding

# Header label -> entity type of the cells under it. Labels are compared lower-cased, with
# spaces, dashes and underscores dropped ("First name", "first_name", "Full-Name").
_COLUMN_TYPES: dict[str, str] = {
    **dict.fromkeys(
        (
            "name",
            "fullname",
            "firstname",
            "lastname",
            "givenname",
            "surname",
            "familyname",
            "customer",
            "customername",
            "client",
            "clientname",
            "contact",
            "contactname",
            "contactperson",
            "employee",
            "employeename",
            "person",
            "patient",
            "patientname",
            "recipient",
            "holder",
            "accountholder",
            "owner",
            "applicant",
            "member",
            "attendee",
            "participant",
            "speaker",
            "nom",
            "prénom",
            "vorname",
            "nachname",
            "nombre",
            "apellido",
            "nome",
            "cognome",
        ),
        "PERSON",
    ),
    **dict.fromkeys(
        (
            "city",
            "town",
            "village",
            "municipality",
            "country",
            "homecity",
            "hometown",
            "birthplace",
            "placeofbirth",
            "location",
            "ville",
            "pays",
            "stadt",
            "ort",
            "land",
            "ciudad",
            "país",
            "cidade",
            "città",
        ),
        "LOCATION",
    ),
    **dict.fromkeys(
        (
            "company",
            "companyname",
            "employer",
            "organisation",
            "organization",
            "firm",
            "business",
            "entreprise",
            "société",
            "firma",
            "unternehmen",
            "empresa",
            "azienda",
        ),
        "ORGANIZATION",
    ),
    **dict.fromkeys(
        (
            "address",
            "streetaddress",
            "street",
            "homeaddress",
            "postaladdress",
            "mailingaddress",
            "adresse",
            "anschrift",
            "dirección",
            "endereço",
            "indirizzo",
        ),
        "ADDRESS",
    ),
}
# Columns that hold contact data: with one of them the table is about people.
_CONTACT_LABELS = frozenset(
    {
        "email",
        "emailaddress",
        "mail",
        "phone",
        "phonenumber",
        "tel",
        "telephone",
        "mobile",
        "cell",
        "address",
        "streetaddress",
        "homeaddress",
        "dob",
        "dateofbirth",
        "birthdate",
        "ssn",
        "iban",
        "telefon",
        "téléphone",
        "teléfono",
    }
)
_SEPARATORS = ("\t", ";", "|", ",")
_LABEL = re.compile(r"[^\W\d_][\w .'’\-]{0,30}")
_RULE_CELL = re.compile(r":?-{2,}:?")
_SQUEEZE = re.compile(r"[\s_\-]+")


def _label_key(cell: str) -> str:
    return _SQUEEZE.sub("", cell.strip().strip('"').lower())


def _row_cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's stripped value; a Markdown row's outer pipes are no cells."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    while True:
        cut = line.find(sep, pos)
        end = len(line) if cut < 0 else cut
        bounds.append((pos, end))
        if cut < 0:
            break
        pos = cut + 1
    if sep == "|":
        if bounds and not line[bounds[0][0] : bounds[0][1]].strip():
            bounds = bounds[1:]
        if bounds and not line[bounds[-1][0] : bounds[-1][1]].strip():
            bounds = bounds[:-1]
    out = []
    for a, b in bounds:
        while a < b and line[a] in " \t\"'":
            a += 1
        while b > a and line[b - 1] in " \t\"'":
            b -= 1
        out.append((a, b))
    return out


def _header(line: str) -> tuple[str, list[str | None]] | None:
    """(separator, entity type per column) when `line` is the header row of a people table."""
    for sep in _SEPARATORS:
        if sep not in line:
            continue
        cells = _row_cells(line, sep)
        if len(cells) < 2:
            continue
        keys = [_label_key(line[a:b]) for a, b in cells]
        if not all(
            key and _LABEL.fullmatch(line[a:b]) for key, (a, b) in zip(keys, cells, strict=True)
        ):
            return None
        types = [_COLUMN_TYPES.get(k) for k in keys]
        persons = types.count("PERSON")
        others = sum(t is not None for t in types) - persons
        contact = any(k in _CONTACT_LABELS for k in keys)
        if (persons and (others or contact)) or (contact and any(types)):
            return sep, types
        return None
    return None


def find_column_values(text: str) -> list[Finding]:
    """Cells under the person, place, organisation and address columns of people tables."""
    if "\n" not in text:
        return []
    out: list[Finding] = []
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    n = 0
    while n < len(lines):
        head = _header(lines[n])
        if head is None:
            n += 1
            continue
        sep, types = head
        n += 1
        while n < len(lines):
            line = lines[n]
            cells = _row_cells(line, sep) if sep in line else []
            if len(cells) != len(types):
                break
            if all(_RULE_CELL.fullmatch(line[a:b]) for a, b in cells):
                n += 1
                continue  # a Markdown table's rule under its header
            for etype, (a, b) in zip(types, cells, strict=True):
                value = line[a:b]
                if etype is None or not value or len(value) > 80:
                    continue
                if not any(ch.isalpha() for ch in value):
                    continue
                out.append(Finding(starts[n] + a, starts[n] + b, etype, CUE_SCORE, "column"))
            n += 1
    return out
