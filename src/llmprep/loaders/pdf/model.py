"""Plain data the PDF loader passes between its steps: lines per page, blocks, outline entries.

Engines (pdfium, pypdf, an OCR engine) fill `PageText`; everything after reading works on these
types alone, so the layout rules run the same whatever read the page.
"""

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
    mono: bool = False  # set in a fixed-pitch font: code, terminal output
    italic: bool = False
    # Direction of the text in degrees, counter-clockwise from left-to-right on the page
    # (90: reading bottom to top, as in side stamps). For such lines x0/x1 and base give the
    # horizontal extent and the bottom of their box.
    angle: int = 0
    # Words with their horizontal extent, measured only for lines that may be table rows
    # (wide gaps between their words, or inside ruled areas); None when not measured.
    words: list[Word] | None = None
    # Role from a tagged PDF's structure tree ("H1", "H2", "Title"...), when the file has one.
    tag: str | None = None

    @property
    def top(self) -> float:
        return self.base + self.size * 0.8


@dataclass(slots=True)
class Word:
    """A run of text without spaces, with its horizontal extent on its line."""

    text: str
    x0: float
    x1: float


@dataclass(slots=True)
class Rule:
    """A drawn horizontal or vertical line (or a rectangle's edge), in PDF user space."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.y1 - self.y0)


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
    has_images: bool = False  # asked only of pages with little or no text
    engine: str = "pdfium"
    # Many characters without a Unicode mapping: pdfium shows glyph codes, pypdf may do better.
    unmapped: bool = False
    # Filled form fields as "name: value" (AcroForm widgets: text, choice, check box, radio).
    form_values: list[str] = field(default_factory=list)
    # Text of annotations a reader sees on the page: free-text boxes, notes' contents.
    annotations: list[str] = field(default_factory=list)
    # Rules drawn on the page; read only when some lines look like table rows.
    rules: list[Rule] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(line.text.strip() for line in self.lines)


@dataclass(slots=True)
class Block:
    """Consecutive lines that form one paragraph, list item or heading."""

    kind: str  # "paragraph" | "list_item" | "heading" | "title" | "table" | "caption" | "code"
    lines: list[Line]
    page: int
    text: str = ""
    level: int | None = None
    metadata: dict[str, object] = field(default_factory=dict)
    # Where the block sits in the flow of text: it opens a column or page; its last line runs
    # to the right edge of its column (paragraphs usually end on a shorter line).
    column_start: bool = False
    full_end: bool = False
    # `size`, computed once: reset it to None when lines are added afterwards.
    size_memo: float | None = field(default=None, repr=False, compare=False)

    @property
    def size(self) -> float:
        """The font size that covers most characters of the block."""
        if self.size_memo is not None:
            return self.size_memo
        lines = self.lines
        if len(lines) == 1:
            size = round(lines[0].size * 2) / 2
        else:
            weights: dict[float, int] = {}
            for line in lines:
                key = round(line.size * 2) / 2
                weights[key] = weights.get(key, 0) + len(line.text)
            size = max(weights, key=weights.__getitem__) if weights else 0.0
        if lines:
            self.size_memo = size
        return size

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
