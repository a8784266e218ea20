"""The parallel language build: one child `mkdocs build` per further language, on its own core.

mkdocs-static-i18n builds the languages one after the other in one process. For `mkdocs build`, with
the plugin's `parallel` option on, `ParallelBuild` instead makes this process the *parent*: it builds
the default language and starts a *child* process per further language, which builds only that
language. Everything else is *sequential* (`mkdocs serve`, `parallel: false`, a build without a config
file, a site with one language).

Contract (what each side may rely on):
- Roles: a process is a child when `CHILD_ENV` is set (by its parent); `ParallelBuild.for_process()`
  reads it. Only the parent starts children (`start`), and only once.
- Hand-off: the parent `share`s named results (pickled, written atomically) in a private folder; a
  child `receive`s them, waiting until they exist. The parent shares only what it computed itself, so
  unpickling is safe. A child gives up with a message when the parent is gone or after `WAIT_SECONDS`.
- Settings: the child gets the parent's config file and the values that may differ from it (strict,
  site URL, directory URLs, dirty, theme name), so both halves of the site are built alike.
- Output: each child builds into the private folder; its output is read as it comes (the pipe never
  fills), its warnings and errors are passed on at once through `report`. `finish` waits for every
  child and moves each language folder into the site; a failed child is a `LanguageBuildError` whose
  message holds the child's own output (never a traceback).
- Clean-up: the private folder lives in the system's temporary folder (never next to the site) and is
  removed by `finish`, by `abandon` (the parent failed; children are stopped) and at interpreter exit
  (an interrupt, or SIGTERM while the children run). `abandon` may be called any number of times.
"""

from __future__ import annotations

import atexit
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import mkdocs

from handbook.markdown_render import read_config

CHILD_ENV = "HANDBOOK_CHILD_BUILD"  # set in a child: JSON with its language, the shared folder and the parent's settings
WAIT_SECONDS = 900.0  # how long a child waits for a result of the parent (cold PDFs included)
POLL_SECONDS = 0.02


class LanguageBuildError(Exception):
    """A language build failed, or could not start or finish; the message says why."""


@dataclass(frozen=True)
class BuildSettings:
    """What a child needs to build its language as the parent builds the default one."""

    config_file: str
    strict: bool = False
    site_url: str | None = None
    use_directory_urls: bool = True
    dirty: bool = False
    theme: str | None = None  # a theme name given on the command line (`-t`), None when the config file's

    @classmethod
    def of(cls, config: Any, dirty: bool) -> BuildSettings:
        """The settings of the parent's MkDocs config; its theme only when it is not the config file's (`-t`)."""
        theme = read_config(Path(config.config_file_path)).get("theme")
        file_theme = theme.get("name") if isinstance(theme, dict) else theme
        return cls(
            config_file=str(config.config_file_path),
            strict=bool(config.strict),
            site_url=config.site_url,
            use_directory_urls=bool(config.use_directory_urls),
            dirty=dirty,
            theme=config.theme.name if config.theme.name != file_theme else None,
        )

    def command(self, output_dir: Path) -> list[str]:
        command = [sys.executable, "-m", engine(), "build", "-f", self.config_file, "-d", str(output_dir)]
        command += ["--strict" if self.strict else "--no-strict"]
        command += ["--dirty"] if self.dirty else []
        command += ["-t", self.theme] if self.theme else []
        command += ["--use-directory-urls" if self.use_directory_urls else "--no-directory-urls"]
        return command


def engine() -> str:
    """The engine running this build, so that a child is built by the same one: `mkdocs`, or `properdocs`, whose
    command answers `import mkdocs` with itself (ARCHITECTURE.md, "The engine")."""
    return mkdocs.__name__


Command = Callable[[BuildSettings, Path], Sequence[str]]
Report = Callable[[str, str], None]  # (language, line) for every warning or error line of a child


def _default_command(settings: BuildSettings, output_dir: Path) -> Sequence[str]:
    return settings.command(output_dir)


@dataclass
class _Child:
    language: str
    process: subprocess.Popen[str]
    output_dir: Path
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None


