"""OCR of scanned PDF pages and images (the `ocr` extra), on scans generated here.

Pages are written with reportlab, rendered with pypdfium2 and degraded with Pillow
(fixtures/make_scans.py); the text llmprep reads from the born-digital page is the reference.
Every test runs with network sockets disabled (pytest-socket), as the whole suite does.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import llmprep
from llmprep import Config

pytest.importorskip(
    "rapidocr", reason="the `ocr` extra is not installed (pip install 'llmprep[ocr]')"
)
pytest.importorskip("onnxruntime", reason="the `ocr` extra is not installed")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import make_scans

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def recall(reference: str, ocr: str) -> float:
    truth = words(reference)
    return sum((truth & words(ocr)).values()) / max(1, sum(truth.values()))


def page(tmp_path: Path, layout: str = "list", language: str = "en", seed: int = 3) -> Path:
    """A born-digital one-page PDF."""
    path = tmp_path / f"{layout}-{language}-{seed}.pdf"
    make_scans.write_page(path, make_scans.PageSpec(layout, language, seed))
    return path


def scan(pdf: Path, tmp_path: Path, *, dpi: int = 200, degraded: bool = False, suffix: str = ".png",
         turn: int = 0) -> Path:  # fmt: skip
    """The PDF's first page as an image file, optionally degraded or turned (degrees clockwise)."""
    image = make_scans.render(pdf, dpi)
    if degraded:
        image = make_scans.degrade(image, seed=2, skew=2.0)
    if turn:
        image = image.rotate(-turn, expand=True)
        image.info["dpi"] = (dpi, dpi)
    path = tmp_path / f"{pdf.stem}-{dpi}{'-noisy' if degraded else ''}-{turn}{suffix}"
    make_scans.save_image(image, path)
    return path


def native_text(pdf: Path) -> str:
    return llmprep.process(pdf, redact=False).text


def process(path: Path, **options: Any) -> llmprep.ProcessResult:
    return llmprep.process(path, redact=False, **options)


def flags_of(doc: Any) -> dict[str, Any]:
    return {f.code: f for f in doc.flags}


def flags(result: llmprep.ProcessResult) -> dict[str, Any]:
    return {f.code: f for f in result.documents[0].flags}


# -- reading ----------------------------------------------------------------------------------


def test_a_scanned_page_image_is_read_with_high_word_recall(tmp_path: Path) -> None:
    pdf = page(tmp_path, "letter")
    result = process(scan(pdf, tmp_path))
    assert result.status == "ok"
    assert recall(native_text(pdf), result.text) >= 0.95


def test_a_degraded_scan_in_german_is_read_with_recall_over_ninety_percent(
    tmp_path: Path,
) -> None:
    pdf = page(tmp_path, "letter", "de")
    result = process(scan(pdf, tmp_path, degraded=True))
    assert result.status == "ok"
    assert recall(native_text(pdf), result.text) >= 0.90
    assert "Gewährleistung" in result.text or "Zahlung" in result.text or "Vertrag" in result.text


def test_restricting_languages_to_german_still_reads_german_in_full(tmp_path: Path) -> None:
    pdf = page(tmp_path, "list", "de")
    result = process(scan(pdf, tmp_path, degraded=True), config=Config(ocr={"languages": ["de"]}))
    assert recall(native_text(pdf), result.text) >= 0.95
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", result.text)


def test_every_ocr_element_records_the_engine_and_its_confidence(tmp_path: Path) -> None:
    result = process(scan(page(tmp_path), tmp_path))
    elements = result.documents[0].elements
    assert elements
    for element in elements:
        info = element.metadata["ocr"]
        assert info["engine"] == "rapidocr"
        assert 0.5 < info["confidence"] <= 1.0


def test_the_document_gets_an_ocr_flag_with_the_page_count(tmp_path: Path) -> None:
    result = process(scan(page(tmp_path), tmp_path))
    flag = flags(result)["ocr"]
    assert (flag.severity, flag.value) == ("info", 1)
    summary = result.documents[0].metadata.extra["ocr"]
    assert summary["engine"] == "rapidocr" and summary["pages"] == [1]


