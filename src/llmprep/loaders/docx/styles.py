"""Paragraph roles from Word styles and numbering: title, heading level, list level.

Word marks structure in three places that all inherit: the paragraph's own properties, its style,
and the style's `basedOn` ancestors. Headings come from an outline level (the paragraph's, then
its styles'), the style name (Title, Heading 1-9 and numbered variants such as "Heading 2
Numbered"), or a numbering level linked to a heading style (multilevel chapter numbering put on
a plain paragraph); a style inherits its base style's heading level. List items come from
numbering properties (`numPr`) that point into numbering.xml (`numbering.py`), which also gives
an ordered item the number Word shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .numbering import Numbering

if TYPE_CHECKING:
    from lxml import etree

# "Heading 2", and the numbered or house variants of it: "Heading 2 Numbered", "Numbered
# Heading 2", "Appendix Heading 2". A heading level is one digit standing alone after the word.
_HEADING_NAME = re.compile(r"^(?:[\w-]+\s+)?heading\s*([1-9])(?:\s+[\w-]+)?$")
_LIST_NAME = re.compile(r"^list\s*(?:bullet|number)\s*([1-9])?$")
_MAX_CHAIN = 32  # basedOn chains are short; a cycle must not loop forever


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None  # 0-9 as written (9 = body text)
    num_id: str | None
    ilvl: int | None


@dataclass(frozen=True)
class Role:
    """What a paragraph is: its element type and level (heading or list nesting)."""

    type: str  # "title" | "heading" | "list_item" | "paragraph"
    level: int | None = None
    list_kind: str | None = None  # "bullet" | "ordered" for list items
    num_id: str | None = None  # the numbering instance of a list item (for its number)
    ilvl: int = 0


PARAGRAPH = Role("paragraph")


class Styles:
    """Resolves a paragraph's role from styles.xml and numbering.xml."""

    def __init__(
        self, w: str, styles_root: etree._Element | None, numbering_root: etree._Element | None
    ) -> None:
        self._w = w
        self._styles: dict[str, _Style] = {}
        self._default: str | None = None
        if styles_root is not None:
            self._read_styles(styles_root)
        self.numbering = Numbering(w, numbering_root)
        self._cache: dict[tuple[str | None, int | None, str | None, int | None], Role] = {}

    @classmethod
    def from_python_docx(cls, w: str, styles: Any, numbering_root: etree._Element | None) -> Styles:
        """Paragraph styles as python-docx reads them: UI names, base styles, properties."""
        from docx.enum.style import WD_STYLE_TYPE

        out = cls(w, None, numbering_root)
        for st in styles:
            if st.type != WD_STYLE_TYPE.PARAGRAPH or not st.style_id:
                continue
            element = st.element
            base = element.basedOn
            outline, num_id, ilvl = _ppr_facts(w, element.pPr)
            out._styles[st.style_id] = _Style(
                name=(st.name or st.style_id).strip().lower(),
                based_on=base.val if base is not None else None,
                outline=outline,
                num_id=num_id,
                ilvl=ilvl,
            )
            if element.default:
                out._default = st.style_id
        return out

    def _read_styles(self, root: etree._Element) -> None:
        w = self._w
        for st in root.iterchildren(f"{{{w}}}style"):
            if st.get(f"{{{w}}}type", "paragraph") != "paragraph":
                continue
            sid = st.get(f"{{{w}}}styleId")
            if not sid:
                continue
            name_el = st.find(f"{{{w}}}name")
            based = st.find(f"{{{w}}}basedOn")
            outline, num_id, ilvl = _ppr_facts(w, st.find(f"{{{w}}}pPr"))
            self._styles[sid] = _Style(
                name=(name_el.get(f"{{{w}}}val", "") if name_el is not None else sid)
                .strip()
                .lower(),
                based_on=based.get(f"{{{w}}}val") if based is not None else None,
                outline=outline,
                num_id=num_id,
                ilvl=ilvl,
            )
            if st.get(f"{{{w}}}default") in ("1", "true", "on"):
                self._default = sid

    def role(self, ppr: etree._Element | None) -> Role:
        """The role of a paragraph with properties `ppr` (its `w:pPr`, or None)."""
        w = self._w
        style_id: str | None = None
        if ppr is not None:
            ps = ppr.find(f"{{{w}}}pStyle")
            if ps is not None:
                style_id = ps.get(f"{{{w}}}val")
        outline, num_id, ilvl = _ppr_facts(w, ppr)
        key = (style_id, outline, num_id, ilvl)
        role = self._cache.get(key)
        if role is None:
            role = self._resolve(style_id or self._default, outline, num_id, ilvl)
            self._cache[key] = role
        return role

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(chain) < _MAX_CHAIN:
            seen.add(style_id)
            st = self._styles.get(style_id)
            if st is None:
                break
            chain.append(st)
            style_id = st.based_on
        return chain

    def _resolve(
        self, style_id: str | None, outline: int | None, num_id: str | None, ilvl: int | None
    ) -> Role:
        chain = self._chain(style_id)
        if chain and (chain[0].name == "title" or style_id == "Title"):
            return Role("title", 0)
        level = _heading_level(outline, chain)
        if level is not None:
            return Role("heading", level)
        linked = self._linked_heading(num_id, ilvl)
        if linked is not None:
            return Role("heading", linked)
        # Numbering: the paragraph's own numPr wins over its style's.
        if num_id is None:
            for st in chain:
                if st.num_id is not None:
                    num_id, ilvl = st.num_id, ilvl if ilvl is not None else st.ilvl
                    break
        if ilvl is None:
            ilvl = next((st.ilvl for st in chain if st.ilvl is not None), None)
        numbering = self.numbering
        if (
            num_id is not None
            and num_id != "0"
            and (numbering.has(num_id) or not numbering.present)
        ):
            found = numbering.level(num_id, ilvl or 0)
            kind = found.kind if found is not None else "bullet"
            counted = ilvl or 0
            if ilvl is None:
                # "List Bullet 2" style: Word gives each level its own numbering and no ilvl.
                m = _LIST_NAME.match(chain[0].name) if chain else None
                ilvl = int(m.group(1)) - 1 if m and m.group(1) else 0
            return Role("list_item", min(ilvl, 8) + 1, kind, num_id, counted)
        if num_id is None and chain:
            m = _LIST_NAME.match(chain[0].name)
            if m:
                kind = "ordered" if "number" in chain[0].name else "bullet"
                return Role("list_item", int(m.group(1) or 1), kind)
        return PARAGRAPH

    def _linked_heading(self, num_id: str | None, ilvl: int | None) -> int | None:
        """The heading level of the style a numbering level is linked to (chapter numbering)."""
        if num_id is None:
            return None
        level = self.numbering.level(num_id, ilvl or 0)
        if level is None or level.style is None:
            return None
        chain = self._chain(level.style)
        return _heading_level(None, chain) if chain else None


