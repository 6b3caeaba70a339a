"""Chunking: structure-aware packing of elements into records under a hard token limit.

What the records guarantee (tested as properties in tests/test_chunk.py):

- No record's text has more than `chunk.max_tokens` tokens under the configured tokenizer
  (`Record.tokens` is that exact count, `Record.tokenizer` names what counted).
- With no overlap, the records' texts put back together are the chunked elements' texts,
  whitespace aside; the only text ever repeated is a split table's header row.
- With overlap, each chunk after the first of a run begins with the previous chunk's last
  `overlap_tokens` tokens, as defined precisely in `chunk_split`.
- Cuts fall between elements, then sentences, then words; never inside a word unless that word
  alone is over the limit, and never inside a PII placeholder.

Packing: sections follow the headings. Elements fill a chunk up to the limit, aiming at
`target_tokens`, preferring to end where a section or element ends; small sections merge.
A chunk does not cross into the next top-level section (the shallowest heading level that
occurs more than once) unless it would hold fewer than `min_tokens`. A table that fits is never
cut; a larger one is split by rows with its header repeated (`chunk_tables`).

Markdown (`[output] text_format = "markdown"`): elements are Markdown blocks, so the cuts above
fall between blocks; a pipe table is split between rows with its header and delimiter rows
repeated, and a fenced code block too large for one chunk between lines, each piece closed and
the next reopened with the same fence. Only a single paragraph or list item larger than the
limit is cut inside (between sentences, then words).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from ...config import Config
from ...ids import record_id
from ...models import Document, Element, PiiSpan, Record, RecordPii
from ...tokenizers import Tokenizer, get_tokenizer
from ..base import DocWork
from .split import Limits, Span, Splitter, Stream
from .tables import split_code, split_table
from .zones import ELEMENT, HARD, SECTION, WORD, Zones

FURNITURE = ("header", "footer")
QUOTED = ("quote", "signature")
HEADINGS = ("title", "heading")
SEPARATOR = "\n\n"


@dataclass
class Chunk:
    """One chunk before it becomes a Record (kept on `DocWork.chunks` for later stages)."""

    text: str
    tokens: int
    elements: list[Element] = field(default_factory=list)
    pii: list[PiiSpan] = field(default_factory=list)
    overlap_tokens: int = 0
    repeat_chars: int = 0  # leading characters repeated from earlier text (overlap, table header)
    run: int = 0  # chunks of one run follow each other with overlap
    table_part: tuple[int, int] | None = None


class ChunkStage:
    name = "chunk"

    def __init__(self, config: Config) -> None:
        self.config = config
        self._tok: Tokenizer | None = None

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tok is None:  # loaded on first use: cl100k takes a moment to read
            self._tok = get_tokenizer(self.config.chunk.tokenizer)
        return self._tok

    def __call__(self, work: DocWork) -> None:
        work.chunks = self.chunk(work.document)
        doc = work.document
        facts = (document_title(doc), record_metadata(doc))
        work.records = [self._record(work, i, c, *facts) for i, c in enumerate(work.chunks)]

    # -- chunking -------------------------------------------------------------------------------

    def chunk(self, doc: Document) -> list[Chunk]:
        cfg = self.config.chunk
        tok = self.tokenizer
        limits = Limits(cfg.max_tokens, cfg.target_tokens, cfg.min_tokens, cfg.overlap_tokens)
        elements = [e for e in doc.elements if self._included(e)]
        openers = top_level_openers(elements)
        chunks: list[Chunk] = []
        pending: list[tuple[Element, bool]] = []
        run = 0

        def flush() -> None:
            nonlocal run
            if pending:
                got = _chunk_stream(pending, tok, limits, run, whole)
                chunks.extend(got)
                run = (got[-1].run + 1) if got else run
                pending.clear()

        markdown = self.config.output.text_format == "markdown"
        # Blocks never cut when they fit: a Markdown code fence cut open would swallow the rest.
        whole = ("table", "code") if markdown else ("table",)
        for i, el in enumerate(elements):
            if (el.type == "table" or (markdown and el.type == "code")) and _over(
                tok, el.text, cfg.max_tokens
            ):
                flush()
                split = split_table if el.type == "table" else split_code
                pieces = split(el, tok, limits)
                for k, piece in enumerate(pieces):
                    chunks.append(
                        Chunk(
                            piece.text,
                            piece.tokens,
                            [el],
                            piece.pii,
                            repeat_chars=piece.repeat_chars,
                            run=run,
                            table_part=(k + 1, len(pieces)),
                        )
                    )
                    run += 1
            else:
                pending.append((el, i in openers))
        flush()
        return chunks

    def _included(self, el: Element) -> bool:
        if not el.text.strip():
            return False
        if el.type in FURNITURE and not self.config.chunk.include_furniture:
            return False
        return not (el.type in QUOTED and self.config.email.drop_quoted)

    # -- records --------------------------------------------------------------------------------

    def _record(
        self, work: DocWork, index: int, chunk: Chunk, title: str | None, meta: dict[str, Any]
    ) -> Record:
        doc = work.document
        # A chunk's headings lead into its text: the path is where the text sits.
        body = [e for e in chunk.elements if e.type not in HEADINGS] or chunk.elements
        heading_path = common_prefix([e.heading_path for e in body])
        counts: dict[str, int] = {}
        for sp in chunk.pii:
            counts[sp.entity_type] = counts.get(sp.entity_type, 0) + 1
        # Each record owns its metadata (later stages may add to it); values are flat or lists.
        metadata = {k: list(v) if isinstance(v, list) else v for k, v in meta.items()}
        if chunk.table_part:
            kind = "code" if chunk.elements and chunk.elements[0].type == "code" else "table"
            metadata[f"{kind}_part"] = list(chunk.table_part)
        return Record(
            id=record_id(doc.id, work.rel_path, index, work.config_hash),
            doc_id=doc.id,
            chunk_index=index,
            text=chunk.text,
            heading_path=heading_path,
            pages=sorted({e.page for e in chunk.elements if e.page is not None}),
            element_types=list(dict.fromkeys(e.type for e in chunk.elements)),
            language=doc.language,
            tokens=chunk.tokens,
            tokenizer=self.tokenizer.name,
            overlap_tokens=chunk.overlap_tokens,
            context=context_string(title, heading_path) if self.config.chunk.context else None,
            pii=RecordPii(counts=counts, spans=chunk.pii),
            source=doc.source,
            metadata=metadata,
        )


def _over(tok: Tokenizer, text: str, max_tokens: int) -> bool:
    # A token covers at least one byte, so short texts need no counting.
    return len(text.encode("utf-8", "surrogatepass")) > max_tokens and tok.count(text) > max_tokens


def _chunk_stream(
    items: list[tuple[Element, bool]],
    tok: Tokenizer,
    limits: Limits,
    first_run: int,
    whole: tuple[str, ...] = ("table",),
) -> list[Chunk]:
    """Join elements into one stream, cut it, and map the cuts back to elements and PII."""
    parts: list[str] = []
    starts: list[int] = []
    bounds: list[int] = []
    levels: list[int] = []
    tables: list[tuple[int, int]] = []
    pii: list[tuple[int, int, PiiSpan]] = []
    pos = 0
    prev: Element | None = None
    for el, opens in items:
        if prev is not None:
            bounds.append(pos)
            levels.append(_level(prev, el, opens))
            pos += len(SEPARATOR)
            parts.append(SEPARATOR)
        starts.append(pos)
        parts.append(el.text)
        if el.type in whole:
            tables.append((pos, pos + len(el.text)))
        for sp in el.pii:
            s, e = max(0, min(sp.start, len(el.text))), max(0, min(sp.end, len(el.text)))
            pii.append((pos + s, pos + e, sp))
        pos += len(el.text)
        prev = el
    text = "".join(parts)
    pii.sort(key=lambda t: t[0])
    pii_zones = Zones((s, e) for s, e, _ in pii)
    stream = Stream(text, bounds, levels, Zones([*tables, *((s, e) for s, e, _ in pii)]), pii_zones)
    spans = Splitter(tok, limits).split(stream, first_run)
    elements = [el for el, _ in items]
    pii_starts = [s for s, _, _ in pii]
    return [
        Chunk(
            text=text[sp.start : sp.end],
            tokens=sp.tokens,
            elements=_elements_in(elements, starts, sp),
            pii=_pii_in(pii, pii_starts, sp),
            overlap_tokens=sp.overlap_tokens,
            repeat_chars=sp.repeat_chars,
            run=sp.run,
        )
        for sp in spans
    ]


def _level(prev: Element, el: Element, opens_top: bool) -> int:
    if opens_top:
        return HARD
    if prev.type in HEADINGS:
        return WORD  # keep a heading with what follows it
    if el.type in HEADINGS:
        return SECTION
    return ELEMENT


def _elements_in(elements: list[Element], starts: list[int], sp: Span) -> list[Element]:
    i = max(0, bisect_right(starts, sp.start) - 1)
    j = bisect_left(starts, sp.end)
    return elements[i:j]


def _pii_in(pii: list[tuple[int, int, PiiSpan]], pii_starts: list[int], sp: Span) -> list[PiiSpan]:
    out = []
    # A placeholder is never cut, except one longer than the whole limit: clip that one.
    i = max(0, bisect_left(pii_starts, sp.start) - 1)
    while i < len(pii) and pii[i][0] < sp.end:
        s, e, span = pii[i]
        if e > sp.start or (s == e and s >= sp.start):  # zero-width: a removed value
            s, e = max(s, sp.start), min(e, sp.end)
            out.append(span.model_copy(update={"start": s - sp.start, "end": e - sp.start}))
        i += 1
    return out


def top_level_openers(elements: list[Element]) -> set[int]:
    """Indices of the headings that open a top-level section.

    The top level is the shallowest heading level; when only one heading has it and it comes
    first (a Markdown document whose single `#` is its title), the next level down.
    """
    heads = [(i, e.level or 1) for i, e in enumerate(elements) if e.type == "heading"]
    if not heads:
        return set()
    levels = sorted({lv for _, lv in heads})
    top = levels[0]
    at_top = [i for i, lv in heads if lv == top]
    skip: set[int] = set()
    if len(at_top) == 1 and at_top[0] == heads[0][0] and len(levels) > 1:
        skip = {at_top[0]}
        top = levels[1]
    return {i for i, lv in heads if lv <= top and i not in skip and i > 0}


def common_prefix(paths: list[list[str]]) -> list[str]:
    if not paths:
        return []
    out = list(paths[0])
    for p in paths[1:]:
        n = 0
        while n < len(out) and n < len(p) and out[n] == p[n]:
            n += 1
        del out[n:]
    return out


def document_title(doc: Document) -> str | None:
    title = doc.metadata.title or next((e.text for e in doc.elements if e.type == "title"), None)
    return " ".join(title.split()) or None if title else None


def context_string(title: str | None, heading_path: list[str]) -> str | None:
    """Title + heading path, for embedding next to the text (the text itself is unchanged)."""
    parts = [title] if title else []
    path = list(heading_path)
    if parts and path and path[0] == parts[0]:
        path = path[1:]
    return " > ".join(parts + path) or None


def record_metadata(doc: Document) -> dict[str, Any]:
    """The document facts worth repeating on every chunk (no bulky lists)."""
    meta = doc.metadata.model_dump(
        mode="json", exclude_defaults=True, exclude={"extra", "attachments"}
    )
    if doc.parent_id:
        meta["parent_id"] = doc.parent_id
    if doc.pii.engine:
        # "patterns" tells a consumer that names, places and organisations were not looked for.
        meta["pii_engine"] = doc.pii.engine
    if doc.metadata.extra.get("pii", {}).get("hash_key") == "ephemeral":
        # Hashes made with the run's random key: stable within this run, not across runs.
        meta["pii_hash_key"] = "ephemeral"
    return meta
