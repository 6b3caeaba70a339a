"""The public functions: `process`, `run`, `redact`, `detect_language` (and `loaders` for the CLI).

Each imports what it needs on first call, so `import llmprep` stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config

if TYPE_CHECKING:
    from .loaders.registry import Registry
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


def process(path: str | Path, *, config: Config | None = None, **options: Any) -> ProcessResult:
    """Run one file through every stage and return a `ProcessResult`.

    Keyword options override the config: `redact=False`, `chunk_max_tokens=256`, ...
    Dedup and the keep/reject policy apply within this file.
    """
    from .pipeline.assemble import assemble_file
    from .pipeline.file import DocumentResult, process_file

    cfg = resolve_config(config, path, options)
    results: list[DocumentResult] = []
    outcome = process_file(Path(path), cfg, on_document=results.append)
    return assemble_file(outcome, results, cfg)


def run(
    inputs: str | Path | list[str | Path],
    *,
    out: str | Path,
    workers: int | None = None,
    config: Config | None = None,
    engine: str | None = None,
    full: bool = False,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> RunSummary:
    """What `llmprep run` does: process files and folders into `out/`. Returns a `RunSummary`.

    `progress(done, total, row)` is called as files finish (row: the file's manifest row).
    Raises `ConfigError` when the config or the engine cannot be used.
    """
    from .pipeline.run import execute_run
    from .runners import require_engine, runner_factory

    paths = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    if workers is not None:
        options["run.workers"] = workers
    if engine is not None:
        options["run.engine"] = engine
    cfg = resolve_config(config, paths[0] if paths else None, options)
    require_engine(cfg)
    return execute_run(
        paths,
        out,
        cfg,
        runner=runner_factory(quiet=progress is None),
        full=full,
        progress=progress,
    )


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
