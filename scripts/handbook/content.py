"""The handbook's content as one validated whole: where it lives, its vocabularies, practices, handbooks and problems."""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.handbook_loading import check_handbooks
from handbook.handbook_model import Handbook
from handbook.load import load_practices
from handbook.markdown_render import read_config
from handbook.model import Practice
from handbook.problems import Problem
from handbook.terminology import TerminologyError, load_rules, page_problems, practice_problems
from handbook.trust import file_problems, trust_problems
from handbook.validate import validate_content
from handbook.vocabulary import Vocabularies, load_vocabularies


@dataclass(frozen=True)
class Layout:
    """Where the content lives, relative to the repository root."""

    root: Path
    practices: str = "practices"
    handbooks: str = "handbooks"
    vocabularies: str = "practices/vocabularies.yml"
    terminology: str = "practices/terminology.yml"
    docs: str = "docs"

    @classmethod
    def for_root(cls, root: Path) -> Layout:
        """The layout `root/mkdocs.yml` gives the handbook plugin (options `practices`, `handbooks`, `vocabularies`)."""
        options: dict[str, Any] = {}
        config_file = root / "mkdocs.yml"
        plugins = read_config(config_file).get("plugins") if config_file.is_file() else None
        for entry in plugins if isinstance(plugins, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("handbook"), dict):
                options = entry["handbook"]
        paths = {name: options[name] for name in ("practices", "handbooks", "vocabularies") if isinstance(options.get(name), str)}
        return cls(root, **paths)

    @property
    def practices_dir(self) -> Path:
        return self.root / self.practices

    @property
    def handbooks_dir(self) -> Path:
        return self.root / self.handbooks

    @property
    def vocabularies_file(self) -> Path:
        return self.root / self.vocabularies

    @property
    def terminology_file(self) -> Path:
        return self.root / self.terminology


@dataclass
class Content:
    layout: Layout
    vocabularies: Vocabularies
    practices: list[Practice]
    problems: list[Problem] = field(default_factory=list)
    handbooks: list[Handbook] = field(default_factory=list)

    def by_id(self) -> dict[str, Practice]:
        return {practice.id: practice for practice in self.practices}


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards that holds mkdocs.yml and practices/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "practices").is_dir():
            return folder
    return start


def repository_root(given: str | None = None) -> Path:
    """The root a command works on: the one given (`--root`) as it is, else found from the current folder."""
    return Path(given).resolve() if given else find_root(Path.cwd().resolve())


def event_ids(layout: Layout) -> list[str]:
    if not layout.handbooks_dir.is_dir():
        return []
    return sorted(path.stem for path in layout.handbooks_dir.glob("*.yml"))


def load_content(layout: Layout) -> Content:
    """Load and validate everything; `problems` lists all that is wrong, in file order.

    Unsafe files (links, devices, oversized texts, …) are reported first and alone: nothing reads them."""
    unsafe_files = file_problems(layout.root)
    if unsafe_files:
        return Content(layout, Vocabularies(layout.vocabularies_file, {}), [], sorted(unsafe_files))
    vocabularies = load_vocabularies(layout.vocabularies_file)
    loaded = load_practices(layout.practices_dir, vocabularies)
    handbooks = check_handbooks(layout.handbooks_dir, vocabularies, loaded.practices)
    events = [handbook.id for handbook in handbooks.handbooks if handbook.definition.date] if handbooks.handbooks else event_ids(layout)
    problems = loaded.problems + validate_content(loaded, vocabularies, events)
    problems += handbooks.problems
    problems += trust_problems(
        layout.root, layout.practices_dir, layout.handbooks_dir, layout.vocabularies_file, loaded, handbooks.handbooks
    )
    problems += terminology_problems(layout, loaded.practices)
    return Content(layout, vocabularies, loaded.practices, sorted(problems), handbooks.handbooks)


def terminology_problems(layout: Layout, practices: list[Practice]) -> list[Problem]:
    """Avoided terms in the practice texts and the pages under docs/ (none when there is no terminology file)."""
    if not layout.terminology_file.is_file():
        return []
    try:
        rules = load_rules(layout.terminology_file)
    except TerminologyError as error:
        path, line, message = str(error).split(":", 2)
        return [Problem(Path(path), int(line), message.strip())]
    return practice_problems(practices, rules) + page_problems(layout.root / layout.docs, rules)


def last_updated(root: Path, folder: str) -> dict[str, datetime.date]:
    """The date of the last commit that touched each practice folder (one git call for all)."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=#%cs", "--name-only", "--", folder],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, datetime.date] = {}
    current: datetime.date | None = None
    prefix = folder.rstrip("/") + "/"
    for line in log.splitlines():
        if line.startswith("#"):
            current = datetime.date.fromisoformat(line[1:])
        elif line.startswith(prefix) and current is not None:
            practice_id = line[len(prefix) :].split("/", 1)[0]
            dates.setdefault(practice_id, current)
    return dates
