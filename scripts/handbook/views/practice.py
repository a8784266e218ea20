"""What the page templates show: plain dictionaries with labels in the reader's language.

URLs are relative to the page that shows them, so the same view works on `/` and on `/en/`.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from handbook.content.model import METHOD, UNKNOWN_STATUS, Practice, PracticeFacts, PracticeText
from handbook.content.schema import json_schema, schema_fields
from handbook.content.translation import TranslationState, status_report, translation_status
from handbook.content.vocabulary import Term, Vocabularies
from handbook.urls import (
    CATALOGUE_FROM_PRACTICE,
    CSV_FROM_CATALOGUE,
    DATA_FROM_OVERVIEW,
    HANDBOOKS_FROM_PRACTICE,
    LANGUAGES,
    PRACTICES_CSV,
    PRACTICES_JSON,
    practice_in_language,
    practice_pdf_filename,
)
from handbook.views.catalogue import (
    FACETS,
    FACETS_BY_FIELD,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    SORT_PARAM,
    SORTS,
    coverage_matrix,
    facet_views,
    record_columns,
    sort_practices,
    sort_ranks,
)
from handbook.views.labels import label


def _terms(vocabularies: Vocabularies, field: str, practice: Practice, language: str) -> list[dict[str, str]]:
    """The values of a facet of the practice, each linking to the catalogue filtered on it."""
    facet = FACETS_BY_FIELD[field]
    values = facet.values(practice)
    if facet.vocabulary is None:
        return [{"label": value, "url": f"{CATALOGUE_FROM_PRACTICE}?{facet.param}={quote(value)}"} for value in values]
    vocabulary = vocabularies[facet.vocabulary]
    return [{"label": vocabulary.label(key, language), "url": f"{CATALOGUE_FROM_PRACTICE}?{facet.param}={key}"} for key in values]


# The card is not indexed as text (a search result shows the practice's text, not a list of labels), but the
# labels of its `searched` facets, its organisation and partners are the page's search words: a hidden line of
# this Pagefind weight. Weights are quadratic, so a word there counts 1/64 of one in the text: a practice found
# only by its labels ranks below those whose text has the word, and where the text has it too, Pagefind's excerpt
# is taken there (at 0.5, two labels with "gezin" outweighed "gezinsdiensten" in the text). Where a reader's words
# match only the labels, the search page shows the practice's summary (the page's metadata SUMMARY_META) instead
# of an excerpt of the line (handbook.js). Pagefind stores a weight in 24ths: 0.125 comes back exactly.
SEARCH_WORDS_WEIGHT = 0.125
SUMMARY_META = "summary"


def search_words(practice: Practice, vocabularies: Vocabularies, language: str) -> str:
    """The labels of the practice's `searched` facets in `language`, in the facet table's order, then the card's
    organisation and partners (names a reader searches for that the text often spells otherwise or not at all)."""
    labels = [term["label"] for facet in FACETS if facet.searched for term in _terms(vocabularies, facet.field, practice, language)]
    names = [practice.facts.organisation] if practice.facts.organisation else []
    return ", ".join([*labels, *names, *practice.facts.partners])


def practice_card(practice: Practice, vocabularies: Vocabularies, language: str) -> list[dict[str, Any]]:
    """The metadata card: (label, values) rows; values link to the catalogue filtered on them."""
    facts = practice.facts
    rows: list[dict[str, Any]] = []

    def add(key: str, values: list[dict[str, str]]) -> None:
        if values:
            rows.append({"label": label(key, language), "terms": values})

    add("kind", _terms(vocabularies, "kind", practice, language))
    add("municipalities", _terms(vocabularies, "municipalities", practice, language))
    add("provinces", _terms(vocabularies, "provinces", practice, language))
    add("organisation", [{"label": facts.organisation}] if facts.organisation else [])
    add("partners", [{"label": partner} for partner in facts.partners])
    for field in ("themes", "pillars", "prevention_levels", "target_groups", "policy_domains"):
        add(field, _terms(vocabularies, field, practice, language))
    if facts.start_year or facts.end_year:
        if facts.start_year and facts.end_year:
            period = f"{facts.start_year}–{facts.end_year}"
        elif facts.start_year:
            period = f"{label('since', language)} {facts.start_year}"
        else:
            period = f"– {facts.end_year}"
        add("period", [{"label": period}])
    add("status", _terms(vocabularies, "status", practice, language))
    return rows


Segment = dict[str, str]  # a piece of a sentence: its "text", and a link ("url") or a date ("datetime") if it is one


def _segments(template: str, **values: list[Segment]) -> list[Segment]:
    """A label with placeholders as a list of segments, each placeholder replaced by its own segments.

    The template prints each segment escaped (a link or a <time> where it is one), so no label or value is
    ever joined into HTML here."""
    pieces: list[Segment] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        pieces += [{"text": literal}] if literal else []
        pieces += values[name] if name is not None else []
    parts: list[Segment] = []
    for piece in pieces:
        if parts and list(parts[-1]) == list(piece) == ["text"]:  # plain text next to plain text: one segment
            parts[-1] = {"text": parts[-1]["text"] + piece["text"]}
        else:
            parts.append(piece)
    return parts


def status_segments(facts: PracticeFacts, vocabularies: Vocabularies, language: str) -> list[Segment]:
    """ "Laatst bevestigd in 2019" for an unknown status, "Afgelopen (bevestigd in 2022)" for the others; [] for a method."""
    if facts.status is None or facts.status_as_of is None:
        return []
    year = [{"text": str(facts.status_as_of.year), "datetime": str(facts.status_as_of)}]
    if facts.status == UNKNOWN_STATUS:
        return _segments(label("status_last_confirmed", language), year=year)
    status = [{"text": vocabularies["statuses"].label(facts.status, language)}]
    return _segments(label("status_confirmed", language), status=status, year=year)


def source_anchor(number: int, language: str) -> str:
    """The id of a source's entry in the page's numbered list of sources: `bron-2`, `source-2`."""
    return f"{label('source_anchor', language)}-{number}"


def status_note(facts: PracticeFacts, vocabularies: Vocabularies, language: str, anchor_prefix: str = "") -> dict[str, Any] | None:
    """The line on how current the practice is, with a link to the source that shows it: the site's page and the PDF
    both show it (`anchor_prefix`: what the PDF puts before a source's anchor, the practice's own prefix)."""
    status = status_segments(facts, vocabularies, language)
    if not status or facts.status_source is None:
        return None
    number = facts.status_source
    anchor = f"#{anchor_prefix}{source_anchor(number, language)}"
    source = [{"text": label("source_number", language).format(number=number), "url": anchor}]
    return {"key": facts.status, "parts": _segments(label("status_according_to", language), status=status, source=source)}


def _outdated_notice(practice: Practice, language: str) -> dict[str, Any] | None:
    """The page's notice that its text is a translation behind its source (as `handbook status` reports it),
    with a link to the source text's page; None when the text is current, the source or a fallback."""
    translation = practice.text_in(language)
    origin = translation.text.translation_of
    if translation.language != language or origin is None:
        return None
    if translation_status(practice).states.get(language) != TranslationState.OUTDATED:
        return None
    name = label(f"language_{origin.language}", language)
    link = {
        "text": label("outdated_source", language).format(language=name),
        "url": practice_in_language(practice.id, language, origin.language),
    }
    return {"language": origin.language, "parts": _segments(label("outdated_notice", language), language=[{"text": name}], source=[link])}


