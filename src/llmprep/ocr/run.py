"""OCR of one input file, page by page: budgets, per-page results, and what the document records.

Both the PDF loader (pages without a usable text layer) and the image loader read pages through
an `OcrRun`. It keeps one page image at a time (the caller renders or decodes it, `read` turns it
into the PDF loader's `PageText` and the image is dropped), enforces the time budgets, and once
the document is assembled writes down what OCR did:

- each element from an OCR'd page: `metadata["ocr"] = {"engine": "rapidocr", "confidence": 0.97}`
  (the mean over the recognised lines that make up the element);
- the document: flag `ocr` (info, value = pages OCR'd), flag `ocr_low_confidence` (warn, value =
  pages whose mean confidence is under `[ocr] min_confidence`), `metadata.extra["ocr"]`;
- the file: `partial` with `ocr.time_budget` (pages left unread because 80% of `run.timeout`
  passed without a finished page: each page is a heartbeat to the runner, so long scans finish
  as long as pages keep coming), `ocr.page_timeout` (a page stopped at `[ocr] page_timeout`) or `ocr.no_text`
  (OCR read every page and found no text).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..flags import make_flag
from ..loaders.pdf.layout import merge_segments
from ..loaders.pdf.model import PageText
from ..models import Document
from .engine import ENGINE_NAME, Engine, get_engine
from .lines import page_lines
from .page import is_blank, read_page

if TYPE_CHECKING:
    from ..loaders.base import SourceFile

# Share of run.timeout after which no new page is started: the rest of the file (assembly and
# every later stage) needs time too, and the runner replaces a worker that overruns.
FILE_BUDGET_SHARE = 0.8
_NOT_TEXT = re.compile(r"[\s\-\u00ad\u2010\ufffe]+")


@dataclass(slots=True)
class _PageRecord:
    texts: list[str]
    confidences: list[float]
    confidence: float | None
    rotation: int
    seconds: float


@dataclass
class OcrRun:
    source: SourceFile
    dpi: int = 0  # of PDF renders; 0 for images read at their own resolution
    pages: dict[int, _PageRecord] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)  # not read: the file's budget ran out
    timed_out: list[int] = field(default_factory=list)  # stopped at the page budget
    _engine: Engine | None = None

    def __post_init__(self) -> None:
        self.cfg = self.source.config.ocr
        self.started = time.monotonic()
        self.deadline = self.started + FILE_BUDGET_SHARE * self.source.config.run.timeout

    # -- reading ------------------------------------------------------------------------------

    def engine(self) -> Engine:
        """The recognition engine (loaded on first use); raises `OcrUnavailable`."""
        if self._engine is None:
            self._engine = get_engine(self.cfg.threads, self.cfg.languages)
        return self._engine

    def heartbeat(self) -> None:
        """A page is done: tell the runner, whose timeout then counts from now, and so does ours."""
        if self.source.progress():
            self.deadline = time.monotonic() + FILE_BUDGET_SHARE * self.source.config.run.timeout

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def skip(self, number: int) -> None:
        self.skipped.append(number)

    def read(self, image: Any, number: int, scale: float) -> PageText:
        """Recognise a BGR page image; `scale` = pixels per point (dpi / 72)."""
        if is_blank(image):  # nothing to read: not counted as an OCR'd page
            top = image.shape[0] / scale
            return PageText(number=number, bottom=0.0, top=top, engine=ENGINE_NAME)
        engine = self.engine()
        deadline = min(time.monotonic() + self.cfg.page_timeout, self.deadline)
        ocr_page = read_page(image, engine, deadline)
        boxes, confidences = page_lines(ocr_page, scale)
        if ocr_page.timed_out:
            self.timed_out.append(number)
        self.heartbeat()
        self.pages[number] = _PageRecord(
            texts=[box.text for box in boxes],
            confidences=confidences,
            confidence=ocr_page.confidence,
            rotation=ocr_page.rotation,
            seconds=ocr_page.seconds,
        )
        return PageText(
            number=number,
            # Boxes on one baseline become one line, as the text layer's segments do.
            lines=merge_segments(boxes),
            bottom=0.0,
            top=ocr_page.height / scale,
            engine=ENGINE_NAME,
        )

    # -- outcome ------------------------------------------------------------------------------

    @property
    def pages_with_text(self) -> list[int]:
        return sorted(n for n, p in self.pages.items() if p.texts)

    def low_confidence_pages(self) -> list[int]:
        return sorted(
            n
            for n, p in self.pages.items()
            if p.confidence is not None and p.confidence < self.cfg.min_confidence
        )

    def mark_partial(self, *, any_other_text: bool) -> None:
        """Record on the file what OCR could not do (the first partial reason wins)."""
        source = self.source
        if self.skipped:
            done = len(self.pages)
            source.mark_partial(
                "ocr.time_budget",
                f"OCR stopped after {done} of {done + len(self.skipped)} pages: the file used "
                f"{FILE_BUDGET_SHARE:.0%} of run.timeout ({source.config.run.timeout:g} s); "
                "raise run.timeout to read long scans",
            )
        if self.timed_out:
            source.mark_partial(
                "ocr.page_timeout",
                f"{_pages(len(self.timed_out))} stopped at ocr.page_timeout "
                f"({self.cfg.page_timeout:g} s) with part of their lines unread",
            )
        if self.pages and not self.pages_with_text and not any_other_text:
            source.mark_partial("ocr.no_text", f"OCR found no text on {_pages(len(self.pages))}")

    def annotate(self, doc: Document) -> None:
        """Element metadata, document flags and metadata for the pages OCR read."""
        if not self.pages and not self.skipped:
            return
        for number, record in self.pages.items():
            _annotate_elements([e for e in doc.elements if e.page == number], record)
        low = self.low_confidence_pages()
        read = self.pages_with_text
        if self.pages:
            doc.flags.append(make_flag("ocr", len(self.pages)))
        if low:
            doc.flags.append(make_flag("ocr_low_confidence", len(low), self.cfg.min_confidence))
        confidences = [p.confidence for p in self.pages.values() if p.confidence is not None]
        summary: dict[str, Any] = {
            "engine": ENGINE_NAME,
            "pages": sorted(self.pages),
            "pages_with_text": read,
            "confidence": round(sum(confidences) / len(confidences), 3) if confidences else None,
            "seconds": round(sum(p.seconds for p in self.pages.values()), 3),
        }
        if self.dpi:
            summary["dpi"] = self.dpi
        if low:
            summary["low_confidence_pages"] = low
        rotated = {n: p.rotation for n, p in self.pages.items() if p.rotation and p.texts}
        if rotated:
            summary["rotated_pages"] = rotated
        if self.skipped:
            summary["skipped_pages"] = sorted(self.skipped)
        if self.timed_out:
            summary["timed_out_pages"] = sorted(self.timed_out)
        doc.metadata.extra["ocr"] = summary


def _annotate_elements(elements: list[Any], record: _PageRecord) -> None:
    """Each element gets the mean confidence of the recognised lines its text is made of.

    Lines are found in elements by their letters (spaces and hyphens aside, which paragraph
    building and dehyphenation change), in reading order; an element none of whose lines can
    be found gets the page's mean.
    """
    keys = [_NOT_TEXT.sub("", e.text) for e in elements]
    found: list[list[tuple[int, float]]] = [[] for _ in elements]
    cursor = 0
    for text, confidence in zip(record.texts, record.confidences, strict=True):
        key = _NOT_TEXT.sub("", text)
        if not key:
            continue
        order = list(range(cursor, len(elements))) + list(range(cursor))
        for i in order:
            if key in keys[i]:
                found[i].append((len(key), confidence))
                cursor = i
                break
    page_mean = record.confidence
    for element, matches in zip(elements, found, strict=True):
        chars = sum(n for n, _ in matches)
        mean = sum(n * c for n, c in matches) / chars if chars else page_mean
        element.metadata["ocr"] = {
            "engine": ENGINE_NAME,
            "confidence": round(mean, 3) if mean is not None else None,
        }


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"
