"""Inputs and outputs behind fsspec URLs (`s3://`, `gs://`, `az://`, `memory://`...): extra `remote`.

Workers never see a URL. A run lists remote folders here, keys each object on its ETag, size
and modification time (so a rerun skips an unchanged object without downloading it: hashing
it would mean reading it), and downloads only the objects it will process into a staging
folder under `OUT/.llmprep/remote/`, removed when the run ends. Their records are the records
of the same bytes read from disk; the manifest names the URL.

An output folder given as a URL is worked on locally: its previous outputs and `.llmprep/`
state are pulled first (so the rerun stays incremental), and after the run every file that
changed is uploaded and every file the run removed is deleted.

Credentials and endpoints come from fsspec's own configuration: the usual environment
variables (`AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`, `GOOGLE_APPLICATION_CREDENTIALS`...),
`FSSPEC_<PROTOCOL>_<OPTION>` variables (`FSSPEC_S3_ENDPOINT_URL=http://...`) or
`~/.config/fsspec/*.json`.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:
    from .content import Content

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
STAGING_DIR = "remote"


def is_url(value: object) -> bool:
    """True for `scheme://...` other than `file://` (local paths stay paths)."""
    if not isinstance(value, str):
        return False
    m = _SCHEME.match(value)
    return m is not None and m.group(1).lower() != "file"


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem for `url` and the path inside it; ConfigError naming what to install."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise ConfigError(
            f"{url}: reading URLs needs the remote extra: pip install 'llmprep[remote]'"
        ) from None
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as exc:
        # fsspec names the package a protocol needs (s3fs, gcsfs, adlfs...).
        raise ConfigError(f"{url}: {exc}") from None


def read_url(url: str, *, filename: str | None = None) -> Content:
    """One object's bytes, named by `filename` or the object's name (for `llmprep.process`)."""
    from .content import Content, content_name

    fs, path = filesystem(url)
    try:
        data = fs.cat_file(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"{url}: no such object") from None
    return Content(bytes(data), content_name(filename or posixpath.basename(path)))


@dataclass(frozen=True, slots=True)
class RemoteObject:
    """One object under an input URL."""

    url: str
    rel_path: str  # relative to its input root, as for local files
    version: str  # ETag / size / modification time: changes whenever the content does


def _version(info: dict[str, Any]) -> str:
    etag = info.get("ETag") or info.get("etag") or info.get("md5Hash") or info.get("content_md5")
    mtime = (
        info.get("LastModified")
        or info.get("last_modified")
        or info.get("mtime")
        or info.get("updated")
        or info.get("created")
    )
    return f"etag={etag or ''};size={info.get('size')};mtime={mtime or ''}"


def walk_order(rel_path: str) -> tuple[tuple[int, str], ...]:
    """Sort key giving a local folder walk's order: a folder's files, then its subfolders."""
    *folders, name = rel_path.split("/")
    return (*((1, f) for f in folders), (0, name))


def _output_folders(rel_paths: Iterable[str]) -> set[str]:
    """Folders (as `prefix/`) that hold a `.llmprep/` state folder: earlier runs' outputs."""
    found = set()
    for rel in rel_paths:
        parts = rel.split("/")
        if ".llmprep" in parts[:-1]:
            folder = "/".join(parts[: parts.index(".llmprep")])
            found.add(f"{folder}/" if folder else "")
    return found


