"""Over-redaction of headings on real documents: how many headings come out with a placeholder.

    .venv/bin/python bench/pii_headings.py [--corpus ../shared/corpus] [--formats pdf,docx,html]
    .venv/bin/python bench/pii_headings.py --list     # per file: type and detector of each hit
    .venv/bin/python bench/pii_headings.py --list --show-text   # and the heading (dev only)

Runs `llmprep.process(path, redact=True)` on every file of the dev corpus folders and counts the
elements of type `heading` or `title` whose redacted text holds a placeholder. The documents were
written by other projects and hold almost no personal data in their headings, so nearly every
placeholder there is a false redaction. Prints the share over all headings, the mean of the
per-file shares (the outside evaluation's measure: at most 3 % per file), and how many files
have more than 3 % and more than 10 % (file names only), and how many metadata titles hold a
placeholder.

`--list` also records the findings the PII stage keeps for the document's body and prints, per
file, each heading finding's entity type and detector (what to fix is a kind of detector
decision, not a string); the metadata title, judged as a heading, is listed with them.
`--show-text` adds the heading's words, for reading by hand on this public corpus; never paste
them into code or tests.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_(?:\d+|[0-9a-f]{8})>")


def _record_heading_findings(calls: list[tuple[str, list, list]]) -> None:
    """Wrap the PII stage's heading judge so each document's kept findings are recorded."""
    from llmprep.stages import pii as stage

    judge = stage.judge_headings

    def wrapped(text, findings, headings):  # type: ignore[no-untyped-def]
        kept = judge(text, findings, headings)
        calls.append((text, kept, headings))
        return kept

    stage.judge_headings = wrapped


def heading_hits(
    calls: list[tuple[str, list, list]],
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(heading text, [(entity type, detector, value)]) for every heading holding a finding."""
    out = []
    for text, kept, headings in calls:
        for a, b in headings:
            inside = [
                (f.entity_type, f.detector, text[f.start : f.end])
                for f in kept
                if f.start < b and f.end > a
            ]
            if inside:
                out.append((text[a:b], inside))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus", default=os.environ.get("LLMPREP_CORPUS", str(ROOT.parent / "shared" / "corpus"))
    )
    ap.add_argument("--formats", default="pdf,docx,html")
    ap.add_argument("--verbose", action="store_true", help="per-file counts (names only)")
    ap.add_argument("--list", action="store_true", help="per file: type and detector of each hit")
    ap.add_argument("--show-text", action="store_true", help="with --list: the heading's words")
    args = ap.parse_args()

    import llmprep

    calls: list[tuple[str, list, list]] = []
    if args.list:
        _record_heading_findings(calls)
    cfg = llmprep.Config().with_overrides(redact=True, **{"chunk.tokenizer": "chars"})
    shares: list[float] = []
    total = hit = 0
    over3 = over10 = 0
    title_total = title_hit = 0
    by_kind: Counter[str] = Counter()
    t0 = time.perf_counter()
    for fmt in args.formats.split(","):
        for path in sorted((Path(args.corpus) / fmt).glob("*")):
            if not path.is_file() or path.suffix == ".json":
                continue
            calls.clear()
            res = llmprep.process(path, config=cfg)
            heads = [
                e.text
                for doc in res.documents
                for e in doc.elements
                if e.type in ("heading", "title") and e.text.strip()
            ]
            titles = [doc.metadata.title for doc in res.documents if doc.metadata.title]
            title_total += len(titles)
            title_hit += sum(1 for t in titles if PLACEHOLDER.search(t))
            if not heads:
                continue
            n = sum(1 for h in heads if PLACEHOLDER.search(h))
            total += len(heads)
            hit += n
            share = n / len(heads)
            shares.append(share)
            over3 += share > 0.03
            over10 += share > 0.10
            hits = heading_hits(calls) if args.list else []
            if args.verbose or n or hits:
                print(f"{fmt}/{path.name}: {n}/{len(heads)} headings with a placeholder")
            if args.list:
                # (The metadata title is judged as a heading too, so it is listed here.)
                for heading, inside in hits:
                    kinds = "; ".join(f"{t} by {d}" for t, d, _ in inside)
                    by_kind.update(f"{t} by {d}" for t, d, _ in inside)
                    if args.show_text:
                        values = " | ".join(v for _, _, v in inside)
                        print(f"    [{kinds}] {heading[:120]!r} -> {values!r}")
                    else:
                        print(f"    [{kinds}]")
    print(
        f"dev-corpus headings with a placeholder: {hit}/{total} = {hit / max(total, 1):.1%} of all "
        f"headings; mean per file {statistics.mean(shares or [0]):.1%} over {len(shares)} files "
        f"with headings; {over3} files over 3 %, {over10} over 10 % "
        f"({time.perf_counter() - t0:.0f} s)"
    )
    print(f"metadata titles with a placeholder: {title_hit}/{title_total}")
    if by_kind:
        print("heading findings by type and detector:")
        for kind, count in by_kind.most_common():
            print(f"  {count:4d}  {kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
