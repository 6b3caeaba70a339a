"""Every placeholder llmprep puts into the PII-free documents, with the text around it.

    .venv/bin/python bench/pii_clean_report.py --split tune --n 60
    .venv/bin/python bench/pii_clean_report.py --split measure --n 60 --quiet   # figures only

All of them are false redactions (bench/pii_clean.py writes documents without personal data).
Read them by kind and fix kinds; the `measure` split uses other word lists and shapes and is
only read for figures.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_(?:\d+|[0-9a-f]{8})>")


def run(split: str, n: int, quiet: bool) -> tuple[float, float, int, int]:
    """(share of headings with a placeholder, placeholders per 10k words, headings, words)."""
    from pii_clean import generate

    import llmprep

    cfg = llmprep.Config().with_overrides(redact=True, **{"chunk.tokenizer": "chars"})
    heads = hit = words = found = 0
    kinds: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(generate(n, seed=1, split=split)):
            path = Path(tmp) / f"doc-{i:03d}.md"
            path.write_text(text, encoding="utf-8")
            words += len(text.split())
            res = llmprep.process(path, config=cfg)
            for doc in res.documents:
                for e in doc.elements:
                    marks = PLACEHOLDER.findall(e.text)
                    found += len(marks)
                    kinds.update(m.rsplit("_", 1)[0].strip("<") for m in marks)
                    if e.type in ("heading", "title"):
                        heads += 1
                        hit += bool(marks)
                    if marks and not quiet:
                        print(f"[doc {i} {e.type}] {e.text[:300]!r}")
    share = hit / max(heads, 1)
    per_10k = found * 10_000 / max(words, 1)
    print(
        f"{split}: {n} documents, {heads} headings, {words} words; headings with a placeholder "
        f"{share:.1%}; placeholders per 10,000 words {per_10k:.1f}; by type {dict(kinds)}"
    )
    return share, per_10k, heads, words


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="tune", choices=("tune", "measure"))
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    run(args.split, args.n, args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
