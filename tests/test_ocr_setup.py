"""OCR's setup: no network, the extra missing, the `[ocr]` config, the language restriction."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import llmprep
from llmprep import Config
from llmprep.errors import ConfigError
from llmprep.ocr.languages import SUPPORTED_LANGUAGES, allowed, blocked_scripts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import make_scans


def scanned_pdf(tmp_path: Path) -> Path:
    source = tmp_path / "letter.pdf"
    make_scans.write_page(source, make_scans.PageSpec("list", "en", 3))
    path = tmp_path / "scanned.pdf"
    make_scans.images_to_pdf([make_scans.render(source, 100)], path)
    return path


@pytest.fixture
def without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """rapidocr and onnxruntime made unimportable, as in an install without `[ocr]`."""
    for name in ("rapidocr", "onnxruntime"):
        monkeypatch.setitem(sys.modules, name, None)


# -- without the extra -------------------------------------------------------------------------


def test_without_the_extra_a_scanned_pdf_needs_ocr_and_the_message_names_the_extra(
    tmp_path: Path, without_the_extra: None
) -> None:
    result = llmprep.process(scanned_pdf(tmp_path), redact=False)
    assert result.status == "partial" and result.error is not None
    assert result.error.code == "pdf.needs_ocr"
    assert "llmprep[ocr]" in result.error.message
    codes = {f.code for f in result.documents[0].flags}
    assert "needs_ocr" in codes and "ocr" not in codes


def test_without_the_extra_an_image_is_unsupported_and_the_message_names_the_extra(
    tmp_path: Path, without_the_extra: None
) -> None:
    path = tmp_path / "page.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    result = llmprep.process(path, redact=False)
    assert result.status == "unsupported" and result.error is not None
    assert result.error.code == "image.needs_ocr" and "llmprep[ocr]" in result.error.message


# -- config -------------------------------------------------------------------------------------


def test_an_unsupported_ocr_language_is_a_config_error_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"ocr\.languages.*cannot read ru"):
        Config.from_mapping({"ocr": {"languages": ["en", "ru"]}})


def test_an_unknown_ocr_mode_is_a_config_error_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"ocr\.mode"):
        Config.from_mapping({"ocr": {"mode": "sometimes"}})


def test_the_supported_languages_are_latin_script_ones_plus_chinese_and_japanese() -> None:
    assert {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "tr", "vi", "zh", "ja"} <= (
        SUPPORTED_LANGUAGES
    )
    assert not {"ru", "ar", "he", "el", "hi", "th", "ko", "uk"} & SUPPORTED_LANGUAGES


def test_latin_languages_exclude_chinese_and_japanese_letters_but_not_digits_or_accents() -> None:
    blocked = blocked_scripts(["en", "de"])
    assert not allowed("中", blocked) and not allowed("か", blocked)
    assert all(allowed(ch, blocked) for ch in "aéßŁ7€%")


def test_chinese_keeps_chinese_letters_and_no_languages_keep_everything() -> None:
    assert allowed("中", blocked_scripts(["zh"])) and not allowed("か", blocked_scripts(["zh"]))
    assert blocked_scripts([]) == frozenset()


def test_the_thread_count_does_not_change_the_config_hash() -> None:
    assert Config(ocr={"threads": 2}).hash() == Config().hash()
    assert Config(ocr={"dpi": 300}).hash() != Config().hash()


# -- no network ---------------------------------------------------------------------------------


def test_recognition_uses_the_wheels_model_files_and_never_tries_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("rapidocr", reason="the `ocr` extra is not installed")
    import requests
    from rapidocr.utils import download_file

    from llmprep.ocr import engine

    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError("OCR tried to download something")

    monkeypatch.setattr(download_file.DownloadFile, "run", classmethod(refuse))
    monkeypatch.setattr(requests, "get", refuse)
    monkeypatch.setattr(requests.Session, "request", refuse)
    monkeypatch.setattr(engine, "_ENGINES", {})  # a fresh engine: models loaded under the patch
    result = llmprep.process(scanned_pdf(tmp_path), redact=False)
    assert attempts == []
    assert result.status == "ok" and len(result.text.split()) > 50
    assert result.documents[0].metadata.extra["ocr"]["engine"] == "rapidocr"
