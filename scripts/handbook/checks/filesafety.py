"""Contributed files: no links, devices or paths outside the repository; size limits; images checked by content.

Under the contributed folders (`Layout.contributed`: `practices/`, `handbooks/`, `docs/` or where
`mkdocs.yml` puts them) every entry must be a plain folder or a regular file that
resolves inside the repository: symbolic links (which could publish `/etc/passwd`, `.git/config` or
`/proc/self/environ`), files with more than one hard link (one may be outside), device files, FIFOs and
sockets are refused, and so is any file that is not Markdown, YAML or a raster image (an `.html` or `.js`
file would be published as it is). A text file over `MAX_TEXT_BYTES` is refused before anything reads it. An image is
accepted by its content, not its name: its first bytes must be those of PNG, JPEG, GIF or WebP, matching
its suffix, and Pillow must read it. SVG is refused: an SVG file is a document that can run script on
the site's origin, which a meta-tag Content-Security-Policy does not cover; export it as PNG or WebP.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from handbook.checks import image_metadata
from handbook.content.load import IMAGE_FORMATS
from handbook.content.names import collision_message, collisions, name_problem
from handbook.messages import _
from handbook.problems import Problem

MAX_TEXT_BYTES = 200 * 1024  # a practice text is about 10 KB; 200 KB leaves room and bounds every check
TEXT_SUFFIXES = frozenset({".md", ".yml", ".yaml", ".txt", ".json"})
SVG_SUFFIX = ".svg"
# What a contributed folder may hold: Markdown, YAML and raster images. Anything else (.html, .js, .xml, …)
# would be published as it is, and a document on the site's origin runs script without the policy.
ALLOWED_SUFFIXES = frozenset({".md", ".yml", ".yaml", *IMAGE_FORMATS})
# docs/ holds only what a handbook page needs: pages and images. MkDocs takes a file as a page by its suffix,
# case-sensitively (`notes.MD` is copied as it is): a page must end in lower-case `.md`; images in any case.
PAGE_SUFFIX = ".md"


def pages_folder_problem(path: Path, folder: str) -> str | None:
    """Why a file under the site's pages folder `folder` (`Layout.docs`) is not one MkDocs renders as a page or a
    checked image, or None."""
    if path.suffix == PAGE_SUFFIX or path.suffix.lower() in IMAGE_FORMATS or path.suffix.lower() == SVG_SUFFIX:
        return None
    return _(
        "unsafe file: '{suffix}' files are not allowed here (MkDocs would publish them as they are); "
        "{folder}/ holds only pages ending in .md (in lower case) and PNG, JPEG, GIF or WebP images",
        suffix=path.suffix or path.name,
        folder=folder,
    )


def sniffed_format(head: bytes) -> str | None:
    """The raster format the first bytes of a file announce, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def image_problem(path: Path) -> str | None:
    """Why the file at `path` is not an acceptable image (by content, name and metadata), or None."""
    refused = image_content_problem(path)
    if refused is not None or path.suffix.lower() not in IMAGE_FORMATS:
        return refused
    return image_metadata.image_problem(path)  # its name and its metadata (EXIF, GPS, XMP, text chunks, comments)


