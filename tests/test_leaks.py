"""No synthetic personal value survives `llmprep run`, in any output file or anything printed.

One run over one document per format (markdown, HTML, email, mailbox, Word, PDF), each full of
its own known values (names, email addresses, phones, street addresses, cards, IBANs, SSNs) in
the body, the headings, tables, headers/footers and the file's own metadata. The tests are
parametrized per format, so a format whose loader is missing or failing shows up by name.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FORMATS = ("md", "html", "eml", "mbox", "docx", "pdf")

# Per format: (person, second person, email, phone, street address, card, IBAN, SSN)
VALUES: dict[str, dict[str, str]] = {
    "md": {
        "person": "Olaf Vandersloot",
        "person2": "Greta Lindqvist",
        "email": "olaf.vandersloot@example.org",
        "phone": "+44 20 7946 0958",
        "address": "221 Baker Street, London NW1 6XE",
        "card": "4111 1111 1111 1111",
        "iban": "DE89 3704 0044 0532 0130 00",
        "ssn": "372-81-5530",
    },
    "html": {
        "person": "Mirela Popescu",
        "person2": "Tomasz Zielinski",
        "email": "mirela.popescu@example.net",
        "phone": "+33 1 42 68 53 00",
        "address": "15 Rue de la Paix, 75002 Paris",
        "card": "5500 0055 5555 5559",
        "iban": "GB82 WEST 1234 5698 7654 32",
        "ssn": "418-26-9041",
    },
    "eml": {
        "person": "Kwame Mensah",
        "person2": "Ingrid Solberg",
        "email": "kwame.mensah@example.com",
        "phone": "(415) 555-0132",
        "address": "742 Evergreen Terrace, Springfield, OR 97403",
        "card": "4012 8888 8888 1881",
        "iban": "NL91 ABNA 0417 1643 00",
        "ssn": "529-47-1083",
    },
    "mbox": {
        "person": "Hiroshi Tanaka",
        "person2": "Lucia Fernandez",
        "email": "hiroshi.tanaka@example.jp",
        "phone": "+81 3 1234 5678",
        "address": "88 Queen Street West, Toronto, ON M5H 2N2",
        "card": "6011 1111 1111 1117",
        "iban": "ES91 2100 0418 4502 0005 1332",
        "ssn": "236-58-4471",
    },
    "docx": {
        "person": "Agnieszka Wojcik",
        "person2": "Rafael Quintero",
        "email": "agnieszka.wojcik@example.pl",
        "phone": "+48 22 123 45 67",
        "address": "1600 Amphitheatre Parkway, Mountain View, CA 94043",
        "card": "5105 1051 0510 5100",
        "iban": "FR14 2004 1010 0505 0001 3M02 606",
        "ssn": "614-39-2275",
    },
    "pdf": {
        "person": "Chidi Okafor",
        "person2": "Margit Halvorsen",
        "email": "chidi.okafor@example.ng",
        "phone": "+234 803 555 0199",
        "address": "Hauptstrasse 5, 10115 Berlin",
        "card": "3782 822463 10005",
        "iban": "BE68 5390 0754 7034",
        "ssn": "307-62-8814",
    },
}


def body_lines(v: dict[str, str]) -> list[str]:
    return [
        f"Customer file for {v['person']}, opened by {v['person2']}.",
        f"Please contact {v['person']} by email at {v['email']} or call {v['phone']}.",
        f"The billing address is {v['address']}.",
        f"The card on file is {v['card']} and refunds go to IBAN {v['iban']}.",
        f"His social security number is {v['ssn']}.",
        f"Dear {v['person2'].split()[0]}, {v['person']} asked that we keep this private.",
    ]


def fragments(v: dict[str, str]) -> list[str]:
    """The values, and the parts of them that would give a person away alone."""
    out = list(v.values())
    for key in ("person", "person2"):
        out += v[key].split()
    out.append(v["email"].split("@")[0])
    out.append(v["card"].replace(" ", ""))
    out.append(v["iban"].replace(" ", ""))
    return out


# -- document makers -------------------------------------------------------------------------------


def make_md(path: Path, v: dict[str, str]) -> None:
    lines = body_lines(v)
    path.write_text(f"# Notes on {v['person']}\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")


def make_html(path: Path, v: dict[str, str]) -> None:
    paras = "".join(f"<p>{line}</p>" for line in body_lines(v))
    rows = (
        f"<tr><td>Name</td><td>{v['person']}</td></tr><tr><td>Phone</td><td>{v['phone']}</td></tr>"
    )
    path.write_text(
        f"<!doctype html><html><head><title>Profile of {v['person']}</title>"
        f'<meta name="author" content="{v["person2"]}"></head><body><main><article>'
        f"<h1>Profile of {v['person']}</h1>{paras}<table>{rows}</table></article></main></body></html>",
        encoding="utf-8",
    )


def _message(v: dict[str, str], n: int) -> str:
    body = "\n\n".join(body_lines(v))
    first, last = v["person2"].split()
    return (
        f"From: {v['person']} <{v['email']}>\n"
        f"To: {v['person2']} <{first.lower()}.{last.lower()}@example.com>\n"
        f"Subject: Invoice for {v['person']} ({n})\n"
        f"Date: Mon, 0{n + 1} Jan 2024 10:00:00 +0000\n"
        f"Message-ID: <msg{n}.leaktest@mail.example>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{body}\n\nRegards,\n{v['person']}\n{v['phone']}\n"
    )


def make_eml(path: Path, v: dict[str, str]) -> None:
    path.write_text(_message(v, 0), encoding="utf-8")


def make_mbox(path: Path, v: dict[str, str]) -> None:
    parts = [
        f"From leaktest@mail.example Mon Jan 0{n + 1} 10:00:00 2024\n{_message(v, n)}\n"
        for n in range(2)
    ]
    path.write_text("".join(parts), encoding="utf-8")


def make_docx(path: Path, v: dict[str, str]) -> None:
    import docx

    doc = docx.Document()
    doc.core_properties.author = v["person"]
    doc.core_properties.last_modified_by = v["person2"]
    doc.core_properties.title = f"Profile of {v['person']}"
    doc.sections[0].header.paragraphs[0].text = f"Confidential: {v['person']}"
    doc.sections[0].footer.paragraphs[0].text = f"Call {v['phone']}"
    doc.add_heading(f"Profile of {v['person']}", level=1)
    for line in body_lines(v):
        doc.add_paragraph(line)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Name", v["person"]
    table.cell(1, 0).text, table.cell(1, 1).text = "Email", v["email"]
    doc.save(str(path))


def make_pdf(path: Path, v: dict[str, str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setAuthor(v["person"])
    c.setTitle(f"Profile of {v['person']}")
    y = 800
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, y, f"Profile of {v['person']}")
    c.setFont("Helvetica", 11)
    for line in body_lines(v):
        y -= 28
        c.drawString(72, y, line)
    c.showPage()
    c.save()


MAKERS = {
    "md": make_md,
    "html": make_html,
    "eml": make_eml,
    "mbox": make_mbox,
    "docx": make_docx,
    "pdf": make_pdf,
}
FILE_NAMES = {fmt: f"leak_{fmt}.{fmt}" for fmt in FORMATS}


@pytest.fixture(scope="module")
def run_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One `llmprep run` over every format; its output files and what it printed."""
    root = tmp_path_factory.mktemp("leaks")
    inputs = root / "in"
    inputs.mkdir()
    made: dict[str, str] = {}
    for fmt in FORMATS:
        try:
            MAKERS[fmt](inputs / FILE_NAMES[fmt], VALUES[fmt])
            made[fmt] = "ok"
        except ImportError as exc:  # the library that writes this format is missing
            made[fmt] = f"cannot write: {exc}"
    out = root / "out"
    env = {k: v for k, v in os.environ.items() if k != "LLMPREP_PII_KEY"}
    cli = Path(sys.executable).with_name("llmprep")
    cmd = (
        [str(cli)]
        if cli.exists()
        else [sys.executable, "-c", "from llmprep.cli import main; main()"]
    )
    proc = subprocess.run(
        [*cmd, "run", str(inputs), "--out", str(out), "--workers", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    texts = {"stdout": proc.stdout, "stderr": proc.stderr}
    for name in ("records.jsonl", "rejected.jsonl", "manifest.jsonl", "report.json", "report.html"):
        path = out / name
        raw = path.read_text(encoding="utf-8") if path.exists() else ""
        texts[name] = raw + "\n" + _decoded(raw) if name.endswith(("jsonl", "json")) else raw
    manifest = (
        [
            json.loads(line)
            for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        if (out / "manifest.jsonl").exists()
        else []
    )
    report = (
        json.loads((out / "report.json").read_text(encoding="utf-8"))
        if (out / "report.json").exists()
        else {}
    )
    return {
        "texts": texts,
        "manifest": manifest,
        "report": report,
        "made": made,
        "returncode": proc.returncode,
        "stderr": proc.stderr,
    }


def _decoded(raw: str) -> str:
    """JSON may escape non-ASCII characters; search the decoded form too."""
    out = []
    for chunk in [*raw.splitlines(), raw]:
        with contextlib.suppress(json.JSONDecodeError):
            out.append(json.dumps(json.loads(chunk), ensure_ascii=False))
    return "\n".join(out)


def test_the_run_finishes_and_writes_its_outputs(run_output: dict[str, object]) -> None:
    assert run_output["returncode"] in (0, 1), run_output["stderr"]
    assert run_output["manifest"], "no manifest written"


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_loaded_into_records(run_output: dict[str, object], fmt: str) -> None:
    assert run_output["made"][fmt] == "ok"  # type: ignore[index]
    rows = [r for r in run_output["manifest"] if r["rel_path"].endswith(FILE_NAMES[fmt])]  # type: ignore[attr-defined]
    assert rows, f"{fmt}: no manifest row"
    row = rows[0]
    assert row["status"] in ("ok", "partial"), f"{fmt}: {row['status']} {row.get('error_code')}"
    assert row["records"] + row["rejected"] > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_synthetic_value_appears_in_any_output(run_output: dict[str, object], fmt: str) -> None:
    texts: dict[str, str] = run_output["texts"]  # type: ignore[assignment]
    leaks = [
        (value, where)
        for value in fragments(VALUES[fmt])
        for where, text in texts.items()
        if value in text
    ]
    assert not leaks, f"{fmt}: leaked " + ", ".join(
        f"{value!r} in {where}" for value, where in leaks
    )


def test_records_carry_pii_spans_and_the_report_counts_them(run_output: dict[str, object]) -> None:
    texts: dict[str, str] = run_output["texts"]  # type: ignore[assignment]
    report: dict = run_output["report"]  # type: ignore[assignment]
    assert report.get("pii_by_type", {}).get("EMAIL_ADDRESS", 0) >= len(FORMATS)
    assert (
        '"operator": "pseudonym"' in texts["records.jsonl"]
        or '"operator":"pseudonym"' in texts["records.jsonl"]
    )
