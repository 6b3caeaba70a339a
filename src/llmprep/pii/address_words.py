"""Words of postal addresses in many countries: street types, unit words, cues before one.

General vocabulary of how streets are named (the kinds postal services list: USPS street
suffixes, the street types of Romance, Germanic, Nordic, Slavic and Indian addresses), never
names of streets or places.
"""

from __future__ import annotations

from .lexicon import words

# Street-type words, many languages; matched case-insensitively as whole tokens. A street
# with one of these ("12 Baker Street", "Via Roma 5") is an address on its own.
STREET_WORDS = words(
    """
    al. alameda aleja allee alley allée av av. ave ave. avenida avenue blvd blvd. boulevard
    broadway calle camino carrera causeway chaussee chemin cir circle close corso cours court
    cres crescent ct ct. damm dijk dr dr. dreef drive esplanade estrada expressway faubourg
    freeway gade gasse gata gatan gate gracht gürtel highway hwy impasse kade katu kuja körút
    köz laan lane largo ln ln. markt mews nábřeží nám náměstí osiedle parade parkway paseo
    piazza pkwy pl pl. plac place platz plaza plein praça promenade quai quay rakpart rambla rd
    rd. ring rkp rkp. road ronda route row rua rue singel sq square st st. steeg steig str str.
    straat strada strasse straße street ter terrace tie trail travessa travesía trl tér třída
    ufer ul ul. ulica ulice utca vei veien vej via viale vicolo väg vägen walk way weg wharf
    zeile út útja λεωφορος λεωφόρος οδος οδός πλατεία πλατεια переулок пр проспект ул улица
    шоссе
    allé stræde vænge vænget gyde stien gränd gränden stig stigen backe backen torg
    torget polku tori kaari raitti rinne kuja bulevardi
    pasaje pasadizo glorieta cuesta callejón callejon urbanización urbanizacion avinguda
    carrer passeig ronda vía travesia
    avenue. contrada piazzetta borgo vicoletto lungomare lungotevere strada vico rotonda
    canale salita scalinata
    beco ladeira rodovia vereda viela residencial conjunto quadra setor núcleo vila
    marg ganj chowk nagar gali
    """
)
# Street types that are common nouns too ("12 Data Points", "3 Network View"): a street named
# with one needs more evidence (a postal code, a place, a unit, a cue before it).
WEAK_STREET_WORDS = words(
    """
    annex arcade bay bayou beach bend bluff bluffs bottom branch bridge brook brooks burg burgs
    bypass camp canyon cape center centers cliff cliffs club common commons corner corners course
    courts cove coves creek crest crossing crossroad curve dale dam divide drives estate estates
    extension fall falls ferry field fields flat flats ford fords forest forge forges fork forks
    fort garden gardens gateway glen glens green greens grove groves harbor harbors harbour haven
    heights hill hills hollow inlet island islands isle junction junctions key keys knoll knolls
    lake lakes land landing light lights loaf lock locks lodge loop mall manor manors meadow
    meadows mill mills mission motorway mount mountain mountains neck orchard oval overpass park
    parks pass passage pike pine pines plain plains point points port ports prairie radial ramp
    ranch rapid rapids rest ridge ridges river roads run shoal shoals shore shores skyway spring
    springs spur spurs squares station stravenue stream streets summit throughway trace track
    trafficway tunnel turnpike underpass union unions valley valleys viaduct view views village
    villages ville vista walks wall ways well wells artery zila colony sector path
    """
)
# Street types that come before the name ("Rue de Rivoli", "Via Roma", "Πλατεία Μαβίλη").
STREET_FIRST = words(
    """
    al. alameda aleja allee allée av av. avenida avenue bd boulevard calle camino carrera chemin
    corso cours estrada impasse largo nám náměstí osiedle paseo piazza piazzale plac place praça
    quai rambla ronda route rua rue strada travessa ul ul. ulica via viale vicolo λεωφορος
    λεωφόρος οδος οδός πλατεία πλατεια переулок пр проспект ул улица
    pasaje pasadizo glorieta cuesta callejón callejon urbanización urbanizacion avinguda carrer
    passeig vía travesía travesia plaza contrada piazzetta borgo vicoletto lungomare vico
    rotonda canale salita beco ladeira rodovia vereda viela residencial conjunto quadra setor
    vila morro recanto lagoa r. c. pl. os. aleje
    aeroporto área chácara colônia condomínio distrito esplanada estação favela fazenda jardim
    lago loteamento parque passarela pátio sítio trecho trevo vale viaduto stretto
    """
)
# ... and the ones that only come first.
ONLY_FIRST = words(
    """
    al. alameda aleja allée avenida calle camino carrera chemin corso estrada impasse largo nám
    náměstí osiedle paseo piazza piazzale plac praça quai rambla ronda rua rue strada travessa
    ul ul. ulica via viale vicolo λεωφορος λεωφόρος οδος οδός πλατεία πλατεια переулок пр
    проспект ул улица
    pasaje pasadizo glorieta cuesta callejón callejon urbanización urbanizacion avinguda carrer
    passeig vía travesía travesia contrada piazzetta borgo vicoletto lungomare vico rotonda
    canale salita beco ladeira rodovia vereda viela residencial conjunto quadra setor vila
    morro recanto lagoa r. c. os. aleje
    aeroporto área chácara colônia condomínio distrito esplanada estação favela fazenda jardim
    lago loteamento parque passarela pátio sítio trecho trevo vale viaduto stretto
    """
)

# Compound street names end with these ("Nassaustraat", "Ziegelgasse", "Auerstrasse").
STREET_SUFFIXES = (
    "straße",
    "strasse",
    "str",  # "Hauptstr. 5a": the usual German abbreviation
    "straat",
    "gasse",
    "platz",
    "allee",
    "laan",
    "plein",
    "gracht",
    "vej",
    "gade",
    "gatan",
    "gata",
    "vägen",
    "veien",
    "katu",
    "weg",
    "steeg",
    "dreef",
    "kade",
    "dijk",
    "singel",
    "ring",
    "damm",
    "ufer",
    "markt",
    "gürtel",
    "utca",
    "útja",
    # Nordic, Finnish, Dutch, German compounds
    "gränd",
    "stigen",
    "stig",
    "backen",
    "torget",
    "vænget",
    "stræde",
    "allé",
    "polku",
    "kuja",
    "tie",
    "kaari",
    "raitti",
    "bulevardi",
    "baan",
    "boulevard",
    "steig",
    "zeile",
    "chaussee",
)

# Second address line: "Apt. 018", "Suite 446", "Unit 3B", "Piso 6", "H.No. 30".
UNIT_WORDS = words(
    """
    # apartment apt apt. bldg bldg. box building fl fl. flat floor p.o. po rm rm. room ste ste.
    suite unit piso puerta appartamento interno scala h.no. h.no bloco andar sala studio
    """
)

# Words that say an address follows.
ADDRESS_CUES = (
    "address",
    "addresses",
    "lives at",
    "live at",
    "lived at",
    "lives on",
    "live on",
    "lived in",
    "live in",
    "living at",
    "located at",
    "located in",
    "sent to",
    "send it to",
    "send to",
    "deliver to",
    "delivered to",
    "ship to",
    "ship it to",
    "mail to",
    "mailed to",
    "moved to",
    "move to",
    "meet me at",
    "is at",
    "is on",
    "taxi to",
    "residing at",
    "resides at",
    "domicile",
    "left at",
    "warehouse at",
    "office at",
)
