"""One page image through the engine: blank check, orientation, detection, recognition in slices.

A page scanned sideways or upside down is turned upright as a whole: detection finds mostly
tall boxes on a sideways page, and recognition reads an upside-down page with low confidence,
which the same lines turned half a turn do not have. Lines are recognised in slices so a page
can stop at its deadline and keep what it read (`OcrPage.timed_out`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .engine import Engine

# Recognised lines per slice between two deadline checks.
_SLICE = 24
# Lines recognised both ways up to decide whether a page is upside down, and the confidence
# above which the upright reading is trusted without that check.
_ORIENTATION_SAMPLE = 8
_UPRIGHT_CONFIDENCE = 0.85
# Lines recognised with less confidence are dropped (rapidocr's own default threshold), and so
# are one- or two-character lines under the second one: in photos, edges read as a letter.
_MIN_CONFIDENCE = 0.5
_MIN_SHORT_CONFIDENCE = 0.8
# A rendered page whose pixels barely vary carries no ink worth reading.
_BLANK_STDDEV = 2.0


@dataclass(slots=True)
class TextBox:
    """One detected text line: its corners in the upright page image, its text and confidence."""

    points: Any  # 4 x 2 float array: top-left, top-right, bottom-right, bottom-left (pixels)
    text: str
    confidence: float


@dataclass(slots=True)
class OcrPage:
    width: int  # of the upright image, pixels
    height: int
    boxes: list[TextBox] = field(default_factory=list)
    rotation: int = 0  # degrees (clockwise) the image was turned to be upright
    timed_out: bool = False
    seconds: float = 0.0

    @property
    def confidence(self) -> float | None:
        """Mean confidence over the page's characters (None when nothing was read)."""
        chars = sum(len(b.text) for b in self.boxes)
        if not chars:
            return None
        return sum(b.confidence * len(b.text) for b in self.boxes) / chars


def read_page(image: Any, engine: Engine, deadline: float) -> OcrPage:
    """Recognise the text of a BGR page image; stops recognising at `deadline` (monotonic)."""
    started = time.monotonic()
    rotation = 0
    quads = _as_arrays(engine.detect(image))
    if _mostly_tall(quads):
        image = _rotate(image, 90)
        rotation = 90
        quads = _as_arrays(engine.detect(image))
    crops = [_crop(image, quad) for quad in quads]
    sample = _sample(crops)
    upright = engine.recognize([crops[i] for i in sample])
    if sample and _mean(upright) < _UPRIGHT_CONFIDENCE:
        turned = engine.recognize([_rotate(crops[i], 180) for i in sample])
        if _mean(turned) > _mean(upright) + 0.1:
            image = _rotate(image, 180)
            rotation = (rotation + 180) % 360
            quads = _as_arrays(engine.detect(image))
            crops = [_crop(image, quad) for quad in quads]
            sample, upright = [], []
    read: dict[int, tuple[str, float]] = dict(zip(sample, upright, strict=True))
    todo = [i for i in range(len(crops)) if i not in read]
    # Similar widths in one slice: the recognizer pads each batch to its widest line.
    todo.sort(key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
    timed_out = False
    for start in range(0, len(todo), _SLICE):
        if time.monotonic() > deadline:
            timed_out = True
            break
        part = todo[start : start + _SLICE]
        read.update(zip(part, engine.recognize([crops[i] for i in part]), strict=True))
    page = OcrPage(
        width=image.shape[1], height=image.shape[0], rotation=rotation, timed_out=timed_out
    )
    for i, quad in enumerate(quads):
        if i not in read:
            continue
        text, confidence = " ".join(read[i][0].split()), read[i][1]
        short = len(text.replace(" ", "")) <= 2
        if text and confidence >= (_MIN_SHORT_CONFIDENCE if short else _MIN_CONFIDENCE):
            page.boxes.append(TextBox(quad, text, confidence))
    page.seconds = time.monotonic() - started
    return page


def is_blank(image: Any) -> bool:
    """No ink worth reading: the pixels (sampled on a grid) barely vary."""
    import numpy as np

    height, width = image.shape[:2]
    grid = image[:: max(1, height // 512), :: max(1, width // 512)]
    return float(np.asarray(grid).std()) < _BLANK_STDDEV


def _as_arrays(quads: Any) -> list[Any]:
    import numpy as np

    return [np.asarray(q, dtype=np.float32) for q in quads]


def _mostly_tall(quads: list[Any]) -> bool:
    """Most of the detected text area sits in boxes much taller than wide: a sideways page."""
    import numpy as np

    tall = wide = 0.0
    for quad in quads:
        w = float(np.linalg.norm(quad[1] - quad[0]))
        h = float(np.linalg.norm(quad[3] - quad[0]))
        if h > 1.5 * w:
            tall += w * h
        else:
            wide += w * h
    return len(quads) >= 3 and tall > 2 * wide


def _crop(image: Any, quad: Any) -> Any:
    from rapidocr.utils.process_img import get_rotate_crop_image

    return get_rotate_crop_image(image, quad.copy())


def _rotate(image: Any, degrees: int) -> Any:
    import cv2

    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[degrees])


def _sample(crops: list[Any]) -> list[int]:
    """Indexes of the widest lines: they carry the most evidence about orientation."""
    order = sorted(range(len(crops)), key=lambda i: -crops[i].shape[1])
    return sorted(order[:_ORIENTATION_SAMPLE])


def _mean(results: list[tuple[str, float]]) -> float:
    chars = sum(len(t) for t, _ in results)
    if not chars:
        return 0.0
    return sum(len(t) * s for t, s in results) / chars
