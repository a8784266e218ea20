"""Generated Markdown pages: the practice pages and overview pages that MkDocs renders, and their images.

The plugin adds them to MkDocs as files under `docs/` whose text it supplies from memory (plain `File`
objects, which mkdocs-static-i18n sorts by language like any page; `File.generated` is what it drops).
Only binary files, the practice images, are written: into a gitignored folder, and only when changed,
so that `mkdocs serve` never rebuilds in a loop.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook.content.load import IMAGE_SUFFIXES
from handbook.content.model import Practice
from handbook.content.practice_links import for_mkdocs
from handbook.urls import LANGUAGES, OVERVIEW_PAGES
from handbook.views.labels import label


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative to the generated folder, POSIX
    content: str | bytes


def page(front_matter: dict[str, Any], body: str = "") -> str:
    """A Markdown page; front matter values are written as JSON, which YAML reads as they are (and fast)."""
    header = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in front_matter.items())
    return f"---\n{header}---\n\n{body.strip()}\n"


def practice_pages(
    practices: Iterable[Practice], languages: Sequence[str] = LANGUAGES, is_folder: Callable[[str], bool] = lambda name: False
) -> list[GeneratedFile]:
    """One page per practice and language; a missing translation shows the other language's text.

    Links to the site's pages are written as the files MkDocs knows (`practice_links.for_mkdocs`)."""
    files = []
    for practice in practices:
        for language in languages:
            translation = practice.text_in(language)
            front_matter = {
                "template": "practice.html",
                "title": translation.text.title,
                "description": translation.text.summary,
                "practice": practice.id,
            }
            body = for_mkdocs(with_image_folder(translation.body, practice.id), practice.id, is_folder)
            files.append(GeneratedFile(f"{practice.id}.{language}.md", page(front_matter, body)))
        files += practice_images(practice)
    return files


# A Markdown image whose target is a plain relative file name (the checks allow only those).
_IMAGE = re.compile(r"(!\[[^\]]*\]\()(?![a-z][a-z0-9+.-]*:|/|#)([^)\s]+)")


def with_image_folder(body: str, practice_id: str) -> str:
    """Point the practice's own images at the copies in `<generated>/<id>/`."""
    return _IMAGE.sub(lambda match: f"{match.group(1)}{practice_id}/{match.group(2)}", body)


def practice_images(practice: Practice) -> list[GeneratedFile]:
    """The images of a practice folder, copied next to its generated pages."""
    return [
        GeneratedFile(f"{practice.id}/{path.name}", path.read_bytes())
        for path in sorted(practice.folder.iterdir())
        if path.suffix.lower() in IMAGE_SUFFIXES
    ]


# Generated overview pages: file stem → (template, title label).
OVERVIEW_TEMPLATES = dict(  # urls.OVERVIEW_PAGES, in order: each page's template and title label
    zip(
        OVERVIEW_PAGES,
        [
            ("catalogue.html", "catalogue_title"),
            ("coverage.html", "coverage_title"),
            ("translation-status.html", "status_title"),
            ("fields.html", "fields_title"),
        ],
        strict=True,
    )
)


def overview_pages(languages: Sequence[str] = LANGUAGES) -> list[GeneratedFile]:
    """The catalogue (the folder's index page), coverage matrix, translation status and field reference."""
    return [
        GeneratedFile(f"{stem}.{language}.md", page({"template": template, "title": label(title, language)}))
        for stem, (template, title) in OVERVIEW_TEMPLATES.items()
        for language in languages
    ]


@dataclass(frozen=True)
class SyncReport:
    written: list[str]
    removed: list[str]


def sync_folder(folder: Path, files: Iterable[GeneratedFile]) -> SyncReport:
    """Make `folder` hold exactly `files`: write what changed, remove what is no longer generated."""
    wanted = {file.path: file.content for file in files}
    if not wanted and not folder.exists():
        return SyncReport([], [])
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for relative, content in wanted.items():
        target = folder / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Atomic: the language builds of `handbook build`, side by side, never see a half-written file.
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.append(relative)
    removed = []
    for existing in sorted(folder.rglob("*")):
        relative = existing.relative_to(folder).as_posix()
        in_progress = existing.name.startswith(".") and existing.name.endswith(".tmp")  # another process's write
        if existing.is_file() and relative not in wanted and not in_progress:
            existing.unlink()
            removed.append(relative)
    for directory in [*sorted((path for path in folder.rglob("*") if path.is_dir()), reverse=True), folder]:
        if not any(directory.iterdir()):
            directory.rmdir()
    return SyncReport(written, removed)
