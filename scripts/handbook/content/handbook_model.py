"""The handbook model: one definition per file `handbooks/<id>.yml`, a study day or a collection of practices.

A definition holds the texts per language, the facts of the study day (date, venue, organisers), the
programme (sessions and workshops linked to practices) and an optional selection by filter. Loading is
in `handbook_loading`, which practices a handbook holds in `handbook_selection`, its pages in
`handbook_views`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from handbook.content.model import (
    Pillar,
    PolicyDomain,
    PreventionLevel,
    Province,
    Slug,
    StrictModel,
    TargetGroup,
    Text,
    Theme,
    described,
    rule_error,
)
from handbook.content.yaml_reader import line_of
from handbook.messages import N_

TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(-([01]\d|2[0-3]):[0-5]\d)?$"

TimeSlot = Annotated[str, Field(pattern=TIME_PATTERN)]


class BilingualText(StrictModel):
    """A text given in both languages: a handbook is published in each of them."""

    nl: Text = described("Dutch text.", "Nederlandse tekst.")
    en: Text = described("English text.", "Engelse tekst.")

    def get(self, language: str) -> str:
        return str(getattr(self, language))


class PracticeLinks(StrictModel):
    """The practices a programme item presents: by id, by theme, or both."""

    practices: list[Slug] = described(
        "Ids of the practices presented, in this order.", "Sleutels van de voorgestelde praktijken, in deze volgorde.", default_factory=list
    )
    themes: list[Theme] = described(
        "Themes: every practice with one of them is presented (after the ids, by title).",
        "Thema's: elke praktijk met een ervan wordt voorgesteld (na de sleutels, op titel).",
        default_factory=list,
    )


class ProgrammeItem(PracticeLinks):
    title: BilingualText = described("Title per language.", "Titel per taal.")
    description: BilingualText | None = described("A short description per language.", "Een korte beschrijving per taal.", default=None)
    time: TimeSlot | None = described(
        'Time as quoted text, "HH:MM" or "HH:MM-HH:MM"; leave out when unknown.',
        'Tijd als tekst tussen aanhalingstekens, "UU:MM" of "UU:MM-UU:MM"; weglaten als ze niet gekend is.',
        default=None,
    )
    room: Text | None = described("Room; leave out when unknown.", "Zaal; weglaten als ze niet gekend is.", default=None)
    speakers: list[Text] = described(
        "Speakers; leave out when unknown.", "Sprekers; weglaten als ze niet gekend zijn.", default_factory=list
    )


class Workshop(ProgrammeItem):
    @model_validator(mode="after")
    def _linked(self) -> Workshop:
        if not self.practices and not self.themes:
            raise rule_error("links", N_("a workshop presents practices: give 'practices' (ids), 'themes' or both"))
        return self


class Session(ProgrammeItem):
    workshops: list[Workshop] = described(
        "Workshops held in parallel during this session.", "Workshops die tijdens deze sessie naast elkaar lopen.", default_factory=list
    )


class Selection(StrictModel):
    """Practices chosen by filter: all of them, or those matching every given facet (any value within one)."""

    all: bool = described("Every practice of the handbook.", "Alle praktijken van het handboek.", default=False)
    themes: list[Theme] = described("Themes.", "Thema's.", default_factory=list)
    pillars: list[Pillar] = described("Elements of the integral approach.", "Elementen van de integrale aanpak.", default_factory=list)
    prevention_levels: list[PreventionLevel] = described("Prevention levels.", "Preventieniveaus.", default_factory=list)
    target_groups: list[TargetGroup] = described("Target groups.", "Doelgroepen.", default_factory=list)
    policy_domains: list[PolicyDomain] = described("Policy domains.", "Beleidsdomeinen.", default_factory=list)
    provinces: list[Province] = described("Provinces.", "Provincies.", default_factory=list)
    events: list[Slug] = described(
        "Events: the practices that list one of them under 'presented_at' (with the source that says so).",
        "Evenementen: de praktijken die er een van vermelden onder 'presented_at' (met de bron die dat zegt).",
        default_factory=list,
    )

    def facets(self) -> dict[str, list[str]]:
        """The filters in use: practice field -> allowed values."""
        names = ("themes", "pillars", "prevention_levels", "target_groups", "policy_domains", "provinces", "events")
        return {name: list(getattr(self, name)) for name in names if getattr(self, name)}

    @model_validator(mode="after")
    def _one_kind(self) -> Selection:
        if self.all and self.facets():
            raise rule_error("selection", N_("'all: true' selects every practice: leave out the other filters"))
        if not self.all and not self.facets():
            raise rule_error("selection", N_("give 'all: true' or at least one filter (themes, pillars, …)"))
        return self


class HandbookDefinition(BaseModel):
    """A study day or collection of practices, `handbooks/<id>.yml`: the source of an event page and a PDF per language."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="Handbook (handbooks/<id>.yml)")

    id: Slug = described(
        "Stable identifier; equals the file name and gives the URL.", "Vaste sleutel; gelijk aan de bestandsnaam en bepaalt de URL."
    )
    title: BilingualText = described("Title per language.", "Titel per taal.")
    subtitle: BilingualText | None = described("Subtitle per language.", "Ondertitel per taal.", default=None)
    date: datetime.date | None = described(
        "Date of the event, YYYY-MM-DD.", "Datum van het evenement, JJJJ-MM-DD.", default=None, strict=False
    )
    venue: Text | None = described("Where the event took place.", "Waar het evenement plaatsvond.", default=None)
    organisers: list[Text] = described("Organising bodies.", "Organiserende organisaties.", default_factory=list)
    introduction: BilingualText | None = described("Introduction per language (Markdown).", "Inleiding per taal (Markdown).", default=None)
    programme: list[Session] = described("Sessions, in order.", "Sessies, in volgorde.", default_factory=list)
    selection: Selection | None = described(
        "Further practices, chosen by filter (after those of the programme).",
        "Verdere praktijken, gekozen met filters (na die van het programma).",
        default=None,
    )
    appendix: list[Annotated[str, Field(pattern=r"^[a-z0-9-]+(/[a-z0-9-]+)*$")]] = described(
        "Pages under docs/ printed after the practices, such as templates: their path without language and .md.",
        "Pagina's onder docs/ die na de praktijken worden afgedrukt, zoals sjablonen: hun pad zonder taal en .md.",
        default_factory=list,
    )

    def links_practices(self) -> bool:
        return bool(self.selection) or any(session.practices or session.themes or session.workshops for session in self.programme)


@dataclass(frozen=True)
class Handbook:
    """A validated definition with the line of every value in its file (for cross-file problems)."""

    definition: HandbookDefinition
    path: Path
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.definition.id

    def line_of(self, *loc: str | int) -> int:
        return line_of(self.lines, loc)

    def title(self, language: str) -> str:
        return self.definition.title.get(language)
