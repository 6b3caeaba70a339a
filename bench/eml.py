"""Email throughput and memory: a generated mailbox through the loader and through `llmprep run`.

    .venv/bin/python bench/eml.py [--messages 10000] [--size-mb 100] [--redact-messages 1000]
    .venv/bin/python bench/eml.py --corpus          # the dev-corpus quality table only

Generates an mbox of N messages (replies with quoted text, HTML alternatives, small text
attachments) in a temp dir and measures, in the same run:

- anchor: the stdlib (`mailbox.mbox` + `get_body(('plain', 'html')).get_content()`) over the file;
- the MBOX loader alone (documents only, no stages), in a subprocess;
- `llmprep run --no-redact` on the file, in a subprocess: messages/s and the peak RSS of the
  whole process tree (goal: under 600 MB for 100 MB / 10,000 messages);
- `llmprep run` with redaction on the first `--redact-messages` messages (PII is the slow stage).

`--corpus` prints, for every file of ../shared/corpus/email, its status and the body word recall
against the stdlib's `get_body(('plain', 'html'))` text (goal: >= 0.95 for `ok` files).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("LLMPREP_CORPUS", ROOT.parent / "shared" / "corpus"))
WORD = re.compile(r"\w+")


# -- the mailbox ------------------------------------------------------------------------------


def _sentences(rng: random.Random, vocab: list[str], n_bytes: int) -> str:
    out: list[str] = []
    size = 0
    while size < n_bytes:
        words = rng.choices(vocab, k=rng.randint(8, 20))
        sentence = " ".join(words).capitalize() + "."
        out.append(sentence)
        size += len(sentence) + 1
        if rng.random() < 0.15:
            out.append("\n\n")
    return " ".join(out).replace(" \n\n ", "\n\n")


def _message(i: int, rng: random.Random, vocab: list[str], body_bytes: int) -> bytes:
    thread = i // 5
    headers = [
        f"From: User {i % 97} <user{i % 97}@example.com>",
        f"To: Team {i % 13} <team{i % 13}@example.org>",
        f"Subject: {'Re: ' if i % 5 else ''}Topic {thread} {' '.join(rng.choices(vocab, k=4))}",
        f"Date: Tue, {1 + i % 28:02d} Oct 2024 {i % 24:02d}:{i % 60:02d}:00 +0200",
        f"Message-ID: <m{i}@example.com>",
        "MIME-Version: 1.0",
    ]
    if i % 5:
        headers += [
            f"In-Reply-To: <m{i - 1}@example.com>",
            f"References: <m{thread * 5}@example.com> <m{i - 1}@example.com>",
        ]
    text = _sentences(rng, vocab, body_bytes)
    if i % 5:
        quoted = "\n".join(
            "> " + line for line in _sentences(rng, vocab, body_bytes // 4).split("\n")
        )
        text += f"\n\nOn Mon, Sep 30, 2024 at 9:12 AM User {(i - 1) % 97} wrote:\n{quoted}\n"
    text += "\n-- \nUser signature\nExample AB\n"
    if i % 10 == 3:
        boundary = f"b{i}"
        html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        parts = [
            f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\n{text}\n",
            f"--{boundary}\nContent-Type: text/html; charset=utf-8\n\n<html><body>{html}</body></html>\n",
            f"--{boundary}--\n",
        ]
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        body = "".join(parts)
    elif i % 10 == 7:
        boundary = f"b{i}"
        parts = [
            f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\n{text}\n",
            f'--{boundary}\nContent-Type: text/plain; name="notes{i}.txt"\nContent-Disposition: attachment; filename="notes{i}.txt"\n\n'
            f"{_sentences(rng, vocab, 600)}\n",
            f"--{boundary}--\n",
        ]
        headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
        body = "".join(parts)
    else:
        headers.append("Content-Type: text/plain; charset=utf-8")
        body = text
    # mboxrd: body lines starting with "From " are escaped on write.
    body = re.sub(r"(?m)^(>*From )", r">\1", body)
    envelope = f"From user{i % 97}@example.com Tue Oct  1 12:{i % 60:02d}:00 2024\n"
    return (envelope + "\n".join(headers) + "\n\n" + body + "\n\n").encode("utf-8")


# Everyday English, so the language, quality and dedup stages see text like real mail.
_VOCAB_TEXT = (
    "the of and to a in is it you that he was for on are with as his they be at one have this "
    "from or had by hot word but what some we can out other were all there when up use your how "
    "said an each she which do their time if will way about many then them write would like so "
    "these her long make thing see him two has look more day could go come did number sound no "
    "most people my over know water than call first who may down side been now find any new work "
    "part take get place made live where after back little only round man year came show every "
    "good me give our under name very through just form sentence great think say help low line "
    "differ turn cause much mean before move right boy old too same tell does set three want air "
    "well also play small end put home read hand port large spell add even land here must big "
    "high such follow act why ask men change went light kind off need house picture try us again "
    "animal point mother world near build self earth father head stand own page should country "
    "found answer school grow study still learn plant cover food sun four between state keep eye "
    "never last let thought city tree cross farm hard start might story saw far sea draw left "
    "late run while press close night real life few north open seem together next white children "
    "begin got walk example ease paper group always music those both mark often letter until mile "
    "river car feet care second book carry took science eat room friend began idea fish mountain "
    "stop once base hear horse cut sure watch color face wood main enough plain girl usual young "
    "ready above ever red list though feel talk bird soon body dog family direct pose leave song "
    "measure door product black short numeral class wind question happen complete ship area half "
    "rock order fire south problem piece told knew pass since top whole king space heard best "
    "hour better during hundred five remember step early hold west ground interest reach fast "
    "verb sing listen six table travel less morning ten simple several vowel toward war lay "
    "against pattern slow center love person money serve appear road map rain rule govern pull "
    "cold notice voice unit power town fine certain fly fall lead cry dark machine note wait plan "
    "figure star box noun field rest correct able pound done beauty drive stood contain front "
    "teach week final gave green quick develop ocean warm free minute strong special mind behind "
    "clear tail produce fact street inch budget meeting project report customer contract invoice "
    "schedule review deadline team office launch"
)
_VOCAB = _VOCAB_TEXT.split()


def write_mbox(path: Path, messages: int, size_mb: float) -> int:
    rng = random.Random(0)
    vocab = _VOCAB
    per_message = int(size_mb * 1024 * 1024 / messages)
    body_bytes = max(200, int(per_message * 0.70))  # headers, quotes and HTML make up the rest
    with open(path, "wb") as fh:
        for i in range(messages):
            fh.write(_message(i, rng, vocab, body_bytes))
    return path.stat().st_size


# -- measuring --------------------------------------------------------------------------------


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children[ppid].append(int(entry))
    total = 0.0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def run_measured(cmd: list[str]) -> tuple[float, float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (the whole tree, once reaped) and peak tree RSS (MB) of a command."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tempfile.gettempdir()
    )
    peak = 0.0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.1)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, peak, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


_STDLIB = """
import mailbox, sys
from email import message_from_bytes, policy
n = 0
box = mailbox.mbox(sys.argv[1], create=False)
for key in box.iterkeys():
    m = message_from_bytes(box.get_bytes(key), policy=policy.default)
    b = m.get_body(("plain", "html"))
    if b is not None:
        b.get_content()
    n += 1