class ParallelBuild:
    """The roles, hand-off and clean-up of one parallel language build (see the module's contract)."""

    def __init__(
        self, role: str = "sequential", language: str | None = None, folder: Path | None = None, settings: BuildSettings | None = None
    ) -> None:
        self.role = role  # "sequential", "parent" or "child"
        self.language = language  # a child's language
        self.folder = folder  # the private folder: shared results (parent and child) and the children's output
        self.settings = settings  # in a child: the parent's settings
        self._children: list[_Child] = []
        self._parent_pid = os.getppid()
        self._previous_terminate: Any = None  # the SIGTERM handler to restore

    @classmethod
    def for_process(cls) -> ParallelBuild:
        """A child when the parent set `CHILD_ENV`, else sequential until `start` makes it the parent."""
        given = os.environ.get(CHILD_ENV)
        if not given:
            return cls()
        data = json.loads(given)
        return cls("child", data["language"], Path(data["folder"]), BuildSettings(**data["settings"]))

    # --- the parent ---------------------------------------------------------------------------------

    def start(self, settings: BuildSettings, languages: Sequence[str], report: Report, command: Command = _default_command) -> None:
        """Become the parent: start one child per language; on any failure stop those started and raise."""
        if self.role != "sequential" or not languages:
            return
        self.role = "parent"
        self.folder = Path(tempfile.mkdtemp(prefix="handbook-build-"))
        atexit.register(self.abandon)
        self._exit_on_terminate()
        for language in languages:
            output_dir = self.folder / f"site-{language}"
            environment = {
                **os.environ,
                CHILD_ENV: json.dumps({"language": language, "folder": str(self.folder), "settings": asdict(settings)}),
                "NO_MKDOCS_2_WARNING": "1",
            }
            try:
                process = subprocess.Popen(
                    list(command(settings, output_dir)),
                    env=environment,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                )
            except OSError as error:
                self.abandon()
                raise LanguageBuildError(f"could not start the '{language}' build: {error}") from None
            child = _Child(language, process, output_dir)
            child.reader = threading.Thread(target=_drain, args=(child, report), daemon=True, name=f"handbook-{language}-output")
            child.reader.start()
            self._children.append(child)

    def share(self, name: str, value: object) -> None:
        """Hand a result to the children (nothing to do unless this is the parent)."""
        if self.role != "parent" or self.folder is None:
            return
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, self.folder / f"{name}.pickle")

    def finish(self, site_dir: Path) -> None:
        """Wait for every child and move its language into the site; raise with the output of any that failed."""
        children, self._children = self._children, []
        failures = []
        try:
            for child in children:
                child.process.wait()
                if child.reader is not None:
                    child.reader.join()
                if child.process.returncode != 0:
                    failures.append(_failure(child))
                    continue
                try:
                    _replace(child.output_dir / child.language, site_dir / child.language)
                except OSError as error:
                    failures.append(f"The '{child.language}' build could not be moved into {site_dir}: {error}")
        finally:
            for child in children:
                _stop(child)
            self._remove_folder()
        if failures:
            raise LanguageBuildError("\n".join(failures))

    def abandon(self) -> None:
        """Stop every child and remove the private folder: the parent failed or was interrupted."""
        children, self._children = self._children, []
        for child in children:
            _stop(child)
        if self.role == "parent":
            self._remove_folder()

    def _remove_folder(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        atexit.unregister(self.abandon)
        if self._previous_terminate is not None:
            signal.signal(signal.SIGTERM, self._previous_terminate)
            self._previous_terminate = None

    def _exit_on_terminate(self) -> None:
        """Let SIGTERM (a cancelled CI job) end the parent as an exit does, so that `abandon` runs (main thread only)."""
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            self._previous_terminate = signal.SIG_DFL
            signal.signal(signal.SIGTERM, _exit_on_signal)

    # --- a child ------------------------------------------------------------------------------------

    def apply_settings(self, config: Any) -> None:
        """In a child: take the parent's site URL, which `mkdocs build` has no option for (a MkDocs config)."""
        if self.role != "child" or self.settings is None:
            return
        if self.settings.site_url is not None:
            config.site_url = self.settings.site_url

    def receive(self, name: str, timeout: float = WAIT_SECONDS) -> Any:
        """Wait for a result the parent shares; give up when the parent is gone or after `timeout` seconds."""
        if self.role != "child" or self.folder is None:
            raise LanguageBuildError(f"only a child build receives the parent's {name}")
        path = self.folder / f"{name}.pickle"
        deadline = time.monotonic() + timeout
        while not path.exists():
            if os.getppid() != self._parent_pid or not self.folder.exists():
                raise LanguageBuildError(f"the parent build stopped before sharing its {name}")
            if time.monotonic() > deadline:
                raise LanguageBuildError(f"waited {timeout:.0f} s for the parent build's {name}")
            time.sleep(POLL_SECONDS)
        return pickle.loads(path.read_bytes())


def _exit_on_signal(number: int, frame: Any) -> None:
    raise SystemExit(128 + number)


def _drain(child: _Child, report: Report) -> None:
    """Read a child's output as it comes: keep every line, pass warnings and errors on at once."""
    assert child.process.stdout is not None
    for raw in child.process.stdout:
        line = raw.rstrip("\n")
        child.lines.append(line)
        if line.startswith(("WARNING", "ERROR")):
            report(child.language, line)
    child.process.stdout.close()


def _failure(child: _Child) -> str:
    """What went wrong in a child: its output except the progress lines and the warnings already reported."""
    quiet = ("INFO", "DEBUG", "WARNING", "ERROR")
    output = "\n".join(line for line in child.lines[-200:] if not line.startswith(quiet)).strip()
    said = " (its warnings and errors are reported above)" if any(line.startswith(("WARNING", "ERROR")) for line in child.lines) else ""
    return f"The '{child.language}' build (a child process) failed with exit code {child.process.returncode}{said}" + (
        f":\n{output}" if output else "."
    )


def _stop(child: _Child) -> None:
    """Kill the child if it still runs, wait for it, let its reader end and remove its output."""
    if child.process.poll() is None:
        child.process.kill()
    child.process.wait()
    if child.reader is not None:
        child.reader.join(timeout=10)
    shutil.rmtree(child.output_dir, ignore_errors=True)


def _replace(source: Path, target: Path) -> None:
    """Move a language folder into the site, replacing what is there (a copy when they are on other disks)."""
    if not source.is_dir():
        raise OSError(f"the child wrote no '{source.name}' folder")
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)
