"""Language identification: the detector, its fallbacks, and the document and chunk stages."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import llmprep
from llmprep.config import Config
from llmprep.models import Document, Element, LoaderInfo, Record, Source
from llmprep.stages.base import DocWork
from llmprep.stages.language.detect import detect
from llmprep.stages.language.stage import ChunkLanguage, DocumentLanguage, document_languages

SOURCE = Source(
    path="x.md",
    sha256="0" * 64,
    size=1,
    media_type="text/markdown",
    loader=LoaderInfo(name="t", version="1"),
)

ENGLISH = (
    "The committee met in March to review the budget for the coming year. Members agreed that "
    "the library should extend its opening hours and hire two more staff for the reading rooms."
)
GERMAN = (
    "Der Ausschuss trat im März zusammen, um den Haushalt für das kommende Jahr zu prüfen. Die "
    "Mitglieder waren sich einig, dass die Bibliothek ihre Öffnungszeiten verlängern sollte."
)


def record(text: str, index: int = 0) -> Record:
    return Record(
        id=f"r{index}",
        doc_id="d",
        chunk_index=index,
        text=text,
        tokens=1,
        tokenizer="chars",
        source=SOURCE,
    )


# -- detect_language --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ceci n'est pas une pipe.", "fr"),
        ("Der schnelle braune Fuchs springt über den faulen Hund.", "de"),
        ("El rápido zorro marrón salta sobre el perro perezoso.", "es"),
        ("Szybki brązowy lis przeskakuje nad leniwym psem.", "pl"),
        ("Быстрая коричневая лиса прыгает через ленивую собаку.", "ru"),
        ("Швидка бура лисиця стрибає через ледачого пса.", "uk"),
        ("الثعلب البني السريع يقفز فوق الكلب الكسول.", "ar"),
        ("これは日本語の文です。", "ja"),
        ("这是一个中文句子，用来测试语言识别。", "zh"),
        ("한국어 문장입니다.", "ko"),
    ],
)
def test_detect_language_names_the_language_with_its_iso_639_1_code(text, code):
    guess = llmprep.detect_language(text)
    assert guess.code == code
    assert 0.5 < guess.confidence <= 1.0


@pytest.mark.parametrize(
    "text", ["", "   ", "12 345 !!! 3.14", "<PERSON_1> <EMAIL_ADDRESS_2>", "https://example.org/a"]
)
def test_text_with_nothing_to_go_on_is_undetermined(text):
    guess = llmprep.detect_language(text)
    assert (guess.code, guess.confidence) == ("und", 0.0)


def test_redaction_placeholders_are_ignored():
    guess = llmprep.detect_language(
        "<PERSON_1> wohnt seit Jahren in <LOCATION_1> und arbeitet dort gern."
    )
    assert guess.code == "de"


def test_chinese_with_pinyin_beside_it_is_chinese_and_a_name_in_english_is_english():
    # A lyrics page: each line in characters, then in pinyin. Han letters are 15% of the letters.
    lyrics = "\n".join(
        [
            "爱 逝去的爱",
            "Ai shi qu de ai tao bu hui lai",
            "我还有话",
            "Wo hai you hua xiang dui ni shuo",
            "舍不得说",
            "She bu de shuo lai bu ji shuo",
            "离别的话",
            "Li bie de hua zui nan shuo chu kou",
        ]
    )
    assert detect(lyrics).code == "zh"
    assert (
        detect("Meeting with 王伟 tomorrow at the Shanghai office to discuss the contract").code
        == "en"
    )


def test_hash_operator_digests_are_not_read_as_words():
    digest = "4a217a2b055c1b6f600789e4fb54971e3272732d14230d2f2423ebf5ede86bc1"
    plain = detect("Note 0. Write to today.")
    assert detect(f"Note 0. Write to {digest} today.") == plain
    assert llmprep.detect_language(digest).code == "und"


def test_detection_is_deterministic():
    text = "Als er"
    assert len({detect(text) for _ in range(5)}) == 1


def test_confidence_is_lower_for_two_words_than_for_a_sentence():
    assert detect("Als er").confidence < detect(GERMAN).confidence


def test_expected_languages_restrict_the_answer():
    assert detect("Die Kapelle", candidates=["de", "en"]).code == "de"


def test_a_prior_settles_a_short_text_the_text_alone_leaves_open():
    assert detect("Die Kapelle").code != "de"
    assert detect("Die Kapelle", prior={"de": 1.0}).code == "de"


def test_a_prior_does_not_override_a_clear_sentence():
    assert detect(ENGLISH, prior={"de": 1.0}).code == "en"


def test_a_non_latin_script_wins_over_latin_boilerplate():
    text = "Share to Twitter Share to Facebook एक बार अवंतिपुर में साधु कोटिकर्ण आए और रुके।"
    assert detect(text).code == "hi"


def test_a_short_word_in_another_script_outweighs_a_long_latin_name():
    # Under a quarter of the letters, but half the words: the name is not the language.
    assert detect("Twitter पर", use_lingua=False).code == "hi"
    assert detect("Shortcut এ", use_lingua=False).code == "bn"


def test_a_latin_sentence_with_a_foreign_name_stays_latin():
    assert detect("The Moscow office of Газпром said yesterday it would expand").code == "en"


def test_a_text_all_in_capitals_is_read_as_words():
    shouted = "DER HUND SCHLÄFT IM GARTEN UND DIE KATZE AUF DEM DACH"
    assert detect(shouted).code == detect(shouted.lower()).code == "de"


def test_detection_works_with_langdetect_alone():
    # A fresh interpreter in which lingua (the optional `lang` extra) cannot be imported.
    code = textwrap.dedent(
        """
        import sys
        sys.modules["lingua"] = None
        import llmprep
        from llmprep.stages.language.lingua_backend import lingua_available
        assert not lingua_available()
        for text, want in [("Ceci n'est pas une pipe.", "fr"), ("Der Hund schläft im Garten.", "de"),
                           ("The dog sleeps in the garden.", "en"), ("", "und")]:
            got = llmprep.detect_language(text).code
            assert got == want, (text, got)
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_without_lingua_the_answers_stay_good(corpus):
    # The langdetect-only path on a sample of the dev sentences: far better than chance.
    files = sorted((corpus / "lang").glob("*.txt"))
    wanted = {"de", "en", "es", "fr", "it", "nl", "pl", "pt", "ru", "sv"}
    hits = total = 0
    for path in files:
        if path.stem in wanted:
            for line in path.read_text(encoding="utf-8").splitlines()[::10]:
                hits += detect(line, use_lingua=False).code == path.stem
                total += 1
    assert total >= 150
    assert hits / total >= 0.97


