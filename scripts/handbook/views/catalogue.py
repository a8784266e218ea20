"""The catalogue: the one facet table, facet counts, related practices, the coverage matrix and catalogue records.

Pure functions over the typed model; nothing here knows about MkDocs.
"""

from __future__ import annotations

import datetime
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from handbook.content.model import Practice, PracticeFacts
from handbook.content.municipalities import provinces_of
from handbook.content.schema import json_schema, schema_fields
from handbook.content.vocabulary import Vocabularies
from handbook.urls import DEFAULT_LANGUAGE, practice_url


@dataclass(frozen=True)
class Facet:
    """A filter of the catalogue: its URL parameter, its field and (if any) its vocabulary.

    The one table of facets: the catalogue filters, the metadata card's links, `handbook new`'s options
    and the issue form's choices all read it.
    """

    param: str
    field: str  # a field of the facts, or of a part of them (`review.status`)
    vocabulary: str | None
    label_key: str  # key in the interface labels
    many: bool = True  # a list of values (False: one value, such as the status)
    derived: Callable[[PracticeFacts], list[str]] | None = None  # not a field of practice.yml: its values follow from others
    searched: bool = False  # its labels are search words of the practice's page (`views/practice.search_words`)

    def values(self, practice: Practice) -> list[str]:
        if self.derived is not None:
            return self.derived(practice.facts)
        value: Any = practice.facts
        for name in self.field.split("."):
            value = getattr(value, name)
        if value is None:
            return []
        return list(value) if isinstance(value, list | tuple) else [value]


# `searched`: the facets of what a practice is about and for whom, whose labels a reader searches for ("gezinnen").
# Not the kind (a search result's tag), the municipalities (indexed as the card's text), the provinces (a
# province named as its capital would give every practice of the province for the city) or the quality facets
# ("Geen evaluatie bekend" would make "evaluatie" find every practice).
FACETS: tuple[Facet, ...] = (
    Facet("kind", "kind", "kinds", "kind", many=False),
    Facet("theme", "themes", "themes", "themes", searched=True),
    Facet("pillar", "pillars", "pillars", "pillars", searched=True),
    Facet("level", "prevention_levels", "prevention_levels", "prevention_levels", searched=True),
    Facet("group", "target_groups", "target_groups", "target_groups", searched=True),
    Facet("domain", "policy_domains", "policy_domains", "policy_domains", searched=True),
    Facet("province", "provinces", "provinces", "provinces", derived=lambda facts: provinces_of(facts.municipalities)),
    Facet("municipality", "municipalities", None, "municipalities"),
    Facet("status", "status", "statuses", "status", many=False),
    Facet("evidence", "evidence_level", "evidence_levels", "evidence_level", many=False),
    Facet("review", "review.status", "review_statuses", "review_status", many=False),
)
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}
FACETS_BY_FIELD = {facet.field: facet for facet in FACETS}
DERIVED_FACETS = tuple(facet for facet in FACETS if facet.derived is not None)


@dataclass(frozen=True)
class Sort:
    """An order of the catalogue: its value of `sort` in the URL and its label; the first is the default."""

    key: str
    label_key: str  # key in the interface labels


SORTS: tuple[Sort, ...] = (Sort("title", "sort_title"), Sort("newest", "sort_newest"), Sort("reviewed", "sort_reviewed"))
SORT_PARAM = "sort"


def last_change(practice: Practice, updated: Mapping[str, datetime.date]) -> datetime.date | None:
    """The last commit that touched the practice; without git history (a copy) its last review or the last day its
    sources were read; None if none of these is known."""
    if practice.id in updated:
        return updated[practice.id]
    known = [practice.facts.review.last_reviewed, *(source.accessed for source in practice.facts.sources)]
    return max(filter(None, known), default=None)


def sort_ranks(practices: Sequence[Practice], language: str, updated: Mapping[str, datetime.date]) -> dict[str, dict[str, int]]:
    """Each practice's place (0 = first) in every order of `SORTS` but the default (the list is in title order).

    Newest: the last change first; last reviewed: the latest review first. Practices without that date come
    last, and ties keep the title order."""
    by_title = sort_practices(practices, language)

    def newest_first(date: datetime.date | None) -> int:
        return -date.toordinal() if date else 1

    keys: dict[str, Callable[[Practice], int]] = {
        "newest": lambda practice: newest_first(last_change(practice, updated)),
        "reviewed": lambda practice: newest_first(practice.facts.review.last_reviewed),
    }
    ranks: dict[str, dict[str, int]] = {practice.id: {} for practice in by_title}
    for sort in SORTS[1:]:
        for rank, practice in enumerate(sorted(by_title, key=keys[sort.key])):  # sorted() is stable: ties by title
            ranks[practice.id][sort.key] = rank
    return ranks


# Weights of shared terms when computing related practices.
RELATEDNESS_WEIGHTS = {"themes": 3, "pillars": 2, "target_groups": 1}


def facet_counts(practices: Iterable[Practice], facet: Facet) -> Counter[str]:
    counts: Counter[str] = Counter()
    for practice in practices:
        counts.update(set(facet.values(practice)))
    return counts


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class FacetView:
    param: str
    label: str
    options: list[FacetOption]


