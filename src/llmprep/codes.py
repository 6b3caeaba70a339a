"""Every manifest status and error code, in one catalog (docs/errors.md explains each; a test
compares the two, and checks that every code the source raises is here).

Codes are `<area>.<what>`: the area is the format (`pdf`, `docx`, `email`...), `file` for
anything about the input file itself, `worker` for the process that handled it, or a stage name
for failures inside a stage (`normalize.error`: a bug, with its raising frame in the message).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from .models import Status

STATUSES: tuple[str, ...] = get_args(Status)
MANIFEST_STATUSES: tuple[str, ...] = (*STATUSES, "deleted")


@dataclass(frozen=True, slots=True)
class ErrorCode:
    code: str
    statuses: tuple[str, ...]  # the statuses a row with this code can have
    meaning: str


def _codes(statuses: tuple[str, ...], meaning: str, *codes: str) -> list[ErrorCode]:
    return [ErrorCode(code, statuses, meaning) for code in codes]


FAILED, PARTIAL, UNSUPPORTED = ("failed",), ("partial",), ("unsupported",)
ENCRYPTED, TIMEOUT = ("encrypted",), ("timeout",)

# Stages a file passes through; an unexpected error or resource failure in one of them gets a
# code `<stage>.<kind>` (see `pipeline.failures`).
STAGES = ("load", "normalize", "language", "pii", "chunk", "quality", "dedup")
STAGE_FAILURES = {
    "error": "an unexpected error (a bug worth reporting): type and raising frame in the message",
    "os_error": "the operating system refused an operation; its wording is in the message",
    "unreadable": "permission denied",
    "not_found": "the file is gone",
    "is_directory": "a folder where a file was expected",
    "symlink_loop": "a symbolic link that points back at itself",
    "out_of_memory": "the stage ran out of memory",
    "too_deep": "structure nested too deep to follow",
}

_CATALOG: list[ErrorCode] = [
    *_codes(FAILED, "the file has 0 bytes", "file.empty"),
    *_codes(FAILED, "over limits.max_file_mb", "file.too_large"),
    *_codes(UNSUPPORTED, "a named pipe, socket or device: never opened", "file.not_regular"),
    *_codes(TIMEOUT, "no document finished within run.timeout seconds", "file.timeout"),
    *_codes(("deleted",), "in the previous run, gone now", "file.deleted"),
    *_codes(UNSUPPORTED, "no loader accepts this content", "format.unsupported"),
    *_codes(
        FAILED,
        "an input URL's object is gone, or could not be downloaded (retried next run)",
        "remote.not_found",
        "remote.unreadable",
    ),
    *_codes(
        FAILED,
        "the worker process died, outgrew run.max_memory_mb, or could not start",
        "worker.crashed",
        "worker.out_of_memory",
        "worker.start_failed",
    ),
    # PDF
    *_codes(ENCRYPTED, "needs a user password (pdf.passwords)", "pdf.password_required"),
    *_codes(FAILED, "neither pdfium nor pypdf can parse it", "pdf.corrupt"),
    *_codes((*FAILED, *PARTIAL), "cut short (no %%EOF)", "pdf.truncated"),
    *_codes(PARTIAL, "some pages could not be read", "pdf.page_unreadable"),
    *_codes(PARTIAL, "no page has a text layer, and OCR did not run", "pdf.needs_ocr"),
    # OCR and images (the ocr extra)
    *_codes(PARTIAL, "OCR stopped at 80% of run.timeout; later pages unread", "ocr.time_budget"),
    *_codes(PARTIAL, "a page stopped at [ocr] page_timeout", "ocr.page_timeout"),
    *_codes(PARTIAL, "OCR read every page and found no text", "ocr.no_text"),
    *_codes(UNSUPPORTED, "an image, and OCR is not installed or off", "image.needs_ocr"),
    *_codes(FAILED, "the image could not be decoded", "image.corrupt"),
    *_codes(FAILED, "over 200 megapixels", "image.too_large"),
    *_codes(
        PARTIAL, "some frames of a multi-page image could not be decoded", "image.frame_unreadable"
    ),
    # Word
    *_codes(ENCRYPTED, "password-protected Office document", "docx.encrypted"),
    *_codes(FAILED, "damaged ZIP or XML, or no body", "docx.corrupt"),
    *_codes(FAILED, "the ZIP ends before its directory", "docx.truncated"),
    *_codes(FAILED, "over the ZIP entry or expansion limits", "docx.too_large"),
    *_codes(UNSUPPORTED, "an OLE2 file that is not a Word document", "docx.not_word"),
    # Email
    *_codes(ENCRYPTED, "S/MIME or PGP encrypted body", "email.encrypted"),
    *_codes(PARTIAL, "S/MIME opaque-signed content not read", "email.opaque_signed"),
    *_codes(PARTIAL, "MIME nested deeper than the limit", "email.too_deep"),
    *_codes(
        PARTIAL,
        "one mbox message unreadable or over the size limit",
        "email.message_failed",
        "email.message_too_large",
    ),
    *_codes(FAILED, "damaged or cut-short Outlook message", "msg.corrupt", "msg.truncated"),
    *_codes(UNSUPPORTED, "a .msg that is not an Outlook message", "msg.not_outlook"),
    *_codes(UNSUPPORTED, "python-oxmsg is not installed", "msg.dependency_missing"),
    *_codes(PARTIAL, "the body exists only as compressed RTF", "msg.rtf_body"),
    # HTML
    *_codes(PARTIAL, "markup nested too deep: text kept, structure flattened", "html.too_deep"),
    *_codes(FAILED, "the page could not be parsed at all", "html.unreadable"),
    # Other formats through the unstructured extra
    *_codes(
        UNSUPPORTED,
        "the unstructured extra or a tool it needs is missing",
        "unstructured.not_installed",
        "unstructured.missing_dependency",
        "unstructured.needs_libreoffice",
        "unstructured.needs_pandoc",
        "unstructured.unknown_format",
        "unstructured.missing_tool",
        "unstructured.no_spacy_model",
    ),
    *(
        ErrorCode(f"{stage}.{kind}", (*FAILED, *PARTIAL), meaning)
        for stage in STAGES
        for kind, meaning in STAGE_FAILURES.items()
    ),
]

ERROR_CODES: dict[str, ErrorCode] = {c.code: c for c in _CATALOG}

__all__ = ["ERROR_CODES", "MANIFEST_STATUSES", "STAGES", "STATUSES", "ErrorCode"]
