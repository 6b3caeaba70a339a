"""Tables on a page: ruled ones from drawn rules, borderless ones from column alignment.

Ruled tables: horizontal rules of the same width stacked above each other delimit a region
(grid lines, booktabs' three rules, shaded rows' edges, a box). Inside it, vertical rules give
the columns when there are any; otherwise the columns are the gutters, x ranges no word of any
row covers. Rows are the bands between rules when every band is one row (grids, ruled rows),
else the lines (booktabs), with a line that leaves the first column empty and sits closer than
the usual row pitch continuing the row above (a wrapped cell).

Borderless tables: runs of lines whose words break into several pieces at wide gaps, with
gutters shared by all rows. Prose laid out side by side is not a table: cells of many words in
several columns reject a candidate.

Cells keep their text apart: `rows` is a list of rows of cell strings, the same form DOCX and
HTML tables have; `table_text` renders rows the same way too.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from statistics import median

from .model import Block, Line, Rule, Word

GAP = 1.0  # ems: a gap this wide between words splits a row into cells
MIN_GUTTER = 0.6  # ems: narrowest gap between columns shared by every row
SAME_EXTENT = 3.0  # points: rules this close at both ends belong to one table
MAX_RULE_GAP = 260.0  # points between consecutive rules of one table
MIN_RULE = 36.0  # points: shorter strokes are fraction bars, underlines, marks
PROSE_WORDS = 7  # median words per cell above which a column holds prose
MAX_EMPTY = 0.45  # share of empty cells above which a grid of text is no table
_FILLED = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"^[-+−(]?[$€£¥]?\d[\d.,:%/ ]*\)?%?$")


@dataclass
class Region:
    """Area between stacked horizontal rules of one width; `ys` top to bottom."""

    x0: float
    x1: float
    ys: list[float]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def holds(self, line: Line) -> bool:
        if line.base < self.bottom - 0.2 * line.size or line.base > self.top:
            return False
        overlap = min(line.x1, self.x1) - max(line.x0, self.x0)
        return overlap >= 0.5 * max(1.0, line.x1 - line.x0)


@dataclass
class Table:
    rows: list[list[str]]
    header_rows: int
    lines: set[int]  # indices into the page's lines
    ruled: bool
    # Set instead of rows for columns of prose drawn side by side, line by line across the
    # page: their lines split at the gutter, one column after the other (reading order).
    reflow: list[Line] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(self.lines)


def continue_tables(pages: list[list[Block]]) -> None:
    """Join a table that opens a page to the table that closed the page before, when both
    have the same columns; a header row repeated on the new page is dropped. A row or two
    left over at the top of the page (too few to be a table of their own) join as rows when
    their words split at wide gaps into as many cells as the table has columns."""
    previous: Block | None = None
    for blocks in pages:
        if previous is not None and blocks and blocks[0].kind != "table":
            leftover = _leftover_rows(blocks[0], _width(previous))
            if leftover:
                _extend(previous, leftover, blocks.pop(0))
        first = blocks[0] if blocks else None
        if (
            previous is not None
            and first is not None
            and first.kind == "table"
            and _width(first) == _width(previous)
        ):
            rows = _rows(previous) + [
                row
                for i, row in enumerate(_rows(first))
                if not (i == 0 and row == _rows(previous)[0])
            ]
            previous.metadata["rows"] = rows
            spanned = previous.metadata.get("pages")
            previous.metadata["pages"] = [
                *(spanned if isinstance(spanned, list) else [previous.page]),
                first.page,
            ]
            previous.text = table_text(rows)
            previous.lines.extend(first.lines)
            blocks.pop(0)
            if not blocks:
                continue  # the whole page was the table: it may go on over the next one too
        last = blocks[-1] if blocks else None
        previous = last if last is not None and last.kind == "table" else None


def _leftover_rows(block: Block, width: int) -> list[list[str]]:
    if block.kind not in ("paragraph", "list_item") or width < 2 or len(block.lines) > 2:
        return []
    rows = []
    for line in block.lines:
        if line.words is None:
            return []
        cells = _split_at_gaps(line.words, line.size)
        if len(cells) != width:
            return []
        rows.append(cells)
    return rows


def _split_at_gaps(words: list[Word], size: float) -> list[str]:
    cells: list[list[str]] = []
    for i, word in enumerate(words):
        if i == 0 or word.x0 - words[i - 1].x1 >= GAP * size:
            cells.append([])
        cells[-1].append(word.text)
    return [" ".join(cell) for cell in cells]


def _extend(table: Block, rows: list[list[str]], block: Block) -> None:
    table.metadata["rows"] = all_rows = _rows(table) + rows
    spanned = table.metadata.get("pages")
    if block.page not in (spanned if isinstance(spanned, list) else [table.page]):
        table.metadata["pages"] = [
            *(spanned if isinstance(spanned, list) else [table.page]),
            block.page,
        ]
    table.text = table_text(all_rows)
    table.lines.extend(block.lines)


def _rows(block: Block) -> list[list[str]]:
    rows = block.metadata.get("rows")
    return rows if isinstance(rows, list) else []


def _width(block: Block) -> int:
    rows = _rows(block)
    return len(rows[0]) if rows else -1


def table_text(rows: list[list[str]]) -> str:
    """Rows on their own lines, cells apart by " | " (as DOCX and HTML tables are written)."""
    return "\n".join(" | ".join(row) for row in rows if any(cell.strip() for cell in row))


def rule_regions(rules: list[Rule]) -> list[Region]:
    """Stacks of at least two horizontal rules of the same extent."""
    horizontal = sorted(
        (r for r in rules if r.horizontal and r.x1 - r.x0 >= MIN_RULE),
        key=lambda r: -r.y0,
    )
    groups: list[Region] = []
    for rule in horizontal:
        for group in groups:
            if (
                abs(group.x0 - rule.x0) <= SAME_EXTENT
                and abs(group.x1 - rule.x1) <= SAME_EXTENT
                and 0 <= group.ys[-1] - rule.y0 <= MAX_RULE_GAP
            ):
                if group.ys[-1] - rule.y0 > 1.0:
                    group.ys.append(rule.y0)
                break
        else:
            groups.append(Region(rule.x0, rule.x1, [rule.y0]))
    return [g for g in groups if len(g.ys) >= 2]


def find_tables(lines: list[Line], rules: list[Rule]) -> list[Table]:
    """Tables among a page's lines (reading order), ruled ones first; lines used once."""
    if not any(line.words for line in lines):
        return []
    tables: list[Table] = []
    used: set[int] = set()
    for region in rule_regions(rules):
        members = [
            i
            for i, line in enumerate(lines)
            if i not in used and not line.angle and region.holds(line)
        ]
        table = _ruled(lines, members, region, rules)
        if table is not None:
            tables.append(table)
            used |= table.lines
    tables += _borderless(lines, used)
    tables.sort(key=lambda t: t.first)
    return tables


