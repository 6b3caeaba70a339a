"""The cycle collector pause around a PDF load: switched back exactly as it was found."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from llmprep.config import Config
from llmprep.errors import LoadError
from llmprep.loaders.base import SourceFile
from llmprep.loaders.pdf import collector
from llmprep.loaders.pdf.loader import PdfLoader


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Quarterly revenue grew in every region.")
    c.showPage()
    c.save()
    return path


def test_a_pause_switches_the_collector_off_and_back_on(collector_on: None) -> None:
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested: the outer pause keeps the switch
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_the_application_switched_off_alone(
    collector_on: None,
) -> None:
    gc.disable()
    with collector.paused():
        collector.resume()  # not this pause's to resume
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_resume_switches_it_on_for_the_rest_of_the_pause(collector_on: None) -> None:
    with collector.paused():
        collector.resume()
        assert gc.isenabled()
    assert gc.isenabled()


def test_an_exception_inside_a_pause_still_switches_it_back_on(collector_on: None) -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_loading_a_pdf_pauses_the_collector_and_switches_it_back_on(
    tmp_path: Path, collector_on: None
) -> None:
    from llmprep.loaders.pdf import assemble as assemble_module

    seen: list[bool] = []
    real = assemble_module.assemble

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    source = SourceFile(path=_pdf(tmp_path / "a.pdf"), rel_path="a.pdf", config=Config())
    with mock.patch.object(assemble_module, "assemble", spy):
        doc = next(iter(PdfLoader().load(source)))
    assert seen == [False]
    assert "Quarterly revenue" in doc.text
    assert gc.isenabled()


def test_a_failed_load_switches_it_back_on(tmp_path: Path, collector_on: None) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ngarbage")
    with pytest.raises(LoadError):
        next(iter(PdfLoader().load(SourceFile(path=bad, rel_path="bad.pdf", config=Config()))))
    assert gc.isenabled()
