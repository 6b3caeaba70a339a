"""The detection engine: llmprep's detectors and Presidio over overlapping windows, NER batched.

One engine per distinct PII configuration per process (spaCy models are loaded once). Texts are
cut into windows of at most WINDOW characters that overlap by OVERLAP; each window owns the
findings that start in its core, so an entity on a cut is seen whole by the window that owns it,
spaCy's max_length is never reached and memory stays bounded by the window size. All windows of
a call go through `nlp.pipe` together.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .detect_names import refine_ner
from .document import one_decision_per_value
from .findings import CUE_SCORE, Finding, is_weak
from .lexicon import UPPER
from .nlp import (
    NerEntity,
    light_artifacts,
    ner_entities,
    ner_pipeline,
    presidio_nlp_engine,
    resolve_model,
)
from .recognizers import DEFAULT_ENTITIES, plain_detectors, presidio_gate, presidio_recognizers
from .resolve import AllowList, Known, resolve
from .structure import within_structure

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
    """Detects PII in texts for one PII configuration.

    llmprep's own detectors are plain functions and always run directly. Presidio holds the rest
    (validated ids, NER, deny-lists, custom regexes) and is imported only when needed: for NER,
    for configured deny-lists or regexes, or when a window contains something one of its pattern
    recognizers could match. A pre-commit check of a few notes then never loads spaCy.
    """

    def __init__(self, pii_config: Any) -> None:
        self.config = pii_config
        self.window, self.overlap = WINDOW, OVERLAP
        self.model = resolve_model(pii_config.ner_model)
        # NER for other languages, read directly (Presidio's registry here is English only).
        self.models_by_language: dict[str, str] = {}
        if pii_config.ner_model != "none":
            for lang, setting in pii_config.ner_models.items():
                found = resolve_model(setting, lang)
                if found:
                    self.models_by_language[lang] = found
        self.label = f"ner:{self.model}" if self.model else "patterns"
        if self.model is None and pii_config.ner_model == "auto":
            log.warning(
                "no spaCy English model installed: PII detection runs on patterns only "
                "(names, companies and places only where a cue gives them away); "
                "install llmprep[ner] for NER"
            )
        self.allow = AllowList(pii_config.allow_list, pii_config.allow_regex)
        wanted = list(pii_config.entities) or list(DEFAULT_ENTITIES)
        extra = [str(r["entity_type"]) for r in pii_config.recognizers] + list(pii_config.deny_list)
        self.entities = list(dict.fromkeys([*wanted, *extra]))
        self._wanted = set(self.entities)
        # One set of detectors for English text (NER + English cues), one per other language
        # (their own place cues), made on first use.
        self._plain: dict[str, list[Any]] = {}
        self._gate = presidio_gate()
        # Recognizers with no cheap gate: Presidio runs on every window of their language.
        configured = bool(pii_config.recognizers) or any(pii_config.deny_list.values())
        self._always = {True: configured, False: configured}
        self._analyzers: dict[bool, tuple[Any, list[str]]] = {}
        self._load_lock = threading.Lock()
        if self.ner:
            self.load()

    @property
    def ner(self) -> bool:
        return self.model is not None

    def load(self) -> None:
        """Import Presidio and load the NER model now rather than on first need (warm-up)."""
        for english in (True, False):
            self._analyzer(english)
        if self.model is not None:
            ner_pipeline(self.model)

    def _analyzer(self, english: bool) -> tuple[Any, list[str]]:
        """Presidio's analyzer for one language group, and the entity types it can find."""
        found = self._analyzers.get(english)
        if found is None:
            with self._load_lock:
                found = self._analyzers.get(english)
                if found is None:
                    found = self._analyzers[english] = self._build_analyzer(english)
        return found

    def _build_analyzer(self, english: bool) -> tuple[Any, list[str]]:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

        # NER runs in the engine itself (detect), so Presidio's registry holds no NER.
        recognizers = presidio_recognizers(
            self.config, with_ner=False, ner_detector=self.label, english=english
        )
        registry = _registry_class(RecognizerRegistry)(
            recognizers=recognizers, supported_languages=["en"]
        )
        analyzer = AnalyzerEngine(
            nlp_engine=presidio_nlp_engine(), registry=registry, supported_languages=["en"]
        )
        # Asking Presidio for a type no recognizer supports logs a warning per call.
        supported = {e for rec in registry.recognizers for e in rec.supported_entities}
        return analyzer, [e for e in self.entities if e in supported]

    def _needs_presidio(self, piece: str, english: bool) -> bool:
        return self._always[english] or self._gate.search(piece) is not None

    def prefetch(self, texts: Sequence[str], language: str | None = "en") -> None:
        """Run NER over short texts in one batch now; later `detect` calls on them hit the cache."""
        model = self.model if _is_english(language) else None
        model = model or self.models_by_language.get(_base_language(language))
        if model is not None:
            ner_entities(model, [t for t in texts if t.strip()])

    def detect(
        self, texts: Sequence[str], language: str | None = "en", known: Known | None = None
    ) -> list[list[Finding]]:
        """Resolved findings per text (offsets in that text); `known`: values found elsewhere."""
        english = _is_english(language)
        use_ner = self.ner and english
        plan: list[tuple[int, Window]] = []
        for i, text in enumerate(texts):
            plan.extend((i, w) for w in split_windows(text, self.window, self.overlap))
        found: list[list[Finding]] = [[] for _ in texts]
        for batch in _batches(plan):
            # Only one batch of windows (and its spaCy docs) is alive at a time: memory stays
            # bounded by BATCH_CHARS whatever the document's length.
            pieces = [texts[i][w.start : w.end] for i, w in batch]
            todo = [n for n, p in enumerate(pieces) if p.strip()]
            plain = {n: self._run_plain(pieces[n], language) for n in todo}
            # NER runs here, outside Presidio, in one batch per call, and only on pieces where
            # a name could still hide: a capitalized word no cue has already explained. Presidio
            # is asked only where one of its pattern recognizers could match (ids, cards, IBANs).
            model = self.model if use_ner else self.models_by_language.get(_base_language(language))
            label = self.label if use_ner else f"ner:{model}"
            views = {n: ner_view(pieces[n], plain[n]) for n in todo} if model else {}
            read = [n for n in todo if views.get(n) is not None]
            ents = (
                dict(zip(read, ner_entities(model, [views[n] or "" for n in read]), strict=True))
                if model and read
                else {}
            )
            for n in todo:
                i, w = batch[n]
                raw = plain[n]
                if ents.get(n):
                    spans = [
                        (e.start_char, e.end_char, e.label_)
                        for e in within_view(pieces[n], views[n] or "", ents[n])
                    ]
                    wanted = self._wanted
                    ner = [
                        f for f in refine_ner(pieces[n], spans, label) if f.entity_type in wanted
                    ]
                    raw = ner + raw
                if self._needs_presidio(pieces[n], english):
                    art = light_artifacts(pieces[n])
                    raw = self._run_presidio(pieces[n], art, english) + raw
                for f in _settle(raw, self.config.score_threshold):
                    start = w.start + f.start
                    if w.core_start <= start < w.core_end:  # the window that owns it reports it
                        found[i].append(
                            Finding(
                                start, w.start + f.end, f.entity_type, round(f.score, 3), f.detector
                            )
                        )
        return [finish(text, f, self.allow, known) for text, f in zip(texts, found, strict=True)]

    def _plain_for(self, language: str | None) -> list[Any]:
        key = "en" if _is_english(language) else _base_language(language)
        found = self._plain.get(key)
        if found is None:
            made = plain_detectors(english=key == "en", language=key)
            found = self._plain[key] = [d for d in made if self._wanted & set(d.entities)]
        return found

    def _run_plain(self, piece: str, language: str | None) -> list[Finding]:
        wanted = self._wanted
        return [
            f for d in self._plain_for(language) for f in d.find(piece) if f.entity_type in wanted
        ]

    def _run_presidio(self, piece: str, art: Any, english: bool) -> list[Finding]:
        # Presidio needs a registered language: every recognizer is registered as "en", and the
        # non-English analyzer holds only the ones that do not read English.
        analyzer, entities = self._analyzer(english)
        if not entities:  # an empty list would ask Presidio for every type it knows
            return []
        results = analyzer.analyze(
            piece,
            language="en",
            entities=entities,
            nlp_artifacts=art,
            score_threshold=self.config.score_threshold,
        )
        return [
            Finding(
                r.start,
                r.end,
                r.entity_type,
                float(r.score),
                (r.recognition_metadata or {}).get("recognizer_name") or "presidio",
            )
            for r in results
        ]

    def artifacts(
        self, pieces: list[str], use_ner: bool, views: list[str] | None = None
    ) -> list[Any]:
        """Presidio NlpArtifacts per text: regex tokens, and NER entities when `use_ner` (read
        from `views` when given: the pieces as the model should read them, same lengths)."""
        if not use_ner or self.model is None:
            return [light_artifacts(p) for p in pieces]
        read = views if views is not None else pieces
        entities = ner_entities(self.model, read)
        return [
            light_artifacts(p, within_view(p, v, e))
            for p, v, e in zip(pieces, read, entities, strict=True)
        ]