# -- ruled ------------------------------------------------------------------------------------


def _ruled(
    lines: list[Line], members: list[int], region: Region, rules: list[Rule]
) -> Table | None:
    if len(members) < 2:
        return None
    size = median(lines[i].size for i in members)
    height = region.top - region.bottom
    verticals = sorted(
        {
            round(r.x0, 1)
            for r in rules
            if not r.horizontal
            and region.x0 + 2 < r.x0 < region.x1 - 2
            and min(r.y1, region.top) - max(r.y0, region.bottom) >= 0.5 * min(height, 3 * size)
        }
    )
    words = [_words(lines[i]) for i in members]
    if verticals:
        bounds = _merge_close(verticals, 2.0)
    else:
        bounds = _gutters(words, size, region.x0, region.x1)
    if not bounds:
        return None
    inner = region.ys[1:-1]
    bands: list[list[int]] = [[] for _ in range(len(inner) + 1)]
    for k, i in enumerate(members):
        bands[sum(1 for y in inner if lines[i].base < y)].append(k)
    bands = [b for b in bands if b]
    banded = len(bands) >= 3 or all(len(b) == 1 for b in bands)
    grouped: list[list[int]] = []
    if banded:
        grouped = bands
    else:
        for band in bands:
            local = _line_rows([lines[members[k]] for k in band], [words[k] for k in band], bounds)
            grouped += [[band[j] for j in group] for group in local]
    rows = [_cells([words[k] for k in group], bounds) for group in grouped]
    if len(rows) == 1 and verticals and sum(1 for c in rows[0] if _FILLED.search(c)) >= 2:
        # One row in a drawn grid: the end of a table the page before began.
        return Table(rows, 0, set(members), ruled=True)
    if not _is_table(rows, min_rows=2):
        return None
    header = 1 if banded or len(bands) < 2 else len([g for g in grouped if g[0] in bands[0]])
    if not banded and len(bands) < 2 and not _looks_like_header(rows, grouped, members, lines):
        header = 0
    return Table(rows, header, set(members), ruled=True)


