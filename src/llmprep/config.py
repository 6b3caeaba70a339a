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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RunConfig(_Section):
    """How a folder run executes; does not change outputs, so it is left out of the config hash."""

    workers: int = Field(default=0, ge=0, description="0 = number of cores.")
    timeout: float = Field(default=120.0, gt=0, description="Seconds per input file.")
    max_memory_mb: int = Field(default=0, ge=0, description="Per-worker address-space limit; 0 = none.")
    recycle_after: int = Field(default=200, ge=1, description="Files per worker before it is replaced.")
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = None


class LimitsConfig(_Section):
    max_file_mb: float = Field(default=512.0, gt=0)
    max_attachment_depth: int = Field(default=3, ge=0)
    max_attachment_mb: float = Field(default=50.0, gt=0)


class PdfConfig(_Section):
    passwords: list[str] = Field(default_factory=list)
    password_file: str | None = None
    remove_furniture: bool = True


class DocxConfig(_Section):
    include_footnotes: bool = True
    include_comments: bool = False
    max_uncompressed_mb: float = Field(default=512.0, gt=0)
    max_compression_ratio: float = Field(default=200.0, gt=0)


class HtmlConfig(_Section):
    mode: Literal["main", "full"] = "main"


class EmailConfig(_Section):
    body: Literal["plain", "html"] = "plain"
    drop_quoted: bool = False
    attachments: bool = True


class NormalizeConfig(_Section):
    ascii_punctuation: bool = False
    fix_mojibake: bool = True


class LanguageConfig(_Section):
    min_confidence: float = Field(default=0.7, ge=0, le=1)
    languages: list[str] = Field(default_factory=list, description="Expected languages (ISO 639-1).")


class PiiConfig(_Section):
    ner_model: str = Field(default="auto", description="'auto', 'none', or a spaCy package name.")
    entities: list[str] = Field(default_factory=list, description="Empty = all supported types.")
    default_operator: Literal["pseudonym", "replace", "mask", "hash", "redact", "keep"] = "pseudonym"
    operators: dict[str, Literal["pseudonym", "replace", "mask", "hash", "redact", "keep"]] = Field(
        default_factory=dict
    )
    score_threshold: float = Field(default=0.4, ge=0, le=1)
    allow_list: list[str] = Field(default_factory=list)
    allow_regex: list[str] = Field(default_factory=list)
    deny_list: dict[str, list[str]] = Field(default_factory=dict, description="entity type -> values")
    recognizers: list[dict[str, Any]] = Field(
        default_factory=list, description="Extra regex recognizers: {entity_type, pattern, score}."
    )


class ChunkConfig(_Section):
    tokenizer: str = Field(default="cl100k_base", description="'cl100k_base', 'hf:PATH' or 'chars'.")
    max_tokens: int = Field(default=512, ge=8)
    target_tokens: int = Field(default=400, ge=1)
    min_tokens: int = Field(default=64, ge=0)
    overlap_tokens: int = Field(default=0, ge=0)
    context: bool = True
    include_furniture: bool = Field(default=False, description="Chunk header/footer elements too.")


class QualityConfig(_Section):
    thresholds: dict[str, float] = Field(default_factory=dict)
    severities: dict[str, Literal["info", "warn", "block"]] = Field(default_factory=dict)


class DedupConfig(_Section):
    exact: bool = True
    near: bool = True
    threshold: float = Field(default=0.8, gt=0, le=1)
    num_perm: int = Field(default=128, ge=16)
    shingle_words: int = Field(default=5, ge=1)


class PolicyConfig(_Section):
    reject_severities: list[Literal["info", "warn", "block"]] = Field(default_factory=lambda: ["block"])
    reject_flags: list[str] = Field(default_factory=list)
    keep_flags: list[str] = Field(default_factory=list)
    reject_duplicates: bool = False


class CheckConfig(_Section):
    block_entities: list[str] = Field(default_factory=list, description="Empty = every detected type.")
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
    docx: DocxConfig = Field(default_factory=DocxConfig)
    html: HtmlConfig = Field(default_factory=HtmlConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    normalize: NormalizeConfig = Field(default_factory=NormalizeConfig)
    language: LanguageConfig = Field(default_factory=LanguageConfig)
    pii: PiiConfig = Field(default_factory=PiiConfig)
    chunk: ChunkConfig = Field(default_factory=ChunkConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    policy: PolicyConfig = Field(default_factory=PolicyConfig)
    check: CheckConfig = Field(default_factory=CheckConfig)

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
        return cls.from_mapping(data, origin=str(path))

    @classmethod
    def discover(cls, start: str | Path) -> Config:
        """The config that applies to inputs under `start`: nearest llmprep.toml or pyproject."""
        found = find_config_file(start)
        return cls.from_file(found) if found else cls()

    def with_overrides(self, **options: Any) -> Config:
        """A copy with options applied: `redact=False`, `chunk_max_tokens=256`, `**{"pdf.passwords": [...]}`."""
        data = self.model_dump()
        for key, value in options.items():
            section, field = _resolve_key(key)
            if section is None:
                data[field] = value
            else:
                data[section][field] = value
        return Config.from_mapping(data, origin="options")

    # -- identity -----------------------------------------------------------------------------

    def output_dict(self) -> dict[str, Any]:
        """The settings that change outputs (run mechanics and the check hook excluded)."""
        return self.model_dump(mode="json", exclude={"run", "check"})

    def hash(self) -> str:
        blob = json.dumps(self.output_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _resolve_key(key: str) -> tuple[str | None, str]:
    sections = {
        name for name, f in Config.model_fields.items() if isinstance(f.default_factory, type)
    }
    if "." in key:
        section, _, field = key.partition(".")
    elif key in Config.model_fields and key not in sections:
        return None, key
    else:
        section, field = next(
            ((s, key[len(s) + 1 :]) for s in sorted(sections, key=len, reverse=True) if key.startswith(s + "_")),
            ("", key),
        )
    if section not in sections:
        raise ConfigError(f"unknown option {key!r}")
    model = Config.model_fields[section].default_factory
    assert isinstance(model, type)
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
