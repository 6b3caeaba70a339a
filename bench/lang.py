"""Language identification: llmprep against langdetect and lingua, side by side, in one run.

    .venv/bin/python bench/lang.py [--corpus ../shared/corpus/lang] [--speed-texts 1500]

Data: one sentence per line, files named by ISO 639-1 code. Scored, as the issue asks, as the
mean over languages of per-language accuracy, over the languages langdetect supports, on
  sentences    every line;
  two words    the first two words of every line;
  mid pairs    two consecutive words from the middle of every line (extra, for reference);
  pairs 5+     the first two words of 5+ letters, lower-cased, without digits or punctuation:
               the shape of lingua's own word-pair test set (for reference; lines without two
               such words are left out).
Anchors: langdetect, and lingua twice: over all its 75 languages, and over the evaluated
languages only. The issue quotes lingua 0.910 / langdetect 0.811 on "word pairs"; those are
lingua's published word-pair accuracies (its own word-pair test set, averaged over these
languages: 0.911 / 0.817), not first-two-words-of-a-sentence texts, which are harder (sentence
starts are often names, numbers or page furniture); no setting of lingua reaches 0.91 here.
llmprep also runs with `candidates=` the evaluated languages (a real option of
lang_detect.detect; LanguageConfig.languages in the pipeline), labelled as such.
Speed: sentence-length texts per second on one core (best of --repeats rounds that interleave the
detectors; llmprep's word cache emptied first, so having seen the words does not help it), with
the ratio to each anchor.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "lang"


def langdetect_codes() -> set[str]:
    import langdetect

    folder = Path(langdetect.__file__).parent / "profiles"
    return {name.split("-")[0] for name in os.listdir(folder)}


def load(corpus: Path) -> dict[str, list[str]]:
    codes = langdetect_codes()
    data = {}
    for path in sorted(corpus.glob("*.txt")):
        if path.stem in codes:
            data[path.stem] = [
                s for s in path.read_text(encoding="utf-8").splitlines() if s.strip()
            ]
    return data


def lingua_style_pair(sentence: str) -> str | None:
    from llmprep.stages.language.words import WORD

    words = [w.lower() for w in WORD.findall(sentence) if len(w) >= 5]
    return " ".join(words[:2]) if len(words) >= 2 else None


def mid_pair(sentence: str) -> str:
    words = sentence.split()
    i = max(0, len(words) // 2 - 1)
    return " ".join(words[i : i + 2])


def accuracy(detect: Callable[[str], str], sets: dict[str, list[str]]) -> float:
    per_lang = [sum(detect(t) == code for t in texts) / len(texts) for code, texts in sets.items()]
    return sum(per_lang) / len(per_lang)


def speed(
    detect: Callable[[str], str], texts: list[str], repeats: int, reset: Callable[[], None]
) -> float:
    best = 0.0
    for _ in range(repeats):
        reset()
        start = time.perf_counter()
        for t in texts:
            detect(t)
        best = max(best, len(texts) / (time.perf_counter() - start))
    return best


def detectors(codes: list[str]) -> dict[str, tuple[Callable[[str], str], Callable[[], None]]]:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    from llmprep.stages.language.detect import detect as llm_detect
    from llmprep.stages.language.ngrams import ngram_model

    DetectorFactory.seed = 0

    def run_langdetect(text: str) -> str:
        try:
            return detect(text).split("-")[0]
        except LangDetectException:
            return "und"

    print("loading lingua (all languages, preloaded, high accuracy)...", file=sys.stderr)
    lingua_all = (
        LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
    )
    # Same models (lingua shares them between detectors), candidates limited to the evaluated
    # languages: the fair comparison with llmprep restricted the same way.
    isos = [getattr(IsoCode639_1, c.upper()) for c in codes]
    lingua_eval = LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()

    def lingua_runner(detector: Any) -> Callable[[str], str]:
        def run(text: str) -> str:
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else "und"

        return run

    def reset_llmprep() -> None:
        ngram_model().word_rows.clear()

    def nothing() -> None:
        return None

    return {
        "llmprep": (lambda t: llm_detect(t).code, reset_llmprep),
        "llmprep (no lingua)": (lambda t: llm_detect(t, use_lingua=False).code, reset_llmprep),
        "llmprep (candidates)": (lambda t: llm_detect(t, candidates=codes).code, reset_llmprep),
        "langdetect": (run_langdetect, nothing),
        "lingua (all 75)": (lingua_runner(lingua_all), nothing),
        "lingua (candidates)": (lingua_runner(lingua_eval), nothing),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--speed-texts", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    data = load(args.corpus)
    sets = {
        "sentences": data,
        "two words": {c: [" ".join(s.split()[:2]) for s in ss] for c, ss in data.items()},
        "mid pairs": {c: [mid_pair(s) for s in ss] for c, ss in data.items()},
        "pairs 5+": {c: [p for s in ss if (p := lingua_style_pair(s))] for c, ss in data.items()},
    }
    # Every language's sentences interleaved, so the timed slice is not one language's.
    pool = [s for group in zip(*data.values(), strict=False) for s in group]
    timed = pool[: args.speed_texts]
    found = detectors(sorted(data))
    for _, (det, _) in found.items():  # warm up: models load outside the timed runs
        det("warm up the models before timing")
    accuracies = {
        name: {label: accuracy(det, texts) for label, texts in sets.items()}
        for name, (det, _) in found.items()
    }
    # Timed rounds interleave the detectors, so a change in machine load hits them alike.
    rates = dict.fromkeys(found, 0.0)
    for _ in range(args.repeats):
        for name, (det, reset) in found.items():
            rates[name] = max(rates[name], speed(det, timed, 1, reset))
    rows = {name: (accuracies[name], rates[name]) for name in found}
    print(
        f"languages: {len(data)} (langdetect's, in {args.corpus}); speed on {len(timed)} sentences, one core"
    )
    print(
        f"{'detector':22} {'sentences':>9} {'two words':>9} {'mid pairs':>9} {'pairs 5+':>9} {'texts/s':>8}  vs langdetect  vs lingua"
    )
    anchor_ld, anchor_li = rows["langdetect"][1], rows["lingua (all 75)"][1]
    for name, (scores, rate) in rows.items():
        print(
            f"{name:22} {scores['sentences']:9.4f} {scores['two words']:9.4f} {scores['mid pairs']:9.4f}"
            f" {scores['pairs 5+']:9.4f}"
            f" {rate:8.0f}  {rate / anchor_ld:12.2f}x {rate / anchor_li:8.2f}x"
        )
    print(
        '"(candidates)": answers limited to the evaluated languages. The issue\'s lingua 0.910 / '
        "langdetect 0.811 on word pairs are lingua's published figures on its own word-pair set "
        "(0.911 / 0.817 averaged over these languages), not measurable on sentence starts."
    )
    ours = rows["llmprep"]
    print(
        "goals: sentences >= 0.99: {}; two words >= 0.92: {}; texts/s >= 1000 (here {:.0f}; "
        "issue anchors langdetect ~510/s, lingua ~690/s, so ~{:.0f}/s at the issue's machine speed)".format(
            "met" if ours[0]["sentences"] >= 0.99 else "NOT met",
            "met" if ours[0]["two words"] >= 0.92 else "NOT met",
            ours[1],
            ours[1] / anchor_ld * 510,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
