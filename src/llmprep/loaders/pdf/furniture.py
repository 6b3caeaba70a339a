"""Running headers, footers and page numbers: found across pages, so that body text keeps none.

A line is furniture when it sits among the top or bottom lines of a page and either
- is a page number ("Page 3 of 10"; or a bare "12", "- 12 -", "iv" that follows the same
  sequence as the number on another page),
- repeats, digits normalised, on at least half the pages (or on most odd or most even pages,
  for books whose left and right headers differ), or
- starts or ends with the printed page number (LaTeX's "18 1.6. WEGE UND KNOTEN"), where the
  printed number follows the physical page with one offset through the document.

Rotated text beside the body (a side stamp with an archive identifier, a vertical label in the
margin) is furniture too: it runs across the reading direction, outside the text area.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from .model import Line, PageText

BAND = 0.2  # share of the page height searched for furniture (LaTeX page numbers: 0.14-0.17)
BAND_LINES = 3  # at most this many lines from each edge are candidates

_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:(?:page|seite|pagina|página|sida|side|p\.|pg\.?)\s*)?"
    r"(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:/|of|von|de|sur|af|z)\s*\d{1,4})?[\W_]*$",
    re.IGNORECASE,
)
_PAGE_WORD = re.compile(r"\b(?:page|seite|pagina|página|sida|side|pg|p|of|von|de|sur|af|z)\b", re.I)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_DIGITS = re.compile(r"\d+")
_EDGE_NUMBER = re.compile(r"^(\d{1,4})\b|\b(\d{1,4})$")


@dataclass
class Furniture:
    """Which lines to drop, per page number, and how many of each kind."""

    lines: dict[int, set[int]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class _Candidate:
    page: int
    index: int
    zone: str  # "header" | "footer"
    key: str
    # A clear vertical gap separates it from the body (running headers and footers have one;
    # the first line of a page of body text does not).
    separated: bool = True
    rank: int = 0  # 0 = the line closest to the edge


def find_furniture(pages: list[PageText]) -> Furniture:
    result = _running(pages)
    for number, indices in _margin_lines(pages).items():
        result.lines.setdefault(number, set()).update(indices)
        result.counts["margin"] += len(indices)
    return result


def _running(pages: list[PageText]) -> Furniture:
    candidates = [c for page in pages for c in _candidates(page)]
    text_pages = [p for p in pages if p.lines]
    n = len(text_pages)
    if not candidates or n == 0:
        return Furniture()
    by_number = {p.number: p for p in pages}

    pages_with: dict[tuple[str, str], set[int]] = {}
    for c in candidates:
        pages_with.setdefault((c.zone, c.key), set()).add(c.page)
    odd = sum(1 for p in text_pages if p.number % 2) or 1
    even = (n - odd) or 1

    def repeats(zone: str, key: str) -> bool:
        seen = pages_with[(zone, key)]
        if len(seen) < 2:
            return False
        if len(seen) * 2 >= n:
            return True
        on_odd = sum(1 for number in seen if number % 2)
        on_even = len(seen) - on_odd
        return len(seen) >= 3 and (on_odd >= 0.8 * odd or on_even >= 0.8 * even)

    offset = _page_offset(candidates, by_number, n)
    numbers = _page_number_lines(candidates, by_number)
    if n < 2:
        # One page gives no sequence to check against: only "Page 1" / "Page 1 of 1" written
        # out, on the first page, counts (a bare "1" may be a list item or a figure).
        numbers = {
            c
            for c in numbers
            if _PAGE_WORD.search(text := by_number[c.page].lines[c.index].text)
            and (_DIGITS.findall(text) or ["0"])[0] == "1"
            and c.page == min(by_number)
        }
    kinds: dict[_Candidate, str] = {}
    for c in candidates:
        line = by_number[c.page].lines[c.index]
        if c in numbers:
            kinds[c] = "page_number"
        elif c.separated and (
            repeats(c.zone, c.key)
            # Running headers carrying the page number sit at the very edge of the page.
            or (
                c.rank == 0
                and offset is not None
                and _numbered(line, c.page, offset, by_number[c.page])
            )
        ):
            kinds[c] = c.zone

    # A repeated line that is the only text of most of its pages is content (a one-line
    # document per page, a slide title), not furniture.
    flagged: dict[int, set[int]] = {}
    for c in kinds:
        flagged.setdefault(c.page, set()).add(c.index)
    result = Furniture()
    groups: dict[tuple[str, str], list[_Candidate]] = {}
    for c in kinds:
        groups.setdefault((c.zone, c.key), []).append(c)
    for group in groups.values():
        alone = sum(1 for c in group if len(flagged[c.page]) >= len(by_number[c.page].lines))
        if kinds[group[0]] != "page_number" and alone * 2 > len(group):
            continue
        for c in group:
            result.lines.setdefault(c.page, set()).add(c.index)
            result.counts[kinds[c]] += 1
    return result


def _margin_lines(pages: list[PageText]) -> dict[int, set[int]]:
    """Rotated lines lying wholly left or right of the page's horizontal text."""
    out: dict[int, set[int]] = {}
    for page in pages:
        if not page.geometry or not any(line.angle for line in page.lines):
            continue
        body = [ln for ln in page.lines if not ln.angle and ln.text.count(" ") >= 2]
        if not body:
            continue
        left = min(ln.x0 for ln in body)
        right = max(ln.x1 for ln in body)
        for i, line in enumerate(page.lines):
            if line.angle and (
                line.x1 <= left + 0.5 * line.size or line.x0 >= right - 0.5 * line.size
            ):
                out.setdefault(page.number, set()).add(i)
    return out


