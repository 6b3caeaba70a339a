"""Seeded text for the generated PDF set: sentences, paragraphs, headings, table cells, names.

Everything comes from a `random.Random(seed)`, so the same seed writes the same words. The words
are ordinary English (the loader's dehyphenation and language rules expect real words), chosen
from small lists written here; nothing is taken from another project's data.
"""

from __future__ import annotations

import random
import string

NOUNS = [
    "system",
    "model",
    "method",
    "result",
    "value",
    "sample",
    "region",
    "process",
    "network",
    "report",
    "budget",
    "measure",
    "station",
    "sensor",
    "record",
    "index",
    "period",
    "quarter",
    "market",
    "supplier",
    "customer",
    "contract",
    "warehouse",
    "schedule",
    "survey",
    "response",
    "pattern",
    "signal",
    "channel",
    "protocol",
    "layer",
    "design",
    "review",
    "policy",
    "document",
    "archive",
    "request",
    "service",
    "account",
    "payment",
    "invoice",
    "order",
    "shipment",
    "route",
    "vehicle",
    "engine",
    "turbine",
    "valve",
    "pump",
    "circuit",
    "battery",
    "panel",
    "module",
    "segment",
    "cluster",
    "server",
    "database",
    "query",
    "table",
    "column",
    "estimate",
    "forecast",
    "trend",
    "baseline",
    "threshold",
    "margin",
    "interval",
    "factor",
    "variable",
    "parameter",
    "feature",
    "structure",
    "function",
    "operator",
    "element",
    "boundary",
    "surface",
    "volume",
]
ADJECTIVES = [
    "annual",
    "regional",
    "local",
    "global",
    "early",
    "late",
    "main",
    "minor",
    "major",
    "stable",
    "rapid",
    "gradual",
    "partial",
    "complete",
    "internal",
    "external",
    "central",
    "lateral",
    "final",
    "initial",
    "average",
    "typical",
    "robust",
    "simple",
    "linear",
    "discrete",
    "continuous",
    "formal",
    "practical",
    "optional",
    "standard",
    "modern",
    "careful",
    "detailed",
]
VERBS = [
    "shows",
    "reduces",
    "increases",
    "describes",
    "follows",
    "supports",
    "requires",
    "measures",
    "reports",
    "improves",
    "changes",
    "covers",
    "extends",
    "limits",
    "affects",
    "explains",
    "predicts",
    "confirms",
    "replaces",
    "combines",
    "contains",
    "defines",
    "returns",
    "controls",
    "compares",
    "selects",
    "tracks",
]
ADVERBS = [
    "clearly",
    "slightly",
    "mostly",
    "rarely",
    "often",
    "usually",
    "directly",
    "largely",
    "nearly",
]
CONNECT = ["while", "because", "although", "whereas", "since", "unless", "after", "before", "once"]
FUNCTION = ["the", "a", "this", "each", "every", "that", "our", "their", "its"]
PREPS = [
    "in",
    "for",
    "of",
    "with",
    "across",
    "within",
    "under",
    "over",
    "between",
    "during",
    "along",
]
FIRST_NAMES = [
    "Anna",
    "Bo",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kaja",
    "Liam",
    "Mira",
    "Nils",
]
LAST_NAMES = [
    "Berg",
    "Lind",
    "Novak",
    "Silva",
    "Moreau",
    "Kovacs",
    "Dahl",
    "Weber",
    "Rossi",
    "Tanaka",
    "Okafor",
    "Ivanova",
]
CITIES = [
    "Uppsala",
    "Lyon",
    "Porto",
    "Graz",
    "Leeds",
    "Turku",
    "Ghent",
    "Bergen",
    "Brno",
    "Padua",
    "Malmo",
    "Aarhus",
]
TOPICS = [
    "Background",
    "Data collection",
    "Experimental setup",
    "Related work",
    "Evaluation",
    "Discussion",
    "Limitations",
    "Implementation",
    "Error analysis",
    "Results",
    "System overview",
    "Cost model",
    "Sampling strategy",
    "Measurement plan",
    "Risk assessment",
    "Maintenance schedule",
    "Training data",
    "Field observations",
    "Network design",
    "Storage layout",
    "Access control",
    "Load testing",
    "Sensor placement",
    "Calibration",
    "Quality control",
    "Future work",
    "Project scope",
    "Timeline",
]


