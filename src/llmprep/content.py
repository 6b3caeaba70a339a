"""Inputs that are not files on disk: bytes, binary streams, text, and fsspec URLs.

`llmprep.process` takes a path, `bytes` or a binary file-like object. Content in memory needs
a name: loaders are chosen by extension first and content second, and a record's id uses the
file's path relative to its input root (for `process(path)`, the file's name). So
`process(data, filename="page.html")` gives exactly the records of `process("any/where/page.html")`
for a file with the same bytes, and `filename="guide/page.html"` those of a run over a folder
holding `guide/page.html`. Without a filename the name is the stream's file name, or `document`
plus the extension `media_type` implies (`text/html` -> `document.html`), or plain `document`
(content sniffing then decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

DEFAULT_STEM = "document"


@dataclass(frozen=True, slots=True)
class Content:
    """Bytes to process and the relative path that names them."""

    data: bytes
    rel_path: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.rel_path).name


def is_binary_stream(obj: Any) -> bool:
    return callable(getattr(obj, "read", None))


def read_stream(stream: Any) -> bytes:
    """All bytes of a binary file-like object, from its current position."""
    data = stream.read()
    if isinstance(data, str):
        raise TypeError(
            "process() needs a binary stream (open the file with 'rb'); "
            "for text, use llmprep.process_text(text, media_type=...)"
        )
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"the stream's read() returned {type(data).__name__}, not bytes")
    return bytes(data)


def as_content(
    source: bytes | bytearray | memoryview | Any,
    *,
    filename: str | None = None,
    media_type: str | None = None,
) -> Content:
    """Bytes or a binary stream as `Content`, named by `filename`, the stream's name, or
    `media_type`."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        stream_name = None
    elif is_binary_stream(source):
        data = read_stream(source)
        stream_name = getattr(source, "name", None)
    else:
        raise TypeError(
            f"process() takes a path, bytes or a binary file-like object, not {type(source).__name__}"
        )
    return Content(data, content_name(filename, stream_name, media_type))


def content_name(
    filename: str | None, stream_name: object = None, media_type: str | None = None
) -> str:
    """The relative path that names content in memory (POSIX separators, no leading '/')."""
    if filename:
        rel = PurePosixPath(str(filename).replace("\\", "/"))
        parts = [p for p in rel.parts if p not in ("/", ".", "..")]
        if parts:
            return "/".join(parts)
    if isinstance(stream_name, str) and stream_name and not stream_name.startswith("<"):
        return Path(stream_name).name  # an open file: its name, as process(path) would use
    return DEFAULT_STEM + (extension_for(media_type) if media_type else "")


def extension_for(media_type: str) -> str:
    """The extension a loader takes for `media_type` (`text/html` -> `.html`).

    Raises ValueError for a media type no installed loader accepts.
    """
    from .loaders.registry import get_registry

    wanted = media_type.split(";", 1)[0].strip().lower()
    for loader in get_registry().loaders:
        by_ext: dict[str, str] = getattr(loader, "media_type_by_extension", {})
        for ext, mt in by_ext.items():
            if mt == wanted:
                return ext
        if wanted in loader.media_types and loader.extensions:
            return loader.extensions[0]
    accepted = sorted({mt for loader in get_registry().loaders for mt in loader.media_types})
    raise ValueError(
        f"no loader accepts media type {media_type!r}; accepted: {', '.join(accepted)}"
    )
