"""The final word on each record: keep it, or reject it with reasons.

Stages only flag; this is the one place that decides. A record is rejected when one of its
flags has a severity in `policy.reject_severities` (default: `block`) or a code matching
`policy.reject_flags`, unless the code matches `policy.keep_flags`; and, with
`policy.reject_duplicates`, when it repeats an earlier record (`duplicate_of`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from functools import lru_cache

from .config import Config
from .models import Record, RejectedRecord


def rejection_reasons(record: Record, config: Config) -> list[str]:
    """Empty list = keep. Reasons are flag codes (or `duplicate`), never text."""
    policy = config.policy
    keep = _matcher(tuple(policy.keep_flags))
    reject = _matcher(tuple(policy.reject_flags))
    severities = policy.reject_severities
    reasons: list[str] = []
    for flag in record.flags:
        if keep(flag.code):
            continue
        if flag.severity in severities or reject(flag.code):
            reasons.append(flag.code)
    if policy.reject_duplicates and record.duplicate_of and not keep("duplicate"):
        reasons.append("duplicate")
    return list(dict.fromkeys(reasons))


def judge(records: list[Record], config: Config) -> list[tuple[Record, list[str]]]:
    """Each record with its rejection reasons (empty = keep), in order."""
    return [(record, rejection_reasons(record, config)) for record in records]


def as_rejected(record: Record, reasons: list[str]) -> RejectedRecord:
    """The row written to rejected.jsonl: the record plus why it was rejected."""
    return RejectedRecord(**dict(record), reasons=reasons)


@lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """A predicate for 'code matches one of the shell patterns' (exact codes are patterns too)."""
    if not patterns:
        return lambda code: False
    regex = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns))
    return lambda code: regex.match(code) is not None
