"""Tagged PDF: heading roles from the structure tree, the author's own markup inside the file.

A tagged PDF (`/MarkInfo /Marked true`) carries a structure tree whose elements have roles
(`H1`..`H6`, `H`, `Title`, `P`, ...; custom roles map to standard ones through `/RoleMap`, which
pdfium applies) and point at marked content on the pages by id (MCID). Text objects carry the
MCID of the marked-content sequence they were drawn in, so a line's role is the role of the
element owning its first character's text object.

Only files that declare themselves tagged are read this way, one page at a time, and only the
heading roles are kept.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any

HEADING_ROLE = re.compile(r"^(?:H[1-6]?|Title)$")
MAX_ELEMENTS = 20000  # per page: a runaway tree is not worth walking
MAX_DEPTH = 64


def is_tagged(pdf: Any, raw: Any) -> bool:
    try:
        return bool(raw.FPDFCatalog_IsTagged(pdf))
    except Exception:
        return False


def page_roles(page: Any, raw: Any) -> dict[int, str]:
    """MCID -> heading role ("H1".."H6", "H", "Title") for the marked content of one page."""
    roles: dict[int, str] = {}
    tree = raw.FPDF_StructTree_GetForPage(page)
    if not tree:
        return roles
    try:
        budget = [MAX_ELEMENTS]
        for i in range(raw.FPDF_StructTree_CountChildren(tree)):
            _walk(raw.FPDF_StructTree_GetChildAtIndex(tree, i), raw, None, roles, budget, 0)
    except Exception:
        return roles
    finally:
        raw.FPDF_StructTree_Close(tree)
    return roles


def _walk(
    element: Any, raw: Any, role: str | None, roles: dict[int, str], budget: list[int], depth: int
) -> None:
    if not element or budget[0] <= 0 or depth > MAX_DEPTH:
        return
    budget[0] -= 1
    own = _type(element, raw)
    if HEADING_ROLE.match(own):
        role = own
    if role is not None:
        for k in range(raw.FPDF_StructElement_GetMarkedContentIdCount(element)):
            mcid = raw.FPDF_StructElement_GetMarkedContentIdAtIndex(element, k)
            if mcid >= 0:
                roles[mcid] = role
    for i in range(raw.FPDF_StructElement_CountChildren(element)):
        child = raw.FPDF_StructElement_GetChildAtIndex(element, i)
        _walk(child, raw, role, roles, budget, depth + 1)


def _type(element: Any, raw: Any) -> str:
    size = raw.FPDF_StructElement_GetType(element, None, 0)
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    raw.FPDF_StructElement_GetType(element, buf, size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace")


def char_mcid(textpage: Any, index: int, raw: Any) -> int:
    """The marked-content id of the text object drawing character `index`; -1 when none."""
    obj = raw.FPDFText_GetTextObject(textpage, index)
    if not obj:
        return -1
    return int(raw.FPDFPageObj_GetMarkedContentID(obj))