def _heading_level(outline: int | None, chain: list[_Style]) -> int | None:
    if outline is not None:
        return outline + 1 if outline < 9 else None
    for st in chain:
        m = _HEADING_NAME.match(st.name)
        if m:
            return int(m.group(1))
        if st.outline is not None:  # 9 means "body text": an explicit no, e.g. "TOC Heading"
            return st.outline + 1 if st.outline < 9 else None
    return None


def _ppr_facts(w: str, ppr: etree._Element | None) -> tuple[int | None, str | None, int | None]:
    """(outline level, numId, ilvl) written directly in a `w:pPr`."""
    if ppr is None:
        return None, None, None
    outline = _int(ppr.find(f"{{{w}}}outlineLvl"), w)
    num_pr = ppr.find(f"{{{w}}}numPr")
    if num_pr is None:
        return outline, None, None
    num = num_pr.find(f"{{{w}}}numId")
    num_id = num.get(f"{{{w}}}val") if num is not None else None
    return outline, num_id, _int(num_pr.find(f"{{{w}}}ilvl"), w)


def _int(node: etree._Element | None, w: str) -> int | None:
    if node is None:
        return None
    try:
        value = int(node.get(f"{{{w}}}val", ""))
    except ValueError:
        return None
    return value if 0 <= value <= 9 else None
