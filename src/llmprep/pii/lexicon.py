"""Word lists the heuristic recognizers share: titles, street words, countries, stop words.

General vocabulary only (no names of people): the recognizers use these lists as evidence
around a candidate, never as the candidate itself, except countries.
"""

from __future__ import annotations

import re


def _letters(upper: bool) -> str:
    """Regex class body of the upper- (or lower-) case letters of the Latin, Greek and Cyrillic
    scripts: "Č", "Ł", "Ş" and "Ő" open names as "A" does ("[A-Z]" alone misses them)."""
    chars = [
        chr(c)
        for lo, hi in ((0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF))
        for c in range(lo, hi + 1)
        if (chr(c).isupper() if upper else chr(c).islower())
    ]
    return ("A-Z" if upper else "a-z") + re.escape("".join(chars))


# Upper- and lower-case letters for character classes: f"[{UPPER}]", f"[{LOWER}'’-]".
UPPER = _letters(True)
LOWER = _letters(False)


def words(text: str) -> frozenset[str]:
    """A set from whitespace-separated words (keeps long lists readable)."""
    return frozenset(text.split())


def phrases(text: str) -> frozenset[str]:
    """A set from "|"-separated phrases, whitespace inside each collapsed."""
    return frozenset(" ".join(p.split()) for p in text.split("|") if p.strip())


# Honorifics before a person's name ("Mrs. Amy Kupcová", "ms. Wijtze", "Herr Müller").
TITLES = words(
    """
    brother capt captain col colonel dame dott dr father fr frau gen general herr hon judge
    justice lady lord lt madame mademoiselle miss mlle mme monsieur mr mrs ms mx officer prof
    professor rev reverend sergeant sgt sig sig.ra sir sister sr sra srta
    """
)


# Titles that are ordinary words too ("sister", "general"): they need a capitalized name.
WEAK_TITLES = words(
    """
    brother captain dame father general judge justice lady lord officer sir sister
    """
)


# Letters after a name: "Janice Brkić MD", "John Smith Jr.".
NAME_SUFFIXES = words(
    """
    cpa dds do dvm esq esq. ii iii iv jr jr. mba md phd rn sr sr.
    """
)


# Lowercase particles inside names ("Ludwig van Beethoven", "Ana de la Cruz").
NAME_PARTICLES = words(
    """
    al bin binti da das de del della den der di dos du el ibn la le ten ter van von zu
    """
)


