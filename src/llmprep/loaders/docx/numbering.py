"""Word numbering (numbering.xml): what kind each list level is, and the number Word shows.

A paragraph's `numPr` names a numbering instance (`numId`) and a level (`ilvl`); the instance
points to an abstract definition whose levels give the format (`decimal`, `lowerLetter`,
`upperRoman`, `bullet`...), the label pattern (`lvlText`, "%1." or "%1.%2." or "(%1)") and the
start value, optionally overridden per instance (`lvlOverride/startOverride`). A level may also
be linked to a paragraph style (`pStyle`): multilevel lists tied to Heading 1-9 number chapters.

Counting follows Word: one counter per instance and level, continuing across the document;
a level restarts after any item of a shallower level of the same instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

_LEVELS = 9
_BULLETS = frozenset({"bullet", "none"})


@dataclass(frozen=True)
class Level:
    fmt: str = "bullet"  # the numFmt value
    text: str = ""  # lvlText: "%1." ...
    start: int = 1
    style: str | None = None  # pStyle: a paragraph style linked to this level

    @property
    def kind(self) -> str:
        return "bullet" if self.fmt in _BULLETS else "ordered"


def _roman(n: int) -> str:
    out = []
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                          (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                          (4, "iv"), (1, "i")):  # fmt: skip
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter past z: a..z, aa..zz, aaa...
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """`n` as Word writes it in format `fmt` (decimal for formats not known here)."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """The numbering part of one document, with Word's running counters."""

    def __init__(self, w: str, root: etree._Element | None) -> None:
        self.present = root is not None
        self._levels: dict[str, dict[int, Level]] = {}
        self._counters: dict[str, list[int | None]] = {}
        if root is not None:
            self._read(w, root)

    def _read(self, w: str, root: etree._Element) -> None:
        def val(node: etree._Element | None, tag: str) -> str | None:
            child = node.find(f"{{{w}}}{tag}") if node is not None else None
            return child.get(f"{{{w}}}val") if child is not None else None

        abstract: dict[str, dict[int, Level]] = {}
        for an in root.iterchildren(f"{{{w}}}abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in an.iterchildren(f"{{{w}}}lvl"):
                ilvl = _int(lvl.get(f"{{{w}}}ilvl"))
                if ilvl is None:
                    continue
                levels[ilvl] = Level(
                    fmt=val(lvl, "numFmt") or "bullet",
                    text=val(lvl, "lvlText") or "",
                    start=_int(val(lvl, "start")) or 1,
                    style=val(lvl, "pStyle"),
                )
            abstract[an.get(f"{{{w}}}abstractNumId") or ""] = levels
        for num in root.iterchildren(f"{{{w}}}num"):
            nid = num.get(f"{{{w}}}numId")
            if nid is None:
                continue
            levels = dict(abstract.get(val(num, "abstractNumId") or "", {}))
            for override in num.iterchildren(f"{{{w}}}lvlOverride"):
                ilvl = _int(override.get(f"{{{w}}}ilvl"))
                start = _int(val(override, "startOverride"))
                if ilvl is not None and start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.fmt, old.text, start, old.style)
            self._levels[nid] = levels

    def has(self, num_id: str) -> bool:
        return num_id in self._levels

    def level(self, num_id: str, ilvl: int) -> Level | None:
        return self._levels.get(num_id, {}).get(ilvl)

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Count one item at (`num_id`, `ilvl`) and return the label Word shows ("2.", "b)",
        "1.3."), or None for bullets and levels without a pattern."""
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels or not 0 <= ilvl < _LEVELS:
            return None
        counters = self._counters.setdefault(num_id, [None] * _LEVELS)
        level = levels[ilvl]
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        if level.kind == "bullet" or not level.text:
            return None
        label = level.text
        for k in range(ilvl + 1):
            if f"%{k + 1}" in label:
                shown = levels.get(k, Level())
                value = counters[k] if counters[k] is not None else shown.start
                label = label.replace(f"%{k + 1}", format_number(value or 1, shown.fmt))
        return label.strip() or None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
