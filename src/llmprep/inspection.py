"""`llmprep inspect`: one file, human-readable, in the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def render_inspection(result: Any, console: Console | None = None) -> None:
    console = console or Console()
    err = f" ({result.error.code}: {result.error.message})" if result.error else ""
    console.print(f"[bold]status[/bold]: {result.status}{err}")
    for doc in result.documents:
        meta = doc.metadata.model_dump(exclude_defaults=True, exclude={"extra"})
        console.rule(f"document {doc.id}  {doc.source.media_type}  lang={doc.language}")
        if meta:
            console.print(meta)
        if doc.flags:
            console.print("flags: " + ", ".join(f"{f.code}[{f.severity}]" for f in doc.flags))
        if doc.pii.counts:
            console.print(f"pii: {doc.pii.counts} (engine {doc.pii.engine})")
        table = Table("type", "page", "heading path", "text", show_lines=False)
        for el in doc.elements:
            text = el.text if len(el.text) < 120 else el.text[:117] + "..."
            table.add_row(el.type, str(el.page or ""), " > ".join(el.heading_path), text)
        console.print(table)
    console.rule("records")
    for record in [*result.records, *result.rejected]:
        reasons = getattr(record, "reasons", None)
        flags = ", ".join(f"{f.code}[{f.severity}]" for f in record.flags) or "-"
        console.print(
            f"[bold]#{record.chunk_index}[/bold] {record.tokens} tokens, pages {record.pages}, "
            f"flags {flags}" + (f", [red]rejected: {', '.join(reasons)}[/red]" if reasons else "")
        )
        console.print(record.text, markup=False)
