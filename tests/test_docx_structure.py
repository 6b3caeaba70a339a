"""DOCX through python-docx: the package layer (core properties, styles), headings from numbering
linked to heading styles, the numbers Word shows on ordered items, notes and comments by config,
and text in text boxes, content controls and fields, on documents python-docx writes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from llmprep.config import Config
from llmprep.loaders.base import SourceFile
from llmprep.loaders.docx.loader import DocxLoader
from llmprep.loaders.docx.opc import PythonDocxPackage
from llmprep.loaders.docx.package import Package
from llmprep.models import Document

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def load(path: Path, config: Config | None = None) -> Document:
    source = SourceFile(path=path, rel_path=path.name, config=config or Config())
    return next(iter(DocxLoader().load(source)))


def save(d: Any, path: Path) -> Path:
    d.save(path)
    return path


def xml(markup: str) -> Any:
    return parse_xml(
        f'<root xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml">{markup}</root>'
    )[0]


def numbering(d: Any, levels: list[tuple[str, str]], num_id: str = "77", style: str = "") -> str:
    """Add an abstract numbering with (numFmt, lvlText) per level and an instance of it."""
    root = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:pStyle w:val="{style}{k + 1}"/>' if style else "")
        + f'<w:lvlText w:val="{text}"/></w:lvl>'
        for k, (fmt, text) in enumerate(levels)
    )
    first = root.find(f"{{{W}}}num")
    first.addprevious(xml(f'<w:abstractNum w:abstractNumId="{num_id}">{lvls}</w:abstractNum>'))
    root.append(xml(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))
    return num_id


def numbered(d: Any, text: str, num_id: str, ilvl: int) -> None:
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        xml(f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


# -- python-docx as the package layer ---------------------------------------------------------


def test_python_docx_opens_the_package_and_its_core_properties_fill_the_metadata(
    tmp_path: Path,
) -> None:
    d = docx.Document()
    props = d.core_properties
    props.title, props.author, props.keywords = "Tide tables", "Ann Lee; Bo Ek", "harbour, tides"
    props.language = "en-GB"
    d.add_paragraph("High water at noon.")
    doc = load(save(d, tmp_path / "props.docx"))
    assert doc.metadata.extra["package_reader"] == "python-docx"
    assert doc.metadata.title == "Tide tables"
    assert doc.metadata.authors == ["Ann Lee", "Bo Ek"]
    assert doc.metadata.extra["keywords"] == "harbour, tides"
    assert doc.metadata.declared_language == "en-GB"


def test_styles_come_from_python_docx_and_a_style_based_on_a_heading_is_one(
    tmp_path: Path,
) -> None:
    d = docx.Document()
    custom = d.styles.add_style("Harbour Section", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = d.styles["Heading 3"]
    d.add_paragraph("Berths", style="Harbour Section")
    path = save(d, tmp_path / "styles.docx")
    with path.open("rb") as fh:
        opened = PythonDocxPackage(fh, Package(fh).infos)
        assert isinstance(opened.styles(), docx.styles.styles.Styles)
    [heading] = [e for e in load(path).elements if e.text == "Berths"]
    assert (heading.type, heading.level) == ("heading", 3)


# -- headings and numbers ---------------------------------------------------------------------


def test_a_numbering_level_linked_to_a_heading_style_makes_a_plain_paragraph_a_heading(
    tmp_path: Path,
) -> None:
    d = docx.Document()
    chapters = numbering(d, [("decimal", "%1."), ("decimal", "%1.%2.")], style="Heading")
    numbered(d, "Berths and moorings", chapters, 0)
    numbered(d, "Visitor berths", chapters, 1)
    d.add_paragraph("Call the harbour office on arrival.")
    elements = load(save(d, tmp_path / "chapters.docx")).elements
    assert [(e.type, e.level, e.text) for e in elements[:2]] == [
        ("heading", 1, "Berths and moorings"),
        ("heading", 2, "Visitor berths"),
    ]
    assert elements[2].heading_path == ["Berths and moorings", "Visitor berths"]


def test_ordered_items_carry_the_number_word_shows(tmp_path: Path) -> None:
    d = docx.Document()
    steps = numbering(d, [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "(%3)")])
    numbered(d, "Moor the boat", steps, 0)
    numbered(d, "Bow line first", steps, 1)
    numbered(d, "Then the stern line", steps, 1)
    numbered(d, "Check the fenders", steps, 2)
    numbered(d, "Pay at the office", steps, 0)
    numbered(d, "By card only", steps, 1)  # a deeper level restarts after a shallower item
    items = [(e.text, e.level) for e in load(save(d, tmp_path / "steps.docx")).elements]
    assert items == [
        ("1. Moor the boat", 1),
        ("a) Bow line first", 2),
        ("b) Then the stern line", 2),
        ("(i) Check the fenders", 3),
        ("2. Pay at the office", 1),
        ("a) By card only", 2),
    ]


def test_bullet_items_get_no_number(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Fresh water", style="List Bullet")
    d.add_paragraph("Electricity", style="List Bullet")
    items = load(save(d, tmp_path / "bullets.docx")).elements
    assert [(e.text, e.metadata["list"]) for e in items] == [
        ("Fresh water", "bullet"),
        ("Electricity", "bullet"),
    ]


def test_a_list_number_style_runs_on_through_the_document_as_in_word(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Arrive", style="List Number")
    d.add_paragraph("Between the two lists.")
    d.add_paragraph("Depart", style="List Number")
    texts = [e.text for e in load(save(d, tmp_path / "runs.docx")).elements]
    assert texts == ["1. Arrive", "Between the two lists.", "2. Depart"]


# -- generated documents: notes, comments, text boxes, content controls, fields ---------------


def generated(seed: int) -> tuple[bytes, Any]:
    sys.path.insert(0, str(ROOT / "fixtures"))
    from make_structure import docx_document

    return docx_document(seed)


def text_of(doc: Document) -> str:
    return " ".join(" ".join(e.text for e in doc.elements).split())


@pytest.mark.parametrize("seed", [3, 1003])
def test_footnotes_and_endnotes_are_read_and_comments_are_not_by_default(
    tmp_path: Path, seed: int
) -> None:
    data, truth = generated(seed)
    path = tmp_path / "doc.docx"
    path.write_bytes(data)
    doc = load(path)
    text = text_of(doc)
    assert all(snippet in text for snippet in truth.with_)
    assert not any(snippet in text for snippet in truth.without)  # the reviewer's comment
    assert sum(1 for e in doc.elements if e.type == "footnote") >= 2  # footnotes + endnote


def test_comments_come_in_and_notes_go_when_configured(tmp_path: Path) -> None:
    data, truth = generated(4)
    path = tmp_path / "doc.docx"
    path.write_bytes(data)
    config = Config().with_overrides(
        **{"docx.include_comments": True, "docx.include_footnotes": False}
    )
    doc = load(path, config)
    comments = [e.text for e in doc.elements if e.type == "comment"]
    assert comments == truth.without
    assert not any(e.type == "footnote" for e in doc.elements)


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        (
            "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>inside a content control</w:t></w:r>"
            "</w:sdtContent></w:sdt>",
            "Before inside a content control",
        ),
        (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DOCPROPERTY X '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the '
            'field result</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
            "Before the field result",
        ),
        (
            "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>in a text box</w:t>"
            "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
            "in a text box",
        ),
    ],
    ids=["content control", "field result", "text box"],
)
def test_text_in_content_controls_fields_and_text_boxes_is_read(
    tmp_path: Path, markup: str, shown: str
) -> None:
    d = docx.Document()
    p = d.add_paragraph("Before ")
    for node in xml(f"<w:p>{markup}</w:p>"):
        p._p.append(node)
    elements = load(save(d, tmp_path / "inline.docx")).elements
    assert any(e.text == shown for e in elements)
    assert "DOCPROPERTY" not in text_of_elements(elements)  # a field's code is not shown text


def text_of_elements(elements: list[Any]) -> str:
    return " ".join(e.text for e in elements)


def test_the_generated_documents_have_no_glued_words_and_every_snippet(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from structure import docx_elements, score

    for seed in (0, 1, 1000, 1001):
        data, truth = generated(seed)
        got = score(docx_elements(data), truth)
        assert got.glued == 0
        assert got.snippets["fn"] == 0 and got.snippets["fp"] == 0
