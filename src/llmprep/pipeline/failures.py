"""What a failure says, and where the full story goes.

A manifest row must never quote the document, and exception messages from parsers often do. So
a row keeps the error's code, the exception's type and the frame that raised it
(`KeyError during normalize at llmprep/stages/normalize/stage.py:42`): enough to find the bug,
nothing from the file. The full traceback, messages included, is written only in debug mode
(`--debug` or `LLMPREP_DEBUG=1`): to stderr, and to `DIR/.llmprep/debug.log` during a run.
"""

from __future__ import annotations

import errno
import os
import sys
import time
import traceback
from pathlib import Path

DEBUG_ENV = "LLMPREP_DEBUG"
DEBUG_LOG_ENV = "LLMPREP_DEBUG_LOG"  # set by a run to DIR/.llmprep/debug.log; workers inherit it
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # .../llmprep


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def error_slug(exc: BaseException) -> str:
    """The second half of an error code for an operating-system or resource failure."""
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "symlink_loop"
    if isinstance(exc, PermissionError):
        return "unreadable"
    if isinstance(exc, FileNotFoundError):
        return "not_found"
    if isinstance(exc, IsADirectoryError):
        return "is_directory"
    if isinstance(exc, MemoryError):
        return "out_of_memory"
    if isinstance(exc, RecursionError):
        return "too_deep"
    return "os_error"


def safe_message(exc: BaseException, stage: str) -> str:
    """For an operating-system error, the system's own wording of its errno ("Permission
    denied"); otherwise the exception type only."""
    if isinstance(exc, OSError) and exc.errno:
        return f"{os.strerror(exc.errno)} ({type(exc).__name__} during {stage})"
    return f"{type(exc).__name__} during {stage}"


def unexpected_message(exc: BaseException, stage: str) -> str:
    """Type, stage and raising frame of a bug or parser surprise; never the exception's text."""
    where = raising_frame(exc)
    return f"{type(exc).__name__} during {stage}" + (f" at {where}" if where else "")


def raising_frame(exc: BaseException) -> str:
    """`path/module.py:line` of the frame that raised, and of the last llmprep frame on the way
    when the raise happened inside a library."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    where = f"{_short(last.filename)}:{last.lineno}"
    if not _ours(last.filename):
        own = next((f for f in reversed(frames) if _ours(f.filename)), None)
        if own is not None:
            where += f" (from {_short(own.filename)}:{own.lineno})"
    return where


def _ours(filename: str) -> bool:
    try:
        Path(filename).resolve().relative_to(_PACKAGE_ROOT)
    except ValueError:
        return False
    return True


def _short(filename: str) -> str:
    """A path that names the module without the machine's folders (user names, venv paths)."""
    path = Path(filename)
    resolved = path.resolve()
    try:
        return "llmprep/" + resolved.relative_to(_PACKAGE_ROOT).as_posix()
    except ValueError:
        pass
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :])
    return path.name


def report_exception(exc: BaseException, rel_path: str, stage: str) -> None:
    """In debug mode, the full traceback to stderr and to the run's debug log."""
    if not debug_enabled():
        return
    header = (
        f"--- {time.strftime('%Y-%m-%dT%H:%M:%S')} pid {os.getpid()} {rel_path!r} during {stage}\n"
    )
    text = header + "".join(traceback.format_exception(exc))
    write_debug(text)


def write_debug(text: str) -> None:
    """Append to the debug log (one write under a lock: workers share the file) and stderr."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    log_path = os.environ.get(DEBUG_LOG_ENV)
    if not log_path:
        return
    try:
        import fcntl

        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.write(text)
            fh.flush()
    except OSError:
        pass
