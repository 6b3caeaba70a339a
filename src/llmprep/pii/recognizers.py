"""The Presidio recognizer registry llmprep runs: Presidio's validated ones plus llmprep's own.

Presidio's recognizers with validators (Luhn for cards, mod-97 for IBAN, checksums for national
ids) are used as they are. Ids whose checksum passes for one random number in ten (NHS, PESEL,
Aadhaar...) must also have a cue word nearby, so order numbers and log lines stay readable.
llmprep's heuristics (addresses, names, phones...) are plain functions wrapped as recognizers;
config adds deny-lists and regex recognizers the same way Presidio users add theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .findings import Finding

# Entity types detected when `pii.entities` is empty.
DEFAULT_ENTITIES = (
    "PERSON",
    "ORGANIZATION",
    "LOCATION",
    "NRP",
    "ADDRESS",
    "POSTAL_CODE",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "US_DRIVER_LICENSE",
    "UK_NINO",
    "UK_NHS",
    "ES_NIF",
    "ES_NIE",
    "IT_FISCAL_CODE",
    "FI_PERSONAL_IDENTITY_CODE",
    "SE_PERSONNUMMER",
    "PL_PESEL",
    "IN_AADHAAR",
    "AU_TFN",
    "DE_TAX_ID",
    "CA_SIN",
)
# Types that only a language model finds well; off without one.
NER_ENTITIES = ("PERSON", "ORGANIZATION", "LOCATION", "NRP")

# Recognizer -> a cheap regex that any of its matches must contain (its patterns match
# case-insensitively): most texts have none, and one C-level scan is much cheaper than the
# recognizer's own patterns and bookkeeping. Together they decide whether Presidio loads at all.
_VALIDATED = {
    "CreditCardRecognizer": r"\d{4}[- ]?\d{3,4}[- ]?\d{3,4}[- ]?\d{3,5}",
    "IbanRecognizer": r"[A-Za-z]{2}\d{2}[ -]?[A-Za-z0-9]{4}[ -]?[A-Za-z0-9]{4}",
    # IPv6 has eight groups (seven colons) or "::"; a clock time ("12:30:45") has neither.
    "IpRecognizer": r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|::|(?:[0-9A-Fa-f]{1,4}:){6}",
    "UsSsnRecognizer": r"\d{3}[- .]?\d{2}[- .]?\d{4}|\d{5}-\d{4}|\d{3}-\d{6}",
    "UkNinoRecognizer": r"[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]",
    "EsNifRecognizer": r"\d{7}-?[A-Za-z]",
    "EsNieRecognizer": r"[XYZxyz]-?\d{7}",
    "ItFiscalCodeRecognizer": r"[A-Za-z]{6}\d{2}",
    "FiPersonalIdentityCodeRecognizer": r"\d{6}[-+A-Fa-fUVWXYuvwxy]\d{3}",
    "SePersonnummerRecognizer": r"\d{6}[-+]?\d{4}",
}
# Checksums too weak alone: need a cue word within the 48 characters before.
_CUED = {
    "NhsRecognizer": ("nhs", "health service", "patient"),
    "PlPeselRecognizer": ("pesel",),
    "InAadhaarRecognizer": ("aadhaar", "aadhar", "uidai"),
    "AuTfnRecognizer": ("tfn", "tax file"),
    "DeTaxIdRecognizer": ("steuer", "steuerid", "tax id", "idnr", "identifikationsnummer"),
    "CaSinRecognizer": ("sin", "social insurance"),
}


def _result(finding: Finding, recognizer_id: str) -> Any:
    from presidio_analyzer import RecognizerResult

    return RecognizerResult(
        finding.entity_type,
        finding.start,
        finding.end,
        finding.score,
        recognition_metadata={
            "recognizer_name": finding.detector,
            "recognizer_identifier": recognizer_id,
        },
    )


def _base() -> Any:
    from presidio_analyzer import EntityRecognizer

    return EntityRecognizer


def function_recognizer(name: str, entities: list[str], fn: Callable[[str], list[Finding]]) -> Any:
    """A Presidio recognizer around a plain `text -> findings` function."""

    class FunctionRecognizer(_base()):  # type: ignore[misc]
        def load(self) -> None:
            pass

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            wanted = set(entities)
            return [_result(f, self.id) for f in fn(text) if f.entity_type in wanted]

    return FunctionRecognizer(supported_entities=entities, name=name, supported_language="en")


def ner_recognizer(detector: str) -> Any:
    """People, organisations and places from the NER entities in Presidio's NlpArtifacts."""
    from .detect_names import refine_ner

    class NerRecognizer(_base()):  # type: ignore[misc]
        def load(self) -> None:
            pass

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            if nlp_artifacts is None or not nlp_artifacts.entities:
                return []
            spans = [(e.start_char, e.end_char, e.label_) for e in nlp_artifacts.entities]
            wanted = set(entities)
            return [
                _result(f, self.id)
                for f in refine_ner(text, spans, detector)
                if f.entity_type in wanted
            ]

    return NerRecognizer(
        supported_entities=list(NER_ENTITIES), name=detector, supported_language="en"
    )


