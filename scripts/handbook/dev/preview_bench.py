"""Benchmark of the preview loop: from the save of one practice's file to the served page that shows the change.

One synthetic site of N practices in both languages (`bench.prepare_site`) is served as `scripts/serve.sh`
serves it (`mkdocs serve --dirty`, PDFs off), and the same pages as plain Material + static-i18n
(`bench.plain_site`, plain `mkdocs serve`) on another free port, both at once. The edits alternate between
the two: each edit waits until the server's rebuild has ended ("Reloading browsers") before the next one.
Ours gets `--edits` edits of one practice's nl.md and one of its practice.yml; plain the same number of edits
of the page's Markdown (it has no practice.yml). An edit counts from the write to the first answer of the
served page that holds the new word (polled every 20 ms); also until the rebuild ends (MkDocs reloads the
browser then) and the server's CPU time meanwhile, which a shared machine's load changes least.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook.dev.bench import add_bench_arguments, leave_workdir, plain_site, prepare_site
from handbook.gate import Settings, site_settings
from handbook.messages import _
from handbook.urls import PRACTICES

STARTUP = 900.0  # seconds: the first build of 1,000 practices on a loaded machine
REBUILD = 300.0
RELOADED = "Reloading browsers"  # MkDocs' livereload, once a rebuild has ended


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (OSError, urllib.error.URLError):
        return None


@dataclass
class Server:
    name: str
    process: subprocess.Popen[str]
    base: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait(self, condition: Callable[[], bool], seconds: float, what: str) -> float:
        start = time.perf_counter()
        while not condition():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: mkdocs serve ended while waiting for {what}:\n{self.output()[-3000:]}")
            if time.perf_counter() - start > seconds:
                raise RuntimeError(f"{self.name}: no {what} after {seconds} s:\n{self.output()[-3000:]}")
            time.sleep(0.02)
        return time.perf_counter() - start

    def cpu(self) -> float:
        """The server's CPU time so far (user + system, Linux), in seconds; 0 where /proc is not there."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def edit(self, path: Path, old: str, new: str, page: str, shown: str) -> Edit:
        """Replace `old` by `new` in `path`; the seconds until `page` shows `shown`, until the rebuild ends (the
        browser reloads) and the server's CPU time meanwhile."""
        reloads, cpu = self.output().count(RELOADED), self.cpu()
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        start = time.perf_counter()
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        seconds = self.wait(lambda: shown in (fetch(self.base + page) or ""), REBUILD, f"{shown!r} on {page}")
        self.wait(lambda: self.output().count(RELOADED) > reloads, REBUILD, "the rebuild's end")
        edit = Edit(seconds, time.perf_counter() - start, self.cpu() - cpu)
        time.sleep(0.5)  # let the watcher settle before the other server's edit
        return edit


@dataclass(frozen=True)
class Edit:
    shown: float  # seconds from the save to the served page with the change
    reloaded: float  # to the rebuild's end, when MkDocs reloads the browser
    cpu: float  # the server's CPU seconds meanwhile (its file watcher included)


