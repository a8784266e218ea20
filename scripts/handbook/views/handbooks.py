"""The handbook pages: one page per handbook and language, the list of all handbooks, and their views.

The pages are generated Markdown (front matter only); `overrides/handbook.html` and
`overrides/handbooks.html` show the views built here. Nothing here knows about MkDocs or WeasyPrint.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from handbook.content.handbook_model import Handbook, ProgrammeItem
from handbook.content.model import Practice
from handbook.content.vocabulary import Vocabularies
from handbook.markdown_render import MarkdownSettings, render_markdown
from handbook.urls import HANDBOOKS_INDEX, LANGUAGES, PRACTICES_FROM_HANDBOOK, pdf_href
from handbook.views.labels import format_date, format_size, handbook_label, handbook_labels
from handbook.views.pages import GeneratedFile, page
from handbook.views.selection import handbook_practices, linked_practices


def format_time(time: str | None) -> str:
    return (time or "").replace("-", "\u2013")


@dataclass(frozen=True)
class PdfInfo:
    """A built PDF of a handbook: its link from the handbook page and its size in bytes."""

    url: str
    size: int


def handbook_titles(handbooks: Iterable[Handbook], language: str) -> dict[str, str]:
    """Handbook id -> title, for the 'presented at' list of a practice page."""
    return {handbook.id: handbook.title(language) for handbook in handbooks}


def handbook_pages(handbooks: Iterable[Handbook], languages: Sequence[str] = LANGUAGES) -> list[GeneratedFile]:
    """One page per handbook and language, for the generated `studiedagen/` folder."""
    files = []
    for handbook in handbooks:
        for language in languages:
            subtitle = handbook.definition.subtitle
            front_matter: dict[str, Any] = {"template": "handbook.html", "title": handbook.title(language), "handbook": handbook.id}
            if subtitle:
                front_matter["description"] = subtitle.get(language)
            files.append(GeneratedFile(f"{handbook.id}.{language}.md", page(front_matter)))
    return files


def _practice_links(practices: Sequence[Practice], language: str) -> list[dict[str, Any]]:
    links = []
    for practice in practices:
        translation = practice.text_in(language)
        links.append(
            {
                "id": practice.id,
                "title": translation.text.title,
                "url": f"{PRACTICES_FROM_HANDBOOK}{practice.id}/",
                "lang": translation.language if translation.language != language else None,
            }
        )
    return links


def _item_view(item: ProgrammeItem, practices: Mapping[str, Practice], vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    return {
        "title": item.title.get(language),
        "description": item.description.get(language) if item.description else None,
        "time": format_time(item.time),
        "room": item.room or "",
        "speakers": list(item.speakers),
        "themes": [vocabularies["themes"].label(key, language) for key in item.themes],
        "practices": _practice_links(linked_practices(item, practices, language), language),
    }


def programme_view(handbook: Handbook, practices: Mapping[str, Practice], vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    """Sessions with their workshops, and which optional columns (time, room, speakers) have any value."""
    sessions = []
    for session in handbook.definition.programme:
        view = _item_view(session, practices, vocabularies, language)
        view["workshops"] = [_item_view(workshop, practices, vocabularies, language) for workshop in session.workshops]
        sessions.append(view)
    items = [*sessions, *(workshop for session in sessions for workshop in session["workshops"])]
    columns = {name: any(item[name] for item in items) for name in ("time", "room", "speakers")}
    return {"sessions": sessions, "columns": columns, "width": 2 + sum(columns.values())}


def handbook_view(
    handbook: Handbook,
    practices: Mapping[str, Practice],
    vocabularies: Vocabularies,
    language: str,
    pdf_info: PdfInfo | None,
    markdown: MarkdownSettings,
) -> dict[str, Any]:
    """What `overrides/handbook.html` shows: the facts, the introduction, the programme and the PDF.

    `pdf_info` is None when the PDF was not built (the plugin's `pdf` option is off). `markdown`: the site's settings for
    contributed text (`Settings.markdown.contributed`), so the introduction renders as the rest of the site.
    """
    definition = handbook.definition
    settings = markdown
    labels = handbook_labels(language)
    pdf = None
    if pdf_info is not None:
        pdf = {
            "url": pdf_info.url,
            "size": pdf_info.size,
            "size_label": labels["pdf_size"].format(size=format_size(pdf_info.size, language)),
        }
    return {
        "id": handbook.id,
        "title": definition.title.get(language),
        "subtitle": definition.subtitle.get(language) if definition.subtitle else None,
        "date": definition.date.isoformat() if definition.date else None,
        "date_label": format_date(definition.date, language) if definition.date else None,
        "venue": definition.venue,
        "organisers": list(definition.organisers),
        "introduction": render_markdown(definition.introduction.get(language), settings) if definition.introduction else "",
        "programme": programme_view(handbook, practices, vocabularies, language) if definition.programme else None,
        "practices": _practice_links(handbook_practices(handbook, practices, language), language),
        "pdf": pdf,
        "pdf_not_built": pdf is None,
        "labels": {**labels, "programme_caption": labels["programme_caption"].format(title=definition.title.get(language))},
    }


def handbooks_index_pages(languages: Sequence[str] = LANGUAGES) -> list[GeneratedFile]:
    """The list of study days and handbooks (the generated folder's index page), per language."""
    return [
        GeneratedFile(
            f"{HANDBOOKS_INDEX}.{language}.md", page({"template": "handbooks.html", "title": handbook_label("handbooks_title", language)})
        )
        for language in languages
    ]


def handbooks_index_view(handbooks: Sequence[Handbook], language: str, pdfs: Mapping[tuple[str, str], int]) -> dict[str, Any]:
    """Every handbook, dated study days first (newest first), then the others by title; with the PDF size."""
    labels = handbook_labels(language)
    ordered = sorted(
        handbooks, key=lambda h: (h.definition.date is None, -(h.definition.date or datetime.date.min).toordinal(), h.title(language))
    )
    entries = []
    for handbook in ordered:
        definition = handbook.definition
        size = pdfs.get((handbook.id, language))
        entries.append(
            {
                "title": handbook.title(language),
                "subtitle": definition.subtitle.get(language) if definition.subtitle else None,
                "url": f"{handbook.id}/",
                "date": definition.date.isoformat() if definition.date else None,
                "date_label": format_date(definition.date, language) if definition.date else None,
                "venue": definition.venue,
                "pdf": {
                    "url": f"{handbook.id}/{pdf_href(handbook.id, language)}",
                    "size_label": labels["pdf_size"].format(size=format_size(size, language)),
                }
                if size is not None
                else None,
            }
        )
    return {"entries": entries, "labels": labels}
