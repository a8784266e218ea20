"""Handbook definitions: one study day (or a collection) per file in `handbooks/<id>.yml`.

A definition holds the texts per language, the facts of the event, the programme and which practices
the handbook holds: those linked from the programme (by id or by theme), then an optional selection by
filter. Loading is as strict as for practices: strict YAML, a typed model, every problem as `path:line`.
Nothing here knows about MkDocs or WeasyPrint; the event page view and the PDF build on these functions.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from handbook.catalogue import sort_practices
from handbook.load import dotted, read_mapping, validate_model
from handbook.markdown_render import MKDOCS_DEFAULT_EXTENSIONS, MarkdownSettings, render_markdown
from handbook.model import (
    SLUG_PATTERN,
    Pillar,
    PolicyDomain,
    Practice,
    PreventionLevel,
    Province,
    Slug,
    StrictModel,
    TargetGroup,
    Text,
    Theme,
    described,
)
from handbook.pages import GeneratedFile, page, read_labels
from handbook.problems import Problem
from handbook.vocabulary import DEFAULT_LANGUAGE, LANGUAGES, Vocabularies

LABELS_FILE = Path(__file__).with_name("event_labels.yml")
EVENTS_PATH = "studiedagen"  # URL segment of the event pages: /studiedagen/<id>/
PRACTICES_FROM_EVENT = "../../praktijken/"  # from /studiedagen/<id>/ (and /en/studiedagen/<id>/)
EVENT_FROM_PRACTICE = f"../../{EVENTS_PATH}/"  # from /praktijken/<id>/ to /studiedagen/
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(-([01]\d|2[0-3]):[0-5]\d)?$"

TimeSlot = Annotated[str, Field(pattern=TIME_PATTERN)]


# --- the model ---------------------------------------------------------------------------------------


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
            raise PydanticCustomError("links", "a workshop presents practices: give 'practices' (ids), 'themes' or both")
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
            raise PydanticCustomError("selection", "'all: true' selects every practice: leave out the other filters")
        if not self.all and not self.facets():
            raise PydanticCustomError("selection", "give 'all: true' or at least one filter (themes, pillars, …)")
        return self


class HandbookDefinition(BaseModel):
    """A study day or collection of practices, `handbooks/<id>.yml`: the source of an event page and a PDF per language."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="Handbook (handbooks/<id>.yml)")

    id: Annotated[str, Field(pattern=SLUG_PATTERN, min_length=3, max_length=60)] = described(
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
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return 1

    def title(self, language: str) -> str:
        return self.definition.title.get(language)


# --- loading and checks ------------------------------------------------------------------------------


@dataclass
class LoadedHandbooks:
    handbooks: list[Handbook] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_id(self) -> dict[str, Handbook]:
        return {handbook.id: handbook for handbook in self.handbooks}


def handbook_files(handbooks_dir: Path) -> list[Path]:
    return sorted(handbooks_dir.glob("*.yml")) if handbooks_dir.is_dir() else []


def load_handbook(path: Path, vocabularies: Vocabularies, problems: list[Problem]) -> Handbook | None:
    """One definition, or None with its problems added (strict YAML, then the schema)."""
    document = read_mapping(path, problems, "a handbook definition")
    if document is None:
        return None
    definition = validate_model(HandbookDefinition, document, path, vocabularies, problems)
    if definition is None:
        return None
    if definition.id != path.stem:
        line = document.line_of(("id",))
        problems.append(
            Problem(path, line, f"field 'id': '{definition.id}' does not match the file name '{path.stem}'; they must be equal")
        )
        return None
    return Handbook(definition, path, document.lines)


def load_handbooks(handbooks_dir: Path, vocabularies: Vocabularies) -> LoadedHandbooks:
    loaded = LoadedHandbooks()
    for path in handbook_files(handbooks_dir):
        handbook = load_handbook(path, vocabularies, loaded.problems)
        if handbook is not None:
            loaded.handbooks.append(handbook)
    return loaded


def check_handbooks(handbooks_dir: Path, vocabularies: Vocabularies, practices: Iterable[Practice]) -> LoadedHandbooks:
    """Load every definition and check it against the practices; for `handbook check` and the build."""
    loaded = load_handbooks(handbooks_dir, vocabularies)
    known_ids = {practice.id for practice in practices}
    handbook_ids = {path.stem for path in handbook_files(handbooks_dir)}
    for handbook in loaded.handbooks:
        loaded.problems += handbook_problems(handbook, known_ids, handbook_ids)
    loaded.problems.sort()
    return loaded


def handbook_problems(handbook: Handbook, practice_ids: set[str], handbook_ids: set[str]) -> list[Problem]:
    """What only the other files can tell: unknown practice ids and events, and a handbook without practices."""
    problems = []
    if not handbook.definition.links_practices():
        problems.append(
            Problem(handbook.path, 1, "the handbook holds no practice: link practices from the 'programme' or add a 'selection'")
        )
    for loc, practice_id in _practice_references(handbook.definition):
        if practice_id not in practice_ids:
            close = difflib.get_close_matches(practice_id, sorted(practice_ids), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            message = f"field '{dotted(loc)}': no practice with id '{practice_id}' exists in practices/{hint}"
            problems.append(Problem(handbook.path, handbook.line_of(*loc), message))
    selection = handbook.definition.selection
    for index, event in enumerate(selection.events if selection else []):
        if event not in handbook_ids:
            known = ", ".join(sorted(handbook_ids))
            loc = ("selection", "events", index)
            problems.append(
                Problem(
                    handbook.path, handbook.line_of(*loc), f"field '{dotted(loc)}': no handbook '{event}' in handbooks/ (known: {known})"
                )
            )
    return problems


def _practice_references(definition: HandbookDefinition) -> list[tuple[tuple[str | int, ...], str]]:
    references: list[tuple[tuple[str | int, ...], str]] = []
    for s, session in enumerate(definition.programme):
        references += [(("programme", s, "practices", p), practice_id) for p, practice_id in enumerate(session.practices)]
        for w, workshop in enumerate(session.workshops):
            loc = ("programme", s, "workshops", w, "practices")
            references += [((*loc, p), practice_id) for p, practice_id in enumerate(workshop.practices)]
    return references


# --- which practices a handbook holds ----------------------------------------------------------------


def linked_practices(links: PracticeLinks, practices: Sequence[Practice], language: str) -> list[Practice]:
    """The practices of one programme item: its ids in order, then its themes' practices by title."""
    by_id = {practice.id: practice for practice in practices}
    chosen = [by_id[practice_id] for practice_id in links.practices if practice_id in by_id]
    if links.themes:
        themes = set(links.themes)
        chosen += sort_practices((practice for practice in practices if themes & set(practice.facts.themes)), language)
    return _unique(chosen)


def selected_practices(selection: Selection, practices: Sequence[Practice], language: str) -> list[Practice]:
    """The practices matching the selection, by title in `language`."""
    facets = selection.facets()

    def matches(practice: Practice) -> bool:
        return all(set(values) & set(_values(practice, name)) for name, values in facets.items())

    return sort_practices((practice for practice in practices if selection.all or matches(practice)), language)


def handbook_practices(handbook: Handbook, practices: Sequence[Practice], language: str) -> list[Practice]:
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
    value = getattr(practice.facts, name)
    return list(value) if isinstance(value, list | tuple) else ([value] if value else [])


def _unique(practices: Iterable[Practice]) -> list[Practice]:
    """The practices in order, each once (where it first appears)."""
    by_id: dict[str, Practice] = {}
    for practice in practices:
        by_id.setdefault(practice.id, practice)
    return list(by_id.values())


# --- texts -------------------------------------------------------------------------------------------


@cache
def _labels() -> dict[str, dict[str, Any]]:
    return read_labels(LABELS_FILE)


def event_label(key: str, language: str) -> str:
    return str(_labels()[key][language])


def event_labels(language: str) -> dict[str, str]:
    """Every text label of event pages and PDFs in `language` (month names left out)."""
    return {key: str(texts[language]) for key, texts in _labels().items() if key != "months"}


def format_date(date: datetime.date, language: str) -> str:
    """'26 mei 2015' / '26 May 2015'."""
    month = _labels()["months"][language][date.month - 1]
    return f"{date.day} {month} {date.year}"


def format_time(time: str | None) -> str:
    return (time or "").replace("-", "–")


def format_size(size: int, language: str) -> str:
    """A file size for readers: '1,4 MB' / '1.4 MB', or kB below one megabyte."""
    text = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"
    return text.replace(".", ",") if language == "nl" else text


# --- event pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfInfo:
    """A built PDF of a handbook: its link from the event page and its size in bytes."""

    url: str
    size: int


def pdf_filename(handbook_id: str, language: str) -> str:
    return f"{handbook_id}-{language}.pdf"


def pdf_href(handbook_id: str, language: str, default_language: str = DEFAULT_LANGUAGE) -> str:
    """The PDF link from the event page; both PDFs are published next to the default-language page."""
    filename = pdf_filename(handbook_id, language)
    if language == default_language:
        return filename
    return f"../../../{EVENTS_PATH}/{handbook_id}/{filename}"


def event_titles(handbooks: Iterable[Handbook], language: str) -> dict[str, str]:
    """Handbook id -> title, for the 'presented at' list of a practice page."""
    return {handbook.id: handbook.title(language) for handbook in handbooks}


def event_pages(handbooks: Iterable[Handbook], languages: Sequence[str] = LANGUAGES) -> list[GeneratedFile]:
    """One page per handbook and language, for a generated `docs/studiedagen/` folder."""
    files = []
    for handbook in handbooks:
        for language in languages:
            subtitle = handbook.definition.subtitle
            front_matter: dict[str, Any] = {"template": "event.html", "title": handbook.title(language), "event": handbook.id}
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
                "url": f"{PRACTICES_FROM_EVENT}{practice.id}/",
                "lang": translation.language if translation.language != language else None,
            }
        )
    return links