_REGISTRY: list[type] = []


def _registry_class(base: type) -> type:
    """Presidio's registry, remembering which recognizers serve a request.

    The engine asks for the same language and entity types on every call, and Presidio filters
    its recognizers afresh each time: a sixth of its time on a sentence. The answer is the same
    list in the same order until a recognizer is added or removed.
    """
    if not _REGISTRY:

        class Registry(base):
            def get_recognizers(
                self,
                language: str,
                entities: list[str] | None = None,
                all_fields: bool = False,
                ad_hoc_recognizers: list[Any] | None = None,
            ) -> list[Any]:
                if ad_hoc_recognizers:
                    return list(
                        super().get_recognizers(language, entities, all_fields, ad_hoc_recognizers)
                    )
                memo = self.__dict__.setdefault("_llmprep_memo", {})
                key = (language, None if entities is None else tuple(entities), all_fields)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = list(
                        super().get_recognizers(language, entities, all_fields)
                    )
                return list(found)

            def add_recognizer(self, recognizer: Any) -> None:
                self.__dict__.pop("_llmprep_memo", None)
                super().add_recognizer(recognizer)

            def remove_recognizer(self, *args: Any, **kwargs: Any) -> None:
                self.__dict__.pop("_llmprep_memo", None)
                super().remove_recognizer(*args, **kwargs)

        _REGISTRY.append(Registry)
    return _REGISTRY[0]