# Country names in English; multi-word names are separated by "|".
COUNTRIES = phrases(
    """
    Afghanistan | Albania | Algeria | American Samoa | Andorra | Angola | Anguilla | Antarctica
    | Antigua and Barbuda | Argentina | Armenia | Aruba | Australia | Austria | Azerbaijan |
    Bahamas | Bahrain | Bangladesh | Barbados | Belarus | Belgium | Belize | Benin | Bermuda |
    Bhutan | Bolivia | Bosnia and Herzegovina | Botswana | Bouvet Island | Brazil | British
    Virgin Islands | Brunei | Bulgaria | Burkina Faso | Burma | Burundi | Cabo Verde | Cambodia
    | Cameroon | Canada | Cape Verde | Cayman Islands | Central African Republic | Chad | Chile
    | China | Christmas Island | Cocos Islands | Colombia | Comoros | Congo | Cook Islands |
    Costa Rica | Croatia | Cuba | Curaçao | Cyprus | Czech Republic | Czechia | Denmark |
    Djibouti | Dominica | Dominican Republic | East Timor | Ecuador | Egypt | El Salvador |
    England | Equatorial Guinea | Eritrea | Estonia | Eswatini | Ethiopia | Falkland Islands |
    Faroe Islands | Fiji | Finland | France | French Polynesia | Gabon | Gambia | Georgia |
    Germany | Ghana | Gibraltar | Great Britain | Greece | Greenland | Grenada | Guadeloupe |
    Guam | Guatemala | Guernsey | Guinea | Guinea-Bissau | Guyana | Haiti | Heard Island | Holy
    See | Honduras | Hong Kong | Hungary | Iceland | India | Indonesia | Iran | Iraq | Ireland |
    Isle of Man | Israel | Italy | Ivory Coast | Jamaica | Japan | Jersey | Jordan | Kazakhstan
    | Kenya | Kiribati | Korea | Kosovo | Kuwait | Kyrgyzstan | Laos | Latvia | Lebanon |
    Lesotho | Liberia | Libya | Liechtenstein | Lithuania | Luxembourg | Macau | Macedonia |
    Madagascar | Malawi | Malaysia | Maldives | Mali | Malta | Marshall Islands | Martinique |
    Mauritania | Mauritius | Mayotte | Mexico | Micronesia | Moldova | Monaco | Mongolia |
    Montenegro | Montserrat | Morocco | Mozambique | Myanmar | Namibia | Nauru | Nepal |
    Netherlands | New Caledonia | New Zealand | Nicaragua | Niger | Nigeria | Niue | Norfolk
    Island | North Korea | North Macedonia | Northern Ireland | Northern Mariana Islands |
    Norway | Oman | Pakistan | Palau | Palestine | Panama | Papua New Guinea | Paraguay | Peru |
    Philippines | Pitcairn Islands | Poland | Portugal | Puerto Rico | Qatar | Romania | Russia
    | Russian Federation | Rwanda | Réunion | Saint Barthélemy | Saint Helena | Saint Kitts and
    Nevis | Saint Lucia | Saint Martin | Saint Pierre and Miquelon | Saint Vincent and the
    Grenadines | Samoa | San Marino | Sao Tome and Principe | Saudi Arabia | Scotland | Senegal
    | Serbia | Seychelles | Sierra Leone | Singapore | Sint Maarten | Slovakia | Slovenia |
    Solomon Islands | Somalia | South Africa | South Korea | South Sudan | Spain | Sri Lanka |
    Sudan | Suriname | Svalbard | Swaziland | Sweden | Switzerland | Syria | São Tomé and
    Príncipe | Taiwan | Tajikistan | Tanzania | Thailand | Timor-Leste | Togo | Tokelau | Tonga
    | Trinidad and Tobago | Tunisia | Turkey | Turkmenistan | Tuvalu | Türkiye | U.S.A. | UK |
    USA | Uganda | Ukraine | United Arab Emirates | United Kingdom | United States | United
    States of America | Uruguay | Uzbekistan | Vanuatu | Vatican City | Venezuela | Viet Nam |
    Vietnam | Wales | Wallis and Futuna | Western Sahara | Yemen | Zambia | Zimbabwe | Åland
    Islands
    """
)


# Function words: they end a name or an address part. Lowercase.
STOP_WORDS = words(
    """
    a about above after again against all also although am an and any anybody anyone anything
    are as at be because been before being below between both but by can cannot case could dear
    did do does doing down during each eight else etc ever every everybody everyone everything
    few five for four from further had has have having he hello her here hers herself hey hi him
    himself his how however i if in into is it its itself just let like may maybe me might more
    most must my myself nine no nobody nor not nothing now of off oh ok okay on once one only or
    other ought our ours ourselves out over own per perhaps please re really same seven shall
    she should since six so some somebody someone something sorry still such ten than thank
    thanks that the their theirs them themselves then there these they this those though three
    through thus to today tomorrow tonight too two under unless until up upon us very was we
    well were what when where whether which while who whom whose why will with would yes
    yesterday yet you your yours yourself yourselves
    """
)