print(n)
"""

_LOADER = """
import sys
from pathlib import Path
from llmprep import Config
from llmprep.loaders.base import SourceFile
from llmprep.loaders.registry import load_source
source = SourceFile(path=Path(sys.argv[1]), rel_path="box.mbox", config=Config())
print(sum(1 for _ in load_source(source)))
"""


def _report_run(
    label: str,
    messages: int,
    seconds: float,
    cpu: float,
    peak: float,
    anchor: float | None,
    goal_mb: float | None,
) -> float:
    """One line; rates per wall second and per CPU second (the machine is shared: CPU is steadier)."""
    rate, cpu_rate = messages / seconds, messages / max(cpu, 1e-9)
    ratio = f"{cpu_rate / anchor:7.3f}x stdlib/CPU-s" if anchor else ""
    goal = f"  (goal < {goal_mb:.0f} MB: {'OK' if peak < goal_mb else 'OVER'})" if goal_mb else ""
    print(
        f"{label:<36}{seconds:>8.1f} s {rate:>7.1f} msg/s {cpu:>8.1f} CPU-s {cpu_rate:>7.1f} msg/CPU-s "
        f"{peak:>6.0f} MB peak RSS {ratio}{goal}"
    )
    return cpu_rate


def throughput(args: argparse.Namespace) -> None:
    exe = shutil.which("llmprep", path=str(Path(sys.executable).parent)) or "llmprep"
    with tempfile.TemporaryDirectory(prefix="llmprep-email-bench-") as tmp:
        box = Path(tmp) / "box.mbox"
        size = write_mbox(box, args.messages, args.size_mb)
        print(f"mailbox: {args.messages} messages, {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)")
        sec, cpu, peak, res = run_measured([sys.executable, "-c", _STDLIB, str(box)])
        assert res.returncode == 0, res.stderr[-2000:]
        anchor = _report_run(
            "stdlib mailbox + get_body (anchor)", args.messages, sec, cpu, peak, None, None
        )
        sec, cpu, peak, res = run_measured([sys.executable, "-c", _LOADER, str(box)])
        assert res.returncode == 0, res.stderr[-2000:]
        _report_run("MboxLoader documents only", args.messages, sec, cpu, peak, anchor, None)
        out = Path(tmp) / "out"
        cmd = [
            exe,
            "run",
            str(box),
            "--out",
            str(out),
            "--workers",
            "1",
            "--timeout",
            "7200",
            "--quiet",
            "--no-redact",
        ]
        sec, cpu, peak, res = run_measured(cmd)
        print("  " + (res.stdout.strip() or res.stderr.strip()[-500:]).replace("\n", "\n  "))
        _report_run("llmprep run --no-redact", args.messages, sec, cpu, peak, anchor, 600)
        if args.redact_messages:
            small = Path(tmp) / "small.mbox"
            write_mbox(
                small, args.redact_messages, args.size_mb * args.redact_messages / args.messages
            )
            cmd = [
                exe,
                "run",
                str(small),
                "--out",
                str(Path(tmp) / "out-redact"),
                "--workers",
                "1",
                "--timeout",
                "7200",
                "--quiet",
            ]
            sec, cpu, peak, res = run_measured(cmd)
            print("  " + (res.stdout.strip() or res.stderr.strip()[-500:]).replace("\n", "\n  "))
            _report_run(
                f"llmprep run (redact, {args.redact_messages} msgs)",
                args.redact_messages,
                sec,
                cpu,
                peak,
                anchor,
                600,
            )


# -- the dev corpus ---------------------------------------------------------------------------


def _reference_words(data: bytes) -> collections.Counter[str]:
    from email import policy
    from email.parser import BytesParser

    from llmprep.loaders.email.mime import transcode_wide

    msg = BytesParser(policy=policy.default).parsebytes(transcode_wide(data) or data)
    body = msg.get_body(("plain", "html"))
    if body is None:
        return collections.Counter()
    try:
        text = body.get_content()
    except (LookupError, UnicodeError):
        text = (body.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if body.get_content_type() == "text/html":
        from bs4 import BeautifulSoup

        text = BeautifulSoup(text, "lxml").get_text(" ")
    return collections.Counter(w.lower() for w in WORD.findall(text))


def _msg_reference_words(path: Path) -> collections.Counter[str]:
    from oxmsg import Message

    msg = Message.load(str(path))
    return collections.Counter(w.lower() for w in WORD.findall(msg.body or ""))


def corpus_table() -> None:
    import llmprep

    folder = CORPUS / "email"
    if not folder.is_dir():
        print(f"corpus not found at {folder}")
        return
    print(f"{'file':<44}{'status':<11}{'code':<17}{'docs':>5}{'recall':>8}  subject/from/date")
    recalls = []
    for path in sorted(folder.iterdir()):
        result = llmprep.process(path, redact=False)
        ref = (
            _reference_words(path.read_bytes())
            if path.suffix == ".eml"
            else _msg_reference_words(path)
        )
        recall = "n/a"
        if result.status == "ok" and ref:
            ours = collections.Counter(w.lower() for w in WORD.findall(result.documents[0].text))
            value = sum(min(n, ours[w]) for w, n in ref.items()) / sum(ref.values())
            recalls.append(value)
            recall = f"{value:.3f}"
        meta = result.documents[0].metadata if result.documents else None
        seen = "".join(
            "x" if v else "-"
            for v in ((meta.subject, meta.from_, meta.date) if meta else (0, 0, 0))
        )
        code = result.error.code if result.error else ""
        print(
            f"{path.name:<44}{result.status:<11}{code:<17}{len(result.documents):>5}{recall:>8}  {seen}"
        )
    if recalls:
        print(
            f"body word recall over {len(recalls)} ok files with a body: min {min(recalls):.3f}, "
            f"mean {sum(recalls) / len(recalls):.3f} (goal: every file >= 0.95)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument(
        "--redact-messages", type=int, default=1_000, help="0 skips the redaction run"
    )
    parser.add_argument("--corpus", action="store_true", help="print the corpus quality table only")
    args = parser.parse_args()
    if args.corpus:
        corpus_table()
        return
    throughput(args)


if __name__ == "__main__":
    main()
