"""Hostile and odd inputs, each generated here: bombs, deep nesting, personal data in metadata
and names, memory limits, code pages, broken Unicode, and what `llmprep check` sees of them."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest

import llmprep
from conftest import FIXTURES, install_plugin
from llmprep.config import Config

PATTERNS = {"pii.ner_model": "none"}


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "llmprep.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def _docx_with_body(path: Path, write_body) -> Path:  # type: ignore[no-untyped-def]
    """A Word file whose document.xml body is streamed in by `write_body(fh)`."""
    d = docx.Document()
    d.add_paragraph("small")
    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, data)
                continue
            head, _, tail = data.partition(b"<w:body>")
            with dst.open(info.filename, "w") as fh:
                fh.write(head + b"<w:body>")
                write_body(fh)
                fh.write(tail)
    return path


# -- bombs ------------------------------------------------------------------------------------------


def test_one_part_over_the_ratio_is_refused_even_when_stored_noise_dilutes_the_package(
    tmp_path: Path,
) -> None:
    paragraph = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"

    def body(fh) -> None:  # type: ignore[no-untyped-def]
        for _ in range(12 * 1024 * 1024 // len(paragraph) // 1000):  # 12 MB of XML, ~340:1
            fh.write(paragraph * 1000)

    path = _docx_with_body(tmp_path / "diluted.docx", body)
    with zipfile.ZipFile(path, "a") as z:  # stored random bytes: the package ratio drops
        z.writestr(zipfile.ZipInfo("word/media/noise.bin"), random.Random(1).randbytes(200_000))
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        package_ratio = sum(i.file_size for i in infos) / sum(i.compress_size for i in infos)
    assert package_ratio < Config().docx.max_compression_ratio  # the old whole-package test passes
    tracemalloc.start()
    try:
        res = llmprep.process(path, redact=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (res.status, res.error and res.error.code) == ("failed", "docx.too_large")
    assert peak < 8 * 1024 * 1024  # the part is never expanded


# -- memory limits: whichever library notices, the row says worker.out_of_memory -------------------


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_a_file_over_the_memory_limit_ends_as_worker_out_of_memory(
    tmp_path: Path, kind: str
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    if kind == "html":  # lxml raises MemoryError; the HTML loader reported html.unreadable
        body = "".join(
            f"<div><p>Paragraph {i} about topic {i % 97}, in a long page.</p></div>"
            for i in range(600_000)
        )
        (root / "big.html").write_text(f"<html><body>{body}</body></html>")
    else:  # libxml2 fails to allocate: lxml says "unknown error", the loader docx.corrupt
        rng = random.Random(3)
        words = ["alpha", "beta", "gamma", "delta", "policy", "review", "notes", "data"]

        def body(fh) -> None:  # type: ignore[no-untyped-def]
            for i in range(500_000):
                text = " ".join(rng.choice(words) for _ in range(8))
                fh.write(f"<w:p><w:r><w:t>{text} {i}</w:t></w:r></w:p>".encode())

        _docx_with_body(root / "big.docx", body)
    out = tmp_path / "out"
    proc = cli("run", str(root), "--out", str(out), "--no-redact", "--max-memory", "700")
    [row] = rows(out / "manifest.jsonl")
    assert (row["status"], row["error_code"]) == ("failed", "worker.out_of_memory"), row
    assert "700 MB" in row["error_message"]
    assert proc.returncode == 1


# -- nesting ----------------------------------------------------------------------------------------


def _nested_mime(depth: int) -> str:
    head = "From: a@example.org\r\nTo: b@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth)
    )
    closing = "".join(f"--b{i}--\r\n" for i in reversed(range(depth)))
    return head + opening + "Content-Type: text/plain\r\n\r\nInnermost.\r\n" + closing


@pytest.mark.parametrize("depth", [60, 1000, 3000])
def test_mime_nested_past_any_depth_is_partial_too_deep_with_its_headers(
    tmp_path: Path, depth: int
) -> None:
    path = tmp_path / "deep.eml"
    path.write_text(_nested_mime(depth))
    res = llmprep.process(path, redact=False)
    assert (res.status, res.error and res.error.code) == ("partial", "email.too_deep")
    assert res.documents[0].metadata.subject == "deep"


# -- names and messages -----------------------------------------------------------------------------


def test_messages_never_quote_an_extension_or_a_part_name_from_the_input(tmp_path: Path) -> None:
    odd = tmp_path / "statement.501-41-7001"
    odd.write_bytes(bytes(range(256)) * 4)
    res = llmprep.process(odd, redact=False)
    assert res.error is not None and res.error.code == "format.unsupported"
    assert "501-41" not in res.error.message

    d = docx.Document()
    d.add_paragraph("x")
    buf = io.BytesIO()
    d.save(buf)
    secret = "word/jane.doe@example.org.xml"
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(tmp_path / "p.docx", "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                continue
            if info.filename == "_rels/.rels":
                data = data.replace(b"word/document.xml", secret.encode())
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"/word/document.xml", b"/" + secret.encode())
            name = secret if info.filename == "word/document.xml" else info.filename
            dst.writestr(name, data[: len(data) // 2] if name == secret else data)
    res = llmprep.process(tmp_path / "p.docx", redact=False)
    assert res.error is not None and res.error.code == "docx.corrupt"
    assert "jane" not in res.error.message and "example.org" not in res.error.message


# -- formats ----------------------------------------------------------------------------------------


def test_an_encrypted_spreadsheet_is_office_encrypted_not_a_word_file(tmp_path: Path) -> None:
    from test_docx import ole2_file

    streams = {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64}
    sheet = llmprep.process(ole2_file(tmp_path / "budget.xlsx", streams), redact=False)
    assert (sheet.status, sheet.error and sheet.error.code) == ("encrypted", "office.encrypted")
    assert sheet.outcome.media_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    word = llmprep.process(ole2_file(tmp_path / "memo.docx", streams), redact=False)
    assert (word.status, word.error and word.error.code) == ("encrypted", "docx.encrypted")


@pytest.mark.parametrize(
    ("code_page", "text"), [(950, "繁體中文的郵件內容"), (874, "ข้อความภาษาไทย")]
)
def test_outlook_code_pages_named_by_their_windows_names_decode(code_page: int, text: str) -> None:
    from oxmsg.domain.encodings import encoding_from_codepage

    import llmprep.loaders.email.msg  # noqa: F401  (registers the names)

    python_codec = {950: "cp950", 874: "cp874"}[code_page]
    assert text.encode(python_codec).decode(encoding_from_codepage(code_page)) == text


def _outlook_message(path: Path, code_page: int, subject: str, body: str) -> Path:
    """A minimal Outlook message: a property stream declaring `code_page`
    (PR_MESSAGE_CODEPAGE) and 8-bit subject and body streams in it."""
    import struct

    from test_docx import ole2_file

    encoded = {name: text.encode(f"cp{code_page}") for name, text in (("s", subject), ("b", body))}

    def prop(tag: int, kind: int, value: int) -> bytes:  # type, id, flags, 8 value bytes
        return struct.pack("<HHIII", kind, tag, 6, value, 0)

    props = b"\0" * 32  # the top-level header: reserved, ids and counts
    props += prop(0x0037, 0x001E, len(encoded["s"]) + 1)  # subject, PT_STRING8
    props += prop(0x1000, 0x001E, len(encoded["b"]) + 1)  # body, PT_STRING8
    props += prop(0x3FFD, 0x0003, code_page)  # PR_MESSAGE_CODEPAGE, PT_LONG
    streams = {
        "__properties_version1.0": props,
        "__substg1.0_0037001E": encoded["s"] + b"\0",
        "__substg1.0_1000001E": encoded["b"] + b"\0",
    }
    # Streams of 4096 bytes or more live in regular sectors, which is all the helper writes.
    return ole2_file(path, {name: data.ljust(4096, b"\0") for name, data in streams.items()})


@pytest.mark.parametrize(
    ("code_page", "text"), [(950, "繁體中文的郵件內容"), (874, "ข้อความภาษาไทย")]
)
def test_an_outlook_message_in_a_windows_code_page_is_read(
    tmp_path: Path, code_page: int, text: str
) -> None:
    path = _outlook_message(tmp_path / "m.msg", code_page, "Quarterly", f"{text} 2024")
    res = llmprep.process(path, redact=False)
    assert (res.status, res.error) == ("ok", None)
    assert f"{text} 2024" in res.text and "Subject: Quarterly" in res.text


def _pdf_with_surrogate_map() -> bytes:
    """A PDF pdfium cannot open (a bad /Root) and pypdf recovers, whose font maps 'A' to a lone
    UTF-16 high surrogate: pypdf then returns text holding lone surrogates, as it does with some
    CJK fonts."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"2 beginbfchar <41> <D83D> <42> <AC00> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    content = b"BT /F1 24 Tf 72 720 Td (ABBA BAB and ABBA) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 9 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_text_with_lone_surrogates_is_written_under_run_as_under_process(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "cjk.pdf").write_bytes(_pdf_with_surrogate_map())
    res = llmprep.process(root / "cjk.pdf", redact=False)
    assert res.status == "ok" and "\ufffd" in res.text and "\uac00" in res.text
    res.text.encode("utf-8")  # valid Unicode
    out = tmp_path / "out"
    cli("run", str(root), "--out", str(out), "--no-redact")
    [row] = rows(out / "manifest.jsonl")
    assert (row["status"], row["error_code"]) == ("ok", None)
    [record] = rows(out / "records.jsonl") + rows(out / "rejected.jsonl")
    assert "\uac00" in record["text"] and "replacement_chars" in {
        f["code"] for f in record["flags"]
    }


