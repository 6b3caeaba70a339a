"""Plain text and Markdown: headings, lists, code blocks, quotes and tables become elements.

Markdown is parsed by markdown-it-py (CommonMark with GFM tables); `.txt` and extension-less
files are read as Markdown too, since plain prose parses as paragraphs either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..flags import make_flag
from ..formats import MARKDOWN_EXTENSIONS, TEXT_EXTENSIONS
from ..models import Document, DocumentMetadata, Element, ElementType
from ..textio import decode_bytes
from .base import Loader, SourceFile
from .sniff import is_text
from .structure import assign_heading_paths


class TextLoader(Loader):
    name = "text"
    version = "1"
    extensions = TEXT_EXTENSIONS
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
    """Block-level Markdown through markdown-it-py (CommonMark + GFM tables), as elements.

    Element text is taken from the source lines, not rendered: emphasis markers, links and
    inline code stay as written, so PII offsets and the reader see the author's text. Block
    quotes are one `quote` element whatever they contain; a list item's text is its first
    paragraph, its level the list's nesting depth; thematic breaks carry no text.
    """
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = source.split("\n")
    # "•" bullets pasted from word processors are list markers too (same length: maps align).
    # A number of four or more digits starting a line is a year or an amount, not a list marker
    # ("2008. The company moved..."): escaped, it stays text.
    tokens = _markdown().parse(_YEAR.sub(r"\1\2\\\3", _BULLET.sub(r"\1-\2", source)))
    elements: list[Element] = []
    depth = 0  # list nesting
    item_open = False  # inside a list item whose text is not taken yet
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            elements.append(
                Element(type="heading", text=tokens[i + 1].content.strip(), level=int(tok.tag[1]))
            )
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "list_item_open":
            item_open = True
        elif kind == "paragraph_open":
            content = tokens[i + 1].content
            if item_open:
                item = " ".join(part.strip() for part in content.split("\n")).strip()
                elements.append(Element(type="list_item", text=item, level=depth))
                item_open = False
            elif depth:  # a later paragraph of a list item
                elements.append(Element(type="paragraph", text=content.strip()))
            else:
                _append_block(elements, "paragraph", _source(lines, tok).strip())
            i += 3
            continue
        elif kind == "blockquote_open":
            block = _source_lines(lines, tok)
            marked = next(
                (n for n, line in enumerate(block) if not _QUOTE_PREFIX.match(line)), None
            )
            quoted = [_QUOTE_PREFIX.sub("", line, count=1) for line in block[:marked]]
            _append_block(elements, "quote", "\n".join(quoted).strip())
            if marked is not None:  # lines without ">" after a quote are not quoted
                _append_block(elements, "paragraph", "\n".join(block[marked:]).strip())
            i = _skip_to_close(tokens, i, "blockquote")
            continue
        elif kind == "table_open":
            rows = [line.strip() for line in _source_lines(lines, tok)]
            _append_block(elements, "table", "\n".join(rows))
            i = _skip_to_close(tokens, i, "table")
            continue
        elif kind in ("fence", "code_block"):
            body = tok.content[:-1] if tok.content.endswith("\n") else tok.content
            elements.append(Element(type="code", text=body))
            item_open = False
        elif kind == "html_block":
            _append_block(elements, "paragraph", tok.content.strip())
        i += 1
    return elements


_BULLET = re.compile(r"^([ \t]*)•([ \t])", re.MULTILINE)
_QUOTE_PREFIX = re.compile(r"^[ \t]*>[ \t]?")
_YEAR = re.compile(r"^([ \t]*)(\d{4,9})([.)])", re.MULTILINE)


def _markdown() -> Any:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark", {"html": True}).enable("table")
        # No lazy continuation lines: in text files a line that is not indented under a list
        # item starts a new block (a sentence per line stays a sentence), as most editors and
        # GitHub's own list rendering lead authors to expect.
        parser.block.ruler.before("table", "no_lazy_lines", _ends_lazy_line, {"alt": ["paragraph"]})
        _PARSER = parser
    return _PARSER


_PARSER: Any = None


def _ends_lazy_line(state: Any, start: int, end: int, silent: bool) -> bool:
    """A paragraph terminator: a line indented less than its list item's content."""
    return bool(silent and state.sCount[start] < state.blkIndent)


def _source_lines(lines: list[str], tok: Any) -> list[str]:
    start, end = tok.map
    return lines[start:end]


def _source(lines: list[str], tok: Any) -> str:
    return "\n".join(_source_lines(lines, tok))


def _append_block(elements: list[Element], kind: ElementType, text: str) -> None:
    if text:
        elements.append(Element(type=kind, text=text))


def _skip_to_close(tokens: list[Any], i: int, name: str) -> int:
    """Index after the token closing the `name` block that opens at `i` (blocks may nest)."""
    level = tokens[i].level
    i += 1
    while not (tokens[i].type == f"{name}_close" and tokens[i].level == level):
        i += 1
    return i + 1
