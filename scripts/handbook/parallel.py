"""Build the other languages in parallel: one child `mkdocs build` per language, on its own core.

mkdocs-static-i18n builds the languages one after the other in one process. For `mkdocs build` the
handbook plugin instead starts a child process per further language as soon as the generated pages
are written; the child builds only its language into a temporary site folder, and the parent moves
that language's folder into the site when both are done. `mkdocs serve` keeps the sequential build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHILD_LANGUAGE_ENV = "HANDBOOK_BUILD_LANGUAGE"  # set in a child: the one language it builds
PARALLEL_ENV = "HANDBOOK_PARALLEL"  # "0" turns parallel language builds off


class LanguageBuildError(Exception):
    pass


@dataclass
class LanguageBuild:
    language: str
    process: subprocess.Popen[str]
    output_dir: Path  # the child's temporary site folder


def child_language() -> str | None:
    return os.environ.get(CHILD_LANGUAGE_ENV) or None


def parallel_enabled() -> bool:
    return os.environ.get(PARALLEL_ENV, "1") != "0" and child_language() is None


def start_language_build(config_file: Path, site_dir: Path, language: str, strict: bool) -> LanguageBuild:
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    output_dir = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-{language}-", dir=site_dir.parent))
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(output_dir)]
    if strict:
        command.append("--strict")
    environment = {**os.environ, CHILD_LANGUAGE_ENV: language, "NO_MKDOCS_2_WARNING": "1"}
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