def image_content_problem(path: Path) -> str | None:
    """Why the file at `path` is not a readable image of the format its name says, or None."""
    suffix = path.suffix.lower()
    if suffix == SVG_SUFFIX:
        return _(
            "unsafe content: SVG images are refused (an SVG file can run script on the site); "
            "export the image as PNG or WebP and refer to that file"
        )
    expected = IMAGE_FORMATS.get(suffix)
    if expected is None:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        return _("cannot read the image: {error}", error=str(error.strerror))
    found = sniffed_format(head)
    if found is None:
        return _(
            "unsafe content: the file is not a {expected} image (its content does not start as one); save it as a real {suffix} file",
            expected=expected,
            suffix=suffix,
        )
    if found != expected:
        return _("the file holds a {found} image but is named {suffix}; rename it to match its content", found=found, suffix=suffix)
    try:
        from PIL import Image

        with Image.open(path) as image:
            image.verify()
            if image.format != expected:
                return _(
                    "the file holds a {found} image but is named {suffix}; rename it to match its content",
                    found=image.format,
                    suffix=suffix,
                )
    except Exception as error:  # any decoding failure of a hostile file is a problem to report
        return _("the image cannot be read ({error}); save it again as {expected}", error=type(error).__name__, expected=expected)
    return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def entry_problem(path: Path, root: Path, *, parent_checked: bool = False, pages: str | None = None) -> str | None:
    """Why one entry of a contributed folder is refused (not the content of a text file), or None.

    `parent_checked`: the folder holding it is inside `root` and no link, so a non-link entry is too.
    `pages`: the entry is under the site's pages folder of that name, which holds pages and images only (`pages_folder_problem`)."""
    named = name_problem(path.name)
    if named is not None:
        return named
    try:
        info = path.lstat()
    except OSError as error:
        return _("cannot read this entry: {error}", error=str(error.strerror))
    if stat.S_ISLNK(info.st_mode):
        return _(
            "unsafe file: symbolic links are refused (a link could publish a file from outside the folder); replace it with the file itself"
        )
    if not parent_checked and not _inside(path, root):
        return _("unsafe file: the path resolves outside the repository")
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return _("unsafe file: only regular files and folders are allowed (no devices, FIFOs or sockets)")
    if info.st_nlink > 1:
        return _("unsafe file: the file has more than one hard link (the other may be outside the repository); replace it with a copy")
    suffix = path.suffix.lower()
    if pages and not path.name.startswith(".") and (problem := pages_folder_problem(path, pages)) is not None:
        return problem
    if suffix not in ALLOWED_SUFFIXES and suffix != SVG_SUFFIX and not path.name.startswith("."):
        return _(
            "unsafe file: '{suffix}' files are not allowed here (they would be published as they are); "
            "only Markdown (.md), YAML (.yml) and PNG, JPEG, GIF or WebP images",
            suffix=suffix or path.name,
        )
    if suffix in TEXT_SUFFIXES and info.st_size > MAX_TEXT_BYTES:
        return _(
            "the file is {size} KB, more than the {limit} KB allowed for a text file; split it or shorten it",
            size=-(-info.st_size // 1024),
            limit=MAX_TEXT_BYTES // 1024,
        )
    return image_problem(path)


def tree_problems(root: Path, folders: Iterable[str], skip: Iterable[str] = (), pages: str | None = None) -> list[Problem]:
    """Every refused entry under the contributed `folders` of `root` (`Layout.contributed`), never following a link.

    A configured folder (`content/practices`) is refused when a folder on the way to it is a link too. Names
    in one folder that are equal after case folding are refused (`names.collisions`). `skip` names folders
    (relative to `root`) that the build writes itself, such as generated pages; `pages` the folder of the
    site's pages (`Layout.docs`), which holds pages and images only."""
    root = root.resolve()
    skipped = {(root / folder) for folder in skip}
    problems = []
    for folder in folders:
        top = root / folder
        if not top.exists() and not top.is_symlink():
            continue
        on_the_way = [top, *(parent for parent in top.parents if root in parent.parents)]
        message = next(filter(None, (entry_problem(entry, root) for entry in reversed(on_the_way))), None)
        if message is not None:
            problems.append(Problem(top, 1, message))
            continue
        for directory, subdirectories, files in os.walk(top, followlinks=False):
            here = Path(directory)
            subdirectories[:] = sorted(name for name in subdirectories if here / name not in skipped)
            for name in [*subdirectories, *sorted(files)]:
                message = entry_problem(here / name, root, parent_checked=True, pages=pages if folder == pages else None)
                if message is not None:
                    problems.append(Problem(here / name, 1, message))
            for name, other in collisions([*subdirectories, *files]).items():
                problems.append(Problem(here / name, 1, collision_message(other)))
            subdirectories[:] = [name for name in subdirectories if not (here / name).is_symlink()]
    return problems