class Text:
    """Seeded prose: words, sentences and paragraphs that read like a report."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, items: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(items)

    def phrase(self) -> str:
        r = self.rng
        parts = [self.pick(FUNCTION)]
        if r.random() < 0.5:
            parts.append(self.pick(ADJECTIVES))
        parts.append(self.pick(NOUNS))
        if r.random() < 0.35:
            parts += [self.pick(PREPS), self.pick(FUNCTION), self.pick(NOUNS)]
        return " ".join(parts)

    def sentence(self, cite: bool = False) -> str:
        r = self.rng
        words = [self.phrase(), self.pick(VERBS), self.phrase()]
        if r.random() < 0.3:
            words.insert(1, self.pick(ADVERBS))
        if r.random() < 0.4:
            words += [self.pick(CONNECT), self.phrase(), self.pick(VERBS), self.phrase()]
        if r.random() < 0.15:
            words.append(f"by {r.randint(2, 95)} percent")
        if cite and r.random() < 0.25:
            words.append(f"[{r.randint(1, 30)}]")
        text = " ".join(words)
        if r.random() < 0.25:
            cut = text.find(" ", len(text) // 2)
            if cut > 0:
                text = text[:cut] + "," + text[cut:]
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int = 2, high: int = 6, cite: bool = False) -> str:
        return " ".join(self.sentence(cite) for _ in range(self.rng.randint(low, high)))

    def topic(self) -> str:
        return self.pick(TOPICS)

    def title(self) -> str:
        r = self.rng
        return (
            f"{self.pick(ADJECTIVES).capitalize()} {self.pick(NOUNS)} "
            f"{self.pick(PREPS)} {self.pick(ADJECTIVES)} {self.pick(NOUNS)}s"
            + (f": a {self.pick(NOUNS)} study" if r.random() < 0.5 else "")
        )

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"

    def initials_name(self) -> str:
        return f"{self.pick(FIRST_NAMES)[0]}. {self.pick(LAST_NAMES)}"

    def reference(self, number: int, style: str) -> str:
        r = self.rng
        authors = [self.initials_name() for _ in range(r.randint(1, 3))]
        who = ", ".join(authors[:-1]) + (" and " if len(authors) > 1 else "") + authors[-1]
        title = self.title().capitalize()
        venue = f"Journal of {self.pick(ADJECTIVES).capitalize()} {self.pick(NOUNS).capitalize()}s"
        year = r.randint(1995, 2024)
        pages = f"{r.randint(1, 200)}-{r.randint(201, 400)}"
        if style == "bracket":
            return f"[{number}] {who}. {title}. {venue}, {r.randint(1, 40)}:{pages}, {year}."
        return f"{number}. {who} ({year}). {title}. {venue}, {pages}."

    def word(self) -> str:
        return self.pick(NOUNS)

    def code_line(self) -> str:
        r = self.rng
        name = f"{self.pick(NOUNS)}_{self.pick(NOUNS)}"
        return r.choice(
            (
                f"{name} = load_{self.pick(NOUNS)}({r.randint(1, 99)})",
                f"for {self.pick(NOUNS)} in {name}:",
                f"    total += {self.pick(NOUNS)}.{self.pick(NOUNS)}",
                f"return {name}",
                f"if {self.pick(NOUNS)} > {r.randint(1, 999)}:",
            )
        )

    def stamp(self) -> str:
        """An arXiv-style identifier stamp: id, version, category, date."""
        r = self.rng
        month = r.choice(
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        )
        cat = r.choice(("cs.CL", "cs.LG", "stat.ML", "math.OC", "physics.ao-ph"))
        year = r.randint(2015, 2024)
        return (
            f"arXiv:{year % 100:02d}{r.randint(1, 12):02d}.{r.randint(1000, 99999):05d}"
            f"v{r.randint(1, 4)} [{cat}] {r.randint(1, 28)} {month} {year}"
        )

    def table(self, rows: int, cols: int, numeric: bool) -> list[list[str]]:
        """A header row and `rows` data rows: a label column, then numbers or short words."""
        r = self.rng
        header = [self.pick(NOUNS).capitalize()] + [
            f"{self.pick(ADJECTIVES).capitalize()} {self.pick(NOUNS)}"
            if r.random() < 0.5
            else self.pick(NOUNS).capitalize()
            for _ in range(cols - 1)
        ]
        seen: set[str] = set()
        body = []
        for _ in range(rows):
            label = f"{self.pick(CITIES)} {r.choice(string.ascii_uppercase)}{r.randint(1, 99)}"
            while label in seen:
                label = f"{self.pick(CITIES)} {r.choice(string.ascii_uppercase)}{r.randint(1, 99)}"
            seen.add(label)
            cells = [label]
            for _ in range(cols - 1):
                if numeric or r.random() < 0.4:
                    cells.append(
                        f"{r.randint(0, 9999):,}" if r.random() < 0.5 else f"{r.uniform(0, 99):.2f}"
                    )
                else:
                    cells.append(self.pick(ADJECTIVES))
            body.append(cells)
        return [header, *body]
