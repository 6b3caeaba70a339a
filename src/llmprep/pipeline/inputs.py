"""What a run reads: the command line's INPUT... turned into an ordered list of input files.

    discover(inputs, out=OUT, include=[...], exclude=[...]) -> list[InputFile]

Every runner (local, Ray) and every kind of input source builds on this one list; an input
source that is not a local folder (remote URLs) should produce the same `InputFile`s with the
same rules. The rules:

- **Order**: inputs as given; inside a folder, its files (names sorted), then its subfolders
  (sorted), depth first. Output files are written in this order.
- **Never inputs**: hidden names (dotfiles, `.git`, `.llmprep`), VCS and virtualenv folders
  (`SKIP_DIRS`), the output folder, any folder holding a `.llmprep/` state folder (an earlier
  run's output), paths matching an `exclude` pattern, and symbolic links to folders (not
  followed: no loops). These get no manifest row.
- **Read by default**: a file with an extension some loader declares (`llmprep loaders`), or
  whose first bytes a loader other than plain text recognizes (a mailbox without extension).
  Any other file under a folder gets a row with status `unsupported` and code `file.excluded`
  and is not processed. `include` patterns replace that default: then a file is read when it
  matches one of them. A file named on the command line is always read.
- **Patterns** (`--include`/`--exclude`, `[run] include`/`exclude`) are matched against the path
  relative to its input folder, with `/` separators. A pattern without `/` matches a name at any
  depth (`*.json`, `drafts`); one with `/` matches from the input folder (`archive/2019/**`);
  `**` spans folders, `*` and `?` do not; a trailing `/` matches folders only. A folder that
  matches an exclude pattern is not entered.
- **One row per real file**: a file reached twice (named twice, as a file and inside a folder,
  by two spellings, through a symbolic link) is read once, at its first position.
- **rel_path** (the path in records and ids): with one input, relative to it (a file input: its
  name). With several, each input's paths start with its name (`docs/a.md`); inputs whose names
  are the same are told apart by as many parent folders as it takes (`a/docs/x.md`,
  `b/docs/x.md`); a path that still collides gets the prefix `input-N/` (N: the input's position,
  from 1). So ids change only where paths would otherwise collide.
- **A folder that cannot be listed** gets a row (`folder.unreadable`), as does every file that
  cannot be read (a broken link, a loop, a pipe: they fail with their own code when processed).

Paths are kept lossless (`os.fsdecode`, surrogate escapes for bytes that are not UTF-8) for
opening files; `llmprep.names.shown` gives the form written to outputs.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv"}
STATE_DIR_NAME = ".llmprep"  # output.STATE_DIR; a folder holding one is an llmprep output folder
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Skip:
    """A row decided during discovery: the file or folder is not processed."""

    status: str  # a manifest status ("unsupported", "failed")
    code: str
    message: str


@dataclass(frozen=True)
class InputFile:
    path: str  # the input joined with the relative part; lossless (for opening)
    rel_path: str  # relative to its input root, POSIX separators, unique in the run (ids)
    skip: Skip | None = None  # set: not processed, the row says why


EXCLUDED_BY_FORMAT = Skip(
    "unsupported",
    "file.excluded",
    "not read: no loader reads this kind of file by default (add it with --include)",
)
EXCLUDED_BY_INCLUDE = Skip(
    "unsupported", "file.excluded", "not read: matches none of the include patterns"
)


@dataclass
class Discovery:
    """The files of a run, and what was left out without a row (for the report)."""

    files: list[InputFile] = field(default_factory=list)
    excluded_by_pattern: int = 0  # files and folders matching an exclude pattern
    repeated: int = 0  # files reached a second time (read once)
    output_folders: int = 0  # earlier llmprep output folders under the inputs, not entered


def discover(
    inputs: Iterable[str | Path],
    *,
    out: str | Path | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    readable: Callable[[str, str], bool] | None = None,
) -> list[InputFile]:
    """The files under `inputs`, in a stable order (see the module docstring for the rules)."""
    return scan(inputs, out=out, include=include, exclude=exclude, readable=readable).files


def scan(
    inputs: Iterable[str | Path],
    *,
    out: str | Path | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    readable: Callable[[str, str], bool] | None = None,
) -> Discovery:
    """`discover`, with the counts of what was left out without a row.

    `readable(path, name)` decides the default format filter (tests and other input sources
    may pass their own); by default, the loader registry's extensions and sniffers.
    """
    roots = [os.fspath(p) for p in inputs]
    walker = _Walker(
        out=os.path.realpath(out) if out is not None else None,
        include=[Pattern(p) for p in include],
        exclude=[Pattern(p) for p in exclude],
        readable=readable or default_readable(),
    )
    labels = _labels(roots)
    for position, (root, label) in enumerate(zip(roots, labels, strict=True), start=1):
        walker.add_input(root, label, position)
    return walker.result


class Pattern:
    """One include/exclude glob (see the module docstring)."""

    def __init__(self, pattern: str) -> None:
        text = pattern.strip()
        while text.startswith("./"):
            text = text[2:]
        self.dirs_only = text.endswith("/")
        text = text.strip("/")
        self.anchored = "/" in text
        self.text = pattern
        self.regex = re.compile(_translate(text))

    def matches(self, rel: str, *, is_dir: bool) -> bool:
        if self.dirs_only and not is_dir:
            return False
        target = rel if self.anchored else rel.rsplit("/", 1)[-1]
        return self.regex.fullmatch(target) is not None


def _translate(glob: str) -> str:
    """A glob as a regular expression: `**` spans folders, `*`/`?` stay inside one name."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end < 0:
                out.append(re.escape(c))
                i += 1
                continue
            body = glob[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def default_readable() -> Callable[[str, str], bool]:
    """The default format filter: a loader declares the extension, or sniffs the first bytes.

    Loaded once per discovery; plugins count like built-ins. Files that cannot be opened or are
    not regular files count as readable: processing gives them their own typed row.
    """
    from ..loaders.registry import get_registry

    loaders = get_registry().loaders
    extensions = {ext.lower() for ld in loaders for ext in ld.extensions}
    sniffers = [ld for ld in loaders if ld.name != "text"]

    def readable(path: str, name: str) -> bool:
        if os.path.splitext(name)[1].lower() in extensions:
            return True
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return True
            with open(path, "rb") as fh:
                head = fh.read(SNIFF_BYTES)
        except OSError:
            return True
        return any(_sniffs(ld, head) for ld in sniffers)

    return readable


def _sniffs(loader: object, head: bytes) -> bool:
    try:
        return bool(loader.sniff(head))  # type: ignore[attr-defined]
    except Exception:  # a plugin's sniff must not break discovery
        return False


def _labels(roots: list[str]) -> list[str]:
    """Each input's prefix in rel_paths ("" for a single input); equal names told apart."""
    if len(roots) == 1:
        return [""]
    real = [os.path.realpath(r) for r in roots]
    given = [os.path.abspath(r) for r in roots]
    labels = [_name(r) for r in roots]
    groups: dict[str, dict[str, str]] = {}  # label -> real path -> absolute path as given
    for label, r, g in zip(labels, real, given, strict=True):
        groups.setdefault(label, {}).setdefault(r, g)
    for label, inputs in groups.items():
        if len(inputs) < 2:
            continue  # one input (perhaps named twice): its files are read once anyway
        longest = max(len(Path(g).parts) for g in inputs.values())
        for depth in range(2, longest + 1):
            tails = {r: "/".join(Path(g).parts[-depth:]).lstrip("/") for r, g in inputs.items()}
            if len(set(tails.values())) == len(inputs):
                break
        for i, r in enumerate(real):
            if labels[i] == label:
                labels[i] = tails[r]
    return labels


def _name(root: str) -> str:
    """An input's own name: a folder's real name (so `.` is named), a file's name as given."""
    path = Path(root)
    if _is_walked_dir(root, single=False):
        return Path(os.path.realpath(root)).name or "root"
    return path.name or Path(os.path.realpath(root)).name


def _is_walked_dir(root: str, *, single: bool) -> bool:
    """A folder input is walked; a symbolic link to a folder only when it is the only input."""
    return os.path.isdir(root) and (single or not os.path.islink(root))


class _Walker:
    def __init__(
        self,
        *,
        out: str | None,
        include: list[Pattern],
        exclude: list[Pattern],
        readable: Callable[[str, str], bool],
    ) -> None:
        self.out = out
        self.include = include
        self.exclude = exclude
        self.readable = readable
        self.result = Discovery()
        self.seen_real: set[str] = set()
        self.seen_rel: set[str] = set()
        self.position = 0

    def add_input(self, root: str, label: str, position: int) -> None:
        self.position = position
        if _is_walked_dir(root, single=label == ""):
            prefix = f"{label}/" if label else ""
            self._walk(root, "", prefix, os.path.realpath(root), is_root=True)
            return
        rel = label or Path(root).name or root
        if self._excluded(Path(root).name, is_dir=False):
            self.result.excluded_by_pattern += 1
            return
        self._add(InputFile(root, rel), os.path.realpath(root))

    def _excluded(self, rel: str, *, is_dir: bool) -> bool:
        return any(p.matches(rel, is_dir=is_dir) for p in self.exclude)

    def _add(self, item: InputFile, real: str) -> None:
        if real in self.seen_real:
            self.result.repeated += 1
            return
        self.seen_real.add(real)
        rel = item.rel_path
        if rel in self.seen_rel:  # two different files with one path: keep both, distinctly
            rel = f"input-{self.position}/{rel}"
            while rel in self.seen_rel:
                rel = f"input-{self.position}/{rel}"
            item = InputFile(item.path, rel, item.skip)
        self.seen_rel.add(rel)
        self.result.files.append(item)

    def _walk(self, folder: str, rel: str, prefix: str, real: str, *, is_root: bool) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self._unreadable(folder, prefix + rel if rel else prefix.rstrip("/") or ".", real, exc)
            return
        if not is_root and any(e.name == STATE_DIR_NAME and _entry_is_dir(e) for e in entries):
            self.result.output_folders += 1
            return
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            child_rel = f"{rel}/{name}" if rel else name
            full = os.path.join(folder, name)
            if _entry_is_dir(entry, follow=False):
                if name in SKIP_DIRS:
                    continue
                if self._excluded(child_rel, is_dir=True):
                    self.result.excluded_by_pattern += 1
                    continue
                subfolders.append((entry, child_rel, full))
                continue
            if _entry_is_symlink(entry) and _entry_is_dir(entry):
                continue  # a symbolic link to a folder: not followed
            if self._excluded(child_rel, is_dir=False):
                self.result.excluded_by_pattern += 1
                continue
            file_real = (
                os.path.realpath(full) if _entry_is_symlink(entry) else os.path.join(real, name)
            )
            self._add(
                InputFile(full, prefix + child_rel, self._verdict(full, child_rel, name)), file_real
            )
        for entry, child_rel, full in subfolders:
            child_real = os.path.join(real, entry.name)
            if self.out is not None and child_real == self.out:
                continue
            self._walk(full, child_rel, prefix, child_real, is_root=False)

    def _verdict(self, full: str, rel: str, name: str) -> Skip | None:
        if self.include:
            if any(p.matches(rel, is_dir=False) for p in self.include):
                return None
            return EXCLUDED_BY_INCLUDE
        return None if self.readable(full, name) else EXCLUDED_BY_FORMAT

    def _unreadable(self, folder: str, rel: str, real: str, exc: OSError) -> None:
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        if exc.errno == errno.ENOTDIR:
            reason = "Not a directory"
        skip = Skip(
            "failed",
            "folder.unreadable",
            f"the folder could not be listed ({reason}); none of its files were read",
        )
        self._add(InputFile(folder, rel, skip), real)


def _entry_is_dir(entry: os.DirEntry[str], *, follow: bool = True) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _entry_is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


__all__ = ["Discovery", "InputFile", "Pattern", "Skip", "discover", "scan"]
