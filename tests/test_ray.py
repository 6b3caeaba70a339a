"""The Ray runner gives the local runner's outputs, on a private loopback-only Ray cluster.

One two-CPU cluster is shared by the module (Ray takes tens of seconds to start); the command-line
test starts its own through the runner, as a user's `llmprep run --engine ray` does.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import llmprep

KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
TIMING_KEYS = {"seconds"}  # per-file wall time differs run to run; nothing else may


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    from llmprep.runners.ray import require_ray, start_local_cluster

    ray = require_ray()
    start_local_cluster(num_cpus=2)
    try:
        yield
    finally:
        ray.shutdown()


def _rows(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _canonical(rows: Iterable[dict]) -> list[str]:
    return [
        json.dumps({k: v for k, v in row.items() if k not in TIMING_KEYS}, sort_keys=True)
        for row in rows
    ]


def _comparable(out: Path) -> dict[str, list[str]]:
    """Records, rejected rows and manifest rows in output order, timing fields dropped (a
    local run writes single files, a Ray run parts: `llmprep.read_records` reads both)."""
    return {
        "records": _canonical(llmprep.read_records(out)),
        "rejected": _canonical(llmprep.read_records(out, rejected=True)),
        "manifest.jsonl": _canonical(_rows(out / "manifest.jsonl")),
    }


def _output_bytes(out: Path) -> dict[str, bytes]:
    """Every output file of a run (parts included) and its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".llmprep" not in p.parts and not p.name.startswith("report.")
    }


def _both(inputs: Path, tmp: Path, **options: object) -> tuple[Path, Path]:
    local, ray = tmp / "local", tmp / "ray"
    llmprep.run(inputs, out=local, workers=2, engine="local", **options)
    llmprep.run(inputs, out=ray, workers=2, engine="ray", **options)
    return local, ray


SUBJECTS = [
    "the support team",
    "our customer",
    "the night shift",
    "every new engineer",
    "the billing service",
    "a regional office",
]
VERBS = [
    "reviews",
    "archives",
    "escalates",
    "documents",
    "restores",
    "rotates",
    "approves",
    "migrates",
]
OBJECTS = [
    "the backup schedule",
    "each password reset",
    "the incident report",
    "the VPN certificate",
    "the invoice batch",
    "the release checklist",
]
TAILS = [
    "before the weekly review",
    "after a failed login",
    "within two business days",
    "when the ticket is closed",
    "during the quarterly audit",
]


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(
        f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
        for _ in range(sentences)
    )


