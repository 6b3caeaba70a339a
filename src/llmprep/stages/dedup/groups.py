"""Duplicate decisions from grouped data: the same marks as the sequential pass, in any order.

The sequential pass (`fingerprint.Deduplicator`) walks the run in input order. Its decision for
an element (a chunk, or a whole document) depends only on pairs of elements, never on what was
decided for a third one:

- exact: an element whose digest (chunk text / document token stream) occurred before points
  at the earliest element with that digest;
- near: an element that is the first of its digest ("indexed": later exact copies never are
  candidates) points at the earlier indexed element with the highest estimated Jaccard among
  those sharing at least one whole LSH band with it, if that similarity reaches the threshold;
  ties go to the earliest (`minhash.NearIndex.match_and_add`).

Elements with equal digests have equal signatures (a document's signature is made from its
token stream, not from its chunks), so they fall into exactly the same band groups: within
one group, "first of its digest in the group" is "first of its digest in the run". Hence every
decision can be made inside a group of rows sharing a key, with positions (input order) as the
only notion of "before":

    key_rows()  every element -> one row per exact key and per LSH band (level, kind, bytes)
    decide()    rows of whole groups (any partition by key) -> candidate decisions
    best()      candidate decisions of some elements -> one decision per element

No connected components: a chain A~B~C where A and C are not similar stays a chain (C points
at B), as in the sequential pass. `resolve()` turns decisions into `marks.ChunkMatch` and
`marks.DocMatch` with record ids looked up through `Tables`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ...config import Config
from .marks import ChunkMatch, DocMatch
from .minhash import lsh_params, near_index_available

CHUNK, DOCUMENT = 0, 1  # levels
EXACT, NEAR = 0, 1  # kinds of key and of decision
DIGEST_BYTES = 16

Columns = dict[str, Any]  # column name -> numpy array, all of one length


@dataclass(frozen=True)
class GroupSettings:
    """What `config.dedup` asks for, as the grouped pass needs it."""

    threshold: float
    num_perm: int
    bands: int
    band_rows: int
    exact_chunks: bool
    near_chunks: bool
    exact_docs: bool
    near_docs: bool
    near: bool  # signatures exist (a document's near copy maps chunks through them)

    @classmethod
    def from_config(cls, config: Config) -> GroupSettings:
        cfg = config.dedup
        near = bool(cfg.near) and near_index_available()
        bands, rows = lsh_params(cfg.threshold, cfg.num_perm)
        return cls(
            threshold=cfg.threshold,
            num_perm=cfg.num_perm,
            bands=bands,
            band_rows=rows,
            exact_chunks=cfg.exact and cfg.chunks,
            near_chunks=near and cfg.chunks,
            exact_docs=cfg.exact and cfg.documents,
            near_docs=near and cfg.documents,
            near=near,
        )

    @property
    def enabled(self) -> bool:
        return self.exact_chunks or self.near_chunks or self.exact_docs or self.near_docs

    @property
    def key_width(self) -> int:
        """Bytes per key: level, kind, band number (2), then the digest or the band's values."""
        return 4 + max(DIGEST_BYTES, 4 * self.band_rows)

    def exact(self, level: int) -> bool:
        return self.exact_chunks if level == CHUNK else self.exact_docs

    def near_level(self, level: int) -> bool:
        return self.near_chunks if level == CHUNK else self.near_docs


# -- keys -------------------------------------------------------------------------------------