# -- borderless -------------------------------------------------------------------------------


def _borderless(lines: list[Line], used: set[int]) -> list[Table]:
    tables: list[Table] = []
    for run in _runs(lines, used):
        size = median(lines[i].size for i in run)
        bounds = _run_gutters(lines, run, size)
        if not bounds:
            continue
        run = _with_header(lines, run, used, bounds)
        words = [_words(lines[i]) for i in run]
        grouped = _line_rows([lines[i] for i in run], words, bounds)
        rows = [_cells([words[k] for k in group], bounds) for group in grouped]
        if _prose_columns(rows) >= 2:
            tables.append(Table([], 0, set(run), ruled=False, reflow=_reflow(lines, run, bounds)))
            used |= set(run)
            continue
        if not _is_table(rows, min_rows=3):
            continue
        header = 1 if _looks_like_header(rows, grouped, run, lines) else 0
        tables.append(Table(rows, header, set(run), ruled=False))
        used |= set(run)
    return tables


def _run_gutters(lines: list[Line], run: list[int], size: float) -> list[float]:
    words = [_words(lines[i]) for i in run]
    x0 = min(w.x0 for ws in words for w in ws)
    x1 = max(w.x1 for ws in words for w in ws)
    return _gutters(words, size, x0, x1)


def _pieces(words: list[Word], size: float) -> int:
    """How many cells a line's words make when split at wide gaps."""
    count = 1
    for a, b in itertools.pairwise(words):
        if b.x0 - a.x1 >= GAP * size:
            count += 1
    return count


def _runs(lines: list[Line], used: set[int]) -> list[list[int]]:
    """Consecutive lines split into several cells, vertically close to each other; a line of
    one piece may sit between two such lines (an empty cell, a wrapped cell)."""
    runs: list[list[int]] = []
    current: list[int] = []
    pending: list[int] = []
    for i, line in enumerate(lines):
        multi = (
            i not in used
            and line.words is not None
            and not line.angle
            and _pieces(line.words, line.size) >= 2
        )
        near = current and _close(lines[(pending or current)[-1]], line)
        if multi and near:
            current += [*pending, i]
            pending = []
        elif multi:
            if len(current) >= 2:
                runs.append(current)
            current, pending = [i], []
        elif near and i not in used and line.words is not None and not pending and not line.angle:
            pending = [i]
        else:
            if len(current) >= 2:
                runs.append(current)
            current, pending = [], []
    if len(current) >= 2:
        runs.append(current)
    return runs


def _close(above: Line, below: Line) -> bool:
    gap = above.base - below.base
    size = max(above.size, below.size)
    return 0.5 * size < gap < 3.2 * size and abs(above.size - below.size) < 0.25 * size


def _with_header(
    lines: list[Line], run: list[int], used: set[int], bounds: list[float]
) -> list[int]:
    """The line right above a run is its header row when it sits as close as the rows, splits
    into cells at the run's gutters (no word crosses one) and fills two of them."""
    first = run[0]
    if first == 0 or first - 1 in used:
        return run
    above = lines[first - 1]
    if above.words is None or above.angle or not _close(above, lines[first]):
        return run
    filled: set[int] = set()
    for word in above.words:
        if any(word.x0 < b < word.x1 for b in bounds):
            return run
        filled.add(_column(word, bounds))
    return [first - 1, *run] if len(filled) >= 2 else run


# -- columns, rows, cells ---------------------------------------------------------------------


def _words(line: Line) -> list[Word]:
    return line.words if line.words is not None else [Word(line.text, line.x0, line.x1)]


def _gutters(rows: list[list[Word]], size: float, x0: float, x1: float) -> list[float]:
    """Column boundaries: middles of x ranges no word covers, at least MIN_GUTTER wide."""
    spans = sorted((w.x0, w.x1) for ws in rows for w in ws)
    bounds: list[float] = []
    reach = spans[0][1] if spans else x0
    for a, b in spans[1:]:
        if a - reach >= MIN_GUTTER * size:
            bounds.append((reach + a) / 2)
        reach = max(reach, b)
    return [b for b in bounds if x0 < b < x1]