# Capitalized words that start sentences or headings and are not names (several languages).
COMMON_CAPITALIZED = words(
    """
    Abs Absatz Abstract Actually Address Admin Again Also Anyway Appendix Apr April Arabic
    Article Artikel Aug August Bank Besides Best Bot Central Chapter Cheers Chinese Christmas
    Client College Company Conclusion Customer Dear Dec December Department Desk Director Dr
    Dutch East Easter Eastern Email English Evening Example FAQ Fax Feb February Figure Finally
    First French Fri Friday German God Greek Hello Hey Hi Home Hospital However Inc Indeed
    Instead Internet Introduction Italian Item Jan January Japanese Jul July Jun June Kapitel
    Latin LLC Lower Ltd Madame Mail Manager Mar March May Meanwhile Miss Mobile Mon Monday
    Monsieur Morning Mr Mrs Ms Mx New Night No North Northern Note Notes Nov November Now Nr
    Nummer Oct October Office Ok Okay Old Otherwise Page Paragraph Part Phone Please Prof Punkt
    Regards Right Road Russian Saint Sat Saturday Satz School Second Section Seite Sep Sept
    September Sincerely Sir So Sorry South Southern Spanish Step Still Street Summary Sun Sunday
    Support Sure Table TBD Team Teil Tel Thank Thanks Then Therefore Third Thu Thursday Today
    TODO Tomorrow Tue Tuesday University Upper User Web Wed Wednesday Well West Western Work Yes
    Yesterday Ziffer
    Claim Contract Form Incident Invoice Order Policy Quotation Receipt Ref Reference Release
    Report Request Statement Ticket Version
    Acknowledgements Agenda Attachment Attachments Background Contents Definitions Discussion
    Eligibility Exhibit Glossary Index Minutes Objectives Overview Preface Procedures Purpose
    Recommendations References Requirements Responsibilities Results Review Schedule Scope
    Appellant Appellee Applicant Borrower Buyer Claimant Court Creditor Debtor Defendant
    Guarantor Landlord Lender Licensee Licensor Party Parties Petitioner Plaintiff Respondent
    Seller Tenant Trustee Witness
    """
)


