"""PDF pages without a usable text layer, read by OCR (the `ocr` extra), one page at a time.

Called by the loader between reading the text layer and assembling the document. A page is
read by OCR (`[ocr] mode = "auto"`) when its text layer is unusable:

- it has no text at all (a scan, or text drawn as outlines); blank pages are rendered, found
  blank and left alone;
- its text is garbage: glyphs without a Unicode mapping (pdfium's flag, when pypdf did no better)
  or mostly replacement, private-use or control characters;
- it is a scan with a few words of text layer on top (a stamp, a page number, a Bates number):
  under `_STAMP_LETTERS` letters and an image covering at least half the page;
- neither engine could read its text at all, but pdfium can still render it.

`mode = "always"` reads every page by OCR, ignoring the text layer; `"never"` reads none. The
OCR'd page replaces the text-layer page, so the loader's layout analysis runs on it as on any
other page. Without the extra (or with OCR off), a scanned PDF is `partial` / `pdf.needs_ocr` as
before, and the message says how to read it.
"""

from __future__ import annotations

import logging
import re
from itertools import islice
from typing import TYPE_CHECKING, Any

from ...ocr import EXTRA_HINT, OcrUnavailable, installed
from .collector import resume

if TYPE_CHECKING:
    from ...ocr.run import OcrRun
    from ..base import SourceFile
    from .model import PageText
    from .opener import OpenedPdf

log = logging.getLogger(__name__)

# A page with fewer letters than this in its text layer, under a page-sized image, is a scan.
_STAMP_LETTERS = 40
_STAMP_IMAGE_SHARE = 0.5
# Garbage: this share of a page's visible characters are replacement, private-use or control.
_GARBAGE_SHARE = 0.3
_BAD = re.compile("[\ufffd\ue000-\uf8ff\x00-\x1f]")
_LETTER = re.compile(r"[^\W\d_]")
# A rendered page never exceeds these, whatever its size in points (posters, banners).
_MAX_SIDE_PX = 8000
_MAX_PIXELS = 40_000_000


def read_unread_pages(
    opened: OpenedPdf,
    pages: list[PageText],
    failed: list[int],
    engines: set[str],
    source: SourceFile,
) -> OcrRun | None:
    """OCR the pages whose text layer is unusable, in place in `pages` (and out of `failed`).

    Returns the run (to annotate the assembled document), or None when OCR did not run.
    """
    cfg = source.config.ocr
    candidates = _candidates(opened, pages, failed, cfg.mode)
    if not candidates:
        return None
    if cfg.mode == "never" or opened.pdfium is None or not installed():
        _explain_needs_ocr(pages, failed, source, cfg.mode)
        return None
    from ...ocr.run import OcrRun

    resume()  # the cycle collector back on: OCR is slow and allocates much
    run = OcrRun(source, dpi=cfg.dpi)
    by_number = {page.number: i for i, page in enumerate(pages)}
    for number in candidates:
        if run.out_of_time():
            run.skip(number)
            continue
        try:
            image, scale = _render(opened.pdfium, number - 1, cfg.dpi)
        except (MemoryError, RecursionError):
            raise
        except Exception:  # a page pdfium cannot render keeps what the text layer gave
            log.debug("page %d could not be rendered for OCR", number, exc_info=True)
            continue
        try:
            page = run.read(image, number, scale)
        except OcrUnavailable as exc:
            log.warning("OCR unavailable: %s", exc.message)
            _explain_needs_ocr(pages, failed, source, cfg.mode, reason=exc.message)
            return None
        del image  # one page image in memory at a time
        if number in by_number:
            old = pages[by_number[number]]
            page.form_values = old.form_values
            if number not in run.pages:  # found blank: nothing was recognised on it
                page.engine = old.engine
            pages[by_number[number]] = page
        else:
            failed.remove(number)
            pages.append(page)
    pages.sort(key=lambda p: p.number)
    engines.clear()  # the engines that gave the text now on each page
    engines.update(page.engine for page in pages)
    ocr_read = set(run.pages)
    run.mark_partial(any_other_text=any(p.has_text for p in pages if p.number not in ocr_read))
    return run