def test_sentences_from_the_dev_corpus_are_identified(corpus):
    files = sorted((corpus / "lang").glob("*.txt"))
    per_language = []
    for path in files:
        if path.stem in {"de", "en", "fr", "ru", "ar", "hi", "ja", "zh", "el", "ko"}:
            lines = path.read_text(encoding="utf-8").splitlines()[::10]
            per_language.append(sum(detect(s).code == path.stem for s in lines) / len(lines))
    assert len(per_language) == 10
    assert sum(per_language) / len(per_language) >= 0.97


def test_two_word_texts_are_identified_better_than_by_langdetect_even_without_lingua(corpus):
    from langdetect import DetectorFactory
    from langdetect import detect as langdetect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def baseline(text: str) -> str:
        try:
            return langdetect(text).split("-")[0]
        except LangDetectException:
            return "und"

    ours = theirs = 0
    for code in ("de", "en", "fr", "es", "nl", "sv", "it", "pt"):
        lines = (corpus / "lang" / f"{code}.txt").read_text(encoding="utf-8").splitlines()[::8]
        pairs = [" ".join(s.split()[:2]) for s in lines]
        ours += sum(detect(p, use_lingua=False).code == code for p in pairs)
        theirs += sum(baseline(p) == code for p in pairs)
    assert ours > theirs * 1.05


def test_word_pairs_do_better_on_the_short_text_path_than_on_the_sentence_path(corpus, monkeypatch):
    import llmprep.stages.language.detect as lang_detect
    from llmprep.stages.language.ngrams import ngram_model

    codes = set(ngram_model().codes)
    pairs = []  # (code, first two words) and (code, two words from mid-sentence)
    for path in sorted((corpus / "lang").glob("*.txt")):
        if path.stem in codes:
            for line in path.read_text(encoding="utf-8").splitlines()[::4]:
                words = line.split()
                mid = len(words) // 2
                pairs += [
                    (path.stem, " ".join(words[:2])),
                    (path.stem, " ".join(words[mid - 1 : mid + 1])),
                ]

    def accuracy() -> float:
        return sum(detect(text).code == code for code, text in pairs) / len(pairs)

    short_path = accuracy()
    monkeypatch.setattr(lang_detect, "SHORT_WORDS", 0)  # every text takes the sentence path
    assert short_path > accuracy()


# -- the document and chunk stages ------------------------------------------------------------


def test_a_document_gets_the_share_of_each_language_by_characters():
    elements = [
        Element(type="paragraph", text=ENGLISH),
        Element(type="paragraph", text=ENGLISH),
        Element(type="paragraph", text=GERMAN),
    ]
    shares = document_languages(elements, Config().language)
    assert list(shares) == ["en", "de"]
    assert shares["en"] > shares["de"] > 0.2


