"""Text normalization: Unicode and whitespace cleanup applied to every element."""

from __future__ import annotations

import re
import unicodedata

from ..config import Config
from .base import DocWork

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


class Normalize:
    name = "normalize"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        kept = []
        for el in work.document.elements:
            el.text = normalize_text(el.text)
            if el.text:
                kept.append(el)
        work.document.elements = kept
