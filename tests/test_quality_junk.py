"""Junk that no length makes acceptable: text without a letter, one long token."""

from __future__ import annotations

import base64
import random

import pytest

import llmprep
from test_quality import PROSE, flag, run_quality

SYMBOLS = "0123456789+-*/=<>()[]{}%$#@!?.,;:|~^&"


def symbol_text(chars: int, seed: int = 0) -> str:
    """Space-separated runs of digits and symbols, no letter anywhere."""
    rng = random.Random(seed)
    words: list[str] = []
    while sum(map(len, words)) + len(words) < chars:
        words.append("".join(rng.choice(SYMBOLS) for _ in range(rng.randint(1, 8))))
    return " ".join(words)[:chars]


@pytest.mark.parametrize("chars", [40, 300, 3000])
def test_a_text_of_symbols_and_digits_without_a_letter_is_blocked(chars: int) -> None:
    work = run_quality(symbol_text(chars, seed=chars))
    alpha = flag(work, "alpha_words")
    assert alpha is not None and alpha.value == 0 and alpha.severity == "block"


def test_a_3000_character_symbol_file_has_no_kept_record() -> None:
    res = llmprep.process_text(symbol_text(3000), redact=False)
    assert res.records == [] and res.rejected
    assert all("alpha_words" in r.reasons for r in res.rejected)


def test_a_table_of_numbers_without_any_letter_is_blocked_even_as_a_table() -> None:
    rows = "\n".join(f"| {i} | {i * 7} | {i * 13} |" for i in range(30))
    work = run_quality(rows, types=["table"])
    alpha = flag(work, "alpha_words")
    assert alpha is not None and alpha.severity == "block"


def test_words_of_symbols_do_not_count_as_words_with_a_letter() -> None:
    # '4.5', '3/4', '10-12' and '+1' were "alpha" before: anything but pure digits counted.
    work = run_quality("ok 4.5 3/4 10-12 +1")
    alpha = flag(work, "alpha_words")
    assert alpha is not None and alpha.value == 0.2


def test_a_one_token_chunk_of_thousands_of_characters_is_blocked() -> None:
    work = run_quality("7" * 3000)
    long_token = flag(work, "long_token")
    assert long_token is not None and long_token.severity == "block"


def test_base64_cut_into_one_word_chunks_has_no_kept_record() -> None:
    blob = base64.b64encode(random.Random(1).randbytes(3000)).decode()
    res = llmprep.process_text(blob, redact=False)
    assert res.records == [] and len(res.rejected) > 1
    assert all("long_words" in r.reasons for r in res.rejected)


def test_a_long_url_inside_a_paragraph_only_warns() -> None:
    url = "https://example.com/download?token=" + "a1b2c3d4" * 130
    text = f"{PROSE} The signed form is at {url} and must be returned soon. {PROSE} {PROSE}"
    work = run_quality(text)
    long_token = flag(work, "long_token")
    assert long_token is not None and long_token.severity == "warn"
    assert [f for f in work.records[0].flags if f.severity == "block"] == []


def test_a_list_of_links_keeps_its_warning() -> None:
    links = "\n".join(f"https://example.org/projects/team-{i}/subscription" for i in range(12))
    work = run_quality(links)
    assert [f.code for f in work.records[0].flags if f.severity == "block"] == []


def test_a_short_sentence_with_numbers_is_kept() -> None:
    work = run_quality("Prices rose 4.5% in 2024 and 3.1% in 2023.")
    assert [f for f in work.records[0].flags if f.severity == "block"] == []
