"""llmprep: turn PDFs, Word files, web pages and mailboxes into clean, chunked, redacted records.

    import llmprep
    res = llmprep.process("handbook.pdf")
    summary = llmprep.run(["docs/"], out="out/")

Heavy libraries load on first use, never at import.
"""

from __future__ import annotations

from ._version import __version__
from .api import detect_language, process, redact, run
from .config import Config
from .errors import ConfigError, LlmprepError, LoadError
from .models import (
    SCHEMA_VERSION,
    Document,
    Element,
    ErrorInfo,
    Flag,
    ManifestRow,
    PiiSpan,
    Record,
    Source,
)

__all__ = [
    "SCHEMA_VERSION",
    "Config",
    "ConfigError",
    "Document",
    "Element",
    "ErrorInfo",
    "Flag",
    "LlmprepError",
    "LoadError",
    "ManifestRow",
    "PiiSpan",
    "Record",
    "Source",
    "__version__",
    "detect_language",
    "process",
    "redact",
    "run",
]