def _merge_close(values: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _column(word: Word, bounds: list[float]) -> int:
    middle = (word.x0 + word.x1) / 2
    return sum(1 for b in bounds if middle > b)


def _cells(groups: list[list[Word]], bounds: list[float]) -> list[str]:
    cells: list[list[str]] = [[] for _ in range(len(bounds) + 1)]
    for words in groups:
        for word in words:
            cells[_column(word, bounds)].append(word.text)
    return [" ".join(c) for c in cells]


def _line_rows(lines: list[Line], words: list[list[Word]], bounds: list[float]) -> list[list[int]]:
    """Lines grouped into rows: a line leaving the first column empty continues the row above
    when it sits closer than the usual pitch between rows."""
    pitches = [a.base - b.base for a, b in itertools.pairwise(lines)]
    usual = median(pitches) if pitches else 0.0
    rows: list[list[int]] = []
    for k, line_words in enumerate(words):
        first_empty = all(_column(w, bounds) > 0 for w in line_words)
        if rows and first_empty and k > 0 and pitches[k - 1] < 0.85 * usual:
            rows[-1].append(k)
        else:
            rows.append([k])
    return rows


def _is_table(rows: list[list[str]], min_rows: int) -> bool:
    if len(rows) < min_rows or not rows or len(rows[0]) < 2:
        return False
    filled = [sum(1 for c in row if _FILLED.search(c)) for row in rows]
    if sum(filled) < (1 - MAX_EMPTY) * len(rows) * len(rows[0]):
        return False  # mostly empty: labels scattered in a figure, dot leaders of a contents page
    if sum(1 for n in filled if n >= 2) < max(2, 0.6 * len(rows)):
        return False
    prose = _prose_columns(rows)
    # Side-by-side prose (two text columns read as one line) is not a table.
    return prose < 2 and not (len(rows[0]) == 2 and prose == 1 and len(rows) < 3)


def _prose_columns(rows: list[list[str]]) -> int:
    """Columns holding running text: many words per cell, or several words per cell with
    cells going on in lower case (a sentence running down the column)."""
    prose = 0
    for c in range(len(rows[0]) if rows else 0):
        cells = [row[c] for row in rows if row[c].strip()]
        if not cells:
            continue
        counts = [len(cell.split()) for cell in cells]
        lower = sum(1 for cell in cells if cell[:1].islower())
        if median(counts) > PROSE_WORDS or (median(counts) >= 4 and lower * 10 >= 3 * len(cells)):
            prose += 1
    return prose


def _reflow(lines: list[Line], run: list[int], bounds: list[float]) -> list[Line]:
    """The run's lines cut at the gutters, column after column."""
    columns: list[list[Line]] = [[] for _ in range(len(bounds) + 1)]
    for i in run:
        line = lines[i]
        pieces: dict[int, list[Word]] = {}
        for word in _words(line):
            pieces.setdefault(_column(word, bounds), []).append(word)
        for c, group in pieces.items():
            columns[c].append(
                Line(
                    " ".join(w.text for w in group),
                    group[0].x0,
                    group[-1].x1,
                    line.base,
                    line.base,
                    line.size,
                    line.bold,
                    mono=line.mono,
                    italic=line.italic,
                    words=group,
                )
            )
    return [line for column in columns for line in column]


def _looks_like_header(
    rows: list[list[str]], grouped: list[list[int]], members: list[int], lines: list[Line]
) -> bool:
    """The first row is a header when it is bold and the next is not, or all its cells are
    words while numbers fill the column below."""
    if len(rows) < 2:
        return False
    first = [lines[members[k]] for k in grouped[0]]
    second = [lines[members[k]] for k in grouped[1]]
    if all(line.bold for line in first) and not all(line.bold for line in second):
        return True
    head = rows[0]
    for c, cell in enumerate(head):
        below = [row[c] for row in rows[1:] if row[c].strip()]
        if (
            cell.strip()
            and not _NUMBER.match(cell)
            and below
            and all(_NUMBER.match(v) for v in below)
        ):
            return True
    return False