def _candidates(page: PageText) -> list[_Candidate]:
    lines = page.lines
    if not lines or page.rotated:
        return []
    downwards = [-line.base for line in lines]
    order = sorted(range(len(lines)), key=downwards.__getitem__)
    if page.geometry:
        height = (page.top - page.bottom) or 1.0
        top = [i for i in order[:BAND_LINES] if (lines[i].base - page.bottom) / height >= 1 - BAND]
        bottom = [
            i for i in order[::-1][:BAND_LINES] if (lines[i].base - page.bottom) / height <= BAND
        ]
        top_gap = _separation(lines, order, len(top))
        bottom_gap = _separation(lines, order[::-1], len(bottom))
    else:
        top, bottom = order[:2], order[::-1][:2]
        top_gap = bottom_gap = [True] * 2
    out: list[_Candidate] = []
    seen: set[int] = set()
    for zone, indices, gaps in (("header", top, top_gap), ("footer", bottom, bottom_gap)):
        for rank, i in enumerate(indices):
            if not gaps[rank]:
                continue  # every kind of furniture needs a clear gap to the body
            # Digits as "#", whitespace runs as one space (str.split's whitespace is the
            # regular expressions' \s, and splitting is several times faster than a `sub`).
            key = " ".join(_DIGITS.sub("#", lines[i].text.lower()).split())
            # A line in both bands (a page with very few lines) counts once, as a header.
            if key and i not in seen:
                seen.add(i)
                out.append(_Candidate(page.number, i, zone, key, gaps[rank], rank))
    # A running header or footer is one line of its kind on a page; lines that look alike
    # (digits aside) next to each other are rows of a table or a list running off the page.
    keys = Counter((c.zone, c.key) for c in out)
    return [c for c in out if keys[(c.zone, c.key)] == 1]


def _separation(lines: list[Line], order: list[int], count: int) -> list[bool]:
    """For the first `count` lines from an edge: is there a clear gap between it and the body?

    Walking from the edge inwards, a line is separated when a gap of more than 1.6 line heights
    follows it or one of the (few) lines after it within the margin band.
    """
    if count == 0:
        return []
    gaps = []
    for rank in range(min(count, len(order) - 1) if len(order) > 1 else 0):
        a, b = lines[order[rank]], lines[order[rank + 1]]
        gaps.append(abs(a.base - b.base) > 1.6 * max(a.size, b.size))
    gaps += [True] * (count - len(gaps))  # nothing after it: the page is only furniture
    separated = []
    for rank in range(count):
        separated.append(any(gaps[rank:count]))
    return separated


def _page_number_lines(candidates: list[_Candidate], pages: dict[int, PageText]) -> set[_Candidate]:
    """Candidates that are page numbers: "Page 3 of 9" outright; a bare "12" or "iv" only when
    at least one other page's number follows the same sequence (same physical - printed offset),
    so a lone figure label or formula at the top of a page is not taken for one.
    """
    explicit: set[_Candidate] = set()
    bare: dict[int, list[_Candidate]] = {}
    for c in candidates:
        text = pages[c.page].lines[c.index].text
        if not c.separated or not _PAGE_NUMBER.match(text):
            continue
        if _PAGE_WORD.search(text):
            explicit.add(c)
            continue
        value = _number_value(text)
        if value is not None:
            bare.setdefault(c.page - value, []).append(c)
    for group in bare.values():
        if len({c.page for c in group}) >= 2:
            explicit.update(group)
    return explicit


def _number_value(text: str) -> int | None:
    token = re.sub(r"[\W_]+", "", text).lower()
    if token.isdigit():
        return int(token)
    total = 0
    for i, ch in enumerate(token):
        value = _ROMAN.get(ch)
        if value is None:
            return None
        following = _ROMAN.get(token[i + 1], 0) if i + 1 < len(token) else 0
        total += -value if value < following else value
    return total or None


def _page_offset(candidates: list[_Candidate], pages: dict[int, PageText], n: int) -> int | None:
    """The dominant (physical page - printed number), if enough pages agree on one."""
    offsets: Counter[int] = Counter()
    for c in candidates:
        for number in _edge_numbers(pages[c.page].lines[c.index].text):
            offsets[c.page - number] += 1
    if not offsets:
        return None
    offset, support = offsets.most_common(1)[0]
    return offset if support >= max(3, 0.25 * n) else None


def _edge_numbers(text: str) -> list[int]:
    m = _EDGE_NUMBER.search(text.strip())
    out = []
    if m:
        for group in m.groups():
            if group:
                out.append(int(group))
    tail = re.search(r"\b(\d{1,4})$", text.strip())
    if tail and (not out or int(tail.group(1)) != out[0]):
        out.append(int(tail.group(1)))
    return out


def _numbered(line: Line, page: int, offset: int, page_text: PageText) -> bool:
    if page - offset not in _edge_numbers(line.text) or len(line.text.split()) > 15:
        return False
    # Headings can start with a number too; running headers are not larger than the body.
    return line.size <= median(ln.size for ln in page_text.lines) * 1.05
