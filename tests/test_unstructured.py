"""The `unstructured` fallback loader: cheap import, selection, and offline loading.

`unstructured` pins versions that clash with the main environment, so it lives in its own venv
(`.venv-unstructured`, or the interpreter named by LLMPREP_UNSTRUCTURED_PYTHON). The tests that
need it run there in a subprocess and skip when that venv is absent; the tests of life without
it run here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import docx
import pytest

import llmprep
from llmprep.config import Config
from llmprep.loaders.base import SourceFile
from llmprep.loaders.registry import get_registry
from llmprep.loaders.unstructured import UnstructuredLoader, sniff_format
from test_docx import ole2_file  # the OLE2 writer lives with the DOCX tests

ROOT = Path(__file__).resolve().parents[1]
UNSTRUCTURED_PYTHON = Path(
    os.environ.get("LLMPREP_UNSTRUCTURED_PYTHON", ROOT / ".venv-unstructured" / "bin" / "python")
)
needs_no_unstructured = pytest.mark.skipif(
    find_spec("unstructured") is not None, reason="unstructured is installed in this environment"
)


def make_pptx(path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Quarterly review"
    body = slide.placeholders[1].text_frame
    body.text = "Revenue grew in every region this quarter."
    slide2 = deck.slides.add_slide(deck.slide_layouts[5])
    slide2.shapes.title.text = "Regional numbers"
    table = slide2.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    for (r, c), value in {(0, 0): "Region", (0, 1): "Sales", (1, 0): "North", (1, 1): "42"}.items():
        table.cell(r, c).text = value
    deck.save(path)
    return path


def make_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Inventory"
    for row in (["Item", "Count"], ["Apples", 3], ["Pears", 5]):
        sheet.append(row)
    staff = book.create_sheet("Staff")
    for row in (["Name", "Role"], ["Ada", "Engineer"]):
        staff.append(row)
    book.save(path)
    return path


def make_rtf(path: Path) -> Path:
    path.write_text(
        r"{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}\f0\pard Shipping policy.\par Orders ship within two days.\par}"
    )
    return path


# -- without unstructured (this environment) --------------------------------------------------


def test_importing_the_loader_does_not_import_unstructured() -> None:
    code = (
        "import sys, llmprep.loaders.unstructured, llmprep.loaders.registry as r; r.get_registry(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('unstructured', 'spacy', 'pandas')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@needs_no_unstructured
def test_a_pptx_without_the_extra_is_unsupported_and_names_it(tmp_path: Path) -> None:
    res = llmprep.process(make_pptx(tmp_path / "deck.pptx"), redact=False)
    assert res.status == "unsupported"
    assert res.error is not None and "`unstructured` extra" in res.error.message


@needs_no_unstructured
def test_an_xlsx_without_the_extra_is_unsupported_and_names_it(tmp_path: Path) -> None:
    res = llmprep.process(make_xlsx(tmp_path / "book.xlsx"), redact=False)
    assert res.status == "unsupported"
    assert res.error is not None and "`unstructured` extra" in res.error.message


def test_office_formats_go_to_the_fallback_and_docx_to_its_native_loader(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("x")
    d.save(tmp_path / "a.docx")
    files = [tmp_path / "a.docx", make_pptx(tmp_path / "b.pptx"), make_xlsx(tmp_path / "c.xlsx")]
    chosen = {}
    for path in files:
        for name in (path.name, path.stem):  # by extension, and by content alone
            source = SourceFile(path=path, rel_path=name, config=Config(), name=name)
            chosen[name] = get_registry().choose(source).name  # type: ignore[union-attr]
    assert chosen == {
        "a.docx": "docx",
        "a": "docx",
        "b.pptx": "unstructured",
        "b": "unstructured",
        "c.xlsx": "unstructured",
        "c": "unstructured",
    }


def test_the_fallback_ranks_below_every_native_loader() -> None:
    natives = [ld for ld in get_registry().loaders if ld.name not in ("unstructured", "text")]
    assert natives
    assert all(UnstructuredLoader.priority < ld.priority for ld in natives)


def test_sniffing_claims_other_office_formats_but_not_docx_encrypted_files_or_outlook_mail(
    tmp_path: Path,
) -> None:
    epub = tmp_path / "book.epub"
    with zipfile.ZipFile(epub, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")  # stored first, as EPUB requires
        zf.writestr("META-INF/container.xml", "<container/>")
    d = docx.Document()
    d.save(tmp_path / "w.docx")
    heads = {
        "pptx": make_pptx(tmp_path / "p.pptx").read_bytes()[:8192],
        "xlsx": make_xlsx(tmp_path / "x.xlsx").read_bytes()[:8192],
        "epub": epub.read_bytes()[:8192],
        "rtf": make_rtf(tmp_path / "r.rtf").read_bytes()[:8192],
        "doc": ole2_file(tmp_path / "o.doc", {"WordDocument": b"\xec\xa5"}).read_bytes()[:8192],
        "docx": (tmp_path / "w.docx").read_bytes()[:8192],
        "encrypted": ole2_file(tmp_path / "e", {"EncryptedPackage": b"\1"}).read_bytes()[:8192],
        "msg": ole2_file(tmp_path / "m.msg", {"__substg1.0_0037001F": b"s"}).read_bytes()[:8192],
    }
    got = {key: sniff_format(head) for key, head in heads.items()}
    assert got == {
        "pptx": "pptx",
        "xlsx": "xlsx",
        "epub": "epub",
        "rtf": "rtf",
        "doc": "doc",
        "docx": None,
        "encrypted": None,
        "msg": None,
    }


def test_a_pptx_bomb_is_refused_before_unstructured_runs(tmp_path: Path) -> None:
    path = make_pptx(tmp_path / "bomb.pptx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("ppt/media/pad.bin", "w") as fh,
    ):
        for _ in range(32):
            fh.write(b"\0" * (1 << 20))
    res = llmprep.process(path, redact=False)
    assert (res.status, res.error.code if res.error else None) == ("failed", "pptx.too_large")


# -- with unstructured (its own venv, in a subprocess) ----------------------------------------

CHILD = textwrap.dedent(
    """
    import json, os, socket, sys
    from pathlib import Path

    attempts = []
    LOCAL = ("127.0.0.1", "::1", "localhost")

    def refuse_remote(address):
        # Like pytest-socket with loopback allowed: any connection elsewhere is refused, and counted.
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host not in LOCAL:
            attempts.append(str(host))
            raise OSError("network disabled for this test")

    class GuardedSocket(socket.socket):
        def connect(self, address):
            refuse_remote(address)
            return super().connect(address)

        def connect_ex(self, address):
            refuse_remote(address)
            return super().connect_ex(address)

        def sendto(self, data, *args):
            refuse_remote(args[-1])
            return super().sendto(data, *args)

    _getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host not in LOCAL and host is not None:
            attempts.append(f"dns:{host}")
            raise OSError("network disabled for this test")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket = GuardedSocket
    socket.getaddrinfo = guarded_getaddrinfo

    from llmprep.config import Config
    from llmprep.errors import LoadError
    from llmprep.loaders.base import SourceFile
    from llmprep.loaders.registry import load_source

    results = {}
    for name in sys.argv[1:]:
        path = Path(name)
        source = SourceFile(path=path, rel_path=path.name, config=Config())
        try:
            docs = list(load_source(source))
        except LoadError as exc:
            results[path.name] = {"status": exc.status, "code": exc.code, "message": exc.message}
            continue
        doc = docs[0]
        results[path.name] = {
            "status": "ok",
            "loader": source.loader_info.name,
            "elements": [e.model_dump(mode="json") for e in doc.elements],
        }
    env = {k: os.environ.get(k) for k in ("DO_NOT_TRACK", "SCARF_NO_ANALYTICS")}
    print(json.dumps({"results": results, "attempts": attempts, "env": env}))
    """
)


@pytest.fixture(scope="module")
def with_unstructured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Load generated files in the unstructured venv with the network disabled; its JSON report."""
    if not UNSTRUCTURED_PYTHON.exists():
        pytest.skip(f"no unstructured venv at {UNSTRUCTURED_PYTHON} (see .ci/run)")
    folder = tmp_path_factory.mktemp("unstructured")
    files = [
        make_pptx(folder / "deck.pptx"),
        make_xlsx(folder / "book.xlsx"),
        make_rtf(folder / "policy.rtf"),
        ole2_file(folder / "old.doc", {"WordDocument": b"\xec\xa5" + b"\0" * 600}),
    ]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DO_NOT_TRACK", "SCARF_NO_ANALYTICS", "UNSTRUCTURED_DISABLE_NOTICE")
    }
    out = subprocess.run(
        [str(UNSTRUCTURED_PYTHON), "-c", CHILD, *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _elements(report: dict[str, Any], name: str) -> list[tuple[str, str]]:
    result = report["results"][name]
    assert result["status"] == "ok", result
    return [(e["type"], e["text"]) for e in result["elements"]]


def test_a_pptx_loads_into_headings_paragraphs_and_tables(
    with_unstructured: dict[str, Any],
) -> None:
    assert with_unstructured["results"]["deck.pptx"]["loader"] == "unstructured"
    assert _elements(with_unstructured, "deck.pptx") == [
        ("heading", "Quarterly review"),
        ("paragraph", "Revenue grew in every region this quarter."),
        ("heading", "Regional numbers"),
        ("table", "Region | Sales\nNorth | 42"),
    ]
    table = with_unstructured["results"]["deck.pptx"]["elements"][-1]
    assert table["metadata"]["rows"] == [["Region", "Sales"], ["North", "42"]]
    assert (table["page"], table["heading_path"]) == (2, ["Regional numbers"])


def test_an_xlsx_loads_each_sheet_as_a_table_under_its_name(
    with_unstructured: dict[str, Any],
) -> None:
    assert _elements(with_unstructured, "book.xlsx") == [
        ("heading", "Inventory"),
        ("table", "Item | Count\nApples | 3\nPears | 5"),
        ("heading", "Staff"),
        ("table", "Name | Role\nAda | Engineer"),
    ]
    tables = [
        e for e in with_unstructured["results"]["book.xlsx"]["elements"] if e["type"] == "table"
    ]
    assert [t["heading_path"] for t in tables] == [["Inventory"], ["Staff"]]


def test_an_rtf_loads_through_pandoc(with_unstructured: dict[str, Any]) -> None:
    text = " ".join(t for _, t in _elements(with_unstructured, "policy.rtf"))
    assert "Shipping policy." in text and "Orders ship within two days." in text


@pytest.mark.skipif(shutil.which("soffice") is not None, reason="LibreOffice is installed here")
def test_a_legacy_doc_without_libreoffice_is_unsupported_and_says_why(
    with_unstructured: dict[str, Any],
) -> None:
    result = with_unstructured["results"]["old.doc"]
    assert result["status"] == "unsupported"
    assert "LibreOffice" in result["message"] and "unstructured" in result["message"]


def test_loading_sends_nothing_over_the_network_and_turns_telemetry_off(
    with_unstructured: dict[str, Any],
) -> None:
    assert with_unstructured["attempts"] == []
    assert with_unstructured["env"] == {"DO_NOT_TRACK": "1", "SCARF_NO_ANALYTICS": "1"}
