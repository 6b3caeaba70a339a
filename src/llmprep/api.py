"""The public functions: `process`, `process_text`, `iter_records`, `run`, `redact`,
`detect_language` (and `loaders` for the CLI).

Each imports what it needs on first call, so `import llmprep` stays light.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, Union

from .config import Config

if TYPE_CHECKING:
    from .loaders.registry import Registry
    from .models import ManifestRow, Record
    from .pipeline.assemble import ProcessResult
    from .pipeline.run import RunSummary
    from .stages.language.detect import LanguageGuess
    from .stages.pii import Redaction

# done, total, and the manifest row of the file that just finished (None for a count update)
ProgressCallback = Callable[[int, int, dict[str, Any] | None], None]


def resolve_config(
    config: Config | None, anchor: str | Path | None, options: dict[str, Any]
) -> Config:
    """Explicit config, else the nearest llmprep.toml / [tool.llmprep]; then keyword options."""
    base = (
        config
        if config is not None
        else (Config.discover(anchor) if anchor is not None else Config())
    )
    clean = {k: v for k, v in options.items() if v is not None}
    return base.with_overrides(**clean) if clean else base


Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]


def process(
    source: Source,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    config: Config | None = None,
    **options: Any,
) -> ProcessResult:
    """Run one file through every stage and return a `ProcessResult`.

    `source` is a path (a `str` is always a path, or an fsspec URL such as `s3://b/k.pdf` with
    the `remote` extra), `bytes`, or a binary file-like object. Content in memory is named by
    `filename` (its extension picks the loader; it is the relative path in record ids), else by
    the stream's file name, else `document` plus the extension `media_type` implies: the same
    bytes under the same name give the same records as the file. For text, `process_text`.
    Keyword options override the config: `redact=False`, `chunk_max_tokens=256`,
    `text_format="markdown"` (GitHub-flavoured Markdown instead of plain text), ...
    Dedup and the keep/reject policy apply within this file. The config is the nearest
    `llmprep.toml` above the file (above the current folder for content in memory).
    """
    from .content import Content, as_content
    from .pipeline.assemble import assemble_file
    from .pipeline.file import DocumentResult, process_file

    content: Content | None = None
    local: Path | None = None
    if isinstance(source, str | os.PathLike):
        from .remote import is_url, read_url

        if isinstance(source, str) and is_url(source):
            try:
                content = read_url(source, filename=filename)
            except OSError as exc:  # like a missing file: a typed result, not an exception
                return _unreadable_url(source, exc, resolve_config(config, Path.cwd(), options))
        else:
            local = Path(source)
    else:
        content = as_content(source, filename=filename, media_type=media_type)
    cfg = resolve_config(config, local or Path.cwd(), options)
    require_tokenizer(cfg)
    results: list[DocumentResult] = []
    if content is None:
        outcome = process_file(local or Path(), cfg, on_document=results.append)
    else:
        outcome = process_file(
            Path(content.name),
            cfg,
            rel_path=content.rel_path,
            on_document=results.append,
            data=content.data,
        )
    return assemble_file(outcome, results, cfg)


def _unreadable_url(url: str, exc: OSError, cfg: Config) -> ProcessResult:
    from .models import ErrorInfo
    from .pipeline.assemble import assemble_file
    from .pipeline.file import FileOutcome

    missing = isinstance(exc, FileNotFoundError)
    error = ErrorInfo(
        code="remote.not_found" if missing else "remote.unreadable",
        message="the object does not exist"
        if missing
        else f"the object could not be downloaded ({type(exc).__name__})",
    )
    name = url.rstrip("/").rsplit("/", 1)[-1]
    outcome = FileOutcome(path=url, rel_path=name, status="failed", error=error)
    return assemble_file(outcome, [], cfg)


def process_text(
    text: str,
    *,
    media_type: str = "text/plain",
    filename: str | None = None,
    config: Config | None = None,
    **options: Any,
) -> ProcessResult:
    """Process a string: `media_type` says what it holds (`text/plain`, `text/markdown`,
    `text/html`, `message/rfc822`...). The text is encoded as UTF-8 and processed like a file
    of that type (named `document.txt`, `document.md`, ... unless `filename` is given)."""
    if not isinstance(text, str):
        raise TypeError(f"process_text() takes a str, not {type(text).__name__}")
    return process(
        text.encode("utf-8"), filename=filename, media_type=media_type, config=config, **options
    )


def iter_records(
    inputs: str | Path | Sequence[str | Path],
    *,
    workers: int | None = None,
    config: Config | None = None,
    engine: str | None = None,
    order: Literal["input", "completion"] = "input",
    on_file: Callable[[ManifestRow], None] | None = None,
    **options: Any,
) -> Iterator[Record]:
    """Yield the kept records of files and folders as files finish, with bounded memory.

    The files go through the same workers, dedup and policy as `run` (no output folder, no
    reruns). `order="input"` (default) yields exactly a run's `records.jsonl`, file by file
    in input order; `"completion"` yields each file as soon as it is done (then which of two
    duplicates is the original depends on timing). `on_file(row)` gets each file's manifest
    row. Rejected records are not yielded. Stopping the iteration stops the workers.
    """
    from .pipeline.stream import stream_records
    from .runners import runner_factory

    paths, cfg = _run_config(inputs, config, workers, engine, options)
    return stream_records(paths, cfg, runner_factory(quiet=True), order=order, on_file=on_file)


def run(
    inputs: str | Path | list[str | Path],
    *,
    out: str | Path,
    workers: int | None = None,
    config: Config | None = None,
    engine: str | None = None,
    full: bool = False,
    progress: ProgressCallback | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    **options: Any,
) -> RunSummary:
    """What `llmprep run` does: process files and folders into `out/`. Returns a `RunSummary`.

    Inputs and `out` may be fsspec URLs (`s3://bucket/docs/`, the `remote` extra).
    `progress(done, total, row)` is called as files finish (row: the file's manifest row).
    `include` / `exclude`: globs for what is read under input folders (added to `[run]`'s).
    Raises `ConfigError` when the config or the engine cannot be used, `OutputError` when
    `out` cannot be used (another run holds it, it is an input folder, it cannot be written).
    `summary.notes` says what the caller should know (a config found beside the inputs that
    weakens redaction, for one); the CLI prints them.
    """
    from .pipeline.run import execute_run
    from .record_files import require_format
    from .remote import is_url
    from .runners import runner_factory

    paths, cfg = _run_config(inputs, config, workers, engine, options)
    if include or exclude:
        cfg = cfg.with_overrides(
            **{
                "run.include": [*cfg.run.include, *(include or [])],
                "run.exclude": [*cfg.run.exclude, *(exclude or [])],
            }
        )
    require_format(cfg.output.format)
    note = cfg.discovered_weakening_note
    notes = [note] if note else []
    if isinstance(out, str) and is_url(out):
        from .remote import synced_out

        with synced_out(out) as local:
            summary = execute_run(
                paths,
                local,
                cfg,
                runner=runner_factory(quiet=progress is None),
                full=full,
                progress=progress,
                notes=notes,
            )
        summary.out = out
        return summary
    return execute_run(
        paths,
        out,
        cfg,
        runner=runner_factory(quiet=progress is None),
        full=full,
        progress=progress,
        notes=notes,
    )


def _run_config(
    inputs: str | Path | Sequence[str | Path],
    config: Config | None,
    workers: int | None,
    engine: str | None,
    options: dict[str, Any],
) -> tuple[list[str | Path], Config]:
    """The inputs as a list and the config a run over them uses, checked before any input is
    read: the engine must be importable and a configured tokenizer file must exist."""
    from .runners import require_engine

    paths = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    if workers is not None:
        options["run.workers"] = workers
    if engine is not None:
        options["run.engine"] = engine
    cfg = resolve_config(config, _config_anchor(paths), options)
    require_engine(cfg)
    require_tokenizer(cfg)
    return paths, cfg


def require_tokenizer(config: Config) -> None:
    """Load a configured `hf:` tokenizer file now: a missing file is a ConfigError naming it,
    before any input is read, not a failure of every file."""
    if config.chunk.tokenizer.startswith("hf:"):
        from .tokenizers import get_tokenizer

        get_tokenizer(config.chunk.tokenizer)


def _config_anchor(paths: list[str | Path]) -> str | Path | None:
    """Where the config is looked for: the first local input (the current folder for URLs)."""
    from .remote import is_url

    local = [p for p in paths if not is_url(p)]
    if local:
        return local[0]
    return Path.cwd() if paths else None


def redact(
    text: str, language: str = "en", *, config: Config | None = None, **options: Any
) -> Redaction:
    """Detect and replace PII in `text`; spans index the original text."""
    from .stages.pii import redact as _redact

    cfg = resolve_config(config, None, options)
    return _redact(text, language=language, config=cfg)


def detect_language(text: str) -> LanguageGuess:
    """ISO 639-1 code and confidence; `und` when there is nothing to go on."""
    from .stages.language.stage import detect_language as _detect

    return _detect(text)


def loaders() -> Registry:
    """The loader registry: built-in and plugin loaders, and plugins that failed to load."""
    from .loaders.registry import get_registry

    return get_registry()
