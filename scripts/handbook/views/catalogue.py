"""The catalogue: the one facet table, facet counts, related practices, the coverage matrix and catalogue records.

Pure functions over the typed model; nothing here knows about MkDocs.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from handbook.content.model import Practice, PracticeFacts
from handbook.content.municipalities import provinces_of
from handbook.content.vocabulary import Vocabularies
from handbook.urls import DEFAULT_LANGUAGE, practice_url


@dataclass(frozen=True)
class Facet:
    """A filter of the catalogue: its URL parameter, its field and (if any) its vocabulary.

    The one table of facets: the catalogue filters, the metadata card's links, `handbook new`'s options
    and the issue form's choices all read it.
    """

    param: str
    field: str
    vocabulary: str | None
    label_key: str  # key in the interface labels
    many: bool = True  # a list of values (False: one value, such as the status)
    derived: Callable[[PracticeFacts], list[str]] | None = None  # not a field of practice.yml: its values follow from others

    def values(self, practice: Practice) -> list[str]:
        if self.derived is not None:
            return self.derived(practice.facts)
        value = getattr(practice.facts, self.field)
        if value is None:
            return []
        return list(value) if isinstance(value, list | tuple) else [value]


FACETS: tuple[Facet, ...] = (
    Facet("kind", "kind", "kinds", "kind", many=False),
    Facet("theme", "themes", "themes", "themes"),
    Facet("pillar", "pillars", "pillars", "pillars"),
    Facet("level", "prevention_levels", "prevention_levels", "prevention_levels"),
    Facet("group", "target_groups", "target_groups", "target_groups"),
    Facet("domain", "policy_domains", "policy_domains", "policy_domains"),
    Facet("province", "provinces", "provinces", "provinces", derived=lambda facts: provinces_of(facts.municipalities)),
    Facet("municipality", "municipalities", None, "municipalities"),
    Facet("status", "status", "statuses", "status", many=False),
)
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}
FACETS_BY_FIELD = {facet.field: facet for facet in FACETS}

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


def practice_record(practice: Practice, language: str, default_language: str = DEFAULT_LANGUAGE, base: str = "/") -> dict[str, Any]:
    """One practice as published data: text in `language` (or the fallback) and every schema field."""
    translation = practice.text_in(language)
    record: dict[str, Any] = {
        "id": practice.id,
        "title": translation.text.title,
        "summary": translation.text.summary,
        "url": practice_url(practice.id, language, default_language, base),
        "language": translation.language,
        "fallback": translation.language != language,
    }
    for name, value in practice.facts.model_dump(mode="json").items():
        record.setdefault(name, value)
    record["provinces"] = provinces_of(practice.facts.municipalities)  # derived: not a field of practice.yml
    return record


def catalogue_records(
    practices: Sequence[Practice], language: str, default_language: str = DEFAULT_LANGUAGE, base: str = "/"
) -> list[dict[str, Any]]:
    return [practice_record(practice, language, default_language, base) for practice in sort_practices(practices, language)]


def sort_practices(practices: Iterable[Practice], language: str) -> list[Practice]:
    return sorted(practices, key=lambda practice: practice.text_in(language).text.title.casefold())