def practice_pdf_view(practice_id: str, language: str, size: int) -> dict[str, str]:
    """The link to a practice's PDF from its page (next to it), with its size in KB."""
    return {
        "url": practice_pdf_filename(practice_id, language),
        "label": label("practice_pdf", language),
        "size_label": label("practice_pdf_size", language).format(size=f"{max(1, round(size / 1024))}"),
    }


def selection_view(practices: Sequence[Practice], language: str, to_practices: str) -> dict[str, Any]:
    """What the selection page knows of the practices, so that its script checks a shared link's ids against them
    and fetches their pages: id, title and page of each, by title (`to_practices`: from the page to the practices)."""
    entries = [
        {"id": practice.id, "title": practice.text_in(language).text.title, "url": f"{to_practices}{practice.id}/"}
        for practice in practices
    ]
    return {"practices": sorted(entries, key=lambda entry: entry["title"].casefold()), "catalogue": to_practices}


def practice_view(
    practice: Practice,
    vocabularies: Vocabularies,
    language: str,
    related: Sequence[tuple[Practice, bool]],
    last_updated: datetime.date | None,
    edit_url: str | None,
    handbook_titles: dict[str, str] | None = None,
) -> dict[str, Any]:
    facts = practice.facts
    translation = practice.text_in(language)
    fallback = translation.language != language
    review = vocabularies["review_statuses"].terms[facts.review.status]
    kind = vocabularies["kinds"].terms[facts.kind]
    evidence: dict[str, str | None]
    if facts.evidence_level is not None:
        term = vocabularies["evidence_levels"].terms[facts.evidence_level]
        evidence = {"key": term.key, "label": term.label(language), "description": term.description(language)}
    else:  # a method: no evaluation level
        evidence = {"key": "not-applicable", "label": None, "description": label("no_evaluation_for_method", language)}
    return {
        "id": practice.id,
        "text_language": translation.language,
        "fallback": fallback,
        "fallback_notice": label("fallback_notice", language) if fallback else None,
        "outdated": _outdated_notice(practice, language),
        "kind": {"key": kind.key, "label": kind.label(language), "description": kind.description(language)},
        "card": practice_card(practice, vocabularies, language),
        "search_words": {"text": search_words(practice, vocabularies, language), "weight": SEARCH_WORDS_WEIGHT},
        "places": ", ".join(facts.municipalities),
        "review": {
            "key": review.key,
            "label": review.label(language),
            "description": review.description(language),
            "last_reviewed": _iso(facts.review.last_reviewed),
            "sources_checked": _iso(facts.review.sources_checked),
        },
        "evidence": evidence,
        "contact": facts.contact.model_dump() if facts.contact else None,
        "links": [{"url": link.url, "label": link.label.get(language)} for link in facts.links],
        "status": status_note(facts, vocabularies, language),
        "sources": [
            {**source.model_dump(mode="json"), "anchor": source_anchor(number, language)} for number, source in enumerate(facts.sources, 1)
        ],
        "related": [
            {
                "title": other.text_in(language).text.title,
                "url": f"../{other.id}/",
                "declared": declared,
            }
            for other, declared in related
        ],
        "presented_at": [
            {
                "id": presentation.event,
                "title": (handbook_titles or {}).get(presentation.event, presentation.event),
                "url": f"{HANDBOOKS_FROM_PRACTICE}{presentation.event}/" if presentation.event in (handbook_titles or {}) else None,
                "source": presentation.source,  # its number in the numbered list of sources
                "source_anchor": source_anchor(presentation.source, language),
            }
            for presentation in facts.presented_at
        ],
        "last_updated": _iso(last_updated or facts.review.last_reviewed),
        "edit_url": f"{edit_url.rstrip('/')}/{practice.id}/{translation.language}.md" if edit_url else None,
        "labels": {
            key: label(key, language)
            for key in (
                "practice_facts",
                "all_facts",
                "on_this_page",
                "kind",
                "municipalities",
                "evidence_level",
                "review_status",
                "last_reviewed",
                "sources_checked",
                "last_updated",
                "contact",
                "links",
                "sources",
                "related",
                "related_declared",
                "related_computed",
                "presented_at",
                "presented_at_source",
                "accessed",
                "edit",
                "selection_toggle",
                "selection_title",
            )
        },
    }