def key_rows(
    level: int,
    positions: Any,
    digests: Any,
    words: Any,
    signatures: Any | None,
    settings: GroupSettings,
) -> Columns:
    """One row per exact key and per LSH band of every element with words of one level.

    positions: int64[n] (input order); digests: uint8[n, 16]; words: bool[n] (False: no
    words, no digest); signatures: uint32[n, num_perm] or None. Returns columns `key`
    (uint8[m, key_width]), `pos` (int64[m]) and `digest` (uint8[m, 16]).
    """
    import numpy as np

    width = settings.key_width
    pos = positions[words]
    dig = digests[words]
    parts: list[tuple[Any, Any, Any]] = []
    if settings.exact(level) and len(pos):
        keys = np.zeros((len(pos), width), dtype=np.uint8)
        keys[:, 0], keys[:, 1] = level, EXACT
        keys[:, 4 : 4 + DIGEST_BYTES] = dig
        parts.append((keys, pos, dig))
    if settings.near_level(level) and signatures is not None and len(pos):
        sigs = np.ascontiguousarray(signatures[words])
        span = settings.band_rows
        raw = (
            sigs[:, : settings.bands * span]
            .view(np.uint8)
            .reshape(len(pos), settings.bands, 4 * span)
        )
        keys = np.zeros((len(pos), settings.bands, width), dtype=np.uint8)
        keys[:, :, 0], keys[:, :, 1] = level, NEAR
        band = np.arange(settings.bands, dtype=np.uint16)
        keys[:, :, 2], keys[:, :, 3] = band & 0xFF, band >> 8
        keys[:, :, 4 : 4 + 4 * span] = raw
        parts.append(
            (
                keys.reshape(-1, width),
                np.repeat(pos, settings.bands),
                np.repeat(dig, settings.bands, axis=0),
            )
        )
    if not parts:
        return empty_key_rows(settings)
    return {
        "key": np.concatenate([p[0] for p in parts]),
        "pos": np.concatenate([p[1] for p in parts]).astype(np.int64, copy=False),
        "digest": np.concatenate([p[2] for p in parts]),
    }


def empty_key_rows(settings: GroupSettings) -> Columns:
    import numpy as np

    return {
        "key": np.zeros((0, settings.key_width), dtype=np.uint8),
        "pos": np.zeros(0, dtype=np.int64),
        "digest": np.zeros((0, DIGEST_BYTES), dtype=np.uint8),
    }


# -- decisions --------------------------------------------------------------------------------

SignatureLookup = Callable[[int, Any], Any]  # (level, positions) -> uint32[n, num_perm]


def decide(rows: Columns, signatures: SignatureLookup, settings: GroupSettings) -> Columns:
    """Candidate decisions from rows holding whole key groups (a partition by key).

    Returns columns `level`, `kind` (int8), `pos`, `target` (int64), `similarity` (float64):
    an exact copy once per element; a near candidate once per band group in which the element
    has a verified earlier match (`best()` keeps one per element).
    """
    import numpy as np

    group, pos, dig, level, kind = _multi_rows(rows)
    found: list[Columns] = []
    if len(pos):
        start = np.r_[True, group[1:] != group[:-1]]
        # Exact keys: every member after the first points at the first.
        first_pos = pos[np.maximum.accumulate(np.where(start, np.arange(len(pos)), 0))]
        copies = (kind == EXACT) & ~start
        found.append(_decisions(level[copies], EXACT, pos[copies], first_pos[copies], 1.0))
        # Band keys: later exact copies are not indexed (their first copies are all in the
        # same groups), then each member is compared with the earlier ones.
        near = kind == NEAR
        filtered = np.zeros(len(pos), dtype=bool)
        for lv in (CHUNK, DOCUMENT):
            if settings.exact(lv):
                filtered |= near & (level == lv)
        keep = near & ~filtered
        if filtered.any():
            idx = np.flatnonzero(filtered)
            tagged = np.concatenate(
                [group[idx].astype(">i8").view(np.uint8).reshape(-1, 8), dig[idx]], axis=1
            )
            flat = np.ascontiguousarray(tagged).view(f"S{tagged.shape[1]}").ravel()
            _, first = np.unique(flat, return_index=True)  # first in (group, pos) order
            keep[idx[first]] = True
        found.extend(_near_decisions(group[keep], pos[keep], level[keep], signatures, settings))
    found = [f for f in found if len(f["pos"])]
    if not found:
        return empty_decisions()
    return {k: np.concatenate([f[k] for f in found]) for k in found[0]}


