"""The handbook's content as one validated whole: where it lives, its vocabularies, practices, handbooks and problems."""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from handbook.checks.guidance import guidance_problems
from handbook.checks.safety import SafetyMemo
from handbook.checks.terminology import TerminologyError, load_rules, page_problems, practice_problems
from handbook.checks.trust import file_problems, trust_problems
from handbook.content.handbook_loading import check_handbooks
from handbook.content.handbook_model import Handbook
from handbook.content.load import LoadMemo, load_practices
from handbook.content.model import Practice
from handbook.content.validate import ValidationMemo, handbook_id_problems, validate_content
from handbook.content.vocabulary import Vocabularies, VocabularyError, load_vocabularies
from handbook.layout import Layout
from handbook.problems import Problem
from handbook.settings import Settings, find_root, repository_root, site_settings

__all__ = [
    "Content",
    "ContentMemo",
    "Layout",
    "Settings",
    "find_root",
    "handbook_ids",
    "last_updated",
    "load_content",
    "repository_root",
    "site_settings",
    "terminology_problems",
]


@dataclass
class Content:
    layout: Layout
    vocabularies: Vocabularies
    practices: list[Practice]
    problems: list[Problem] = field(default_factory=list)
    handbooks: list[Handbook] = field(default_factory=list)

    def by_id(self) -> Mapping[str, Practice]:
        """The practices by id, in content order: the one index, built once (views and commands look practices up in it)."""
        return self._by_id

    @cached_property
    def _by_id(self) -> dict[str, Practice]:
        return {practice.id: practice for practice in self.practices}


@dataclass
class ContentMemo:
    """What a long-running caller (`mkdocs serve`) keeps from one `load_content` to the next: each practice folder's
    loading (reused while its files are byte-identical, as read once by the loader), and each practice's problems
    (reused while it is the same practice and what else they depend on is unchanged). The cross-file checks run
    every time; nothing is kept on disk."""

    loading: LoadMemo = field(default_factory=dict)
    safety: SafetyMemo = field(default_factory=dict)
    validation: ValidationMemo = field(default_factory=dict)


def handbook_ids(layout: Layout) -> list[str]:
    if not layout.handbooks_dir.is_dir():
        return []
    return sorted(path.stem for path in layout.handbooks_dir.glob("*.yml"))


def load_content(settings: Settings, memo: ContentMemo | None = None) -> Content:
    """Load and validate everything where `settings.layout` says; `problems` lists all that is wrong, in file order.

    Unsafe files (links, devices, oversized texts, …) are reported first and alone: nothing reads them. With
    `memo`, what did not change since the last call with it is reused (`ContentMemo`)."""
    layout = settings.layout
    unsafe_files = file_problems(layout.root, layout.contributed, layout.docs)
    if unsafe_files:
        return Content(layout, Vocabularies(layout.vocabularies_file, {}), [], sorted(unsafe_files))
    try:
        vocabularies = load_vocabularies(layout.vocabularies_file)
    except VocabularyError as error:  # nothing can be checked against broken vocabularies: this one problem
        return Content(layout, Vocabularies(layout.vocabularies_file, {}), [], [Problem(error.path, error.line, error.message)])
    loaded = (
        load_practices(layout.practices_dir, vocabularies)
        if memo is None
        else load_practices(layout.practices_dir, vocabularies, memo.loading, repr(vocabularies))
    )
    handbooks = check_handbooks(layout.handbooks_dir, vocabularies, loaded.practices)
    # the handbooks a practice may say it was presented at: those with a date (all by file name if none could be read)
    dated = [handbook.id for handbook in handbooks.handbooks if handbook.definition.date] if handbooks.handbooks else handbook_ids(layout)
    problems = loaded.problems + validate_content(loaded, vocabularies, dated, memo.validation if memo else None)
    problems += handbooks.problems + handbook_id_problems(handbooks.handbooks)
    repository = settings.repository.url if settings.repository else None
    problems += trust_problems(
        layout,
        settings.markdown,
        loaded,
        handbooks.handbooks,
        cache=settings.options.cache,
        site_url=settings.site_url,
        repository=repository,
        memo=memo.safety if memo else None,
    )
    problems += terminology_problems(layout, loaded.practices)
    problems += guidance_problems(
        layout.practices_dir, loaded.files if memo else None
    )  # the questions `handbook new` wrote, not yet replaced
    return Content(layout, vocabularies, loaded.practices, sorted(problems), handbooks.handbooks)


def terminology_problems(layout: Layout, practices: list[Practice]) -> list[Problem]:
    """Avoided terms in the practice texts and the site's pages (none when there is no terminology file)."""
    if not layout.terminology_file.is_file():
        return []
    try:
        rules = load_rules(layout.terminology_file)
    except TerminologyError as error:
        path, line, message = str(error).split(":", 2)
        return [Problem(Path(path), int(line), message.strip())]
    return practice_problems(practices, rules) + page_problems(layout.docs_dir, rules)


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
