"""Build the other languages in parallel: one child `mkdocs build` per language, on its own core.

mkdocs-static-i18n builds the languages one after the other in one process. For `mkdocs build` the
handbook plugin instead starts a child process per further language as soon as the generated pages
are written; the child builds only its language into a temporary site folder, and the parent moves
that language's folder into the site when both are done. `mkdocs serve` keeps the sequential build.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHILD_LANGUAGE_ENV = "HANDBOOK_BUILD_LANGUAGE"  # set in a child: the one language it builds
PARALLEL_ENV = "HANDBOOK_PARALLEL"  # "0" turns parallel language builds off
STATE_ENV = "HANDBOOK_SHARED_STATE"  # set in a child: the folder where the parent shares its results
STATE_TIMEOUT = 900  # seconds a child waits for the parent's results (cold PDFs included)


class LanguageBuildError(Exception):
    pass


@dataclass
class LanguageBuild:
    language: str
    process: subprocess.Popen[str]
    output_dir: Path  # the child's temporary site folder


def new_state_folder(site_dir: Path) -> Path:
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-state-", dir=site_dir.parent))


def shared_state_folder() -> Path | None:
    folder = os.environ.get(STATE_ENV)
    return Path(folder) if folder else None


def share(folder: Path, name: str, value: object) -> None:
    """Hand a result to the children; written atomically, so a child never reads half a file."""
    temporary = folder / f".{name}.tmp"
    temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, folder / f"{name}.pickle")


def receive(folder: Path, name: str, timeout: float = STATE_TIMEOUT) -> Any:
    """Wait for a result the parent shares (the parent's own files, so unpickling them is safe)."""
    path = folder / f"{name}.pickle"
    parent = os.getppid()
    deadline = time.monotonic() + timeout
    while not path.exists():
        if os.getppid() != parent or not folder.exists():
            raise LanguageBuildError(f"the parent build stopped before sharing its {name}")
        if time.monotonic() > deadline:
            raise LanguageBuildError(f"waited {timeout} s for the parent build's {name}")
        time.sleep(0.02)
    return pickle.loads(path.read_bytes())


def child_language() -> str | None:
    return os.environ.get(CHILD_LANGUAGE_ENV) or None


def parallel_enabled() -> bool:
    return os.environ.get(PARALLEL_ENV, "1") != "0" and child_language() is None


def start_language_build(config_file: Path, site_dir: Path, language: str, strict: bool, state: Path) -> LanguageBuild:
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    output_dir = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-{language}-", dir=site_dir.parent))
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(output_dir)]
    if strict:
        command.append("--strict")
    environment = {**os.environ, CHILD_LANGUAGE_ENV: language, STATE_ENV: str(state), "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return LanguageBuild(language, process, output_dir)


def finish_language_build(build: LanguageBuild, site_dir: Path) -> list[str]:
    """Wait for the child, move its language folder into the site; return its warning lines."""
    output, _ = build.process.communicate()
    try:
        if build.process.returncode != 0:
            raise LanguageBuildError(f"The '{build.language}' build failed:\n{output.strip()}")
        target = site_dir / build.language
        if target.exists():
            shutil.rmtree(target)
        (build.output_dir / build.language).rename(target)
    finally:
        shutil.rmtree(build.output_dir, ignore_errors=True)
    return [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]


def abandon(build: LanguageBuild) -> None:
    """Stop a child whose parent failed, and remove its output."""
    if build.process.poll() is None:
        build.process.kill()
    build.process.communicate()
    shutil.rmtree(build.output_dir, ignore_errors=True)
