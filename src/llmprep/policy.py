"""The final word on each record: keep it, or reject it with reasons."""

from __future__ import annotations

from .config import Config
from .models import Record


def rejection_reasons(record: Record, config: Config) -> list[str]:
    """Empty list = keep. Reasons are flag codes (or `duplicate`), never text."""
    policy = config.policy
    reasons: list[str] = []
    for flag in record.flags:
        if flag.code in policy.keep_flags:
            continue
        if flag.code in policy.reject_flags or flag.severity in policy.reject_severities:
            reasons.append(flag.code)
    if policy.reject_duplicates and record.duplicate_of:
        reasons.append("duplicate")
    return list(dict.fromkeys(reasons))