# Closings of letters and emails in the languages besides English that business mail is most
# often written in; the line after one is usually the sender's name. Lowercase, as regex text.
SIGN_OFFS = (
    # German
    r"mit freundlichen gr(?:ü|ue|u)(?:ß|ss)en",
    r"freundliche gr(?:ü|ue)(?:ß|ss)e",
    r"(?:viele|beste|liebe|herzliche|sch(?:ö|oe)ne) gr(?:ü|ue)(?:ß|ss)e",
    r"mfg",
    r"gru(?:ß|ss)",
    # French
    r"(?:bien )?cordialement",
    r"bien (?:à|a) vous",
    r"(?:meilleures |sinc(?:è|e)res )?salutations",
    r"amicalement",
    # Spanish, Portuguese, Italian
    r"atentamente",
    r"(?:un )?saludos?(?: cordiales)?",
    r"cordialmente",
    r"atenciosamente",
    r"cumprimentos",
    r"abra(?:ç|c)os",
    r"(?:cordiali|distinti) saluti",
    r"un saluto",
    # Dutch
    r"(?:met )?vriendelijke groet(?:en)?",
    r"(?:hartelijke )?groeten",
    # Swedish, Danish, Norwegian
    r"med v(?:ä|a)nliga? h(?:ä|a)lsning(?:ar)?",
    r"v(?:ä|a)nliga h(?:ä|a)lsningar",
    r"h(?:ä|a)lsningar",
    r"(?:med )?ven(?:n)?lig hilsen",
    r"hilsen",
    r"mvh",
    # Polish
    r"z powa(?:ż|z)aniem",
    r"pozdrawiam",
    # English: the closings of letters, emails and chat sign-offs.
    r"(?:kind(?:est)?|best|warm(?:est)?|many|with)? ?regards",
    r"best(?: wishes)?",
    r"all the best",
    r"cheers",
    r"(?:many )?thanks(?: again)?",
    r"thank you",
    r"(?:yours )?(?:sincerely|truly|faithfully)(?: yours)?",
    r"yours",
    r"take care",
    r"talk soon",
    r"love",
    r"br",
)
# Greetings before a name and a comma ("Liebe Anna,", "Chère Claire,", "Hola Marta,").
GREETINGS = words(
    """
    liebe lieber liebes hallo servus moin cher chère chere bonjour querido querida estimado
    estimada hola caro cara gentile ciao beste lieve hoi hej hei kære kaere kjære kjaere olá ola
    droga drogi
    """
)
# English greetings before a name and a comma ("Thanks Sara,", "Good morning Ken!").
EN_GREETINGS = (
    "hi",
    "hello",
    "hey",
    "dear",
    "thanks",
    "thank you",
    "good morning",
    "good afternoon",
    "good evening",
    "morning",
    "hiya",
    "greetings",
)
# Form labels for a person's name ("Vorname: Jonas", "Nom : Dubois").
NAME_LABELS = (
    r"name",
    r"vorname",
    r"nachname",
    r"familienname",
    r"ansprechpartner(?:in)?",
    r"nom",
    r"pr(?:é|e)nom",
    r"nombre",
    r"apellidos?",
    r"nome",
    r"cognome",
    r"naam",
    r"voornaam",
    r"achternaam",
    r"namn",
    r"f(?:ö|o)rnamn",
    r"efternamn",
    r"navn",
    r"fornavn",
    r"efternavn",
    r"etternavn",
    r"imi(?:ę|e)",
    r"nazwisko",
)
# Words that follow those cues in place of a name: articles, possessives and group nouns
# ("Ihr Support-Team", "Liebe Kolleginnen und Kollegen", "Cordialement,\nL'équipe"). Lowercase.
CUE_NON_NAMES = words(
    """
    der die das den dem des ein eine einer ihr ihre ihren euer eure dein deine unser unsere
    sein seine alle allerseits zusammen kolleginnen kollegen kollegin kollege mitarbeiter
    mitarbeiterinnen mitarbeitende damen herren kunden kundin kunde kundinnen freunde leute
    eltern mitglieder teilnehmer teilnehmende teilnehmerinnen geschäftsführung geschaeftsfuehrung
    geschäftsleitung vorstand abteilung
    le la les l votre vos notre nos leur son sa ses un une des du et tous toutes chers chères
    collègues collegues amis équipe equipe service direction
    el los las su sus tu tus nuestro nuestra una y todos todas compañeros compañeras equipo
    amigos
    il lo gli vostro vostra suo sua tutti tutte colleghi amici
    het een uw jouw ons onze en allen collega's collega
    din ditt dina er ert era vår vårt och og alle kollegor kolleger
    """
)


# Words near a number that make it a phone number.
PHONE_CUES = (
    "phone",
    "callback",
    "call back",
    "tel",
    "tel.",
    "telephone",
    "mobile",
    "cell",
    "cellphone",
    "fax",
    "call",
    "calls",
    "called",
    "calling",
    "reach",
    "contact",
    "dial",
    "office",
    "desk",
    "whatsapp",
    "sms",
    "text me",
    "messages",
    "tlf",
    "ph",
    "mob",
    "hotline",
    "extension",
    "ext",
    "landline",
    "phone number",
    "my number",
    "his number",
    "her number",
    "your number",
    "our number",
    "their number",
    "new number",
    "home number",
    "work number",
    "cell number",
    "mobile number",
    "phone no",
    "telefon",
    "téléphone",
    "móvil",
    "handy",
    # Other languages' words and abbreviations for telephone and mobile.
    "tél",
    "tél.",
    "portable",
    "telefonnummer",
    "rufnummer",
    "mobil",
    "mobilnummer",
    "mobiltelefon",
    "fon",
    "teléfono",
    "telefono",
    "telefone",
    "telemóvel",
    "celular",
    "cellulare",
    "cell.",
    "movil",
    "telefoon",
    "telefoonnummer",
    "mobiel",
    "gsm",
    "tfn",
    "puh",
    "puhelin",
    "natel",
)