def _make_corpus(root: Path, files: int = 500) -> None:
    """Markdown, text and HTML documents; a tenth exact copies, a tenth near copies (one word changed)."""
    rng = random.Random(13)
    copies = files // 10
    originals: list[tuple[str, str]] = []
    for i in range(files - 2 * copies):
        body = "\n\n".join(_paragraph(rng, 6) for _ in range(3))
        kind = ("md", "txt", "html")[i % 3]
        if kind == "md":
            text = f"# Procedure {i}\n\n{body}\n"
        elif kind == "txt":
            text = f"Procedure {i}\n\n{body}\n"
        else:
            paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            text = f"<html><head><title>Procedure {i}</title></head><body><main><h1>Procedure {i}</h1>{paras}</main></body></html>\n"
        name = f"team{i % 7}/doc{i:03d}.{kind}"
        originals.append((name, text))
    for name, text in originals:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for j, (name, text) in enumerate(rng.sample(originals, 2 * copies)):
        stem, ext = name.rsplit(".", 1)
        if j < copies:
            copy = root / "copies" / f"{stem.replace('/', '-')}.{ext}"
        else:
            copy = root / "near" / f"{stem.replace('/', '-')}.{ext}"
            text = (
                text.replace(" reviews ", " inspects ", 1)
                if " reviews " in text
                else text.replace(" the ", " this ", 1)
            )
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def kb_runs(ray_cluster: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A copy of the fixture knowledge base, run once locally and once on Ray."""
    tmp = tmp_path_factory.mktemp("kb")
    kb = tmp / "kb"
    shutil.copytree(KB, kb)
    local, ray = _both(kb, tmp, redact=False)
    return kb, local, ray


def test_ray_outputs_equal_local_outputs_on_the_fixture_knowledge_base(
    kb_runs: tuple[Path, Path, Path],
) -> None:
    kb, local, ray = kb_runs
    expected = _comparable(local)
    assert expected["records"] and len(expected["manifest.jsonl"]) == sum(
        1 for p in kb.rglob("*") if p.is_file()
    )
    assert _comparable(ray) == expected


def test_ray_outputs_equal_local_outputs_on_500_files_with_exact_and_near_copies(
    ray_cluster: None, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    _make_corpus(corpus)
    local, ray = _both(corpus, tmp_path, redact=False)
    expected = _comparable(local)
    assert len(expected["manifest.jsonl"]) == 500
    flags = {
        f["code"]
        for r in [*llmprep.read_records(local), *llmprep.read_records(local, rejected=True)]
        for f in r["flags"]
    }
    assert {
        "duplicate_doc_exact",
        "duplicate_doc_near",
    } <= flags  # the run-wide dedup phase had work to do
    assert _comparable(ray) == expected


def test_more_workers_than_the_cluster_has_cpus_run_on_the_actors_that_start(
    ray_cluster: None, tmp_path: Path
) -> None:
    # Four actors asked for on two CPUs: two never start. The map must run on the two that do
    # and release every actor (started or waiting) before the run-wide phase needs the CPUs.
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, files=40)
    llmprep.run(corpus, out=tmp_path / "local", workers=2, engine="local", redact=False)
    summary = llmprep.run(corpus, out=tmp_path / "ray", workers=4, engine="ray", redact=False)
    assert summary.processed == 40
    assert _comparable(tmp_path / "ray") == _comparable(tmp_path / "local")


def test_a_ray_rerun_over_unchanged_inputs_processes_nothing(
    kb_runs: tuple[Path, Path, Path],
) -> None:
    kb, _, ray = kb_runs
    before = _output_bytes(ray)
    again = llmprep.run(kb, out=ray, workers=2, engine="ray", redact=False)
    assert (again.processed, again.reused) == (0, again.files)
    assert _output_bytes(ray) == before


def test_a_ray_rerun_after_an_edit_processes_only_the_edited_file(
    kb_runs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    kb, _, ray = kb_runs
    shutil.copytree(kb, tmp_path / "kb")
    shutil.copytree(
        ray, tmp_path / "out"
    )  # an output folder remembers contents, not where it lives
    (tmp_path / "kb" / "handbook.md").write_text(
        "# Handbook\n\nRewritten: the on-call rota lives in the wiki now.\n"
    )
    changed = llmprep.run(
        tmp_path / "kb", out=tmp_path / "out", workers=2, engine="ray", redact=False
    )
    assert (changed.processed, changed.reused) == (1, changed.files - 1)
    rows = {r["rel_path"]: r for r in _rows(tmp_path / "out" / "manifest.jsonl")}
    assert rows["handbook.md"]["status"] == "ok" and len(rows) == changed.files


def test_a_file_over_the_timeout_gets_a_timeout_row_under_ray_too(
    ray_cluster: None, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "big.txt").write_text(("word " * 200 + "\n\n") * 20000)
    (root / "small.md").write_text("# Small\n\nfine\n")
    # big.txt needs over a minute here; small.md well under a second, even on a loaded machine.
    # No extra seconds per MB: the 20 MB file gets 5 s.
    flat = {"run.timeout": 5.0, "run.timeout_per_mb": 0.0}
    llmprep.run(root, out=tmp_path / "out", workers=2, engine="ray", redact=False, **flat)
    rows = {r["rel_path"]: r for r in _rows(tmp_path / "out" / "manifest.jsonl")}
    assert (rows["big.txt"]["status"], rows["big.txt"]["error_code"]) == ("timeout", "file.timeout")
    assert rows["small.md"]["status"] == "ok"


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def _listening(pids: set[int]) -> list[str]:
    """Addresses that TCP sockets owned by `pids` listen on (from /proc, no extra tools)."""
    inodes: set[str] = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A" or fields[9] not in inodes:  # 0A = LISTEN
                continue
            raw = bytes.fromhex(fields[1].split(":")[0])
            packed = b"".join(
                raw[i : i + 4][::-1] for i in range(0, len(raw), 4)
            )  # host-order words
            found.append(socket.inet_ntop(family, packed))
    return found


def test_a_ray_worker_killed_mid_run_costs_no_file_and_no_difference(
    ray_cluster: None, tmp_path: Path
) -> None:
    from llmprep.config import Config

    corpus = tmp_path / "corpus"
    _make_corpus(corpus, files=60)
    config = Config().with_overrides(redact=False, **{"run.workers": 2})
    llmprep.run([corpus], out=tmp_path / "local", config=config)
    killed: list[int] = []

    def kill_an_actor(done: int, total: int, row: dict | None) -> None:
        if row is None or killed:
            return
        for pid in sorted(_descendants(os.getpid())):  # never another user's Ray
            try:
                if b"_BatchProcessor" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            except OSError:
                continue

    summary = llmprep.run(
        [corpus],
        out=tmp_path / "ray",
        config=config.with_overrides(**{"run.engine": "ray"}),
        progress=kill_an_actor,
    )
    assert killed and summary.processed == 60
    assert _comparable(tmp_path / "ray") == _comparable(tmp_path / "local")


def test_the_private_cluster_listens_on_loopback_only(ray_cluster: None) -> None:
    import ray

    assert {n["NodeManagerAddress"] for n in ray.nodes()} == {"127.0.0.1"}
    addresses = _listening(_descendants(os.getpid()) | {os.getpid()})
    assert addresses  # the GCS and the raylet at least
    assert set(addresses) <= {"127.0.0.1", "::ffff:127.0.0.1", "::1"}, addresses


def test_the_command_line_ray_run_with_quiet_prints_only_the_summary_line(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(KB / "handbook.md", root)
    shutil.copy(KB / "maintenance-notes.txt", root)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "llmprep.cli",
            "run",
            str(root),
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "ray",
            "--workers",
            "1",
            "--no-redact",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("llmprep: 2 files (2 ok)"), proc.stderr
    assert len(_rows(tmp_path / "out" / "manifest.jsonl")) == 2


def test_the_command_line_runs_on_an_existing_cluster_given_by_ray_address(
    kb_runs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    import ray

    kb, _, ray_out = kb_runs
    jobs_before = len(ray._private.state.jobs())  # every driver that connects registers a job
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "llmprep.cli",
            "run",
            str(kb),
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "ray",
            "--ray-address",
            ray.get_runtime_context().gcs_address,
            "--no-redact",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr  # the corrupt PDF
    assert len(ray._private.state.jobs()) == jobs_before + 1
    assert _comparable(tmp_path / "out") == _comparable(ray_out)


BLOCK_RAY = (
    "import sys; sys.modules['ray'] = None; "  # `import ray` now fails as if it were not installed
)


def test_without_ray_the_command_line_says_which_extra_to_install(tmp_path: Path) -> None:
    code = BLOCK_RAY + "from llmprep.cli import main; main()"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "run",
            str(KB / "handbook.md"),
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "ray",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        "llmprep: config error: engine 'ray' needs Ray Data, which is not installed (missing module 'ray'): "
        "pip install 'llmprep[ray]'"
    )


def test_without_ray_the_library_raises_a_config_error(tmp_path: Path) -> None:
    code = BLOCK_RAY + (
        "import llmprep\n"
        "from llmprep.errors import ConfigError\n"
        "try:\n"
        f"    llmprep.run({str(KB / 'handbook.md')!r}, out={str(tmp_path / 'out')!r}, engine='ray')\n"
        "except ConfigError as exc:\n"
        "    print('ConfigError:', exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stdout.startswith("ConfigError: engine 'ray' needs Ray Data")
        and "llmprep[ray]" in proc.stdout
    )
