"""Near-duplicate index: datasketch MinHash over word shingles, LSH banding for candidates.

Needs the `dedup` extra (datasketch, numpy); `near_index_available()` says whether it is there.
Candidates from the LSH are verified against the stored signatures, so what is reported is an
estimated Jaccard similarity at or above the threshold, not just a bucket collision.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from functools import cache
from typing import Any


def near_index_available() -> bool:
    """Whether datasketch and numpy can be imported, without importing them (datasketch pulls
    in scipy: seconds, cold)."""
    for name in ("datasketch", "numpy"):
        if name in sys.modules:
            if sys.modules[name] is None:  # blocked on purpose
                return False
            continue
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):
            return False
    return True


def lsh_params(threshold: float, num_perm: int, max_miss: float = 1e-4) -> tuple[int, int]:
    """Bands and rows for the LSH: as few bands as possible (each costs time and memory on
    every chunk) while a pair whose signatures agree exactly at the threshold still shares a
    band with probability >= 1 - max_miss.

    datasketch's own optimum balances misses against false candidates and finds a pair at the
    threshold only ~40% of the time; here misses are what matter, and false candidates are
    cheap because each is verified against its stored signature.
    """
    disagree = num_perm - math.ceil(threshold * num_perm)
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if _miss(num_perm, bands, rows, disagree) > max_miss:
            break
        best = (bands, rows)
    return best


def _miss(num_perm: int, bands: int, rows: int, disagree: int) -> float:
    """P(every band holds a disagreeing position) for `disagree` positions placed at random
    among `num_perm` (inclusion-exclusion over the bands that agree in full)."""
    total = math.comb(num_perm, disagree)
    p = sum(
        (-1) ** k * math.comb(bands, k) * math.comb(num_perm - k * rows, disagree)
        for k in range(bands + 1)
        if num_perm - k * rows >= disagree
    )
    return max(0.0, p / total)


class _Rows:
    """A growable uint32 matrix of signatures, one row per key."""

    def __init__(self, width: int) -> None:
        import numpy as np

        self._np = np
        self.data = np.empty((1024, width), dtype=np.uint32)
        self.size = 0

    def append(self, row: Any) -> int:
        if self.size == len(self.data):
            grown = self._np.empty((len(self.data) * 2, self.data.shape[1]), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size] = row
        self.size += 1
        return self.size - 1


class NearIndex:
    """Signatures and an LSH index for one level (chunks, or whole documents).

    Signatures are datasketch MinHash values (its affine32 permutations for `num_perm` and
    `seed`); the index is MinHash LSH banding as datasketch's MinHashLSH does it (same bands
    and rows, a candidate shares at least one whole band), kept in one dict per band from the
    band's bytes to its keys. A test pins both against datasketch. The lean tables matter: in
    the runner's parent process MinHashLSH's storage (a set per bucket, band hashes kept twice)
    took ~9 KB per chunk and ~80 us per query + insert; these take ~3.4 KB and ~12 us.
    """

    def __init__(self, threshold: float, num_perm: int, seed: int) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.seed = seed
        self.bands, self.band_rows = lsh_params(threshold, num_perm)
        self._width = 4 * self.band_rows  # bytes per band (uint32 values)
        self._tables: list[dict[bytes, int | list[int]]] = [{} for _ in range(self.bands)]
        self.rows = _Rows(num_perm)

    def signature(self, shingle_hashes: Any) -> Any:
        """MinHash values (uint32[num_perm]) of precomputed 32-bit shingle hashes."""
        return minhash_signature(shingle_hashes, self.num_perm, self.seed)

    def match_and_add(
        self, values: Any, *, index: bool = True
    ) -> tuple[int, tuple[int, float] | None]:
        """Store `values`; return its key and the most similar earlier key at or above the
        threshold (ties: the earliest). `index=False` stores it for comparisons only."""
        raw = values[: self.bands * self.band_rows].tobytes()
        width = self._width
        key = self.rows.append(values)
        candidates: set[int] = set()
        for i, table in enumerate(self._tables):
            band = raw[i * width : (i + 1) * width]
            hit = table.get(band)
            if hit is None:
                if index:
                    table[band] = key
            elif isinstance(hit, list):
                candidates.update(hit)
                if index:
                    hit.append(key)
            else:
                candidates.add(hit)
                if index:
                    table[band] = [hit, key]
        return key, self._best(values, candidates)

    def candidates(self, values: Any) -> set[int]:
        """Keys sharing at least one whole band with `values` (what MinHashLSH.query returns)."""
        raw = values[: self.bands * self.band_rows].tobytes()
        width = self._width
        found: set[int] = set()
        for i, table in enumerate(self._tables):
            hit = table.get(raw[i * width : (i + 1) * width])
            if isinstance(hit, list):
                found.update(hit)
            elif hit is not None:
                found.add(hit)
        return found

    def _best(self, values: Any, candidates: set[int]) -> tuple[int, float] | None:
        if not candidates:
            return None
        np = self.rows._np
        keys = np.fromiter(sorted(candidates), dtype=np.int64, count=len(candidates))
        sims = (self.rows.data[keys] == values).mean(axis=1)
        i = int(np.argmax(sims))  # argmax returns the first maximum: the earliest key
        return (int(keys[i]), float(sims[i])) if sims[i] >= self.threshold else None

    def similarity(self, a: int, b: int) -> float:
        return float((self.rows.data[a] == self.rows.data[b]).mean())


def minhash_signature(shingle_hashes: Any, num_perm: int, seed: int) -> Any:
    """MinHash values (uint32[num_perm]) of precomputed 32-bit shingle hashes.

    The values are what datasketch's `MinHash.update_batch` computes for these hashes with
    `hashfunc=int` (affine32: MurmurHash3 finalizer, then a*h+b mod 2**32), done as one array
    operation instead of a Python call per shingle.
    """
    import numpy as np

    if not len(shingle_hashes):
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    a, b = _permutations(num_perm, seed)
    mixed = _fmix32(np, shingle_hashes.astype(np.uint32, copy=False)).reshape(-1, 1)
    return (mixed * a + b).min(axis=0)


@cache
def _permutations(num_perm: int, seed: int) -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations


def _fmix32(np: Any, h: Any) -> Any:
    """MurmurHash3's 32-bit finalizer (the pre-mix of datasketch's affine32 scheme)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


