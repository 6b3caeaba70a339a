"""Layout templates for the generated PDF set, written with reportlab's platypus.

Each template turns a seed into a PDF and its ground truth (`Truth`): headings with levels,
paragraphs (each must come out as one piece), tables by rows, form values, furniture that must
not reach the body, and text that must be present. Templates vary fonts, sizes, numbering
styles, one and two columns, running headers and footers, captions, theorem-style labels,
reference lists, rotated stamps and labels, and text flowing across column and page breaks.

The tune templates are `report`, `paper`, `manual` and `form`; `newsletter` and `thesis` are
measure-only: their layouts (first-line indents without spacing, zebra tables, LaTeX-style
running headers carrying section numbers, ruled tables with vertical lines) are not tuned on.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pdf_text import Text
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Preformatted,
    Spacer,
    Table,
    TableStyle,
)

FONTS = {
    "sans": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"),
    "serif": ("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"),
}


@dataclass
class Truth:
    template: str
    seed: int
    headings: list[dict[str, Any]] = field(default_factory=list)  # text, level (0 = title)
    paragraphs: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)  # rows, header_rows, kind
    forms: list[dict[str, str]] = field(default_factory=list)  # name, value
    furniture: list[str] = field(default_factory=list)  # must not be inside body elements
    present: list[str] = field(default_factory=list)  # must be found in the text
    not_headings: list[str] = field(default_factory=list)  # captions, labels, references

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Builder:
    """A platypus story plus the truth about it."""

    def __init__(self, template: str, seed: int) -> None:
        self.truth = Truth(template, seed)
        self.text = Text(seed)
        self.rng: random.Random = self.text.rng
        self.story: list[Flowable] = []
        self.counters = [0, 0, 0]
        self.tables = 0
        self.figures = 0

    # -- styles ---------------------------------------------------------------------------

    @staticmethod
    def style(name: str, font: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.22)
        return ParagraphStyle(name, fontName=font, fontSize=size, **kw)

    # -- content --------------------------------------------------------------------------

    def title(self, text: str, style: ParagraphStyle) -> None:
        self.truth.headings.append({"text": text, "level": 0})
        self.story.append(Paragraph(escape(text), style))

    def heading(
        self, text: str, level: int, style: ParagraphStyle, numbering: str | None = None
    ) -> str:
        """A heading; `numbering` is "decimal", "roman", "chapter" or None (unnumbered)."""
        if numbering:
            self.counters[level - 1] += 1
            for deeper in range(level, len(self.counters)):
                self.counters[deeper] = 0
            numbers = self.counters[:level]
            if numbering == "roman" and level == 1:
                text = f"{_roman(numbers[0])}. {text.upper()}"
            elif numbering == "roman":
                text = f"{'ABCDEFGHIJ'[numbers[-1] - 1]}. {text}"
            else:
                text = f"{'.'.join(str(n) for n in numbers)} {text}"
        self.truth.headings.append({"text": text, "level": level})
        self.story.append(CondPageBreak(style.fontSize * 6))
        self.story.append(Paragraph(escape(text), style))
        return text

    def para(self, text: str, style: ParagraphStyle, lead: str = "") -> None:
        """A body paragraph; `lead` is a run-in label in bold ("Lemma 2.")."""
        plain = f"{lead} {text}" if lead else text
        self.truth.paragraphs.append(plain)
        markup = f"<b>{escape(lead)}</b> {escape(text)}" if lead else escape(text)
        self.story.append(Paragraph(markup, style))

    def label(self, text: str, style: ParagraphStyle) -> None:
        """A standalone theorem-style label line: not a heading."""
        self.truth.not_headings.append(text)
        self.story.append(Paragraph(f"<b>{escape(text)}</b>", style))

    def caption(self, kind: str, style: ParagraphStyle) -> str:
        if kind == "Table":
            self.tables += 1
            number = self.tables
        else:
            self.figures += 1
            number = self.figures
        sep = self.rng.choice((":", "."))
        text = f"{kind} {number}{sep} {self.text.sentence()}"
        self.truth.not_headings.append(text)
        bold = f"<b>{kind} {number}{sep}</b>"
        self.story.append(Paragraph(bold + escape(text[len(f"{kind} {number}{sep}") :]), style))
        return text

    def items(self, items: list[str], style: ParagraphStyle, marker: str) -> None:
        for i, item in enumerate(items, 1):
            bullet = f"{i}." if marker == "number" else marker
            self.truth.paragraphs.append(item)
            self.story.append(Paragraph(escape(item), style, bulletText=bullet))

    def table(
        self,
        rows: list[list[str]],
        kind: str,
        font: tuple[str, str],
        size: float,
        widths: list[float] | None = None,
    ) -> None:
        """`kind`: grid (all rules), booktabs (three horizontal rules), plain (no rules),
        zebra (shaded rows, rules under each row), boxed (outer box and column rules)."""
        self.truth.tables.append({"rows": rows, "header_rows": 1, "kind": kind})
        regular, bold = font
        cmds: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), regular, size),
            ("FONT", (0, 0), (-1, 0), bold, size),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
        ]
        if kind == "grid":
            cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        elif kind == "booktabs":
            cmds += [
                ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
            ]
        elif kind == "zebra":
            cmds += [
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#e8eef4")]),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#c8d4e0")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        elif kind == "boxed":
            cmds += [
                ("BOX", (0, 0), (-1, -1), 0.75, colors.black),
                ("INNERGRID", (0, 0), (-1, -1), 0, colors.white),
                ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ]
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        table.setStyle(TableStyle(cmds))
        self.story.append(table)

    def code(self, lines: list[str], style: ParagraphStyle) -> None:
        self.story.append(Preformatted("\n".join(lines), style))

    def figure(self, width: float, height: float, label: str | None = None) -> None:
        self.story.append(_Box(width, height, label))
        if label:
            self.truth.present.append(label)

    def references(self, count: int, style_name: str, style: ParagraphStyle) -> None:
        for n in range(1, count + 1):
            entry = self.text.reference(n, style_name)
            self.truth.paragraphs.append(entry)
            self.truth.not_headings.append(entry)
            self.story.append(Paragraph(escape(entry), style))

    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)


class _Box(Flowable):
    """A figure placeholder: a framed box, optionally with a vertical label beside it."""

    def __init__(self, width: float, height: float, label: str | None) -> None:
        super().__init__()
        self.width, self.height, self.label = width, height, label

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colors.grey)
        c.rect(14, 0, self.width - 14, self.height)
        c.line(20, 8, self.width - 8, self.height - 8)
        if self.label:
            c.saveState()
            c.setFont("Helvetica", 7)
            c.translate(9, 4)
            c.rotate(90)
            c.drawString(0, 0, self.label)
            c.restoreState()


class _SetChapter(Flowable):
    """Zero-size marker: from the page it lands on, the running header shows `name`."""

    def __init__(self, chapters: list[str], name: str) -> None:
        super().__init__()
        self.chapters, self.name = chapters, name
        self.width = self.height = 0

    def draw(self) -> None:
        self.chapters.append(self.name)


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1]


# -- page furniture --------------------------------------------------------------------------


@dataclass
class Furniture:
    header: str | None = None
    footer: str | None = None
    page_numbers: str = "bottom"  # bottom | top | "page n"
    font: str = "Helvetica"
    stamp: str | None = None  # a rotated side stamp on page 1
    rule: bool = False
    header_from_chapter: bool = False
    chapter: list[str] = field(default_factory=lambda: [""])

    def draw(self, canvas: Any, doc: Any) -> None:
        width, height = doc.pagesize
        page = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(self.font, 8.5)
        header = self.header
        if self.header_from_chapter and self.chapter[-1]:
            header = self.chapter[-1]
        if header:
            if self.page_numbers == "top":
                if page % 2:
                    canvas.drawRightString(
                        width - doc.rightMargin, height - 40, f"{header}   {page}"
                    )
                else:
                    canvas.drawString(doc.leftMargin, height - 40, f"{page}   {header}")
            else:
                canvas.drawString(doc.leftMargin, height - 40, header)
            if self.rule:
                canvas.setLineWidth(0.4)
                canvas.line(doc.leftMargin, height - 44, width - doc.rightMargin, height - 44)
        if self.footer:
            canvas.drawString(doc.leftMargin, 34, self.footer)
        if self.page_numbers == "bottom":
            canvas.drawCentredString(width / 2, 34, str(page))
        elif self.page_numbers == "page n":
            canvas.drawRightString(width - doc.rightMargin, 34, f"Page {page}")
        if self.stamp and page == 1:
            canvas.setFont("Times-Roman", 18)
            canvas.setFillColor(colors.grey)
            canvas.translate(28, height * 0.28)
            canvas.rotate(90)
            canvas.drawString(0, 0, self.stamp)
        canvas.restoreState()


def _furniture_truth(b: Builder, furniture: Furniture) -> None:
    for text in (furniture.header, furniture.footer, furniture.stamp):
        if text:
            b.truth.furniture.append(text)


def _build(
    path: Path,
    b: Builder,
    pagesize: tuple[float, float],
    margins: float,
    columns: int,
    furniture: Furniture,
    *,
    first_block: float = 0.0,
    gap: float = 18.0,
) -> None:
    """Write the story with one or two columns; `first_block` reserves a full-width area at
    the top of page 1 (title and authors) above the columns."""
    width, height = pagesize
    doc = BaseDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=margins,
        rightMargin=margins,
        topMargin=margins,
        bottomMargin=margins,
        title="",
        author="",
    )
    inner_w = width - 2 * margins
    inner_h = height - 2 * margins
    col_w = (inner_w - gap * (columns - 1)) / columns

    def columns_frames(top_cut: float, prefix: str) -> list[Frame]:
        return [
            Frame(
                margins + i * (col_w + gap),
                margins,
                col_w,
                inner_h - top_cut,
                id=f"{prefix}{i}",
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            for i in range(columns)
        ]

    first: list[Frame] = []
    if first_block:
        first.append(
            Frame(margins, height - margins - first_block, inner_w, first_block, id="head")
        )
    first += columns_frames(first_block, "f")
    draw: Callable[..., None] = furniture.draw
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=first, onPageEnd=draw),
            PageTemplate(id="later", frames=columns_frames(0, "c"), onPageEnd=draw),
        ]
    )
    story = [NextPageTemplate("later"), *b.story]
    doc.build(story)


# -- templates -------------------------------------------------------------------------------


def report(path: Path, seed: int) -> Truth:
    """One column, numbered headings (1, 1.1, 1.1.1), grid tables, lists, running header."""
    b = Builder("report", seed)
    r = b.rng
    family = r.choice(("sans", "serif"))
    regular, bold, italic, bold_italic = FONTS[family]
    body_size = r.choice((9.5, 10, 10.5, 11))
    body = b.style("body", regular, body_size, alignment=r.choice((TA_JUSTIFY, TA_LEFT)),
                   spaceAfter=body_size * 0.6)  # fmt: skip
    h1 = b.style("h1", bold, body_size + r.choice((4, 5, 6)), spaceBefore=10, spaceAfter=6)
    h2 = b.style("h2", bold, body_size + r.choice((1.5, 2.5)), spaceBefore=8, spaceAfter=4)
    h3 = b.style("h3", bold_italic, body_size, spaceBefore=6, spaceAfter=3)
    caption = b.style("caption", italic, body_size - 1, spaceBefore=4, spaceAfter=6)
    item = b.style("item", regular, body_size, leftIndent=18, bulletIndent=6, spaceAfter=2)
    title = b.text.title()
    b.title(title, b.style("title", bold, body_size + 10, spaceAfter=6))
    b.para(f"Prepared by {b.text.person()} for the {b.text.word()} office.", body)
    furniture = Furniture(
        header=f"{title[:40].rstrip()} - internal report",
        footer=r.choice(("Confidential", "For internal use only", None)),
        page_numbers=r.choice(("bottom", "page n")),
        font=regular,
        rule=r.random() < 0.5,
    )
    _furniture_truth(b, furniture)
    for _ in range(r.randint(3, 4)):
        b.heading(b.text.topic(), 1, h1, "decimal")
        b.para(b.text.paragraph(3, 6), body)
        for _ in range(r.randint(1, 3)):
            b.heading(b.text.topic(), 2, h2, "decimal")
            for _ in range(r.randint(1, 3)):
                b.para(b.text.paragraph(2, 7), body)
            if r.random() < 0.35:
                b.heading(b.text.topic(), 3, h3, "decimal")
                b.para(b.text.paragraph(2, 5), body)
            roll = r.random()
            if roll < 0.3:
                b.caption("Table", caption)
                rows = b.text.table(r.randint(3, 7), r.randint(3, 5), r.random() < 0.6)
                b.table(rows, "grid", (regular, bold), body_size - 1)
            elif roll < 0.5:
                marker = r.choice(("•", "number", "–"))
                b.items([b.text.sentence() for _ in range(r.randint(2, 5))], item, marker)
            elif roll < 0.6:
                b.figure(200, 90)
                b.caption("Figure", caption)
    _build(path, b, r.choice((A4, letter)), r.choice((64, 72)), 1, furniture)
    return b.truth


def paper(path: Path, seed: int) -> Truth:
    """Two columns, title block, abstract, numbered or IEEE-style sections, theorem labels,
    booktabs tables, references, page numbers and an arXiv-style side stamp."""
    b = Builder("paper", seed)
    r = b.rng
    regular, bold, italic, _ = FONTS["serif"]
    size = r.choice((9, 9.5, 10))
    body = b.style("body", regular, size, alignment=TA_JUSTIFY, spaceAfter=size * 0.4)
    numbering = r.choice(("decimal", "roman"))
    h1 = b.style("h1", bold, size + 2, spaceBefore=8, spaceAfter=4,
                 alignment=TA_CENTER if numbering == "roman" else TA_LEFT)  # fmt: skip
    h2 = b.style("h2", bold if numbering == "decimal" else italic, size + 0.5, spaceBefore=6,
                 spaceAfter=3)  # fmt: skip
    small = b.style("small", regular, size - 1.5, leftIndent=12, firstLineIndent=-12,
                    spaceAfter=2, alignment=TA_LEFT)  # fmt: skip
    caption = b.style("caption", regular, size - 1, alignment=TA_CENTER, spaceBefore=4,
                      spaceAfter=6)  # fmt: skip
    center = b.style("center", regular, size + 1, alignment=TA_CENTER)
    title = b.text.title()
    b.title(title, b.style("title", bold, size + 8, alignment=TA_CENTER, spaceAfter=8))
    authors = ", ".join(b.text.person() for _ in range(r.randint(2, 4)))
    b.truth.not_headings.append(authors)
    b.add(Paragraph(escape(authors), center))
    b.add(Paragraph(f"University of {b.text.pick(('Uppsala', 'Porto', 'Graz', 'Leeds'))}",
                    b.style("aff", italic, size, alignment=TA_CENTER)), FrameBreak())  # fmt: skip
    b.heading("Abstract", 1, b.style("abs", bold, size, alignment=TA_CENTER, spaceAfter=2))
    b.counters[0] = 0
    b.para(b.text.paragraph(4, 6), body)
    stamp = b.text.stamp() if r.random() < 0.7 else None
    furniture = Furniture(page_numbers="bottom", font=regular, stamp=stamp)
    _furniture_truth(b, furniture)
    for section in range(r.randint(4, 5)):
        b.heading(b.text.topic(), 1, h1, numbering)
        for _ in range(r.randint(2, 3)):
            b.para(b.text.paragraph(3, 7, cite=True), body)
        for _ in range(r.randint(0, 2)):
            b.heading(b.text.topic(), 2, h2, numbering)
            b.para(b.text.paragraph(3, 6, cite=True), body)
        roll = r.random()
        if roll < 0.35:
            kind = r.choice(("Lemma", "Theorem", "Proposition", "Definition"))
            b.para(b.text.paragraph(1, 2), body, lead=f"{kind} {section + 1}.")
            b.para(b.text.paragraph(1, 3), body, lead="Proof.")
        elif roll < 0.5:
            b.label(f"Theorem {section + 1} ({b.text.word().capitalize()} bound).", body)
            b.para(b.text.paragraph(1, 3), body)
        elif roll < 0.75:
            b.caption("Table", caption)
            rows = b.text.table(r.randint(3, 5), 3, True)
            b.table(rows, "booktabs", (regular, bold), size - 1)
            b.add(Spacer(1, 6))
        else:
            b.figure(180, 70)
            b.caption("Figure", caption)
    b.heading("References" if numbering == "decimal" else "REFERENCES", 1, h1)
    b.references(r.randint(6, 10), r.choice(("bracket", "number")), small)
    _build(path, b, letter, 54, 2, furniture, first_block=130, gap=r.choice((14, 20)))
    return b.truth


def manual(path: Path, seed: int) -> Truth:
    """Unnumbered headings by size, borderless tables, code blocks, chapter running headers,
    a rotated figure label."""
    b = Builder("manual", seed)
    r = b.rng
    regular, bold, italic, _ = FONTS[r.choice(("sans", "serif"))]
    size = r.choice((9.5, 10, 10.5))
    body = b.style("body", regular, size, spaceAfter=size * 0.7)
    h1 = b.style("h1", bold, size + r.choice((10, 12)), spaceAfter=10)
    h2 = b.style("h2", bold, size + r.choice((4, 5)), spaceBefore=10, spaceAfter=4)
    h3 = b.style("h3", bold, size + r.choice((0, 1)), spaceBefore=6, spaceAfter=2)
    code = b.style("code", "Courier", size - 1.5, leftIndent=16, spaceAfter=8)
    caption = b.style("caption", italic, size - 1, spaceAfter=8)
    furniture = Furniture(page_numbers="top", font=regular, header_from_chapter=True, rule=True)
    for chapter in range(r.randint(2, 3)):
        name = b.text.topic()
        if chapter:
            b.add(PageBreak())
        b.heading(name, 1, h1)
        b.add(_SetChapter(furniture.chapter, name))
        b.para(b.text.paragraph(2, 4), body)
        for _ in range(r.randint(2, 3)):
            b.heading(b.text.topic(), 2, h2)
            b.para(b.text.paragraph(2, 6), body)
            if r.random() < 0.5:
                b.heading(b.text.topic(), 3, h3)
                b.para(b.text.paragraph(2, 5), body)
            roll = r.random()
            if roll < 0.4:
                b.caption("Table", caption)
                rows = b.text.table(r.randint(3, 6), r.randint(3, 4), r.random() < 0.5)
                b.table(rows, "plain", (regular, bold), size - 0.5)
                b.add(Spacer(1, 8))
            elif roll < 0.65:
                b.code([b.text.code_line() for _ in range(r.randint(3, 6))], code)
                b.para(b.text.paragraph(1, 3), body, lead="Note:")
            elif roll < 0.8:
                label = f"{b.text.word()} load (kN)".capitalize()
                b.figure(220, 100, label)
                b.caption("Figure", caption)
    # Chapter names are furniture in the header, but also headings: only the header copy
    # (at the page top, with the page number) is furniture.
    _build(path, b, A4, r.choice((60, 70)), 1, furniture)
    return b.truth


def form(path: Path, seed: int) -> Truth:
    """A filled AcroForm: text fields, a choice, check boxes; labels printed beside them."""
    from reportlab.pdfgen import canvas

    t = Text(seed)
    r = t.rng
    truth = Truth("form", seed)
    c = canvas.Canvas(str(path), pagesize=A4)
    _width, height = A4
    title = f"{t.pick(('Application', 'Registration', 'Claim', 'Change'))} form"
    truth.headings.append({"text": title, "level": 0})
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, height - 80, title)
    c.setFont("Helvetica", 10)
    intro = t.sentence()
    c.drawString(72, height - 104, intro)
    truth.paragraphs.append(intro)
    fields = [
        ("Full name", t.person()),
        ("City", t.pick(("Uppsala", "Lyon", "Porto", "Graz"))),
        ("Reference number", f"{r.randint(100, 999)}-{r.randint(1000, 9999)}"),
        ("Comments", t.sentence()[:60]),
    ]
    y = height - 150
    form_ = c.acroForm
    for label, value in fields:
        c.drawString(72, y + 6, f"{label}:")
        name = label.lower().replace(" ", "_")
        form_.textfield(name=name, tooltip=label, value=value, x=200, y=y, width=300, height=20,
                        fontSize=10, borderWidth=0.5)  # fmt: skip
        truth.forms.append({"name": label, "value": value})
        y -= 40
    country = r.choice(("Sweden", "France", "Portugal", "Austria"))
    c.drawString(72, y + 6, "Country:")
    form_.choice(name="country", tooltip="Country", value=country,
                 options=["Sweden", "France", "Portugal", "Austria"], x=200, y=y, width=150,
                 height=20, fontSize=10)  # fmt: skip
    truth.forms.append({"name": "Country", "value": country})
    y -= 40
    for label in ("Subscribe to updates", "Accept the terms"):
        checked = r.random() < 0.6
        c.drawString(100, y + 4, label)
        form_.checkbox(name=label.lower().replace(" ", "_"), tooltip=label, checked=checked,
                       x=72, y=y, size=14)  # fmt: skip
        if checked:  # an unticked box has no value to report
            truth.forms.append({"name": label, "value": "Yes"})
        y -= 30
    note = t.sentence()
    c.freeTextAnnotation(note, DA="/Helv 10 Tf 0 g", Rect=(72, y - 40, 400, y - 10))
    truth.present.append(note)
    c.showPage()
    c.save()
    return truth


def newsletter(path: Path, seed: int) -> Truth:
    """Measure-only: two columns, first-line indents without paragraph spacing, bold body-size
    headings, zebra tables, a running footer with the issue number."""
    b = Builder("newsletter", seed)
    r = b.rng
    regular, bold, italic, _ = FONTS[r.choice(("sans", "serif"))]
    size = r.choice((9, 9.5, 10))
    body = b.style("body", regular, size, alignment=TA_JUSTIFY, firstLineIndent=size * 1.5)
    head = b.style("head", bold, size + 1, spaceBefore=size, spaceAfter=2)
    caption = b.style("caption", italic, size - 1, spaceAfter=6, spaceBefore=3)
    item = b.style("item", regular, size, leftIndent=12, bulletIndent=2)
    title = f"The {b.text.word().capitalize()} {b.text.pick(('Letter', 'Bulletin', 'Review'))}"
    b.title(title, b.style("t", bold, 24, alignment=TA_CENTER, spaceAfter=4))
    issue = f"{title} - issue {r.randint(2, 40)}"
    furniture = Furniture(footer=issue, page_numbers="page n", font=regular)
    _furniture_truth(b, furniture)
    b.add(FrameBreak())
    for _ in range(r.randint(4, 6)):
        b.heading(f"{b.text.topic()} {b.text.pick(('update', 'news', 'notes'))}", 1, head)
        for _ in range(r.randint(2, 4)):
            b.para(b.text.paragraph(3, 6), body)
        roll = r.random()
        if roll < 0.35:
            b.caption("Table", caption)
            rows = b.text.table(r.randint(3, 6), 3, r.random() < 0.5)
            b.table(rows, "zebra", (regular, bold), size - 1)
            b.add(Spacer(1, 6))
        elif roll < 0.6:
            b.items([b.text.sentence() for _ in range(r.randint(2, 4))], item, "–")
    _build(path, b, A4, 50, 2, furniture, first_block=60, gap=16)
    return b.truth


def thesis(path: Path, seed: int) -> Truth:
    """Measure-only: one column, chapter and section numbers, LaTeX-style running headers with
    the section number and page number, boxed tables with column rules, numbered references."""
    b = Builder("thesis", seed)
    r = b.rng
    regular, bold, italic, _ = FONTS["serif"]
    size = r.choice((10.5, 11, 12))
    body = b.style("body", regular, size, alignment=TA_JUSTIFY, firstLineIndent=size * 1.5,
                   leading=size * 1.35)  # fmt: skip
    chap = b.style("chap", bold, size + 9, spaceBefore=20, spaceAfter=14)
    sec = b.style("sec", bold, size + 3, spaceBefore=12, spaceAfter=6)
    sub = b.style("sub", bold, size + 1, spaceBefore=8, spaceAfter=4)
    caption = b.style("caption", regular, size - 1, alignment=TA_CENTER, spaceAfter=8,
                      spaceBefore=4)  # fmt: skip
    refs = b.style("refs", regular, size - 1, leftIndent=18, firstLineIndent=-18, spaceAfter=3)
    furniture = Furniture(page_numbers="top", font=italic, header_from_chapter=True)
    for chapter in range(r.randint(2, 3)):
        if chapter:
            b.add(PageBreak())
        name = b.heading(b.text.topic(), 1, chap, "decimal")
        b.add(_SetChapter(furniture.chapter, name.upper()))
        b.para(b.text.paragraph(3, 5), body)
        for _ in range(r.randint(2, 3)):
            b.heading(b.text.topic(), 2, sec, "decimal")
            for _ in range(r.randint(1, 3)):
                b.para(b.text.paragraph(3, 7, cite=True), body)
            if r.random() < 0.4:
                b.heading(b.text.topic(), 3, sub, "decimal")
                b.para(b.text.paragraph(2, 5), body)
            if r.random() < 0.35:
                rows = b.text.table(r.randint(3, 6), r.randint(3, 4), r.random() < 0.6)
                b.table(rows, "boxed", (regular, bold), size - 1)
                b.caption("Table", caption)
    b.heading("Bibliography", 1, chap)
    b.references(r.randint(5, 8), "number", refs)
    _build(path, b, A4, 72, 1, furniture)
    return b.truth


TEMPLATES: dict[str, Callable[[Path, int], Truth]] = {
    "report": report,
    "paper": paper,
    "manual": manual,
    "form": form,
    "newsletter": newsletter,
    "thesis": thesis,
}
TUNE_TEMPLATES = ("report", "paper", "manual", "form")
MEASURE_TEMPLATES = ("newsletter", "thesis")
