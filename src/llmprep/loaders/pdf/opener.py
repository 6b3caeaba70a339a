"""Opening a PDF: the empty password first, then configured ones; pdfium first, then pypdf.

Owner-password-only files (copy/print restrictions) open with the empty user password in every
viewer, so they are read normally. A file that needs a user password nobody configured raises
`EncryptedDocument("pdf.password_required")`; one neither engine can parse raises
`CorruptDocument("pdf.corrupt")`. Messages never include a password.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ...errors import CorruptDocument, EncryptedDocument
from ..base import SourceFile

_FPDF_ERR_PASSWORD = 4


@dataclass
class OpenedPdf:
    source: SourceFile
    pdfium: Any | None = None  # pypdfium2.PdfDocument
    encrypted: bool = False
    password: str | None = None  # the configured password that opened the file, if one was needed
    _pypdf: Any | None = None
    _pypdf_tried: bool = False
    _pypdf_log_level: int | None = None
    _handles: list[Any] = field(default_factory=list)

    def pypdf(self) -> Any | None:
        """A pypdf reader (decrypted when needed), opened on first use; None when pypdf fails.

        Lazy because pypdf parses the whole cross-reference table up front, which can cost more
        than pdfium's entire text extraction on a long file.
        """
        if not self._pypdf_tried:
            self._pypdf_tried = True
            self._quiet_pypdf()
            reader = _pypdf_open(self.source, self)
            if reader is not None and reader.is_encrypted:
                self.encrypted = True
                candidates = [self.password] if self.password is not None else [""]
                if not _pypdf_decrypt(reader, candidates + configured_passwords(self.source)):
                    reader = None
            self._pypdf = reader
        return self._pypdf

    def _quiet_pypdf(self) -> None:
        """pypdf logs a warning for every xref it repairs, and errors that quote the file's own
        bytes ("Advanced encoding /<name from the file> not implemented yet, using [...]"); the
        manifest reports what matters, and logs never carry document content. What pypdf cannot
        work around, it raises.

        Only done once pypdf is actually used (setLevel clears logging's caches, which costs
        more than reading a small PDF); `close` restores the level.
        """
        logger = logging.getLogger("pypdf")
        self._pypdf_log_level = logger.level
        logger.setLevel(logging.CRITICAL)

    def pypdf_if_open(self) -> Any | None:
        """The pypdf reader only if something already needed it (no parsing cost otherwise)."""
        return self._pypdf

    def close(self) -> None:
        if self.pdfium is not None:
            with contextlib.suppress(Exception):
                self.pdfium.close()
            self.pdfium = None
        self._pypdf = None
        if self._pypdf_log_level is not None:
            logging.getLogger("pypdf").setLevel(self._pypdf_log_level)
            self._pypdf_log_level = None
        for handle in self._handles:
            with contextlib.suppress(Exception):
                handle.close()
        self._handles.clear()


def configured_passwords(source: SourceFile) -> list[str]:
    """Passwords from `pdf.passwords` and then `pdf.password_file` (one per line)."""
    cfg = source.config.pdf
    passwords = [p for p in cfg.passwords if p]
    if cfg.password_file:
        try:
            text = Path(cfg.password_file).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            source.warnings.append(
                "pdf.password_file_unreadable: the configured password file could not be read"
            )
        else:
            passwords += [line.rstrip("\r") for line in text.split("\n") if line.rstrip("\r")]
    return list(dict.fromkeys(passwords))


def open_pdf(source: SourceFile) -> OpenedPdf:
    """Open with pdfium (trying configured passwords when one is needed), else with pypdf."""
    opened = OpenedPdf(source=source)
    try:
        opened.pdfium = _pdfium_open(source, None)
        # Owner-password-only files open with the empty password but are still encrypted.
        opened.encrypted = _pdfium_encrypted(opened.pdfium)
        return opened
    except _PasswordNeeded:
        opened.encrypted = True
        for password in configured_passwords(source):
            try:
                opened.pdfium = _pdfium_open(source, password)
            except _PasswordNeeded:
                continue
            except Exception:
                break
            opened.password = password
            return opened
        raise _password_required() from None
    except Exception:
        pass  # not parseable by pdfium: pypdf is the fallback engine

    reader = opened.pypdf()
    if reader is not None and not _has_pages(reader):
        reader = None
    if reader is None:
        opened.close()
        if opened.encrypted:
            raise _password_required()
        raise CorruptDocument("pdf.corrupt", "neither pdfium nor pypdf could parse the file")
    return opened


def _password_required() -> EncryptedDocument:
    return EncryptedDocument(
        "pdf.password_required",
        "the PDF is encrypted and needs a password; set pdf.passwords or pdf.password_file",
    )


class _PasswordNeeded(Exception):
    pass


def _pdfium_open(source: SourceFile, password: str | None) -> Any:
    import pypdfium2 as pdfium

    target: Any = source.path if source.path is not None else source.read_bytes()
    try:
        pdf = pdfium.PdfDocument(target, password=password)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _FPDF_ERR_PASSWORD:
            raise _PasswordNeeded() from None
        raise
    if len(pdf) < 1:
        pdf.close()
        raise ValueError("no pages")
    return pdf


def _has_pages(reader: Any) -> bool:
    try:
        return len(reader.pages) > 0  # parses the page tree: a broken one fails here
    except Exception:
        return False


def _pdfium_encrypted(pdf: Any) -> bool:
    import pypdfium2.raw as raw

    try:
        return bool(raw.FPDF_GetSecurityHandlerRevision(pdf) >= 0)
    except Exception:
        return False


def _pypdf_open(source: SourceFile, opened: OpenedPdf) -> Any | None:
    from pypdf import PdfReader

    stream: BinaryIO | None = None
    try:
        # A stream (not a path): pypdf would read a whole path into memory.
        stream = source.open()
        reader = PdfReader(stream, strict=False)
    except Exception:
        if stream is not None:
            stream.close()
        return None
    opened._handles.append(stream)
    return reader


def _pypdf_decrypt(reader: Any, passwords: list[str]) -> bool:
    for password in passwords:
        try:
            if reader.decrypt(password):
                len(reader.pages)
                return True
        except Exception:
            # Unsupported algorithm or a missing crypto dependency: pypdf cannot help here.
            return False
    return False
