"""Plain data the PDF loader passes between its steps: lines per page, blocks, outline entries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    """One physical line of text, in PDF user space (y grows upwards).

    `base` is the baseline of the first character and `base_end` that of the last one: they
    differ when pdfium already joined a hyphenated word across two lines.
    """

    text: str
    x0: float
    x1: float
    base: float
    base_end: float
    size: float
    bold: bool = False

    @property
    def top(self) -> float:
        return self.base + self.size * 0.8


@dataclass(slots=True)
class PageText:
    """The text of one page as an engine read it, before layout analysis."""

    number: int  # 1-based
    lines: list[Line] = field(default_factory=list)
    bottom: float = 0.0
    top: float = 792.0
    # False when the engine gave no coordinates (pypdf fallback): positions are synthetic.
    geometry: bool = True
    rotated: bool = False
    has_images: bool = False
    engine: str = "pdfium"
    # Many characters without a Unicode mapping: pdfium shows glyph codes, pypdf may do better.
    unmapped: bool = False
    form_values: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(line.text.strip() for line in self.lines)


@dataclass(slots=True)
class Block:
    """Consecutive lines that form one paragraph, list item or heading."""

    kind: str  # "paragraph" | "list_item" | "heading" | "title"
    lines: list[Line]
    page: int
    text: str = ""
    level: int | None = None
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def size(self) -> float:
        """The font size that covers most characters of the block."""
        weights: dict[float, int] = {}
        for line in self.lines:
            key = round(line.size * 2) / 2
            weights[key] = weights.get(key, 0) + len(line.text)
        return max(weights, key=weights.__getitem__) if weights else 0.0

    @property
    def bold(self) -> bool:
        chars = sum(len(line.text) for line in self.lines)
        bold = sum(len(line.text) for line in self.lines if line.bold)
        return chars > 0 and bold * 2 > chars

    @property
    def top(self) -> float:
        return max(line.top for line in self.lines)


@dataclass(slots=True)
class OutlineEntry:
    title: str
    level: int  # 1-based depth in the outline tree
    page: int | None  # 1-based
    top: float | None = None
