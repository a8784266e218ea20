"""Links, anchors and images in a practice text: every target must exist.

A practice text becomes the page `<PRACTICES>/<id>.<language>.md` under docs/ (generated in memory), published at
`praktijken/<id>/` (`urls.PRACTICES`).
Its links may point to:
- another practice: `../<id>/` (the page's address) or `<id>.md` (its generated file), optionally with `#anchor`;
- the catalogue and the coverage matrix: `../` or `index.md`, `../dekking/` or `dekking.md`;
- a hand-written page: `../../<page>/` or `../<page>.md`, when `docs/<page>.nl.md` or `docs/<page>.en.md` exists;
- a heading of its own page: `#<heading-id>` (the ids the `toc` extension gives).

Images are files in the practice folder, named relative to it (`![what it shows](foto.jpg)`): they need
alt text and may be at most `MAX_IMAGE_BYTES`. The site requests nothing from other hosts, so an image
on another host is refused too.

The checks work on the start tags of the rendered HTML; the caller turns each `Finding` into a problem
on the right line.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from handbook.content.load import IMAGE_SUFFIXES
from handbook.content.practice_links import LINKED_OVERVIEWS, link_path
from handbook.layout import Layout
from handbook.messages import _
from handbook.urls import LANGUAGES, PRACTICES

MAX_IMAGE_BYTES = 1024 * 1024
"""1 MiB: enough for a photo on a web page; larger files slow every visitor down."""

Attributes = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Finding:
    """Something wrong in a rendered text. `key` identifies it, so its source line can be found again."""

    key: tuple[str, ...]  # kind first, then what it is about, e.g. ("link", href) or ("attribute", tag, name)
    what: str
    advice: str


@dataclass(frozen=True)
class PracticePage:
    """The page a text is shown on: which practice, in which language, and its folder (for images)."""

    practice_id: str
    language: str
    folder: Path
    shown: str  # the folder as the contributor knows it, relative to the root with a final slash (`<practices>/<id>/`)


AnchorLookup = Callable[[str, str], frozenset[str] | None]  # (practice id, language) → heading ids, None if unknown
DocumentAnchorLookup = Callable[[Path], frozenset[str] | None]  # a docs/ page → its ids, None if unknown


@dataclass
class SiteMap:
    """What links can point to: the practices (by id), the hand-written pages under `docs_dir`, their anchors."""

    layout: Layout
    practice_ids: Collection[str]
    practice_anchors: AnchorLookup
    document_anchors: DocumentAnchorLookup
    _documents: dict[str, Path | None] = field(init=False, default_factory=dict)

    @property
    def docs_dir(self) -> Path:
        return self.layout.docs_dir

    def document(self, page: str, language: str) -> Path | None:
        """The source file of hand-written page `page` (e.g. 'integrale-aanpak') as shown in `language`."""
        cache_key = f"{page}\0{language}"
        if cache_key not in self._documents:
            names = [f"{page}.{language}.md", *(f"{page}.{other}.md" for other in LANGUAGES if other != language), f"{page}.md"]
            names += [f"{page}/index.{language}.md", *(f"{page}/index.{other}.md" for other in LANGUAGES), f"{page}/index.md"]
            self._documents[cache_key] = next((self.docs_dir / name for name in names if (self.docs_dir / name).is_file()), None)
        return self._documents[cache_key]


def reference_findings(tags: Iterable[tuple[str, Attributes]], own_ids: frozenset[str], page: PracticePage, site_map: SiteMap) -> list[Finding]:
    """Broken links and anchors, and images without alt text, missing, too large or on another host."""
    findings: list[Finding] = []
    for name, attributes in tags:
        values = dict(attributes)
        if name == "a" and "href" in values:
            finding = link_finding(values["href"], own_ids, page, site_map)
        elif name == "img":
            finding = image_finding(values.get("src", ""), values.get("alt"), page)
        else:
            continue
        if finding is not None:
            findings.append(finding)
    return findings


def link_finding(href: str, own_ids: frozenset[str], page: PracticePage, site_map: SiteMap) -> Finding | None:
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        return None  # another site (or an unsafe scheme, which the sanitiser check reports)
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    key = ("link", href)
    if not path:
        return _anchor_finding(key, href, anchor, own_ids, _("this page")) if anchor else None
    if path.startswith("/"):
        return Finding(
            key,
            _("absolute link '{href}'", href=href),
            _(
                "write a relative link instead, such as '../other-practice/' or '../../integrale-aanpak/' "
                "(an absolute link breaks when the site is not published at the root of its host)"
            ),
        )
    if Path(path).suffix.lower() in IMAGE_SUFFIXES:
        return _image_file_finding(key, href, path, page)  # a link to an image in the practice folder
    target = link_path(path, page.practice_id)
    if target is None:
        return Finding(
            key, _("link '{href}' points outside the site", href=href), _("link to a practice as '../<id>/' or to a page as '../../<page>/'")
        )
    if target in (".", "index"):
        target = "index"
    folder, _slash, name = target.partition("/")
    if folder == PRACTICES and "/" not in name:
        return _practice_link_finding(key, href, name, anchor, own_ids, page, site_map)
    document = site_map.document(target, page.language)
    if document is None:
        if (site_map.docs_dir / target).is_file():
            return None  # a file of the site, such as a download under docs/
        return Finding(key, _("link '{href}' points to no page", href=href), _missing_page_advice(target, site_map))
    if anchor:
        anchors = site_map.document_anchors(document)
        if anchors is not None:
            return _anchor_finding(key, href, anchor, anchors, f"{site_map.layout.docs}/{document.relative_to(site_map.docs_dir).as_posix()}")
    return None


def _practice_link_finding(
    key: tuple[str, ...], href: str, name: str, anchor: str, own_ids: frozenset[str], page: PracticePage, site_map: SiteMap
) -> Finding | None:
    if name in LINKED_OVERVIEWS:
        return None
    if name == page.practice_id:
        return _anchor_finding(key, href, anchor, own_ids, _("this page")) if anchor else None
    if name not in site_map.practice_ids:
        close = difflib.get_close_matches(name, list(site_map.practice_ids), n=1, cutoff=0.6)
        advice = (
            _("no practice with id '{id}' exists in {folder}/; did you mean '{hint}'?", id=name, folder=site_map.layout.practices, hint=close[0])
            if close
            else _("no practice with id '{id}' exists in {folder}/", id=name, folder=site_map.layout.practices)
        )
        return Finding(key, _("link '{href}' points to no practice", href=href), advice)
    if anchor:
        anchors = site_map.practice_anchors(name, page.language)
        if anchors is not None:
            return _anchor_finding(key, href, anchor, anchors, _("practice '{id}'", id=name))
    return None


def _anchor_finding(key: tuple[str, ...], href: str, anchor: str, ids: frozenset[str], where: str) -> Finding | None:
    if anchor in ids:
        return None
    known = ", ".join(f"#{name}" for name in sorted(ids)[:12]) or _("none")
    close = difflib.get_close_matches(anchor, list(ids), n=1, cutoff=0.6)
    advice = (
        _("did you mean '#{hint}'? the anchors there are: {known}", hint=close[0], known=known)
        if close
        else _("the anchors there are: {known}", known=known)
    )
    return Finding(key, _("link '{href}' points to no heading of {where}", href=href, where=where), advice)


def _missing_page_advice(target: str, site_map: SiteMap) -> str:
    name = target.rsplit("/", 1)[-1]
    if name in site_map.practice_ids:
        return _("'{id}' is a practice: link to it as '../{id}/' or '{id}.md'", id=name)
    pages = _(" or ").join(f"{site_map.layout.docs}/{target}.{language}.md" for language in LANGUAGES)
    return _(
        "there is no {pages}; link to a practice as '../<id>/' (or '<id>.md'), "
        "to a hand-written page as '../../<page>/' (or '../<page>.md')",
        pages=pages,
    )


def image_finding(src: str, alt: str | None, page: PracticePage) -> Finding | None:
    parts = urlsplit(src.strip())
    key = ("image", src)
    if parts.scheme in ("http", "https") or parts.netloc:
        return Finding(
            key,
            _("image '{src}' is on another host", src=src),
            _(
                "store the image in the practice folder {folder} and refer to it by its file name "
                "(the site requests nothing from other hosts)",
                folder=page.shown,
            ),
        )
    if parts.scheme:
        return None  # a data: or other URL: the sanitiser check reports it
    if alt is None or not alt.strip():
        return Finding(
            key,
            _("image '{src}' has no alt text", src=src),
            _("describe what the image shows between the brackets: ![description]({src})", src=src),
        )
    return _image_file_finding(key, src, unquote(parts.path), page)


def _image_file_finding(key: tuple[str, ...], reference: str, path: str, page: PracticePage) -> Finding | None:
    folder = page.shown
    relative = posixpath.normpath(path)
    if path.startswith("/") or relative == ".." or relative.startswith("../"):
        return Finding(
            key,
            _("image '{src}' is outside the practice folder", src=reference),
            _("put the file in {folder} and refer to it by its name", folder=folder),
        )
    suffix = Path(relative).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        allowed = ", ".join(sorted(IMAGE_SUFFIXES))
        return Finding(key, _("image '{src}' is not an image file", src=reference), _("use one of: {allowed}", allowed=allowed))
    file = page.folder / relative
    if not file.is_file():
        present = sorted(child.name for child in page.folder.iterdir() if child.suffix.lower() in IMAGE_SUFFIXES)
        close = difflib.get_close_matches(relative, present, n=1, cutoff=0.6)
        advice = (
            _("add the file to {folder} or correct its name; did you mean '{hint}'?", folder=folder, hint=close[0])
            if close
            else _("add the file to {folder} or correct its name", folder=folder)
        )
        return Finding(key, _("image '{src}' does not exist", src=reference), advice)
    size = file.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return Finding(
            key,
            _(
                "image '{src}' is {size} KiB, more than the {limit} KiB (1 MiB) allowed",
                src=reference,
                size=-(-size // 1024),
                limit=MAX_IMAGE_BYTES // 1024,
            ),
            _("make it smaller (for example 1600 pixels wide, as JPEG or WebP)"),
        )
    return None


def heading_ids(tags: Sequence[tuple[str, Attributes]]) -> frozenset[str]:
    """Every id in the rendered text: the headings' (from `toc`), footnotes' and any written with attr_list."""
    return frozenset(value for _, attributes in tags for name, value in attributes if name == "id")
