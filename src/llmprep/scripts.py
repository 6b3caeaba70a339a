"""Unicode ranges of scripts that text handling treats specially, defined once.

- CJK ideographs and kana: every character is a word of its own for chunking (a chunk may end
  between any two of them) and for dedup shingles.
- Scripts written without spaces between words (CJK plus Thai/Lao, Myanmar, Khmer): word
  statistics (Gopher's rules) mean nothing there. Thai and its neighbours are *not* split per
  character when chunking: their combining vowels and tone marks would be cut from their base.
"""

from __future__ import annotations

import re

CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SOUTHEAST_ASIAN_RANGES = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
UNSEGMENTED_RANGES = SOUTHEAST_ASIAN_RANGES + CJK_RANGES

CJK = re.compile(f"[{CJK_RANGES}]")
UNSEGMENTED = re.compile(f"[{UNSEGMENTED_RANGES}]")
