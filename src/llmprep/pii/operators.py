"""What replaces a detected value: pseudonym, replace, mask, hash, redact or keep.

- pseudonym (default): `<PERSON_1>`, `<EMAIL_ADDRESS_2>`; the same value gets the same number
  throughout a document. With LLMPREP_PII_KEY set, the suffix is a keyed HMAC of the value
  (`<PERSON_5f1c9a0e>`), so it is the same in every document, run and worker, and no table of
  values is ever kept.
- replace: `<PERSON>`; mask: the value's length in `*`; hash: keyed HMAC-SHA256 hex digest;
  redact: removed; keep: left as it is (still reported).

Replacements never contain whitespace, so a chunker that splits on spaces cannot cut one in two.
Without LLMPREP_PII_KEY, `hash` uses a random key made once per run (an unkeyed hash of a
phone number can be reversed by trying every number) and says so in the document metadata. The
process that starts a run's workers hands them its key through LLMPREP_RUN_KEY, so one value
hashes alike in every document of a run, whichever worker (or Ray actor) read it; the key is
never written anywhere, so hashes from two runs do not match.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass

from .findings import Finding

KEY_ENV = "LLMPREP_PII_KEY"
# Set by the runner for its worker processes only: the run's random key, as hex.
RUN_KEY_ENV = "LLMPREP_RUN_KEY"


def _inherited_run_key() -> bytes | None:
    try:
        key = bytes.fromhex(os.environ.get(RUN_KEY_ENV, ""))
    except ValueError:
        return None
    return key if len(key) >= 16 else None


_EPHEMERAL_KEY = _inherited_run_key() or secrets.token_bytes(32)
# Values compared on their letters and digits only: "+46 70-123" is "+4670123".
_COMPACT_TYPES = {
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "POSTAL_CODE",
    "US_DRIVER_LICENSE",
}
_EDGE_PUNCT = " \t\r\n.,;:!?\"'()[]{}<>"


def run_key_hex() -> str:
    """This run's random key, for handing to the workers a runner starts (see RUN_KEY_ENV)."""
    return _EPHEMERAL_KEY.hex()


def env_key() -> bytes | None:
    value = os.environ.get(KEY_ENV, "")
    return value.encode("utf-8") if value else None


def normalize(entity_type: str, value: str) -> str:
    """The form two mentions of one value share ("Anna  Berg" and "anna berg")."""
    if entity_type in _COMPACT_TYPES:
        return re.sub(r"[^0-9A-Za-z+]", "", value).upper()
    return " ".join(value.strip(_EDGE_PUNCT).split()).casefold()


@dataclass(slots=True)
class Replacement:
    start: int  # in the original text
    end: int
    new_start: int  # in the redacted text
    new_end: int
    finding: Finding
    operator: str


class Anonymizer:
    """Replaces findings in texts; one instance per document (pseudonym numbers restart)."""

    def __init__(
        self,
        default_operator: str = "pseudonym",
        operators: dict[str, str] | None = None,
        key: bytes | None = None,
    ) -> None:
        self.default_operator = default_operator
        self.operators = dict(operators or {})
        self.key = key
        self.used_ephemeral_key = False
        self._numbers: dict[str, dict[bytes, int]] = {}

    def operator_for(self, entity_type: str) -> str:
        return self.operators.get(entity_type, self.default_operator)

    def _digest(self, purpose: str, entity_type: str, value: str, key: bytes) -> bytes:
        msg = f"{purpose}\x1f{entity_type}\x1f{normalize(entity_type, value)}".encode(
            "utf-8", "surrogatepass"
        )
        return hmac.new(key, msg, hashlib.sha256).digest()

    def replacement(self, entity_type: str, value: str) -> tuple[str, str]:
        """(replacement text, operator) for one value."""
        op = self.operator_for(entity_type)
        if op == "keep":
            return value, op
        if op == "redact":
            return "", op
        if op == "replace":
            return f"<{entity_type}>", op
        if op == "mask":
            return "*" * len(value), op
        if op == "hash":
            if self.key is None:
                self.used_ephemeral_key = True
            digest = self._digest("hash", "", value, self.key or _EPHEMERAL_KEY)
            return digest.hex(), op
        # pseudonym
        if self.key is not None:
            return (
                f"<{entity_type}_{self._digest('pseudonym', entity_type, value, self.key).hex()[:8]}>",
                op,
            )
        seen = self._numbers.setdefault(entity_type, {})
        token = self._digest("pseudonym", entity_type, value, _EPHEMERAL_KEY)
        if token not in seen:
            seen[token] = len(seen) + 1
        return f"<{entity_type}_{seen[token]}>", op

    def apply(self, text: str, findings: list[Finding]) -> tuple[str, list[Replacement]]:
        """The redacted text and where each replacement landed. Findings must not overlap."""
        parts: list[str] = []
        done: list[Replacement] = []
        pos = 0
        out_len = 0
        for f in sorted(findings, key=lambda f: f.start):
            parts.append(text[pos : f.start])
            out_len += f.start - pos
            new, op = self.replacement(f.entity_type, text[f.start : f.end])
            parts.append(new)
            done.append(Replacement(f.start, f.end, out_len, out_len + len(new), f, op))
            out_len += len(new)
            pos = f.end
        parts.append(text[pos:])
        return "".join(parts), done
