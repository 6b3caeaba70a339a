"""LaTeX templates for the generated PDF set (bench only: skipped where pdflatex is missing).

Most PDFs people feed a knowledge base from papers and reports are typeset by LaTeX: Computer
Modern fonts named like CMBX10, rows of tables set as one text run, words hyphenated across
lines, theorem labels set in bold inside the paragraph, running headers in slanted capitals.
reportlab cannot write those; pdflatex can. The text comes from the same seeded generator as
the reportlab templates, and the truth is written the same way (`Truth`).

`article` (tune): one column, sections to subsubsections, booktabs and fully ruled tables,
lists, theorems and proofs, footnotes, a bibliography, running headers; an outline (hyperref)
in half of the seeds. `twocolumn` (measure-only): two columns, abstract, a table across both
columns, figure captions, an arXiv-style stamp added afterwards in the left margin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pdf_templates import Truth
from pdf_text import Text


def available() -> bool:
    return shutil.which("pdflatex") is not None


def _escape(text: str) -> str:
    return (
        text.replace("\\", r"\textbackslash{}")
        .replace("&", r"\&")
        .replace("%", r"\%")
        .replace("$", r"\$")
        .replace("#", r"\#")
        .replace("_", r"\_")
        .replace("{", r"\{")
        .replace("}", r"\}")
    )


class _Doc:
    def __init__(self, template: str, seed: int) -> None:
        self.truth = Truth(template, seed)
        self.text = Text(seed)
        self.rng = self.text.rng
        self.body: list[str] = []
        self.numbers = [0, 0, 0]
        self.tables = 0
        self.figures = 0

    def section(self, level: int, title: str | None = None, numbered: bool = True) -> None:
        title = title or self.text.topic()
        command = ("section", "subsection", "subsubsection")[level - 1]
        if numbered:
            self.numbers[level - 1] += 1
            for deeper in range(level, 3):
                self.numbers[deeper] = 0
            number = ".".join(str(n) for n in self.numbers[:level])
            self.truth.headings.append({"text": f"{number} {title}", "level": level})
            self.body.append(f"\\{command}{{{_escape(title)}}}")
        else:
            self.truth.headings.append({"text": title, "level": level})
            self.body.append(f"\\{command}*{{{_escape(title)}}}")

    def para(self, text: str) -> None:
        self.truth.paragraphs.append(text)
        self.body.append(_escape(text) + "\n")

    def theorem(self, kind: str) -> None:
        statement = self.text.paragraph(1, 2)
        proof = self.text.paragraph(1, 3)
        number = sum(1 for line in self.body if line.startswith(f"\\begin{{{kind}}}")) + 1
        label = f"{kind.capitalize()} {number}."
        self.truth.paragraphs.append(f"{label} {statement}")
        self.truth.paragraphs.append(f"Proof. {proof}")
        self.truth.not_headings.append(label)
        self.body.append(f"\\begin{{{kind}}}{_escape(statement)}\\end{{{kind}}}")
        self.body.append(f"\\begin{{proof}}{_escape(proof)}\\end{{proof}}")

    def items(self, count: int, numbered: bool) -> None:
        env = "enumerate" if numbered else "itemize"
        entries = [self.text.sentence() for _ in range(count)]
        self.truth.paragraphs.extend(entries)
        self.body.append(
            f"\\begin{{{env}}}\n"
            + "\n".join(f"\\item {_escape(e)}" for e in entries)
            + f"\n\\end{{{env}}}"
        )

    def caption(self, kind: str) -> str:
        if kind == "Table":
            self.tables += 1
            number = self.tables
        else:
            self.figures += 1
            number = self.figures
        sentence = self.text.sentence()
        self.truth.not_headings.append(f"{kind} {number}: {sentence}")
        return f"\\caption{{{_escape(sentence)}}}"

    def table(self, style: str, wide: bool = False) -> None:
        r = self.rng
        cols = r.randint(3, 5) if not wide else r.randint(4, 6)
        rows = self.text.table(r.randint(3, 7), cols, r.random() < 0.6)
        self.truth.tables.append({"rows": rows, "header_rows": 1, "kind": style})
        env = "table*" if wide else "table"
        if style == "booktabs":
            spec = "l" + "r" * (cols - 1)
            top, mid, bottom, sep = "\\toprule", "\\midrule", "\\bottomrule", ""
        else:
            spec = "|l|" + "r|" * (cols - 1)
            top, mid, bottom, sep = "\\hline", "\\hline", "\\hline", "\\hline"
        lines = [" & ".join(_escape(c) for c in row) + " \\\\" + (f" {sep}" if sep else "")
                 for row in rows[1:]]  # fmt: skip
        if sep:
            lines[-1] = lines[-1][: -len(sep) - 1]
        header = " & ".join(_escape(c) for c in rows[0]) + " \\\\"
        self.body.append(
            f"\\begin{{{env}}}[ht]\\centering\n{self.caption('Table')}\n"
            f"\\begin{{tabular}}{{{spec}}}\n{top}\n{header}\n{mid}\n"
            + "\n".join(lines)
            + f"\n{bottom}\n\\end{{tabular}}\n\\end{{{env}}}"
        )

    def figure(self) -> None:
        self.body.append(
            "\\begin{figure}[ht]\\centering\\fbox{\\rule{0pt}{1.2in}\\rule{0.7\\linewidth}{0pt}}\n"
            f"{self.caption('Figure')}\n\\end{{figure}}"
        )

    def footnote(self) -> None:
        note = self.text.sentence()
        if self.body:
            self.body[-1] = self.body[-1].rstrip() + f"\\footnote{{{_escape(note)}}}\n"

    def code(self) -> None:
        lines = [self.text.code_line() for _ in range(self.rng.randint(3, 5))]
        self.body.append("\\begin{verbatim}\n" + "\n".join(lines) + "\n\\end{verbatim}")

    def bibliography(self, count: int) -> None:
        self.truth.headings.append({"text": "References", "level": 1})
        entries = []
        for n in range(1, count + 1):
            entry = self.text.reference(n, "bracket")
            plain = entry.split("] ", 1)[1]
            self.truth.paragraphs.append(f"[{n}] {plain}")
            self.truth.not_headings.append(f"[{n}] {plain}")
            entries.append(f"\\bibitem{{r{n}}} {_escape(plain)}")
        self.body.append(
            "\\begin{thebibliography}{99}\n" + "\n".join(entries) + "\n\\end{thebibliography}"
        )


_PREAMBLE = r"""\documentclass[{options}]{{article}}
\usepackage{{booktabs,amsthm,graphicx}}
{hyperref}
\newtheorem{{theorem}}{{Theorem}}
\newtheorem{{lemma}}{{Lemma}}
\newtheorem{{definition}}{{Definition}}
\pagestyle{{{pagestyle}}}
\title{{{title}}}\author{{{authors}}}\date{{}}
\begin{{document}}
\maketitle
"""


def _compile(source: str, path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tex = Path(tmp) / "doc.tex"
        tex.write_text(source)
        for _ in range(2):  # the second run settles references and the outline
            subprocess.run(
                ["pdflatex", "-interaction=batchmode", "-halt-on-error", "doc.tex"],
                cwd=tmp,
                capture_output=True,
                check=True,
                env={**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"},
            )
        shutil.copy(Path(tmp) / "doc.pdf", path)


def article(path: Path, seed: int) -> Truth:
    d = _Doc("article", seed)
    r = d.rng
    title = d.text.title()
    d.truth.headings.append({"text": title, "level": 0})
    for _ in range(r.randint(3, 5)):
        d.section(1)
        d.para(d.text.paragraph(3, 7, cite=True))
        for _ in range(r.randint(1, 3)):
            d.section(2)
            for _ in range(r.randint(1, 3)):
                d.para(d.text.paragraph(3, 8, cite=True))
            if r.random() < 0.3:
                d.footnote()
            if r.random() < 0.3:
                d.section(3)
                d.para(d.text.paragraph(2, 6))
            roll = r.random()
            if roll < 0.3:
                d.table(r.choice(("booktabs", "ruled")))
            elif roll < 0.45:
                d.theorem(r.choice(("theorem", "lemma", "definition")))
            elif roll < 0.6:
                d.items(r.randint(2, 5), r.random() < 0.5)
            elif roll < 0.7:
                d.figure()
            elif roll < 0.8:
                d.code()
    d.bibliography(r.randint(5, 9))
    source = _PREAMBLE.format(
        options=r.choice(("10pt", "11pt", "12pt")) + ",a4paper",
        hyperref="\\usepackage{hyperref}" if r.random() < 0.5 else "",
        pagestyle=r.choice(("headings", "plain")),
        title=_escape(title),
        authors=" \\and ".join(_escape(d.text.person()) for _ in range(r.randint(1, 3))),
    )
    _compile(source + "\n\n".join(d.body) + "\n\\end{document}\n", path)
    return d.truth


def twocolumn(path: Path, seed: int) -> Truth:
    d = _Doc("twocolumn", seed)
    r = d.rng
    title = d.text.title()
    d.truth.headings.append({"text": title, "level": 0})
    d.truth.headings.append({"text": "Abstract", "level": 1})
    abstract = d.text.paragraph(4, 6)
    d.truth.paragraphs.append(abstract)
    d.body.append(f"\\begin{{abstract}}{_escape(abstract)}\\end{{abstract}}")
    for _ in range(r.randint(4, 6)):
        d.section(1)
        for _ in range(r.randint(2, 3)):
            d.para(d.text.paragraph(3, 7, cite=True))
        if r.random() < 0.5:
            d.section(2)
            d.para(d.text.paragraph(3, 6))
        roll = r.random()
        if roll < 0.25:
            d.table("booktabs", wide=r.random() < 0.4)
        elif roll < 0.45:
            d.figure()
        elif roll < 0.6:
            d.theorem("lemma")
    d.bibliography(r.randint(6, 12))
    source = _PREAMBLE.format(
        options="twocolumn,10pt,letterpaper",
        hyperref="\\usepackage{hyperref}" if r.random() < 0.5 else "",
        pagestyle="plain",
        title=_escape(title),
        authors=" \\and ".join(_escape(d.text.person()) for _ in range(r.randint(2, 4))),
    )
    # The abstract environment titles itself; it has to come after \maketitle.
    _compile(source + "\n\n".join(d.body) + "\n\\end{document}\n", path)
    stamp = d.text.stamp()
    _stamp(path, stamp)
    d.truth.furniture.append(stamp)
    return d.truth


def _stamp(path: Path, stamp: str) -> None:
    """Overlay a rotated identifier in the left margin of page 1, as arXiv does."""
    import io

    from pypdf import PdfReader, PdfWriter
    from reportlab.lib import colors
    from reportlab.pdfgen import canvas

    reader = PdfReader(path)
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    c.setFont("Times-Roman", 20)
    c.setFillColor(colors.grey)
    c.translate(32, height * 0.3)
    c.rotate(90)
    c.drawString(0, 0, stamp)
    c.save()
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    with path.open("wb") as fh:
        writer.write(fh)
