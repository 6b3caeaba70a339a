"""URL inputs in a folder run: listed and keyed without a download, staged only when processed.

A remote object's shard key uses its version (ETag, size, modification time) where a local
file's uses its content hash, so an unchanged object is never downloaded again. Objects to
process are downloaded into `OUT/.llmprep/remote/` and handed to the runner as local files;
the manifest keeps their URL. An object that cannot be downloaded gets a `failed` row
(`remote.not_found` / `remote.unreadable`) and is tried again on the next run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ..models import ErrorInfo
from ..output import STATE_DIR, ShardStore
from ..remote import STAGING_DIR, download, is_url, list_objects
from .inputs import InputFile
from .task import Job, failure_row, store_failure, task_key

RETRIED_CODES = ("remote.not_found", "remote.unreadable")


def remote_jobs(urls: list[str], *, multi: bool, config_hash: str) -> list[Job]:
    """One job per object under `urls`; the sha256 slot is None (the worker hashes the bytes)."""
    jobs: list[Job] = []
    for obj in list_objects(urls, multi=multi):
        item = InputFile(obj.url, obj.rel_path)
        jobs.append((item, None, task_key(item, f"remote:{obj.version}", config_hash)))
    return jobs


def is_remote(job: Job) -> bool:
    return is_url(job[0].path)


def remote_cached(job: Job, store: ShardStore) -> bool:
    """A remote object's stored result can be reused (download failures are retried)."""
    if not store.has(job[2]):
        return False
    return store.read_row(job[2]).get("error_code") not in RETRIED_CODES


def staging_dir(out: Path) -> Path:
    return out / STATE_DIR / STAGING_DIR


def stage(
    jobs: list[Job], out: Path, store: ShardStore, config_hash: str
) -> tuple[list[Job], list[tuple[InputFile, dict[str, Any]]]]:
    """Download the remote jobs among `jobs`; returns the jobs to run (remote ones now point at
    their local copy) and the rows of objects that could not be downloaded."""
    remote = [(job, job[0]) for job in jobs if is_remote(job)]
    if not remote:
        return jobs, []
    from ..remote import RemoteObject

    fetched = download(
        [(RemoteObject(item.path, item.rel_path, ""), job[2]) for job, item in remote],
        staging_dir(out),
    )
    runnable: list[Job] = []
    failed: list[tuple[InputFile, dict[str, Any]]] = []
    for job in jobs:
        item, _, key = job
        if not is_remote(job):
            runnable.append(job)
            continue
        local = fetched.get(key)
        if isinstance(local, Path):
            runnable.append((InputFile(str(local), item.rel_path), None, key))
            continue
        code = "remote.not_found" if local == "FileNotFoundError" else "remote.unreadable"
        message = (
            "the object does not exist"
            if code == "remote.not_found"
            else f"the object could not be downloaded ({local})"
        )
        row = failure_row(
            item, None, config_hash, "failed", ErrorInfo(code=code, message=message), 0.0
        )
        store_failure(store, key, row)
        failed.append((item, row))
    return runnable, failed


def unstage(out: Path) -> None:
    shutil.rmtree(staging_dir(out), ignore_errors=True)