@contextlib.contextmanager
def served(name: str, root: Path, arguments: list[str], env: dict[str, str]) -> Iterator[Server]:
    port = free_port()
    log = root.parent / f"{name}.log"
    with log.open("w", encoding="utf-8") as output:
        command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml"), *arguments]
        temporary = {"TMPDIR": str(root.parent)}  # MkDocs' site folder, which a stopped `mkdocs serve` leaves behind
        process = subprocess.Popen(
            command, cwd=root, stdout=output, stderr=subprocess.STDOUT, text=True, env={**env, **temporary}, start_new_session=True
        )
        server = Server(name, process, f"http://127.0.0.1:{port}/", log)
        try:
            yield server
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # the server and its background Pagefind run (web/search.py)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def run_preview_bench(settings: Settings, count: int, edits: int = 3, keep: bool = False, search: bool = True) -> int:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_PDF": "false", "HANDBOOK_SEARCH": str(search).lower()}
    workdir = Path(tempfile.mkdtemp(prefix="handbook-preview-bench-"))
    full, plain = workdir / "full", workdir / "plain"
    print(f"Preparing {count} synthetic practices ({2 * count} pages) in {workdir} …", file=sys.stderr)
    full_settings = prepare_site(settings, full, count)
    plain_site(full_settings, plain)
    practice_id = f"praktijk-{count // 2:05d}"
    page = f"{PRACTICES}/{practice_id}/"
    text = full_settings.layout.practices_dir / practice_id / "nl.md"
    facts = full_settings.layout.practices_dir / practice_id / "practice.yml"
    plain_text = plain / full_settings.layout.docs / PRACTICES / f"{practice_id}.nl.md"
    ours_text, ours_facts, plains = [], [], []
    try:
        with served("ours", full, ["--dirty"], env) as ours, served("plain", plain, [], env) as base:
            for server in (ours, base):
                print(f"Waiting for the first build of {server.name} …", file=sys.stderr)
                server.wait(lambda server=server: fetch(server.base + page) is not None, STARTUP, "first page")  # type: ignore[misc]
                server.wait(lambda server=server: RELOADED in server.output() or "Serving on" in server.output(), STARTUP, "serving")  # type: ignore[misc]
            time.sleep(1)
            for run in range(edits):
                word = f"Bewerking{run}x"
                ours_text.append(ours.edit(text, *_first_paragraph(text, word), page, word))
                print(f"ours, nl.md edit {run + 1}: {_shown(ours_text[-1])}", file=sys.stderr)
                plains.append(base.edit(plain_text, *_first_paragraph(plain_text, word), page, word))
                print(f"plain, Markdown edit {run + 1}: {_shown(plains[-1])}", file=sys.stderr)
            organisation = "Feitenbewerking"
            facts_text = facts.read_text(encoding="utf-8")
            line = next(line for line in facts_text.splitlines() if line.startswith("organisation: "))
            ours_facts.append(ours.edit(facts, line, f"organisation: {organisation}", page, organisation))
            print(f"ours, practice.yml edit: {_shown(ours_facts[-1])}", file=sys.stderr)
            built = [line for line in ours.output().splitlines() if "pages built" in line]
    finally:
        leave_workdir(workdir, keep)
    print(f"practices: {count}  pages: {2 * count}  search: {search}")
    print(f"ours (mkdocs serve --dirty), nl.md edits: {_medians(ours_text)}")
    print(f"ours, practice.yml edit: {_shown(ours_facts[0])}")
    print(f"plain Material + static-i18n (mkdocs serve), Markdown edits: {_medians(plains)}")
    ratios = [
        statistics.median(getattr(e, name) for e in ours_text) / statistics.median(getattr(e, name) for e in plains)
        for name in ("shown", "cpu")
    ]
    print(f"ratio ours / plain (medians): {ratios[0]:.3f} shown, {ratios[1]:.3f} CPU")
    if built:
        print(f"ours, last rebuild: {built[-1].split('-', 1)[-1].strip()}")
    return 0


def _shown(edit: Edit) -> str:
    return f"shown after {edit.shown:.2f} s, rebuilt after {edit.reloaded:.2f} s, {edit.cpu:.2f} s CPU"


def _medians(edits: list[Edit]) -> str:
    shown, reloaded, cpu = (statistics.median(getattr(edit, name) for edit in edits) for name in ("shown", "reloaded", "cpu"))
    each = ", ".join(f"{edit.shown:.2f}" for edit in edits)
    return f"median shown after {shown:.2f} s ({each}), rebuilt after {reloaded:.2f} s, {cpu:.2f} s CPU"


def _first_paragraph(path: Path, word: str) -> tuple[str, str]:
    """The edit that puts `word` at the start of the text's first paragraph (after its first `## ` heading)."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\n## ") + 1
    heading = text[start : text.index("\n\n", start) + 2]
    return heading, f"{heading}{word} "


def command_preview_bench(args: argparse.Namespace) -> int:
    return run_preview_bench(site_settings(args.root), args.n, args.edits, args.keep, not args.no_search)


def add_command(subparsers: Any) -> None:
    """Register `handbook preview-bench` on the CLI's subparsers."""
    bench = subparsers.add_parser(
        "preview-bench",
        help=_("time the preview's edit loop against plain mkdocs serve"),
        description=_(
            "Serve N synthetic practices with mkdocs serve --dirty and the same pages with plain Material and "
            "static-i18n, edit one practice alternately, and print the median time from the save to the served change."
        ),
    )
    add_bench_arguments(bench, 1000)
    bench.add_argument("--edits", type=int, default=3, help=_("text edits per server (default: 3)"))
    bench.add_argument("--no-search", action="store_true", help=_("serve without the search index"))
    bench.set_defaults(func=command_preview_bench)