def _near_decisions(
    group: Any, pos: Any, level: Any, signatures: SignatureLookup, settings: GroupSettings
) -> list[Columns]:
    """Each member of each band group (sorted by group, then position) against the earlier
    members: the most similar at or above the threshold, ties to the earliest."""
    import numpy as np

    out: list[Columns] = []
    if not len(pos):
        return out
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[start, len(pos)])
    for lv in (CHUNK, DOCUMENT):
        mine = (level[start] == lv) & (size >= 2)
        if not mine.any():
            continue
        starts, sizes = start[mine], size[mine]
        members = np.concatenate([np.arange(a, a + n) for a, n in zip(starts, sizes, strict=True)])
        wanted = np.unique(pos[members])
        values = signatures(lv, wanted)

        def sig(at: Any, values: Any = values, wanted: Any = wanted) -> Any:
            return values[np.searchsorted(wanted, pos[at])]

        pairs = sizes == 2  # most groups: one comparison, done for all at once
        if pairs.any():
            a = starts[pairs]
            sims = (sig(a) == sig(a + 1)).mean(axis=1)
            ok = sims >= settings.threshold
            out.append(
                _decisions(np.full(ok.sum(), lv), NEAR, pos[a + 1][ok], pos[a][ok], sims[ok])
            )
        for a, n in zip(starts[~pairs].tolist(), sizes[~pairs].tolist(), strict=True):
            sigs = sig(np.arange(a, a + n))
            for j in range(1, n):
                sims = (sigs[:j] == sigs[j]).mean(axis=1)
                b = int(np.argmax(sims))  # the first maximum: the earliest
                if sims[b] >= settings.threshold:
                    out.append(
                        _decisions(
                            np.full(1, lv),
                            NEAR,
                            pos[a + j : a + j + 1],
                            pos[a + b : a + b + 1],
                            sims[b : b + 1],
                        )
                    )
    return out


def _decisions(level: Any, kind: int, pos: Any, target: Any, similarity: Any) -> Columns:
    import numpy as np

    n = len(pos)
    return {
        "level": np.asarray(level, dtype=np.int8).reshape(n),
        "kind": np.full(n, kind, dtype=np.int8),
        "pos": np.asarray(pos, dtype=np.int64),
        "target": np.asarray(target, dtype=np.int64),
        "similarity": np.broadcast_to(np.asarray(similarity, dtype=np.float64), (n,)).copy(),
    }


def empty_decisions() -> Columns:
    import numpy as np

    return {
        "level": np.zeros(0, dtype=np.int8),
        "kind": np.zeros(0, dtype=np.int8),
        "pos": np.zeros(0, dtype=np.int64),
        "target": np.zeros(0, dtype=np.int64),
        "similarity": np.zeros(0),
    }


def _multi_rows(rows: Columns) -> tuple[Any, Any, Any, Any, Any]:
    """The rows whose key is held by two or more rows, sorted by key group then position:
    (group number, position, digest, level, kind)."""
    import numpy as np

    keys = rows["key"]
    empty = np.zeros(0, dtype=np.int64)
    if len(keys) < 2:
        return empty, empty, np.zeros((0, DIGEST_BYTES), np.uint8), empty, empty
    flat = np.ascontiguousarray(keys).view(f"S{keys.shape[1]}").ravel()
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    multi = np.flatnonzero(counts[inverse] >= 2)
    group, pos = inverse[multi], rows["pos"][multi]
    order = np.lexsort((pos, group))
    multi = multi[order]
    return (
        group[order],
        pos[order],
        rows["digest"][multi],
        keys[multi, 0].astype(np.int64),
        keys[multi, 1].astype(np.int64),
    )


def best(decisions: Columns) -> Columns:
    """One decision per (level, element): its exact copy's first, else the most similar earlier
    candidate (ties: the earliest) — the union of its band groups, as one index would see it."""
    import numpy as np

    if not len(decisions["pos"]):
        return decisions
    order = np.lexsort(
        (
            decisions["target"],
            -decisions["similarity"],
            decisions["kind"],
            decisions["pos"],
            decisions["level"],
        )
    )
    level, pos = decisions["level"][order], decisions["pos"][order]
    first = np.r_[True, (level[1:] != level[:-1]) | (pos[1:] != pos[:-1])]
    keep = order[first]
    return {k: v[keep] for k, v in decisions.items()}