def test_furniture_and_code_do_not_count_towards_the_document_language():
    elements = [
        Element(type="paragraph", text=GERMAN),
        Element(type="footer", text=ENGLISH),
        Element(type="code", text="for item in items: print(item) if item else continue"),
    ]
    assert list(document_languages(elements, Config().language)) == ["de"]


def test_a_document_without_text_is_undetermined():
    config = Config()
    work = DocWork(
        document=Document(
            id="d", source=SOURCE, elements=[Element(type="table", text="1 | 2 | 3")]
        ),
        rel_path="x",
        config=config,
        config_hash="h",
    )
    DocumentLanguage(config)(work)
    assert (work.document.language, work.document.languages) == ("und", [])


def test_uncertain_chunks_are_flagged_with_the_threshold():
    config = Config()
    doc = Document(id="d", source=SOURCE, elements=[Element(type="paragraph", text=ENGLISH)])
    work = DocWork(document=doc, rel_path="x", config=config, config_hash="h")
    DocumentLanguage(config)(work)
    work.records = [record(ENGLISH, 0), record("Hallo", 1), record("42 / 17", 2)]
    ChunkLanguage(config)(work)
    flags = [[(f.code, f.severity, f.threshold) for f in r.flags] for r in work.records]
    assert flags[0] == []
    assert flags[1] == [("language_uncertain", "info", 0.7)]
    assert flags[2] == [("language_uncertain", "warn", 0.7)]
    # A chunk with nothing to go on takes the document's language.
    assert work.records[2].language == "en"


def test_chunks_settle_the_language_without_an_estimate_before_chunking():
    # With redaction off no estimate is made before chunking: the chunks' own guesses decide,
    # and the one with nothing to go on still takes the document's main language.
    config = Config()
    doc = Document(id="d", source=SOURCE, elements=[Element(type="paragraph", text=ENGLISH)])
    work = DocWork(document=doc, rel_path="x", config=config, config_hash="h")
    work.records = [record(ENGLISH, 0), record("42 / 17", 1)]
    ChunkLanguage(config)(work)
    assert [r.language for r in work.records] == ["en", "en"]
    assert (work.document.language, work.document.languages) == ("en", ["en"])
    assert [f.code for f in work.records[1].flags] == ["language_uncertain"]


def test_record_languages_are_the_same_with_and_without_redaction(tmp_path: Path):
    md = "\n\n".join(
        ["# Report", ENGLISH, "| a | b |\n|---|---|\n| 12 | 34 |", "# Bericht", GERMAN]
    )
    path = tmp_path / "mixed.md"
    path.write_text(md, encoding="utf-8")
    opts = {"chunk_max_tokens": 80, "chunk_target_tokens": 60, "chunk_min_tokens": 0}
    plain = llmprep.process(path, redact=False, **opts)
    redacted = llmprep.process(path, redact=True, **opts)
    assert [r.language for r in plain.records] == [r.language for r in redacted.records]
    assert plain.documents[0].languages == redacted.documents[0].languages


def test_a_mixed_english_german_document_gets_both_languages_and_per_chunk_codes(tmp_path: Path):
    sections = [
        ("Annual report", ENGLISH),
        ("Finances", ENGLISH.replace("March", "May")),
        ("Jahresbericht", GERMAN),
        ("Finanzen", GERMAN.replace("März", "Mai")),
    ]
    md = "\n\n".join(f"# {title}\n\n{body}" for title, body in sections)
    path = tmp_path / "mixed.md"
    path.write_text(md, encoding="utf-8")
    res = llmprep.process(
        path, redact=False, chunk_max_tokens=80, chunk_target_tokens=60, chunk_min_tokens=0
    )
    doc = res.documents[0]
    assert sorted(doc.languages) == ["de", "en"]
    assert doc.language in {"de", "en"}
    codes = {r.language for r in res.records + res.rejected}
    assert codes == {"de", "en"}
    for r in res.records + res.rejected:
        assert r.language == ("de" if "Ausschuss" in r.text else "en")


def test_expected_languages_in_the_config_restrict_chunk_answers():
    config = Config().with_overrides(**{"language.languages": ["de", "en"]})
    doc = Document(id="d", source=SOURCE, elements=[Element(type="paragraph", text=GERMAN)])
    work = DocWork(document=doc, rel_path="x", config=config, config_hash="h")
    DocumentLanguage(config)(work)
    work.records = [record("Die Kapelle", 0)]
    ChunkLanguage(config)(work)
    assert work.records[0].language == "de"
