"""Form fields and annotations: text a reader sees on the page that is not in its content stream.

AcroForm values live in widget annotations; pdfium reads them once the form environment is
initialised. Each filled field becomes "name: value", the name being the field's tooltip
(`/TU`, written for people) or else the last part of its field name without array indices.
Text, combo and list fields give their value; a ticked check box gives "Yes" (or its export
value when that says more); a radio group gives the export value of its chosen button. Empty
fields and unticked boxes give nothing: a blank form has no values to report.

Free-text annotations (text boxes drawn on the page) give their contents. Sticky notes and
comments on highlights are reviewers' remarks, not page text, and are left out, as DOCX
comments are by default.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from typing import Any

from .pdfium_calls import calls

_INDEX = re.compile(r"\[\d+\]")
_GENERIC_ON = frozenset({"yes", "on", "1", "true", "x", "checked", "ja", "oui", "si", "sí"})


def page_annotations(pdf: Any, page: Any, raw: Any, forms: bool) -> tuple[list[str], list[str]]:
    """("name: value" of filled fields, contents of text annotations) of one page."""
    values: list[str] = []
    notes: list[str] = []
    handle = pdf.formenv if forms else None
    widget, free_text = raw.FPDF_ANNOT_WIDGET, raw.FPDF_ANNOT_FREETEXT
    fast = calls(raw)
    count = fast.annot_count(page)
    if count <= _links(page, fast, count):
        return values, notes  # only links: nothing to read (and opening each one costs)
    for i in range(count):
        address = fast.get_annot(page, i)
        if not address:
            continue
        annot = ctypes.c_void_p(address)
        try:
            subtype = fast.annot_subtype(annot)
            if subtype not in (widget, free_text):
                continue
            handle_annot = ctypes.cast(annot, raw.FPDF_ANNOTATION)
            if subtype == widget:
                if handle is not None:
                    value = _field(handle, handle_annot, raw)
                    if value and value not in values:
                        values.append(value)
            else:
                text = " ".join(_annot_string(handle_annot, raw, b"Contents").split())
                if text and text not in notes:
                    notes.append(text)
        except Exception:  # one odd annotation does not cost the page its others
            continue
        finally:
            fast.close_annot(annot)
    return values, notes


def _links(page: Any, fast: Any, most: int) -> int:
    """How many link annotations the page has (counting stops past `most`)."""
    position = ctypes.c_int(0)
    link = ctypes.c_void_p()
    pposition, plink = ctypes.byref(position), ctypes.byref(link)
    found = 0
    while found <= most and fast.next_link(page, pposition, plink):
        found += 1
    return found


def _field(handle: Any, annot: Any, raw: Any) -> str | None:
    kind = raw.FPDFAnnot_GetFormFieldType(handle, annot)
    if kind in (raw.FPDF_FORMFIELD_PUSHBUTTON, raw.FPDF_FORMFIELD_SIGNATURE, -1):
        return None
    if kind in (raw.FPDF_FORMFIELD_CHECKBOX, raw.FPDF_FORMFIELD_RADIOBUTTON):
        if not raw.FPDFAnnot_IsChecked(handle, annot):
            return None
        export = _form_string(raw.FPDFAnnot_GetFormFieldExportValue, handle, annot).strip()
        if kind == raw.FPDF_FORMFIELD_CHECKBOX and (not export or export.lower() in _GENERIC_ON):
            value = "Yes"
        else:
            value = export or "Yes"
    else:
        value = " ".join(_form_string(raw.FPDFAnnot_GetFormFieldValue, handle, annot).split())
    if not value:
        return None
    name = " ".join(_form_string(raw.FPDFAnnot_GetFormFieldAlternateName, handle, annot).split())
    if not name:
        full = _form_string(raw.FPDFAnnot_GetFormFieldName, handle, annot)
        name = " ".join(_INDEX.sub("", full.rsplit(".", 1)[-1]).replace("_", " ").split())
    return f"{name}: {value}" if name else value


def _form_string(function: Callable[..., int], handle: Any, annot: Any) -> str:
    return _wide(lambda buf, n: function(handle, annot, buf, n))


def _annot_string(annot: Any, raw: Any, key: bytes) -> str:
    return _wide(lambda buf, n: raw.FPDFAnnot_GetStringValue(annot, key, buf, n))


def _wide(call: Callable[[Any, int], int]) -> str:
    """A UTF-16 string through pdfium's two-call buffer protocol (size in bytes, NUL included)."""
    import pypdfium2.raw as raw

    size = call(None, 0)
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    call(ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace")
