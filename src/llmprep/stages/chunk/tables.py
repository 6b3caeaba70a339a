"""Tables too large for one chunk: split by rows, the header row repeated in every piece.

A table element's text has one row per line. Its header is the first line (plus a Markdown
`|---|` separator line under it), or `metadata["header_rows"]` lines when the loader says so.
Each piece is `header + "\\n" + rows` and holds at most `max_tokens` tokens. A row too long for
one piece is cut like text (sentences, then words). The header is repeated only when it takes
at most half the limit; otherwise the table is cut like text without repetition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...models import Element, PiiSpan
from ...tokenizers import Tokenizer
from .split import Limits, Splitter, Stream
from .zones import ELEMENT, Zones

_SEPARATOR = re.compile(r"^[\s|:+-]*-[\s|:+-]*$")


@dataclass
class TablePiece:
    text: str
    tokens: int
    repeat_chars: int  # the repeated header (and its newline) at the start of the text
    pii: list[PiiSpan] = field(default_factory=list)


def header_lines(el: Element, lines: list[str]) -> int:
    if len(lines) > 1 and lines[0].startswith("|") and _SEPARATOR.match(lines[1]):
        return 2  # a Markdown pipe table: its one header row and the delimiter row
    declared = el.metadata.get("header_rows")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared >= 0:
        return min(declared, len(lines))
    if len(lines) > 1 and _SEPARATOR.match(lines[1]) and "|" in lines[1]:
        return 2
    return 1


def split_table(el: Element, tok: Tokenizer, limits: Limits) -> list[TablePiece]:
    text = el.text
    lines = text.split("\n")
    h = header_lines(el, lines)
    header = "\n".join(lines[:h])
    spans = sorted(el.pii, key=lambda sp: sp.start)
    if 0 < h < len(lines) and tok.count(header) <= limits.max_tokens // 2:
        body_off = len(header) + 1
        budget = limits.max_tokens - tok.count(header + "\n")
        while budget >= 1:
            pieces = _with_header(text, header, body_off, spans, tok, limits, budget)
            over = max(p.tokens for p in pieces) - limits.max_tokens
            if over <= 0:
                return pieces
            budget -= over  # joining header and rows can cost a token more than counted apart
    return _as_text(text, spans, tok, limits)


_FENCE = re.compile(r"^(`{3,}|~{3,})")


def split_code(el: Element, tok: Tokenizer, limits: Limits) -> list[TablePiece]:
    """A fenced Markdown code block too large for one chunk: split between lines, every piece
    closed by the fence and the next one opened again (its opening line repeated)."""
    text = el.text
    first, _, rest = text.partition("\n")
    fence = _FENCE.match(first)
    spans = sorted(el.pii, key=lambda sp: sp.start)
    if fence and rest and tok.count(first) <= limits.max_tokens // 4:
        close = "\n" + fence.group(1)
        budget = limits.max_tokens - tok.count(first + "\n") - tok.count(close)
        while budget >= 1:
            pieces = _with_header(text, first, len(first) + 1, spans, tok, limits, budget, close)
            over = max(p.tokens for p in pieces) - limits.max_tokens
            if over <= 0:
                return pieces
            budget -= over
    return _as_text(text, spans, tok, limits)


def _with_header(
    text: str,
    header: str,
    body_off: int,
    spans: list[PiiSpan],
    tok: Tokenizer,
    limits: Limits,
    budget: int,
    footer: str = "",
) -> list[TablePiece]:
    body = text[body_off:]
    head_spans = [sp for sp in spans if sp.end <= len(header)]
    body_spans = [
        (sp.start - body_off, sp.end - body_off, sp) for sp in spans if sp.start >= body_off
    ]
    sub = Limits(budget, min(limits.target_tokens, budget))
    out: list[TablePiece] = []
    for i, span in enumerate(Splitter(tok, sub).split(_rows_stream(body, body_spans))):
        piece = header + "\n" + body[span.start : span.end]
        if footer and not piece.endswith(footer):
            piece += footer  # the closing fence of a code block cut before its end
        shift = body_off - span.start
        pii = list(head_spans) + [
            sp.model_copy(update={"start": s + shift, "end": e + shift})
            for s, e, sp in body_spans
            if s >= span.start and e <= span.end
        ]
        out.append(TablePiece(piece, tok.count(piece), body_off if i else 0, pii))
    return out


def _as_text(text: str, spans: list[PiiSpan], tok: Tokenizer, limits: Limits) -> list[TablePiece]:
    triples = [(sp.start, sp.end, sp) for sp in spans]
    sub = Limits(limits.max_tokens, limits.target_tokens)
    out = []
    for span in Splitter(tok, sub).split(_rows_stream(text, triples)):
        pii = [
            sp.model_copy(update={"start": s - span.start, "end": e - span.start})
            for s, e, sp in triples
            if s >= span.start and e <= span.end
        ]
        out.append(TablePiece(text[span.start : span.end], span.tokens, 0, pii))
    return out


def _rows_stream(body: str, spans: list[tuple[int, int, PiiSpan]]) -> Stream:
    bounds = [m.start() for m in re.finditer("\n", body)]
    zones = Zones((s, e) for s, e, _ in spans)
    return Stream(body, bounds, [ELEMENT] * len(bounds), zones, zones)