def test_headings_and_list_items_are_found_on_a_scan_as_in_the_text_layer(tmp_path: Path) -> None:
    pdf = page(tmp_path, "list")
    native = llmprep.process(pdf, redact=False).documents[0].elements
    scanned = process(scan(pdf, tmp_path)).documents[0].elements
    native_headings = [e.text for e in native if e.type == "heading"]
    assert native_headings
    assert [e.text for e in scanned if e.type == "heading"][-len(native_headings) :] == (
        native_headings
    )
    assert sum(e.type == "list_item" for e in scanned) == sum(e.type == "list_item" for e in native)


def test_two_columns_are_read_one_column_after_the_other(tmp_path: Path) -> None:
    pdf = page(tmp_path, "columns")
    paragraphs = [
        " ".join(e.text.split())
        for e in llmprep.process(pdf, redact=False).documents[0].elements
        if e.type == "paragraph"
    ]
    text = " ".join(process(scan(pdf, tmp_path)).text.split())
    positions = [text.find(p) for p in paragraphs]
    found = [p for p in positions if p >= 0]
    assert len(found) >= 0.8 * len(paragraphs)
    assert found == sorted(found)


def test_a_table_is_read_row_by_row(tmp_path: Path) -> None:
    pdf = page(tmp_path, "table")
    result = process(scan(pdf, tmp_path))
    text = " ".join(result.text.split())
    rows = re.findall(r"\b0\d [^\n]*?EUR", native_text(pdf))
    assert len(rows) >= 5
    assert sum(" ".join(row.split()) in text for row in rows) >= 0.8 * len(rows)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_scanned_sideways_or_upside_down_is_turned_upright(
    tmp_path: Path, turn: int
) -> None:
    pdf = page(tmp_path, "list")
    result = process(scan(pdf, tmp_path, turn=turn))
    assert recall(native_text(pdf), result.text) >= 0.9
    # What it took to turn the page back upright, clockwise.
    assert result.documents[0].metadata.extra["ocr"]["rotated_pages"] == {1: (360 - turn) % 360}


@pytest.mark.parametrize("suffix", [".jpg", ".webp", ".tif"])
def test_jpeg_webp_and_tiff_images_are_read(tmp_path: Path, suffix: str) -> None:
    pdf = page(tmp_path, "list")
    result = process(scan(pdf, tmp_path, suffix=suffix))
    assert result.status == "ok"
    assert recall(native_text(pdf), result.text) >= 0.95


def test_a_multi_page_tiff_is_read_frame_by_frame_with_page_numbers(tmp_path: Path) -> None:
    first, second = page(tmp_path, "list", seed=1), page(tmp_path, "list", seed=2)
    images = [make_scans.render(first, 200), make_scans.render(second, 200)]
    path = tmp_path / "letters.tif"
    images[0].save(path, save_all=True, append_images=images[1:], dpi=(200, 200))
    result = process(path)
    doc = result.documents[0]
    assert {e.page for e in doc.elements} == {1, 2}
    assert doc.metadata.page_count == 2 and flags(result)["ocr"].value == 2
    assert recall(native_text(second), " ".join(e.text for e in doc.elements if e.page == 2)) >= 0.9


# -- PDF ----------------------------------------------------------------------------------------


def test_a_scanned_pdf_made_of_images_is_read(tmp_path: Path) -> None:
    pdfs = [page(tmp_path, "list", seed=s) for s in (4, 5)]
    scanned = tmp_path / "scanned.pdf"
    make_scans.images_to_pdf([make_scans.render(p, 200) for p in pdfs], scanned)
    result = process(scanned)
    doc = result.documents[0]
    assert result.status == "ok"
    assert doc.metadata.extra["engine"] == "rapidocr"
    assert flags(result)["ocr"].value == 2 and "needs_ocr" not in flags(result)
    assert (
        recall(native_text(pdfs[1]), " ".join(e.text for e in doc.elements if e.page == 2)) >= 0.95
    )