# Nouns a document refers to its own parts or to rules by, before a number: "Rule 9017",
# "Form 1099", "Section 5", "Table 2", "Artikel 6", "Annexe 3".
REFERENCE_WORDS = words(
    """
    rule rules section sections chapter article articles form forms table figure fig item part
    title schedule exhibit appendix annex page step phase version volume vol book clause
    paragraph para regulation act bill amendment note footnote line lines box question task
    level stage grade room floor gate platform route exit unit lesson module week
    artikel absatz kapitel abschnitt anlage tabelle abbildung seite teil
    annexe chapitre alinéa tableau partie étape
    """
)
# Words after a number that make it an amount, a time or a measure: not a house number ("14
# Uhr auf dem Markt", "1 million square kilometers") and not a name ("16 Gigabyte").
QUANTITY_WORDS = words(
    """
    thousand million millions billion billions trillion mio mrd tausend millionen milliarden
    mille millier milliers milliard milliards mil millón millones milione milioni
    percent per cent prozent pourcent pour por procent
    second seconds minute minutes min mins hour hours hrs day days week weeks month months year
    years sekunde sekunden minuten stunde stunden uhr tag tage tagen woche wochen monat monate
    monaten jahr jahre jahren seconde secondes heure heures jour jours semaine semaines mois an
    ans année années minuto minutos hora horas día días semana semanas mes meses año años
    minuti ore giorno giorni settimane mese mesi anno anni minuut minuten uur dagen weken maanden
    jaar jaren
    euro euros eur usd dollar dollars cent cents pound pounds franken francs franc yen
    byte bytes kb mb gb tb kilobyte kilobytes megabyte megabytes gigabyte gigabytes terabyte
    terabytes
    mm cm km m² km² qm ha kg g mg lb lbs oz ml cl liter liters litre litres mile miles meter
    meters metre metres kilometer kilometers kilometre kilometres kilometern metern stück
    people persons personen personnes employees mitarbeiter times mal fois veces volte keer
    """
)


# Nouns that say "the capitalized words before are a company".
ORG_SUFFIXES = words(
    """
    a/s ab academy ag agency airlines analytics aps asa associates b.v. bancorp bank bv capital
    co co. college company consulting corp corp. corporation enterprises foundation gmbh group
    holdings hospital inc inc. incorporated industries institute insurance international l.l.c.
    laboratories labs limited llc llp logistics ltd ltd. media motors n.v. networks nv oy oyj
    partners pharma pharmaceuticals plc pte pty s.a. s.p.a. sa sarl sas school services software
    solutions spa studio studios systems technologies technology trust university ventures
    """
)


# Words of job titles and roles: "Legal Counsel", "Head of Sales", "Customer", "Holder". A span
# made only of these (and common words) names a function, not a person or a company.
ROLE_WORDS = words(
    """
    Account Accountant Administrator Advisor Agent Analyst Applicant Architect Assistant
    Associate Buyer Caller Cardholder Chair Chief Clerk Consultant Contact Contractor
    Coordinator Counsel Customer Designer Developer Director Driver Editor Employee Engineer
    Executive Finance Founder Head Holder Human Intern Junior Lead Legal Marketing Member
    Officer Operations Owner Partner Patient Payee Payer Principal Product Project
    Representative Resources Sales Secretary Senior Specialist Staff Student Success Supervisor
    Technician Treasurer Vice Visitor
    Accounting Business Communications Compliance Design Development Engineering Facilities
    Growth Infrastructure Logistics Partnerships People Procurement Purchasing Quality
    Recruiting Research Security Strategy Talent Technology Training
    """
)
_NUMBER_WORD = re.compile(r"[#(]?\d[\d.,:/\-]*[)]?[.,:;]?")


def is_common_word(word: str) -> bool:
    """A word that is no name on its own: a function word, a number, a role, or a common
    capitalized word, also when written in capitals (headings: "CHAPTER", "PURPOSE")."""
    base = word.strip(".,:;!?()[]\"'")
    if not base:
        return True
    if base.isupper():
        base = base.capitalize()
    low = base.lower()
    return (
        low in STOP_WORDS
        or low.split("'")[0].split("’")[0] in STOP_WORDS
        or base in COMMON_CAPITALIZED
        or base in ROLE_WORDS
        or (base.endswith("s") and (base[:-1] in COMMON_CAPITALIZED or base[:-1] in ROLE_WORDS))
        or _NUMBER_WORD.fullmatch(word) is not None
    )


