"""llmprep: turn PDFs, Word files, web pages and mailboxes into clean, chunked, redacted records.

    import llmprep
    res = llmprep.process("handbook.pdf")
    res = llmprep.process(data, filename="page.html")     # bytes or a binary stream
    for record in llmprep.iter_records(["docs/"]): ...      # streamed as files finish
    summary = llmprep.run(["docs/"], out="out/")

Names are resolved lazily (PEP 562): `import llmprep` and `llmprep --help` load neither pydantic
nor any parser; each public name imports its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

_EXPORTS = {
    "process": "api",
    "process_text": "api",
    "iter_records": "api",
    "run": "api",
    "redact": "api",
    "detect_language": "api",
    "Config": "config",
    "ConfigError": "errors",
    "LlmprepError": "errors",
    "LoadError": "errors",
    "SCHEMA_VERSION": "models",
    "Document": "models",
    "Element": "models",
    "ErrorInfo": "models",
    "Flag": "models",
    "ManifestRow": "models",
    "PiiSpan": "models",
    "Record": "models",
    "Source": "models",
}

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
    "iter_records",
    "process",
    "process_text",
    "redact",
    "run",
]

if TYPE_CHECKING:
    from .api import detect_language, iter_records, process, process_text, redact, run
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'llmprep' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
