"""The handbook's content as one validated whole: where it lives, its vocabularies, practices, handbooks and problems."""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from handbook.cache import Store, file_digests
from handbook.checks.guidance import guidance_problems
from handbook.checks.personal_data import CONTACTS_FILE, configured_address_problems
from handbook.checks.safety import markdown_key
from handbook.checks.terminology import TerminologyError, load_rules, page_problems, practice_problems
from handbook.checks.trust import file_problems, trust_problems
from handbook.content.handbook_loading import check_handbooks
from handbook.content.handbook_model import Handbook
from handbook.content.load import LeftOutTexts, LoadMemo, load_practices
from handbook.content.model import Practice
from handbook.content.validate import handbook_id_problems, validate_content
from handbook.content.vocabulary import Vocabularies, VocabularyError, load_vocabularies
from handbook.layout import Layout
from handbook.messages import current_language
from handbook.problems import Problem
from handbook.settings import CONFIG_FILE, Settings, find_root, repository_root, site_settings

__all__ = [
    "Content",
    "ContentMemo",
    "Layout",
    "Settings",
    "check_store",
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


def handbook_ids(layout: Layout) -> list[str]:
    if not layout.handbooks_dir.is_dir():
        return []
    return sorted(path.stem for path in layout.handbooks_dir.glob("*.yml"))


@dataclass
class ContentMemo:
    """What a long-running caller (`mkdocs serve`) keeps from one `load_content` to the next: each practice folder's
    loading (`LoadMemo`: the same practice object while its files are byte-identical), and the checks' store
    (`check_store`), kept open while its version holds, so that its per-file results are not read from disk again.
    The cross-file checks run every time."""

    loading: LoadMemo = field(default_factory=dict)
    store: Store | None = None

    def check_store(self, settings: Settings) -> Store:
        """The store of `settings`: the one kept, while nothing its version holds has changed."""
        if self.store is None or self.store.version != check_store_version(settings):
            self.store = check_store(settings)
        return self.store


def check_store_version(settings: Settings) -> str:
    """The version `check_store(settings)` opens its store with (see there)."""
    return Store.version_of(*_store_parts(settings))


def _store_parts(settings: Settings) -> tuple[str, ...]:
    layout = settings.layout
    rules = file_digests([layout.vocabularies_file, layout.practices_dir / CONTACTS_FILE, layout.terminology_file])
    repository = settings.repository.url if settings.repository else ""
    return (current_language(), markdown_key(settings.markdown.contributed), settings.site_url, repository, rules)


def check_store(settings: Settings) -> Store:
    """The store of the per-file results of the checks of `settings`' root (`handbook.cache.Store`; disabled with
    `cache: false`). Its version holds everything those results depend on besides a file's bytes: the code, the
    message language, the Markdown settings, the site's and repository's addresses, and the bytes of the
    vocabularies, the contact allow-list and the terminology; a change of any of them starts a new store."""
    if not settings.options.cache:
        return Store.disabled()
    return Store.open(settings.layout.root, *_store_parts(settings))


def load_content(settings: Settings, store: Store | None = None, memo: ContentMemo | None = None) -> Content:
    """Load and validate everything where `settings.layout` says; `problems` lists all that is wrong, in file order.

    Unsafe files (links, devices, oversized texts, …) are reported first and alone: nothing reads them. What one
    file gives alone is reused from `store` (default: `check_store(settings)`, saved at the end) when its bytes and
    the rules are unchanged; the checks across files (ids, related practices, links, anchors, images, handbooks)
    run every time. With `memo` (kept by `mkdocs serve`), its store is used and saved, and an unchanged practice
    folder gives the same practice object again (`ContentMemo`)."""
    layout = settings.layout
    unsafe_files = file_problems(layout.root, layout.contributed, layout.docs)
    if unsafe_files:
        return Content(layout, Vocabularies(layout.vocabularies_file, {}), [], sorted(unsafe_files))
    try:
        vocabularies = load_vocabularies(layout.vocabularies_file)
    except VocabularyError as error:  # nothing can be checked against broken vocabularies: this one problem
        return Content(layout, Vocabularies(layout.vocabularies_file, {}), [], [Problem(error.path, error.line, error.message)])
    own_store = store is None
    if store is None:
        store = memo.check_store(settings) if memo is not None else check_store(settings)
    loaded = load_practices(layout.practices_dir, vocabularies, store, memo.loading if memo is not None else None)
    handbooks = check_handbooks(layout.handbooks_dir, vocabularies, loaded.practices)
    # the handbooks a practice may say it was presented at: those with a date (all by file name if none could be read)
    dated = [handbook.id for handbook in handbooks.handbooks if handbook.definition.date] if handbooks.handbooks else handbook_ids(layout)
    problems = loaded.problems + validate_content(loaded, vocabularies, dated, store)
    problems += handbooks.problems + handbook_id_problems(handbooks.handbooks)
    repository = settings.repository.url if settings.repository else None
    problems += trust_problems(
        layout,
        settings.markdown,
        loaded,
        handbooks.handbooks,
        site_url=settings.site_url,
        repository=repository,
        store=store,
    )
    problems += terminology_problems(layout, loaded.practices, loaded.left_out, store)
    problems += guidance_problems(layout.practices_dir, store, loaded.digests)  # the questions `handbook new` wrote, not yet replaced
    problems += configured_address_problems(
        settings.editors_email, "editors_email", layout.practices_dir / CONTACTS_FILE, settings.config_file or layout.root / CONFIG_FILE
    )
    if own_store:
        store.save()
    return Content(layout, vocabularies, loaded.practices, sorted(problems), handbooks.handbooks)


def terminology_problems(
    layout: Layout, practices: list[Practice], left_out: Sequence[LeftOutTexts] = (), store: Store | None = None
) -> list[Problem]:
    """Avoided terms in the practice texts (`left_out`: of the practices left out for their problems, in the same
    round) and the site's pages (none when there is no terminology file)."""
    if not layout.terminology_file.is_file():
        return []
    try:
        rules = load_rules(layout.terminology_file)
    except TerminologyError as error:
        path, line, message = str(error).split(":", 2)
        return [Problem(Path(path), int(line), message.strip())]
    return practice_problems(practices, rules, left_out, store) + page_problems(layout.docs_dir, rules)


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
