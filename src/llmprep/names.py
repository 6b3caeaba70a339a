"""File names as llmprep carries them: lossless for opening, escaped for showing.

POSIX file names are bytes; Python decodes them with surrogate escapes (`os.fsdecode`), so a
name that is not valid UTF-8 holds lone surrogates (`'\\udcff'` for the byte 0xFF). Such a
string opens the right file but cannot be written as UTF-8. llmprep keeps that lossless form
for opening files and for keys (shard keys, run state, job messages: JSON escapes it), and
writes the *shown* form everywhere a person or another program reads it: the manifest, records'
`source.path`, the report, messages. The shown form replaces each escaped byte with the six
characters `\\udcXX`, so the output stays valid UTF-8 and the odd byte stays visible.
"""

from __future__ import annotations


def shown(name: str) -> str:
    """`name` with surrogate escapes written as `\\udcXX` text; valid UTF-8 whatever the input."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return name


__all__ = ["shown"]
