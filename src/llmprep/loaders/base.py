"""The loader contract and the `SourceFile` every loader reads from.

A loader is a small class: `name`, `version`, the `extensions` and `media_types` it accepts, a
cheap `sniff(head)` and `load(source) -> Iterator[Document]`. It raises `LoadError` subclasses
(see `llmprep.errors`) for files it cannot read, and may call `source.mark_partial(...)` when it
read only part of a file. Heavy imports belong inside `load`, never at module level.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from ..ids import doc_id as make_doc_id
from ..models import Document, DocumentMetadata, Element, ErrorInfo, LoaderInfo, Source

if TYPE_CHECKING:
    from ..config import Config

HEAD_BYTES = 8192


class Loader:
    """Base class for loaders. Subclasses set the class attributes and implement `load`."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    extensions: ClassVar[tuple[str, ...]] = ()
    media_types: ClassVar[tuple[str, ...]] = ()
    # Higher wins when several loaders accept the same file (specific formats over fallbacks).
    priority: ClassVar[int] = 0

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes look like this format. Must be cheap."""
        return False

    def load(self, source: SourceFile) -> Iterator[Document]:
        raise NotImplementedError

    @classmethod
    def info(cls) -> LoaderInfo:
        return LoaderInfo(name=cls.name, version=cls.version)


class SourceFile:
    """One input (a file on disk, or an attachment in memory) as loaders see it."""

    def __init__(
        self,
        *,
        rel_path: str,
        config: Config,
        path: Path | None = None,
        data: bytes | None = None,
        name: str | None = None,
        sub_path: str | None = None,
        parent: SourceFile | None = None,
        depth: int = 0,
        sha256: str | None = None,
        on_progress: Callable[[], None] | None = None,
    ) -> None:
        if path is None and data is None:
            raise ValueError("SourceFile needs a path or data")
        self.path = path
        self._data = data
        self.rel_path = rel_path
        self.name = name or (path.name if path else rel_path.rsplit("/", 1)[-1])
        self.config = config
        self.sub_path = sub_path
        self.parent = parent
        self.depth = depth
        self._sha256 = sha256
        self._size: int | None = len(data) if data is not None else None
        self.media_type = "application/octet-stream"
        self.loader_info: LoaderInfo | None = None
        # Warnings and partial status belong to the input file, so children share the root's.
        self.warnings: list[str] = parent.warnings if parent is not None else []
        self._partial: ErrorInfo | None = None
        # The runner's heartbeat: a loader doing long work inside one document (OCR of a long
        # scan) calls `progress()` so the file's timeout counts from its last step, not its start.
        self._on_progress: Callable[[], None] | None = (
            parent._on_progress if parent is not None else on_progress
        )

    # -- bytes --------------------------------------------------------------------------------

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def size(self) -> int:
        if self._size is None:
            assert self.path is not None
            self._size = self.path.stat().st_size
        return self._size

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            h = hashlib.sha256()
            with self.open() as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            self._sha256 = h.hexdigest()
        return self._sha256

    def head(self, n: int = HEAD_BYTES) -> bytes:
        if self._data is not None:
            return self._data[:n]
        with self.open() as fh:
            return fh.read(n)

    def open(self) -> BinaryIO:
        """A binary stream; prefer this over `read_bytes` for large files."""
        if self._data is not None:
            return io.BytesIO(self._data)
        assert self.path is not None
        return open(self.path, "rb")

    def read_bytes(self) -> bytes:
        if self._data is not None:
            return self._data
        assert self.path is not None
        return self.path.read_bytes()

    # -- documents ----------------------------------------------------------------------------

    def doc_id(self, sub_path: str | None = None) -> str:
        """Id of a document in this file; `sub_path` for messages/attachments inside it."""
        return make_doc_id(self.root.sha256, join_sub_paths(self.sub_path, sub_path))

    @property
    def root(self) -> SourceFile:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def make_source(self, sub_path: str | None = None, media_type: str | None = None) -> Source:
        root = self.root
        return Source(
            path=root.rel_path,
            sha256=root.sha256,
            size=self.size,
            media_type=media_type or self.media_type,
            loader=self.loader_info or LoaderInfo(name="unknown", version="0"),
            sub_path=join_sub_paths(self.sub_path, sub_path),
        )

    def new_document(
        self,
        elements: list[Element],
        *,
        metadata: DocumentMetadata | None = None,
        sub_path: str | None = None,
        parent_id: str | None = None,
        media_type: str | None = None,
    ) -> Document:
        """Build a Document with a deterministic id and a filled-in Source."""
        return Document(
            id=self.doc_id(sub_path),
            source=self.make_source(sub_path, media_type),
            parent_id=parent_id if parent_id is not None else self.parent_doc_id(),
            metadata=metadata or DocumentMetadata(),
            elements=elements,
        )

    def parent_doc_id(self) -> str | None:
        if self.parent is None:
            return None
        return self.parent.doc_id()

    def progress(self) -> bool:
        """Tell the runner the file is making progress; False when nobody is listening."""
        if self._on_progress is None:
            return False
        self._on_progress()
        return True

    def child(self, data: bytes, name: str, sub_path: str) -> SourceFile:
        """A SourceFile for an attachment or message inside this one (never written to disk)."""
        return SourceFile(
            rel_path=self.rel_path,
            config=self.config,
            data=data,
            name=name,
            sub_path=join_sub_paths(self.sub_path, sub_path),
            parent=self,
            depth=self.depth + 1,
        )

    @property
    def partial(self) -> ErrorInfo | None:
        return self.root._partial

    def mark_partial(self, code: str, message: str) -> None:
        """Record that only part of the file could be read (status `partial`)."""
        root = self.root
        if root._partial is None:
            root._partial = ErrorInfo(code=code, message=message)


def join_sub_paths(a: str | None, b: str | None) -> str | None:
    if a and b:
        return f"{a}/{b}"
    return a or b
