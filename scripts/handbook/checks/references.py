"""Links, anchors and images in a practice text: every target must exist.

A practice text becomes the page `<PRACTICES>/<id>.<language>.md` under docs/ (generated in memory), published at
`praktijken/<id>/` (`urls.PRACTICES`).
Its links may point to:
- another practice: `../<id>/` (the page's address) or `<id>.md` (its generated file), optionally with `#anchor`;
- the catalogue and the coverage matrix: `../` or `index.md`, `../dekking/` or `dekking.md`;
- a hand-written page: `../../<page>/` or `../<page>.md`, when `docs/<page>.nl.md` or `docs/<page>.en.md` exists;
- a heading of its own page: `#<heading-id>` (the ids the `toc` extension gives).

A full link (`https://…`) is another site's, and must be a public address (`public_url.public_url_problem`, the rule
of practice.yml's URLs): a link copied from the preview's address bar (`http://127.0.0.1:8000/praktijken/<id>/`),
to a private or local host, to the handbook's own published address (`site_url`) or to its files in the
repository (`<repository>/blob/<branch>/practices/<id>/nl.md`) is refused with the relative form to write instead
(`../<id>/`), so the link works in the preview, on the site and in the PDF (where it becomes a page reference).

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
from urllib.parse import SplitResult, unquote, urlsplit

from handbook.content.load import IMAGE_SUFFIXES
from handbook.content.practice_links import LINKED_OVERVIEWS, link_path
from handbook.content.public_url import DEFAULT_PORTS, public_url_problem
from handbook.layout import Layout
from handbook.messages import _
from handbook.urls import DEFAULT_LANGUAGE, LANGUAGES, PRACTICES

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
    site_url: str = ""  # the site's published address (`Settings.site_url`): a full link to it is refused
    repository: str | None = None  # the repository's address (`Settings.repository.url`): a link to its files is refused
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


def reference_findings(
    tags: Iterable[tuple[str, Attributes]], own_ids: frozenset[str], page: PracticePage, site_map: SiteMap
) -> list[Finding]:
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
        return _full_link_finding(href, parts, own_ids, page, site_map)
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
            key,
            _("link '{href}' points outside the site", href=href),
            _("link to a practice as '../<id>/' or to a page as '../../<page>/'"),
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
            return _anchor_finding(
                key, href, anchor, anchors, f"{site_map.layout.docs}/{document.relative_to(site_map.docs_dir).as_posix()}"
            )
    return None


def _full_link_finding(href: str, parts: SplitResult, own_ids: frozenset[str], page: PracticePage, site_map: SiteMap) -> Finding | None:
    """A full link: refused when it is not public, or leads to the handbook's own site or repository files."""
    scheme = parts.scheme.lower()
    if scheme not in ("", *DEFAULT_PORTS):
        return None  # mailto:, or an unsafe scheme, which the sanitiser check reports
    url = href.strip() if scheme else f"https:{href.strip()}"  # `//host/…` is read with the page's scheme
    key = ("link", href)
    problem = public_url_problem(url)
    if problem is not None:
        relative = _relative_form(_site_path(parts, site_map.site_url), parts, page)
        if relative is None or link_finding(relative, own_ids, page, site_map) is not None:
            return Finding(key, _("link '{href}' is not a public address: readers cannot open it", href=href), _(problem))
        return Finding(key, _("link '{href}' is not a public address: readers cannot open it", href=href), _relative_advice(relative))
    if site_map.site_url and _same_site(parts, urlsplit(site_map.site_url)):
        relative = _relative_form(_site_path(parts, site_map.site_url), parts, page)
        if relative is not None:
            return Finding(key, _("link '{href}' is a full link to the handbook's own site", href=href), _relative_advice(relative))
    if site_map.repository:
        site_path = _repository_site_path(parts, site_map.repository, site_map.layout)
        relative = _relative_form(site_path, parts, page) if site_path is not None else None
        if relative is not None:
            return Finding(
                key,
                _("link '{href}' points to a source file in the repository, not to the page readers see", href=href),
                _relative_advice(relative),
            )
    return None  # another site