_CAPITALIZED = re.compile(r"(?<![\w'’])[" + UPPER + r"][\w'’\-]*")


_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[^\n]*?(?:[.!?](?=\s)|\n|$)")


def ner_view(text: str, found: list[Finding]) -> str | None:
    """The text as the model needs to read it, or None when it needs not read it at all.

    The model can add a name only in text written in one case (it is re-cased for it) or in a
    sentence with a capitalized word that is no function word, no common capitalized word and
    in no cue-backed finding that outscores the model (which would otherwise win a duplicate
    and change the outcome). Other sentences are blanked (same length: offsets hold), since the
    model's time grows with every token it reads.
    """
    from .lexicon import COMMON_CAPITALIZED, STOP_WORDS

    if not any(c.isupper() for c in text) or not any(c.islower() for c in text):
        return text if any(c.isalpha() for c in text) else None
    covered = [(f.start, f.end) for f in found if not is_weak(f) and f.score >= CUE_SCORE]
    keep: list[tuple[int, int]] = []
    for m in _CAPITALIZED.finditer(text):
        word = m.group(0)
        if word.lower() in STOP_WORDS or word in COMMON_CAPITALIZED or _DIGIT.search(word):
            continue
        if any(a <= m.start() and m.end() <= b for a, b in covered):
            continue
        if keep and m.end() <= keep[-1][1]:
            continue  # in a stretch kept already
        a, b = _context_around(text, m.start(), m.end())
        if keep and a <= keep[-1][1]:
            keep[-1] = (keep[-1][0], b)
        else:
            keep.append((a, b))
    if not keep:
        return None
    if len(keep) == 1 and keep[0] == (0, len(text)):
        return text
    out = [" " if ch != "\n" else ch for ch in text]
    for a, b in keep:
        out[a:b] = text[a:b]
    return "".join(out)


