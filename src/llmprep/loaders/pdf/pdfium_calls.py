"""pdfium functions called without ctypes argument conversion, for the loops that run per line.

pypdfium2's bindings declare `argtypes`, and converting arguments costs more than the C call
itself (~2.5x measured here). These wrappers use the same function pointers with arguments
passed in exactly the C types: ints, doubles, `byref` pointers, and handles as `c_void_p`
(pointers returned as Python ints must be wrapped again before they are passed back).
"""

from __future__ import annotations

import ctypes
from typing import Any


def unchecked(function: Any, restype: Any) -> Any:
    address = ctypes.cast(function, ctypes.c_void_p).value
    fast: Any = ctypes.CFUNCTYPE(restype)(address)  # type: ignore[arg-type]
    fast.argtypes = None
    return fast


class Calls:
    def __init__(self, raw: Any) -> None:
        c_int, c_double, c_ulong = ctypes.c_int, ctypes.c_double, ctypes.c_ulong
        pointer = ctypes.c_void_p
        self.origin = unchecked(raw.FPDFText_GetCharOrigin, c_int)
        self.charbox = unchecked(raw.FPDFText_GetCharBox, c_int)
        self.fontsize = unchecked(raw.FPDFText_GetFontSize, c_double)
        self.matrix = unchecked(raw.FPDFText_GetMatrix, c_int)
        self.fontinfo = unchecked(raw.FPDFText_GetFontInfo, c_ulong)
        self.weight = unchecked(raw.FPDFText_GetFontWeight, c_int)
        self.to_char = unchecked(raw.FPDFText_GetCharIndexFromTextIndex, c_int)
        self.unmapped = unchecked(raw.FPDFText_HasUnicodeMapError, c_int)
        self.count = unchecked(raw.FPDFText_CountChars, c_int)
        self.count_rects = unchecked(raw.FPDFText_CountRects, c_int)
        self.get_rect = unchecked(raw.FPDFText_GetRect, c_int)
        self.annot_count = unchecked(raw.FPDFPage_GetAnnotCount, c_int)
        self.get_annot = unchecked(raw.FPDFPage_GetAnnot, pointer)
        self.annot_subtype = unchecked(raw.FPDFAnnot_GetSubtype, c_int)
        self.close_annot = unchecked(raw.FPDFPage_CloseAnnot, None)
        self.next_link = unchecked(raw.FPDFLink_Enumerate, c_int)
        self.count_objects = unchecked(raw.FPDFPage_CountObjects, c_int)
        self.get_object = unchecked(raw.FPDFPage_GetObject, pointer)
        # Called once per page object: the handle comes in as a Python int, and a declared
        # pointer argument converts it faster than wrapping it in c_void_p by hand.
        self.object_type = unchecked(raw.FPDFPageObj_GetType, c_int)
        self.object_type.argtypes = [pointer]
        self.object_matrix = unchecked(raw.FPDFPageObj_GetMatrix, c_int)
        self.bounds = unchecked(raw.FPDFPageObj_GetBounds, c_int)
        self.form_count = unchecked(raw.FPDFFormObj_CountObjects, c_int)
        self.form_object = unchecked(raw.FPDFFormObj_GetObject, pointer)
        self.segments = unchecked(raw.FPDFPath_CountSegments, c_int)
        self.segment = unchecked(raw.FPDFPath_GetPathSegment, pointer)
        self.segment_point = unchecked(raw.FPDFPathSegment_GetPoint, c_int)
        self.segment_type = unchecked(raw.FPDFPathSegment_GetType, c_int)
        self.segment_close = unchecked(raw.FPDFPathSegment_GetClose, c_int)


_CALLS: Calls | None = None


def calls(raw: Any) -> Calls:
    global _CALLS
    if _CALLS is None:
        _CALLS = Calls(raw)
    return _CALLS
