"""report.html: the run report for people, rendered from report.json's data by a Jinja2 template.

The template (`templates/report.html.j2`) is autoescaped; this module only shapes the data
(bar geometry, shortened labels, formatted numbers). One self-contained page: inline CSS and
SVG, no scripts, no external assets.
"""

from __future__ import annotations

from functools import cache
from typing import Any

LABEL_CHARS = 36  # what fits left of the bars at 12px
ROW_HEIGHT, LABEL_WIDTH, BAR_WIDTH = 22, 260, 420
MAX_BARS = 30
STYLE = (
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:960px;color:#1d2430}"
    "h1{margin-bottom:.2em}h2{font-size:1.1em;border-bottom:1px solid #dde;padding-bottom:.2em}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eef}"
    "svg text{font:12px system-ui,sans-serif;fill:#333}svg rect{fill:#3a7bd5}"
    ".cards{display:flex;flex-wrap:wrap;gap:8px}.card{background:#f3f6fb;border-radius:6px;padding:8px 14px;min-width:90px}"
    ".card b{display:block;font-size:1.4em}.card span{color:#556}.none{color:#889}.warn{color:#a15c00}"
    "tr.notable td{background:#fff3cd;font-weight:600}section{margin-bottom:1.6em}"
)


@cache
def _template() -> Any:
    from importlib import resources

    from jinja2 import Environment

    source = resources.files("llmprep").joinpath("templates", "report.html.j2").read_text("utf-8")
    # The template is written across lines for reading; the page is one line (values keep
    # their own line breaks).
    return Environment(autoescape=True).from_string(source.replace("\n", ""))


def _short(label: str) -> str | None:
    """Long labels (media types such as application/vnd.openxmlformats-...) keep their start and
    their telling end; the whole label becomes the hover title."""
    if len(label) <= LABEL_CHARS:
        return None
    return f"{label[:12]}…{label[-(LABEL_CHARS - 13) :]}"


def _chart(
    title: str,
    counts: dict[str, Any],
    section_id: str,
    *,
    in_order: bool = False,
    notes: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A horizontal bar chart: largest first, or in the given order (ranges such as buckets)."""
    items = (
        list(counts.items()) if in_order else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )[:MAX_BARS]
    top = max((v for _, v in items), default=0) or 1
    rows = [
        {
            "y": i * ROW_HEIGHT,
            "label": str(label),
            "short": _short(str(label)),
            "value": value,
            "width": max(1.0, BAR_WIDTH * value / top) if value else 0,
        }
        for i, (label, value) in enumerate(items)
    ]
    return {
        "id": section_id,
        "title": title,
        "notes": notes or [],
        "rows": rows,
        "width": LABEL_WIDTH + BAR_WIDTH + 80,
        "height": ROW_HEIGHT * len(rows),
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
    }


def _drift(report: dict[str, Any]) -> dict[str, Any] | None:
    d = report.get("drift")
    if not d:
        return None
    previous_hash = d.get("previous_config_hash")
    return {
        "config_changed": bool(previous_hash)
        and previous_hash != report["provenance"]["config_hash"],
        "previous_config_hash": previous_hash,
        "notable": d["notable"],
        "previous_files": d.get("previous_files"),
        "previous_records": d.get("previous_records"),
        "changes": [
            {
                "metric": c["metric"],
                "notable": c["notable"],
                "previous": f"{c['previous']:g}",
                "current": f"{c['current']:g}",
                "change": f"{c['change']:+g}",
            }
            for c in d["changes"]
        ],
    }


def render_html(report: dict[str, Any]) -> str:
    prov = report["provenance"]
    engines = ", ".join(f"{k}: {v}" for k, v in report["pii_engines"].items()) or "none"
    pii_notes = [{"cls": "", "text": f"Engines: {engines}"}]
    if any(k == "patterns" for k in report["pii_engines"]):
        pii_notes.append(
            {
                "cls": "warn",
                "text": "No NER model was available for some documents: PERSON, LOCATION and "
                "ORGANIZATION were not detected there (pattern recognizers only).",
            }
        )
    tokens = report["tokens"]
    token_note = (
        f"p50 {tokens.get('p50', 0)}, p90 {tokens.get('p90', 0)}, "
        f"max {tokens.get('max', 0)}, total {tokens.get('total', 0)}"
    )
    charts = [
        _chart("Files by status", report["by_status"], "status"),
        _chart("Files by format", report["by_format"], "formats"),
        _chart("Documents by language", report["by_language"], "languages"),
        _chart("Record flags", report["record_flags"], "record-flags"),
        _chart("Document flags", report["document_flags"], "document-flags"),
        _chart("Rejected chunks, by reason", report["rejected_reasons"], "rejected"),
        _chart("PII by type", report["pii_by_type"], "pii", notes=pii_notes),
        _chart(
            "Tokens per record",
            report["token_histogram"],
            "tokens",
            in_order=True,
            notes=[{"cls": "", "text": token_note}],
        ),
    ]
    tables = [
        {
            "id": "slowest",
            "title": "Slowest files",
            "header": ["path", "seconds"],
            "rows": [[f["path"], f["seconds"]] for f in report["slowest_files"]],
        },
        {
            "id": "failures",
            "title": "Files not ok",
            "header": ["path", "status", "code", "message"],
            "rows": [
                [f["path"], f["status"], f["code"], f["message"] or ""] for f in report["failures"]
            ],
        },
        {
            "id": "deleted",
            "title": "Deleted since the previous run",
            "header": ["path"],
            "rows": [[p] for p in report["deleted"]],
        },
        {
            "id": "provenance",
            "title": "Provenance",
            "header": ["what", "value"],
            "rows": [
                ["llmprep", prov["llmprep_version"]],
                ["config hash", prov["config_hash"]],
                ["python", prov["python"]],
                ["platform", prov["platform"]],
                *([k, v] for k, v in prov["dependencies"].items()),
            ],
        },
    ]
    cards = [
        ("files", report["files"]),
        ("processed", report["processed"]),
        ("unchanged", report["reused"]),
        ("documents", report["documents"]),
        ("records kept", report["records"]),
        ("rejected", report["rejected"]),
        ("duplicates", report["duplicates"]),
        ("seconds", report["seconds"]),
    ]
    html: str = _template().render(
        style=STYLE, prov=prov, cards=cards, charts=charts, drift=_drift(report), tables=tables
    )
    return html + "\n"
