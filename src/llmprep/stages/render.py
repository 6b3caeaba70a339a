"""The render stage: element text in the configured `[output] text_format`.

"plain" leaves elements as the loaders and normalization made them. "markdown" rewrites each
element's text as GitHub-flavoured Markdown (`render.markdown`). It runs after PII redaction
(detection never sees Markdown syntax) and before chunking: each element's `PiiSpan`s are moved
with the text, so spans stay exact in element, document and chunk coordinates; the chunker then
cuts the rendered text, only between blocks or between table rows where it can.
`heading_path` stays plain text in both forms (it names sections; it is not rendered).
"""

from __future__ import annotations

from ..config import Config
from ..render.markdown import to_markdown
from .base import DocWork


class Render:
    name = "render"

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, work: DocWork) -> None:
        to_markdown(work.document.elements)