def _adopt(results: list[Any] | None, wrapper: Any) -> list[Any]:
    """Results of a wrapped recognizer must name the wrapper: Presidio looks recognizers up by id."""
    for r in results or []:
        meta = r.recognition_metadata or {}
        meta["recognizer_identifier"] = wrapper.id
        meta.setdefault("recognizer_name", wrapper.name)
        r.recognition_metadata = meta
    return list(results or [])


def gated_recognizer(inner: Any, prefilter: str) -> Any:
    """Run `inner` only on texts where `prefilter` finds something."""
    gate = re.compile(prefilter)

    class GatedRecognizer(_base()):  # type: ignore[misc]
        def load(self) -> None:
            pass

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            if not gate.search(text):
                return []
            return _adopt(inner.analyze(text, entities, nlp_artifacts), self)

    rec = GatedRecognizer(
        supported_entities=inner.supported_entities,
        name=inner.name,
        supported_language="en",
        context=inner.context,
    )
    return rec


def cued_recognizer(inner: Any, cues: tuple[str, ...]) -> Any:
    """Keep `inner`'s results only where a cue word precedes them."""
    pattern = re.compile(
        r"(?<![a-z])(?:" + "|".join(re.escape(c) for c in cues) + r")(?![a-z])", re.IGNORECASE
    )

    class CuedRecognizer(_base()):  # type: ignore[misc]
        def load(self) -> None:
            pass

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            if not pattern.search(text):
                return []
            results = inner.analyze(text, entities, nlp_artifacts)
            kept = []
            for r in results or []:
                if r.score > 0 and pattern.search(text, max(0, r.start - 48), r.start):
                    r.score = max(r.score, 0.8)
                    kept.append(r)
            return _adopt(kept, self)

    return CuedRecognizer(
        supported_entities=inner.supported_entities, name=inner.name, supported_language="en"
    )


_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class PlainDetector:
    """One of llmprep's own detectors: a plain function, run without Presidio."""

    name: str
    entities: tuple[str, ...]
    find: Callable[[str], list[Finding]]


