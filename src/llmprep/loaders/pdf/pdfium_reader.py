"""Reading pages with pypdfium2: text segments with their position, font size and weight.

One page at a time, and every page and text page is closed before the next is opened, so memory
does not grow with the page count. Geometry costs a handful of C calls per text segment (not per
character), which keeps the loader close to the speed of pdfium's own text extraction.

Work that only some pages need is only done there: word positions and drawn rules (for table
detection) on pages where lines are spread out like table rows, structure-tree roles in files
that declare themselves tagged, annotations on pages that have any.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import operator
import re
from collections.abc import Iterable, Iterator
from typing import Any

from .forms import page_annotations
from .graphics import has_images, page_rules
from .model import Line, PageText, Rule, Word
from .pdfium_calls import calls as _calls
from .tables import GAP, rule_regions
from .tags import char_mcid, is_tagged, page_roles

_SEGMENT = re.compile(r"[^\r\n]+")
_LETTER = re.compile(r"[^\W\d_]")
_WORDCHAR = re.compile(r"\w")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|cmbx|\bbx|,b\b|-b\b", re.IGNORECASE)
_FORCE_BOLD = 1 << 18
_FIXED_PITCH = 1
_MONO_NAME = re.compile(r"mono|courier|consol|menlo|cmtt|lmtt|typewriter|code|inconsolata", re.I)
_ITALIC = 1 << 6
_ITALIC_NAME = re.compile(r"italic|oblique|slanted|cmti|cmsl|cmbxti|-it\b|,it\b", re.I)
BOLD, MONO, ITALIC = 1, 2, 4
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNUSUAL = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\xa0-\u024f\u2000-\u206f\u20a0-\u20cf\ufffe]")
MAX_MAP_CHECKS = 64
_NAME_SIZE = 128
# A line whose text spreads wider than this many ems per character has wide gaps between its
# words: a table row, or label and value. Prose sets 0.4-0.6 em per character.
SPREAD = 0.75
LOOSE = 0.58  # ems per character: looser than justified prose, not yet spread
# Formulas are spread out too (spaces around relations); a line with mathematical symbols or
# Greek letters is not taken for a table row on that evidence.
_LEADERS = ". . ."
_RUN_IN = re.compile(r"^[^\W\d_][\w ]{0,30}[.:]\s")
_FORMULA = re.compile(r"[=<>≤≥≠≈∈∉⊂⊆∪∩→←↦⇒⇔∀∃∑∏∫√±×·∞∂∇α-ωΑ-Ω]")
NEIGHBOURS = 2  # lines next to a spread-out one are measured too (a table's header row)
PAGE_EDGE_LINES = 3  # lines at a page's bottom or top edge (a footer or header among them)
MIN_GRAPHICS, MAX_GRAPHICS = 2, 400  # drawn objects worth reading rules from (more: a figure)
MIN_EXTRA_RUNS = 6  # text runs beyond one per line before runs are looked at
RUNS_PER_LINE = 2  # more runs than this per line: text set word by word or formula-heavy pages


class PdfiumReader:
    """Pages of an open pypdfium2 document as `PageText`: text segments, images, form values."""

    def __init__(self, pdf: Any) -> None:
        import pypdfium2.raw as raw

        self.pdf = pdf
        self.raw = raw
        self.calls = _calls(raw)
        self._name_size = ctypes.c_ulong(_NAME_SIZE)
        self._x = ctypes.c_double()
        self._y = ctypes.c_double()
        self._box = [ctypes.c_double() for _ in range(4)]
        self._matrix = raw.FS_MATRIX()
        # The matrix's six floats as one sequence: unpacking it beats six attribute reads.
        self._matrix_floats = memoryview(self._matrix).cast("B").cast("f")
        self._flags = ctypes.c_int()
        self._name = ctypes.create_string_buffer(_NAME_SIZE)
        # Reused pointer arguments: building byref() objects per call shows up in profiles.
        self._px, self._py = ctypes.byref(self._x), ctypes.byref(self._y)
        self._pbl, self._pbr, self._pbb, self._pbt = (ctypes.byref(b) for b in self._box)
        self._pm = ctypes.byref(self._matrix)
        self._pflags = ctypes.byref(self._flags)
        self._styles: dict[bytes, int] = {}
        self._rows_at_bottom = False  # the page read last had maybe-table rows at its bottom
        self._forms = False
        try:
            # Form field values live in widget annotations, not in the page's text.
            if raw.FPDF_GetFormType(pdf) != raw.FORMTYPE_NONE:
                pdf.init_forms()
                self._forms = pdf.formenv is not None
        except Exception:
            self._forms = False
        self.tagged = is_tagged(pdf, raw)

    def __len__(self) -> int:
        return len(self.pdf)

    def page(self, index: int) -> PageText:
        """Read page `index` (0-based); the page is closed before returning."""
        page = self.pdf[index]
        try:
            left, bottom, right, top = page.get_bbox()
            rotation = page.get_rotation()
            result = PageText(
                number=index + 1, bottom=bottom, top=top, rotated=rotation in (90, 270)
            )
            textpage = page.get_textpage()
            try:
                lines, spans, spread, result.unmapped = self._segments(
                    textpage, left, bottom, right, top
                )
                if lines:
                    result.rules = self._table_candidates(
                        page.raw, textpage.raw, lines, spans, spread
                    )
                if self.tagged and lines:
                    self._tag_lines(page.raw, textpage.raw, lines, spans)
                result.lines = lines
            finally:
                textpage.close()
            if not result.has_text or _few_letters(result.lines):
                # A page with little or no text may be a scan (with a stamp or page number on
                # top): whether it holds an image is asked while it is open.
                result.has_images = has_images(page, self.raw)
            if self.calls.annot_count(page.raw) > 0:
                result.form_values, result.annotations = page_annotations(
                    self.pdf, page.raw, self.raw, self._forms
                )
            return result
        finally:
            page.close()

    # -- text ---------------------------------------------------------------------------------

    def _segments(
        self, tp: Any, left: float, bottom: float, right: float, top: float
    ) -> tuple[list[Line], list[int], list[int], bool]:
        """Text segments (pdfium's lines) with geometry.

        Also returns each line's text offset in the page text (-1 when its text was changed),
        the lines spread out like table rows, and whether the page looks unmapped.
        This loop runs for every line of every page, so it is written for speed: the raw
        handle, reused pointer arguments, and no index translation when pdfium's text and
        character indices coincide (nearly always).
        """
        text = tp.get_text_range()
        self._text, self._mapped = text, False
        if not text.strip():
            return [], [], [], False
        handle = tp.raw
        calls = self.calls
        mapped = len(text) != calls.count(handle)
        units = _unit_offsets(text) if mapped else _identity
        self._mapped, self._units = mapped, units
        to_char = calls.to_char
        x, y, matrix, box_right = self._x, self._y, self._matrix_floats, self._box[1]
        px, py, pm = self._px, self._py, self._pm
        pbl, pbr, pbb, pbt = self._pbl, self._pbr, self._pbb, self._pbt
        origin = calls.origin
        charbox = calls.charbox
        fontsize = calls.fontsize
        get_matrix = calls.matrix
        style_of = self._style
        styles = self._styles
        fontinfo = calls.fontinfo
        name, name_size, pflags = self._name, self._name_size, self._pflags
        has_control = _CONTROL.search(text) is not None
        lines: list[Line] = []
        starts: list[int] = []
        spread: list[int] = []
        append = lines.append
        pieces: Iterable[tuple[int, str]] = _split_lines(text)
        if "\ufffe" in text:
            pieces = self._unjoin_far(handle, list(pieces))
        for seg_start, seg in pieces:
            stripped = seg.strip()
            if not stripped:
                continue
            start = seg_start + seg.index(stripped[0])
            end = start + len(stripped) - 1
            if mapped:
                cs, ce = to_char(handle, units(start)), to_char(handle, units(end))
                if cs < 0 or ce < 0:
                    cs = ce = max(cs, ce)
                    if cs < 0:
                        continue
            else:
                cs, ce = start, end
            origin(handle, cs, px, py)
            x0 = x.value
            base = base_end = y.value
            charbox(handle, ce, pbl, pbr, pbb, pbt)
            x1 = box_right.value
            if x1 < x0:
                x1 = x0
            if "\ufffe" in seg:
                origin(handle, ce, px, py)
                base_end = y.value
            probe = cs
            first = stripped[0]
            # A footnote number set raised before its first word ("2The"), a bullet or a
            # bracket: size and baseline are read at the first word instead.
            marked = first.isdigit() and stripped[1:2].isalpha()
            if marked or not first.isalnum():
                word = _LETTER.search(stripped) if marked else _WORDCHAR.search(stripped)
                if word is not None:
                    offset = start + word.start()
                    probe = max(cs, to_char(handle, units(offset)) if mapped else offset)
                    if probe != cs and "\ufffe" not in seg:
                        origin(handle, probe, px, py)
                        base = base_end = y.value
            # The font size times the text and page matrices' scale: what a reader sees.
            size = fontsize(handle, probe)
            angle = 0
            if get_matrix(handle, probe, pm):
                a, b, c, d, _e, _f = matrix
                size *= abs(a * d - b * c) ** 0.5
                if b or a < 0:
                    angle = _angle(a, b)
            if size <= 0.5:
                size = 10.0
            if angle:
                x0, x1, base = self._box_of(handle, cs, ce)
                base_end = base
            # Text outside the page box is not shown (nor extracted by other tools).
            if x1 < left or x0 > right or base > top + size or base_end < bottom - size:
                continue
            offset = start
            if has_control and _CONTROL.search(stripped):
                stripped = " ".join(_CONTROL.sub(" ", stripped).split())
                offset = -1
                if not stripped:
                    continue
            # `_style` inlined for the first character (a cache hit nearly always).
            n = fontinfo(handle, probe, name, name_size, pflags)
            style = styles.get(name.value if 0 < n <= _NAME_SIZE else b"")
            if style is None:
                style = style_of(handle, probe)
            if ce > probe and (
                style & BOLD or (style & ITALIC and _RUN_IN.match(stripped) is not None)
            ):
                # A bold start, or an italic word with a period, may be a run-in label
                # ("Lemma 2.", "Proof."): the line takes the style its end agrees with.
                style = style_of(handle, ce)
            line = Line(stripped, x0, x1, base, base_end, size, bool(style & BOLD))
            if style & MONO:
                line.mono = True
            if style & ITALIC:
                line.italic = True
            if angle:
                line.angle = angle
            elif x1 - x0 > SPREAD * size * len(stripped) and _row_like(stripped):
                spread.append(len(lines))
            append(line)
            starts.append(offset)
        return lines, starts, spread, self._unmapped(handle, text, units, mapped)

    def _unjoin_far(self, handle: Any, pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Undo pdfium's joins of a line-end hyphen with text that is not the next line.

        pdfium glues a line ending in a hyphen to whatever the content stream draws next
        ("ele\ufffe1"): at the foot of a column that continues on the next page, that is the
        page number far below. A continuation more than three letter heights below the hyphen
        is no word's second half: the line ends with its hyphen (joined or not by the flow of
        paragraphs, like any line-end hyphen) and the rest is a line of its own.
        """
        out: list[tuple[int, str]] = []
        origin, charbox, to_char = self.calls.origin, self.calls.charbox, self.calls.to_char
        units, mapped, y, box = self._units, self._mapped, self._y, self._box
        for start, seg in pieces:
            mark = seg.find("\ufffe")
            while mark >= 0 and mark + 1 < len(seg) and not seg[mark + 1].isspace():
                at, nxt = start + mark, start + mark + 1
                if mapped:
                    at, nxt = to_char(handle, units(at)), to_char(handle, units(nxt))
                    if at < 0 or nxt < 0:
                        break
                origin(handle, at, self._px, self._py)
                hyphen_base = y.value
                origin(handle, nxt, self._px, self._py)
                next_base = y.value
                charbox(handle, nxt, self._pbl, self._pbr, self._pbb, self._pbt)
                height = max(box[3].value - box[2].value, 1.0)
                if hyphen_base - next_base <= 3 * height:
                    break
                out.append((start, seg[:mark] + "-"))
                start, seg = start + mark + 1, seg[mark + 1 :]
                mark = seg.find("\ufffe")
            out.append((start, seg))
        return out

    def _box_of(self, handle: Any, first: int, last: int) -> tuple[float, float, float]:
        """Left, right and bottom of the boxes of two characters (ends of a rotated line)."""
        box = self._box
        charbox = self.calls.charbox
        charbox(handle, first, self._pbl, self._pbr, self._pbb, self._pbt)
        l1, r1, b1, _t1 = (b.value for b in box)
        charbox(handle, last, self._pbl, self._pbr, self._pbb, self._pbt)
        l2, r2, b2, _t2 = (b.value for b in box)
        return min(l1, l2), max(r1, r2), min(b1, b2)

    # -- tables and tags: only on the pages that need them -----------------------------------

    def _char_index(self, handle: Any, offset: int) -> int:
        if not self._mapped:
            return offset
        return int(self.calls.to_char(handle, self._units(offset)))

    def _table_candidates(
        self, page: Any, handle: Any, lines: list[Line], starts: list[int], spread: list[int]
    ) -> list[Rule]:
        """Measure word extents on lines that may be table rows; returns the page's rules.

        Cheap signals first, each costing only where it fires: lines spread out wider than
        prose (table rows set in one text run, label and value pairs); more text runs than
        lines (cells set apart as separate text objects: lines holding runs far apart); lines
        stacked with the same left and right ends but narrower than the text (the rows of a
        table whose first column is left-aligned and last right-aligned). Where one fires and
        the page draws more than text, its rules are read too (walking the page's objects
        costs about as much as reading its text, so pages of prose and formulas skip it), and
        lines between rules of one width are measured.
        """
        fast = self.calls
        wanted: set[int] = set()
        if self._rows_at_bottom:
            # The last page ended in table rows: its table may go on here, a row or two of it
            # at the top of this page too few to be found as a table of their own.
            wanted.update(range(min(len(lines), PAGE_EDGE_LINES)))
        self._rows_at_bottom = False
        if _adjacent(spread):
            for i in spread:
                wanted.update(range(max(0, i - NEIGHBOURS), min(len(lines), i + NEIGHBOURS + 1)))
        objects = fast.count_objects(page)
        stacked = _stacked_rows(lines)
        for i in stacked:
            wanted.update(range(max(0, i - NEIGHBOURS), min(len(lines), i + NEIGHBOURS + 1)))
        if objects < len(lines) + MIN_EXTRA_RUNS and not wanted and not stacked:
            # About one object per line: text runs cannot outnumber lines, and there is
            # hardly anything else drawn. Counting the runs would cost a twentieth of the page.
            return []
        runs = fast.count_rects(handle, 0, -1)
        if len(lines) + MIN_EXTRA_RUNS <= runs <= RUNS_PER_LINE * len(lines):
            split = [
                i
                for i in self._split_lines(handle, lines, runs)
                if not _FORMULA.search(lines[i].text)
            ]
            if _adjacent(split):
                for i in split:
                    wanted.update(
                        range(max(0, i - NEIGHBOURS), min(len(lines), i + NEIGHBOURS + 1))
                    )
        rules: list[Rule] = []
        if wanted or stacked:
            graphics = objects - runs
            if MIN_GRAPHICS <= graphics <= MAX_GRAPHICS:
                rules = page_rules(page, self.raw)
                for region in rule_regions(rules):
                    wanted.update(i for i, line in enumerate(lines) if region.holds(line))
        if wanted:
            self._measure_words(handle, lines, starts, wanted)
            self._rows_at_bottom = max(wanted) >= len(lines) - PAGE_EDGE_LINES
        return rules

    def _split_lines(self, handle: Any, lines: list[Line], runs: int) -> list[int]:
        """Lines holding two text runs with a gap of GAP ems or more between them.

        pdfium lists runs in text order, like the lines, so one pass assigns each run to the
        line whose baseline band holds its middle.
        """
        get_rect = self.calls.get_rect
        box = self._box
        # Filled in the order left, top, right, bottom.
        p0, p1, p2, p3 = self._pbl, self._pbr, self._pbb, self._pbt
        found: list[int] = []
        j = 0
        last_right: float | None = None
        for k in range(runs):
            if not get_rect(handle, k, p0, p1, p2, p3):
                continue
            left, top, right, bottom = box[0].value, box[1].value, box[2].value, box[3].value
            middle = (top + bottom) / 2
            for step in range(3):  # the run belongs to this line or one of the next two
                if j + step >= len(lines):
                    break
                line = lines[j + step]
                if line.base - 0.4 * line.size <= middle <= line.base + line.size:
                    if step:
                        j += step
                        last_right = None
                    break
            else:
                continue
            line = lines[j]
            wide = last_right is not None and left - last_right >= GAP * line.size
            if wide and (not found or found[-1] != j):
                found.append(j)
            last_right = right
        return found

    def _measure_words(
        self, handle: Any, lines: list[Line], starts: list[int], wanted: set[int]
    ) -> None:
        """Word extents (two character boxes per word) for the wanted lines."""
        charbox = self.calls.charbox
        pbl, pbr, pbb, pbt = self._pbl, self._pbr, self._pbb, self._pbt
        left, right = self._box[0], self._box[1]
        for i in sorted(wanted):
            line, start = lines[i], starts[i]
            if start < 0 or line.angle:
                continue
            words: list[Word] = []
            offset = 0
            for token in line.text.split(" "):
                if token:
                    first = self._char_index(handle, start + offset)
                    last = self._char_index(handle, start + offset + len(token) - 1)
                    if first < 0 or last < 0:
                        words = []
                        break
                    charbox(handle, first, pbl, pbr, pbb, pbt)
                    x0 = left.value
                    charbox(handle, last, pbl, pbr, pbb, pbt)
                    words.append(Word(token, x0, max(x0, right.value)))
                offset += len(token) + 1
            if words:
                line.words = words

    def _tag_lines(self, page: Any, handle: Any, lines: list[Line], starts: list[int]) -> None:
        """Heading roles from the structure tree, on the lines whose text they mark."""
        try:
            roles = page_roles(page, self.raw)
            if not roles:
                return
            for line, start in zip(lines, starts, strict=True):
                if start < 0:
                    continue
                index = self._char_index(handle, start)
                if index >= 0:
                    line.tag = roles.get(char_mcid(handle, index, self.raw))
        except Exception:  # a broken structure tree leaves the fonts to find the headings
            return

    def _unmapped(self, tp: Any, text: str, units: Any, mapped: bool) -> bool:
        """True when many characters lack a Unicode mapping (pdfium then emits glyph codes).

        Only characters outside Latin and common punctuation are candidates, so Western text
        costs one regex scan; of those, an evenly spread sample of MAX_MAP_CHECKS is checked.
        """
        count = len(_UNUSUAL.findall(text))
        if count < 3:
            return False
        stride = max(1, count // MAX_MAP_CHECKS)
        check = self.calls.unmapped
        to_char = self.calls.to_char
        visible = len(text) - text.count(" ") - text.count("\r") - text.count("\n")
        need = max(3, 0.05 * visible)  # sampled errors (times the stride) that make it unmapped
        left = len(range(0, count, stride))
        if left * stride < need:
            return False  # too few candidates to be unmapped even if every one were
        errors = 0
        # Every stride-th candidate; the scan stops where the answer is known.
        for match in itertools.islice(_UNUSUAL.finditer(text), 0, None, stride):
            position = match.start()
            left -= 1
            index = to_char(tp, units(position)) if mapped else position
            if index >= 0 and check(tp, index) == 1:
                errors += 1
                if errors * stride >= need:
                    return True
            elif (errors + left) * stride < need:
                return False  # the checks left cannot reach it: stop asking
        return errors * stride >= need

    def _style(self, tp: Any, index: int) -> int:
        """BOLD and MONO bits of a character's font, cached per font name: bold by name, the
        ForceBold flag or weight; monospaced by the FixedPitch flag or name."""
        calls = self.calls
        n = calls.fontinfo(tp, index, self._name, self._name_size, self._pflags)
        key = self._name.value if 0 < n <= _NAME_SIZE else b""  # a longer name is not written
        cached = self._styles.get(key)
        if cached is None:
            name = key.decode("latin-1", "replace") if key else ""
            flags = self._flags.value
            bold = (
                flags & _FORCE_BOLD
                or calls.weight(tp, index) >= 600
                or (name and _BOLD_NAME.search(name))
            )
            mono = flags & _FIXED_PITCH or (name and _MONO_NAME.search(name))
            italic = flags & _ITALIC or (name and _ITALIC_NAME.search(name))
            cached = (BOLD if bold else 0) | (MONO if mono else 0) | (ITALIC if italic else 0)
            if key:
                self._styles[key] = cached
        return cached


def _split_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for pdfium's CRLF-separated lines; str.split is much faster than a regex."""
    parts = text.split("\r\n")
    breaks = len(parts) - 1
    if text.count("\n") == breaks and text.count("\r") == breaks:
        # No stray break (nearly every page): offsets are the running sum of the lengths plus
        # two per CRLF, computed by C-level iterators rather than a Python generator.
        lengths = itertools.accumulate(map(len, parts), initial=0)
        return zip(map(operator.add, lengths, range(0, 2 * len(parts), 2)), parts, strict=True)
    return _split_stray(parts)


def _split_stray(parts: list[str]) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in parts:
        if "\n" in line or "\r" in line:  # a stray break inside the text itself
            for match in _SEGMENT.finditer(line):
                yield offset + match.start(), match.group()
        else:
            yield offset, line
        offset += len(line) + 2


def _identity(i: int) -> int:
    return i


def _unit_offsets(text: str) -> Any:
    """Map a str index to pdfium's UTF-16 text index (they differ only after astral characters)."""
    if not _ASTRAL.search(text):
        return lambda i: i
    extra = [0] * (len(text) + 1)
    count = 0
    for i, ch in enumerate(text):
        extra[i] = count
        if ord(ch) > 0xFFFF:
            count += 1
    extra[len(text)] = count
    return lambda i: i + extra[i]


def _angle(a: float, b: float) -> int:
    """Text direction in whole degrees from the text matrix; 0 for left-to-right text."""
    return round(math.degrees(math.atan2(b, a))) % 360


def _row_like(text: str) -> bool:
    """Text that can be a table row: several tokens, not mostly one- or two-character labels
    (coordinates and axis ticks in a figure), no formula, no dot leaders (a contents line)."""
    tokens = text.split()
    return (
        len(tokens) >= 2
        and len(text) - len(tokens) >= 2.5 * len(tokens)
        and not _FORMULA.search(text)
        and _LEADERS not in text
    )


def _stacked_rows(lines: list[Line]) -> list[int]:
    """Consecutive lines of one size with the same left and right ends, narrower than the
    page's prose lines: rows of a table whose ends are aligned."""
    found: list[int] = []
    if len(lines) < 2:
        return found
    column: float | None = None  # the median width of prose lines, measured when needed
    for i, (a, b) in enumerate(itertools.pairwise(lines)):
        if not (abs(a.x0 - b.x0) < 1.0 and abs(a.x1 - b.x1) < 1.0):
            continue  # nearly every pair of a page: no need to measure its prose
        if column is None:
            prose = sorted(line.x1 - line.x0 for line in lines if line.text.count(" ") >= 6)
            column = prose[len(prose) // 2] if prose else float("inf")
        width = a.x1 - a.x0
        if (
            a.size == b.size
            and width > 6 * a.size
            # As wide as the prose, the rows must be looser than prose set justified.
            and (width < 0.85 * column or width > LOOSE * a.size * len(a.text))
            and not a.angle
            and _row_like(a.text)
            and _row_like(b.text)
        ):
            found += [i, i + 1]
    return found


def _adjacent(spread: list[int]) -> bool:
    """Two spread-out lines next to each other (or one apart): rows, not a lone formula."""
    return any(b - a <= 2 for a, b in itertools.pairwise(spread))


FEW_LETTERS = 40  # a page with fewer letters than this may be a scan under a stamp


def _few_letters(lines: list[Line]) -> bool:
    letters = 0
    for line in lines:
        letters += sum(1 for c in line.text if c.isalpha())
        if letters >= FEW_LETTERS:
            return False
    return True