def _iso(date: datetime.date | None) -> str | None:
    return date.isoformat() if date else None


def catalogue_view(
    practices: Sequence[Practice], vocabularies: Vocabularies, language: str, updated: Mapping[str, datetime.date] | None = None
) -> dict[str, Any]:
    """The full list in title order (rendered for readers without JavaScript), every facet with its counts, and
    each entry's place in the other orders (`SORTS`), which the script applies."""
    entries = []
    ranks = sort_ranks(practices, language, updated or {})
    for practice in sort_practices(practices, language):
        translation = practice.text_in(language)
        entries.append(
            {
                "id": practice.id,
                "title": translation.text.title,
                "summary": translation.text.summary,
                "url": f"{practice.id}/",
                "text_language": translation.language,
                "fallback": translation.language != language,
                "filters": {facet.param: "|".join(facet.values(practice)) for facet in FACETS},
                "ranks": ranks[practice.id],
                "places": ", ".join(practice.facts.municipalities),
                "kind": vocabularies["kinds"].label(practice.facts.kind, language),
                "themes": [vocabularies["themes"].label(key, language) for key in practice.facts.themes],
                "status": "".join(part["text"] for part in status_segments(practice.facts, vocabularies, language)) or None,
            }
        )
    return {
        "entries": entries,
        "total": len(entries),
        "facets": facet_views(practices, vocabularies, language, lambda key: label(key, language)),
        "csv": {"href": CSV_FROM_CATALOGUE, "name": PRACTICES_CSV},
        "sort": {"param": SORT_PARAM, "options": [{"key": sort.key, "label": label(sort.label_key, language)} for sort in SORTS]},
        "labels": {
            key: label(key, language)
            for key in (
                "catalogue_intro",
                "sort_by",
                "download_csv",
                "filters",
                "apply_filters",
                "clear_filters",
                "results_count",
                "no_results",
                "any_option",
            )
        },
    }