def _candidates(
    opened: OpenedPdf, pages: list[PageText], failed: list[int], mode: str
) -> list[int]:
    if mode == "always":
        numbers = [p.number for p in pages] + (failed if opened.pdfium is not None else [])
        return sorted(numbers)
    numbers = [p.number for p in pages if _unusable(p, opened)]
    if opened.pdfium is not None:
        numbers += failed
    return sorted(numbers)


def _unusable(page: PageText, opened: OpenedPdf) -> bool:
    if not page.has_text:
        return True
    if page.unmapped and page.engine == "pdfium":
        return True
    # This runs on every page of every PDF: garbage is looked for by a regular expression
    # (C speed) and counted only when there is some; letters are counted only on pages that
    # may be a scan under a stamp (the reader saw an image), and only up to the threshold.
    text = "".join([line.text for line in page.lines])
    if _BAD.search(text):
        visible = len(text) - text.count(" ")
        if visible and len(_BAD.findall(text)) >= _GARBAGE_SHARE * visible:
            return True
    if page.engine == "pdfium" and not page.has_images:
        return False  # no image on the page (reopening it to look costs a page load)
    letters = sum(1 for _ in islice(_LETTER.finditer(text), _STAMP_LETTERS))
    if letters >= _STAMP_LETTERS:
        return False
    return _image_share(opened, page.number - 1) >= _STAMP_IMAGE_SHARE


def _image_share(opened: OpenedPdf, index: int) -> float:
    """The largest share of the page one image covers (0 when pdfium cannot tell)."""
    if opened.pdfium is None:
        return 0.0
    import pypdfium2.raw as raw

    try:
        page = opened.pdfium[index]
    except Exception:
        return 0.0
    try:
        left, bottom, right, top = page.get_bbox()
        area = max(1e-6, (right - left) * (top - bottom))
        best = 0.0
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
            x0, y0, x1, y1 = obj.get_pos()
            w = max(0.0, min(x1, right) - max(x0, left))
            h = max(0.0, min(y1, top) - max(y0, bottom))
            best = max(best, w * h / area)
        return best
    except Exception:
        return 0.0
    finally:
        page.close()


def _render(pdf: Any, index: int, dpi: int) -> tuple[Any, float]:
    """Page `index` as a BGR array at `dpi` (less for huge pages), and its pixels per point."""
    import numpy as np

    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = dpi / 72
        longest = max(width, height, 1.0) * scale
        if longest > _MAX_SIDE_PX:
            scale *= _MAX_SIDE_PX / longest
        pixels = max(width, 1.0) * max(height, 1.0) * scale * scale
        if pixels > _MAX_PIXELS:
            scale *= (_MAX_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        try:
            image = np.array(bitmap.to_numpy()[:, :, :3], copy=True)  # BGR(x) -> BGR
        finally:
            bitmap.close()
        return image, scale
    finally:
        page.close()


def _explain_needs_ocr(
    pages: list[PageText],
    failed: list[int],
    source: SourceFile,
    mode: str,
    reason: str | None = None,
) -> None:
    """The `pdf.needs_ocr` outcome of a scan nobody OCR'd, with how to get it read."""
    scans = [p for p in pages if not p.has_text and p.has_images]
    if failed or not scans or any(p.has_text for p in pages):
        return  # the assembly reports these cases (page_unreadable; a needs_ocr flag only)
    if mode == "never":
        how = 'OCR is off ([ocr] mode = "never")'
    elif reason:
        how = reason
    elif source.config.ocr.mode != "never" and not installed():
        how = EXTRA_HINT
    else:
        how = "pdfium cannot render this file"
    count = "1 page needs OCR" if len(scans) == 1 else f"{len(scans)} pages need OCR"
    source.mark_partial("pdf.needs_ocr", f"no page has a text layer; {count}: {how}")