def test_a_mixed_pdf_reads_text_pages_natively_and_scanned_pages_by_ocr(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    source = page(tmp_path, "list")
    image = tmp_path / "scan.png"
    make_scans.save_image(make_scans.render(source, 200), image)
    mixed = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(mixed), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "This first page has a text layer and needs no recognition at all.")
    c.showPage()
    c.drawImage(str(image), 0, 0, *A4)
    c.showPage()
    c.save()
    result = process(mixed)
    doc = result.documents[0]
    assert result.status == "ok"
    first = [e for e in doc.elements if e.page == 1]
    second = [e for e in doc.elements if e.page == 2]
    assert first and all("ocr" not in e.metadata for e in first)
    assert second and all(e.metadata["ocr"]["engine"] == "rapidocr" for e in second)
    assert flags(result)["ocr"].value == 1
    assert doc.metadata.extra["engine"] == "pdfium+rapidocr"
    assert recall(native_text(source), " ".join(e.text for e in second)) >= 0.95


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans (fonts-dejavu-core) not installed")
def test_a_text_layer_of_replacement_characters_counts_as_unread(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    source = page(tmp_path, "list")
    image = tmp_path / "scan.png"
    make_scans.save_image(make_scans.render(source, 200), image)
    pdfmetrics.registerFont(TTFont("DejaVuTest", str(DEJAVU)))
    broken = tmp_path / "broken-layer.pdf"
    c = canvas.Canvas(str(broken), pagesize=A4)
    c.drawImage(str(image), 0, 0, *A4)
    text = c.beginText(72, 700)
    text.setFont("DejaVuTest", 11)
    text.setTextRenderMode(3)  # invisible, like a scanner's own (here broken) OCR layer
    for _ in range(20):
        text.textLine("\ufffd" * 50)
    c.drawText(text)
    c.showPage()
    c.save()
    result = process(broken)
    assert "\ufffd" not in result.text
    assert recall(native_text(source), result.text) >= 0.95


def test_a_blank_page_is_not_counted_as_read_by_ocr(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "with-blank.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "A page of text, followed by an empty page left for notes.")
    c.showPage()
    c.showPage()
    c.save()
    result = process(path)
    assert result.status == "ok" and "ocr" not in flags(result)


def test_mode_always_reads_born_digital_pages_by_ocr_too(tmp_path: Path) -> None:
    pdf = page(tmp_path, "list")
    result = process(pdf, config=Config(ocr={"mode": "always"}))
    elements = result.documents[0].elements
    assert elements and all(e.metadata["ocr"]["engine"] == "rapidocr" for e in elements)
    assert recall(native_text(pdf), result.text) >= 0.95


def test_mode_never_leaves_a_scanned_pdf_needing_ocr_and_says_so(tmp_path: Path) -> None:
    scanned = tmp_path / "scanned.pdf"
    make_scans.images_to_pdf([make_scans.render(page(tmp_path), 100)], scanned)
    result = process(scanned, config=Config(ocr={"mode": "never"}))
    assert result.status == "partial" and result.error is not None
    assert result.error.code == "pdf.needs_ocr" and 'mode = "never"' in result.error.message
    assert flags(result)["needs_ocr"].value == 1


def test_mode_never_makes_images_unsupported_and_says_so(tmp_path: Path) -> None:
    result = process(scan(page(tmp_path), tmp_path, dpi=72), config=Config(ocr={"mode": "never"}))
    assert result.status == "unsupported" and result.error is not None
    assert result.error.code == "image.needs_ocr" and 'mode = "never"' in result.error.message


# -- budgets and confidence -------------------------------------------------------------------


def test_pages_under_the_configured_confidence_get_a_warning_flag(tmp_path: Path) -> None:
    result = process(scan(page(tmp_path), tmp_path), config=Config(ocr={"min_confidence": 1.0}))
    flag = flags(result)["ocr_low_confidence"]
    assert (flag.severity, flag.value, flag.threshold) == ("warn", 1, 1.0)
    assert result.documents[0].metadata.extra["ocr"]["low_confidence_pages"] == [1]


def test_a_page_over_its_time_budget_keeps_what_it_read_and_ends_partial(tmp_path: Path) -> None:
    config = Config(ocr={"page_timeout": 0.001})
    result = process(scan(page(tmp_path, "letter"), tmp_path), config=config)
    assert result.status == "partial" and result.error is not None
    assert result.error.code == "ocr.page_timeout"
    assert result.text.strip()  # the lines read before the deadline are kept


def test_a_long_scan_that_outlives_the_file_budget_ends_partial_instead_of_hanging(
    tmp_path: Path,
) -> None:
    scanned = tmp_path / "long-scan.pdf"
    make_scans.images_to_pdf([make_scans.render(page(tmp_path), 100)] * 3, scanned)
    result = process(scanned, config=Config(run={"timeout": 0.001}))
    assert result.status == "partial" and result.error is not None
    assert result.error.code == "ocr.time_budget" and "run.timeout" in result.error.message
    assert result.documents[0].metadata.extra["ocr"]["skipped_pages"][-2:] == [2, 3]


def test_each_ocr_page_is_a_heartbeat_to_the_runner(tmp_path: Path) -> None:
    from llmprep.pipeline.file import process_file

    scanned = tmp_path / "scan.pdf"
    make_scans.images_to_pdf([make_scans.render(page(tmp_path), 100)] * 2, scanned)
    beats: list[int] = []
    outcome = process_file(
        scanned, Config(), on_document=lambda result: None, on_progress=lambda: beats.append(1)
    )
    assert outcome.status == "ok" and len(beats) == 2


def test_a_heartbeat_gives_the_next_page_a_full_budget_again() -> None:
    from llmprep.loaders.base import SourceFile
    from llmprep.ocr.run import OcrRun

    heard: list[int] = []
    config = Config(run={"timeout": 100})
    run = OcrRun(
        SourceFile(rel_path="a.png", config=config, data=b"x", on_progress=lambda: heard.append(1))
    )
    run.deadline = 0.0  # the budget is spent...
    assert run.out_of_time()
    run.heartbeat()  # ...until the runner hears that a page finished
    assert heard == [1] and not run.out_of_time()
    quiet = OcrRun(SourceFile(rel_path="a.png", config=config, data=b"x"))
    quiet.deadline = 0.0
    quiet.heartbeat()  # nobody listening (library use): the budget stays spent
    assert quiet.out_of_time()


def test_an_image_without_text_is_partial_with_no_text(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    path = tmp_path / "photo.png"
    image = Image.new("RGB", (800, 600), (90, 140, 200))
    ImageDraw.Draw(image).ellipse((200, 150, 600, 450), fill=(240, 200, 60))
    image.save(path)
    result = process(path)
    assert result.status == "partial" and result.error is not None
    assert result.error.code == "ocr.no_text"


def test_an_emailed_scan_is_read_and_an_emailed_logo_is_only_a_warning(tmp_path: Path) -> None:
    from email.message import EmailMessage

    from PIL import Image

    pdf = page(tmp_path, "list")
    scanned = scan(pdf, tmp_path)
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (200, 30, 30)).save(logo)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "Scan"
    message.set_content("Please find the signed scan attached.")
    for path in (scanned, logo):
        message.add_attachment(
            path.read_bytes(), maintype="image", subtype="png", filename=path.name
        )
    eml = tmp_path / "scan.eml"
    eml.write_bytes(bytes(message))
    result = process(eml)
    assert result.status == "ok"
    assert any(w.startswith("ocr.no_text:") for w in result.warnings)
    attachments = [d for d in result.documents if d.source.media_type == "image/png"]
    assert len(attachments) == 1
    assert recall(native_text(pdf), attachments[0].text) >= 0.95


def test_a_corrupt_image_fails_as_a_corrupt_image(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    result = process(path)
    assert result.status == "failed" and result.error is not None
    assert result.error.code == "image.corrupt"
