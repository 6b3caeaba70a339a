"""Normalization: one test per rule on written strings, idempotence as a property, the stage."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from llmprep.config import Config
from llmprep.models import Document, Element, LoaderInfo, Source
from llmprep.stages.base import DocWork
from llmprep.stages.normalize.stage import Normalize, normalize_elements
from llmprep.stages.normalize.text import TextOptions, normalize_text


def norm(text: str, mode: str = "prose", **options: bool) -> str:
    return normalize_text(text, mode, TextOptions(**options)).text  # type: ignore[arg-type]


def doc_of(*elements: Element) -> Document:
    source = Source(
        path="x.txt",
        sha256="0" * 64,
        size=1,
        media_type="text/plain",
        loader=LoaderInfo(name="t", version="1"),
    )
    return Document(id="d", source=source, elements=list(elements))


def run_stage(doc: Document, config: Config | None = None) -> Document:
    config = config or Config()
    Normalize(config)(DocWork(document=doc, rel_path="x.txt", config=config, config_hash="h"))
    return doc


# -- Unicode ----------------------------------------------------------------------------------


def test_text_is_composed_to_nfc():
    assert norm("cafe\u0301") == "caf\u00e9"


def test_latin_ligatures_from_pdfs_are_spelled_out():
    assert norm("the ﬁnal ﬂow of ﬀ, ﬃ and ﬄ") == "the final flow of ff, ffi and ffl"


def test_fullwidth_letters_and_digits_fold_to_ascii():
    assert norm("ＡＢＣ ｘｙｚ １２３ ＃＄％") == "ABC xyz 123 #$%"


def test_cjk_sentence_punctuation_stays_fullwidth():
    assert norm("你好，世界！") == "你好，世界！"


def test_non_breaking_and_odd_spaces_become_plain_spaces():
    assert norm("a\u00a0b\u2009c\u202fd\u3000e\u2003f") == "a b c d e f"


def test_zero_width_characters_and_soft_hyphens_are_removed():
    assert norm("zero\u200bwidth\ufeff joi\u2060ner hy\u00adphen") == "zerowidth joiner hyphen"


def test_control_characters_are_removed_but_tabs_and_newlines_survive_in_tables():
    assert norm("a\x00b\x07c\x1bd\x7fe") == "abcde"
    assert norm("col1\tcol2\nv1\tv2", "table") == "col1\tcol2\nv1\tv2"


def test_zero_width_joiners_that_scripts_need_are_kept():
    persian = "می\u200cخواهم"
    assert norm(persian) == persian


def test_mojibake_is_repaired():
    assert norm("schÃ¶n und grÃ¼n") == "schön und grün"
    assert norm("â€œquotedâ€\x9d") == "\u201cquoted\u201d"


def test_mojibake_repair_is_reported():
    assert normalize_text("Ã  la carte").mojibake_fixed
    assert not normalize_text("à la carte").mojibake_fixed


def test_mojibake_repair_can_be_switched_off():
    assert norm("schÃ¶n", fix_mojibake=False) == "schÃ¶n"


# -- whitespace -------------------------------------------------------------------------------


def test_runs_of_spaces_and_tabs_collapse_to_one_space_in_prose():
    assert norm("too   many \t spaces") == "too many spaces"


def test_trailing_and_leading_spaces_on_lines_are_removed():
    assert norm("  first line   \n   second line  ") == "first line\nsecond line"


def test_at_most_one_blank_line_separates_paragraphs():
    assert norm("one\n\n\n\n\ntwo\n \n\t\nthree") == "one\n\ntwo\n\nthree"


def test_line_break_styles_become_newlines():
    assert norm("a\r\nb\rc\u2028d\x0ce") == "a\nb\nc\nd\ne"


def test_hyphenation_at_a_line_break_is_joined():
    assert norm("the infor-\nmation was pub- \nlished") == "the information was published"


def test_hyphen_before_a_capitalised_line_is_kept():
    assert norm("Jean-\nPaul") == "Jean-\nPaul"


def test_hyphenation_joining_can_be_switched_off():
    assert norm("infor-\nmation", join_hyphenation=False) == "infor-\nmation"


def test_code_keeps_its_indentation_and_blank_lines():
    code = "def f():\n    return 1\n\n\n# end"
    assert norm(code + "   \n\n", "code") == code


# -- punctuation ------------------------------------------------------------------------------


def test_smart_quotes_and_dashes_are_kept_by_default():
    text = "\u201cYes\u201d \u2014 she said \u2018twice\u2019 \u2013 1990\u20131995\u2026"
    assert norm(text) == text


def test_ascii_punctuation_option_folds_quotes_dashes_and_ellipses():
    text = "\u201cYes\u201d \u2014 she said \u2018twice\u2019 \u2013 \u00abnon\u00bb\u2026"
    assert norm(text, ascii_punctuation=True) == '"Yes" - she said \'twice\' - "non"...'


# -- lists ------------------------------------------------------------------------------------


def elements_after(*elements: Element) -> list[tuple[str, str]]:
    out, _ = normalize_elements(list(elements), TextOptions())
    return [(e.type, e.text) for e in out]


def test_bulleted_lines_in_a_paragraph_become_list_items():
    para = Element(type="paragraph", text="Bring:\n• a pen\n▪ paper\n\nThanks.")
    assert elements_after(para) == [
        ("paragraph", "Bring:"),
        ("list_item", "a pen"),
        ("list_item", "paper"),
        ("paragraph", "Thanks."),
    ]


def test_numbered_lines_become_list_items_that_keep_their_numbers():
    para = Element(type="paragraph", text="Steps\n1. Open the lid\n2) Pour\n(c) Stir")
    assert elements_after(para) == [
        ("paragraph", "Steps"),
        ("list_item", "1. Open the lid"),
        ("list_item", "2) Pour"),
        ("list_item", "(c) Stir"),
    ]


def test_wrapped_list_items_are_joined_into_one_line():
    para = Element(type="paragraph", text="- first item that\n  wraps here\n- second")
    assert elements_after(para) == [
        ("list_item", "first item that wraps here"),
        ("list_item", "second"),
    ]


def test_a_single_dash_or_number_line_is_not_taken_for_a_list():
    assert elements_after(Element(type="paragraph", text="- 5 degrees tonight")) == [
        ("paragraph", "- 5 degrees tonight")
    ]
    assert elements_after(Element(type="paragraph", text="2019. That year it rained.")) == [
        ("paragraph", "2019. That year it rained.")
    ]


def test_list_items_from_loaders_lose_their_bullet_glyph():
    assert elements_after(Element(type="list_item", text="•  • buy milk")) == [
        ("list_item", "buy milk")
    ]


def test_list_items_record_their_kind_in_metadata():
    out, _ = normalize_elements([Element(type="paragraph", text="• a\n1. b")], TextOptions())
    assert [e.metadata["list"] for e in out] == ["bullet", "ordered"]


def test_list_items_keep_the_page_and_heading_path_of_their_paragraph():
    para = Element(type="paragraph", text="• a\n• b", page=3, heading_path=["Intro"])
    out, _ = normalize_elements([para], TextOptions())
    assert {(e.page, tuple(e.heading_path)) for e in out} == {(3, ("Intro",))}


# -- the stage --------------------------------------------------------------------------------


def test_elements_that_become_empty_are_dropped():
    doc = run_stage(
        doc_of(
            Element(type="paragraph", text=" \u200b\u00a0\n "),
            Element(type="paragraph", text="kept"),
        )
    )
    assert [e.text for e in doc.elements] == ["kept"]


def test_repaired_mojibake_is_flagged_on_the_document():
    doc = run_stage(
        doc_of(Element(type="paragraph", text="grÃ¼n"), Element(type="paragraph", text="fine"))
    )
    assert [(f.code, f.value) for f in doc.flags] == [("mojibake_fixed", 1)]
    assert doc.elements[0].text == "grün"


def test_heading_paths_are_normalized_like_the_headings():
    doc = run_stage(doc_of(Element(type="paragraph", text="x", heading_path=["Intro\u00a0 ﬁrst"])))
    assert doc.elements[0].heading_path == ["Intro first"]


def test_running_the_stage_twice_changes_nothing():
    doc = doc_of(
        Element(type="paragraph", text="Bring:\n• a  pen\n• pa-\nper"),
        Element(type="heading", text="TÃ¼r\u00a0zu"),
        Element(type="code", text="  x = 1  \n"),
    )
    once = run_stage(doc).model_dump()
    twice = run_stage(Document.model_validate(once)).model_dump()
    assert twice == once


def test_the_same_input_gives_the_same_output_byte_for_byte():
    text = "a\u00a0\u00a0b ﬁ\r\n\n\n• x\n• y ÃŸ"
    first = run_stage(doc_of(Element(type="paragraph", text=text)))
    second = run_stage(doc_of(Element(type="paragraph", text=text)))
    assert first.model_dump_json() == second.model_dump_json()


# -- idempotence as a property ----------------------------------------------------------------

# Characters every rule reacts to, mixed with ordinary text.
_TRICKY = (
    " \t\n\r\x0b\x0c\x00\x07\x85\u00a0\u2009\u3000\u200b\u200c\u200d\u00ad\ufeff\u2028\u2029"
    "ﬁﬂﬀＡｚ１，！-–—•▪*·123().aAéÃ©â€™œ\u0301\u0308\u201c\u201d\u2018\u2019\u2026«»"
)
texts = st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(codec="utf-8"), max_size=80)


@settings(max_examples=200, deadline=None)
@given(texts, st.sampled_from(["prose", "table", "code"]), st.booleans())
def test_normalizing_twice_changes_nothing(text, mode, ascii_punct):
    options = TextOptions(ascii_punctuation=ascii_punct)
    once = normalize_text(text, mode, options).text
    assert normalize_text(once, mode, options).text == once


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["paragraph", "list_item", "heading", "table", "code"]), texts),
        max_size=5,
    )
)
@example([("paragraph", "• -\nÂ\n0")])  # joined item lines once met a mojibake rule anew
def test_normalizing_elements_twice_changes_nothing(items):
    first, _ = normalize_elements([Element(type=t, text=x) for t, x in items], TextOptions())
    dumped = [e.model_dump() for e in first]
    second, _ = normalize_elements([Element.model_validate(d) for d in dumped], TextOptions())
    assert [e.model_dump() for e in second] == dumped


def test_list_splitting_can_be_switched_off():
    config = Config().with_overrides(**{"normalize.list_items": False})
    doc = run_stage(doc_of(Element(type="paragraph", text="Bring:\n• a pen\n• paper")), config)
    assert [(e.type, e.text) for e in doc.elements] == [("paragraph", "Bring:\n• a pen\n• paper")]


def test_the_stage_follows_the_ascii_punctuation_setting():
    config = Config().with_overrides(**{"normalize.ascii_punctuation": True})
    doc = run_stage(doc_of(Element(type="paragraph", text="\u201cfine\u201d \u2014 ok")), config)
    assert doc.elements[0].text == '"fine" - ok'
