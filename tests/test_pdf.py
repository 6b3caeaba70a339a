"""The PDF loader: pages, headings, furniture removal, dehyphenation, encryption, broken files.

Documents are generated here with reportlab (and encrypted with pypdf); the dev corpus is used
for the typed-status and word-recall checks against poppler's `pdftotext`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

import llmprep
from llmprep.config import Config
from llmprep.errors import LoadError
from llmprep.loaders.base import SourceFile
from llmprep.loaders.pdf.hyphen import Vocabulary, should_join
from llmprep.loaders.pdf.layout import HYPHEN_MARK
from llmprep.loaders.pdf.loader import PdfLoader
from llmprep.loaders.pdf.metadata import pdf_date_to_iso
from llmprep.models import Document

_LOREM_TEXT = (
    "Quarterly revenue grew in every region while operating costs stayed flat and the board "
    "approved the new logistics plan for the northern warehouses"
)
LOREM = _LOREM_TEXT.split()


# -- helpers ------------------------------------------------------------------------------------


def load(path: Path, config: Config | None = None) -> tuple[str, str | None, Document | None]:
    """(status, error code, document) the way the pipeline derives them from the loader."""
    source = SourceFile(path=path, rel_path=path.name, config=config or Config())
    try:
        docs = list(PdfLoader().load(source))
    except LoadError as exc:
        return exc.status, exc.code, None
    partial = source.partial
    return ("partial" if partial else "ok"), (partial.code if partial else None), docs[0]


def canvas_for(path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), pagesize=A4, **kwargs), A4


def body_sentence(page: int, line: int) -> str:
    words = [LOREM[(page * 5 + line * 3 + i) % len(LOREM)] for i in range(11)]
    return f"Page{page}line{line} " + " ".join(words)


def report_with_furniture(path: Path, pages: int = 10) -> list[str]:
    """A report with a running header, a footer and page numbers; returns its body lines."""
    c, (width, height) = canvas_for(path)
    body: list[str] = []
    for page in range(1, pages + 1):
        c.setFont("Helvetica", 9)
        c.drawString(72, height - 40, "ACME Logistics - Quarterly Report 2024")
        c.drawString(72, 40, "Confidential: internal use only")
        c.drawRightString(width - 72, 40, f"Page {page} of {pages}")
        c.setFont("Helvetica", 11)
        y = height - 100
        for line in range(20):
            text = body_sentence(page, line)
            body.append(text)
            c.drawString(72, y, text)
            y -= 14 if line % 5 != 4 else 26
        c.showPage()
    c.save()
    return body


def encrypt(source: Path, target: Path, *, user: str, owner: str) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-256")
    with target.open("wb") as fh:
        writer.write(fh)


def simple_pdf(path: Path, lines: list[str], *, size: float = 11) -> None:
    c, (_, height) = canvas_for(path)
    c.setFont("Helvetica", size)
    y = height - 72
    for line in lines:
        c.drawString(72, y, line)
        y -= size * 1.3
    c.save()


def scanned_page(c, width: float, height: float, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image, ImageDraw

    image_path = tmp_path / "scan.png"
    if not image_path.exists():
        image = Image.new("L", (400, 560), 255)
        draw = ImageDraw.Draw(image)
        for y in range(40, 520, 16):
            draw.line((30, y, 370, y), fill=0, width=3)
        image.save(image_path)
    c.drawImage(str(image_path), 0, 0, width, height)


_WORD = re.compile(r"[^\W_]+")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def word_recall(reference: str, extracted: str) -> float:
    """Share of the reference's word tokens (with multiplicity) found in the extracted text.

    Right-to-left words also count when found reversed: pdftotext emits Arabic and Hebrew in
    visual order, the loader in logical order.
    """

    def words(text: str) -> Counter[str]:
        return Counter(w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", text)))

    ref, ours = words(reference), words(extracted)
    total = sum(ref.values())
    if not total:
        return 1.0
    found = 0
    for word, count in ref.items():
        have = ours[word] + (ours[word[::-1]] if _RTL.search(word) and word[::-1] != word else 0)
        found += min(count, have)
    return found / total


# -- furniture ----------------------------------------------------------------------------------


def test_running_headers_footers_and_page_numbers_are_removed_from_a_ten_page_report(
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.pdf"
    report_with_furniture(path)
    status, _, doc = load(path)
    assert status == "ok" and doc is not None
    text = doc.text
    assert "ACME Logistics" not in text
    assert "Confidential" not in text
    assert not re.search(r"Page \d+ of 10", text)
    # The footer and the page number share a baseline, so they are one line per page.
    assert doc.metadata.extra["furniture"] == {"header": 10, "footer": 10}
    assert doc.metadata.extra["furniture_removed"] == 20


def test_a_single_page_drops_its_written_out_page_number_but_not_a_bare_one(
    tmp_path: Path,
) -> None:
    for footer, dropped in (
        ("Page 1 of 1", True),
        ("Page 1", True),
        ("1", False),
        ("Page 3", False),
    ):
        path = tmp_path / "one.pdf"
        c, (width, height) = canvas_for(path)
        c.setFont("Helvetica", 11)
        for i in range(8):
            c.drawString(72, height - 100 - i * 14, body_sentence(1, i))
        c.setFont("Helvetica", 9)
        c.drawRightString(width - 72, 40, footer)
        c.save()
        _, _, doc = load(path)
        assert doc is not None
        last = doc.elements[-1].text
        assert (footer not in last) is dropped, (footer, last)
        assert body_sentence(1, 7) in doc.text


def test_pypdf_logs_nothing_while_llmprep_reads_and_its_level_is_restored(tmp_path: Path) -> None:
    """pypdf's error logs quote bytes from the file (encoding names, object contents): while
    llmprep has a PDF open through pypdf, even those stay quiet."""
    import logging

    from llmprep.loaders.pdf.opener import OpenedPdf

    path = tmp_path / "doc.pdf"
    simple_pdf(path, ["Hello"])
    pypdf_log = logging.getLogger("pypdf._cmap")  # where the encoding errors come from
    before = logging.getLogger("pypdf").level
    opened = OpenedPdf(SourceFile(path=path, rel_path=path.name, config=Config()))
    assert opened.pypdf() is not None
    assert not pypdf_log.isEnabledFor(logging.ERROR)
    opened.close()
    assert logging.getLogger("pypdf").level == before


def test_removing_furniture_keeps_every_body_line(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    body = report_with_furniture(path)
    _, _, doc = load(path)
    assert doc is not None
    text = " ".join(doc.text.split())
    missing = [line for line in body if line not in text]
    assert missing == []


def test_furniture_can_be_kept_as_header_and_footer_elements(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    report_with_furniture(path, pages=4)
    config = Config().with_overrides(**{"pdf.remove_furniture": False})
    _, _, doc = load(path, config)
    assert doc is not None
    headers = [e for e in doc.elements if e.type == "header"]
    footers = [e for e in doc.elements if e.type == "footer"]
    assert [e.page for e in headers] == [1, 2, 3, 4]
    assert all(e.text.startswith("ACME Logistics") for e in headers)
    assert [e.page for e in footers] == [1, 2, 3, 4]


def test_first_lines_that_repeat_in_the_body_are_not_taken_for_headers(tmp_path: Path) -> None:
    path = tmp_path / "repetitive.pdf"
    c, (_, height) = canvas_for(path)
    for page in range(4):
        c.setFont("Helvetica", 11)
        y = height - 60
        for line in range(40):
            c.drawString(
                72,
                y,
                "The same sentence starts every page of this text."
                if line == 0
                else body_sentence(page, line),
            )
            y -= 14
        c.showPage()
    c.save()
    _, _, doc = load(path)
    assert doc is not None
    assert doc.text.count("The same sentence starts every page") == 4


def test_a_lone_number_on_a_single_page_document_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "one.pdf"
    c, (width, _) = canvas_for(path)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Total of the form below")
    c.drawString(width / 2, 40, "7")
    c.save()
    _, _, doc = load(path)
    assert doc is not None and "7" in doc.text


# -- paragraphs, lists, dehyphenation ----------------------------------------------------------


def test_wrapped_lines_are_joined_into_one_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "para.pdf"
    c, (_, height) = canvas_for(path)
    c.setFont("Helvetica", 11)
    first = [
        "The committee met on Tuesday to review the budget for",
        "the coming year and agreed on three priorities for the",
        "warehouse network.",
    ]
    second = ["A second paragraph follows after a blank line and it", "also wraps over two lines."]
    y = height - 72
    for line in first:
        c.drawString(72, y, line)
        y -= 14
    y -= 14
    for line in second:
        c.drawString(72, y, line)
        y -= 14
    c.save()
    _, _, doc = load(path)
    assert doc is not None
    assert [e.text for e in doc.elements] == [" ".join(first), " ".join(second)]


def test_bulleted_and_numbered_lines_become_list_items(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    simple_pdf(
        path,
        [
            "Things to pack for the trip:",
            "• a warm jacket",
            "• walking boots",
            "1. book the train",
            "2. call the hotel",
        ],
    )
    _, _, doc = load(path)
    assert doc is not None
    items = [e.text for e in doc.elements if e.type == "list_item"]
    assert items == ["• a warm jacket", "• walking boots", "1. book the train", "2. call the hotel"]


def test_a_word_hyphenated_across_lines_is_joined_when_the_document_uses_it(tmp_path: Path) -> None:
    path = tmp_path / "hyphen.pdf"
    simple_pdf(
        path,
        [
            "This sentence ends the line with an exam-",
            "ple of hyphenation that a reader never notices, and",
            "this line mentions the example again in one piece so",
            "the document itself shows that the joined word exists.",
        ],
    )
    _, _, doc = load(path)
    assert doc is not None
    assert "an example of hyphenation" in doc.text
    assert "exam-ple" not in doc.text and "\ufffe" not in doc.text


def test_a_real_compound_split_at_its_hyphen_keeps_the_hyphen(tmp_path: Path) -> None:
    path = tmp_path / "compound.pdf"
    simple_pdf(
        path,
        [
            "The design is well-known in the field and the team relies on a well-",
            "known supplier whose self-",
            "contained units work with Jean-",
            "Pierre's older models.",
        ],
    )
    _, _, doc = load(path)
    assert doc is not None
    assert "a well-known supplier" in doc.text
    assert "self-contained" in doc.text
    assert "Jean-Pierre" in doc.text


def test_dehyphenation_prefers_the_form_the_document_uses() -> None:
    vocab = Vocabulary(["the database schema", "a co-operative", "re-entry"])
    assert should_join("data", "base", vocab)
    assert not should_join("co", "operative", vocab)
    assert should_join("hyphen", "ation", Vocabulary())  # unknown lowercase pieces: a line break
    assert not should_join("COVID", "19", Vocabulary())


def test_the_marks_vocabulary_counts_whole_words_only() -> None:
    # Counts come from searching for the asked-about words: an occurrence inside a longer word,
    # or one a hyphen joins to another, is no occurrence of the word itself.
    mark = HYPHEN_MARK
    texts = [
        f"the data{mark}base, a database; databases and metadatabase",
        f"co{mark}operative: co-operative, non-co-operative, co-operatives",
        "Database x-database database-y 2database database_",
    ]
    words = Vocabulary.for_marks(texts).words
    # "database": once in the first line, three times in the third (a digit or underscore
    # next to it is no letter), never in "databases", "metadatabase", "x-database" or "database-y".
    assert words["database"] == 4
    assert words["co-operative"] == 1
    assert words["cooperative"] == 0


# -- headings ----------------------------------------------------------------------------------


def test_outline_entries_become_headings_and_heading_paths(tmp_path: Path) -> None:
    path = tmp_path / "outline.pdf"
    c, (_, height) = canvas_for(path)
    chapters = {"Introduction": ["Scope", "Terms"], "Methods": ["Sampling"]}
    for chapter, sections in chapters.items():
        key = chapter.lower()
        c.bookmarkPage(key)
        c.addOutlineEntry(chapter, key, level=0)
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, height - 72, chapter)
        y = height - 110
        for section in sections:
            skey = f"{key}-{section.lower()}"
            c.bookmarkHorizontalAbsolute(skey, y + 14)
            c.addOutlineEntry(section, skey, level=1)
            c.setFont("Helvetica-Bold", 12)
            c.drawString(72, y, section)
            c.setFont("Helvetica", 11)
            c.drawString(
                72, y - 20, f"Body text about {section.lower()} in the {chapter.lower()} chapter."
            )
            y -= 80
        c.showPage()
    c.save()
    _, _, doc = load(path)
    assert doc is not None
    assert doc.metadata.extra["headings_from"] == "outline"
    headings = [(e.text, e.level, e.page) for e in doc.elements if e.type == "heading"]
    assert headings == [
        ("Introduction", 1, 1),
        ("Scope", 2, 1),
        ("Terms", 2, 1),
        ("Methods", 1, 2),
        ("Sampling", 2, 2),
    ]
    body = next(e for e in doc.elements if e.text.startswith("Body text about sampling"))
    assert body.heading_path == ["Methods", "Sampling"]


def test_larger_type_becomes_headings_when_there_is_no_outline(tmp_path: Path) -> None:
    path = tmp_path / "fonts.pdf"
    c, (_, height) = canvas_for(path)
    y = height - 72
    for text, font, size in [
        ("Annual Review", "Helvetica-Bold", 24),
        ("Operations", "Helvetica-Bold", 16),
        ("Warehouses shipped more parcels than in any year before.", "Helvetica", 11),
        ("Staffing", "Helvetica-Bold", 16),
        ("Hiring kept pace with demand across all three sites.", "Helvetica", 11),
    ]:
        c.setFont(font, size)
        c.drawString(72, y, text)
        y -= size * 2.2
    c.save()
    _, _, doc = load(path)
    assert doc is not None
    kinds = [(e.type, e.text) for e in doc.elements]
    assert kinds[0] == ("title", "Annual Review")
    assert ("heading", "Operations") in kinds and ("heading", "Staffing") in kinds
    hiring = next(e for e in doc.elements if e.text.startswith("Hiring"))
    assert hiring.heading_path == ["Annual Review", "Staffing"]


def test_every_element_has_a_page_number_from_one_and_a_heading_path(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    report_with_furniture(path, pages=3)
    _, _, doc = load(path)
    assert doc is not None
    assert {e.page for e in doc.elements} == {1, 2, 3}
    assert all(isinstance(e.heading_path, list) for e in doc.elements)
    assert doc.elements[0].text.startswith("Page1line0")


# -- scanned pages ----------------------------------------------------------------------------


def test_a_page_with_only_an_image_is_flagged_needs_ocr_when_ocr_is_off(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pdf"
    c, (width, height) = canvas_for(path)
    c.setFont("Helvetica", 11)
    c.drawString(72, height - 72, "The first page has a text layer.")
    c.showPage()
    scanned_page(c, width, height, tmp_path)
    c.showPage()
    c.save()
    status, _, doc = load(path, Config(ocr={"mode": "never"}))
    assert status == "ok" and doc is not None
    flags = {f.code: f for f in doc.flags}
    assert flags["needs_ocr"].severity == "warn" and flags["needs_ocr"].value == 1
    assert doc.metadata.extra["needs_ocr_pages"] == [2]


def test_a_document_where_every_page_needs_ocr_is_partial_when_ocr_is_off(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    c, (width, height) = canvas_for(path)
    for _ in range(2):
        scanned_page(c, width, height, tmp_path)
        c.showPage()
    c.save()
    status, code, doc = load(path, Config(ocr={"mode": "never"}))
    assert (status, code) == ("partial", "pdf.needs_ocr")
    assert doc is not None and doc.flags[0].value == 2


# -- encryption ---------------------------------------------------------------------------------


@pytest.fixture
def plain_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "plain.pdf"
    simple_pdf(path, ["Salary review notes for the second quarter."])
    return path


def test_an_owner_password_only_file_opens_and_is_ok(tmp_path: Path, plain_pdf: Path) -> None:
    locked = tmp_path / "owner.pdf"
    encrypt(plain_pdf, locked, user="", owner="owner-secret")
    status, _, doc = load(locked)
    assert status == "ok" and doc is not None
    assert "Salary review notes" in doc.text
    assert doc.metadata.extra["encrypted"] is True


def test_a_user_password_file_without_a_password_is_encrypted(
    tmp_path: Path, plain_pdf: Path
) -> None:
    locked = tmp_path / "user.pdf"
    encrypt(plain_pdf, locked, user="open-sesame", owner="owner-secret")
    status, code, _ = load(locked)
    assert (status, code) == ("encrypted", "pdf.password_required")


def test_a_user_password_file_opens_with_a_configured_password(
    tmp_path: Path, plain_pdf: Path
) -> None:
    locked = tmp_path / "user.pdf"
    encrypt(plain_pdf, locked, user="open-sesame", owner="owner-secret")
    config = Config().with_overrides(**{"pdf.passwords": ["wrong", "open-sesame"]})
    status, _, doc = load(locked, config)
    assert status == "ok" and doc is not None and "Salary review notes" in doc.text


def test_a_user_password_file_opens_with_a_password_file(tmp_path: Path, plain_pdf: Path) -> None:
    locked = tmp_path / "user.pdf"
    encrypt(plain_pdf, locked, user="open-sesame", owner="owner-secret")
    passwords = tmp_path / "passwords.txt"
    passwords.write_text("first-guess\nopen-sesame\n", encoding="utf-8")
    config = Config().with_overrides(**{"pdf.password_file": str(passwords)})
    status, _, doc = load(locked, config)
    assert status == "ok" and doc is not None


def test_the_error_message_never_contains_a_password(tmp_path: Path, plain_pdf: Path) -> None:
    locked = tmp_path / "user.pdf"
    encrypt(plain_pdf, locked, user="open-sesame", owner="owner-secret")
    config = Config().with_overrides(**{"pdf.passwords": ["not-it"]})
    source = SourceFile(path=locked, rel_path=locked.name, config=config)
    with pytest.raises(LoadError) as info:
        list(PdfLoader().load(source))
    assert "not-it" not in info.value.message and "open-sesame" not in info.value.message


# -- broken files -------------------------------------------------------------------------------


def test_garbage_after_a_pdf_header_fails_as_pdf_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert load(path)[:2] == ("failed", "pdf.corrupt")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_a_truncated_file_gets_a_typed_status_never_an_exception(
    tmp_path: Path, keep: float
) -> None:
    whole = tmp_path / "whole.pdf"
    report_with_furniture(whole, pages=6)
    data = whole.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * keep)])
    status, code, doc = load(cut)
    # A cut file is never "ok": it fails as truncated, or reads partly and says why.
    assert (status, code) in (("failed", "pdf.truncated"), ("partial", "pdf.truncated"))
    if status == "partial":
        assert doc is not None and doc.elements
        assert doc.metadata.extra["truncated"] == "pdf: no end-of-file marker"


def test_a_pdf_whose_end_of_file_marker_is_missing_reads_as_partial_and_truncated(
    tmp_path: Path,
) -> None:
    whole = tmp_path / "whole.pdf"
    report_with_furniture(whole, pages=3)
    data = whole.read_bytes()
    cut = tmp_path / "no-eof.pdf"
    cut.write_bytes(data[: data.rindex(b"%%EOF")])
    status, code, doc = load(cut)
    assert (status, code) == ("partial", "pdf.truncated")
    assert doc is not None and doc.elements
    result = llmprep.process(cut, redact=False)
    assert result.status == "partial"
    assert all(any(f.code == "truncated" for f in r.flags) for r in result.records)
    # The complete file carries no such flag.
    assert not any(
        f.code == "truncated" for r in llmprep.process(whole, redact=False).records for f in r.flags
    )


def test_a_pdf_attachment_in_memory_loads_like_a_file(tmp_path: Path, plain_pdf: Path) -> None:
    source = SourceFile(
        data=plain_pdf.read_bytes(), name="att.pdf", rel_path="mail.eml", config=Config()
    )
    doc = next(iter(PdfLoader().load(source)))
    assert "Salary review notes" in doc.text


# -- metadata -----------------------------------------------------------------------------------


def test_title_author_subject_dates_producer_and_page_count_are_read(tmp_path: Path) -> None:
    path = tmp_path / "meta.pdf"
    c, _ = canvas_for(path, invariant=1)
    c.setTitle("Fleet Plan")
    c.setAuthor("Dana Whitfield")
    c.setSubject("Vehicles")
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Body.")
    c.save()
    _, _, doc = load(path)
    assert doc is not None
    meta = doc.metadata
    assert (meta.title, meta.authors, meta.subject, meta.page_count) == (
        "Fleet Plan",
        ["Dana Whitfield"],
        "Vehicles",
        1,
    )
    assert meta.producer and "ReportLab" in meta.producer
    assert meta.created and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", meta.created)


def test_the_declared_language_of_the_catalog_is_read(tmp_path: Path, plain_pdf: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(plain_pdf))
    writer._root_object[NameObject("/Lang")] = TextStringObject("de-DE")
    path = tmp_path / "lang.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _, _, doc = load(path)
    assert doc is not None and doc.metadata.declared_language == "de-DE"


def test_placeholder_titles_and_authors_are_treated_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "untitled.pdf"
    c, _ = canvas_for(path)  # reportlab writes "untitled" and "anonymous" by default
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "A note without a title.")
    c.save()
    _, _, doc = load(path)
    assert doc is not None and doc.metadata.title is None and doc.metadata.authors == []


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("D:20220403180542+02'00'", "2022-04-03T18:05:42+02:00"),
        ("D:20230410074654Z07'46'", "2023-04-10T07:46:54Z"),
        ("D:2016", "2016-01-01T00:00:00"),
        ("D:20161231184323-05'30", "2016-12-31T18:43:23-05:30"),
        ("yesterday", None),
        ("D:20221399000000", None),
    ],
)
def test_pdf_dates_become_iso_8601(raw: str, iso: str | None) -> None:
    assert pdf_date_to_iso(raw) == iso


# -- the dev corpus -----------------------------------------------------------------------------


def corpus_pdfs(corpus: Path) -> list[Path]:
    files = sorted((corpus / "pdf").glob("*.pdf"))
    if not files:
        pytest.skip("no PDFs in the corpus")
    return files


def test_every_corpus_pdf_gets_a_typed_status(corpus: Path) -> None:
    statuses = {path.name: load(path)[0] for path in corpus_pdfs(corpus)}
    assert set(statuses.values()) <= {"ok", "partial", "encrypted", "failed"}
    password = [name for name in statuses if "password" in name]
    assert password and all(statuses[name] == "encrypted" for name in password)


def test_the_corpus_password_sample_is_encrypted_through_the_public_api(corpus: Path) -> None:
    import llmprep

    sample = next(p for p in corpus_pdfs(corpus) if "password" in p.name)
    result = llmprep.process(sample)
    assert result.status == "encrypted"
    assert result.error is not None and result.error.code == "pdf.password_required"


def test_corpus_word_recall_against_pdftotext_is_at_least_095(corpus: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    low = {}
    for path in corpus_pdfs(corpus):
        status, _, doc = load(path)
        if status != "ok" or doc is None:
            continue
        reference = subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, timeout=60
        ).stdout
        recall = word_recall(reference, doc.text)
        if recall < 0.95:
            low[path.name] = round(recall, 3)
    assert low == {}


# -- the fallback engine ------------------------------------------------------------------------


def test_the_pypdf_engine_feeds_the_same_paragraph_furniture_and_hyphen_rules(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    from llmprep.loaders.pdf.assemble import assemble
    from llmprep.loaders.pdf.pypdf_reader import PypdfReader
    from llmprep.models import DocumentMetadata

    path = tmp_path / "report.pdf"
    body = report_with_furniture(path, pages=4)
    reader = PypdfReader(PdfReader(path))
    pages = [reader.page(i) for i in range(len(reader))]
    source = SourceFile(path=path, rel_path=path.name, config=Config())
    doc = assemble(
        source, pages, [], {"pypdf"}, DocumentMetadata(page_count=4), [], encrypted=False
    )
    text = " ".join(doc.text.split())
    assert "ACME Logistics" not in text and "Confidential" not in text
    assert all(line in text for line in body[:40])
    assert {e.page for e in doc.elements} == {1, 2, 3, 4}


def test_a_rotated_page_is_read(tmp_path: Path) -> None:
    path = tmp_path / "rotated.pdf"
    c, _ = canvas_for(path)
    c.setPageRotation(90)  # reportlab also swaps the media box: 842 wide, 595 high
    c.setFont("Helvetica", 11)
    c.drawString(72, 400, "Landscape tables are often rotated pages.")
    c.save()
    status, _, doc = load(path)
    assert status == "ok" and doc is not None and "Landscape tables" in doc.text
