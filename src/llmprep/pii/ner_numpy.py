"""spaCy's small CNN entity recognizer, run in numpy.

Why: on a sentence or two, spaCy spends most of NER's time around the model, not in it. Its
greedy parser re-acquires the GIL for every action on every token, and thinc walks the whole
layer tree for every call; the arithmetic itself (four hash embeddings, five maxout layers, one
precomputed affine layer and one linear layer) is a few small matrix products. Run here, the
same weights give the same entities in well under half the time (BENCHMARKS.md, PII speed).

What is covered: a NER component whose model is spaCy's `TransitionBasedParser` over a
`HashEmbedCNN` tok2vec (spaCy's `*_sm` pipelines), greedy decoding (beam width 1), on fresh
docs (no preset entities). `NumpyNer.from_pipeline` returns None for anything else, and
`nlp.ner_pipeline` keeps spaCy's own path unless both give the same entities on probe
sentences. Float sums run in another order than spaCy's BLAS, so a token whose two best moves
tie to the last bits may be decided the other way (tests/test_ner_numpy.py measures agreement).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# spaCy's HashEmbedCNN tok2vec, as thinc names the layer tree (any number of hash embeddings
# and residual blocks; no static vectors, no character embedding).
_HASH_EMBED_CNN = re.compile(
    r"extract_features>>list2ragged>>with_array\(ints-getitem>>hashembed(\|ints-getitem>>hashembed)*\)"
    r">>with_array\(maxout>>layernorm>>dropout\)>>ragged2list"
    r">>with_array\(residual\(expand_window>>maxout>>layernorm>>dropout\)"
    r"(>>residual\(expand_window>>maxout>>layernorm>>dropout\))*\)>>list2array>>linear"
)
# Docs are run through tok2vec together up to this many tokens: one product per layer for many
# short docs, and a bounded working set (~30 MB at the peak, measured with tracemalloc on 256
# segments of 540 characters; spaCy's `pipe` peaked at ~130 MB on the same batch).
TOKENS_PER_PASS = 4096
# Attributes read per token besides the embedding columns (spacy.attrs ids, looked up at load).
_SPACE_AND_SENT = ("IS_SPACE", "SENT_START")


def _first(model: Any, name: str) -> Any:
    return next(node for node in model.walk() if node.name == name)


def _max_of_pieces(Y: np.ndarray) -> np.ndarray:
    """Maxout over axis -2 (pieces). Elementwise maxima of contiguous blocks: numpy's `max`
    over a short inner axis costs ~10x more on a sentence's worth of rows."""
    best = Y[..., 0, :].copy()
    for piece in range(1, Y.shape[-2]):
        np.maximum(best, Y[..., piece, :], out=best)
    return best


@dataclass(frozen=True)
class _MaxoutNorm:
    """maxout >> layernorm: weights laid out for one contiguous product."""

    weight_t: np.ndarray  # (nI, nO * nP)
    bias: np.ndarray  # (nO * nP,)
    n_out: int
    n_pieces: int
    gain: np.ndarray
    shift: np.ndarray

    @classmethod
    def of(cls, block: Any) -> _MaxoutNorm:
        maxout, norm = _first(block, "maxout"), _first(block, "layernorm")
        n_out, n_pieces, n_in = (maxout.get_dim(d) for d in ("nO", "nP", "nI"))
        # Pieces first: each piece's outputs are a contiguous block (see `_max_of_pieces`).
        weight = maxout.get_param("W").transpose(1, 0, 2).reshape(n_pieces * n_out, n_in)
        return cls(
            np.ascontiguousarray(weight.T),
            maxout.get_param("b").T.reshape(n_pieces * n_out),
            n_out,
            n_pieces,
            norm.get_param("G"),
            norm.get_param("b"),
        )

    def __call__(self, X: np.ndarray) -> np.ndarray:
        Y = np.dot(X, self.weight_t)
        Y += self.bias
        best = _max_of_pieces(Y.reshape(len(X), self.n_pieces, self.n_out))
        # thinc's LayerNorm: (X - mean) / sqrt(var + 1e-8) * G + b
        mean = best.mean(axis=1, keepdims=True)
        var = best.var(axis=1, keepdims=True) + 1e-08
        Z = (best - mean) * var ** (-1.0 / 2.0) * self.gain
        Z += self.shift
        return Z


