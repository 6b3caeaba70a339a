"""DOCX loader: structure, furniture, properties, and typed failures on bad input.

Documents are generated here: with python-docx where it has an API, and as raw WordprocessingML
parts (zipped by `raw_docx`) for what it cannot write (footnotes, text boxes, entities...).
"""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK

import llmprep
from llmprep.config import Config
from llmprep.errors import LoadError
from llmprep.loaders.base import SourceFile
from llmprep.loaders.docx.loader import DocxLoader
from llmprep.loaders.registry import get_registry
from llmprep.models import Document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# -- helpers ----------------------------------------------------------------------------------


def load(path: Path, config: Config | None = None) -> Document:
    source = SourceFile(path=path, rel_path=path.name, config=config or Config())
    docs = list(DocxLoader().load(source))
    assert len(docs) == 1
    return docs[0]


def load_error(path: Path, config: Config | None = None) -> LoadError:
    source = SourceFile(path=path, rel_path=path.name, config=config or Config())
    with pytest.raises(LoadError) as info:
        list(DocxLoader().load(source))
    return info.value


def raw_docx(
    path: Path, body: str, *, parts: dict[str, str] | None = None, rels: str = "", doctype: str = ""
) -> Path:
    """A minimal package: document.xml with `body`, plus extra parts and relationships."""
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="application/xml"/>' for name in (parts or {})
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.wordprocessingml.document.main+xml"/>{overrides}</Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:mc="{MC_NS}" xmlns:wps="{WPS_NS}">'
            f"<w:body>{body}</w:body></w:document>"
        ),
        **(parts or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def para(text: str, ppr: str = "") -> str:
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def ole2_file(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE2 compound file (version 3) holding `streams` (each padded to >= 4096 bytes)."""
    sector = 512
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    datas = [data.ljust(4096, b"\0") for data in streams.values()]
    fat = [fat_sect, end]  # sector 0: the FAT itself; sector 1: the directory
    starts = []
    for data in datas:
        n = -(-len(data) // sector)
        start = len(fat)
        starts.append(start)
        fat += [*range(start + 1, start + n), end]
    assert len(fat) <= sector // 4

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", nostream, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, 1, nostream, end, 0)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else nostream
        directory += entry(name, 2, nostream, right, starts[i], len(streams[name]))
    directory = directory.ljust(sector, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    fat_bytes = struct.pack(f"<{sector // 4}I", *(fat + [free] * (sector // 4 - len(fat))))
    path.write_bytes(header + fat_bytes + directory + b"".join(datas))
    return path


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


# -- structure --------------------------------------------------------------------------------


def test_heading_styles_set_levels_and_heading_paths(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Annual report", style="Title")
    d.add_heading("Finance", 1)
    d.add_heading("Revenue", 2)
    d.add_paragraph("Revenue grew.")
    d.add_heading("Staff", 1)
    d.add_paragraph("Hiring slowed.")
    d.save(tmp_path / "h.docx")
    els = {e.text: e for e in load(tmp_path / "h.docx").elements}
    assert els["Annual report"].type == "title"
    assert (els["Revenue"].type, els["Revenue"].level) == ("heading", 2)
    assert els["Revenue grew."].heading_path == ["Annual report", "Finance", "Revenue"]
    assert els["Hiring slowed."].heading_path == ["Annual report", "Staff"]


def test_outline_level_without_a_heading_style_makes_a_heading(tmp_path: Path) -> None:
    body = para("Custom heading", '<w:outlineLvl w:val="1"/>') + para("Body text")
    doc = load(raw_docx(tmp_path / "o.docx", body))
    assert (doc.elements[0].type, doc.elements[0].level) == ("heading", 2)
    assert doc.elements[1].heading_path == ["Custom heading"]


def test_a_table_between_two_paragraphs_stays_in_place(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Before the table.")
    table = d.add_table(rows=2, cols=2)
    for r, row in enumerate([["Name", "Qty"], ["Bolts", "12"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("After the table.")
    d.save(tmp_path / "t.docx")
    els = load(tmp_path / "t.docx").elements
    assert [e.type for e in els] == ["paragraph", "table", "paragraph"]
    assert els[1].text == "Name | Qty\nBolts | 12"
    assert els[1].metadata["rows"] == [["Name", "Qty"], ["Bolts", "12"]]


def test_a_horizontally_merged_cell_fills_every_column_it_spans(tmp_path: Path) -> None:
    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Wide heading"
    table.cell(1, 0).merge(table.cell(1, 1))  # horizontal
    table.cell(1, 0).text = "left"
    table.cell(1, 2).text = "right"
    d.save(tmp_path / "m.docx")
    table_el = load(tmp_path / "m.docx").elements[0]
    assert table_el.metadata["rows"] == [
        ["Wide heading", "Wide heading", "Wide heading"],
        ["left", "left", "right"],
    ]
    assert table_el.metadata["spans"] == [[0, 0, 1, 3], [1, 0, 1, 2]]


def test_a_vertically_merged_cell_fills_every_row_it_spans(tmp_path: Path) -> None:
    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Tall"
    table.cell(0, 1).text = "a"
    table.cell(1, 1).text = "b"
    d.save(tmp_path / "v.docx")
    table_el = load(tmp_path / "v.docx").elements[0]
    assert table_el.metadata["rows"] == [["Tall", "a"], ["Tall", "b"]]
    assert table_el.metadata["spans"] == [[0, 0, 2, 1]]


def test_a_nested_table_is_included_in_its_cell(tmp_path: Path) -> None:
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "outer"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "inner-a"
    inner.cell(0, 1).text = "inner-b"
    d.save(tmp_path / "n.docx")
    table_el = load(tmp_path / "n.docx").elements[0]
    assert "inner-a" in table_el.text and "inner-b" in table_el.text
    assert table_el.metadata["nested_tables"] == [
        {"row": 0, "col": 1, "rows": [["inner-a", "inner-b"]]}
    ]


def test_nested_list_items_get_their_numbering_level(tmp_path: Path) -> None:
    numbering = (
        f'<w:numbering xmlns:w="{W_NS}">'
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:numFmt w:val="lowerLetter"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )

    def item(text: str, ilvl: int) -> str:
        return para(text, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="7"/></w:numPr>')

    body = (
        item("top", 0) + item("middle", 1) + item("deep", 2) + item("top again", 0) + para("prose")
    )
    rels = f'<Relationship Id="rId9" Type="{REL}/numbering" Target="numbering.xml"/>'
    doc = load(
        raw_docx(tmp_path / "l.docx", body, parts={"word/numbering.xml": numbering}, rels=rels)
    )
    got = [(e.type, e.level, e.metadata.get("list")) for e in doc.elements]
    assert got == [
        ("list_item", 1, "ordered"),
        ("list_item", 2, "bullet"),
        ("list_item", 3, "ordered"),
        ("list_item", 1, "ordered"),
        ("paragraph", None, None),
    ]


def test_list_styles_from_python_docx_give_levels(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("first", style="List Bullet")
    d.add_paragraph("second", style="List Bullet 2")
    d.add_paragraph("third", style="List Number 3")
    d.save(tmp_path / "ls.docx")
    got = [(e.type, e.level) for e in load(tmp_path / "ls.docx").elements]
    assert got == [("list_item", 1), ("list_item", 2), ("list_item", 3)]


def test_hyperlinks_keep_their_text_and_web_target(tmp_path: Path) -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r>'
        '<w:hyperlink r:id="rId5"><w:r><w:t>the manual</w:t></w:r></w:hyperlink>'
        '<w:r><w:t xml:space="preserve"> or </w:t></w:r>'
        '<w:hyperlink r:id="rId6"><w:r><w:t>write to us</w:t></w:r></w:hyperlink></w:p>'
    )
    rels = (
        f'<Relationship Id="rId5" Type="{REL}/hyperlink" Target="https://example.org/manual" TargetMode="External"/>'
        f'<Relationship Id="rId6" Type="{REL}/hyperlink" Target="mailto:someone@example.org" TargetMode="External"/>'
    )
    el = load(raw_docx(tmp_path / "a.docx", body, rels=rels)).elements[0]
    assert el.text == "See the manual or write to us"
    # mailto: targets are personal data outside the redacted text, so only web links are kept.
    assert el.metadata["links"] == [{"text": "the manual", "url": "https://example.org/manual"}]


def test_text_boxes_are_read_once_and_deleted_text_is_left_out(tmp_path: Path) -> None:
    box = f"<w:txbxContent>{para('Boxed note')}</w:txbxContent>"
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Anchor </w:t></w:r>'
        "<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
        '<w:del w:id="1" w:author="x"><w:r><w:delText>removed words</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="x"><w:r><w:t>added</w:t></w:r></w:ins></w:p>'
    )
    doc = load(raw_docx(tmp_path / "x.docx", body))
    assert [e.text for e in doc.elements] == ["Anchor added", "Boxed note"]


def test_rendered_page_breaks_give_page_numbers(tmp_path: Path) -> None:
    body = (
        para("one")
        + "<w:p><w:r><w:lastRenderedPageBreak/><w:t>two</w:t></w:r></w:p>"
        + para("three")
    )
    doc = load(raw_docx(tmp_path / "p.docx", body))
    assert [e.page for e in doc.elements] == [1, 2, 2]
    assert doc.metadata.page_count == 2


def test_hard_page_breaks_alone_give_no_page_numbers(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("one")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("two")
    d.save(tmp_path / "hp.docx")
    assert {e.page for e in load(tmp_path / "hp.docx").elements} == {None}


# -- furniture, notes, properties -------------------------------------------------------------


def test_header_and_footer_are_elements_but_not_chunked(tmp_path: Path) -> None:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "ACME Confidential"
    d.sections[0].footer.paragraphs[0].text = "Page footer text"
    d.add_paragraph("The body of the memo.")
    d.save(tmp_path / "hf.docx")
    doc = load(tmp_path / "hf.docx")
    assert [(e.type, e.text) for e in doc.elements] == [
        ("header", "ACME Confidential"),
        ("paragraph", "The body of the memo."),
        ("footer", "Page footer text"),
    ]
    res = llmprep.process(tmp_path / "hf.docx", redact=False)
    assert res.status == "ok"
    chunk_text = " ".join(r.text for r in res.records)
    assert "memo" in chunk_text
    assert "ACME" not in chunk_text and "footer" not in chunk_text


def test_core_properties_fill_the_document_metadata(tmp_path: Path) -> None:
    d = docx.Document()
    props = d.core_properties
    props.title, props.author, props.last_modified_by = "Budget 2025", "Ann Lee; Bo Ek", "Cy Tan"
    props.subject = "Planning"
    d.add_paragraph("text")
    d.save(tmp_path / "cp.docx")
    meta = load(tmp_path / "cp.docx").metadata
    assert meta.title == "Budget 2025"
    assert meta.authors == ["Ann Lee", "Bo Ek"]
    assert meta.last_modified_by == "Cy Tan"
    assert meta.subject == "Planning"
    assert meta.created and meta.modified


FOOTNOTES = (
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    f'<w:footnote w:id="1">{para("Source: the 2020 census.")}</w:footnote></w:footnotes>'
)
COMMENTS = f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="Rev">{para("Check this figure.")}</w:comment></w:comments>'
NOTE_RELS = (
    f'<Relationship Id="rId7" Type="{REL}/footnotes" Target="footnotes.xml"/>'
    f'<Relationship Id="rId8" Type="{REL}/comments" Target="comments.xml"/>'
)


def test_footnotes_are_included_and_comments_are_not_by_default(tmp_path: Path) -> None:
    parts = {"word/footnotes.xml": FOOTNOTES, "word/comments.xml": COMMENTS}
    doc = load(
        raw_docx(tmp_path / "fn.docx", para("Population grew."), parts=parts, rels=NOTE_RELS)
    )
    assert [(e.type, e.text) for e in doc.elements] == [
        ("paragraph", "Population grew."),
        ("footnote", "Source: the 2020 census."),
    ]


def test_comments_are_included_when_configured_and_footnotes_can_be_left_out(
    tmp_path: Path,
) -> None:
    parts = {"word/footnotes.xml": FOOTNOTES, "word/comments.xml": COMMENTS}
    path = raw_docx(tmp_path / "cm.docx", para("Population grew."), parts=parts, rels=NOTE_RELS)
    config = Config().with_overrides(
        **{"docx.include_comments": True, "docx.include_footnotes": False}
    )
    doc = load(path, config)
    assert [(e.type, e.text) for e in doc.elements] == [
        ("paragraph", "Population grew."),
        ("comment", "Check this figure."),
    ]


# -- bad input --------------------------------------------------------------------------------


def test_a_file_that_is_not_a_zip_fails_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "notzip.docx"
    path.write_text("just some text pretending to be a document\n")
    res = llmprep.process(path, redact=False)
    assert (res.status, res.error.code if res.error else None) == ("failed", "docx.corrupt")


def test_a_truncated_zip_fails_as_truncated(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("text " * 200)
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "cut.docx"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    err = load_error(path)
    assert (err.status, err.code) == ("failed", "docx.truncated")
    assert "cut short" in err.message


def test_a_damaged_deflate_stream_fails_as_corrupt(tmp_path: Path) -> None:
    """The ZIP directory is intact, but the body's compressed bytes are not: zlib's own error
    becomes docx.corrupt, not a generic failure."""
    path = raw_docx(tmp_path / "damaged.docx", para("some text " * 50))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
    name_len, extra_len = (
        int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little"),
        int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little"),
    )
    body = info.header_offset + 30 + name_len + extra_len
    data[body : body + 8] = b"\xff" * 8  # deflate block type 3: invalid
    path.write_bytes(bytes(data))
    err = load_error(path)
    assert (err.status, err.code) == ("failed", "docx.corrupt")
    assert err.message == "unreadable ZIP member (damaged compressed data)"


def test_a_directory_claiming_an_unknown_zip_version_fails_as_corrupt(tmp_path: Path) -> None:
    path = raw_docx(tmp_path / "future.docx", para("text"))
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (119).to_bytes(2, "little")  # "needs ZIP version 11.9"
    path.write_bytes(bytes(data))
    err = load_error(path)
    assert (err.status, err.code) == ("failed", "docx.corrupt")


def test_malformed_document_xml_fails_as_corrupt(tmp_path: Path) -> None:
    path = raw_docx(tmp_path / "bad.docx", "<w:p><w:r><w:t>unclosed</w:r></w:p>")
    err = load_error(path)
    assert (err.status, err.code) == ("failed", "docx.corrupt")


def test_an_unreadable_header_leaves_the_body_read_and_the_file_partial(tmp_path: Path) -> None:
    body = (
        para("Body survives.")
        + '<w:sectPr><w:headerReference w:type="default" r:id="rId3"/></w:sectPr>'
    )
    rels = f'<Relationship Id="rId3" Type="{REL}/header" Target="header1.xml"/>'
    path = raw_docx(tmp_path / "hdr.docx", body, parts={"word/header1.xml": "<w:hdr"}, rels=rels)
    source = SourceFile(path=path, rel_path=path.name, config=Config())
    doc = next(DocxLoader().load(source))
    assert [e.text for e in doc.elements] == ["Body survives."]
    assert source.partial is not None and source.partial.code == "docx.corrupt"


def test_a_password_protected_document_is_encrypted(tmp_path: Path) -> None:
    path = ole2_file(
        tmp_path / "secret.docx",
        {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x93" * 5000},
    )
    res = llmprep.process(path, redact=False)
    assert (res.status, res.error.code if res.error else None) == ("encrypted", "docx.encrypted")


def test_encrypted_ooxml_is_recognised_without_its_extension(tmp_path: Path) -> None:
    path = ole2_file(
        tmp_path / "secret", {"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x01" * 100}
    )
    source = SourceFile(path=path, rel_path="secret", config=Config())
    assert get_registry().choose(source).name == "docx"  # type: ignore[union-attr]


def test_a_legacy_doc_is_unsupported_and_names_the_unstructured_extra(tmp_path: Path) -> None:
    path = ole2_file(
        tmp_path / "old.doc", {"WordDocument": b"\xec\xa5" + b"\0" * 600, "1Table": b"\0" * 600}
    )
    res = llmprep.process(path, redact=False)
    assert res.status == "unsupported"
    assert res.error is not None and "unstructured" in res.error.message


def test_a_legacy_doc_named_docx_is_unsupported_too(tmp_path: Path) -> None:
    path = ole2_file(tmp_path / "old.docx", {"WordDocument": b"\xec\xa5" + b"\0" * 600})
    err = load_error(path)
    assert err.status == "unsupported" and "unstructured" in err.message


def _bomb(path: Path, megabytes: int) -> Path:
    d = docx.Document()
    d.add_paragraph("small")
    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with dst.open("word/media/padding.bin", "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                fh.write(block)
    return path


def test_a_decompression_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.docx", 64)  # 64 MB of zeros in a ~70 KB file
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        err = load_error(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (err.status, err.code) == ("failed", "docx.too_large")
    assert peak < 8 * 1024 * 1024  # the 64 MB expansion is never allocated


def test_the_uncompressed_size_limit_is_configurable(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "big.docx", 3)
    config = Config().with_overrides(**{"docx.max_uncompressed_mb": 2})
    err = load_error(path, config)
    assert (err.status, err.code) == ("failed", "docx.too_large")
    assert load(path).elements[0].text == "small"  # under the default limits it loads


def test_a_package_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("x")
    d.save(tmp_path / "parts.docx")
    config = Config().with_overrides(**{"docx.max_zip_entries": 5})
    err = load_error(tmp_path / "parts.docx", config)
    assert (err.status, err.code) == ("failed", "docx.too_large")


def test_xml_entities_are_never_expanded(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE w:document [<!ENTITY company "ACME Corporation">]>'
    body = "<w:p><w:r><w:t>start &company; end</w:t></w:r></w:p>"
    doc = load(raw_docx(tmp_path / "entity.docx", body, doctype=doctype))
    assert doc.elements[0].text == "start  end"


def test_a_billion_laughs_document_fails_as_corrupt_without_expanding(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{laughs}]>'
    body = "<w:p><w:r><w:t>start &lol9; end</w:t></w:r></w:p>"
    path = raw_docx(tmp_path / "laughs.docx", body, doctype=doctype)
    tracemalloc.start()
    try:
        err = load_error(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (err.status, err.code) == ("failed", "docx.corrupt")
    assert peak < 8 * 1024 * 1024


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    body = "<w:p><w:r><w:t>value: &xxe;</w:t></w:r></w:p>"
    doc = load(raw_docx(tmp_path / "xxe.docx", body, doctype=doctype))
    assert "TOPSECRET" not in doc.text


# -- selection --------------------------------------------------------------------------------


def test_docx_sniff_claims_word_packages_but_not_pptx_or_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from pptx import Presentation

    d = docx.Document()
    d.add_paragraph("x")
    d.save(tmp_path / "a.docx")
    Presentation().save(tmp_path / "b.pptx")
    Workbook().save(tmp_path / "c.xlsx")
    loader = DocxLoader()
    heads = {p.suffix: p.read_bytes()[:8192] for p in tmp_path.iterdir()}
    assert loader.sniff(heads[".docx"])
    assert not loader.sniff(heads[".pptx"])
    assert not loader.sniff(heads[".xlsx"])


def test_a_docx_without_its_extension_is_routed_to_the_docx_loader(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("x")
    d.save(tmp_path / "noext")
    source = SourceFile(path=tmp_path / "noext", rel_path="noext", config=Config())
    assert get_registry().choose(source).name == "docx"  # type: ignore[union-attr]


# -- corpus -----------------------------------------------------------------------------------


def _reference_words(path: Path) -> Counter[str]:
    """python-docx's plain text; a merged cell counts once (the loader keeps it once)."""
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        seen: dict[int, object] = {}
        for row in table.rows:
            try:
                cells = list(row.cells)
            except ValueError:  # python-docx cannot lay out some irregular grids
                continue
            for cell in cells:
                if id(cell._tc) not in seen:
                    seen[id(cell._tc)] = cell._tc
                    parts.append(cell.text)
    return words("\n".join(parts))


def test_every_corpus_docx_gets_a_status_and_full_word_recall(corpus: Path) -> None:
    files = sorted((corpus / "docx").glob("*.docx"))
    assert files
    for path in files:
        source = SourceFile(path=path, rel_path=path.name, config=Config())
        doc = next(DocxLoader().load(source))
        ref = _reference_words(path)
        got = words(doc.text)
        recall = sum(min(n, got[w]) for w, n in ref.items()) / max(1, sum(ref.values()))
        assert recall >= 0.98, (path.name, recall)


def test_the_872_page_handbook_keeps_its_heading_tree_and_footnotes(corpus: Path) -> None:
    doc = load(corpus / "docx" / "handbook-872p.docx")
    headings = [e for e in doc.elements if e.type == "heading"]
    assert len(headings) > 200
    assert any(len(e.heading_path) == 3 for e in headings)
    assert any(e.type == "footnote" for e in doc.elements)
    assert sum(len(e.text.split()) for e in doc.elements) > 120_000
