"""The recognition engine: rapidocr's PP-OCRv6 models, from its own wheel, on onnxruntime (CPU).

Nothing is downloaded, ever. rapidocr fetches a model only when its configuration names none and
the file is missing, so every model path is given explicitly (the files ship inside the wheel);
the recognition model carries its character list in its own metadata, so no dictionary is
fetched either; and the text-line angle classifier is off (it turned upright lines upside down on
clean pages; `page.read_page` turns whole pages upright instead). rapidocr is pinned to one
version in the `ocr` extra: this module calls its detector and recognizer directly, to recognise
a page in slices (a time budget is checked between them) and at full resolution.

One engine per process and configuration: loading the models takes one to two seconds.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .languages import allowed, blocked_scripts

ENGINE_NAME = "rapidocr"
EXTRA_HINT = "install the `ocr` extra: pip install 'llmprep[ocr]'"

# Files inside the rapidocr wheel (rapidocr/models/). The detector and the recognizer are the
# defaults of rapidocr 3.10 (PP-OCRv6 small, multilingual).
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

# The detector sees the page scaled so its longer side is this many pixels (about 140 dpi for
# A4); recognition reads crops of the full-resolution image. Chosen with bench/ocr.py: larger
# costs time without finding more words on body text.
DET_LONG_SIDE = 1600

log = logging.getLogger(__name__)


class OcrUnavailable(Exception):
    """OCR cannot run here: the extra is missing or its model files are not in the wheel."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class EngineKey:
    threads: int
    languages: tuple[str, ...]


class Engine:
    """Text detection (boxes) and recognition (text + confidence per box)."""

    def __init__(self, key: EngineKey) -> None:
        try:
            import onnxruntime  # noqa: F401  (rapidocr imports it lazily; fail here, clearly)
            import rapidocr
            from rapidocr import RapidOCR
            from rapidocr.ch_ppocr_rec import TextRecInput
        except ImportError as exc:
            raise OcrUnavailable(
                "ocr.not_installed", f"OCR is not installed ({EXTRA_HINT})"
            ) from exc
        models = Path(rapidocr.__file__).resolve().parent / "models"
        paths = {name: models / name for name in (DET_MODEL, REC_MODEL, CLS_MODEL)}
        missing = [name for name, path in paths.items() if not path.is_file()]
        if missing:
            raise OcrUnavailable(
                "ocr.models_missing",
                f"the rapidocr wheel lacks its model files ({', '.join(missing)}); "
                "reinstall the `ocr` extra",
            )
        _quiet_rapidocr()
        params: dict[str, Any] = {
            "Global.log_level": "critical",
            "Global.use_cls": False,
            "Global.model_root_dir": str(models),
            "Det.model_path": str(paths[DET_MODEL]),
            "Det.limit_type": "max",
            "Det.limit_side_len": DET_LONG_SIDE,
            "Rec.model_path": str(paths[REC_MODEL]),
            "Cls.model_path": str(paths[CLS_MODEL]),
            "EngineConfig.onnxruntime.intra_op_num_threads": key.threads or -1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1 if key.threads else -1,
        }
        ocr = RapidOCR(params=params)
        self._detector = ocr._load_det_model()
        self._recognizer = ocr._load_rec_model()
        self._rec_input = TextRecInput
        blocked = blocked_scripts(list(key.languages))
        if blocked:
            self._recognizer.session = _MaskedSession(
                self._recognizer.session, self._recognizer.postprocess_op.character, blocked
            )

    def detect(self, image: Any) -> Any:
        """Quadrilaterals (N x 4 x 2, pixels: top-left, top-right, bottom-right, bottom-left)."""
        result = self._detector(image)
        return result.boxes if result.boxes is not None else []

    def recognize(self, crops: list[Any]) -> list[tuple[str, float]]:
        """Text and confidence (0..1) of each upright line image."""
        if not crops:
            return []
        result = self._recognizer(self._rec_input(img=crops))
        return [(str(t), float(s)) for t, s in zip(result.txts, result.scores, strict=True)]


class _MaskedSession:
    """The recognizer's model with the letters of unwanted scripts given zero probability.

    The decoder takes the likeliest character at each step, so a masked letter's probability
    goes to the next candidate, usually the right letter of the expected script.
    """

    def __init__(self, session: Any, characters: list[str], blocked: frozenset[str]) -> None:
        import numpy as np

        self._session = session
        # Index 0 is the CTC blank, the last one the space rapidocr appends.
        keep = [i == 0 or allowed(ch, blocked) for i, ch in enumerate(characters)]
        self._mask = np.asarray(keep, dtype=np.float32)

    def __call__(self, batch: Any) -> Any:
        preds = self._session(batch)
        if preds.shape[-1] == self._mask.shape[0]:
            preds = preds * self._mask
        return preds

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


_ENGINES: dict[EngineKey, Engine] = {}
_LOCK = threading.Lock()


def get_engine(threads: int, languages: list[str]) -> Engine:
    """The process's engine for these settings (models load on first use)."""
    key = EngineKey(threads, tuple(sorted(set(languages))))
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = Engine(key)
        return engine


def installed() -> bool:
    """Whether the `ocr` extra's packages can be imported (without loading any model)."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


def _quiet_rapidocr() -> None:
    """rapidocr logs every model path at INFO through its own handler; llmprep's logs stay clean."""
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