def plain_detectors(*, english: bool = True, language: str = "") -> list[PlainDetector]:
    """llmprep's heuristics (contact data, addresses, names); importing them loads nothing heavy.

    With `english=False` the heuristics that read English (cue phrases, capitalization) are left
    out: in German every noun is capitalized, and a French sentence has no "my name is";
    `language` (ISO 639-1) picks that language's place cues where llmprep has them.
    """
    from functools import partial

    def with_digits(fn: Callable[[str], list[Finding]]) -> Callable[[str], list[Finding]]:
        """Run `fn` only on texts with a digit: every number-shaped detector needs one."""

        def run(text: str) -> list[Finding]:
            return fn(text) if _DIGIT.search(text) else []

        return run

    from .detect_address import find_addresses
    from .detect_columns import find_column_values
    from .detect_contact import find_cards, find_emails, find_licences, find_phones
    from .detect_lines import find_listed_people, find_lowercase_names
    from .detect_names import find_people, find_proper_nouns
    from .detect_orgs import find_organisations
    from .detect_places import find_places

    detectors = [
        PlainDetector("email", ("EMAIL_ADDRESS",), find_emails),
        PlainDetector("phone", ("PHONE_NUMBER",), with_digits(find_phones)),
        PlainDetector("licence", ("US_DRIVER_LICENSE",), with_digits(find_licences)),
        PlainDetector("card", ("CREDIT_CARD",), with_digits(find_cards)),
        PlainDetector(
            "address",
            ("ADDRESS", "POSTAL_CODE", "PERSON", "ORGANIZATION"),
            with_digits(find_addresses),
        ),
        PlainDetector("person", ("PERSON",), partial(find_people, english=english)),
        PlainDetector(
            "organisation", ("ORGANIZATION",), partial(find_organisations, english=english)
        ),
        PlainDetector(
            "place", ("LOCATION",), partial(find_places, english=english, language=language)
        ),
        PlainDetector("listed-people", ("PERSON", "ORGANIZATION"), find_listed_people),
        PlainDetector(
            "column", ("PERSON", "LOCATION", "ORGANIZATION", "ADDRESS"), find_column_values
        ),
    ]
    if english:
        detectors.append(PlainDetector("proper-noun", ("PERSON",), find_proper_nouns))
        detectors.append(PlainDetector("lower-case-name", ("PERSON",), find_lowercase_names))
    return detectors


def presidio_gate() -> re.Pattern[str]:
    """Matches every text in which one of Presidio's pattern recognizers could find something.

    The union of the validated recognizers' prefilters and the cued ones' cue words: a text it
    does not match gets nothing from them, so Presidio (and the spaCy it imports) need not load.
    """
    cues = sorted({c for words in _CUED.values() for c in words}, key=len, reverse=True)
    cued = r"(?i:(?<![a-z])(?:" + "|".join(re.escape(c) for c in cues) + r")(?![a-z]))"
    return re.compile("|".join([*(f"(?:{g})" for g in _VALIDATED.values()), cued]))


def presidio_recognizers(
    pii_config: Any, *, with_ner: bool, ner_detector: str, english: bool = True
) -> list[Any]:
    """The recognizers that need Presidio: its validated ones, NER, deny-lists, custom regexes."""
    import presidio_analyzer.predefined_recognizers as predefined
    from presidio_analyzer import Pattern, PatternRecognizer

    recognizers: list[Any] = [
        gated_recognizer(getattr(predefined, name)(supported_language="en"), gate)
        for name, gate in _VALIDATED.items()
    ]
    for name, cues in _CUED.items():
        recognizers.append(
            cued_recognizer(getattr(predefined, name)(supported_language="en"), cues)
        )
    if with_ner and english:
        recognizers.append(ner_recognizer(ner_detector))
    for entity, values in pii_config.deny_list.items():
        terms = [v for v in values if v.strip()]
        if terms:
            recognizers.append(
                PatternRecognizer(
                    supported_entity=entity,
                    deny_list=terms,
                    name=f"deny-list:{entity}",
                    supported_language="en",
                )
            )
    for n, spec in enumerate(pii_config.recognizers):
        name = str(spec.get("name") or f"custom-{n}")
        pattern = Pattern(
            name=name, regex=str(spec["pattern"]), score=float(spec.get("score", 0.8))
        )
        recognizers.append(
            PatternRecognizer(
                supported_entity=str(spec["entity_type"]),
                patterns=[pattern],
                context=[str(c) for c in spec.get("context", [])],
                name=name,
                supported_language="en",
            )
        )
    return recognizers


def build_recognizers(
    pii_config: Any, *, with_ner: bool, ner_detector: str, english: bool = True
) -> list[Any]:
    """Every recognizer of one configuration as Presidio recognizers, in one registry.

    For Presidio users who want llmprep's detectors inside their own AnalyzerEngine; llmprep's
    engine runs the plain detectors directly and gives Presidio only what needs it.
    """
    plain = [
        function_recognizer(d.name, list(d.entities), d.find)
        for d in plain_detectors(english=english)
    ]
    presidio = presidio_recognizers(
        pii_config, with_ner=with_ner, ner_detector=ner_detector, english=english
    )
    # Presidio's own first, as the engine merges them: identical results keep the first label.
    return [*presidio, *plain]
