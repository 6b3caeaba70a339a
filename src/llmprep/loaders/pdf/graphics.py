"""Drawn rules on a page: the horizontal and vertical strokes and rectangle edges tables use.

Read through pdfium's page objects, only on pages where some lines already look like table
rows: walking every object of every page would cost more than reading the text. Paths are
taken apart into straight, axis-aligned segments (in page space: the object's matrix applied);
thin filled rectangles count as strokes, larger rectangles give their four edges (cell borders
and shaded rows both delimit cells). Curves are ignored.
"""

from __future__ import annotations

import ctypes
from typing import Any

from .model import Rule
from .pdfium_calls import calls

MAX_OBJECTS = 4000  # a page drawing more is a figure or a map; its rules are not a table's
MAX_SEGMENTS = 400  # per path
MAX_DEPTH = 3  # form XObjects nested in form XObjects
MIN_LENGTH = 4.0  # points: shorter strokes are glyph parts, ticks, underline dots
THIN = 2.5  # points: a filled rectangle thinner than this is a stroke
MIN_SPAN = 24.0  # points: a shape smaller than this both ways holds no rule worth reading


def page_rules(page: Any, raw: Any) -> list[Rule]:
    """Horizontal and vertical rules of a page (pdfium page handle), deduplicated."""
    fast = calls(raw)
    rules: list[Rule] = []
    try:
        count = fast.count_objects(page)
        if count > MAX_OBJECTS:
            return []
        state = _Walk(fast, raw)
        identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        for i in range(count):
            state.collect(fast.get_object(page, i), identity, rules, 0)
    except Exception:  # graphics are an aid to table detection, never a reason to fail
        return []
    return _dedupe(rules)


class _Walk:
    def __init__(self, fast: Any, raw: Any) -> None:
        self.fast = fast
        self.path, self.form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
        self.lineto, self.moveto = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_MOVETO
        self.m = raw.FS_MATRIX()
        self.pm = ctypes.byref(self.m)
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.px, self.py = ctypes.byref(self.x), ctypes.byref(self.y)
        self.l, self.b, self.r, self.t = (ctypes.c_float() for _ in range(4))
        self.pl, self.pb, self.pr, self.pt = (
            ctypes.byref(v) for v in (self.l, self.b, self.r, self.t)
        )

    def collect(
        self, address: int | None, outer: tuple[float, ...], rules: list[Rule], depth: int
    ) -> None:
        if not address:
            return
        fast = self.fast
        kind = fast.object_type(address)
        if kind != self.path and kind != self.form:
            return
        obj = ctypes.c_void_p(address)
        if kind == self.path:
            # Bounds first: most paths on a page are too small to be rules (glyph parts,
            # marks) or thin enough to be one as they are (a stroke, a fraction bar).
            if not fast.bounds(obj, self.pl, self.pb, self.pr, self.pt):
                return
            x0, y0, x1, y1 = self.l.value, self.b.value, self.r.value, self.t.value
            if x1 - x0 < MIN_LENGTH and y1 - y0 < MIN_LENGTH:
                return
            if x1 - x0 < MIN_SPAN and y1 - y0 < MIN_SPAN and x1 - x0 > THIN and y1 - y0 > THIN:
                return  # a small shape (a glyph drawn as a path, a symbol in a figure)
            if depth == 0 and (y1 - y0 <= THIN or x1 - x0 <= THIN):
                _rectangle([(x0, y0, 0, False), (x1, y1, 0, False)], rules)
                return
            self.path_rules(obj, _compose(self.matrix(obj), outer), rules)
        elif kind == self.form and depth < MAX_DEPTH:
            matrix = _compose(self.matrix(obj), outer)
            for j in range(min(fast.form_count(obj), MAX_OBJECTS)):
                self.collect(fast.form_object(obj, j), matrix, rules, depth + 1)

    def matrix(self, obj: Any) -> tuple[float, ...]:
        m = self.m
        if not self.fast.object_matrix(obj, self.pm):
            return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def path_rules(self, obj: Any, m: tuple[float, ...], rules: list[Rule]) -> None:
        fast = self.fast
        count = fast.segments(obj)
        if count <= 0 or count > MAX_SEGMENTS:
            return
        a, b, c, d, e, f = m
        x, y, px, py = self.x, self.y, self.px, self.py
        points: list[tuple[float, float, int, bool]] = []
        for k in range(count):
            address = fast.segment(obj, k)
            if not address:
                return
            seg = ctypes.c_void_p(address)
            if not fast.segment_point(seg, px, py):
                return
            sx, sy = x.value, y.value
            points.append(
                (
                    a * sx + c * sy + e,
                    b * sx + d * sy + f,
                    fast.segment_type(seg),
                    bool(fast.segment_close(seg)),
                )
            )
        if _is_rectangle(points):
            _rectangle(points, rules)
            return
        start = prev = None
        for sx, sy, kind, close in points:
            if kind == self.moveto or prev is None:
                start = prev = (sx, sy)
                continue
            if kind == self.lineto:
                _segment(prev[0], prev[1], sx, sy, rules)
                if close and start is not None:
                    _segment(sx, sy, start[0], start[1], rules)
            prev = (sx, sy)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """inner then outer (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _is_rectangle(points: list[tuple[float, float, int, bool]]) -> bool:
    if len(points) not in (4, 5):
        return False
    xs = {round(p[0], 1) for p in points}
    ys = {round(p[1], 1) for p in points}
    return len(xs) == 2 and len(ys) == 2


def _rectangle(points: list[tuple[float, float, int, bool]], rules: list[Rule]) -> None:
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
    if y1 - y0 <= THIN and x1 - x0 >= MIN_LENGTH:
        rules.append(Rule(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
    elif x1 - x0 <= THIN and y1 - y0 >= MIN_LENGTH:
        rules.append(Rule((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
    elif x1 - x0 >= MIN_LENGTH and y1 - y0 >= MIN_LENGTH:
        rules += [
            Rule(x0, y0, x1, y0),
            Rule(x0, y1, x1, y1),
            Rule(x0, y0, x0, y1),
            Rule(x1, y0, x1, y1),
        ]


def _segment(x0: float, y0: float, x1: float, y1: float, rules: list[Rule]) -> None:
    if abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= MIN_LENGTH:
        y = (y0 + y1) / 2
        rules.append(Rule(min(x0, x1), y, max(x0, x1), y))
    elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= MIN_LENGTH:
        x = (x0 + x1) / 2
        rules.append(Rule(x, min(y0, y1), x, max(y0, y1)))


def _dedupe(rules: list[Rule]) -> list[Rule]:
    seen: set[tuple[int, int, int, int]] = set()
    out: list[Rule] = []
    for rule in rules:
        key = (round(rule.x0), round(rule.y0), round(rule.x1), round(rule.y1))
        if key not in seen:
            seen.add(key)
            out.append(rule)
    return out


def has_images(page: Any, raw: Any) -> bool:
    try:
        for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
            return True
    except Exception:
        return False
    return False
