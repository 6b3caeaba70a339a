"""Streaming mbox reader: one message at a time from any binary stream, memory bounded.

`mailbox.mbox` needs a path on disk and scans the whole file for a table of contents before the
first message; this reads the stream once, so it also serves mailboxes attached to emails.
Like `mailbox`, a message starts at a line beginning with "From "; to survive bodies whose
"From " lines were never escaped, such a line must follow a blank line or look like a From_ line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

_FROM_LINE = re.compile(rb"^From \S+\s+.*\d{1,2}:\d{2}(?::\d{2})?.*\d{4}")
_ESCAPED_FROM = re.compile(rb"^>(>*From )")
_LINE_LIMIT = 1 << 16  # read long lines in pieces: a line without newlines cannot fill memory


@dataclass
class MboxMessage:
    index: int
    envelope: str  # the From_ line, without "From "
    data: bytes | None  # None when the message was over the size limit (skipped, not held)
    size: int


def iter_mbox(stream: BinaryIO, *, max_message_bytes: int) -> Iterator[MboxMessage]:
    """Yield the messages of an mbox in order; messages over the limit come back without data."""
    lines: list[bytes] = []
    size = 0
    envelope: str | None = None
    index = 0
    prev_blank = True
    at_line_start = True
    started = False
    while True:
        line = stream.readline(_LINE_LIMIT)
        if not line:
            break
        whole_line = at_line_start
        at_line_start = line.endswith(b"\n")
        if whole_line and line.startswith(b"From ") and (prev_blank or _FROM_LINE.match(line)):
            if started:
                yield _finish(index, envelope or "", lines, size, max_message_bytes)
                index += 1
            elif lines and any(x.strip() for x in lines):
                # Text before the first From_ line: a bare message saved as .mbox.
                yield _finish(index, "", lines, size, max_message_bytes)
                index += 1
            started = True
            envelope = line[5:].decode("latin-1").strip()
            lines, size, prev_blank = [], 0, False
            continue
        if whole_line and line.startswith(b">"):
            line = _ESCAPED_FROM.sub(rb"\1", line)  # mboxrd quoting of body "From " lines
        size += len(line)
        if size <= max_message_bytes:
            lines.append(line)
        elif lines:
            lines = []  # over the limit: stop holding it, keep counting to report the size
        prev_blank = whole_line and line.strip() == b""
    if started or any(x.strip() for x in lines):
        yield _finish(index, envelope or "", lines, size, max_message_bytes)


def _finish(index: int, envelope: str, lines: list[bytes], size: int, limit: int) -> MboxMessage:
    if size > limit:
        return MboxMessage(index, envelope, None, size)
    # The blank line before the next From_ line belongs to the separator, not the message.
    if lines and lines[-1].strip() == b"":
        lines.pop()
    return MboxMessage(index, envelope, b"".join(lines), size)


def envelope_date(envelope: str) -> str | None:
    """The date part of a From_ line ('sender Tue Oct  1 12:34:56 2024'), if any."""
    parts = envelope.split(None, 1)
    return parts[1] if len(parts) == 2 else None
