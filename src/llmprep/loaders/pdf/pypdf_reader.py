"""The fallback engine: pages through pypdf when pdfium cannot read a file or a page.

pypdf gives text lines without coordinates, so lines get synthetic positions: one line pitch
apart, an extra pitch at blank lines, and a width proportional to their length. That is enough
for the same paragraph and furniture rules to work.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Line, PageText

_SIZE = 10.0
_PITCH = 12.0
_CHAR_WIDTH = 5.0
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s")


class PypdfReader:
    def __init__(self, reader: Any) -> None:
        self.reader = reader

    def __len__(self) -> int:
        return len(self.reader.pages)

    def page(self, index: int) -> PageText:
        page = self.reader.pages[index]
        text = page.extract_text() or ""
        result = PageText(number=index + 1, geometry=False, engine="pypdf", bottom=0.0)
        y = 0.0
        lines: list[Line] = []
        for raw in text.splitlines():
            stripped = " ".join(raw.split())
            y -= _PITCH
            if not stripped:
                y -= _PITCH * 0.5
                continue
            lines.append(Line(stripped, 0.0, len(stripped) * _CHAR_WIDTH, y, y, _SIZE))
        # Shift so the page spans [0, top] like a real one.
        shift = -y + _PITCH
        for line in lines:
            line.base += shift
            line.base_end += shift
        result.top = shift
        result.lines = lines
        if not result.has_text:
            result.has_images = _has_images(page)
        return result


def _has_images(page: Any) -> bool:
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is not None:
            for ref in xobjects.get_object().values():
                if ref.get_object().get("/Subtype") in ("/Image", "/Form"):
                    return True
        contents = page.get_contents()
        return bool(contents is not None and _INLINE_IMAGE.search(contents.get_data()[: 1 << 20]))
    except Exception:
        return False
