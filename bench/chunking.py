"""Chunking speed on a 10 MB text document, against tiktoken encoding the same text, one run.

    .venv/bin/python bench/chunking.py [--mb 10] [--repeat 3] [--corpus DIR]

The document is made here: real English sentences from the corpus (`lang/en.txt`; synthetic
words without it) in paragraphs under three heading levels, parsed with the text loader's
Markdown reader. Timed: `ChunkStage.chunk` + building the records (parsing is not). The anchor
is one `encode_ordinary` of the whole text with the same tokenizer, the least any exact chunker
must spend; the target is under 3 s on one core (the process is pinned to one CPU). Best of N,
measured alternately so the machine's load hits both sides alike; wall and CPU seconds are both
shown (on a shared machine, CPU seconds are the one-core cost; ratios use CPU). `passes` is the
characters handed to the tokenizer over the document's length (1.00 = one encode), which load
cannot blur.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(os.environ.get("LLMPREP_CORPUS", ROOT.parent / "shared" / "corpus"))


def make_markdown(mb: float, corpus: Path, seed: int = 0) -> str:
    rng = random.Random(seed)
    en = corpus / "lang" / "en.txt"
    if en.is_file():
        sentences = [s for s in en.read_text(encoding="utf-8").splitlines() if s.strip()]
    else:
        words = [
            "".join(rng.choice("etaoinshrdlu") for _ in range(rng.randint(2, 9)))
            for _ in range(3000)
        ]
        sentences = [
            " ".join(rng.choices(words, k=rng.randint(6, 25))).capitalize() + "."
            for _ in range(500)
        ]
    out: list[str] = []
    size = 0
    limit = int(mb * 1_000_000)
    h1 = h2 = 0
    while size < limit:
        roll = rng.random()
        if roll < 0.01:
            h1 += 1
            block = f"# Part {h1}"
        elif roll < 0.04:
            h2 += 1
            block = f"## Chapter {h1}.{h2}"
        elif roll < 0.10:
            block = f"### Section {h1}.{h2}.{rng.randint(1, 9)}"
        else:
            block = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 9)))
        out.append(block)
        size += len(block) + 2
    return "\n\n".join(out)


def timed(fn: Callable[[], object], wall: list[float], cpu: list[float]) -> None:
    """Wall and CPU seconds of one call: on a shared machine CPU time shows the one-core cost."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    wall.append(time.perf_counter() - w0)
    cpu.append(time.process_time() - c0)


class CountingTokenizer:
    """Counts the characters handed to the tokenizer: a load-independent cost measure."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[attr-defined]
        self.chars = 0

    def count(self, text: str) -> int:
        self.chars += len(text)
        return self.inner.count(text)  # type: ignore[attr-defined]

    def encode(self, text: str) -> object:
        self.chars += len(text)
        return self.inner.encode(text)  # type: ignore[attr-defined]


def tokenizer_passes(stage: object, doc: object, cfg: object) -> float:
    """Characters encoded while chunking, over the document's length (1.0 = one encode)."""
    from llmprep.stages.base import DocWork

    counting = CountingTokenizer(stage.tokenizer)  # type: ignore[attr-defined]
    stage._tok = counting  # type: ignore[attr-defined]
    try:
        stage(DocWork(document=doc, rel_path="bench.md", config=cfg, config_hash=cfg.hash()))  # type: ignore[operator, arg-type, attr-defined]
    finally:
        stage._tok = counting.inner  # type: ignore[attr-defined]
    return counting.chars / max(1, len(doc.text))  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    from llmprep.config import Config
    from llmprep.ids import doc_id
    from llmprep.loaders.structure import assign_heading_paths
    from llmprep.loaders.text import parse_markdown
    from llmprep.models import Document, LoaderInfo, Source
    from llmprep.stages.base import DocWork
    from llmprep.stages.chunk.stage import ChunkStage
    from llmprep.tokenizers import get_tokenizer

    text = make_markdown(args.mb, args.corpus)
    elements = assign_heading_paths(parse_markdown(text))
    source = Source(
        path="bench.md",
        sha256="0" * 64,
        size=len(text),
        media_type="text/markdown",
        loader=LoaderInfo(name="text", version="1"),
    )
    doc = Document(id=doc_id("0" * 64), source=source, elements=elements)
    print(f"document: {len(text) / 1e6:.1f} MB, {len(elements)} elements")

    tok = get_tokenizer("cl100k_base")
    joined = doc.text
    variants = {
        "overlap 0": Config(),
        "overlap 64": Config().with_overrides(chunk_overlap_tokens=64),
        "max 128": Config().with_overrides(chunk_max_tokens=128, chunk_target_tokens=100),
    }
    stages = {name: ChunkStage(cfg) for name, cfg in variants.items()}
    for stage in stages.values():
        _ = stage.tokenizer  # loading the BPE file is not chunking
    anchor: tuple[list[float], list[float]] = ([], [])
    timings: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in variants}
    results: dict[str, DocWork] = {}
    for _ in range(args.repeat):
        timed(lambda: tok.encode(joined), *anchor)
        for name, cfg in variants.items():
            work = DocWork(document=doc, rel_path="bench.md", config=cfg, config_hash=cfg.hash())
            timed(lambda w=work, s=stages[name]: s(w), *timings[name])
            results[name] = work
    passes = {name: tokenizer_passes(stages[name], doc, cfg) for name, cfg in variants.items()}
    a_wall, a_cpu = min(anchor[0]), min(anchor[1])
    print(
        f"tokenizer: {tok.name}; anchor = one encode of the whole text: {a_wall:.2f} s wall, {a_cpu:.2f} s CPU"
    )
    print(
        f"{'variant':<12} {'wall s':>7} {'CPU s':>6} {'x anchor':>9} {'passes':>7} {'MB/s':>6}"
        f" {'chunks':>7} {'mean tok':>9} {'max tok':>8}  CPU < 3 s"
    )
    for name, (wall, cpu) in timings.items():
        w, c = min(wall), min(cpu)
        recs = results[name].records
        mean = sum(r.tokens for r in recs) / max(1, len(recs))
        worst = max(r.tokens for r in recs)
        ok = "ok" if c < 3 and worst <= variants[name].chunk.max_tokens else "MISSED"
        print(
            f"{name:<12} {w:>7.2f} {c:>6.2f} {c / a_cpu:>9.2f} {passes[name]:>7.2f}"
            f" {len(text) / 1e6 / c:>6.1f} {len(recs):>7} {mean:>9.0f} {worst:>8}  {ok}"
        )


if __name__ == "__main__":
    main()