def facet_views(practices: Sequence[Practice], vocabularies: Vocabularies, language: str, labels: Callable[[str], str]) -> list[FacetView]:
    """Every facet with all its options and their counts; vocabulary order, free values sorted."""
    views = []
    for facet in FACETS:
        counts = facet_counts(practices, facet)
        if facet.vocabulary:
            vocabulary = vocabularies[facet.vocabulary]
            options = [FacetOption(term.key, term.label(language), counts[term.key]) for term in vocabulary]
        else:
            options = [FacetOption(value, value, counts[value]) for value in sorted(counts, key=str.casefold)]
        views.append(FacetView(facet.param, labels(facet.label_key), options))
    return views


def related_practices(practices: Sequence[Practice], limit: int = 4) -> dict[str, list[tuple[str, bool]]]:
    """For each practice: its declared related ids, then the most similar others by shared terms.

    Returns `id -> [(related_id, declared)]`. Computed through an inverted index, so the cost grows with
    the number of shared terms rather than with the square of the number of practices.
    """
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for practice in practices:
        for field in RELATEDNESS_WEIGHTS:
            for value in set(getattr(practice.facts, field)):  # a value written twice counts once
                postings[(field, value)].append(practice.id)
    result: dict[str, list[tuple[str, bool]]] = {}
    for practice in practices:
        declared = list(dict.fromkeys(practice.facts.related))
        scores: Counter[str] = Counter()
        for field, weight in RELATEDNESS_WEIGHTS.items():
            for value in set(getattr(practice.facts, field)):
                for _ in range(weight):  # Counter.update counts in C: much faster than adding weights in Python
                    scores.update(postings[(field, value)])
        scores.pop(practice.id, None)
        for other in declared:
            scores.pop(other, None)
        wanted = max(0, limit - len(declared))
        computed = [other for other, _ in heapq.nsmallest(wanted, scores.items(), key=lambda item: (-item[1], item[0]))]
        result[practice.id] = [(other, True) for other in declared] + [(other, False) for other in computed]
    return result


@dataclass(frozen=True)
class CoverageCell:
    count: int
    query: str  # catalogue query string for this cell


@dataclass(frozen=True)
class CoverageRow:
    key: str
    label: str
    cells: list[CoverageCell]
    total: int


def coverage_matrix(
    practices: Sequence[Practice], vocabularies: Vocabularies, language: str
) -> tuple[list[tuple[str, str]], list[CoverageRow]]:
    """Policy domain × prevention level: how many practices fall in each cell."""
    levels = [(term.key, term.label(language)) for term in vocabularies["prevention_levels"]]
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for practice in practices:
        for domain in set(practice.facts.policy_domains):
            totals[domain] += 1
            for level in set(practice.facts.prevention_levels):
                counts[(domain, level)] += 1
    rows = []
    for term in vocabularies["policy_domains"]:
        cells = [CoverageCell(counts[(term.key, level)], f"?domain={term.key}&level={level}") for level, _ in levels]
        rows.append(CoverageRow(term.key, term.label(language), cells, totals[term.key]))
    return levels, rows


# The published record of a practice (`practice_record`): these fields first, then every field of the facts.
RECORD_FIELDS = ("id", "title", "summary", "url", "language", "fallback")
LIST_SEPARATOR = " | "  # the values of a list in one cell of the CSV (the JSON keeps them as a list)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may take a cell starting so as a formula (OWASP)


def practice_record(practice: Practice, language: str, default_language: str = DEFAULT_LANGUAGE, base: str = "/") -> dict[str, Any]:
    """One practice as published data: text in `language` (or the fallback) and every schema field."""
    translation = practice.text_in(language)
    values = (
        practice.id,
        translation.text.title,
        translation.text.summary,
        practice_url(practice.id, language, default_language, base),
        translation.language,
        translation.language != language,
    )
    record: dict[str, Any] = dict(zip(RECORD_FIELDS, values, strict=True))
    for name, value in practice.facts.model_dump(mode="json").items():
        record.setdefault(name, value)
    for facet in DERIVED_FACETS:  # not fields of practice.yml: their values follow from others (the provinces)
        record[facet.field] = facet.values(practice)
    return record


def record_columns(vocabularies: Vocabularies) -> list[str]:
    """The columns of the CSV: the record's fields in the JSON's order, a part of an object as `parent.child`
    (`review.status`, `sources.title`, `links.label.nl`), from the one schema declaration."""

    def columns(schema: dict[str, Any], prefix: str, definitions: dict[str, Any]) -> list[str]:
        names = []
        for field in schema_fields(schema, definitions):
            if field.object_items:
                names += columns(field.items, f"{prefix}{field.name}.", definitions)
            else:
                names.append(prefix + field.name)
        return names

    schema = json_schema(PracticeFacts, vocabularies)
    facts = [name for name in columns(schema, "", schema.get("$defs", {})) if name.split(".")[0] not in RECORD_FIELDS]
    return [*RECORD_FIELDS, *facts, *(facet.field for facet in DERIVED_FACETS)]


def record_cell(record: dict[str, Any], column: str) -> str:
    """One cell of the CSV: a list's values joined with `LIST_SEPARATOR` (the n-th value of `sources.title` and
    of `sources.url` belong to the same source), true/false, '' for nothing; a cell that a spreadsheet would
    take as a formula starts with an apostrophe."""

    def text(value: Any, path: Sequence[str]) -> str:
        if isinstance(value, list):
            return LIST_SEPARATOR.join(text(item, path) for item in value)
        if path:
            return text(value.get(path[0]) if isinstance(value, dict) else None, path[1:])
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    cell = text(record, column.split("."))
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def sort_practices(practices: Iterable[Practice], language: str) -> list[Practice]:
    return sorted(practices, key=lambda practice: practice.text_in(language).text.title.casefold())