# Polynomial hashing of byte spans mod 2**32: base P, with its inverse Q so that prefix sums of
# b[j] * Q**j give any span's hash in two lookups (position-independent after * P**start).
_P = 0x01000193
_Q = pow(_P, -1, 1 << 32)
_POWERS: list[Any] = []  # [P**j, Q**j] arrays, grown on demand


def _powers(n: int) -> tuple[Any, Any]:
    import numpy as np

    if not _POWERS or len(_POWERS[0]) < n:
        size = max(n, 4096, 2 * len(_POWERS[0]) if _POWERS else 0)
        p = np.full(size, _P, dtype=np.uint32)
        q = np.full(size, _Q, dtype=np.uint32)
        p[0] = q[0] = 1
        _POWERS[:] = [np.cumprod(p, dtype=np.uint32), np.cumprod(q, dtype=np.uint32)]
    return _POWERS[0], _POWERS[1]


def shingle_hashes(joined: bytes, size: int) -> Any:
    """32-bit hashes of the word `size`-grams of `joined`: words separated by single spaces,
    UTF-8 (one shingle when there are fewer words). A shingle's hash is the polynomial hash of
    its bytes, so equal shingles hash equal wherever they occur; all shingles of a chunk come
    from a handful of array operations instead of a Python call per word."""
    import numpy as np

    data = np.frombuffer(joined, dtype=np.uint8)
    n = len(data)
    ppow, qpow = _powers(n)
    prefix = np.zeros(n + 1, dtype=np.uint32)
    np.cumsum(data * qpow[:n], dtype=np.uint32, out=prefix[1:])
    spaces = np.flatnonzero(data == 32)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [n]))
    size = min(size, len(starts))
    first = starts[: len(starts) - size + 1]
    last = ends[size - 1 :]
    # Repeated shingles stay in: the minimum does not change, and unique() costs more.
    return (prefix[last] - prefix[first]) * ppow[first]