def test_a_missing_hf_tokenizer_stops_the_run_with_exit_2_naming_the_path(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text("# A\n\nA note.\n")
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('[chunk]\ntokenizer = "hf:/nowhere/tokenizer.json"\n')
    proc = cli("run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--config", str(cfg))
    assert proc.returncode == 2
    assert "/nowhere/tokenizer.json" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "manifest.jsonl").exists()


def test_a_missing_hf_tokenizer_stops_iter_records_before_any_file_is_read(tmp_path: Path) -> None:
    import llmprep
    from llmprep.errors import ConfigError

    (tmp_path / "a.md").write_text("# A\n\nA note.\n")
    seen: list[object] = []
    with pytest.raises(ConfigError, match=r"/nowhere/tokenizer\.json"):
        llmprep.iter_records(
            tmp_path, chunk_tokenizer="hf:/nowhere/tokenizer.json", on_file=seen.append
        )
    assert seen == []


# -- personal data in metadata ----------------------------------------------------------------------

MESSAGE = """From: Jane Doe <jane.doe@example.org>
To: ops@example.org
Subject: Quarterly numbers
Message-ID: <jane.doe@example.org>
In-Reply-To: <id-501-41-7001@example.org>
References: <root.501-41-7001@example.org> <id-501-41-7001@example.org>
Date: Mon, 1 Jan 2024 10:00:00 +0000

The quarterly numbers are on the shared drive as usual.
"""