# -- resolution -------------------------------------------------------------------------------


class Tables(Protocol):
    """What resolving decisions needs to read about any element of the run, by position."""

    def chunk_ids(self, positions: Any) -> list[str]: ...

    def chunk_digests(self, positions: Any) -> tuple[Any, Any]:
        """(uint8[n, 16] digests, bool[n] has words)."""
        ...

    def signatures(self, level: int, positions: Any) -> Any: ...

    def documents(self, positions: Any) -> tuple[list[str], Any, Any]:
        """(document ids, int64[n] first chunk positions, int64[n] chunk counts)."""
        ...


def resolve(
    decisions: Columns,
    docs: Columns,
    tables: Tables,
    settings: GroupSettings,
) -> tuple[dict[int, ChunkMatch], dict[int, DocMatch]]:
    """Chunk and document matches, by position, for one set of elements.

    decisions: `best()` output for these elements; docs: the documents that may be copies,
    as columns `pos`, `first`, `count` (their chunks are `first` .. `first + count - 1`).
    """
    import numpy as np

    chunk_matches: dict[int, ChunkMatch] = {}
    doc_matches: dict[int, DocMatch] = {}
    is_chunk = decisions["level"] == CHUNK
    if is_chunk.any():
        pos = decisions["pos"][is_chunk]
        ids = tables.chunk_ids(decisions["target"][is_chunk])
        exact = decisions["kind"][is_chunk] == EXACT
        sims = decisions["similarity"][is_chunk]
        for p, target, e, s in zip(pos.tolist(), ids, exact.tolist(), sims.tolist(), strict=True):
            chunk_matches[p] = ChunkMatch(target, None if e else s)
    is_doc = ~is_chunk
    if not is_doc.any():
        return chunk_matches, doc_matches
    pos = decisions["pos"][is_doc]
    exact = decisions["kind"][is_doc] == EXACT
    sims = decisions["similarity"][is_doc]
    row = np.searchsorted(docs["pos"], pos)
    firsts, counts = docs["first"][row], docs["count"][row]
    doc_ids, o_firsts, o_counts = tables.documents(decisions["target"][is_doc])
    # Every record of every copy, at once: (copy k, chunk i) -> the original's chunk it points at.
    copy = np.repeat(np.arange(len(pos)), counts)
    i = np.arange(len(copy)) - np.repeat(np.cumsum(counts) - counts, counts)
    inside = i < o_counts[copy]
    matched = inside & exact[copy]
    compare = np.flatnonzero(inside & ~exact[copy])
    if len(compare):
        matched[compare] = _chunks_match(
            firsts[copy[compare]] + i[compare],
            o_firsts[copy[compare]] + i[compare],
            tables,
            settings,
        )
    # (a near copy's chunk that matches nothing points at the original's first chunk)
    targets = o_firsts[copy] + np.where(matched, i, 0)
    ids = tables.chunk_ids(targets)
    ends = np.cumsum(counts)
    for k in range(len(pos)):
        similarity = None if exact[k] else float(sims[k])
        doc_matches[int(pos[k])] = DocMatch(
            doc_ids[k], ids[ends[k] - counts[k] : ends[k]], similarity
        )
    return chunk_matches, doc_matches


def _chunks_match(mine: Any, theirs: Any, tables: Tables, settings: GroupSettings) -> Any:
    """Whether each chunk of a near-copy document matches the chunk at the same index of its
    original: the same digest, or both with words and estimated Jaccard at the threshold (as
    the sequential pass compares them, `marks.doc_targets`)."""
    import numpy as np

    d1, w1 = tables.chunk_digests(mine)
    d2, w2 = tables.chunk_digests(theirs)
    same = w1 & w2 & (d1 == d2).all(axis=1)
    if settings.near:
        both = np.flatnonzero(w1 & w2 & ~same)
        if len(both):
            s1 = tables.signatures(CHUNK, mine[both])
            s2 = tables.signatures(CHUNK, theirs[both])
            same[both] = (s1 == s2).mean(axis=1) >= settings.threshold
    return same
