"""Over-redaction of headings on real documents: how many headings come out with a placeholder.

    .venv/bin/python bench/pii_headings.py [--corpus ../shared/corpus] [--formats pdf,docx,html]

Runs `llmprep.process(path, redact=True)` on every file of the dev corpus folders and counts the
elements of type `heading` or `title` whose redacted text holds a placeholder. The documents were
written by other projects and hold almost no personal data in their headings, so nearly every
placeholder there is a false redaction. Prints the share over all headings, the mean of the
per-file shares, and how many files have more than 10 % (file names only, never text).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_(?:\d+|[0-9a-f]{8})>")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus", default=os.environ.get("LLMPREP_CORPUS", str(ROOT.parent / "shared" / "corpus"))
    )
    ap.add_argument("--formats", default="pdf,docx,html")
    ap.add_argument("--verbose", action="store_true", help="per-file counts (names only)")
    args = ap.parse_args()

    import llmprep

    cfg = llmprep.Config().with_overrides(redact=True, **{"chunk.tokenizer": "chars"})
    shares: list[float] = []
    total = hit = 0
    over = 0
    t0 = time.perf_counter()
    for fmt in args.formats.split(","):
        for path in sorted((Path(args.corpus) / fmt).glob("*")):
            if not path.is_file() or path.suffix == ".json":
                continue
            res = llmprep.process(path, config=cfg)
            heads = [
                e.text
                for doc in res.documents
                for e in doc.elements
                if e.type in ("heading", "title") and e.text.strip()
            ]
            if not heads:
                continue
            n = sum(1 for h in heads if PLACEHOLDER.search(h))
            total += len(heads)
            hit += n
            share = n / len(heads)
            shares.append(share)
            over += share > 0.10
            if args.verbose:
                print(f"{fmt}/{path.name}: {n}/{len(heads)} headings with a placeholder")
    print(
        f"dev-corpus headings with a placeholder: {hit}/{total} = {hit / max(total, 1):.1%} of all "
        f"headings; mean per file {statistics.mean(shares or [0]):.1%} over {len(shares)} files "
        f"with headings; {over} files over 10 % ({time.perf_counter() - t0:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
