"""Offline OCR for scanned PDF pages and images (the `ocr` extra).

rapidocr runs PaddleOCR's PP-OCRv6 detection and recognition models on onnxruntime (CPU); the
model files ship inside the rapidocr wheel and nothing is downloaded. The rooms:

- `languages`: what the shipped model reads, and the `[ocr] languages` restriction;
- `engine`: the models, loaded once per process from the wheel's own files;
- `page`: one page image to recognised boxes (orientation, deadline);
- `lines`: boxes to the PDF loader's positioned lines, in reading order;
- `run`: one file's pages, budgets, and what documents and elements record.

Importing this package loads nothing heavy; the extra's packages are imported on first use.
"""

from __future__ import annotations

from .engine import ENGINE_NAME, EXTRA_HINT, OcrUnavailable, installed

__all__ = ["ENGINE_NAME", "EXTRA_HINT", "OcrUnavailable", "installed"]
