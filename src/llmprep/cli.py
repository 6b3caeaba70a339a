"""The `llmprep` command. Heavy modules are imported inside commands so `--help` stays instant.

Exit codes: 0 all inputs ok / no findings; 1 some inputs failed / findings; 2 usage or config error.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
DEBUG_HELP = (
    "Write full tracebacks (with exception messages, which may quote documents) to stderr "
    "and DIR/.llmprep/debug.log; also LLMPREP_DEBUG=1."
)


def _debug(enabled: bool) -> None:
    """Debug mode is an environment variable so worker processes inherit it."""
    if enabled:
        import os

        os.environ["LLMPREP_DEBUG"] = "1"


def _load_config(config_file: str | None, anchor: str | None, options: dict[str, Any]) -> Config:
    from .api import resolve_config
    from .config import Config
    from .errors import ConfigError

    try:
        base = Config.from_file(config_file) if config_file else None
        return resolve_config(base, anchor, options)
    except ConfigError as exc:
        click.echo(f"llmprep: config error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="llmprep")
def main() -> None:
    """Prepare documents for LLMs: parse, normalize, redact, chunk, flag, dedup."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder."
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="TOML config file.")
@click.option("--workers", type=click.IntRange(min=0), help="Worker processes (default: cores).")
@click.option("--engine", type=click.Choice(["local", "ray"]), help="Where files are processed.")
@click.option("--ray-address", help="Address of an existing Ray cluster.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a file may run without finishing a document (default 120).",
)
@click.option(
    "--max-memory", "max_memory", type=click.IntRange(min=0), help="MB per worker; 0 = no limit."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "parquet"]),
    help="Records and rejected as JSON Lines (default) or Parquet (the parquet extra).",
)
@click.option("--no-redact", is_flag=True, help="Skip PII detection and redaction.")
@click.option(
    "--text-format",
    "text_format",
    type=click.Choice(["plain", "markdown"]),
    help="Text of documents and records: plain (default) or GitHub-flavoured Markdown.",
)
@click.option("--full", is_flag=True, help="Reprocess every file, even unchanged ones.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; print only the summary line.")
@click.option("--debug", is_flag=True, help=DEBUG_HELP)
def run(
    inputs: tuple[str, ...],
    out: str,
    config_file: str | None,
    workers: int | None,
    engine: str | None,
    ray_address: str | None,
    timeout: float | None,
    max_memory: int | None,
    output_format: str | None,
    no_redact: bool,
    text_format: str | None,
    full: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Process files and folders into OUT: records, rejected, manifest and report."""
    _debug(debug)
    options: dict[str, Any] = {
        "output.text_format": text_format,
        "run.workers": workers,
        "run.engine": engine,
        "run.ray_address": ray_address,
        "run.timeout": timeout,
        "run.max_memory_mb": max_memory,
        "output.format": output_format,
    }
    if no_redact:
        options["redact"] = False
    config = _load_config(config_file, inputs[0], options)
    from .api import run as run_inputs
    from .errors import ConfigError

    try:
        if not quiet and sys.stderr.isatty():
            from .progress import RichProgress

            with RichProgress() as bar:
                summary = run_inputs(
                    list(inputs), out=out, config=config, full=full, progress=bar.update
                )
        else:
            summary = run_inputs(list(inputs), out=out, config=config, full=full)
    except ConfigError as exc:
        click.echo(f"llmprep: config error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(summary.line(), err=True)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="TOML config file.")
@click.option("--debug", is_flag=True, help=DEBUG_HELP)
def check(files: tuple[str, ...], config_file: str | None, debug: bool) -> None:
    """Pre-commit check: exit 1 when a file has PII or a blocking quality flag."""
    _debug(debug)
    from .check import run_check

    anchor = files[0] if files else "."
    config = _load_config(config_file, anchor, {})
    sys.exit(run_check(list(files), config, echo=click.echo))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check JSONL files of records (or rejected records) against the published schema."""
    from .validate import validate_files

    sys.exit(validate_files(list(files), echo=click.echo))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="TOML config file.")
@click.option("--no-redact", is_flag=True, help="Show the text without redaction.")
@click.option(
    "--text-format", "text_format", type=click.Choice(["plain", "markdown"]), help="Text form."
)
@click.option("--debug", is_flag=True, help=DEBUG_HELP)
def inspect(
    file: str, config_file: str | None, no_redact: bool, text_format: str | None, debug: bool
) -> None:
    """Show one file's elements, chunks, flags and redactions."""
    _debug(debug)
    from .inspection import render_inspection

    options: dict[str, Any] = {"output.text_format": text_format}
    if no_redact:
        options["redact"] = False
    config = _load_config(config_file, file, options)
    from .api import process

    result = process(file, config=config)
    render_inspection(result)
    sys.exit(EXIT_OK if result.status == "ok" else EXIT_FINDINGS)


@main.command()
@click.argument("kind", type=click.Choice(["record", "manifest"]), default="record")
def schema(kind: str) -> None:
    """Print the JSON Schema of output rows."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, sort_keys=True))


@main.command()
def loaders() -> None:
    """List built-in and plugin loaders and the formats they accept."""
    from .api import loaders as loader_registry

    registry = loader_registry()
    for entry in registry.entries:
        ld = entry.loader
        exts = " ".join(ld.extensions) or "-"
        click.echo(
            f"{ld.name:<14} {ld.version:<6} {entry.origin:<14} {exts}  [{', '.join(ld.media_types)}]"
        )
    for broken in registry.broken:
        click.echo(
            f"{'(unavailable)':<14} {'':<6} {broken.origin:<14} {broken.target}: {broken.error}"
        )


if __name__ == "__main__":  # pragma: no cover
    main()
