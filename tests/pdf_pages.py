"""Helpers for the PDF tests: load a PDF through the loader, draw pages with reportlab."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from llmprep.config import Config
from llmprep.loaders.base import SourceFile
from llmprep.loaders.pdf.loader import PdfLoader
from llmprep.models import Document, Element

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = (
    "The northern depot shipped every order on time while the southern depot caught up",
    "Each supplier reported its costs for the quarter and the board reviewed them in May",
    "Our survey covered forty stations across the region and most of them met the target",
    "A second survey followed in the autumn because the first one missed several sites",
)


def document(path: Path, config: Config | None = None) -> Document:
    source = SourceFile(path=path, rel_path=path.name, config=config or Config())
    return next(iter(PdfLoader().load(source)))


def elements(path: Path, *types: str) -> list[Element]:
    found = document(path).elements
    return [e for e in found if not types or e.type in types]


def canvas(path: Path, size: tuple[float, float] | None = None) -> Any:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as rl_canvas

    return rl_canvas.Canvas(str(path), pagesize=size or A4)


def words(count: int, start: int = 0) -> list[str]:
    """`count` words of plain English prose, the same for the same `start`."""
    pool = " ".join(SENTENCES).lower().split()
    return [pool[(start + i) % len(pool)] for i in range(count)]


def bench_module(name: str) -> ModuleType:
    """A module of bench/ (the generated-set generators and scorers), imported by path."""
    bench = str(ROOT / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    spec = importlib.util.spec_from_file_location(
        f"llmprep_bench_{name}", ROOT / "bench" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
