"""Python's cycle collector paused while a PDF's text layer is read and put together.

Reading keeps every line and block of the document alive until the elements are built, so the
collector, triggered by the count of new objects, walks them again and again (and now and then
the whole heap) while finding next to nothing to free: a 600-page PDF leaves a few hundred
objects in cycles. That was 6% of the loader's time on the corpus. The pause ends when the
document is built and the pages are freed, so the collection that follows sees only what
survives. OCR, slow and allocating much, turns the collector back on (`resume`).

The collector's switch is process-wide: a pause only starts when the collector is on and no
pause of this thread is running, and ends by switching it on again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def paused() -> Iterator[None]:
    if getattr(_state, "paused", False) or not gc.isenabled():
        yield  # nested (a PDF attached to a PDF), or the application turned it off itself
        return
    gc.disable()
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False
        gc.enable()


def resume() -> None:
    """Switch the collector back on inside a pause, for long work (OCR)."""
    if getattr(_state, "paused", False):
        _state.paused = False
        gc.enable()
