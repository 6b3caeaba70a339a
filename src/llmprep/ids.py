"""Deterministic, content-addressed identifiers (no randomness, no absolute paths)."""

from __future__ import annotations

import hashlib


def _digest(*parts: str, length: int = 24) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def doc_id(file_sha256: str, sub_path: str | None = None) -> str:
    """A document's id: the source bytes' hash, plus the sub-document path inside the file."""
    return "d_" + _digest(file_sha256, sub_path or "")


def record_id(doc_id: str, rel_path: str, chunk_index: int, config_hash: str) -> str:
    return "r_" + _digest(doc_id, rel_path, str(chunk_index), config_hash)
