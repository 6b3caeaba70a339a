"""Document metadata and outline through pypdf, and PDF date strings as ISO 8601."""

from __future__ import annotations

import re
from typing import Any

from ...models import DocumentMetadata
from .model import OutlineEntry

_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:\s*([Zz+\-])\s*(\d{2})?'?\s*(\d{2})?'?)?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufeff]")
MAX_OUTLINE = 5000
_PDFDEST_VIEW_XYZ = 1


def pdf_date_to_iso(value: object) -> str | None:
    """`D:20220403180542+02'00'` -> `2022-04-03T18:05:42+02:00`; None when unreadable."""
    if value is None:
        return None
    text = str(value).strip()
    m = _PDF_DATE.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = m.groups()
    try:
        mo, d = int(month or 1), int(day or 1)
        h, mi, s = int(hour or 0), int(minute or 0), int(second or 0)
        if not (1 <= mo <= 12 and 1 <= d <= 31 and h <= 23 and mi <= 59 and s <= 60):
            return None
    except ValueError:
        return None
    iso = f"{year}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{min(s, 59):02d}"
    if sign in ("Z", "z"):
        # Some producers write "Z07'46'"; Z means UTC whatever follows.
        return iso + "Z"
    if sign in ("+", "-") and tz_h is not None:
        th, tm = int(tz_h), int(tz_m or 0)
        if th <= 14 and tm <= 59:
            return f"{iso}{sign}{th:02d}:{tm:02d}"
    return iso


def clean_text(value: object) -> str | None:
    if value is None:
        return None
    text = _CONTROL.sub("", str(value)).strip()
    return text or None


# Placeholders producers write when the author left the field empty.
_PLACEHOLDERS = frozenset({"untitled", "anonymous", "unknown", "none", "null", "-"})


def _real(value: str | None) -> str | None:
    return None if value is None or value.strip().lower() in _PLACEHOLDERS else value


def split_authors(value: str | None) -> list[str]:
    if not _real(value):
        return []
    assert value is not None
    parts = [p.strip() for p in re.split(r";|\band\b|&", value) if _real(p.strip())]
    return parts


def metadata_from_info(info: dict[str, Any], page_count: int) -> DocumentMetadata:
    """Build metadata from an Info dictionary with keys like `/Title` (pypdf) or `Title` (pdfium)."""

    def get(key: str) -> Any:
        return info.get(f"/{key}", info.get(key))

    author = clean_text(get("Author"))
    return DocumentMetadata(
        title=_real(clean_text(get("Title"))),
        authors=split_authors(author),
        subject=clean_text(get("Subject")),
        created=pdf_date_to_iso(clean_text(get("CreationDate"))),
        modified=pdf_date_to_iso(clean_text(get("ModDate"))),
        producer=clean_text(get("Producer")),
        page_count=page_count,
    )


def pypdf_info(reader: Any) -> dict[str, Any]:
    """The Info dictionary as plain strings, with the XMP title/author filling gaps."""
    info: dict[str, Any] = {}
    try:
        raw = reader.metadata or {}
        for key in ("/Title", "/Author", "/Subject", "/CreationDate", "/ModDate", "/Producer"):
            value = raw.get(key)
            if value is not None and not isinstance(value, (dict, list)):
                info[key] = str(value)
    except Exception:
        pass
    if not clean_text(info.get("/Title")) or not clean_text(info.get("/Author")):
        try:
            xmp = reader.xmp_metadata
            if xmp is not None:
                if not clean_text(info.get("/Title")) and xmp.dc_title:
                    info["/Title"] = next(iter(xmp.dc_title.values()), None)
                if not clean_text(info.get("/Author")) and xmp.dc_creator:
                    info["/Author"] = "; ".join(str(a) for a in xmp.dc_creator)
        except Exception:
            pass
    return info


def pypdf_outline(reader: Any) -> list[OutlineEntry]:
    """Outline entries in document order with 1-based levels and pages; [] when there is none."""
    entries: list[OutlineEntry] = []
    try:
        outline = reader.outline
    except Exception:
        return entries

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if len(entries) >= MAX_OUTLINE:
                return
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            title = clean_text(getattr(item, "title", None))
            if not title:
                continue
            try:
                index = reader.get_destination_page_number(item)
            except Exception:
                index = None
            page = index + 1 if isinstance(index, int) and index >= 0 else None
            top = getattr(item, "top", None)
            try:
                top_value = float(top) if top is not None else None
            except (TypeError, ValueError):
                top_value = None
            entries.append(
                OutlineEntry(title=" ".join(title.split()), level=level, page=page, top=top_value)
            )

    try:
        walk(outline, 1)
    except RecursionError:
        return entries
    return entries


def pdfium_outline(pdf: Any) -> list[OutlineEntry]:
    """Outline entries through pdfium: title, depth, target page and the view's top."""
    entries: list[OutlineEntry] = []
    try:
        for item in pdf.get_toc(max_depth=16):
            if len(entries) >= MAX_OUTLINE:
                break
            title = clean_text(item.get_title())
            if not title:
                continue
            page: int | None = None
            top: float | None = None
            dest = item.get_dest()
            if dest is not None:
                index = dest.get_index()
                page = index + 1 if index is not None and index >= 0 else None
                try:
                    mode, pos = dest.get_view()
                    if mode == _PDFDEST_VIEW_XYZ and len(pos) >= 2 and pos[1]:  # [left, top, zoom]
                        top = float(pos[1])
                except Exception:
                    top = None
            entries.append(
                OutlineEntry(
                    title=" ".join(title.split()), level=item.level + 1, page=page, top=top
                )
            )
    except Exception:
        return entries
    return entries


def pdfium_language(pdf: Any) -> str | None:
    """The catalog's /Lang ("en-US"), if declared."""
    import ctypes

    import pypdfium2.raw as raw

    try:
        size = raw.FPDFCatalog_GetLanguage(pdf, None, 0)
        if size <= 2:
            return None
        buf = ctypes.create_string_buffer(size)
        raw.FPDFCatalog_GetLanguage(pdf, ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), size)
        return clean_text(buf.raw[: size - 2].decode("utf-16-le", "replace"))
    except Exception:
        return None
