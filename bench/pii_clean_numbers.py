"""PII-free prose full of numbers, in German, French and English: false addresses and phones.

    .venv/bin/python bench/pii_clean_numbers.py --split tune --n 20 --out /tmp/numbers

Recipes, product news, legal commentary, university reports and release notes: the kinds of
page where a number is followed by capitalized words (German capitalizes every noun) or sits
in parentheses, and a street-address or phone rule can mistake it for one. Quantities with units,
times of day, ranges, prices, version numbers, ISO dates, statute and case citations. Nothing
in them is a person, a place, a company or a contact detail, so every placeholder is a false
redaction. Sentence patterns and word lists are written here; `tune` may be read and fixed
against, `measure` (its own patterns and words) is only read for figures.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

# Each pattern's slots: {n} {m} small numbers, {y} a year, {d} an ISO date, {v} a version,
# {p} a price, {w} a word of the split's list for that language.
PATTERNS: dict[str, dict[str, list[str]]] = {
    "tune": {
        "de": [
            "Im Ofen in {n} Minuten backen, bis der Teig goldbraun ist.",
            "Wir treffen uns um {n} Uhr auf dem Platz vor der Bibliothek.",
            "Das Laufwerk mit {n} Gigabyte USB 3.0 kostet nur {p} Euro.",
            "Durch die geplanten Erhöhungen {y} – auch bekannt als {w} – steigen die Kosten.",
            "Vgl. Kommentar zum Urheberrecht, 3. Aufl., § {n}a UrhG Rdn. {m}.",
            "Der Teig ruht {n} Stunden im Kühlschrank, danach {m} Minuten bei 180 Grad.",
            "Das Gerät wiegt {n} Kilogramm und misst {m} Zentimeter.",
            "Die Preise beginnen bei {n} Euro und sind damit sehr günstig.",
            "Mit {n} geöffneten Tabs. Danach suchte ich weiter nach {w}.",
            "Siehe BGH, Urt. v. 12.3.{y} – I ZR {n}/{m}, GRUR {y}, {n}{m} Tz. {m}.",
        ],
        "fr": [
            "Les revues sont classées de façon décroissante de {n} à {m}, selon leur {w}.",
            "Les chercheurs ont publié dans {n} titres de revues. Quelle place pour la {w} ?",
            "Selon la version datée d’octobre {y}, aucune des revues n’est concernée.",
            "La réunion commence à {n} heures dans la grande salle du {w}.",
            "Comptez {n} minutes de cuisson et {m} minutes de repos.",
            "Le prix passe de {n} euros à {p} euros pour la version {v}.",
            "Créé en application de l’ordonnance de décembre {y}, l’établissement a été {w}.",
            "Les résultats ({d}) montrent une hausse de {n} pour cent.",
        ],
        "en": [
            "For purposes of the limit, see 12 C.F.R. § {n}{m} and 11 U.S.C. § {m}{n}.",
            "File the claim under Fed. R. Bankr. P. {n}{m}{n}, as amended in {y}.",
            "The method was first described in a preprint ({d}) and revised later.",
            "Bake for {n} minutes, then let it rest for {m} minutes.",
            "The drive holds {n} Gigabyte and supports USB 3.0 and Thunderbolt {m}.",
            "Version {v} fixes {n} bugs and adds {m} new options to the {w} view.",
        ],
    },
    "measure": {
        "de": [
            "Die Strecke ist {n} Kilometer lang und dauert etwa {m} Stunden.",
            "Die Zahl der Anträge stieg um {n} Prozent auf {m} Tausend.",
            "Nach Art. {n} Abs. {m} DSGVO ist die Verarbeitung zulässig, vgl. S. {n}{m}.",
            "Zwischen {n} und {m} Teilnehmer meldeten sich für den {w} an.",
            "Der Akku hält {n} Tage, das Display misst {m},5 Zoll.",
            "Die neue Version {v} erscheint am {n}. Mai {y} für alle {w}.",
            "Ab {n} Uhr gibt es Kaffee, ab {m} Uhr beginnt der Vortrag über {w}.",
            "Ein Liter Milch kostet {p} Euro, {n} Gramm Butter {m},99 Euro.",
            "OLG, Beschl. v. 3.4.{y} – {n} U {m}/{y}, NJW {y}, {n}{m} Rn. {m}.",
        ],
        "fr": [
            "Le trajet dure {n} heures et couvre {m} kilomètres.",
            "Les inscriptions ont augmenté de {n} % en {y}, soit {m} millions de {w}.",
            "Il faut prévoir de {n} à {m} semaines pour obtenir une réponse.",
            "Voir l’article L. {n}{m}-{n} du Code de l’éducation, alinéa {m}.",
            "La séance débute à {n} h 30 et se termine vers {m} h.",
            "La mise à jour ({d}) corrige {n} erreurs dans le module de {w}.",
            "Le colis pèse {n} kilogrammes et mesure {m} centimètres.",
        ],
        "en": [
            "The route is {n} miles long and takes about {m} hours by train.",
            "Sales rose {n} percent to {m} million units in {y}.",
            "See 42 U.S.C. § {n}{m}(a) and 29 C.F.R. § {m}.{n}{n}.",
            "Release {v} ({d}) brings {n} fixes to the {w} module.",
            "Between {n} and {m} people attended each session.",
            "Allow {n} to {m} weeks for delivery of the {w} kit.",
        ],
    },
}

WORDS = {
    "tune": {
        "de": ["Tarifreform", "Bibliothek", "Sonderpreis", "Kochbuch", "Schnäppchen"],
        "fr": ["recherche", "qualité", "conseil", "diffusion", "évaluation"],
        "en": ["settings", "export", "timeline", "search"],
    },
    "measure": {
        "de": ["Workshop", "Nutzer", "Wettbewerb", "Leserinnen", "Kurs"],
        "fr": ["documents", "gestion", "lecteurs", "traduction"],
        "en": ["billing", "starter", "reports", "camera"],
    },
}

TITLES = {
    "de": ["Rezept", "Angebote der Woche", "Urteil und Kommentar", "Neuigkeiten", "Hinweise"],
    "fr": ["Recette", "Évaluation de la recherche", "Calendrier", "Mise à jour", "Résultats"],
    "en": ["Recipe", "Release Notes", "Legal Background", "Results", "Schedule"],
}


def _fill(rng: random.Random, pattern: str, split: str, language: str) -> str:
    return pattern.format(
        n=rng.randrange(1, 60),
        m=rng.randrange(2, 99),
        y=rng.randrange(1995, 2026),
        d=f"{rng.randrange(2000, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        v=f"{rng.randrange(1, 9)}.{rng.randrange(0, 20)}",
        p=f"{rng.randrange(2, 900)},{rng.randrange(0, 99):02d}",
        w=rng.choice(WORDS[split][language]),
    )


def document(rng: random.Random, split: str) -> str:
    language = rng.choice(sorted(PATTERNS[split]))
    patterns = PATTERNS[split][language]
    parts = [f"# {rng.choice(TITLES[language])}", ""]
    for _ in range(rng.randrange(2, 5)):
        sentences = [_fill(rng, rng.choice(patterns), split, language) for _ in range(4)]
        parts += [" ".join(sentences), ""]
    return "\n".join(parts)


def generate(n: int, seed: int = 0, split: str = "tune") -> list[str]:
    return [document(random.Random(f"numbers:{split}:{seed}:{i}"), split) for i in range(n)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--split", default="tune", choices=("tune", "measure"))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(generate(args.n, args.seed, args.split)):
        (args.out / f"doc-{i:03d}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
