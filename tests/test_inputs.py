"""What a run reads: discovery rules for folders, files, patterns, repeats and odd names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llmprep.pipeline.inputs import InputFile, Pattern, discover, scan


def _tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def _rels(items: list[InputFile]) -> list[str]:
    return [i.rel_path for i in items]


def _read(items: list[InputFile]) -> list[str]:
    return [i.rel_path for i in items if i.skip is None]


MBOX = "From alice@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: hi\n\nbody\n"


def test_files_no_loader_reads_get_an_excluded_row_and_documents_are_read(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "repo",
        {
            "guide.md": "# Guide\n",
            "data.json": '{"a": 1}\n',
            "LICENSE": "MIT License\n",
            "Makefile": "all:\n\ttrue\n",
            "tool.py": "print('hi')\n",
            "Inbox": MBOX,  # a mailbox without an extension: recognised by its first bytes
        },
    )
    items = discover([root])
    assert _read(items) == ["Inbox", "guide.md"]
    skipped = {i.rel_path: i.skip for i in items if i.skip is not None}
    assert sorted(skipped) == ["LICENSE", "Makefile", "data.json", "tool.py"]
    assert {(s.status, s.code) for s in skipped.values()} == {("unsupported", "file.excluded")}


def test_include_patterns_replace_the_default_format_filter(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo", {"a.md": "x", "b.json": "{}", "sub/c.json": "{}"})
    items = discover([root], include=["*.json"])
    assert _read(items) == ["b.json", "sub/c.json"]
    assert [i.rel_path for i in items if i.skip is not None] == ["a.md"]


def test_exclude_patterns_leave_files_and_folders_out_without_a_row(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "repo",
        {"a.md": "x", "drafts/b.md": "x", "notes/drafts.md": "x", "notes/c.md": "x"},
    )
    found = scan([root], exclude=["drafts", "c.md"])
    assert _rels(found.files) == ["a.md", "notes/drafts.md"]
    assert found.excluded_by_pattern == 2  # the folder (not entered) and one file


def test_a_pattern_with_a_slash_is_anchored_and_double_star_spans_folders() -> None:
    assert Pattern("archive/**").matches("archive/2019/a.pdf", is_dir=False)
    assert Pattern("archive/**").matches("archive", is_dir=True)
    assert not Pattern("archive/**").matches("old/archive/a.pdf", is_dir=False)
    assert Pattern("**/archive/*.pdf").matches("old/archive/a.pdf", is_dir=False)
    assert Pattern("**/archive/*.pdf").matches("archive/a.pdf", is_dir=False)
    assert not Pattern("*.pdf").matches("a.pdf/x.md", is_dir=False)
    assert Pattern("*.pdf").matches("deep/down/a.pdf", is_dir=False)
    assert Pattern("build/").matches("build", is_dir=True)
    assert not Pattern("build/").matches("build", is_dir=False)
    assert Pattern("report-[0-9].md").matches("report-7.md", is_dir=False)
    assert not Pattern("report-[!0-9].md").matches("report-7.md", is_dir=False)


def test_patterns_also_come_from_the_run_config(tmp_path: Path) -> None:
    import llmprep

    root = _tree(tmp_path / "repo", {"keep.md": "# Keep\n\nkept text\n", "skip.md": "# Skip\n"})
    config = llmprep.Config().with_overrides(
        redact=False, **{"run.exclude": ["skip.md"], "run.workers": 1}
    )
    summary = llmprep.run(root, out=tmp_path / "out", config=config)
    rows = (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    assert [json.loads(r)["rel_path"] for r in rows] == ["keep.md"]
    assert summary.report["skipped"]["excluded_by_pattern"] == 1


def test_a_file_named_on_the_command_line_is_read_whatever_its_extension(tmp_path: Path) -> None:
    data = _tree(tmp_path, {"export.json": '{"a": 1}\n'}) / "export.json"
    [item] = discover([data])
    assert (item.rel_path, item.skip) == ("export.json", None)


def test_the_output_folder_and_earlier_output_folders_are_never_inputs(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "docs",
        {
            "a.md": "x",
            "out/records.jsonl": "{}\n",
            "out/report.html": "<html><body>report</body></html>",
            "old-run/report.html": "<html><body>old</body></html>",
            "old-run/.llmprep/state.json": "{}",
        },
    )
    found = scan([root], out=root / "out")
    assert _rels(found.files) == ["a.md"]
    assert found.output_folders == 1


def test_a_file_given_as_a_folder_and_as_a_file_is_listed_once(tmp_path: Path) -> None:
    root = _tree(tmp_path / "docs", {"a.md": "x", "b.md": "y"})
    found = scan([root, root / "a.md", tmp_path / "docs" / ".." / "docs" / "b.md"])
    assert _rels(found.files) == ["docs/a.md", "docs/b.md"]
    assert found.repeated == 2


def test_a_file_reached_directly_and_through_a_symbolic_link_is_listed_once(
    tmp_path: Path,
) -> None:
    root = _tree(tmp_path / "docs", {"a.md": "x"})
    (root / "alias.md").symlink_to(root / "a.md")
    assert _rels(discover([root])) == ["a.md"]


def test_two_inputs_with_the_same_relative_paths_keep_both_files_apart(tmp_path: Path) -> None:
    first = _tree(tmp_path / "a" / "docs", {"x.md": "first"})
    second = _tree(tmp_path / "b" / "docs", {"x.md": "second"})
    items = discover([first, second])
    assert _rels(items) == ["a/docs/x.md", "b/docs/x.md"]
    assert [Path(i.path).read_text() for i in items] == ["first", "second"]


def test_distinct_inputs_keep_the_paths_and_ids_they_always_had(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs", {"x.md": "1", "sub/y.md": "2"})
    mail = _tree(tmp_path / "mail", {"m.eml": "From: a@b.c\n\nhi\n"})
    note = _tree(tmp_path, {"note.md": "n"}) / "note.md"
    assert _rels(discover([docs])) == ["x.md", "sub/y.md"]
    assert _rels(discover([docs, mail, note])) == [
        "docs/x.md",
        "docs/sub/y.md",
        "mail/m.eml",
        "note.md",
    ]


def test_two_file_inputs_with_the_same_name_are_told_apart_by_their_folders(
    tmp_path: Path,
) -> None:
    a = _tree(tmp_path / "a", {"notes.md": "1"}) / "notes.md"
    b = _tree(tmp_path / "b", {"notes.md": "2"}) / "notes.md"
    assert _rels(discover([a, b])) == ["a/notes.md", "b/notes.md"]


def test_a_path_that_still_collides_gets_its_inputs_position_as_prefix(tmp_path: Path) -> None:
    # Input 1 is the folder "p" holding x.md; input 2 a file whose own name, told apart from
    # input 3's, reads "p/x.md" too.
    folder = _tree(tmp_path / "one" / "p", {"x.md": "1"})
    two = _tree(tmp_path / "two" / "p", {"x.md": "2"}) / "x.md"
    three = _tree(tmp_path / "three" / "q", {"x.md": "3"}) / "x.md"
    rels = _rels(discover([folder, two, three]))
    assert rels == ["p/x.md", "input-2/p/x.md", "q/x.md"]


def test_a_name_that_is_not_utf8_is_kept_losslessly_and_shown_escaped(tmp_path: Path) -> None:
    from llmprep.names import shown

    root = tmp_path / "docs"
    root.mkdir()
    raw = os.path.join(os.fsencode(root), b"caf\xe9.md")
    with open(raw, "wb") as fh:
        fh.write(b"# Cafe\n")
    [item] = discover([root])
    assert os.fsencode(item.path) == raw  # opens the very file
    assert shown(item.rel_path) == "caf\\udce9.md"
    assert shown(item.rel_path).encode("utf-8")


def _without_root_powers() -> list[str]:
    """A command prefix under which folder permissions apply (root reads every folder)."""
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: folder permissions do not apply")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_an_unreadable_subfolder_gets_a_failed_row(tmp_path: Path) -> None:
    root = _tree(tmp_path / "docs", {"a.md": "x", "locked/b.md": "y"})
    prefix = _without_root_powers()
    script = (
        "import json, sys; from llmprep.pipeline.inputs import discover; "
        "print(json.dumps([[i.rel_path, i.skip and [i.skip.status, i.skip.code]] "
        "for i in discover([sys.argv[1]])]))"
    )
    (root / "locked").chmod(0)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-c", script, str(root)], capture_output=True, text=True
        )
    finally:
        (root / "locked").chmod(0o755)
    assert json.loads(proc.stdout) == [
        ["a.md", None],
        ["locked", ["failed", "folder.unreadable"]],
    ], proc.stderr