def _item_view(item: ProgrammeItem, practices: Sequence[Practice], vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    return {
        "title": item.title.get(language),
        "description": item.description.get(language) if item.description else None,
        "time": format_time(item.time),
        "room": item.room or "",
        "speakers": list(item.speakers),
        "themes": [vocabularies["themes"].label(key, language) for key in item.themes],
        "practices": _practice_links(linked_practices(item, practices, language), language),
    }


def programme_view(handbook: Handbook, practices: Sequence[Practice], vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    """Sessions with their workshops, and which optional columns (time, room, speakers) have any value."""
    sessions = []
    for session in handbook.definition.programme:
        view = _item_view(session, practices, vocabularies, language)
        view["workshops"] = [_item_view(workshop, practices, vocabularies, language) for workshop in session.workshops]
        sessions.append(view)
    items = [*sessions, *(workshop for session in sessions for workshop in session["workshops"])]
    columns = {name: any(item[name] for item in items) for name in ("time", "room", "speakers")}
    return {"sessions": sessions, "columns": columns, "width": 2 + sum(columns.values())}


def event_view(
    handbook: Handbook,
    practices_by_id: Mapping[str, Practice],
    vocabularies: Vocabularies,
    language: str,
    pdf_info: PdfInfo | None,
    markdown: MarkdownSettings | None = None,
) -> dict[str, Any]:
    """What `overrides/event.html` shows: the facts, the introduction, the programme and the PDF.

    `pdf_info` is None when the PDF was not built (HANDBOOK_PDF=0). Pass the site's Markdown settings
    (`markdown_settings(mkdocs.yml)`) so the introduction renders as the rest of the site.
    """
    definition = handbook.definition
    practices = list(practices_by_id.values())
    settings = markdown or MarkdownSettings(MKDOCS_DEFAULT_EXTENSIONS)
    labels = event_labels(language)
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


def events_index_pages(languages: Sequence[str] = LANGUAGES) -> list[GeneratedFile]:
    """The list of study days and handbooks (the generated folder's index page), per language."""
    return [
        GeneratedFile(f"index.{language}.md", page({"template": "events.html", "title": event_label("events_title", language)}))
        for language in languages
    ]


def events_index_view(handbooks: Sequence[Handbook], language: str, pdfs: Mapping[tuple[str, str], int]) -> dict[str, Any]:
    """Every handbook, dated study days first (newest first), then the others by title; with the PDF size."""
    labels = event_labels(language)
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
