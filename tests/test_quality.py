"""Quality flags: texts written to trip each flag, ordinary texts that must not be blocked,
and the keep/reject policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llmprep
from llmprep.config import Config
from llmprep.errors import ConfigError
from llmprep.models import Document, Element, Flag, LoaderInfo, PiiSpan, Record, RecordPii, Source
from llmprep.policy import rejection_reasons
from llmprep.stages.base import DocWork
from llmprep.stages.quality.stage import Quality
from llmprep.stages.quality.text import measure

SOURCE = Source(
    path="t.txt",
    sha256="0" * 64,
    size=0,
    media_type="text/plain",
    loader=LoaderInfo(name="t", version="1"),
)

PROSE = (
    "The committee met on Tuesday to review the draft budget for the coming year. After a long "
    "discussion about staffing, the members agreed to postpone the decision on new hires until the "
    "second quarter, when revenue figures will be clearer. They also asked the finance team to "
    "prepare two alternative scenarios, one with a modest increase in spending and one that keeps "
    "costs flat, so that the board can compare them at its next meeting."
)
# About sixty words of English with none of Gopher's stop words (the, be, to, of, and, that, have, with).
NO_STOP_WORDS = (
    "Quarterly revenue rose sharply in March. Analysts expected slower growth, yet demand for "
    "cloud services kept climbing across every region. Management credits new pricing plus a "
    "leaner sales organisation for this result. Margins improved for a third straight quarter "
    "while costs fell. Investors welcomed these numbers, pushing shares up eight percent during "
    "early trading on Friday. Several competitors reported weaker figures this week, citing "
    "currency effects."
)


def run_quality(
    *texts: str,
    config: Config | None = None,
    types: list[str] | None = None,
    language: str = "en",
    chunk_language: str | None = None,
    doc_flags: list[Flag] | None = None,
    tokens: int | None = None,
    spans: list[PiiSpan] | None = None,
    extra: dict | None = None,
) -> DocWork:
    config = config or Config()
    etype = (types or ["paragraph"])[0]
    elements = [Element(type=etype, text=t, pii=list(spans or [])) for t in texts if t]  # type: ignore[arg-type]
    doc = Document(
        id="d_test",
        source=SOURCE,
        elements=elements,
        language=language,
        flags=list(doc_flags or []),
    )
    if extra:
        doc.metadata.extra.update(extra)
    records = [
        Record(
            id=f"r_test_{i}",
            doc_id=doc.id,
            chunk_index=i,
            text=text,
            element_types=types or ["paragraph"],
            language=chunk_language or language,
            tokens=tokens if tokens is not None else max(1, len(text) // 4),
            tokenizer="chars",
            pii=RecordPii(spans=list(spans or [])),
            source=SOURCE,
        )
        for i, text in enumerate(texts)
    ]
    work = DocWork(
        document=doc, rel_path="t.txt", config=config, config_hash="test", records=records
    )
    Quality(config)(work)
    return work


def flag(work: DocWork, code: str, record: int = 0) -> Flag | None:
    return next((f for f in work.records[record].flags if f.code == code), None)


def doc_flag(work: DocWork, code: str) -> Flag | None:
    return next((f for f in work.document.flags if f.code == code), None)


# -- ordinary texts are never blocked -------------------------------------------------------------


def test_an_ordinary_paragraph_gets_no_flag_at_all() -> None:
    work = run_quality(PROSE)
    assert work.records[0].flags == []
    assert work.document.flags == []


@pytest.mark.parametrize(
    ("text", "types"),
    [
        (
            "| Name | Role | Start |\n|---|---|---|\n| Alpha | Lead | 2021 |\n| Beta | Dev | 2022 |\n| Gamma | QA | 2023 |",
            ["table"],
        ),
        (
            "Item,Owner,Count\nbolts,stores,1200\nnuts,stores,3400\nwashers,workshop,560\nscrews,workshop,78",
            ["paragraph"],
        ),
        ("milk\neggs\nbread\nbutter\ncoffee\ntea\nsugar", ["list_item"]),
        ("- milk\n- eggs\n- bread\n- butter\n- coffee", ["paragraph"]),
        ("Thanks, Tuesday works for me.\nSee you then.", ["paragraph"]),
        ("def main() -> int:\n    return 0\n\nif __name__ == '__main__':\n    main()", ["code"]),
    ],
    ids=[
        "markdown-table",
        "csv-table-as-paragraph",
        "list",
        "bullets-as-paragraph",
        "email-reply",
        "code",
    ],
)
def test_tables_lists_code_and_short_replies_are_never_blocked(text: str, types: list[str]) -> None:
    work = run_quality(text, types=types)
    assert [f for f in work.records[0].flags if f.severity == "block"] == []
    assert [f for f in work.document.flags if f.severity == "block"] == []


def test_a_long_numeric_table_warns_where_prose_would_be_blocked() -> None:
    rows = "\n".join(f"| {i} | {i * 7} | {i * 13} | {i * 17} |" for i in range(40))
    work = run_quality("| a | b | c | d |\n|---|---|---|---|\n" + rows, types=["table"])
    alpha = flag(work, "alpha_words")
    assert alpha is not None and alpha.severity == "warn"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("paragraph.txt", PROSE + "\n"),
        (
            "table.md",
            "| Name | Role | Start |\n|---|---|---|\n| Alpha | Lead | 2021 |\n| Beta | Dev | 2022 |\n",
        ),
        ("list.md", "# Shopping\n\n- milk\n- eggs\n- bread\n- butter\n"),
    ],
)
def test_ordinary_files_through_the_whole_pipeline_keep_all_their_records(
    tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    res = llmprep.process(path)
    assert res.status == "ok"
    assert res.rejected == []
    assert res.records
    assert all(f.severity != "block" for r in res.records for f in r.flags)


def test_a_two_line_email_reply_through_the_whole_pipeline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "reply.eml"
    path.write_bytes(
        b"From: Anna Berg <anna@example.com>\r\nTo: Bob Stone <bob@example.com>\r\n"
        b"Subject: Re: Meeting\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\n"
        b"Message-ID: <2@example.com>\r\nIn-Reply-To: <1@example.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Thanks, Tuesday works for me.\r\nSee you then.\r\n\r\n"
        b"On Mon, 3 Mar 2025, Bob Stone wrote:\r\n> Can we move the meeting to Tuesday?\r\n"
    )
    res = llmprep.process(path)
    assert res.rejected == []
    assert res.records
    assert all(f.severity != "block" for r in res.records for f in r.flags)


# -- each flag, tripped on purpose ------------------------------------------------------------------


def test_an_empty_chunk_is_blocked_and_an_empty_document_only_warned() -> None:
    work = run_quality("   ")
    assert flag(work, "empty") is not None and flag(work, "empty").severity == "block"  # type: ignore[union-attr]
    assert doc_flag(work, "empty") is not None and doc_flag(work, "empty").severity == "warn"  # type: ignore[union-attr]


def test_a_chunk_of_a_page_number_is_near_empty() -> None:
    f = flag(run_quality("— 12 —"), "near_empty")
    assert f is not None and f.severity == "warn" and f.value == 2 and f.threshold == 10


def test_a_chunk_under_the_token_minimum_has_too_few_tokens() -> None:
    f = flag(run_quality("Thanks a lot!", tokens=3), "too_few_tokens")
    assert f is not None and f.severity == "warn" and f.value == 3 and f.threshold == 8


def test_a_short_document_has_few_words_as_information() -> None:
    f = doc_flag(run_quality("Thanks, see you on Monday."), "few_words")
    assert f is not None and f.severity == "info" and f.value == 5 and f.threshold == 50


def test_a_document_over_the_word_limit_has_many_words() -> None:
    config = Config().with_overrides(**{"quality.max_words": 40})
    f = doc_flag(run_quality(PROSE, config=config), "many_words")
    assert f is not None and f.threshold == 40


def test_letter_spaced_text_has_short_words() -> None:
    spaced = " ".join("the committee met on tuesday to review the draft budget for the coming year")
    f = flag(run_quality(spaced), "short_words")
    assert f is not None and f.severity == "block" and f.value < 1.5


def test_text_of_very_long_words_has_long_words() -> None:
    words = ["electroencephalographically", "counterrevolutionaries", "incomprehensibilities"]
    text = " ".join(words[i % 3] + f"x{i}" for i in range(60))
    f = flag(run_quality(text), "long_words")
    assert f is not None and f.severity == "block" and f.threshold == 10


def test_a_hashtag_soup_has_a_high_hash_ratio() -> None:
    text = PROSE + " " + " ".join(f"#topic{i}" for i in range(40))
    f = flag(run_quality(text), "hash_ratio")
    assert f is not None and f.severity == "block"


def test_text_broken_by_ellipses_has_a_high_ellipsis_ratio() -> None:
    text = " ... ".join(PROSE.split(" ")[i : i + 2][0] for i in range(0, 70, 2))
    f = flag(run_quality(text + " " + PROSE), "ellipsis_ratio")
    assert f is not None and f.threshold == 0.1


def test_lines_that_all_start_with_bullets_are_flagged_but_only_warned() -> None:
    text = "\n".join(f"• {sentence.strip()}." for sentence in PROSE.split(".") if sentence.strip())
    text += "\n• One more point about the plan for the coming year and its budget." * 3
    f = flag(run_quality(text), "bullet_lines")
    assert f is not None and f.severity == "warn"


def test_lines_that_trail_off_have_ellipsis_lines() -> None:
    words = PROSE.split()
    lines = [" ".join(words[i : i + 12]) + "..." for i in range(0, 72, 12)]
    f = flag(run_quality("\n".join(lines)), "ellipsis_lines")
    assert f is not None and f.severity == "block" and f.value == 1.0


def test_a_paragraph_of_mostly_numbers_has_few_alpha_words() -> None:
    numbers = " ".join(str(1000 + 37 * i) for i in range(60))
    text = f"The readings of the sensor and the values that we have with us are {numbers} in total."
    f = flag(run_quality(text), "alpha_words")
    assert f is not None and f.severity == "block" and f.value < 0.4


def test_english_without_stop_words_is_flagged() -> None:
    f = flag(run_quality(NO_STOP_WORDS), "stop_words")
    assert f is not None and f.severity == "block" and f.value == 0 and f.threshold == 2


def test_stop_words_are_checked_in_the_chunk_language() -> None:
    german = (
        "Der Ausschuss hat sich am Dienstag getroffen, um den Entwurf des Haushalts für das "
        "kommende Jahr zu prüfen. Nach einer langen Diskussion über das Personal haben die "
        "Mitglieder beschlossen, die Entscheidung über neue Stellen auf das zweite Quartal zu "
        "verschieben, wenn die Zahlen klarer sind. Sie haben auch die Finanzabteilung gebeten, "
        "zwei Szenarien vorzubereiten."
    )
    assert flag(run_quality(german, language="de"), "stop_words") is None
    assert (
        flag(run_quality(NO_STOP_WORDS.replace(".", ""), language="de"), "stop_words") is not None
    )


def test_no_stop_word_rule_applies_to_a_language_without_a_list() -> None:
    assert flag(run_quality(NO_STOP_WORDS, language="xx"), "stop_words") is None


def test_every_stop_word_list_finds_stop_words_in_real_sentences(corpus: Path) -> None:
    from llmprep.stages.quality.text import _stop_word_lists

    checked = 0
    for language in _stop_word_lists():
        path = corpus / "lang" / f"{language}.txt"
        if not path.exists():
            continue
        sentences = path.read_text(encoding="utf-8").splitlines()
        group: list[str] = []
        for sentence in sentences:
            group.append(sentence)
            if sum(len(s.split()) for s in group) >= 50:
                stats = measure(" ".join(group), language=language)
                assert stats.stop_words is not None and stats.stop_words >= 2, language
                group = []
        checked += 1
    assert checked >= 30


def test_repeated_lines_are_flagged() -> None:
    text = "\n".join(
        ["Subscribe to our newsletter for weekly updates on new products"] * 8 + [PROSE]
    )
    assert flag(run_quality(text), "dup_lines") is not None
    assert flag(run_quality(text), "dup_line_chars") is not None


def test_repeated_paragraphs_are_flagged() -> None:
    para = "Click the button below to accept all cookies and continue browsing the site as before."
    text = "\n\n".join([para, PROSE, para, para, para])
    work = run_quality(text)
    assert flag(work, "dup_paragraphs") is not None
    assert flag(work, "dup_paragraph_chars") is not None


def test_a_repeated_phrase_has_a_top_ngram_flag() -> None:
    f = flag(run_quality(" ".join(["buy now"] * 40)), "top_2gram")
    assert f is not None and f.severity == "block" and f.value > 0.8


def test_a_sentence_repeated_inside_a_paragraph_has_a_duplicated_ngram_flag() -> None:
    sentence = "Our service team answers every request within one business day, including weekends and holidays."
    f = flag(run_quality(" ".join([sentence] * 3) + " " + PROSE), "dup_5gram")
    assert f is not None and f.threshold == 0.15


def test_a_value_past_gophers_threshold_but_within_the_margin_only_warns() -> None:
    numbers = " ".join(str(1000 + 37 * i) for i in range(25))
    text = f"{PROSE} The readings of the sensor were {numbers} in total."  # alpha_words ~0.75
    warned = flag(run_quality(text), "alpha_words")
    strict = flag(
        run_quality(text, config=Config().with_overrides(**{"quality.block_margin": 1.0})),
        "alpha_words",
    )
    assert warned is not None and warned.severity == "warn"
    assert strict is not None and strict.severity == "block"


def test_templated_clauses_repeated_through_a_policy_are_warned_not_blocked() -> None:
    clause = (
        "and every access is written to the audit log that the compliance team reviews monthly."
    )
    rules = [
        f"Rule 3.{i}: {what} are stored in the {where} and kept for {months} months. Access is limited to the {who}, {clause}"
        for i, (what, where, months, who) in enumerate(
            [
                ("Ticket attachments", "document archive", 24, "support leads"),
                ("Call recordings", "telephony platform", 6, "quality coaches"),
                ("Chat transcripts", "messaging backend", 12, "agents"),
                ("Invoices", "billing system", 120, "finance team"),
                ("Survey answers", "feedback tool", 18, "insight team"),
                ("Escalation notes", "incident tracker", 36, "engineers"),
            ],
            1,
        )
    ]
    work = run_quality("\n\n".join(rules))
    f = flag(work, "dup_5gram")
    assert f is not None and f.severity == "warn"
    strict = run_quality(
        "\n\n".join(rules),
        config=Config().with_overrides(**{"quality.repetition_block_share": 0.0}),
    )
    assert flag(strict, "dup_5gram").severity == "block"  # type: ignore[union-attr]


def test_replacement_characters_are_flagged() -> None:
    f = flag(run_quality(PROSE.replace("budget", "bud\ufffdet")), "replacement_chars")
    assert f is not None and f.severity == "warn"


def test_private_use_characters_make_text_unlikely() -> None:
    garbled = " ".join("\ue000\ue001\ue002" + word for word in PROSE.split())
    f = flag(run_quality(garbled), "unlikely_chars")
    assert f is not None and f.severity == "block"


def test_mojibake_left_in_the_text_is_flagged() -> None:
    f = flag(run_quality(PROSE + " The cafÃ© served crÃ¨me brÃ»lÃ©e."), "mojibake")
    assert f is not None and f.value >= 3


def test_a_token_of_over_a_thousand_characters_is_flagged() -> None:
    f = flag(run_quality(PROSE + " " + "QUJD" * 300), "long_token")
    assert f is not None and f.value == 1200 and f.threshold == 1000


def test_lorem_ipsum_is_flagged() -> None:
    f = flag(
        run_quality("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " + PROSE),
        "lorem_ipsum",
    )
    assert f is not None and f.severity == "warn"


def test_a_chunk_in_another_language_than_its_document_is_a_mismatch_for_information() -> None:
    f = flag(run_quality(PROSE, language="en", chunk_language="de"), "language_mismatch")
    assert f is not None and f.severity == "info" and f.value == "de" and f.threshold == "en"


def test_a_chunk_outside_the_expected_languages_is_a_mismatch_warning() -> None:
    config = Config().with_overrides(**{"language.languages": ["fr", "nl"]})
    work = run_quality(PROSE, language="en", config=config)
    f = flag(work, "language_mismatch")
    assert f is not None and f.severity == "warn" and f.threshold == "fr,nl"
    assert doc_flag(work, "language_mismatch") is not None


def test_an_uncertain_chunk_language_is_not_called_a_mismatch() -> None:
    config = Config()
    doc = Document(
        id="d", source=SOURCE, elements=[Element(type="paragraph", text="Ok ja")], language="en"
    )
    record = Record(
        id="r",
        doc_id="d",
        chunk_index=0,
        text="Ok ja",
        language="de",
        tokens=2,
        tokenizer="chars",
        source=SOURCE,
        flags=[Flag(code="language_uncertain", severity="info", value=0.4, threshold=0.7)],
    )
    work = DocWork(document=doc, rel_path="t", config=config, config_hash="h", records=[record])
    Quality(config)(work)
    assert flag(work, "language_mismatch") is None


def test_an_html_page_that_is_mostly_boilerplate_is_flagged_on_document_and_chunks() -> None:
    work = run_quality(
        PROSE, doc_flags=[Flag(code="boilerplate_ratio", severity="info", value=0.04)]
    )
    f = doc_flag(work, "boilerplate_heavy")
    assert f is not None and f.value == 0.04 and f.threshold == 0.1
    assert flag(work, "boilerplate_heavy") is not None


def test_a_chunk_that_is_mostly_redacted_is_pii_dense() -> None:
    text = "<PERSON_1>\n<EMAIL_ADDRESS_1>\n<PHONE_NUMBER_1>\nSales"
    spans = [
        PiiSpan(
            start=s, end=s + len(p), entity_type="X", score=1.0, detector="t", operator="pseudonym"
        )
        for p, s in (("<PERSON_1>", 0), ("<EMAIL_ADDRESS_1>", 11), ("<PHONE_NUMBER_1>", 29))
    ]
    work = run_quality(text, spans=spans)
    f = flag(work, "pii_dense")
    assert f is not None and f.value > 0.8 and f.threshold == 0.3
    assert flag(work, "long_words") is None  # placeholders are not words of the language


def test_a_chunk_of_quoted_email_only_is_quoted_only() -> None:
    f = flag(run_quality("Can we move the meeting to Tuesday?", types=["quote"]), "quoted_only")
    assert f is not None and f.severity == "info"


def test_loader_flags_that_matter_for_chunks_are_copied_onto_every_record() -> None:
    ocr = Flag(code="needs_ocr", severity="warn", value=3)
    work = run_quality(PROSE, PROSE, doc_flags=[ocr])
    assert flag(work, "needs_ocr", 0) == ocr
    assert flag(work, "needs_ocr", 1) == ocr


def test_a_loader_that_hit_a_size_limit_makes_its_chunks_truncated() -> None:
    work = run_quality(PROSE, extra={"truncated": "max_attachment_mb"})
    assert doc_flag(work, "truncated") is not None
    assert flag(work, "truncated") is not None and flag(work, "truncated").severity == "warn"  # type: ignore[union-attr]


def test_text_without_spaces_gets_no_word_based_flags() -> None:
    chinese = (
        "委员会周二开会审查了来年的预算草案。经过长时间讨论，成员们同意将新员工的决定推迟到第二季度，届时收入数字会更清楚。"
        * 2
    )
    work = run_quality(chinese, language="zh")
    codes = {f.code for f in work.records[0].flags}
    assert not codes & {"long_words", "short_words", "stop_words", "alpha_words"}


# -- configuration --------------------------------------------------------------------------------


def test_a_severity_can_be_replaced_in_config() -> None:
    config = Config().with_overrides(**{"quality.severities": {"stop_words": "info"}})
    f = flag(run_quality(NO_STOP_WORDS, config=config), "stop_words")
    assert f is not None and f.severity == "info"


def test_an_unknown_flag_code_in_severities_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="stop_wrods"):
        Config().with_overrides(**{"quality.severities": {"stop_wrods": "info"}})


def test_thresholds_come_from_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "llmprep.toml"
    path.write_text(
        "[quality]\nmin_stop_words = 0\nmax_top_ngram_chars = { 2 = 0.95 }\n", encoding="utf-8"
    )
    config = Config.from_file(path)
    work = run_quality(NO_STOP_WORDS + " " + " ".join(["buy now"] * 10), config=config)
    assert flag(work, "stop_words") is None
    assert config.quality.max_top_ngram_chars == {2: 0.95}


def test_bad_ngram_thresholds_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match="max_dup_ngram_chars"):
        Config.from_mapping({"quality": {"max_dup_ngram_chars": {"5": 1.5}}})


def test_tables_can_be_made_blockable_by_config() -> None:
    config = Config().with_overrides(**{"quality.structured_max_severity": "block"})
    rows = "\n".join(f"| {i} | {i * 7} | {i * 13} |" for i in range(40))
    f = flag(run_quality(rows, types=["table"], config=config), "alpha_words")
    assert f is not None and f.severity == "block"


def test_quality_can_be_switched_off_leaving_only_copied_loader_flags() -> None:
    config = Config().with_overrides(**{"quality.enabled": False})
    work = run_quality(
        " ".join(["buy now"] * 40),
        config=config,
        doc_flags=[Flag(code="needs_ocr", severity="warn")],
    )
    assert [f.code for f in work.records[0].flags] == ["needs_ocr"]


# -- policy ---------------------------------------------------------------------------------------


def record_with(*flags: Flag, duplicate_of: str | None = None) -> Record:
    return Record(
        id="r",
        doc_id="d",
        chunk_index=0,
        text="x",
        tokens=1,
        tokenizer="chars",
        source=SOURCE,
        flags=list(flags),
        duplicate_of=duplicate_of,
    )


def test_the_default_policy_rejects_block_flags_only() -> None:
    record = record_with(
        Flag(code="stop_words", severity="block"), Flag(code="pii_dense", severity="warn")
    )
    assert rejection_reasons(record, Config()) == ["stop_words"]


def test_keep_flags_win_over_severity_and_reject_flags() -> None:
    config = Config().with_overrides(
        **{"policy.keep_flags": ["stop_words"], "policy.reject_flags": ["stop_words"]}
    )
    assert rejection_reasons(record_with(Flag(code="stop_words", severity="block")), config) == []


def test_reject_flags_take_shell_patterns_whatever_the_severity() -> None:
    config = Config().with_overrides(**{"policy.reject_flags": ["dup_*gram", "pii_dense"]})
    record = record_with(
        Flag(code="dup_7gram", severity="warn"),
        Flag(code="pii_dense", severity="info"),
        Flag(code="top_2gram", severity="warn"),
    )
    assert rejection_reasons(record, config) == ["dup_7gram", "pii_dense"]


def test_duplicates_are_rejected_only_when_the_policy_says_so() -> None:
    record = record_with(
        Flag(code="duplicate_exact", severity="info", value=1.0), duplicate_of="r_first"
    )
    assert rejection_reasons(record, Config()) == []
    config = Config().with_overrides(**{"policy.reject_duplicates": True})
    assert rejection_reasons(record, config) == ["duplicate"]


def test_a_rejected_chunk_lands_in_the_rejected_list_with_its_reasons(tmp_path: Path) -> None:
    path = tmp_path / "spam.txt"
    path.write_text(" ".join(["buy now"] * 60) + "\n", encoding="utf-8")
    res = llmprep.process(path, redact=False)
    assert res.records == []
    assert "top_2gram" in res.rejected[0].reasons


# -- the fast n-gram pass is exact ----------------------------------------------------------------


def _naive_top(tokens: list[str], n: int, chars: int) -> float:
    from collections import Counter

    grams = Counter(zip(*(tokens[k:] for k in range(n)), strict=False))
    if not grams:
        return 0.0
    gram, count = grams.most_common(1)[0]
    return count * (sum(map(len, gram)) + n - 1) / chars if count > 1 else 0.0


def _naive_dup(tokens: list[str], n: int, chars: int) -> float:
    seen: set[tuple[str, ...]] = set()
    covered: set[int] = set()
    for i, gram in enumerate(zip(*(tokens[k:] for k in range(n)), strict=False)):
        if gram in seen:
            covered.update(range(i, i + n))
        seen.add(gram)
    return min(1.0, sum(len(tokens[i]) + 1 for i in covered) / chars)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "bb", "the", "cat", "sat", "on", "mat", "xyzzy"]),
        min_size=2,
        max_size=60,
    )
)
def test_the_ngram_pass_over_runs_of_repeated_words_equals_the_full_count(
    tokens: list[str],
) -> None:
    from collections import Counter

    from llmprep.stages.quality.text import (
        _dup_share,
        _level_bounds,
        _runs,
        _top_bounds,
        _top_share,
    )

    chars = len(" ".join(tokens))
    counts = Counter(tokens)
    mask = bytes(c > 1 for c in map(counts.__getitem__, tokens))
    bounds = _top_bounds(counts, chars, (2, 3, 4))
    tight = _level_bounds(counts, chars, (2, 3, 4))
    for n in (2, 3, 4):
        exact = _naive_top(tokens, n, chars)
        assert _top_share(tokens, _runs(mask, n), n, chars) == pytest.approx(exact)
        assert bounds[n] >= exact - 1e-12
        assert tight[n] >= exact - 1e-12
    lengths = list(map(len, tokens))
    for n in (5, 6, 10):
        assert _dup_share(tokens, lengths, _runs(mask, n), n, chars) == pytest.approx(
            _naive_dup(tokens, n, chars)
        )