PAGE = """<html><head><title>Orders</title>
<link rel="canonical" href="https://shop.example.org/account?email=jane.doe%40example.org&card=4111111111111111">
</head><body><h1>Orders</h1><p>Recent orders and invoices for the customer account.</p></body></html>
"""


def test_message_identifiers_are_digested_alike_across_messages(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_text(MESSAGE)
    reply = MESSAGE.replace("Message-ID: <jane.doe@example.org>", "Message-ID: <r2@example.net>")
    (tmp_path / "b.eml").write_text(reply)
    first = llmprep.process(tmp_path / "a.eml", **PATTERNS).records[0].metadata
    second = llmprep.process(tmp_path / "b.eml", **PATTERNS).records[0].metadata
    dumped = json.dumps([first, second])
    assert "jane" not in dumped and "501-41" not in dumped
    assert first["message_id"].endswith("@redacted.invalid>")
    assert first["thread_id"] == first["references"][0] == second["thread_id"]
    assert first["in_reply_to"] == first["references"][1]


def test_a_date_header_that_is_not_a_date_is_redacted_like_text(tmp_path: Path) -> None:
    """An unparsable Date header is kept as written in the document's `extra.date_raw` (which
    `process()` returns): it goes through detection like any text field."""
    odd = MESSAGE.replace(
        "Date: Mon, 1 Jan 2024 10:00:00 +0000", "Date: ask jane.doe@example.org for the date"
    )
    (tmp_path / "a.eml").write_text(odd)
    res = llmprep.process(tmp_path / "a.eml", **PATTERNS)
    assert res.documents[0].metadata.extra["date_raw"] == "ask <EMAIL_ADDRESS_1> for the date"


def test_a_canonical_link_holding_an_address_and_a_card_is_redacted(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    res = llmprep.process(tmp_path / "page.html", **PATTERNS)
    url = res.records[0].metadata["url"]
    assert url.startswith("https://shop.example.org/account?")
    assert "jane" not in url and "4111" not in url
    assert "<EMAIL_ADDRESS_1>" in url and "<CREDIT_CARD_1>" in url
    plain = PAGE.replace("?email=jane.doe%40example.org&card=4111111111111111", "?page=2")
    (tmp_path / "plain.html").write_text(plain)
    kept = llmprep.process(tmp_path / "plain.html", **PATTERNS).records[0].metadata["url"]
    assert kept == "https://shop.example.org/account?page=2"  # nothing in it: as written


def _pdf_with_info(path: Path, **info: str) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for key, value in info.items():
        getattr(c, f"set{key}")(value)
    c.drawString(72, 720, "Quarterly report on the regional support queues and their volumes.")
    c.save()
    return path


def test_a_pdf_producer_string_holding_an_address_is_redacted(tmp_path: Path) -> None:
    path = _pdf_with_info(tmp_path / "p.pdf", Producer="ScanDesk 4 for jane.doe@example.org")
    meta = llmprep.process(path, **PATTERNS).records[0].metadata
    assert meta["producer"] == "ScanDesk 4 for <EMAIL_ADDRESS_1>"


def test_no_shard_keeps_a_value_from_the_metadata(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.eml").write_text(MESSAGE)
    (root / "page.html").write_text(PAGE)
    _pdf_with_info(root / "p.pdf", Producer="ScanDesk for jane.doe@example.org")
    out = tmp_path / "out"
    cli("run", str(root), "--out", str(out))
    written = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    for value in (b"jane.doe", b"501-41-7001", b"4111111111111111"):
        assert value not in written


# -- llmprep check -------------------------------------------------------------------------------


def _docx_with_core(path: Path, **props: str) -> Path:
    d = docx.Document()
    d.add_paragraph("The quarterly report covers the regional support queues.")
    for key, value in props.items():
        setattr(d.core_properties, key, value)
    d.save(path)
    return path


def test_check_finds_pii_that_is_only_in_metadata(tmp_path: Path) -> None:
    files = [
        _docx_with_core(tmp_path / "core.docx", title="Notes for jane.doe@example.org"),
        _pdf_with_info(tmp_path / "info.pdf", Subject="Call +1 415 555 0100 about it"),
        tmp_path / "page.html",
    ]
    (tmp_path / "page.html").write_text(PAGE)
    proc = cli("check", *map(str, files))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert "core.docx:metadata title: EMAIL_ADDRESS (metadata)" in out
    assert "info.pdf:metadata subject: PHONE_NUMBER (metadata)" in out
    assert "page.html:metadata url: CREDIT_CARD (metadata)" in out
    assert "jane" not in out and "555 0100" not in out


def test_check_reads_other_formats_under_the_runs_time_limit(tmp_path: Path) -> None:
    site = install_plugin(
        tmp_path / "site",
        "adversarial-loaders",
        FIXTURES / "plugin" / "llmprep_adversarial_loaders.py",
        {"hang": "llmprep_adversarial_loaders:HangLoader"},
    )
    (tmp_path / "llmprep.toml").write_text("[run]\ntimeout = 2\ntimeout_per_mb = 0\n")
    (tmp_path / "stuck.hang").write_text("x")
    (tmp_path / "note.md").write_text("# Note\n\nNothing personal here at all.\n")
    proc = subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "check", "stuck.hang", "note.md"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        timeout=300,
    )
    assert "stuck.hang: not checked: file.timeout" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == (
        "llmprep check: 2 files, 0 findings, 1 not checked"
    )


def _check_in(folder: Path, *names: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "llmprep.cli", "check", *names],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
    )


def test_check_reports_files_over_the_size_limit_as_not_checked(tmp_path: Path) -> None:
    (tmp_path / "llmprep.toml").write_text("[limits]\nmax_file_mb = 1\n")
    line = "Write to ada.vale@example.org about the invoice.\n"
    (tmp_path / "big.txt").write_text(line * (2 * 1024 * 1024 // len(line)))
    (tmp_path / "big.html").write_text(
        "<html><body>" + f"<p>{line}</p>" * (2 * 1024 * 1024 // len(line)) + "</body></html>"
    )
    (tmp_path / "small.md").write_text("# Note\n\nNothing personal here at all.\n")
    proc = _check_in(tmp_path, "big.txt", "big.html", "small.md")
    assert "big.txt: not checked: file.too_large" in proc.stdout, proc.stdout[-2000:]
    assert "big.html: not checked: file.too_large" in proc.stdout, proc.stdout[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == (
        "llmprep check: 3 files, 0 findings, 2 not checked"
    )


def test_check_reads_a_large_text_file_under_the_runs_time_limit(tmp_path: Path) -> None:
    """Only small text files are scanned in the hook's own process; a large one is read by a
    worker with the run's limits, like every other format."""
    (tmp_path / "llmprep.toml").write_text("[run]\ntimeout = 0.5\ntimeout_per_mb = 0\n")
    line = "Write to ada.vale@example.org about invoice number 7 and the queue.\n"
    (tmp_path / "log.txt").write_text(line * (6 * 1024 * 1024 // len(line)))
    (tmp_path / "note.md").write_text("# Note\n\nWrite to ada.vale@example.org today.\n")
    proc = _check_in(tmp_path, "log.txt", "note.md")
    assert "log.txt: not checked: file.timeout" in proc.stdout, proc.stdout[-2000:]
    assert "note.md:3:10: EMAIL_ADDRESS" in proc.stdout  # small: in process, with its position
    assert proc.stdout.strip().splitlines()[-1].endswith("1 not checked")


def test_check_reads_other_formats_under_the_runs_memory_limit(tmp_path: Path) -> None:
    (tmp_path / "llmprep.toml").write_text("[run]\nmax_memory_mb = 700\n")
    body = "".join(
        f"<div><p>Paragraph {i} about topic {i % 97}, in a long page.</p></div>"
        for i in range(600_000)
    )
    (tmp_path / "big.html").write_text(f"<html><body>{body}</body></html>")
    proc = _check_in(tmp_path, "big.html")
    assert "big.html: not checked: worker.out_of_memory" in proc.stdout, proc.stdout[-2000:]


# -- HTML tables --------------------------------------------------------------------------------


def _table(html: str):  # type: ignore[no-untyped-def]
    import lxml.html

    return lxml.html.fromstring(f"<html><body>{html}</body></html>").find(".//table")


def test_a_list_heading_or_code_block_inside_a_cell_still_marks_a_layout_table() -> None:
    from llmprep.loaders.html.blocks import is_layout_table

    data = "<tr><td>Plan</td><td>Price</td></tr><tr><td>Basic</td><td>10</td></tr>"
    assert not is_layout_table(_table(f"<table>{data}</table>"))
    for block in (
        "<ul><li>a</li></ul>",
        "<h2>Menu</h2>",
        "<pre>x</pre>",
        "<blockquote>q</blockquote>",
    ):
        layout = f"<table><tr><td>{block}</td><td>b</td></tr>{data}</table>"
        assert is_layout_table(_table(layout)), block
    # In a header cell or the caption it says nothing about the layout.
    assert not is_layout_table(
        _table(f"<table><caption><ul><li>x</li></ul></caption>{data}</table>")
    )


def test_a_data_table_of_fifty_thousand_cells_is_read_whole(tmp_path: Path) -> None:
    """Reading a table is linear in its cells (bench/html_tables.py has the timings: a
    quadratic XPath made 100,000 cells take minutes)."""
    rows = "".join(
        "<tr>" + "".join(f"<td>r{r}c{c}</td>" for c in range(10)) + "</tr>" for r in range(5000)
    )
    (tmp_path / "t.html").write_text(
        f"<html><body><h1>Data</h1><table>{rows}</table></body></html>"
    )
    res = llmprep.process(tmp_path / "t.html", redact=False)
    text = "\n".join(r.text for r in [*res.records, *res.rejected])
    assert res.status == "ok" and "r0c0" in text and "r4999c9" in text