def _relative_advice(relative: str) -> str:
    return _(
        "write '{relative}' instead: a link within the handbook is relative, so that it works in the preview, on the site and in the PDF",
        relative=relative,
    )


def _host(parts: SplitResult) -> tuple[str, str]:
    """The host as a browser compares it (lower case, without a final dot) and the port (the scheme's when none)."""
    host = (parts.hostname or "").rstrip(".")
    try:
        port = str(parts.port or DEFAULT_PORTS.get(parts.scheme.lower() or "https", ""))
    except ValueError:
        port = ""
    return host, port


def _same_site(parts: SplitResult, site: SplitResult) -> bool:
    """Whether a link is under the site's address (http and https alike; the site's path a prefix of the link's)."""
    host, port = _host(parts)
    site_host, site_port = _host(site)
    if host != site_host or (port != site_port and {port, site_port} != set(DEFAULT_PORTS.values())):
        return False
    base = site.path.rstrip("/") + "/"
    return f"{unquote(parts.path).rstrip('/')}/".startswith(base)


def _site_path(parts: SplitResult, site_url: str) -> str:
    """The link's path from the site's root: under the site's own path when it starts with it, else from the host's root."""
    path = unquote(parts.path) or "/"
    base = urlsplit(site_url).path.rstrip("/") + "/"
    return path[len(base) - 1 :] if base != "/" and f"{path.rstrip('/')}/".startswith(base) else path


def _repository_site_path(parts: SplitResult, repository: str, layout: Layout) -> str | None:
    """Where a link to a file of the repository (`<repository>/blob/<branch>/practices/<id>/nl.md`, also `tree`, `raw`,
    `edit`) is published on the site (`/praktijken/<id>/`); None for any other link, such as one to an issue."""
    repo = urlsplit(repository)
    if _host(parts)[0] != _host(repo)[0]:
        return None
    owner_name = repo.path.strip("/").lower()
    path = unquote(parts.path).strip("/")
    if not path.lower().startswith(f"{owner_name}/"):
        return None
    view, *rest = path[len(owner_name) + 1 :].split("/")
    if view not in ("blob", "tree", "raw", "edit"):
        return None
    folders = (layout.practices, layout.docs)
    start = next((index for index, segment in enumerate(rest) if segment in folders), None)  # after the branch, which may hold '/'
    if start is None or start == 0:
        return None
    folder, files = rest[start], [segment for segment in rest[start + 1 :] if segment]
    if folder == layout.practices:
        return f"/{PRACTICES}/{files[0]}/" if files else f"/{PRACTICES}/"
    name = "/".join(files)
    if not name.endswith(".md"):
        return f"/{name}"  # a file under docs/, published as it is
    stem = name[: -len(".md")]
    head, dot, suffix = stem.rpartition(".")
    stem = head if dot and suffix in LANGUAGES else stem
    stem = stem.removesuffix("/index").removesuffix("index")
    return f"/{stem}/" if stem else "/"


def _relative_form(site_path: str, parts: SplitResult, page: PracticePage) -> str | None:
    """The relative link from the practice's page to the site path `site_path` ('/praktijken/<id>/' → '../<id>/')."""
    path = site_path.lstrip("/")
    for language in LANGUAGES:
        if language != DEFAULT_LANGUAGE and (path == language or path.startswith(f"{language}/")):
            path = path[len(language) + 1 :]  # the other language's page: the link leads to the page's own language
    path = path.removesuffix("index.html")
    is_file = bool(posixpath.splitext(path.rstrip("/"))[1]) and not path.endswith("/")
    if ".." in path.split("/"):
        return None
    relative = posixpath.relpath(path.rstrip("/") or ".", f"{PRACTICES}/{page.practice_id}")
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    if relative == ".":
        return suffix if parts.fragment and not parts.query else f"./{suffix}"
    return f"{relative}{'' if is_file else '/'}{suffix}"


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
            _(
                "no practice with id '{id}' exists in {folder}/; did you mean '{hint}'?",
                id=name,
                folder=site_map.layout.practices,
                hint=close[0],
            )
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