def within_view(text: str, view: str, entities: list[NerEntity]) -> list[NerEntity]:
    """The model's entities cut where they run into text the view blanked.

    Blanked stretches read as runs of spaces, and the model sometimes carries an entity over
    them into the next kept stretch ("Bitbucket can review ... Users of"): what it never read
    is no part of what it found.
    """
    if view is text or view == text:
        return entities
    out = []
    for e in entities:
        start, cut = e.start_char, e.start_char
        while cut < e.end_char and view[cut] == text[cut]:
            cut += 1
        while cut > start and not text[cut - 1].isalnum():
            cut -= 1
        if cut == e.end_char:
            out.append(e)
        elif cut > start:
            out.append(NerEntity(start, cut, e.label_))
    return out


# Words of context the model reads on each side of a word it has to judge: enough for the
# cues it learned ("Caller ... wants", "from ... to"), fewer tokens than whole sentences.
CONTEXT_WORDS = 5
_WORD_EDGE = re.compile(r"\S+")


def _context_around(text: str, start: int, end: int) -> tuple[int, int]:
    """CONTEXT_WORDS words each side of text[start:end], within its sentence and line."""
    s_start, s_end = _sentence_around(text, start)
    before = list(_WORD_EDGE.finditer(text, s_start, start))
    after = list(_WORD_EDGE.finditer(text, end, s_end))
    a = before[-CONTEXT_WORDS].start() if len(before) >= CONTEXT_WORDS else s_start
    b = after[CONTEXT_WORDS - 1].end() if len(after) >= CONTEXT_WORDS else s_end
    return a, b


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    start = at
    while start > 0:
        ch = text[start - 1]
        if ch == "\n" or (ch.isspace() and start >= 2 and text[start - 2] in ".!?"):
            break
        start -= 1
    m = _SENTENCE.match(text, at)
    end = m.end() if m else len(text)
    return start, end


def needs_ner(text: str, found: list[Finding]) -> bool:
    """Whether the model could add a name to `found` (see ner_view)."""
    return ner_view(text, found) is not None


def finish(
    text: str, findings: list[Finding], allow: AllowList | None, known: Known | None = None
) -> list[Finding]:
    """Raw findings of one text -> the spans to replace: cut to the text's structure, resolved
    (allow-list, overlaps, other mentions), and cut again (a merge may have joined pieces)."""
    spans = within_structure(text, resolve(text, within_structure(text, findings), allow, known))
    return one_decision_per_value(text, spans)


def _base_language(language: str | None) -> str:
    return (language or "").split("-")[0].lower()


def _is_english(language: str | None) -> bool:
    return _base_language(language) in _ENGLISH


def _settle(findings: list[Finding], threshold: float) -> list[Finding]:
    """Presidio's own last steps, over the union of both kinds of findings.

    Findings under the threshold go; so does one contained in another of its type with an equal
    or higher score, or identical to one before it (Presidio's `remove_duplicates`, which gives
    the same result whether it runs once on the union or also on a part first).
    """
    seen: set[tuple[int, int, str, float]] = set()
    unique = []
    for f in findings:
        key = (f.start, f.end, f.entity_type, f.score)
        if f.score >= threshold and f.score > 0 and key not in seen:
            seen.add(key)
            unique.append(f)
    unique.sort(key=lambda f: (f.entity_type, f.start, -(f.end - f.start), -f.score))
    kept: list[Finding] = []
    active: list[Finding] = []
    kind = None
    for f in unique:
        if f.entity_type != kind:
            kind, active = f.entity_type, []
        active = [a for a in active if a.end >= f.start]
        if any(a.start <= f.start and f.end <= a.end and f.score <= a.score for a in active):
            continue
        kept.append(f)
        active.append(f)
    kept.sort(key=lambda f: (-f.score, f.start, -(f.end - f.start)))
    return kept


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