class NumpyNer:
    """Entities of spaCy docs from a NER component's weights (see the module docstring)."""

    def __init__(self, ner: Any) -> None:
        from spacy import attrs

        model = ner.model
        tok2vec, lower, upper = model.layers
        encode = tok2vec.layers[0]
        embed, blocks = encode.layers
        extract, _, hashed, reduce, _ = embed.layers
        self.ops = tok2vec.ops
        self.columns = [*extract.attrs["columns"], *(getattr(attrs, a) for a in _SPACE_AND_SENT)]
        self.n_columns = len(extract.attrs["columns"])
        # Several embeddings are concatenated; a single one stands alone.
        pairs = hashed.layers[0]
        pairs = [pairs] if pairs.name == "ints-getitem>>hashembed" else pairs.layers
        self.embeddings = [
            (pair.layers[0].attrs["index"], pair.layers[1].get_param("E"), pair.layers[1].attrs)
            for pair in pairs
        ]
        self.reduce = _MaxoutNorm.of(reduce)
        self.pad = blocks.attrs["pad"]
        residuals = blocks.layers[0].layers
        self.windows = [_first(r, "expand_window").attrs["window_size"] for r in residuals]
        self.residuals = [_MaxoutNorm.of(r) for r in residuals]
        linear = tok2vec.layers[-1]
        self.out_t, self.out_b = (
            np.ascontiguousarray(linear.get_param("W").T),
            linear.get_param("b"),
        )
        # The parser's lower layer, precomputed per token: features x hidden x pieces.
        self.n_feats, self.n_hidden, self.n_pieces = (lower.get_dim(d) for d in ("nF", "nO", "nP"))
        # Laid out features x pieces x hidden, so the maxout takes contiguous blocks.
        weight = lower.get_param("W").transpose(0, 2, 1, 3)
        self.lower_t = np.ascontiguousarray(weight.reshape(-1, weight.shape[-1]).T)
        self.lower_pad = lower.get_param("pad")[0].transpose(0, 2, 1).reshape(self.n_feats, -1)
        self.lower_b = lower.get_param("b").T.reshape(-1)
        self.upper_w, self.upper_b = upper.get_param("W"), upper.get_param("b")
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self.kinds = np.array([n[0] for n in names])
        self.labels = [n[2:] for n in names]
        labelled = np.array([bool(label) for label in self.labels])
        self.is_out = self.kinds == "O"
        self.is_unit = (self.kinds == "U") & labelled
        self.is_begin = (self.kinds == "B") & labelled
        self.move_of = {(n[0], n[2:]): i for i, n in enumerate(names)}

    @classmethod
    def from_pipeline(cls, nlp: Any) -> NumpyNer | None:
        """A NumpyNer for the pipeline's NER, or None where its architecture is another."""
        try:
            if nlp.pipe_names != ["ner"]:
                return None
            ner = nlp.get_pipe("ner")
            model = ner.model
            if (
                type(ner.moves).__name__ != "BiluoPushDown"
                or ner.cfg.get("beam_width", 1) != 1
                or model.name != "parser_model"
                or [layer.name for layer in model.layers[1:]] != ["precomputable_affine", "linear"]
                or not model.attrs.get("has_upper")
                or model.attrs.get("unseen_classes")
                or _HASH_EMBED_CNN.fullmatch(model.layers[0].name) is None
                or model.layers[1].get_dim("nF") != 3
                or model.layers[2].get_dim("nO") != ner.moves.n_moves
            ):
                return None
            return cls(ner)
        except Exception:  # a model laid out otherwise than expected: spaCy's own path
            return None

    def __call__(self, docs: Sequence[Any]) -> list[list[tuple[int, int, str]]]:
        """(start_char, end_char, label) of each doc's entities."""
        out: list[list[tuple[int, int, str]]] = []
        group: list[Any] = []
        tokens = 0
        for doc in docs:
            if group and tokens + len(doc) > TOKENS_PER_PASS:
                out.extend(self._entities(group))
                group, tokens = [], 0
            group.append(doc)
            tokens += len(doc)
        out.extend(self._entities(group))
        return out

    def _entities(self, docs: list[Any]) -> list[list[tuple[int, int, str]]]:
        with_tokens = [doc for doc in docs if len(doc)]
        if not with_tokens:
            return [[] for _ in docs]
        columns = [doc.to_array(self.columns) for doc in with_tokens]
        vectors = self._tok2vec(columns)
        found: dict[int, list[tuple[int, int, str]]] = {}
        start = 0
        for doc, cols in zip(with_tokens, columns, strict=True):
            n = len(doc)
            spans = self._decode(vectors[start : start + n], cols[:, self.n_columns :])
            start += n
            found[id(doc)] = [
                (doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), label) for s, e, label in spans
            ]
        return [found.get(id(doc), []) for doc in docs]

    def _tok2vec(self, columns: list[np.ndarray]) -> np.ndarray:
        """Token vectors of all docs, stacked (thinc's HashEmbedCNN forward, no dropout)."""
        ops = self.ops
        feats = np.concatenate([c[:, : self.n_columns] for c in columns])
        parts = []
        for index, table, embed_attrs in self.embeddings:
            ids = feats[index]
            if ids.ndim >= 2:
                ids = ids[:, embed_attrs["column"]]
            keys = ops.hash(np.ascontiguousarray(ids, dtype="uint64"), embed_attrs["seed"])
            parts.append(ops.gather_add(table, keys % table.shape[0]))
        X = self.reduce(np.hstack(parts))
        lengths = [len(c) for c in columns]
        # Docs are padded apart so the convolutions never see across documents.
        bounds = np.cumsum([0, *lengths])
        Xf = ops.flatten([X[a:b] for a, b in itertools.pairwise(bounds)], pad=self.pad)
        for window, block in zip(self.windows, self.residuals, strict=True):
            Xf = Xf + block(ops.seq2col(Xf, window))
        Y = np.concatenate(ops.unflatten(Xf, ops.asarray1i(lengths), pad=self.pad))
        out = np.dot(Y, self.out_t)
        out += self.out_b
        return out

    def _hidden(self, pre: np.ndarray) -> np.ndarray:
        pre += self.lower_b
        return _max_of_pieces(pre.reshape(*pre.shape[:-1], self.n_pieces, self.n_hidden))

    def _decode(self, vectors: np.ndarray, flags: np.ndarray) -> list[tuple[int, int, str]]:
        """Greedy BILUO decoding, as spaCy's parser does it on a doc without preset entities.

        The state's features are (next token, entity start, token before the next) with -1 when
        absent: with no entity open they are (t, -1, -1), so the best move of every closed state
        is computed for all tokens at once; only tokens inside an entity are stepped one by one.
        """
        n = len(vectors)
        # Row 0 is the padding a missing token reads; token t is row t + 1.
        cached = np.empty((n + 1, self.n_feats, self.n_hidden * self.n_pieces), vectors.dtype)
        cached[0] = self.lower_pad
        cached[1:] = np.dot(vectors, self.lower_t).reshape(n, self.n_feats, -1)
        is_space = flags[:, 0] != 0
        # An entity may not run into a token that starts a sentence.
        can_continue = np.zeros(n, dtype=bool)
        can_continue[:-1] = flags[1:, 1] != 1
        # Summed in spaCy's order (feature 0, 1, 2, then the bias): the same floats.
        pre = cached[1:, 0] + self.lower_pad[1]
        pre += self.lower_pad[2]
        scores = self._hidden(pre) @ self.upper_w.T + self.upper_b
        valid = (
            self.is_out
            | (self.is_unit & ~is_space[:, None])
            | (self.is_begin & (~is_space & can_continue)[:, None])
        )
        best = np.where(valid, scores, -np.inf).argmax(axis=1).tolist()
        spans: list[tuple[int, int, str]] = []
        t = 0
        while t < n:
            move = best[t]
            kind, label = self.kinds[move], self.labels[move]
            if kind == "U":
                spans.append((t, t + 1, label))
            if kind != "B":
                t += 1
                continue
            begin = t
            inside, last = self.move_of["I", label], self.move_of["L", label]
            t += 1
            while True:
                ends = True
                if t < n - 1 and can_continue[t]:
                    pre = cached[t + 1, 0] + cached[begin + 1, 1]
                    pre += cached[t, 2]
                    hidden = self._hidden(pre)
                    two = self.upper_w[[inside, last]] @ hidden + self.upper_b[[inside, last]]
                    # Ties go to the move listed first, as spaCy's arg-max does.
                    ends = bool(two[1] > two[0]) if inside < last else bool(two[1] >= two[0])
                t += 1
                if ends:
                    spans.append((begin, t, label))
                    break
        return spans
