"""What a page's <head> tells search engines and sharing services, built from the configured site address.

Pure functions: the templates render the result with every value escaped (overrides/main.html).
Relative hreflang links are ignored by search engines, so every address here is absolute.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from handbook.urls import language_prefix

OG_IMAGE = "assets/handbook-og.png"  # our own image for link previews (overrides/assets/)
OG_LOCALES = {"nl": "nl_BE", "en": "en_GB"}
FEED = "feed.xml"  # the Atom feed of each language, in that language's root (/feed.xml, /en/feed.xml)


@dataclass(frozen=True)
class Alternate:
    language: str  # a BCP 47 code, or x-default
    url: str


@dataclass(frozen=True)
class HeadMeta:
    title: str  # the document title: "<page> - <site>", or the site name on a home page
    page_title: str
    site_name: str
    description: str
    language: str
    locale: str
    canonical: str
    alternates: tuple[Alternate, ...]
    image: str
    image_alt: str
    feed: str
    og_type: str


def site_root(site_url: str) -> str:
    """The configured site address with one trailing slash ("/" when none is configured)."""
    return (site_url or "/").rstrip("/") + "/"


def absolute(site_url: str, path: str) -> str:
    """`path` (relative to the site root, with or without a leading slash or the site's own path) made absolute."""
    root = site_root(site_url)
    base_path = urlsplit(root).path
    path = path.lstrip("/") if not path.startswith(base_path) or base_path == "/" else path[len(base_path) :]
    return urljoin(root, path.lstrip("/"))


def alternates(site_url: str, links: Iterable[Mapping[str, str]], default_language: str) -> tuple[Alternate, ...]:
    """The page in every language (mkdocs-static-i18n's `extra.alternate`), absolute, plus x-default."""
    found = tuple(Alternate(str(link["lang"]), absolute(site_url, str(link["link"]))) for link in links if link.get("lang"))
    default = next((alternate for alternate in found if alternate.language == default_language), None)
    return (*found, Alternate("x-default", default.url)) if default else found


def _plain(value: str | None) -> str:
    """The text itself: front matter reaches templates escaped (`pagemeta.py`); the head's template escapes once."""
    return value.unescape() if isinstance(value, Markup) else (value or "")


def head_meta(
    *,
    site_url: str,
    site_name: str,
    page_url: str,
    page_title: str | None,
    is_home: bool,
    description: str,
    language: str,
    default_language: str,
    links: Iterable[Mapping[str, str]],
    image_alt: str,
) -> HeadMeta:
    prefix = language_prefix(language, default_language)
    title, description = _plain(page_title).strip(), _plain(description)
    return HeadMeta(
        title=site_name if is_home or not title else f"{title} - {site_name}",
        page_title=title or site_name,
        site_name=site_name,
        description=" ".join(description.split()),
        language=language,
        locale=OG_LOCALES.get(language, language),
        canonical=absolute(site_url, page_url),
        alternates=alternates(site_url, links, default_language),
        image=absolute(site_url, OG_IMAGE),
        image_alt=image_alt,
        feed=absolute(site_url, prefix + FEED),
        og_type="website" if is_home else "article",
    )


def page_sitemap(site_url: str, page_url: str, links: Iterable[Mapping[str, str]], default_language: str) -> str:
    """A one-page sitemap for the folder of a page.

    Material's language selector fetches `sitemap.xml` next to every `<link rel="alternate">` of a page
    (to keep the reader on the same page across languages); with absolute, per-page alternates that is
    the page's own folder. This file answers that request instead of a 404.
    """
    tags = "".join(
        f'<xhtml:link rel="alternate" hreflang={quoteattr(alternate.language)} href={quoteattr(alternate.url)}/>'
        for alternate in alternates(site_url, links, default_language)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        f"<url><loc>{escape(absolute(site_url, page_url))}</loc>{tags}</url></urlset>\n"
    )


class PageSitemaps:
    """Each page's one-page sitemap (`page_sitemap`), kept until its language's pages are written and then
    written next to them: their folders exist by then, so no folder is made twice (2,000 pages: 2,000 fewer
    `mkdir` calls)."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, str]] = []

    def add(self, site_dir: Path, dest_uri: str, text: str) -> None:
        """Keep `text` for sitemap.xml next to the page at `dest_uri`, except at the site root (MkDocs's own)."""
        folder = PurePosixPath(dest_uri).parent
        if folder != PurePosixPath(".") and dest_uri.endswith("index.html"):
            self._pending.append((site_dir.joinpath(*folder.parts, "sitemap.xml"), text))

    def write(self) -> None:
        for target, text in self._pending:
            if not target.parent.is_dir():  # a page another plugin kept from being written
                target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self._pending.clear()
