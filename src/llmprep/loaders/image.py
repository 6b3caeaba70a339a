"""Images (PNG, JPEG, TIFF with its pages, WebP) read by OCR, through the PDF loader's layout.

Each frame (a multi-page TIFF has several) is decoded, turned upright by its EXIF orientation,
recognised and dropped before the next one is decoded, then the frames are assembled exactly like
the pages of a scanned PDF: paragraphs, list items, headings by size, running headers and
footers. A frame's resolution (its dpi tag, else 300) turns pixels into points.

Without the `ocr` extra, or with `[ocr] mode = "never"`, an image is `unsupported` with
`image.needs_ocr`, and the message says how to read it. Pillow opens the file lazily and
refuses decompression bombs; frames larger than `_MAX_PIXELS` are scaled down before OCR.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, ClassVar

from ..errors import CorruptDocument, TooLarge, UnsupportedFormat
from ..models import Document, DocumentMetadata
from ..ocr import ENGINE_NAME, EXTRA_HINT, OcrUnavailable, installed
from .base import Loader, SourceFile

log = logging.getLogger(__name__)

_MEDIA = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
}
_DEFAULT_DPI = 300.0
# A frame is scaled down to at most this many pixels before OCR (A4 at 400 dpi is 15.5 M).
_MAX_PIXELS = 40_000_000
# Pillow refuses to decode more than this (a decompression bomb: tiny file, huge canvas).
_BOMB_PIXELS = 200_000_000


def sniff_image(head: bytes) -> str | None:
    """The image format the first bytes announce, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


class ImageLoader(Loader):
    name = "image"
    version = "1"
    extensions = tuple(_MEDIA)
    media_types = tuple(dict.fromkeys(_MEDIA.values()))
    media_type_by_extension: ClassVar[dict[str, str]] = dict(_MEDIA)

    def sniff(self, head: bytes) -> bool:
        return sniff_image(head) is not None

    def load(self, source: SourceFile) -> Iterator[Document]:
        cfg = source.config.ocr
        if cfg.mode == "never":
            raise UnsupportedFormat(
                "image.needs_ocr", 'images are read by OCR, which is off ([ocr] mode = "never")'
            )
        if not installed():
            raise UnsupportedFormat("image.needs_ocr", f"images are read by OCR: {EXTRA_HINT}")
        document = _load(source)
        if document is not None:
            yield document


def _load(source: SourceFile) -> Document | None:
    """The image's document; None for an attachment in which OCR found no text (a logo, a
    photo), which is then only a warning on its file, never a reason to call it partial."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from ..ocr.run import OcrRun
    from .pdf.assemble import assemble
    from .pdf.model import PageText

    Image.MAX_IMAGE_PIXELS = _BOMB_PIXELS
    run = OcrRun(source)
    pages: list[PageText] = []
    failed: list[int] = []
    with source.open() as stream:
        try:
            image = Image.open(stream)
        except UnidentifiedImageError:
            raise CorruptDocument("image.corrupt", "the image could not be decoded") from None
        except Image.DecompressionBombError:
            raise TooLarge("image.too_large", "the image is larger than 200 megapixels") from None
        with image:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if run.out_of_time():
                    run.skip(number)
                    continue
                try:
                    array, scale = _frame_array(frame, first=number == 1)
                except (MemoryError, RecursionError):
                    raise
                except Image.DecompressionBombError:
                    raise TooLarge(
                        "image.too_large", "the image is larger than 200 megapixels"
                    ) from None
                except Exception:  # a damaged frame: the others are still read
                    log.debug("frame %d of %s not decoded", number, source.rel_path, exc_info=True)
                    failed.append(number)
                    continue
                try:
                    pages.append(run.read(array, number, scale))
                except OcrUnavailable as exc:
                    raise UnsupportedFormat("image.needs_ocr", exc.message) from None
                del array  # one frame in memory at a time
    if not pages:
        if not run.skipped:
            raise CorruptDocument("image.corrupt", "no frame of the image could be decoded")
        pages.append(PageText(number=1, engine=ENGINE_NAME))  # an empty document, partial
    if failed:
        total = len(pages) + len(failed) + len(run.skipped)
        source.mark_partial(
            "image.frame_unreadable", f"{len(failed)} of {total} frames could not be decoded"
        )
    if source.parent is not None and run.pages and not run.pages_with_text and not run.skipped:
        source.warnings.append(f"ocr.no_text: {source.sub_path}")
        return None
    run.mark_partial(any_other_text=False)
    meta = DocumentMetadata(page_count=len(pages) + len(failed) + len(run.skipped))
    document = assemble(source, pages, [], {ENGINE_NAME}, meta, [], encrypted=False)
    for key in ("encrypted", "outline_entries"):  # PDF facts that mean nothing for an image
        document.metadata.extra.pop(key, None)
    run.annotate(document)
    return document


def _frame_array(frame: Any, *, first: bool) -> tuple[Any, float]:
    """A frame as a BGR array (white under transparency) and its pixels per point."""
    import numpy as np
    from PIL import Image, ImageOps

    dpi = frame.info.get("dpi", (_DEFAULT_DPI, _DEFAULT_DPI))
    try:
        resolution = float(dpi[0]) if float(dpi[0]) >= 50 else _DEFAULT_DPI
    except (TypeError, ValueError, IndexError):
        resolution = _DEFAULT_DPI
    if first:
        frame = ImageOps.exif_transpose(frame)  # a photo taken sideways, stored upright
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba)
    elif frame.mode.startswith("I;16") or frame.mode in ("I", "F"):
        # 16-bit and float greyscale (scanners, microscopes): stretched to 8 bits.
        values = np.asarray(frame, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        span = high - low or 1.0
        frame = Image.fromarray(((values - low) * (255 / span)).astype(np.uint8), "L")
    rgb = frame.convert("RGB")
    pixels = rgb.width * rgb.height
    if pixels > _MAX_PIXELS:
        factor = (_MAX_PIXELS / pixels) ** 0.5
        rgb = rgb.resize((max(1, int(rgb.width * factor)), max(1, int(rgb.height * factor))))
        resolution *= factor
    array = np.asarray(rgb)[:, :, ::-1].copy()  # RGB -> BGR, what the models expect
    return array, resolution / 72
