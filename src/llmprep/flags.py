"""Every flag llmprep sets, in one catalog: code, where it applies, default severity, source, meaning.

Stages make flags through `make_flag`, which refuses a code that is not here; config validation
(`[quality] severities`), the run-wide policy and `docs/quality.md` (a test compares them) all
read this table. Adding a flag means one entry here, the line that sets it, and its doc row.

`on`: `chunk`, `doc` or `both` (a document flag in `[quality] inherit_flags` is also copied onto
every record of its document). `stage`: which part of the flow sets it; severities of the
`quality` stage are overridden (and capped on structured text) inside that stage, all others
when the run applies its policy. `source`: where the default threshold comes from (Gopher = Rae
et al. 2021, table A1; C4 = Raffel et al. 2020; FineWeb = Penedo et al. 2024; ours).
`capped`: a web-text heuristic whose severity is capped on tables, lists, code and short texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .models import Flag, Severity

On = Literal["chunk", "doc", "both"]


@dataclass(frozen=True, slots=True)
class FlagSpec:
    code: str
    on: On
    severity: Severity
    stage: str
    source: str
    meaning: str
    capped: bool = False


def _gopher(code: str, on: On, meaning: str) -> FlagSpec:
    return FlagSpec(code, on, "block", "quality", "Gopher", meaning, capped=True)


_SPECS: list[FlagSpec] = [
    # -- text quality (stages/quality) ------------------------------------------------------
    FlagSpec("empty", "both", "block", "quality", "ours", "no text at all (a document: warn)"),
    FlagSpec(
        "near_empty",
        "both",
        "warn",
        "quality",
        "ours",
        "fewer letters/digits than min_alnum_chars",
        capped=True,
    ),
    FlagSpec(
        "too_few_tokens",
        "chunk",
        "warn",
        "quality",
        "ours",
        "a chunk under min_chunk_tokens",
        capped=True,
    ),
    FlagSpec(
        "few_words",
        "doc",
        "info",
        "quality",
        "Gopher",
        "a document under min_words words",
        capped=True,
    ),
    FlagSpec(
        "many_words",
        "doc",
        "info",
        "quality",
        "Gopher",
        "a document over max_words words",
        capped=True,
    ),
    _gopher("short_words", "both", "mean word length under min_mean_word_length"),
    _gopher("long_words", "both", "mean word length over max_mean_word_length"),
    _gopher("hash_ratio", "both", "'#' symbols per word over max_hash_ratio"),
    _gopher("ellipsis_ratio", "both", "ellipses per word over max_ellipsis_ratio"),
    _gopher("bullet_lines", "both", "share of lines starting with a bullet"),
    _gopher("ellipsis_lines", "both", "share of lines ending with an ellipsis"),
    _gopher("alpha_words", "both", "share of words with a letter under min_alpha_words"),
    _gopher("stop_words", "both", "fewer stop words than min_stop_words"),
    _gopher("dup_lines", "both", "share of repeated lines"),
    _gopher("dup_paragraphs", "both", "share of repeated paragraphs"),
    _gopher("dup_line_chars", "both", "share of characters in repeated lines"),
    _gopher("dup_paragraph_chars", "both", "share of characters in repeated paragraphs"),
    *(
        _gopher(f"top_{n}gram", "chunk", f"characters in the most frequent {n}-gram")
        for n in range(1, 11)
    ),
    *(_gopher(f"dup_{n}gram", "chunk", f"characters in repeated {n}-grams") for n in range(1, 21)),
    FlagSpec(
        "replacement_chars",
        "both",
        "warn",
        "quality",
        "ours",
        "U+FFFD replacement characters",
        capped=True,
    ),
    FlagSpec(
        "unlikely_chars",
        "both",
        "block",
        "quality",
        "ours",
        "controls, private-use or replacement characters over max_unlikely_chars",
    ),
    FlagSpec(
        "mojibake",
        "both",
        "warn",
        "quality",
        "ours",
        "mis-decoded text left in the text",
        capped=True,
    ),
    FlagSpec(
        "long_token",
        "both",
        "block",
        "quality",
        "C4",
        "a token longer than max_word_length (blocks when it is most of the text)",
        capped=True,
    ),
    FlagSpec("lorem_ipsum", "both", "warn", "quality", "C4", "placeholder text", capped=True),
    FlagSpec(
        "language_mismatch",
        "both",
        "warn",
        "quality",
        "ours",
        "not one of [language] languages (warn), or not its document's language (info)",
    ),
    FlagSpec(
        "boilerplate_heavy",
        "doc",
        "warn",
        "quality",
        "ours",
        "HTML main content under min_main_content_ratio of the visible text",
        capped=True,
    ),
    FlagSpec(
        "pii_dense",
        "both",
        "warn",
        "quality",
        "ours",
        "share of characters redacted over max_pii_ratio",
    ),
    FlagSpec(
        "quoted_only",
        "chunk",
        "info",
        "quality",
        "ours",
        "every element is an email quote",
        capped=True,
    ),
    FlagSpec(
        "truncated",
        "doc",
        "warn",
        "quality",
        "ours",
        "the file looks cut short (PDF without %%EOF, MIME part without its closing boundary)",
    ),
    # -- language (stages/language) ----------------------------------------------------------
    FlagSpec(
        "language_uncertain",
        "chunk",
        "info",
        "language",
        "ours",
        "detection confidence under min_confidence (warn when undetermined)",
    ),
    # -- normalization (stages/normalize) ----------------------------------------------------
    FlagSpec(
        "mojibake_fixed", "doc", "info", "normalize", "ours", "mis-decoded text was repaired (ftfy)"
    ),
    # -- dedup (run-wide) --------------------------------------------------------------------
    FlagSpec(
        "duplicate_exact",
        "chunk",
        "info",
        "dedup",
        "ours",
        "the same normalized text as an earlier chunk",
    ),
    FlagSpec(
        "duplicate_near",
        "chunk",
        "info",
        "dedup",
        "ours",
        "estimated Jaccard with an earlier chunk at or over the threshold",
    ),
    FlagSpec(
        "duplicate_doc_exact",
        "chunk",
        "info",
        "dedup",
        "ours",
        "the whole document repeats an earlier one",
    ),
    FlagSpec(
        "duplicate_doc_near",
        "chunk",
        "info",
        "dedup",
        "ours",
        "the whole document nearly repeats an earlier one",
    ),
    # -- loaders -----------------------------------------------------------------------------
    FlagSpec(
        "encoding_lossy",
        "doc",
        "warn",
        "loader",
        "ours",
        "bytes that no candidate charset decodes were replaced",
    ),
    FlagSpec(
        "needs_ocr", "doc", "warn", "loader:pdf", "ours", "pages with images and no text layer"
    ),
    FlagSpec("ocr", "doc", "info", "loader:pdf", "ours", "pages read by OCR (the ocr extra)"),
    FlagSpec(
        "ocr_low_confidence",
        "doc",
        "warn",
        "loader:pdf",
        "ours",
        "pages whose mean OCR confidence is under [ocr] min_confidence",
    ),
    FlagSpec(
        "no_main_content",
        "doc",
        "warn",
        "loader:html",
        "ours",
        "no main content found: the full page text was used",
    ),
    FlagSpec(
        "main_content_simplified",
        "doc",
        "info",
        "loader:html",
        "ours",
        "a page too large for trafilatura: structural extraction only",
    ),
    FlagSpec(
        "markup_flattened",
        "doc",
        "warn",
        "loader:html",
        "ours",
        "markup nested too deep was read as flat text",
    ),
    FlagSpec(
        "boilerplate_ratio",
        "doc",
        "info",
        "loader:html",
        "ours",
        "share of the visible text that is main content",
    ),
    FlagSpec(
        "email_html_fallback",
        "doc",
        "info",
        "loader:email",
        "ours",
        "an HTML body read by the plain fallback",
    ),
    FlagSpec(
        "email_utf16",
        "doc",
        "info",
        "loader:email",
        "ours",
        "a message stored in UTF-16, converted",
    ),
    FlagSpec(
        "email_charset_mismatch",
        "doc",
        "info",
        "loader:email",
        "ours",
        "a body whose declared charset was wrong (value: the one used)",
    ),
    FlagSpec(
        "email_quoted",
        "doc",
        "info",
        "loader:email",
        "ours",
        "quoted replies were found (value: how many)",
    ),
    FlagSpec(
        "email_signature", "doc", "info", "loader:email", "ours", "a signature block was found"
    ),
    FlagSpec(
        "email_encrypted",
        "doc",
        "warn",
        "loader:email",
        "ours",
        "an encrypted or signed part could not be read",
    ),
    FlagSpec(
        "email_embedded_msg_listed",
        "doc",
        "info",
        "loader:email",
        "ours",
        "embedded Outlook messages listed, not expanded",
    ),
    FlagSpec(
        "email_date_unparseable",
        "doc",
        "warn",
        "loader:email",
        "ours",
        "the Date header could not be read",
    ),
]

CATALOG: dict[str, FlagSpec] = {spec.code: spec for spec in _SPECS}
QUALITY_CODES = frozenset(c for c, s in CATALOG.items() if s.stage == "quality")
UNCAPPED = frozenset(c for c in QUALITY_CODES if not CATALOG[c].capped)


def spec(code: str) -> FlagSpec:
    try:
        return CATALOG[code]
    except KeyError:
        raise KeyError(f"flag code {code!r} is not in llmprep.flags.CATALOG") from None


def make_flag(
    code: str,
    value: float | int | str | bool | None = None,
    threshold: float | int | str | None = None,
    *,
    severity: Severity | None = None,
) -> Flag:
    """A flag of a catalogued code, at its default severity unless one is given."""
    return Flag(
        code=code, severity=severity or spec(code).severity, value=value, threshold=threshold
    )


__all__ = ["CATALOG", "QUALITY_CODES", "UNCAPPED", "FlagSpec", "make_flag", "spec"]
