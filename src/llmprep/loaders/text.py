"""Plain text and Markdown: headings, lists, code blocks, quotes and tables become elements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from ..flags import make_flag
from ..models import Document, DocumentMetadata, Element
from ..textio import decode_bytes
from .base import Loader, SourceFile
from .sniff import is_text
from .structure import assign_heading_paths

_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_LIST = re.compile(r"^([ \t]*)(?:[-*+•]|\d{1,3}[.)])[ \t]+(.*)$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_TABLE = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?(.*)$")

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")


class TextLoader(Loader):
    name = "text"
    version = "1"
    extensions = (
        ".txt",
        ".text",
        ".md",
        ".markdown",
        ".mdown",
        ".mkd",
        ".rst",
        ".log",
        ".csv",
        ".tsv",
    )
    media_types = ("text/plain", "text/markdown")
    media_type_by_extension: ClassVar[dict[str, str]] = {
        ext: "text/markdown" for ext in MARKDOWN_EXTENSIONS
    }
    priority = -100  # the generic fallback: every specific format wins

    def sniff(self, head: bytes) -> bool:
        return is_text(head)

    def load(self, source: SourceFile) -> Iterator[Document]:
        decoded = decode_bytes(source.read_bytes())
        markdown = source.suffix in MARKDOWN_EXTENSIONS or source.suffix in ("", ".txt")
        elements = parse_markdown(decoded.text) if markdown else parse_plain(decoded.text)
        meta = DocumentMetadata(extra={"encoding": decoded.encoding})
        title = next((e.text for e in elements if e.type == "heading" and e.level == 1), None)
        meta.title = title
        doc = source.new_document(assign_heading_paths(elements), metadata=meta)
        if decoded.lossy:
            doc.flags.append(make_flag("encoding_lossy", decoded.encoding))
        yield doc


def parse_plain(text: str) -> list[Element]:
    """Paragraphs separated by blank lines; lines inside a paragraph are kept."""
    return [
        Element(type="paragraph", text=block.strip("\n"))
        for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
        if block.strip()
    ]


def parse_markdown(text: str) -> list[Element]:
    """A small block-level Markdown reader: enough structure for chunking, no rendering."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    elements: list[Element] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            body = "\n".join(para).strip()
            if body:
                elements.append(Element(type="paragraph", text=body))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            flush()
            fence = _FENCE.match(line).group(1)  # type: ignore[union-attr]
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].lstrip().startswith(fence):
                body.append(lines[i])
                i += 1
            elements.append(Element(type="code", text="\n".join(body)))
            i += 1
            continue
        m = _ATX.match(line)
        if m:
            flush()
            elements.append(Element(type="heading", text=m.group(2).strip(), level=len(m.group(1))))
            i += 1
            continue
        if para and len(para) == 1 and _SETEXT.match(line) and para[0].strip():
            heading = para.pop()
            elements.append(
                Element(
                    type="heading", text=heading.strip(), level=1 if line.strip()[0] == "=" else 2
                )
            )
            i += 1
            continue
        if not line.strip():
            flush()
            i += 1
            continue
        if _TABLE.match(line):
            flush()
            rows: list[str] = []
            while i < len(lines) and _TABLE.match(lines[i]):
                rows.append(lines[i].strip())
                i += 1
            elements.append(Element(type="table", text="\n".join(rows)))
            continue
        m = _LIST.match(line)
        if m:
            flush()
            indent = len(m.group(1).expandtabs(4))
            item = [m.group(2)]
            i += 1
            # Continuation lines: indented, not a new item or block.
            while (
                i < len(lines)
                and lines[i].strip()
                and lines[i][:1] in (" ", "\t")
                and not _LIST.match(lines[i])
            ):
                item.append(lines[i].strip())
                i += 1
            elements.append(
                Element(type="list_item", text=" ".join(item).strip(), level=indent // 2 + 1)
            )
            continue
        m = _QUOTE.match(line)
        if m:
            flush()
            quote: list[str] = []
            while i < len(lines) and _QUOTE.match(lines[i]):
                quote.append(_QUOTE.match(lines[i]).group(1))  # type: ignore[union-attr]
                i += 1
            elements.append(Element(type="quote", text="\n".join(quote).strip()))
            continue
        para.append(line)
        i += 1
    flush()
    return elements
