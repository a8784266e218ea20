"""Which practices a handbook holds: those its programme links (by id or theme), then its selection by filter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from handbook.content.handbook_model import Handbook, PracticeLinks, Selection
from handbook.content.model import Practice
from handbook.views.catalogue import FACETS_BY_FIELD, sort_practices

# `practices` below: the content's practices by id, in content order (`Content.by_id()`).


def linked_practices(links: PracticeLinks, practices: Mapping[str, Practice], language: str) -> list[Practice]:
    """The practices of one programme item: its ids in order, then its themes' practices by title."""
    chosen = [practices[practice_id] for practice_id in links.practices if practice_id in practices]
    if links.themes:
        themes = set(links.themes)
        chosen += sort_practices((practice for practice in practices.values() if themes & set(practice.facts.themes)), language)
    return _unique(chosen)


def selected_practices(selection: Selection, practices: Mapping[str, Practice], language: str) -> list[Practice]:
    """The practices matching the selection, by title in `language`."""
    facets = selection.facets()

    def matches(practice: Practice) -> bool:
        return all(set(values) & set(_values(practice, name)) for name, values in facets.items())

    return sort_practices((practice for practice in practices.values() if selection.all or matches(practice)), language)


def handbook_practices(handbook: Handbook, practices: Mapping[str, Practice], language: str) -> list[Practice]:
    """Every practice of the handbook, once: in programme order, then those of the selection."""
    definition = handbook.definition
    chosen: list[Practice] = []
    for session in definition.programme:
        chosen += linked_practices(session, practices, language)
        for workshop in session.workshops:
            chosen += linked_practices(workshop, practices, language)
    if definition.selection is not None:
        chosen += selected_practices(definition.selection, practices, language)
    return _unique(chosen)


def _values(practice: Practice, name: str) -> list[str]:
    if name == "events":  # the events a source says the practice was presented at
        return [presentation.event for presentation in practice.facts.presented_at]
    if name in FACETS_BY_FIELD and FACETS_BY_FIELD[name].derived is not None:  # the provinces, from the municipalities
        return FACETS_BY_FIELD[name].values(practice)
    value = getattr(practice.facts, name)
    return list(value) if isinstance(value, list | tuple) else ([value] if value else [])


def _unique(practices: Iterable[Practice]) -> list[Practice]:
    """The practices in order, each once (where it first appears)."""
    by_id: dict[str, Practice] = {}
    for practice in practices:
        by_id.setdefault(practice.id, practice)
    return list(by_id.values())
