"""Normalization: the first stage, so every later stage reads clean, stable text.

Per element: Unicode repair and folding, whitespace, line-break hyphenation (normalize_text);
then bulleted or numbered lines in paragraphs become list_item elements (normalize_lists).
Elements left empty are dropped. Deterministic and idempotent: a second run changes nothing.
Repaired mojibake is flagged on the document (`mojibake_fixed`, value = elements repaired).
"""

from __future__ import annotations

from ...config import Config
from ...flags import make_flag
from ...models import Element
from ..base import DocWork
from .lists import split_list_items
from .text import Mode, TextOptions, normalize_text

__all__ = ["Normalize", "normalize_elements", "normalize_text"]

_CODE_TYPES = frozenset({"code", "formula"})
_TABLE_TYPES = frozenset({"table"})
_MAX_ROUNDS = 4


def _mode(el: Element) -> Mode:
    if el.type in _CODE_TYPES:
        return "code"
    return "table" if el.type in _TABLE_TYPES else "prose"


def normalize_elements(
    elements: list[Element], options: TextOptions, *, list_items: bool = True
) -> tuple[list[Element], int]:
    """Normalized elements (empty ones dropped) and how many had mojibake repaired."""
    out: list[Element] = []
    repaired = 0
    headings: dict[str, str] = {}  # every element repeats its heading path: normalize each once
    for el in elements:
        if el.heading_path:
            for h in el.heading_path:
                if h not in headings:
                    headings[h] = normalize_text(h, "prose", options).text
            el.heading_path = [headings[h] for h in el.heading_path if headings[h]]
        pieces, fixed = _settle(el, options, list_items)
        repaired += fixed
        out.extend(pieces)
    return out, repaired


def _settle(
    el: Element, options: TextOptions, list_items: bool, depth: int = 0
) -> tuple[list[Element], bool]:
    """Normalize, split into list items, and repeat on the pieces until nothing changes.

    Joining a wrapped item's lines can bring together characters that a rule reacts to, so the
    pieces go through the rules again: what comes out is stable under a second run.
    """
    result = normalize_text(el.text, _mode(el), options)
    if not result.text:
        return [], result.mojibake_fixed
    el.text = result.text
    if result.mojibake_fixed:
        el.metadata["mojibake_fixed"] = True
    if not list_items:
        return [el], result.mojibake_fixed
    pieces = split_list_items(el)
    settled = len(pieces) == 1 and (pieces[0].type, pieces[0].text) == (el.type, el.text)
    if settled or depth >= _MAX_ROUNDS:
        return pieces, result.mojibake_fixed
    out: list[Element] = []
    for piece in pieces:
        more, _ = _settle(piece, options, list_items, depth + 1)
        out.extend(more)
    return out, result.mojibake_fixed


class Normalize:
    name = "normalize"

    def __init__(self, config: Config) -> None:
        self.config = config
        cfg = config.normalize
        self.options = TextOptions(
            fix_mojibake=cfg.fix_mojibake,
            ascii_punctuation=cfg.ascii_punctuation,
            join_hyphenation=cfg.join_hyphenation,
        )

    def __call__(self, work: DocWork) -> None:
        doc = work.document
        doc.elements, repaired = normalize_elements(
            doc.elements, self.options, list_items=self.config.normalize.list_items
        )
        if repaired:
            doc.flags = [f for f in doc.flags if f.code != "mojibake_fixed"]
            doc.flags.append(make_flag("mojibake_fixed", repaired))
