"""Reading pages with pypdfium2: text segments with their position, font size and weight.

One page at a time, and every page and text page is closed before the next is opened, so memory
does not grow with the page count. Geometry costs a handful of C calls per text segment (not per
character), which keeps the loader close to the speed of pdfium's own text extraction.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from typing import Any

from .model import Line, PageText

_SEGMENT = re.compile(r"[^\r\n]+")
_WORDCHAR = re.compile(r"\w")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|cmbx|\bbx|,b\b|-b\b", re.IGNORECASE)
_FORCE_BOLD = 1 << 18
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNUSUAL = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\xa0-\u024f\u2000-\u206f\u20a0-\u20cf\ufffe]")
MAX_MAP_CHECKS = 64
_NAME_SIZE = 128
_TEXT_FIELD_TYPES = (4, 5, 6)  # combo box, list box, text field


class _Calls:
    """pdfium text functions called without ctypes argument conversion.

    pypdfium2's bindings declare `argtypes`, and converting arguments costs more than the C
    call itself (~2.5x measured here); these run several times per line on every page. The
    same function pointers are used, with arguments passed in exactly the C types.
    """

    def __init__(self, raw: Any) -> None:
        c_int, c_double, c_ulong = ctypes.c_int, ctypes.c_double, ctypes.c_ulong
        self.origin = _unchecked(raw.FPDFText_GetCharOrigin, c_int)
        self.charbox = _unchecked(raw.FPDFText_GetCharBox, c_int)
        self.fontsize = _unchecked(raw.FPDFText_GetFontSize, c_double)
        self.matrix = _unchecked(raw.FPDFText_GetMatrix, c_int)
        self.fontinfo = _unchecked(raw.FPDFText_GetFontInfo, c_ulong)
        self.weight = _unchecked(raw.FPDFText_GetFontWeight, c_int)
        self.to_char = _unchecked(raw.FPDFText_GetCharIndexFromTextIndex, c_int)
        self.unmapped = _unchecked(raw.FPDFText_HasUnicodeMapError, c_int)
        self.count = _unchecked(raw.FPDFText_CountChars, c_int)


def _unchecked(function: Any, restype: Any) -> Any:
    address = ctypes.cast(function, ctypes.c_void_p).value
    fast: Any = ctypes.CFUNCTYPE(restype)(address)  # type: ignore[arg-type]
    fast.argtypes = None
    return fast


_CALLS: _Calls | None = None


def _calls(raw: Any) -> _Calls:
    global _CALLS
    if _CALLS is None:
        _CALLS = _Calls(raw)
    return _CALLS


class PdfiumReader:
    """Pages of an open pypdfium2 document as `PageText`: text segments, images, form values."""

    def __init__(self, pdf: Any) -> None:
        import pypdfium2.raw as raw

        self.pdf = pdf
        self.raw = raw
        self.calls = _calls(raw)
        self._name_size = ctypes.c_ulong(_NAME_SIZE)
        self._x = ctypes.c_double()
        self._y = ctypes.c_double()
        self._box = [ctypes.c_double() for _ in range(4)]
        self._matrix = raw.FS_MATRIX()
        self._flags = ctypes.c_int()
        self._name = ctypes.create_string_buffer(_NAME_SIZE)
        # Reused pointer arguments: building byref() objects per call shows up in profiles.
        self._px, self._py = ctypes.byref(self._x), ctypes.byref(self._y)
        self._pbl, self._pbr, self._pbb, self._pbt = (ctypes.byref(b) for b in self._box)
        self._pm = ctypes.byref(self._matrix)
        self._pflags = ctypes.byref(self._flags)
        self._bold: dict[bytes, bool] = {}
        self._forms = False
        try:
            # Form field values live in widget annotations, not in the page's text.
            if raw.FPDF_GetFormType(pdf) != raw.FORMTYPE_NONE:
                pdf.init_forms()
                self._forms = pdf.formenv is not None
        except Exception:
            self._forms = False

    def __len__(self) -> int:
        return len(self.pdf)

    def page(self, index: int) -> PageText:
        """Read page `index` (0-based); the page is closed before returning."""
        page = self.pdf[index]
        try:
            left, bottom, right, top = page.get_bbox()
            rotation = page.get_rotation()
            result = PageText(
                number=index + 1, bottom=bottom, top=top, rotated=rotation in (90, 270)
            )
            textpage = page.get_textpage()
            try:
                result.lines, result.unmapped = self._segments(textpage, left, bottom, right, top)
            finally:
                textpage.close()
            if not result.has_text:
                result.has_images = self._has_images(page)
            if self._forms:
                result.form_values = self._form_values(page)
            return result
        finally:
            page.close()

    # -- text ---------------------------------------------------------------------------------

    def _segments(
        self, tp: Any, left: float, bottom: float, right: float, top: float
    ) -> tuple[list[Line], bool]:
        """Text segments (pdfium's lines) with geometry; second value: the page looks unmapped.

        This loop runs for every line of every page, so it is written for speed: the raw
        handle, reused pointer arguments, and no index translation when pdfium's text and
        character indices coincide (nearly always).
        """
        text = tp.get_text_range()
        if not text.strip():
            return [], False
        handle = tp.raw
        calls = self.calls
        mapped = len(text) != calls.count(handle)
        units = _unit_offsets(text) if mapped else _identity
        to_char = calls.to_char
        x, y, matrix, box_right = self._x, self._y, self._matrix, self._box[1]
        px, py, pm = self._px, self._py, self._pm
        pbl, pbr, pbb, pbt = self._pbl, self._pbr, self._pbb, self._pbt
        origin = calls.origin
        charbox = calls.charbox
        fontsize = calls.fontsize
        get_matrix = calls.matrix
        is_bold = self._is_bold
        has_control = _CONTROL.search(text) is not None
        lines: list[Line] = []
        append = lines.append
        for seg_start, seg in _split_lines(text):
            stripped = seg.strip()
            if not stripped:
                continue
            start = seg_start + seg.index(stripped[0])
            end = start + len(stripped) - 1
            if mapped:
                cs, ce = to_char(handle, units(start)), to_char(handle, units(end))
                if cs < 0 or ce < 0:
                    cs = ce = max(cs, ce)
                    if cs < 0:
                        continue
            else:
                cs, ce = start, end
            origin(handle, cs, px, py)
            x0 = x.value
            base = base_end = y.value
            charbox(handle, ce, pbl, pbr, pbb, pbt)
            x1 = box_right.value
            if x1 < x0:
                x1 = x0
            if "\ufffe" in seg:
                origin(handle, ce, px, py)
                base_end = y.value
            probe = cs
            if not stripped[0].isalnum():
                first_word = _WORDCHAR.search(stripped)
                if first_word is not None:
                    offset = start + first_word.start()
                    probe = max(cs, to_char(handle, units(offset)) if mapped else offset)
            # The font size times the text and page matrices' scale: what a reader sees.
            size = fontsize(handle, probe)
            if get_matrix(handle, probe, pm):
                size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            if size <= 0.5:
                size = 10.0
            # Text outside the page box is not shown (nor extracted by other tools).
            if x1 < left or x0 > right or base > top + size or base_end < bottom - size:
                continue
            if has_control and _CONTROL.search(stripped):
                stripped = " ".join(_CONTROL.sub(" ", stripped).split())
                if not stripped:
                    continue
            append(Line(stripped, x0, x1, base, base_end, size, is_bold(handle, probe)))
        return lines, self._unmapped(handle, text, units, mapped)

    def _unmapped(self, tp: Any, text: str, units: Any, mapped: bool) -> bool:
        """True when many characters lack a Unicode mapping (pdfium then emits glyph codes).

        Only characters outside Latin and common punctuation are candidates, so Western text
        costs one regex scan; of those, an evenly spread sample of MAX_MAP_CHECKS is checked.
        """
        positions = [m.start() for m in _UNUSUAL.finditer(text)]
        if len(positions) < 3:
            return False
        stride = max(1, len(positions) // MAX_MAP_CHECKS)
        check = self.calls.unmapped
        to_char = self.calls.to_char
        errors = 0
        for position in positions[::stride]:
            index = to_char(tp, units(position)) if mapped else position
            if index >= 0 and check(tp, index) == 1:
                errors += 1
        errors *= stride
        if errors < 3:
            return False
        visible = len(text) - text.count(" ") - text.count("\r") - text.count("\n")
        return errors >= 0.05 * visible

    def _is_bold(self, tp: Any, index: int) -> bool:
        """Bold by font name, the ForceBold flag or weight; cached per font name."""
        calls = self.calls
        n = calls.fontinfo(tp, index, self._name, self._name_size, self._pflags)
        key = self._name.value if 0 < n <= _NAME_SIZE else b""  # a longer name is not written
        cached = self._bold.get(key)
        if cached is None:
            cached = bool(
                (self._flags.value & _FORCE_BOLD)
                or calls.weight(tp, index) >= 600
                or (key and _BOLD_NAME.search(key.decode("latin-1", "replace")))
            )
            if key:
                self._bold[key] = cached
        return cached

    # -- images and forms ---------------------------------------------------------------------

    def _has_images(self, page: Any) -> bool:
        raw = self.raw
        try:
            for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
                return True
        except Exception:
            return False
        return False

    def _form_values(self, page: Any) -> list[str]:
        raw = self.raw
        handle = self.pdf.formenv
        values: list[str] = []
        try:
            count = raw.FPDFPage_GetAnnotCount(page)
            for i in range(count):
                annot = raw.FPDFPage_GetAnnot(page, i)
                if not annot:
                    continue
                try:
                    if raw.FPDFAnnot_GetSubtype(annot) != raw.FPDF_ANNOT_WIDGET:
                        continue
                    if raw.FPDFAnnot_GetFormFieldType(handle, annot) not in _TEXT_FIELD_TYPES:
                        continue
                    value = _wide_string(
                        lambda buf, n, annot=annot: raw.FPDFAnnot_GetFormFieldValue(
                            handle, annot, buf, n
                        )
                    )
                    if value.strip():
                        values.append(value.strip())
                finally:
                    raw.FPDFPage_CloseAnnot(annot)
        except Exception:
            return values
        return values


def _wide_string(call: Any) -> str:
    """Read a UTF-16 string through pdfium's two-call buffer protocol."""
    size = call(None, 0)
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    call(ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace")


def _split_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for pdfium's CRLF-separated lines; str.split is much faster than a regex."""
    offset = 0
    for line in text.split("\r\n"):
        if "\n" in line or "\r" in line:  # a stray break inside the text itself
            for match in _SEGMENT.finditer(line):
                yield offset + match.start(), match.group()
        else:
            yield offset, line
        offset += len(line) + 2


def _identity(i: int) -> int:
    return i


def _unit_offsets(text: str) -> Any:
    """Map a str index to pdfium's UTF-16 text index (they differ only after astral characters)."""
    if not _ASTRAL.search(text):
        return lambda i: i
    extra = [0] * (len(text) + 1)
    count = 0
    for i, ch in enumerate(text):
        extra[i] = count
        if ord(ch) > 0xFFFF:
            count += 1
    extra[len(text)] = count
    return lambda i: i + extra[i]
