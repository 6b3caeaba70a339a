"""Run report: counts by status, format, language, flag and PII type, timings; JSON and HTML."""

from __future__ import annotations

import html
import json
import platform
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

from ._version import __version__
from .output import atomic_writer

REPORT_VERSION = "1"
_DEPENDENCIES = ("pydantic", "pypdfium2", "pypdf", "python-docx", "trafilatura", "presidio-analyzer", "spacy", "tiktoken", "langdetect", "datasketch")


class ReportBuilder:
    def __init__(self, config_hash: str) -> None:
        self.config_hash = config_hash
        self.status: Counter[str] = Counter()
        self.formats: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.doc_flags: Counter[str] = Counter()
        self.record_flags: Counter[str] = Counter()
        self.pii: Counter[str] = Counter()
        self.pii_engines: Counter[str] = Counter()
        self.rejected_reasons: Counter[str] = Counter()
        self.tokens: list[int] = []
        self.files = 0
        self.documents = 0
        self.kept = 0
        self.rejected = 0
        self.duplicates = 0
        self.bytes = 0
        self.file_seconds: list[tuple[float, str]] = []
        self.failures: list[dict[str, Any]] = []

    def add_row(self, row: dict[str, Any]) -> None:
        self.files += 1
        self.status[row["status"]] += 1
        self.formats[row.get("media_type") or "unknown"] += 1
        self.bytes += row.get("size") or 0
        self.file_seconds.append((row.get("seconds") or 0.0, row["rel_path"]))
        if row.get("error_code"):
            self.errors[row["error_code"]] += 1
            if row["status"] != "ok":
                self.failures.append({"path": row["rel_path"], "status": row["status"], "code": row["error_code"], "message": row.get("error_message")})

    def add_document(self, doc: dict[str, Any]) -> None:
        self.documents += 1
        self.languages[doc.get("language") or "und"] += 1
        for flag in doc.get("flags", []):
            self.doc_flags[flag["code"]] += 1
        engine = (doc.get("pii") or {}).get("engine")
        if engine:
            self.pii_engines[engine] += 1

    def add_record(self, record: dict[str, Any], reasons: list[str]) -> None:
        self.tokens.append(record.get("tokens", 0))
        for flag in record.get("flags", []):
            self.record_flags[flag["code"]] += 1
        for etype, n in (record.get("pii") or {}).get("counts", {}).items():
            self.pii[etype] += n
        if record.get("duplicate_of"):
            self.duplicates += 1
        if reasons:
            self.rejected += 1
            self.rejected_reasons.update(reasons)
        else:
            self.kept += 1

    def build(self, seconds: float, processed: int, reused: int) -> dict[str, Any]:
        toks = sorted(self.tokens)
        return {
            "report_version": REPORT_VERSION,
            "llmprep_version": __version__,
            "config_hash": self.config_hash,
            "python": platform.python_version(),
            "dependencies": _dependency_versions(),
            "files": self.files,
            "processed": processed,
            "reused": reused,
            "documents": self.documents,
            "records": self.kept,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "bytes": self.bytes,
            "seconds": round(seconds, 3),
            "by_status": dict(sorted(self.status.items())),
            "by_format": dict(sorted(self.formats.items())),
            "by_error": dict(sorted(self.errors.items())),
            "by_language": dict(sorted(self.languages.items())),
            "document_flags": dict(sorted(self.doc_flags.items())),
            "record_flags": dict(sorted(self.record_flags.items())),
            "rejected_reasons": dict(sorted(self.rejected_reasons.items())),
            "pii_by_type": dict(sorted(self.pii.items())),
            "pii_engines": dict(sorted(self.pii_engines.items())),
            "tokens": _distribution(toks),
            "slowest_files": [{"path": p, "seconds": round(s, 3)} for s, p in sorted(self.file_seconds, reverse=True)[:10]],
            "failures": self.failures[:200],
        }


def _distribution(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"count": 0}

    def pct(p: float) -> int:
        return values[min(len(values) - 1, int(p * (len(values) - 1) + 0.5))]

    return {"count": len(values), "min": values[0], "p50": pct(0.5), "p90": pct(0.9), "max": values[-1], "total": sum(values)}


def _dependency_versions() -> dict[str, str]:
    found = {}
    for name in _DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def write_reports(out: Path, report: dict[str, Any]) -> None:
    with atomic_writer(out / "report.json") as fh:
        fh.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    with atomic_writer(out / "report.html") as fh:
        fh.write(render_html(report))


def _table(title: str, counts: dict[str, Any]) -> str:
    if not counts:
        return f"<section><h2>{html.escape(title)}</h2><p class=none>none</p></section>"
    total = sum(v for v in counts.values() if isinstance(v, int | float)) or 1
    rows = "".join(
        f"<tr><td>{html.escape(str(k))}</td><td class=n>{v}</td>"
        f"<td><div class=bar style='width:{100 * v / total:.1f}%'></div></td></tr>"
        for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
    )
    return f"<section><h2>{html.escape(title)}</h2><table>{rows}</table></section>"


def render_html(report: dict[str, Any]) -> str:
    """A self-contained page: inline CSS, no scripts or external assets."""
    head = (
        f"<p>{report['files']} files · {report['documents']} documents · {report['records']} records kept · "
        f"{report['rejected']} rejected · {report['seconds']} s · llmprep {html.escape(report['llmprep_version'])} · "
        f"config {html.escape(report['config_hash'])}</p>"
    )
    failures = "".join(
        f"<tr><td>{html.escape(f['path'])}</td><td>{html.escape(f['status'])}</td><td>{html.escape(f['code'])}</td></tr>"
        for f in report["failures"]
    )
    sections = [
        _table("Files by status", report["by_status"]),
        _table("Files by format", report["by_format"]),
        _table("Documents by language", report["by_language"]),
        _table("Record flags", report["record_flags"]),
        _table("Document flags", report["document_flags"]),
        _table("Rejected, by reason", report["rejected_reasons"]),
        _table("PII by type", report["pii_by_type"]),
        f"<section><h2>Failures</h2><table>{failures or '<tr><td>none</td></tr>'}</table></section>",
    ]
    style = (
        "body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;min-width:30em}"
        "td{padding:2px 8px;border-bottom:1px solid #eee}.n{text-align:right}.bar{background:#4a7;height:10px}"
        "section{margin-bottom:1.5em}.none{color:#888}"
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>llmprep report</title>"
        f"<style>{style}</style></head><body><h1>llmprep report</h1>{head}{''.join(sections)}</body></html>\n"
    )