def list_objects(urls: list[str], *, multi: bool) -> list[RemoteObject]:
    """Objects under `urls` in a stable order; hidden names and folders holding an llmprep
    output (a `.llmprep/` state folder) skipped, as for local folders.

    With several inputs, relative paths start with the input folder's name (as locally).
    """
    found: list[RemoteObject] = []
    seen: set[str] = set()
    for url in urls:
        fs, root = filesystem(url)
        root = root.rstrip("/")
        fs.invalidate_cache()  # a long-lived process must see objects written since its last look
        if fs.isdir(root):
            prefix = f"{posixpath.basename(root)}/" if multi else ""
            listing: dict[str, dict[str, Any]] = fs.find(root, detail=True)
            rels = {posixpath.relpath(path, root): path for path in listing}
            outputs = _output_folders(rels)
            for rel in sorted(rels, key=walk_order):
                if any(rel.startswith(folder) for folder in outputs):
                    continue  # an llmprep output folder is never an input
                path = rels[rel]
                info = listing[path]
                if info.get("type") == "directory" or any(
                    part.startswith(".") for part in rel.split("/")
                ):
                    continue
                obj = RemoteObject(fs.unstrip_protocol(path), prefix + rel, _version(info))
                if obj.rel_path not in seen:
                    seen.add(obj.rel_path)
                    found.append(obj)
        else:
            try:
                info = fs.info(root)
            except FileNotFoundError:
                info = {}
            obj = RemoteObject(url, posixpath.basename(root), _version(info))
            if obj.rel_path not in seen:
                seen.add(obj.rel_path)
                found.append(obj)
    return found


def download(objects: list[tuple[RemoteObject, str]], dest: Path) -> dict[str, Path | str]:
    """Download `(object, key)` pairs under `dest/<key>/<name>`; key -> local path or error text.

    Objects of one filesystem are fetched in one batched call (s3fs and gcsfs fetch
    concurrently); when the batch fails, each object is tried alone so one bad object
    fails only itself.
    """
    results: dict[str, Path | str] = {}
    by_fs: dict[int, tuple[Any, list[tuple[str, Path, str]]]] = {}
    for obj, key in objects:
        fs, path = filesystem(obj.url)
        local = dest / key / (posixpath.basename(obj.rel_path) or "object")
        local.parent.mkdir(parents=True, exist_ok=True)
        by_fs.setdefault(id(fs), (fs, []))[1].append((path, local, key))
    for fs, items in by_fs.values():
        try:
            fs.get([p for p, _, _ in items], [str(lp) for _, lp, _ in items])
            for _, local, key in items:
                results[key] = local
        except Exception:
            for path, local, key in items:
                try:
                    fs.get_file(path, str(local))
                    results[key] = local
                except Exception as exc:  # one object: a typed row, never a crashed run
                    results[key] = f"{type(exc).__name__}"
    return results


# -- output folders ---------------------------------------------------------------------------


def _digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@contextmanager
def synced_out(url: str) -> Iterator[Path]:
    """A local folder standing for the output URL: pulled before, pushed after (on success)."""
    fs, root = filesystem(url)
    root = root.rstrip("/")
    fs.invalidate_cache()
    local = Path(tempfile.mkdtemp(prefix="llmprep-out-"))
    try:
        pulled: dict[str, str] = {}
        if fs.isdir(root):
            for path in sorted(fs.find(root)):
                rel = posixpath.relpath(path, root)
                target = local / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                fs.get_file(path, str(target))
                pulled[rel] = _digest(target)
        yield local
        _push(fs, root, local, pulled)
    finally:
        shutil.rmtree(local, ignore_errors=True)


def _push(fs: Any, root: str, local: Path, pulled: dict[str, str]) -> None:
    present: set[str] = set()
    for path in sorted(p for p in local.rglob("*") if p.is_file()):
        rel = path.relative_to(local).as_posix()
        if rel.startswith(f".llmprep/{STAGING_DIR}/"):
            continue
        present.add(rel)
        if pulled.get(rel) != _digest(path):
            fs.put_file(str(path), f"{root}/{rel}")
    for rel in sorted(set(pulled) - present):
        fs.rm_file(f"{root}/{rel}")


def split_inputs(inputs: list[Any]) -> tuple[list[Any], list[str]]:
    """Local inputs and URL inputs, each in the order given."""
    urls = [i for i in inputs if is_url(i)]
    return [i for i in inputs if not is_url(i)], urls
