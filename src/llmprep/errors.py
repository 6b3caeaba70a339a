"""Exceptions that carry a manifest status and an error code.

    LlmprepError
    ├── ConfigError                     bad config key or value (CLI exit 2)
    └── LoadError(status, code)         a file could not be (fully) read
        ├── UnsupportedFormat           status "unsupported"
        ├── EncryptedDocument           status "encrypted"
        ├── CorruptDocument             status "failed"
        └── TooLarge                    status "failed"

Loaders raise `LoadError` subclasses with a code such as ``pdf.password_required``; the pipeline
turns them into a manifest row. Messages must never contain document text or PII values.
"""

from __future__ import annotations

from .models import ErrorInfo, Status


class LlmprepError(Exception):
    """Base of every error llmprep raises on purpose."""


class ConfigError(LlmprepError):
    """A config key or value is wrong; the message names the key."""


class LoadError(LlmprepError):
    status: Status = "failed"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def info(self) -> ErrorInfo:
        return ErrorInfo(code=self.code, message=self.message)


class UnsupportedFormat(LoadError):
    status: Status = "unsupported"


class EncryptedDocument(LoadError):
    status: Status = "encrypted"


class CorruptDocument(LoadError):
    status: Status = "failed"


class TooLarge(LoadError):
    status: Status = "failed"
