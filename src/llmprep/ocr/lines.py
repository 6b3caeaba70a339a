"""From recognised boxes to positioned lines in reading order, the way the PDF loader sees text.

The result is a list of the PDF loader's `Line`s in points with y growing upwards, one per
detected box, so the loader's own layout analysis (segments joined into lines, paragraphs, list
items, headings by size, running headers and footers) runs on OCR'd pages as on native ones.

- **Skew**: box coordinates are turned back by the page's median text angle, so the lines of a
  page scanned 1-2 degrees askew share baselines again.
- **Reading order**: a recursive cut, top to bottom into bands at horizontal gaps, then left to
  right into columns at vertical gutters, but only where both sides look like running text
  (several lines, a dozen characters wide, lines filling their column). Table columns fail that
  test, so a table is read row by row, as a PDF text layer reads it.
- **Size**: a box's height is the text's height plus the detector's margin; heights are grouped
  per page (cut at gaps of 8%) so that lines of one font share one size, as in a text layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..loaders.pdf.model import Line
from .page import OcrPage

# Font size (points) per box height (points): measured on rendered pages of known type size
# (Helvetica, Times, Courier, 8-24 pt) at 150-300 dpi.
_SIZE_PER_HEIGHT = 0.85
# The baseline sits this share of the box height above the box's bottom edge.
_BASELINE = 0.27
# Characters that reach below the baseline, and how much taller a box is with them.
_DESCENDERS = frozenset("gjpqyQ,;()[]{}|@$§µ/ąęįųçşţ")
_NO_DESCENDER = 1.13
# Sorted box heights more than this ratio apart belong to different font sizes.
_STEP = 1.08


@dataclass(slots=True)
class _Box:
    x0: float
    y0: float  # top (pixels, y down)
    x1: float
    y1: float
    text: str
    confidence: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


def page_lines(page: OcrPage, scale: float) -> tuple[list[Line], list[float]]:
    """Lines in reading order (points, y up) and the confidence of each; `scale` = pixels per point."""
    boxes = _deskewed(page)
    if not boxes:
        return [], []
    ordered = [box for region in _regions(boxes) for box in _rows(region)]
    sizes = _sizes([_text_height(b) for b in ordered])
    height_pt = page.height / scale
    lines: list[Line] = []
    for box, size_px in zip(ordered, sizes, strict=True):
        base = height_pt - (box.y1 - _BASELINE * box.height) / scale
        lines.append(
            Line(
                text=box.text,
                x0=box.x0 / scale,
                x1=box.x1 / scale,
                base=base,
                base_end=base,
                size=round(size_px * _SIZE_PER_HEIGHT / scale, 1),
            )
        )
    return lines, [b.confidence for b in ordered]


def _text_height(box: _Box) -> float:
    """The box height a line of this size would have with descenders.

    A line without any (a heading such as "Termination", a number) gets a box about an eighth
    shorter than a line of the same type size that has them: measured on rendered pages.
    """
    if any(ch in _DESCENDERS for ch in box.text):
        return box.height
    return box.height * _NO_DESCENDER


def _deskewed(page: OcrPage) -> list[_Box]:
    """Axis-aligned boxes after turning the page back by its median text angle."""
    angles = []
    for b in page.boxes:
        (x0, y0), (x1, y1) = b.points[0], b.points[1]
        if x1 - x0 > 4 * abs(b.points[3][1] - y0):  # long enough to show an angle
            angles.append(math.atan2(float(y1 - y0), float(x1 - x0)))
    angle = sorted(angles)[len(angles) // 2] if len(angles) >= 3 else 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)
    cx, cy = page.width / 2, page.height / 2
    boxes = []
    for b in page.boxes:
        xs, ys = [], []
        for x, y in b.points:
            dx, dy = float(x) - cx, float(y) - cy
            xs.append(cx + dx * cos - dy * sin)
            ys.append(cy + dx * sin + dy * cos)
        boxes.append(_Box(min(xs), min(ys), max(xs), max(ys), b.text, b.confidence))
    return boxes


def _regions(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes grouped into regions in reading order.

    Columns first: a gutter running through the whole region between blocks of running text
    splits it left to right. Otherwise bands: a horizontal gap wider than line spacing splits
    it top to bottom, and each band is looked at again (a full-width title above two columns
    is a band of its own, then the columns split).
    """
    columns = _split(boxes, vertical=True)
    if len(columns) > 1 and all(_running_text(c) for c in columns):
        return [region for column in columns for region in _regions(column)]
    bands = _split(boxes, vertical=False)
    if len(bands) > 1:
        return [region for band in bands for region in _regions(band)]
    return [boxes]


def _split(boxes: list[_Box], *, vertical: bool) -> list[list[_Box]]:
    """Boxes split at gaps in their projection on x (vertical cuts) or y (horizontal cuts).

    A vertical cut needs a gutter of one line height; a horizontal one a gap of more than
    the usual space between two lines of a paragraph.
    """
    em = sorted(b.height for b in boxes)[len(boxes) // 2]
    if vertical:
        spans = sorted(((b.x0, b.x1), i) for i, b in enumerate(boxes))
    else:
        spans = sorted(((b.y0, b.y1), i) for i, b in enumerate(boxes))
    min_gap = (1.0 if vertical else 0.6) * em
    groups: list[list[_Box]] = []
    end = -math.inf
    for (lo, hi), i in spans:
        if not groups or lo - end > min_gap:
            groups.append([])
        groups[-1].append(boxes[i])
        end = max(end, hi)
    return groups


def _running_text(column: list[_Box]) -> bool:
    """Several lines, each side wide enough for prose, lines mostly filling the column."""
    rows = _rows_of(column)
    if len(rows) < 3:
        return False
    em = sorted(b.height for b in column)[len(column) // 2]
    left = min(b.x0 for b in column)
    width = max(b.x1 for b in column) - left
    if width < 10 * em:
        return False
    fills = sorted((max(b.x1 for b in row) - min(b.x0 for b in row)) / width for row in rows)
    return fills[len(fills) // 2] >= 0.6


def _rows_of(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes sharing a line (their vertical middles within half a box height), top to bottom."""
    rows: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        if rows and abs(box.middle - rows[-1][0].middle) < 0.5 * min(
            box.height, rows[-1][0].height
        ):
            rows[-1].append(box)
        else:
            rows.append([box])
    return rows


def _rows(region: list[_Box]) -> list[_Box]:
    """A region's boxes row by row, left to right within a row."""
    return [box for row in _rows_of(region) for box in sorted(row, key=lambda b: b.x0)]


def _sizes(heights: list[float]) -> list[float]:
    """Each height replaced by the median of its group on the page.

    Sorted heights are cut where one is more than `_STEP` above the previous one: one font's
    lines vary by a few pixels each (ascenders, descenders, the detector's margin), while two
    font sizes leave a gap.
    """
    order = sorted(range(len(heights)), key=heights.__getitem__)
    result = [0.0] * len(heights)
    group: list[int] = []

    def close() -> None:
        median = heights[group[len(group) // 2]]
        for i in group:
            result[i] = median

    for i in order:
        if group and heights[i] > heights[group[-1]] * _STEP:
            close()
            group = []
        group.append(i)
    if group:
        close()
    return result
