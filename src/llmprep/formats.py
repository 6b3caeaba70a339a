"""File extensions read as text, shared by the text loader and `llmprep check`."""

from __future__ import annotations

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")
# Documents the text loader reads (Markdown is parsed for headings, lists and tables).
TEXT_EXTENSIONS = (".txt", ".text", *MARKDOWN_EXTENSIONS, ".rst", ".log", ".csv", ".tsv")
# Data files a knowledge-base repo commits: `llmprep check` scans them for PII as text; a run
# does not ingest them as documents.
DATA_TEXT_EXTENSIONS = (".json", ".jsonl", ".yaml", ".yml", ".toml")
