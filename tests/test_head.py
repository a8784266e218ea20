"""Unit tests of handbook.head (canonical, hreflang, Open Graph, the per-page sitemap) and handbook.feed."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from handbook.web.feed import FeedEntry, atom_feed, last_change, newest_entries
from handbook.web.head import Alternate, HeadMeta, absolute, alternates, head_meta, page_sitemap, site_root
from support import make_practice

SITE = "https://example.org/handboek/"
LINKS = [{"lang": "nl", "link": "/praktijken/a/"}, {"lang": "en", "link": "/en/praktijken/a/"}]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("site_url", "path", "expected"),
    [
        ("https://example.org/handboek/", "praktijken/a/", "https://example.org/handboek/praktijken/a/"),
        ("https://example.org/handboek", "/en/", "https://example.org/handboek/en/"),
        ("https://example.org/handboek/", "/handboek/en/x/", "https://example.org/handboek/en/x/"),
        ("https://example.org/", "", "https://example.org/"),
        ("", "x/", "/x/"),
    ],
)
def test_absolute(site_url: str, path: str, expected: str) -> None:
    assert absolute(site_url, path) == expected


def test_site_root() -> None:
    assert site_root("https://example.org") == "https://example.org/"
    assert site_root("") == "/"


def test_alternates_are_absolute_with_x_default() -> None:
    assert alternates(SITE, LINKS, "nl") == (
        Alternate("nl", "https://example.org/handboek/praktijken/a/"),
        Alternate("en", "https://example.org/handboek/en/praktijken/a/"),
        Alternate("x-default", "https://example.org/handboek/praktijken/a/"),
    )
    assert alternates(SITE, [{"lang": "en", "link": "/en/"}], "nl") == (Alternate("en", "https://example.org/handboek/en/"),)


def meta(**changes: object) -> HeadMeta:
    arguments: dict[str, object] = {
        "site_url": SITE, "site_name": "Handbook", "page_url": "en/praktijken/a/", "page_title": "A <b>&</b> B",
        "is_home": False, "description": "  One\n  summary.  ", "language": "en", "default_language": "nl",
        "links": LINKS, "image_alt": "Mark",
    }  # fmt: skip
    arguments.update(changes)
    return head_meta(**arguments)  # type: ignore[arg-type]


def test_head_meta_of_a_page() -> None:
    result = meta()
    assert result.title == "A <b>&</b> B - Handbook"  # the template escapes it
    assert result.description == "One summary."
    assert result.canonical == "https://example.org/handboek/en/praktijken/a/"
    assert result.feed == "https://example.org/handboek/en/feed.xml"
    assert result.image == "https://example.org/handboek/assets/handbook-og.png"
    assert (result.locale, result.og_type) == ("en_GB", "article")


def test_head_meta_of_the_home_page() -> None:
    result = meta(is_home=True, page_url="", language="nl")
    assert (result.title, result.og_type, result.feed) == ("Handbook", "website", "https://example.org/handboek/feed.xml")


def test_page_sitemap_is_valid_and_escaped() -> None:
    text = page_sitemap(SITE, "praktijken/a&b/", [{"lang": "nl", "link": "/praktijken/a&b/"}], "nl")
    root = ET.fromstring(text)
    assert root.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}url/{http://www.sitemaps.org/schemas/sitemap/0.9}loc") == (
        "https://example.org/handboek/praktijken/a&b/"
    )
    hreflangs = [link.get("hreflang") for link in root.iter("{http://www.w3.org/1999/xhtml}link")]
    assert hreflangs == ["nl", "x-default"]


def test_newest_entries_order_and_fallback_language() -> None:
    older = make_practice("oud", languages=("nl",))
    newer = make_practice("nieuw", languages=("nl", "en"))
    updated = {"oud": datetime.date(2026, 1, 1), "nieuw": datetime.date(2026, 6, 1)}
    entries = newest_entries([older, newer], updated, "en", "nl", SITE)
    assert [entry.practice_id for entry in entries] == ["nieuw", "oud"]
    assert [entry.text_language for entry in entries] == ["en", "nl"]
    assert entries[0].url == "https://example.org/handboek/en/praktijken/nieuw/"
    assert newest_entries([older, newer], updated, "en", "nl", SITE, limit=1) == entries[:1]


def test_last_change_is_git_then_review_then_sources_read() -> None:
    reviewed = make_practice("xyz", review={"status": "reviewed", "last_reviewed": datetime.date(2026, 3, 1)})
    assert last_change(reviewed, {}) == datetime.date(2026, 3, 1)
    assert last_change(reviewed, {"xyz": datetime.date(2100, 1, 1)}) == datetime.date(2100, 1, 1)
    read = make_practice(
        "abc",
        review={"status": "draft"},
        sources=[
            {"title": "Een", "url": "https://example.org/1", "accessed": datetime.date(2026, 2, 1)},
            {"title": "Twee", "url": "https://example.org/2", "accessed": datetime.date(2026, 4, 1)},
        ],
    )
    assert last_change(read, {}) == datetime.date(2026, 4, 1)
    unknown = make_practice("def", review={"status": "draft"}, sources=[{"title": "Boek", "publisher": "Uitgever", "published": "2019"}])
    assert last_change(unknown, {}) is None
    assert newest_entries([unknown], {}, "nl", "nl", SITE) == []  # no known date: not in the feed


def test_atom_feed_is_well_formed_and_escaped() -> None:
    entry = FeedEntry("a", "A <script> & co", "Sum & <mary>", "nl", "https://example.org/praktijken/a/", datetime.date(2026, 5, 4))
    text = atom_feed([entry], title="T & t", subtitle="S", language="en", feed_url="https://example.org/en/feed.xml",
                     catalogue_url="https://example.org/en/praktijken/", author="Handbook")  # fmt: skip
    root = ET.fromstring(text)
    assert root.findtext(f"{ATOM}title") == "T & t"
    assert root.findtext(f"{ATOM}updated") == "2026-05-04T00:00:00Z"
    item = root.find(f"{ATOM}entry")
    assert item is not None
    assert item.findtext(f"{ATOM}title") == "A <script> & co"
    assert item.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"  # a fallback text says its language
    assert "<script>" not in text


def test_empty_feed_has_a_fixed_date() -> None:
    text = atom_feed([], title="T", subtitle="S", language="nl", feed_url="u", catalogue_url="c", author="a")
    assert ET.fromstring(text).findtext(f"{ATOM}updated") == "2000-01-01T00:00:00Z"
