"""The detection engine: Presidio's AnalyzerEngine over overlapping windows, NER batched.

One engine per distinct PII configuration per process (spaCy models are loaded once). Texts are
cut into windows of at most WINDOW characters that overlap by OVERLAP; each window owns the
findings that start in its core, so an entity on a cut is seen whole by the window that owns it,
spaCy's max_length is never reached and memory stays bounded by the window size. All windows of
a call go through `nlp.pipe` together.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .findings import Finding
from .nlp import build_nlp_engine, light_artifacts, resolve_model
from .recognizers import DEFAULT_ENTITIES, build_recognizers
from .resolve import AllowList, Known, resolve

log = logging.getLogger("llmprep.pii")

WINDOW = 100_000
OVERLAP = 2_000
BATCH_CHARS = 100_000
BATCH_ITEMS = 256
# Languages read as English: English, and text whose language is not known.
_ENGLISH = {"en", "und", ""}


@dataclass(frozen=True, slots=True)
class Window:
    core_start: int
    core_end: int
    start: int
    end: int


def split_windows(text: str, size: int = WINDOW, overlap: int = OVERLAP) -> list[Window]:
    """Cores tile the text; each window adds `overlap` characters of context on both sides."""
    n = len(text)
    if n <= size:
        return [Window(0, n, 0, n)]
    step = size - 2 * overlap
    cores: list[tuple[int, int]] = []
    pos = 0
    while pos < n:
        cut = min(n, pos + step)
        if cut < n:
            cut = _soft_cut(text, pos + step // 2, cut)
        cores.append((pos, cut))
        pos = cut
    return [Window(a, b, max(0, a - overlap), min(n, b + overlap)) for a, b in cores]


def _soft_cut(text: str, lo: int, hi: int) -> int:
    """The last paragraph break, line break or space in [lo, hi), else hi."""
    for sep in ("\n\n", "\n", " "):
        at = text.rfind(sep, lo, hi)
        if at > lo:
            return at + len(sep)
    return hi


class PiiEngine:
    """Detects PII in texts for one PII configuration."""

    def __init__(self, pii_config: Any) -> None:
        self.config = pii_config
        self.window, self.overlap = WINDOW, OVERLAP
        self.model = resolve_model(pii_config.ner_model)
        self.label = f"ner:{self.model}" if self.model else "patterns"
        if self.model is None and pii_config.ner_model == "auto":
            log.warning(
                "no spaCy English model installed: PII detection runs on patterns only "
                "(names, companies and places only where a cue gives them away); "
                "install llmprep[ner] for NER"
            )
        self.nlp_engine = build_nlp_engine(self.model)
        self.allow = AllowList(pii_config.allow_list, pii_config.allow_regex)
        wanted = list(pii_config.entities) or list(DEFAULT_ENTITIES)
        extra = [str(r["entity_type"]) for r in pii_config.recognizers] + list(pii_config.deny_list)
        self.entities = list(dict.fromkeys([*wanted, *extra]))
        # One analyzer for English text (NER + English cues), one for every other language.
        self._analyzers = {english: self._build_analyzer(english) for english in (True, False)}
        # Asking Presidio for a type no recognizer supports logs a warning per call.
        self._entities: dict[bool, list[str]] = {}
        for english, analyzer in self._analyzers.items():
            supported = {e for rec in analyzer.registry.recognizers for e in rec.supported_entities}
            self._entities[english] = [e for e in self.entities if e in supported]

    @property
    def ner(self) -> bool:
        return self.model is not None

    def _build_analyzer(self, english: bool) -> Any:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

        recognizers = build_recognizers(
            self.config, with_ner=self.ner, ner_detector=self.label, english=english
        )
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
        return AnalyzerEngine(
            nlp_engine=self.nlp_engine, registry=registry, supported_languages=["en"]
        )

    def detect(
        self, texts: Sequence[str], language: str | None = "en", known: Known | None = None
    ) -> list[list[Finding]]:
        """Resolved findings per text (offsets in that text); `known`: values found elsewhere."""
        english = (language or "").split("-")[0].lower() in _ENGLISH
        use_ner = self.ner and english
        plan: list[tuple[int, Window]] = []
        for i, text in enumerate(texts):
            plan.extend((i, w) for w in split_windows(text, self.window, self.overlap))
        found: list[list[Finding]] = [[] for _ in texts]
        for batch in _batches(plan):
            # Only one batch of windows (and its spaCy docs) is alive at a time: memory stays
            # bounded by BATCH_CHARS whatever the document's length.
            pieces = [texts[i][w.start : w.end] for i, w in batch]
            artifacts = self._artifacts(pieces, use_ner)
            for (i, w), piece, art in zip(batch, pieces, artifacts, strict=True):
                if piece.strip():
                    found[i].extend(self._analyze(piece, w, art, english))
        return [resolve(text, f, self.allow, known) for text, f in zip(texts, found, strict=True)]

    def _analyze(self, piece: str, w: Window, art: Any, english: bool) -> list[Finding]:
        # Presidio needs a registered language: every recognizer is registered as "en", and the
        # non-English analyzer holds only the ones that do not read English.
        results = self._analyzers[english].analyze(
            piece,
            language="en",
            entities=self._entities[english],
            nlp_artifacts=art,
            score_threshold=self.config.score_threshold,
        )
        out = []
        for r in results:
            start = w.start + r.start
            if not (w.core_start <= start < w.core_end):
                continue  # the window that owns this start reports it
            detector = (r.recognition_metadata or {}).get("recognizer_name") or "presidio"
            out.append(
                Finding(start, w.start + r.end, r.entity_type, round(float(r.score), 3), detector)
            )
        return out

    def _artifacts(self, pieces: list[str], use_ner: bool) -> list[Any]:
        if not use_ner:
            return [light_artifacts(p) for p in pieces]
        out: list[Any] = [None] * len(pieces)
        todo = [n for n, p in enumerate(pieces) if p.strip()]
        batch = self.nlp_engine.process_batch([pieces[n] for n in todo], "en", batch_size=128)
        for n, (_, art) in zip(todo, batch, strict=True):
            out[n] = art
        for n, art in enumerate(out):
            if art is None:
                out[n] = light_artifacts(pieces[n])
        return out


def _batches(plan: list[tuple[int, Window]]) -> list[list[tuple[int, Window]]]:
    out: list[list[tuple[int, Window]]] = [[]]
    size = 0
    for item in plan:
        length = item[1].end - item[1].start
        if out[-1] and (size + length > BATCH_CHARS or len(out[-1]) >= BATCH_ITEMS):
            out.append([])
            size = 0
        out[-1].append(item)
        size += length
    return out


_ENGINES: dict[str, PiiEngine] = {}
_LOCK = threading.Lock()


def get_engine(pii_config: Any) -> PiiEngine:
    """The engine for this configuration, built once per process."""
    key = pii_config.model_dump_json(exclude={"operators", "default_operator"})
    engine = _ENGINES.get(key)
    if engine is None:
        with _LOCK:
            engine = _ENGINES.get(key)
            if engine is None:
                engine = _ENGINES[key] = PiiEngine(pii_config)
    return engine
