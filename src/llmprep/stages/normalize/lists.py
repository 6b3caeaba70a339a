"""Bullets and numbering inside paragraph text become list_item elements.

PDF and plain-text loaders often hand over a list as one paragraph ("Bring:\\n• a pen\\n• paper").
Bullet glyphs carry no meaning and are dropped; numbers ("1.", "b)", "(iv)") are meaning and
stay at the start of the item's text. Dashes, asterisks and numbers also start ordinary lines
("- 5 degrees", "2019. That year..."), so they make a list only when at least two lines use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...models import Element

BULLETS = "•◦▪▫‣⁃●○■□◆◇❖➢➤►▶▸▹✓✔✗✘☐☑☒∙·"
_WEAK = "-–—*+"
_MARKER = re.compile(
    rf"^(?:(?P<bullet>[{re.escape(BULLETS)}])|(?P<weak>[{re.escape(_WEAK)}])"
    r"|(?P<number>\d{1,3}(?:\.\d{1,3})*[.)]|\(\d{1,3}\)|[a-z][.)]|\([a-z]\)|(?:[ivx]{1,5})[.)]|\([ivx]{1,5}\)))"
    r" +(?P<body>\S.*)$"
)


@dataclass
class _Piece:
    kind: str  # "paragraph" | "bullet" | "ordered"
    lines: list[str]
    marker: str | None = None


def split_list_items(el: Element) -> list[Element]:
    """The element itself, or the paragraphs and list items its lines amount to."""
    if el.type == "list_item":
        return _clean_item(el)
    if el.type != "paragraph" or ("\n" not in el.text and not _strong_marker(el.text)):
        return [el]
    lines = el.text.split("\n")
    marks = [_MARKER.match(line) for line in lines]
    strong = sum(1 for m in marks if m and m["bullet"])
    other = sum(1 for m in marks if m and not m["bullet"])
    if not strong and other < 2:
        return [el]
    pieces = _pieces(lines, marks)
    return [_element(el, piece) for piece in pieces]


def _strong_marker(text: str) -> bool:
    m = _MARKER.match(text)
    return bool(m and m["bullet"])


def _pieces(lines: list[str], marks: list[re.Match[str] | None]) -> list[_Piece]:
    pieces: list[_Piece] = []
    current: _Piece | None = None
    for line, mark in zip(lines, marks, strict=True):
        if not line:
            current = None  # a blank line ends an item or a paragraph
        elif mark:
            number = mark["number"]
            current = _Piece("ordered" if number else "bullet", [mark["body"]], number)
            pieces.append(current)
        elif current is None:
            current = _Piece("paragraph", [line])
            pieces.append(current)
        else:
            current.lines.append(line)
    return pieces


def _element(source: Element, piece: _Piece) -> Element:
    if piece.kind == "paragraph":
        return source.model_copy(update={"text": "\n".join(piece.lines)}, deep=True)
    # A wrapped item's continuation lines belong to its one sentence.
    body = _strip_bullets(" ".join(piece.lines))
    text = f"{piece.marker} {body}" if piece.marker else body
    metadata = {**source.metadata, "list": piece.kind}
    return source.model_copy(
        update={"type": "list_item", "text": text, "metadata": metadata}, deep=True
    )


def _clean_item(el: Element) -> list[Element]:
    """A loader's list item: drop a leading bullet glyph or dash; split several bulleted lines."""
    lines = el.text.split("\n")
    marks = [_MARKER.match(line) for line in lines]
    if sum(1 for m in marks if m) >= 2:
        return [_element(el, piece) for piece in _pieces(lines, marks)]
    first = marks[0]
    if first and not first["number"]:
        text = "\n".join([_strip_bullets(first["body"]), *lines[1:]])
        metadata = {**el.metadata, "list": "bullet"}
        return [el.model_copy(update={"text": text, "metadata": metadata}, deep=True)]
    return [el]


def _strip_bullets(text: str) -> str:
    """ "• • x" and "- • x" are one bullet: every leading glyph goes, so a second pass finds none."""
    while (m := _MARKER.match(text)) and not m["number"]:
        text = m["body"]
    return text
