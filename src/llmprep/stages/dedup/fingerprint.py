"""Duplicate detection across a run: later copies point at the first (input path order).

Fed one document's records at a time, in input order, by `llmprep.process` (one file) and by
the folder runner (the whole run, in the parent process). Marks, never drops:

- exact: the hash of the normalized text (casefolded words, punctuation and spacing ignored),
  per chunk and per document;
- near (needs the `dedup` extra): datasketch MinHash over word shingles (5 words by default)
  and LSH banding, per chunk and per document, verified at `dedup.threshold` estimated Jaccard
  (see `quality_near`).

A later chunk gets `duplicate_of` = the record id of the first copy, and a flag:
`duplicate_exact` (value: 1.0) or `duplicate_near` (value: estimated Jaccard). When a whole
document repeats an earlier one, every record of it gets `duplicate_doc_exact` or
`duplicate_doc_near` (value: 1.0 / estimated Jaccard of the documents) and
`metadata["duplicate_of_doc"]` = the first document's id. A record that no chunk-level
check matched points at chunk i of the first document when that chunk matches it (same
normalized text, or near at the threshold), else at the first document's first record.
Every record is compared only with what came before it, so the result is deterministic.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from ...config import Config
from ...flags import make_flag
from ...models import Flag, Record
from ...scripts import UNSEGMENTED
from ..quality.text import words_of
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

    Workers compute it next to the records, in parallel; the run's one dedup pass, serial in
    the parent process, then only looks up and compares. Per chunk: the digest of its normalized
    text (None: no words) and its MinHash signature (None: no words); for the document: the
    digest of its whole token stream. `signatures` is None when near dedup was not computed.
    """

    digests: list[bytes | None]
    stream: bytes | None
    signatures: list[Any] | None
    # The normalized texts, kept (never serialized) when signatures are made on demand.
    joined: list[bytes] | None = None

    def signature(self, i: int, config: Config) -> Any:
        """Chunk `i`'s MinHash signature (made now if it was not made with the fingerprint)."""
        if self.signatures is not None:
            return self.signatures[i]
        from .minhash import minhash_signature, shingle_hashes

        assert self.joined is not None, "a fingerprint without signatures keeps its texts"
        cfg = config.dedup
        return minhash_signature(
            shingle_hashes(self.joined[i], cfg.shingle_words), cfg.num_perm, cfg.seed
        )

    def with_signatures(self, config: Config) -> Fingerprint:
        """Make every chunk's MinHash signature now (when near dedup is on), for storing."""
        if self.signatures is None and self.joined is not None:
            cfg = config.dedup
            if cfg.near and near_index_available():
                self.signatures = [
                    self.signature(i, config) if j else None for i, j in enumerate(self.joined)
                ]
        return self

    def to_json(self) -> dict[str, Any]:
        import base64

        return {
            "digests": [d.hex() if d is not None else None for d in self.digests],
            "stream": self.stream.hex() if self.stream is not None else None,
            "signatures": None
            if self.signatures is None
            else [
                base64.b64encode(s.tobytes()).decode("ascii") if s is not None else None
                for s in self.signatures
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint:
        import base64

        sigs = data.get("signatures")
        if sigs is not None:
            import numpy as np

            sigs = [
                np.frombuffer(base64.b64decode(s), dtype=np.uint32) if s is not None else None
                for s in sigs
            ]
        return cls(
            digests=[bytes.fromhex(d) if d is not None else None for d in data["digests"]],
            stream=bytes.fromhex(data["stream"]) if data.get("stream") else None,
            signatures=sigs,
        )


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
        self._chunk_exact: dict[bytes, int] = {}  # digest -> first chunk index
        self._doc_exact: dict[bytes, int] = {}  # digest -> first document index
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
        # The chunk index always exists when near is on: documents are compared through the
        # union of their chunk signatures.
        self._chunk_near = NearIndex(*args)
        if self.cfg.documents:
            self._doc_near = NearIndex(*args)
        if self._deferred is not None:
            index, prints, i = self._deferred
            self._deferred = None
            values = prints.signature(i, self.config)
            self._store_chunk(index, values, indexed=self.cfg.chunks)
            if self._doc_near is not None:
                key, _ = self._doc_near.match_and_add(values)
                self._doc_key[key] = 0

    # -- the one entry point ------------------------------------------------------------------

    def check_document(self, records: list[Record], prints: Fingerprint | None = None) -> None:
        """Mark `records` (one document's, in order) against everything checked before.

        `prints`: their fingerprint, when a worker made it already (else it is made here).
        """
        if not records or not (self.cfg.exact or self.near_available):
            return
        if prints is None or (prints.signatures is None and prints.joined is None):
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
        exact = [self._check_chunk_exact(r, base + i, digests[i]) for i, r in enumerate(records)]
        signatures: list[Any] = [None] * len(records)
        if self.near_available:
            with_words = [i for i, d in enumerate(digests) if d is not None]
            if self._chunk_near is None and doc_index == 0 and len(with_words) <= 1:
                if with_words:
                    self._deferred = (base + with_words[0], prints, with_words[0])
            else:
                if self._chunk_near is None:
                    self._build_near()
                for i in with_words:
                    values = prints.signature(i, self.config)
                    signatures[i] = self._check_chunk_near(records[i], base + i, values, exact[i])
        if self.cfg.documents and not self._check_doc_exact(records, doc, doc_index, prints.stream):
            self._check_doc_near(records, doc, doc_index, signatures)

    # -- chunks -------------------------------------------------------------------------------

    def _check_chunk_exact(self, record: Record, index: int, digest: bytes | None) -> bool:
        if not self.cfg.exact or not self.cfg.chunks or digest is None:
            return False
        first = self._chunk_exact.setdefault(digest, index)
        if first == index:
            return False
        self._mark(record, self._chunk_ids[first], make_flag("duplicate_exact", 1.0))
        return True

    def _check_chunk_near(self, record: Record, index: int, values: Any, exact: bool) -> Any:
        """Compare the chunk with earlier ones, store it, and return its MinHash values."""
        # An exact copy's signature is already indexed: indexing it again would only make every
        # later query return one more identical candidate.
        match = self._store_chunk(index, values, indexed=self.cfg.chunks and not exact)
        if match is not None and self.cfg.chunks and not exact and record.duplicate_of is None:
            flag = make_flag("duplicate_near", round(match[1], 4), self.cfg.threshold)
            self._mark(record, self._chunk_ids[self._row_chunk[match[0]]], flag)
        return values

    def _store_chunk(self, index: int, values: Any, *, indexed: bool) -> tuple[int, float] | None:
        row, match = self._chunk_near.match_and_add(values, index=indexed)
        self._chunk_row[index] = row
        self._row_chunk.append(index)
        return match

    # -- documents ----------------------------------------------------------------------------

    def _check_doc_exact(
        self, records: list[Record], doc: _Doc, doc_index: int, stream: bytes | None
    ) -> bool:
        if not self.cfg.exact or stream is None:
            return False
        first = self._doc_exact.setdefault(stream, doc_index)
        if first == doc_index:
            return False
        original = self._docs[first]
        for i, record in enumerate(records):
            target = original.first + i if i < original.count else original.first
            flag = make_flag("duplicate_doc_exact", 1.0)
            self._mark_doc(record, self._chunk_ids[target], flag, original.doc_id)
        return True

    def _check_doc_near(
        self, records: list[Record], doc: _Doc, doc_index: int, signatures: list[Any]
    ) -> None:
        if self._doc_near is None:
            return
        import numpy as np

        rows = [s for s in signatures if s is not None]
        if not rows:
            return
        # The union of the chunks' shingle sets: its MinHash is the element-wise minimum.
        key, match = self._doc_near.match_and_add(np.minimum.reduce(rows))
        self._doc_key[key] = doc_index
        if match is None:
            return
        original = self._docs[self._doc_key[match[0]]]
        for i, record in enumerate(records):
            target = original.first
            if i < original.count and self._chunks_match(doc.first + i, original.first + i):
                target = original.first + i
            flag = make_flag("duplicate_doc_near", round(match[1], 4), self.cfg.threshold)
            self._mark_doc(record, self._chunk_ids[target], flag, original.doc_id)

    def _chunks_match(self, a: int, b: int) -> bool:
        da, db = self._chunk_digests[a], self._chunk_digests[b]
        if da is not None and da == db:
            return True
        ra, rb = self._chunk_row.get(a), self._chunk_row.get(b)
        if ra is None or rb is None:
            return False
        return self._chunk_near.similarity(ra, rb) >= self.cfg.threshold

    # -- marking ------------------------------------------------------------------------------

    @staticmethod
    def _mark(record: Record, first_id: str, flag: Flag) -> None:
        if first_id == record.id:
            return
        if record.duplicate_of is None:
            record.duplicate_of = first_id
        record.flags.append(flag)

    def _mark_doc(self, record: Record, first_id: str, flag: Flag, first_doc: str) -> None:
        self._mark(record, first_id, flag)
        record.metadata["duplicate_of_doc"] = first_doc
