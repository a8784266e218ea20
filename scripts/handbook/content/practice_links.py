"""Links in a practice text: the forms `handbook check` accepts (`references.py`), and what they become.

The documented form of a link to another practice is its address, `[text](../<id>/)` (optionally with
`#anchor`); a hand-written page is `[text](../../<page>/)`. The check also accepts the generated file
names (`<id>.md`, `../<page>.md`). What the check accepts, the build and the PDF accept:

- for MkDocs (`for_mkdocs`), an address is rewritten to the file it is published from, because MkDocs
  resolves links between source files (`../<id>/` → `<id>.md`, `../../<page>/` → `../<page>.md`);
  mkdocs-static-i18n then picks the file of the page's language, or the fallback page;
- in a PDF (`for_print`), a link to a practice in the same handbook becomes an internal link
  (`#p-<id>`, its page number printed after it by `target-counter`), and any other link of the site
  the page's full public address.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from handbook.urls import LANGUAGES, PRACTICES, language_prefix

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
LINKED_OVERVIEWS = frozenset({"", "index", "dekking"})  # generated pages next to the practices that a practice text may link to


@dataclass(frozen=True)
class Target:
    """Where a relative link of a practice text leads: a `practice` (by id) or a `page` under docs/."""

    kind: str  # "practice", "page" or "file" (a file under docs/ with a suffix, such as a download)
    name: str  # the practice id, or the page's path under docs/ without suffix ("" for the catalogue)
    anchor: str


def target_of(href: str, practice_id: str) -> Target | None:
    """The target of a relative link in the text of `practice_id`; None for anchors, other sites and images."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or _SCHEME.match(href.strip()):
        return None
    path, anchor = unquote(parts.path), parts.fragment
    if not path or path.startswith("/"):
        return None
    target = link_path(path, practice_id)
    if target is None:
        return None
    if target in (".", PRACTICES):
        return Target("page", PRACTICES, anchor)
    folder, _, name = target.partition("/")
    if folder == PRACTICES and name and "/" not in name:
        if name in LINKED_OVERVIEWS:
            return Target("page", f"{PRACTICES}/{name}", anchor)
        return Target("practice", name, anchor)
    if posixpath.splitext(target)[1] and not path.endswith(".md"):
        return Target("file", target, anchor)
    return Target("page", target, anchor)


def link_path(path: str, practice_id: str) -> str | None:
    """The path under docs/ that the relative link path `path` in the text of `practice_id` names: an address
    resolved from the practice's own folder, a file name (`<id>.md`, `../<page>.nl.md`) from the folder of the
    generated pages, without `.md` and its language suffix. None when it leads outside docs/."""
    is_file_link = path.endswith(".md")
    base = f"{PRACTICES}/" if is_file_link else f"{PRACTICES}/{practice_id}/"
    target = posixpath.normpath(posixpath.join(base, path))
    if is_file_link:
        target = target[: -len(".md")]
        stem, dot, suffix = target.rpartition(".")
        target = stem if dot and suffix in LANGUAGES else target
    return None if target == ".." or target.startswith("../") else target


# An inline link or image target `](...)` and a reference definition `[label]: target`.
_INLINE = re.compile(r"(?<!!)(\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:[ \t]*)(\S+)", re.MULTILINE)


def for_mkdocs(body: str, practice_id: str, is_folder: Callable[[str], bool]) -> str:
    """The practice text with every link to a page of the site written as the file MkDocs knows.

    `is_folder(path)` says whether a page path under docs/ is a folder (whose page is `index.md`)."""

    def source(href: str) -> str:
        target = target_of(href, practice_id)
        if target is None or target.kind == "file" or href.split("#", 1)[0].endswith(".md"):
            return href
        anchor = f"#{target.anchor}" if target.anchor else ""
        if target.kind == "practice":
            return f"{target.name}.md{anchor}"
        name = target.name
        if name == PRACTICES:
            return f"index.md{anchor}"
        if name.startswith(f"{PRACTICES}/"):
            return f"{name.split('/', 1)[1]}.md{anchor}"
        file = f"{name}/index.md" if is_folder(name) else f"{name}.md"
        return f"{posixpath.relpath(file, PRACTICES)}{anchor}"

    body = _INLINE.sub(lambda match: f"{match.group(1)}{source(match.group(2))}{match.group(3)}", body)
    return _REFERENCE.sub(lambda match: f"{match.group(1)}{source(match.group(2))}", body)


def folder_test(docs_dir: Path) -> Callable[[str], bool]:
    """`is_folder` for `for_mkdocs`: a page path that is a folder under docs/."""
    return lambda name: (docs_dir / name).is_dir()


_HREF = re.compile(r'<a href="([^"]*)"')


def for_print(html: str, practice_id: str, in_handbook: Collection[str], site_url: str, language: str, anchor_prefix: str) -> str:
    """A rendered practice text for the PDF: links to practices in this handbook are internal (class
    `practice-ref`, which prints the page number), other links to the site get its public address."""

    def link(match: re.Match[str]) -> str:
        href = match.group(1).replace("&amp;", "&")
        target = target_of(href, practice_id)
        if target is None:
            return match.group(0)
        if target.kind == "practice" and target.name in in_handbook:
            return f'<a class="practice-ref" href="#{anchor_prefix}{target.name}"'
        return f'<a href="{public_address(target, site_url, language)}"'

    return _HREF.sub(link, html)


def public_address(target: Target, site_url: str, language: str) -> str:
    """The full address of a target on the published site (language prefix for further languages)."""
    prefix = language_prefix(language)
    if target.kind == "practice":
        path = f"{PRACTICES}/{target.name}/"
    elif target.kind == "file":
        path = target.name
    else:
        name = target.name.removesuffix("/index")
        path = "" if name in ("index", "") else f"{name}/"
    anchor = f"#{target.anchor}" if target.anchor else ""
    return f"{site_url.rstrip('/')}/{prefix}{path}{anchor}"
