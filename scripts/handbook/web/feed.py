"""The Atom feed of new and updated practices, one per language, built from the content model.

A feed plugin cannot see the practice pages (they are generated in memory and have no source file with a
git history), so the feed is built here from what the catalogue shows: each practice's title and summary
in the reader's language (or the other language as fallback, marked with xml:lang) and its last change.
Pure: the same content gives the same bytes (no build time in the feed), so builds stay reproducible.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from handbook.content.model import REVIEWED, Practice
from handbook.content.vocabulary import Vocabulary
from handbook.urls import DEFAULT_LANGUAGE, PRACTICES, language_prefix
from handbook.views.catalogue import last_change
from handbook.views.labels import interface_labels
from handbook.web.head import FEED, absolute

FEED_SIZE = 30  # the newest practices; the catalogue lists them all


@dataclass(frozen=True)
class FeedEntry:
    practice_id: str
    title: str
    summary: str
    text_language: str
    url: str
    updated: datetime.date
    review: str = REVIEWED  # the review status (vocabulary review_statuses); anything but reviewed is a draft

    @property
    def draft(self) -> bool:
        return self.review != REVIEWED


def newest_entries(
    practices: Sequence[Practice],
    updated: Mapping[str, datetime.date],
    language: str,
    default_language: str,
    site_url: str,
    limit: int = FEED_SIZE,
) -> list[FeedEntry]:
    """The practices changed most recently first (ties by id, so the order is stable)."""
    prefix = language_prefix(language, default_language)
    entries = []
    for practice in practices:
        text, changed = practice.text_in(language), last_change(practice, updated)
        if changed is None:  # no known date (no git history, never reviewed): not in the feed
            continue
        entries.append(
            FeedEntry(
                practice.id,
                text.text.title,
                text.text.summary,
                text.language,
                absolute(site_url, f"{prefix}{PRACTICES}/{practice.id}/"),
                changed,
                practice.facts.review.status,
            )
        )
    entries.sort(key=lambda entry: (-entry.updated.toordinal(), entry.practice_id))
    return entries[:limit]


def home_entries(entries: Sequence[FeedEntry], limit: int) -> list[FeedEntry]:
    """What the home page lists: the reviewed practices first, then the drafts, each newest first. A draft is never
    shown above a reviewed practice; the template puts its label in its title line."""
    return sorted(entries, key=lambda entry: entry.draft)[:limit]  # a stable sort keeps the newest first in each group


def home_view(entries: Sequence[FeedEntry], review_statuses: Vocabulary, language: str) -> dict[str, Any]:
    """The home page's list (`overrides/home.html`): each entry with its review label when it is a draft, and whether
    every one shown is a draft (the heading then says so)."""
    items = [
        {
            "practice_id": entry.practice_id,
            "title": entry.title,
            "summary": entry.summary,
            "text_language": entry.text_language,
            "draft_label": review_statuses.label(entry.review, language) if entry.draft else "",
        }
        for entry in entries
    ]
    return {"entries": items, "all_drafts": bool(entries) and all(entry.draft for entry in entries)}


def _stamp(date: datetime.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def atom_feed(
    entries: Sequence[FeedEntry],
    *,
    title: str,
    subtitle: str,
    language: str,
    feed_url: str,
    catalogue_url: str,
    author: str,
) -> str:
    """An Atom 1.0 document (RFC 4287); every text is escaped."""
    updated = max((entry.updated for entry in entries), default=datetime.date(2000, 1, 1))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(language)}>',
        f"  <id>{escape(feed_url)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(subtitle)}</subtitle>",
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{escape(author)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(catalogue_url)}/>',
    ]
    for entry in entries:
        lang = f" xml:lang={quoteattr(entry.text_language)}" if entry.text_language != language else ""
        lines += [
            f"  <entry{lang}>",
            f"    <id>{escape(entry.url)}</id>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <updated>{_stamp(entry.updated)}</updated>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(entry.url)}/>',
            f"    <summary>{escape(entry.summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def language_feed(practices: Sequence[Practice], updated: Mapping[str, datetime.date], language: str, site_url: str, site_name: str) -> str:
    """The whole feed of one language, with its title from the interface labels."""
    prefix = language_prefix(language)
    entries = newest_entries(practices, updated, language, DEFAULT_LANGUAGE, site_url)
    return atom_feed(
        entries,
        title=interface_labels()["feed_title"][language],
        subtitle=site_name,
        language=language,
        feed_url=absolute(site_url, prefix + FEED),
        catalogue_url=absolute(site_url, f"{prefix}{PRACTICES}/"),
        author=site_name,
    )