def coverage_view(practices: Sequence[Practice], vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    levels, rows = coverage_matrix(practices, vocabularies, language)
    return {
        "levels": [{"key": key, "label": text} for key, text in levels],
        "rows": [
            {
                "label": row.label,
                "total": row.total,
                "cells": [
                    {
                        "count": cell.count,
                        "url": f"../{cell.query}",
                        "description": label("coverage_cell_one" if cell.count == 1 else "coverage_cell", language).format(
                            count=cell.count, domain=row.label, level=levels[index][1]
                        ),
                    }
                    for index, cell in enumerate(row.cells)
                ],
            }
            for row in rows
        ],
        "labels": {key: label(key, language) for key in ("coverage_intro", "coverage_caption", "coverage_total", "policy_domains")},
    }


def translation_status_view(practices: Sequence[Practice], language: str) -> dict[str, Any]:
    report = status_report(practices)
    titles = {practice.id: practice.text_in(language).text.title for practice in practices}
    complete = sum(1 for status in report if status.complete)
    return {
        "languages": [{"code": code, "label": label(f"language_{code}", language)} for code in LANGUAGES],
        "rows": [
            {
                "title": titles[status.practice_id],
                "url": f"../{status.practice_id}/",
                "states": [{"key": state.value, "label": label(f"state_{state.value}", language)} for state in status.states.values()],
            }
            for status in report
        ],
        "summary": label("status_summary", language).format(complete=complete, total=len(report)),
        "labels": {key: label(key, language) for key in ("status_intro", "status_caption", "status_practice")},
    }


def _field_rows(schema: dict[str, Any], language: str, prefix: str = "", definitions: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per field of a JSON Schema object, nested objects flattened as `parent.child`."""
    definitions = schema.get("$defs", {}) if definitions is None else definitions
    rows = []
    for field in schema_fields(schema, definitions):
        name = prefix + field.name + ("[]" if field.is_array else "")
        rows.append(
            {
                "name": name,
                "required": field.required,
                "description": field.description(language),
                "allowed": ", ".join(field.items.get("enum", [])),
            }
        )
        if field.object_items:
            rows += _field_rows(field.items, language, f"{name}.", definitions)
    return rows


def _method_wording(term: Term, language: str) -> dict[str, str] | None:
    """How a section is headed and asked on a method page, when that differs from a practice page."""
    variant = term.for_kind(METHOD)
    if variant is term:
        return None
    return {"title": variant.label(language), "question": variant.description(language)}


def fields_view(vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    """The reference of every field, generated from the one schema declaration."""
    return {
        "facts": _field_rows(json_schema(PracticeFacts, vocabularies), language),
        "text": _field_rows(json_schema(PracticeText, vocabularies), language),
        "sections": [
            {"title": term.label(language), "question": term.description(language), "method": _method_wording(term, language)}
            for term in vocabularies["sections"]
        ],
        "data": {
            "files": [{"name": name, "url": f"{DATA_FROM_OVERVIEW}{name}"} for name in (PRACTICES_JSON, PRACTICES_CSV)],
            "intro": label("fields_data_intro", language).format(
                separator=LIST_SEPARATOR, formula=", ".join(f"`{start}`" for start in FORMULA_STARTS if start.isprintable())
            ),
            "columns": record_columns(vocabularies),
        },
        "labels": {
            key: label(key, language)
            for key in (
                "fields_intro",
                "fields_facts",
                "fields_text",
                "fields_sections",
                "fields_data",
                "fields_data_columns",
                "field_name",
                "field_required",
                "field_description",
                "field_allowed",
                "field_section",
                "field_question",
                "kind_method_section",
                "answer_yes",
                "answer_no",
            )
        },
    }
