"""Finding the loader for a file: built-ins listed here, plus plugins from entry points.

Built-ins are named by import path and imported on first use, so `llmprep --help` stays fast and
a loader whose optional dependency is missing cannot break the others. Third-party loaders
register under the entry-point group `llmprep.loaders`; one that fails to import is a warning.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points

from ..errors import UnsupportedFormat
from ..models import Document
from .base import Loader, SourceFile, join_sub_paths

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "llmprep.loaders"

BUILTIN_LOADERS: tuple[str, ...] = (
    "llmprep.loaders.pdf.loader:PdfLoader",
    "llmprep.loaders.docx.loader:DocxLoader",
    "llmprep.loaders.html.loader:HtmlLoader",
    "llmprep.loaders.email.loader:EmlLoader",
    "llmprep.loaders.email.loader:MboxLoader",
    "llmprep.loaders.email.loader:MsgLoader",
    "llmprep.loaders.image:ImageLoader",
    "llmprep.loaders.text:TextLoader",
    "llmprep.loaders.unstructured:UnstructuredLoader",
)


@dataclass(frozen=True)
class LoaderEntry:
    loader: Loader
    origin: str  # "builtin" or the distribution that provides the plugin


@dataclass(frozen=True)
class BrokenLoader:
    target: str
    origin: str
    error: str


class Registry:
    def __init__(self, entries: list[LoaderEntry], broken: list[BrokenLoader]) -> None:
        # Stable order: priority first, then plugins before built-ins at equal priority so a
        # plugin can take over a format, then name.
        self.entries = sorted(
            entries, key=lambda e: (-e.loader.priority, e.origin == "builtin", e.loader.name)
        )
        self.broken = broken

    @property
    def loaders(self) -> list[Loader]:
        return [e.loader for e in self.entries]

    def choose(self, source: SourceFile) -> Loader | None:
        """Extension first, content second: the head decides when the extension is missing or lies."""
        head = source.head()
        suffix = source.suffix
        by_ext = [ld for ld in self.loaders if suffix and suffix in ld.extensions]
        for ld in by_ext:
            if _sniffs(ld, head):
                return ld
        sniffed = [ld for ld in self.loaders if _sniffs(ld, head)]
        # A generic text match must not override a specific loader chosen by extension:
        # a broken PDF is still a PDF (and should fail as one).
        specific = [ld for ld in sniffed if ld.name != "text"]
        if specific:
            return specific[0]
        if by_ext:
            return by_ext[0]
        return sniffed[0] if sniffed else None


def _sniffs(loader: Loader, head: bytes) -> bool:
    try:
        return bool(loader.sniff(head))
    except Exception:  # a plugin's sniff must not break selection
        return False


def _load_target(target: str) -> Loader:
    module_name, _, attr = target.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls() if isinstance(cls, type) else cls


_REGISTRY: Registry | None = None


def get_registry(*, refresh: bool = False) -> Registry:
    global _REGISTRY
    if _REGISTRY is not None and not refresh:
        return _REGISTRY
    entries: list[LoaderEntry] = []
    broken: list[BrokenLoader] = []
    for target in BUILTIN_LOADERS:
        try:
            entries.append(LoaderEntry(_load_target(target), "builtin"))
        except ModuleNotFoundError as exc:
            # A built-in module that is not there yet or lacks its optional dependency.
            broken.append(BrokenLoader(target, "builtin", f"{type(exc).__name__}: {exc}"))
        except Exception as exc:
            broken.append(BrokenLoader(target, "builtin", f"{type(exc).__name__}: {exc}"))
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        origin = ep.dist.name if ep.dist is not None else "plugin"
        try:
            loaded = ep.load()
            loader = loaded() if isinstance(loaded, type) else loaded
            if not isinstance(loader, Loader) and not hasattr(loader, "load"):
                raise TypeError("not a loader")
            entries.append(LoaderEntry(loader, origin))
        except Exception as exc:
            log.warning("plugin loader %s from %s failed to load: %s", ep.value, origin, exc)
            broken.append(BrokenLoader(ep.value, origin, f"{type(exc).__name__}: {exc}"))
    _REGISTRY = Registry(entries, broken)
    return _REGISTRY


def load_source(source: SourceFile, *, allow_fallback_text: bool = True) -> Iterator[Document]:
    """Pick a loader for `source` and yield its documents. Raises `UnsupportedFormat` if none fits."""
    registry = get_registry()
    loader = registry.choose(source)
    if loader is None or (
        loader.name == "text" and not allow_fallback_text and source.suffix not in loader.extensions
    ):
        what = source.suffix or "files without an extension"
        raise UnsupportedFormat("format.unsupported", f"no loader accepts {what} with this content")
    source.loader_info = loader.info()
    source.media_type = _media_type(loader, source)
    yield from loader.load(source)


def _media_type(loader: Loader, source: SourceFile) -> str:
    if not loader.media_types:
        return "application/octet-stream"
    ext_map: dict[str, str] = getattr(loader, "media_type_by_extension", {})
    return ext_map.get(source.suffix, loader.media_types[0])


def load_attachment(
    parent: SourceFile, data: bytes, name: str, sub_path: str, parent_id: str
) -> Iterator[Document]:
    """Load an attachment of `parent` through the registry; respects the depth and size limits.

    Yields nothing for formats no loader takes (the caller lists those in metadata).
    Failures of a child become a warning on the parent file, never an exception.
    """
    limits = parent.config.limits
    where = join_sub_paths(parent.sub_path, sub_path)
    if parent.depth + 1 > limits.max_attachment_depth:
        parent.warnings.append(f"attachment.depth_limit: {where}")
        return
    if len(data) > limits.max_attachment_mb * 1024 * 1024:
        parent.warnings.append(f"attachment.too_large: {where}")
        return
    child = parent.child(data, name, sub_path)
    try:
        for doc in load_source(child, allow_fallback_text=False):
            if doc.parent_id is None or doc.parent_id == child.parent_doc_id():
                doc.parent_id = parent_id
            yield doc
    except Exception as exc:  # an attachment never takes its parent down
        code = getattr(exc, "code", "attachment.failed")
        parent.warnings.append(f"{code}: {where}")