# Names of widely used software, languages, formats, protocols and platforms: they fill
# technical documents, and a small NER model takes them for people, places and companies.
TECH_TERMS = frozenset(
    t.lower()
    for t in [
        "Ansible",
        "Apache",
        "Android",
        "API",
        "Arduino",
        "ASCII",
        "AWS",
        "Azure",
        "Bash",
        "BigQuery",
        "Bluetooth",
        "Bootstrap",
        "C++",
        "CLI",
        "CMake",
        "CSS",
        "CSV",
        "Chrome",
        "Chromium",
        "CUDA",
        "Django",
        "Docker",
        "Dockerfile",
        "ECMAScript",
        "Elasticsearch",
        "Electron",
        "Emacs",
        "Excel",
        "FastAPI",
        "Firefox",
        "Flask",
        "Flutter",
        "Fortran",
        "GCC",
        "GNU",
        "Git",
        "GitHub",
        "GitLab",
        "Go",
        "Gradle",
        "GraphQL",
        "gRPC",
        "Hadoop",
        "Haskell",
        "Helm",
        "Heroku",
        "HTML",
        "HTTP",
        "HTTPS",
        "iOS",
        "Java",
        "JavaScript",
        "Jenkins",
        "Jira",
        "JSON",
        "Julia",
        "Jupyter",
        "Kafka",
        "Kotlin",
        "Kubernetes",
        "LaTeX",
        "Linux",
        "Lua",
        "macOS",
        "MariaDB",
        "Markdown",
        "Matlab",
        "Maven",
        "Memcached",
        "MongoDB",
        "MySQL",
        "Nginx",
        "Node",
        "NodeJS",
        "NumPy",
        "OAuth",
        "OpenAPI",
        "OpenSSL",
        "Oracle",
        "Pandas",
        "Perl",
        "PHP",
        "PostgreSQL",
        "PowerShell",
        "Prometheus",
        "Python",
        "PyTorch",
        "RabbitMQ",
        "React",
        "Redis",
        "REST",
        "Ruby",
        "Rust",
        "Safari",
        "Scala",
        "SciPy",
        "Slack",
        "Spark",
        "SQL",
        "SQLite",
        "SSH",
        "SSL",
        "Swift",
        "TCP",
        "TensorFlow",
        "Terraform",
        "TLS",
        "TOML",
        "TypeScript",
        "Ubuntu",
        "UDP",
        "Unicode",
        "Unix",
        "UTF-8",
        "UTF-16",
        "Vim",
        "VPN",
        "Vue",
        "Webpack",
        "WebSocket",
        "Windows",
        "Wi-Fi",
        "WordPress",
        "XML",
        "YAML",
        "Zoom",
        "Postgres",
        "Debian",
        "Fedora",
        "CentOS",
        "Gmail",
        "Outlook",
        "PowerPoint",
        "Word",
        "Teams",
        "Confluence",
        "Grafana",
        "Kibana",
        "Redux",
        "Rails",
        "Laravel",
        "Spring",
        "Hibernate",
        "Cassandra",
        "DynamoDB",
        "Snowflake",
        "Airflow",
        "Dagster",
        "Tableau",
    ]
)


# E-mail addresses and web addresses are written in lower case whatever they hold: the
# "oskar" of oskar.nilsson@example.com is no sign that Oskar is an ordinary word.
_ADDRESS_TOKENS = re.compile(r"[\w.+'’-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://|www\.)\S+")


def prose_only(text: str) -> str:
    """`text` with e-mail and web addresses blanked (same length), for questions about how the
    writer cases a word."""
    return _ADDRESS_TOKENS.sub(lambda m: " " * len(m.group(0)), text)
