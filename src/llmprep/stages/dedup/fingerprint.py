"""Duplicate detection across a run: later copies point at the first (input path order).

Fed one document's records at a time, in input order, by `llmprep.process` (one file) and by
the folder runner (the whole run, in the parent process). Marks, never drops:

- exact: the hash of the normalized text (casefolded words, punctuation and spacing ignored),
  per chunk and per document;
- near (needs the `dedup` extra): datasketch MinHash over word shingles (5 words by default)
  and LSH banding, per chunk and per document (the shingles of its whole token stream),
  verified at `dedup.threshold` estimated Jaccard (see `quality_near`). A chunk or document
  points at the most similar earlier one among those sharing an LSH band (ties: the earliest);
  exact copies are not candidates (their first copy is).

A later chunk gets `duplicate_of` = the record id of the first copy, and a flag:
`duplicate_exact` (value: 1.0) or `duplicate_near` (value: estimated Jaccard). When a whole
document repeats an earlier one, every record of it gets `duplicate_doc_exact` or
`duplicate_doc_near` (value: 1.0 / estimated Jaccard of the documents) and
`metadata["duplicate_of_doc"]` = the first document's id. A record that no chunk-level
check matched points at chunk i of the first document when that chunk matches it (same
normalized text, or near at the threshold), else at the first document's first record.
Every record is compared only with what came before it, so the result is deterministic, and
it depends only on pairs (never on what was decided for a third record): `groups` reaches the
same marks from records grouped by digest and band, in any order (the Ray run-wide phase).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from ...config import Config
from ...models import Record
from ...scripts import UNSEGMENTED
from ..quality.text import words_of
from .marks import ChunkMatch, DocMatch, apply_marks, doc_targets
from .minhash import near_index_available

log = logging.getLogger(__name__)


def normalized_tokens(text: str) -> list[str]:
    """The words that decide sameness: case, surrounding punctuation and spacing do not count.

    Scripts written without spaces (CJK, Thai...) count one token per character, so shingles
    stay short there too.
    """
    tokens = words_of(text.casefold())
    if not text.isascii() and UNSEGMENTED.search(text):
        tokens = [part for token in tokens for part in _split_unsegmented(token)]
    return tokens


def _split_unsegmented(token: str) -> list[str]:
    """'東京タワーabc' -> ['東', '京', 'タ', 'ワ', 'ー', 'abc']."""
    if not UNSEGMENTED.search(token):
        return [token]
    out: list[str] = []
    run = ""
    for ch in token:
        if UNSEGMENTED.match(ch):
            if run:
                out.append(run)
                run = ""
            out.append(ch)
        else:
            run += ch
    if run:
        out.append(run)
    return out


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class Fingerprint:
    """What duplicate detection needs of one document's records, made where the records are.

    Workers compute it next to the records, in parallel; the run-wide dedup then only looks up
    and compares. Per chunk: the digest of its normalized text (None: no words) and its MinHash
    signature (None: no words); for the document: the digest of its whole token stream and the
    MinHash signature of that stream's shingles. A document's signature depends on its words
    only, never on where the chunker cut them, so two documents with the same token stream
    always share every LSH band (the grouped dedup relies on it, see `groups`).
    `signatures` is None when near dedup was not computed.
    """

    digests: list[bytes | None]
    stream: bytes | None
    signatures: list[Any] | None
    doc_signature: Any | None = None
    # The normalized texts, kept (never serialized) when signatures are made on demand.
    joined: list[bytes] | None = None

    def signature(self, i: int, config: Config) -> Any:
        """Chunk `i`'s MinHash signature (made now if it was not made with the fingerprint)."""
        if self.signatures is not None:
            return self.signatures[i]
        assert self.joined is not None, "a fingerprint without signatures keeps its texts"
        return _minhash(self.joined[i], config)

    def document_signature(self, config: Config) -> Any:
        """The MinHash signature of the whole token stream (made now if it was not made)."""
        if self.doc_signature is None:
            assert self.joined is not None, "a fingerprint without signatures keeps its texts"
            self.doc_signature = _minhash(b" ".join(j for j in self.joined if j), config)
        return self.doc_signature

    def complete(self, config: Config) -> bool:
        """Whether it holds (or can make) everything `config`'s dedup compares."""
        if self.joined is not None:
            return True
        cfg = config.dedup
        if not (cfg.near and near_index_available()) or self.stream is None:
            return True
        return self.signatures is not None and (not cfg.documents or self.doc_signature is not None)

    def with_signatures(self, config: Config) -> Fingerprint:
        """Make every MinHash signature now (when near dedup is on), for storing."""
        if self.joined is not None:
            cfg = config.dedup
            if cfg.near and near_index_available():
                if self.signatures is None:
                    self.signatures = [
                        self.signature(i, config) if j else None for i, j in enumerate(self.joined)
                    ]
                if cfg.documents and self.stream is not None:
                    self.document_signature(config)
        return self

    def to_json(self) -> dict[str, Any]:
        import base64

        def encode(values: Any) -> str | None:
            return (
                base64.b64encode(values.tobytes()).decode("ascii") if values is not None else None
            )

        return {
            "digests": [d.hex() if d is not None else None for d in self.digests],
            "stream": self.stream.hex() if self.stream is not None else None,
            "signatures": None if self.signatures is None else [encode(s) for s in self.signatures],
            "doc_signature": encode(self.doc_signature),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint:
        import base64

        def decode(text: str | None) -> Any:
            import numpy as np

            return np.frombuffer(base64.b64decode(text), dtype=np.uint32) if text else None

        sigs = data.get("signatures")
        if sigs is not None:
            sigs = [decode(s) for s in sigs]
        return cls(
            digests=[bytes.fromhex(d) if d is not None else None for d in data["digests"]],
            stream=bytes.fromhex(data["stream"]) if data.get("stream") else None,
            signatures=sigs,
            doc_signature=decode(data.get("doc_signature")),
        )


def _minhash(joined: bytes, config: Config) -> Any:
    from .minhash import minhash_signature, shingle_hashes

    cfg = config.dedup
    return minhash_signature(shingle_hashes(joined, cfg.shingle_words), cfg.num_perm, cfg.seed)


def fingerprint(
    records: list[Record], config: Config, *, signatures: bool = True
) -> Fingerprint | None:
    """The records' fingerprint for `config`'s dedup settings; None when dedup is off.

    `signatures=False` leaves the MinHash signatures to be made on demand (`signature(i)`):
    one small file compares with nothing, and should not pay for datasketch's import.
    """
    cfg = config.dedup
    near = bool(cfg.near) and near_index_available()
    if not records or not (cfg.exact or near):
        return None
    # The normalized text: words joined by single spaces, UTF-8 (hashed, and shingled).
    joined = [" ".join(normalized_tokens(r.text)).encode("utf-8", "surrogatepass") for r in records]
    # The whole token stream: the same words cut into chunks elsewhere are the same text.
    stream = b" ".join(j for j in joined if j)
    prints = Fingerprint(
        digests=[_digest(j) if j else None for j in joined],
        stream=_digest(stream) if stream else None,
        signatures=None,
        joined=joined,
    )
    if signatures:
        prints.with_signatures(config)
    return prints


@dataclass
class _Doc:
    doc_id: str
    first: int  # index of its first chunk in the run-wide chunk list
    count: int


class Deduplicator:
    """Holds the run's exact and near indexes; `check_document` marks duplicates in place."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.cfg = config.dedup
        self._chunk_ids: list[str] = []  # run-wide chunk index -> record id
        self._chunk_digests: list[bytes | None] = []
        self._chunk_exact_index: dict[bytes, int] = {}  # digest -> first chunk index
        self._doc_exact_index: dict[bytes, int] = {}  # digest -> first document index
        self._docs: list[_Doc] = []
        self._chunk_near: Any = None
        self._doc_near: Any = None
        self._chunk_row: dict[int, int] = {}  # chunk index -> its signature row
        self._row_chunk: list[int] = []  # signature row -> chunk index (wordless chunks: none)
        self._doc_key: dict[int, int] = {}  # row in the document index -> document index
        # The first document, when it has at most one chunk with words, has nothing to be
        # compared with: its near index (and the datasketch import, seconds cold) waits for a
        # second one, so `llmprep.process` on a small file stays fast.
        # (chunk index, its document's fingerprint, its place in that document)
        self._deferred: tuple[int, Fingerprint, int] | None = None
        self.near_available = bool(self.cfg.near) and near_index_available()
        if self.cfg.near and not self.near_available:
            log.warning(
                "datasketch is not installed: near-duplicate detection is off, exact still runs "
                "(install llmprep[dedup])"
            )

    def _build_near(self) -> None:
        from .minhash import NearIndex

        args = (self.cfg.threshold, self.cfg.num_perm, self.cfg.seed)
        # The chunk index always exists when near is on: a near copy of a document maps its
        # chunks onto the original's through their signatures.
        self._chunk_near = NearIndex(*args)
        if self.cfg.documents:
            self._doc_near = NearIndex(*args)
        if self._deferred is not None:
            index, prints, i = self._deferred
            self._deferred = None
            self._store_chunk(index, prints.signature(i, self.config), indexed=self.cfg.chunks)
            if self._doc_near is not None:
                key, _ = self._doc_near.match_and_add(prints.document_signature(self.config))
                self._doc_key[key] = 0

    # -- the one entry point ------------------------------------------------------------------

    def check_document(self, records: list[Record], prints: Fingerprint | None = None) -> None:
        """Mark `records` (one document's, in order) against everything checked before.

        `prints`: their fingerprint, when a worker made it already (else it is made here).
        """
        if not records or not (self.cfg.exact or self.near_available):
            return
        if prints is None or not prints.complete(self.config):
            prints = fingerprint(records, self.config, signatures=False)
            if prints is None:
                return
        digests = prints.digests
        base = len(self._chunk_ids)
        doc_index = len(self._docs)
        doc = _Doc(doc_id=records[0].doc_id, first=base, count=len(records))
        self._chunk_ids.extend(r.id for r in records)
        self._chunk_digests.extend(digests)
        self._docs.append(doc)
        matches = [self._chunk_exact(base + i, digest) for i, digest in enumerate(digests)]
        if self.near_available:
            with_words = [i for i, d in enumerate(digests) if d is not None]
            if self._chunk_near is None and doc_index == 0 and len(with_words) <= 1:
                if with_words:
                    self._deferred = (base + with_words[0], prints, with_words[0])
            else:
                if self._chunk_near is None:
                    self._build_near()
                for i in with_words:
                    matches[i] = self._chunk_near_match(
                        base + i, prints.signature(i, self.config), matches[i]
                    )
        document: DocMatch | None = None
        if self.cfg.documents:
            document = self._doc_exact(doc, doc_index, prints.stream)
            if document is None:
                document = self._doc_near_match(doc, doc_index, prints)
        apply_marks(records, matches, document, self.cfg.threshold)

    # -- chunks -------------------------------------------------------------------------------

    def _chunk_exact(self, index: int, digest: bytes | None) -> ChunkMatch | None:
        if not self.cfg.exact or not self.cfg.chunks or digest is None:
            return None
        first = self._chunk_exact_index.setdefault(digest, index)
        return None if first == index else ChunkMatch(self._chunk_ids[first])

    def _chunk_near_match(
        self, index: int, values: Any, exact: ChunkMatch | None
    ) -> ChunkMatch | None:
        """Compare the chunk with earlier ones and store it; an exact copy keeps its match."""
        # An exact copy's signature is already indexed: indexing it again would only make every
        # later query return one more identical candidate.
        match = self._store_chunk(index, values, indexed=self.cfg.chunks and exact is None)
        if exact is not None or match is None or not self.cfg.chunks:
            return exact
        return ChunkMatch(self._chunk_ids[self._row_chunk[match[0]]], match[1])

    def _store_chunk(self, index: int, values: Any, *, indexed: bool) -> tuple[int, float] | None:
        row, match = self._chunk_near.match_and_add(values, index=indexed)
        self._chunk_row[index] = row
        self._row_chunk.append(index)
        return match

    # -- documents ----------------------------------------------------------------------------

    def _doc_exact(self, doc: _Doc, doc_index: int, stream: bytes | None) -> DocMatch | None:
        if not self.cfg.exact or stream is None:
            return None
        first = self._doc_exact_index.setdefault(stream, doc_index)
        if first == doc_index:
            return None
        original = self._docs[first]
        targets = doc_targets(doc.count, original.count, False, lambda i: True)
        return DocMatch(original.doc_id, [self._chunk_ids[original.first + t] for t in targets])

    def _doc_near_match(self, doc: _Doc, doc_index: int, prints: Fingerprint) -> DocMatch | None:
        if self._doc_near is None or prints.stream is None:
            return None
        key, match = self._doc_near.match_and_add(prints.document_signature(self.config))
        self._doc_key[key] = doc_index
        if match is None:
            return None
        original = self._docs[self._doc_key[match[0]]]
        targets = doc_targets(
            doc.count,
            original.count,
            True,
            lambda i: self._chunks_match(doc.first + i, original.first + i),
        )
        return DocMatch(
            original.doc_id, [self._chunk_ids[original.first + t] for t in targets], match[1]
        )

    def _chunks_match(self, a: int, b: int) -> bool:
        da, db = self._chunk_digests[a], self._chunk_digests[b]
        if da is not None and da == db:
            return True
        ra, rb = self._chunk_row.get(a), self._chunk_row.get(b)
        if ra is None or rb is None:
            return False
        return self._chunk_near.similarity(ra, rb) >= self.cfg.threshold
