"""The practice schema, declared once.

This declaration drives validation (`handbook check` and the site build), the JSON Schema for editors,
the scaffold of `handbook new` and the reference page of the fields. Each field's description is given
in English and Dutch. Vocabulary fields name their allow-list in `practices/vocabularies.yml`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from handbook.content.municipalities import municipality_problem, official_municipalities
from handbook.content.partial_date import FIRST_YEAR, LAST_YEAR, PARTIAL_DATE_PATTERN, PartialDate
from handbook.content.public_url import public_url_problem
from handbook.content.vocabulary import Vocabularies
from handbook.content.yaml_reader import line_of
from handbook.messages import N_
from handbook.urls import LANGUAGES, Language

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^(https?|mailto):[^\s]+$"
WEB_URL_PATTERN = r"^https?://[^\s]+$"
REVISION_PATTERN = r"^[0-9a-f]{12}$"


def described(en: str, nl: str, **kwargs: Any) -> Any:
    """A field with its description in both languages (English is the JSON Schema description)."""
    extra = kwargs.pop("json_schema_extra", {})
    return Field(description=en, json_schema_extra={"x-description-nl": nl, **extra}, **kwargs)


@dataclass(frozen=True)
class VocabularyKey:
    """Marks a text field whose value must be a key of the named vocabulary."""

    vocabulary: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self.validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["x-vocabulary"] = self.vocabulary
        return json_schema

    def validate(self, value: str, info: core_schema.ValidationInfo) -> str:
        vocabularies: Vocabularies | None = (info.context or {}).get("vocabularies")
        if vocabularies is None:
            return value
        vocabulary = vocabularies[self.vocabulary]
        key = vocabulary.canonical(value)  # the key, also when written as its Dutch or English label (an alias)
        if key is not None:
            return key
        hint = vocabulary.suggestion(value)
        # load.schema_problems words it in the contributor's language, with the hint's label in that language
        raise PydanticCustomError(
            "vocabulary",
            "unknown {vocabulary} value '{value}'{hint}; allowed: {allowed}",
            {
                "vocabulary": self.vocabulary,
                "value": value,
                "hint": f"; did you mean '{hint}'?" if hint else "",
                "suggestion": hint or "",
                **{f"label_{language}": vocabulary.label(hint, language) if hint else "" for language in LANGUAGES},
                "allowed": ", ".join(vocabulary.keys()),
            },
        )


@dataclass(frozen=True)
class PublicUrl:
    """Marks a URL field whose web address must be public (`public_url.public_url_problem`): the site shows it
    and the weekly link job requests it. `web_only`: only http(s), no `mailto:`."""

    web_only: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.validate, handler(source))

    def validate(self, value: str) -> str:
        problem = public_url_problem(value, web_only=self.web_only)
        if problem is not None:
            raise PydanticCustomError("url", problem, {"template": problem})  # load.schema_problems translates it
        return value


class OfficialMunicipality:
    """Marks a municipality: a name on the official list of current Belgian municipalities (`municipalities.py`),
    in Dutch or French, kept as its Dutch name. Checked where the content's vocabularies are (a content load), as
    `VocabularyKey` is; a former municipality is refused with the current one's name."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self.validate, handler(source))

    def validate(self, value: str, info: core_schema.ValidationInfo) -> str:
        if (info.context or {}).get("vocabularies") is None:
            return value
        problem = municipality_problem(value)
        if problem is None:
            return official_municipalities().canonical(value) or value
        template, values = problem
        raise PydanticCustomError("municipality", template, {"template": template, **values})  # load.schema_problems translates it


# Lengths in characters, (shortest, longest): declared here for the schema, the issue form and the id made from a title.
SLUG_LENGTH = (3, 60)
TITLE_LENGTH = (5, 120)
SUMMARY_LENGTH = (20, 300)

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=SLUG_LENGTH[0], max_length=SLUG_LENGTH[1])]
Text = Annotated[str, Field(min_length=1)]
Url = Annotated[str, Field(pattern=URL_PATTERN), PublicUrl()]
WebUrl = Annotated[str, PublicUrl(web_only=True), Field(json_schema_extra={"pattern": WEB_URL_PATTERN})]  # PublicUrl says why
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


Theme = Annotated[str, VocabularyKey("themes")]
Pillar = Annotated[str, VocabularyKey("pillars")]
PreventionLevel = Annotated[str, VocabularyKey("prevention_levels")]
TargetGroup = Annotated[str, VocabularyKey("target_groups")]
PolicyDomain = Annotated[str, VocabularyKey("policy_domains")]
Province = Annotated[str, VocabularyKey("provinces")]
Municipality = Annotated[str, Field(min_length=1), OfficialMunicipality()]
Status = Annotated[str, VocabularyKey("statuses")]
EvidenceLevel = Annotated[str, VocabularyKey("evidence_levels")]
ReviewStatus = Annotated[str, VocabularyKey("review_statuses")]
Kind = Annotated[str, VocabularyKey("kinds")]

# The keys the rules below depend on (their labels are in practices/vocabularies.yml).
PRACTICE = "practice"  # kinds: a real initiative of a named organisation in a named municipality
METHOD = "method"  # kinds: a general way of working drawn from several sources
REVIEWED = "reviewed"  # review_statuses: checked with the people who run it or an expert (review.last_reviewed)
SOURCES_CHECKED = "sources-checked"  # review_statuses: every claim checked against its sources (review.sources_checked)
CURRENT_STATUSES = ("running", "pilot")  # statuses: the ones that say the practice still runs
UNKNOWN_STATUS, ENDED_STATUS = "unknown", "ended"  # statuses: what a practice without a recent source may say
# A practice is 'running' or 'pilot' only on a source of this year or later (issue 22, December 2026: about two
# years back). The year is fixed, not counted back from today, so that `handbook check` gives the same answer on
# every day and a build never starts failing on 1 January without a change; the editors raise it when they
# next check every status against its sources.
RECENT_STATUS_YEAR = 2024


def field_error(field: str, kind: str, message: str, **context: Any) -> PydanticCustomError:
    """An error of a whole-model rule, reported at the line of `field` (a dotted path below the model).

    `message` is a message id of the catalogue (marked with `N_`): `load.schema_problems` translates it."""
    return PydanticCustomError(kind, message, {"field": field, "template": message, **context})


def rule_error(kind: str, message: str, **context: Any) -> PydanticCustomError:
    """An error of a whole-model rule at the model's own line; `message` as for `field_error`."""
    return PydanticCustomError(kind, message, {"template": message, **context})


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class LocalizedText(StrictModel):
    nl: Text | None = described("Dutch text.", "Nederlandse tekst.")
    en: Text | None = described("English text.", "Engelse tekst.")

    @model_validator(mode="after")
    def _one_language_at_least(self) -> LocalizedText:
        if self.nl is None and self.en is None:
            raise rule_error("localized", N_("give the text in at least one language (nl or en)"))
        return self

    def get(self, language: str) -> str:
        return getattr(self, language) or self.nl or self.en or ""


class Link(StrictModel):
    url: Url = described("Web address (https://…).", "Webadres (https://…).")
    label: LocalizedText = described("Link text per language.", "Linktekst per taal.")


class Source(StrictModel):
    title: Text = described("Title of the source, in its own language.", "Titel van de bron, in haar eigen taal.")
    publisher: Text | None = described("Who published it.", "Wie de bron publiceerde.", default=None)
    published: Annotated[str, Field(pattern=PARTIAL_DATE_PATTERN)] | None = described(
        'Publication date as quoted text: "YYYY", "YYYY-MM" or "YYYY-MM-DD".',
        'Publicatiedatum als tekst tussen aanhalingstekens: "JJJJ", "JJJJ-MM" of "JJJJ-MM-DD".',
        default=None,
    )
    url: WebUrl | None = described(
        "Web address of the source. Every source read on the web has one (with 'accessed'); leave it out only for "
        "a printed publication, which then needs 'publisher' and 'published'.",
        "Webadres van de bron. Elke bron die u op het web las heeft er een (met 'accessed'); laat het alleen weg "
        "voor een gedrukte publicatie, die dan 'publisher' en 'published' nodig heeft.",
        default=None,
    )
    accessed: datetime.date | None = described(
        "The date you read the web source, as quoted text \"YYYY-MM-DD\"; required with 'url'.",
        "De datum waarop u de webbron las, als tekst tussen aanhalingstekens \"JJJJ-MM-DD\"; verplicht bij 'url'.",
        default=None,
        strict=False,
    )

    @model_validator(mode="after")
    def _findable(self, info: ValidationInfo) -> Source:
        if self.url is not None and self.accessed is None:
            raise field_error(
                "accessed", "source", N_("a web source needs 'accessed': the date you read it, e.g. accessed: \"2026-11-27\"")
            )
        today: datetime.date = (info.context or {}).get("today") or datetime.date.today()  # a test gives its own day
        if self.accessed is not None and self.accessed > today:
            raise field_error(
                "accessed",
                "source",
                N_("'accessed' is the date you read the source, so it cannot be after today ({today}); correct the date"),
                today=today.isoformat(),
            )
        if self.url is None and (self.publisher is None or self.published is None):
            raise field_error(
                "url",
                "source",
                N_(
                    "give the source's 'url' and 'accessed' (the date you read it); a source without a web address must be "
                    "a printed publication with 'publisher' and 'published'"
                ),
            )
        return self


class Presentation(StrictModel):
    event: Slug = described("Id of the event (handbooks/<id>.yml).", "Sleutel van het evenement (handbooks/<id>.yml).")
    source: Annotated[int, Field(ge=1)] = described(
        "Number of the source in 'sources' (1 = the first) that says the practice was presented at this event.",
        "Nummer van de bron in 'sources' (1 = de eerste) die zegt dat de praktijk op dit evenement werd voorgesteld.",
    )


class Contact(StrictModel):
    organisation: Text = described("The organisation to contact (never a person).", "De organisatie om te contacteren (nooit een persoon).")
    email: Text | None = described(
        "An organisational e-mail address (on the allow-list of organisational contacts).",
        "Een e-mailadres van de organisatie (op de lijst van organisatiecontacten).",
        default=None,
    )
    phone: Text | None = described("An organisational phone number.", "Een telefoonnummer van de organisatie.", default=None)
    url: Url | None = described("The organisation's web page.", "De webpagina van de organisatie.", default=None)


class Review(StrictModel):
    status: ReviewStatus = described(
        "How far the description has been checked (vocabulary review_statuses): 'draft', 'sources-checked' (every claim "
        "compared with the cited sources) or 'reviewed' (checked with the people who run it or with an expert).",
        "Hoe ver de beschrijving nagekeken is (woordenlijst review_statuses): 'draft' (ontwerp), 'sources-checked' (elke "
        "bewering met de vermelde bronnen vergeleken) of 'reviewed' (nagekeken met de uitvoerders of met een deskundige).",
    )
    last_reviewed: datetime.date | None = described(
        "Date of the last review with the people who run it or an expert, YYYY-MM-DD: required when the status is "
        "'reviewed', not allowed otherwise.",
        "Datum van de laatste controle met de uitvoerders of met een deskundige, JJJJ-MM-DD: verplicht bij status "
        "'reviewed', anders niet toegelaten.",
        default=None,
        strict=False,
    )
    sources_checked: datetime.date | None = described(
        "Date of the last check of every claim against the cited sources, YYYY-MM-DD: required when the status is "
        "'sources-checked', allowed with 'reviewed', not allowed for a draft.",
        "Datum waarop elke bewering het laatst met de vermelde bronnen vergeleken werd, JJJJ-MM-DD: verplicht bij status "
        "'sources-checked', toegelaten bij 'reviewed', niet toegelaten bij een ontwerp.",
        default=None,
        strict=False,
    )

    @model_validator(mode="after")
    def _dated_only_when_reviewed(self) -> Review:
        if self.status == REVIEWED and self.last_reviewed is None:
            raise field_error("last_reviewed", "review", N_("a reviewed description needs 'last_reviewed' (YYYY-MM-DD)"))
        if self.status != REVIEWED and self.last_reviewed is not None:
            raise field_error(
                "last_reviewed",
                "review",
                N_("only a reviewed description has 'last_reviewed'; remove it, or set 'status: reviewed' once it was reviewed"),
            )
        if self.status == SOURCES_CHECKED and self.sources_checked is None:
            raise field_error(
                "sources_checked",
                "review",
                N_("a description checked against its sources needs 'sources_checked': the day of the check (YYYY-MM-DD)"),
            )
        if self.status not in (SOURCES_CHECKED, REVIEWED) and self.sources_checked is not None:
            raise field_error(
                "sources_checked",
                "review",
                N_(
                    "a draft has no 'sources_checked'; remove it, or set 'status: sources-checked' once every claim was "
                    "checked against its sources"
                ),
            )
        return self


class PracticeFacts(BaseModel):
    """The language-neutral facts of a practice, written once in `practices/<id>/practice.yml`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="Practice facts (practice.yml)")

    id: Slug = described(
        "Stable identifier: lowercase words joined by hyphens; equals the folder name and gives the URL.",
        "Vaste sleutel: kleine letters en koppeltekens; gelijk aan de mapnaam en bepaalt de URL.",
    )
    kind: Kind = described(
        "What the page describes: 'practice' (a real initiative of a named organisation in a named municipality) "
        "or 'method' (a general way of working drawn from several sources, no municipality).",
        "Wat de pagina beschrijft: 'practice' (een concreet initiatief van een genoemde organisatie in een genoemde "
        "gemeente) of 'method' (een algemene werkwijze uit verschillende bronnen, zonder gemeente).",
    )
    municipalities: list[Municipality] = described(
        "The municipality or municipalities where the practice runs today, by their official name (Statbel's list of "
        "current Belgian municipalities, in Dutch or French; a merged municipality by its new name): required for a "
        "practice, not allowed for a method. The province follows from it.",
        "De gemeente(n) waar de praktijk vandaag loopt, met hun officiële naam (de lijst van huidige Belgische gemeenten "
        "van Statbel, in het Nederlands of het Frans; een gefuseerde gemeente met haar nieuwe naam): verplicht bij een "
        "praktijk, niet toegelaten bij een werkwijze. De provincie volgt eruit.",
        default_factory=list,
    )
    organisation: Text | None = described(
        "The organisation that leads the practice, as the sources name it: required for a practice.",
        "De organisatie die de praktijk trekt, zoals de bronnen haar noemen: verplicht bij een praktijk.",
        default=None,
    )
    partners: list[Text] = described("Partner organisations.", "Partnerorganisaties.", default_factory=list)
    themes: list[Theme] = described("Themes.", "Thema's.", min_length=1)
    pillars: list[Pillar] = described(
        "Elements of the Mechelen approach (VVSG, 2015) that the page clearly shares.",
        "Elementen van de Mechelse aanpak (VVSG, 2015) die de pagina duidelijk deelt.",
        min_length=1,
    )
    prevention_levels: list[PreventionLevel] = described("Prevention levels.", "Preventieniveaus.", min_length=1)
    target_groups: list[TargetGroup] = described("Target groups.", "Doelgroepen.", min_length=1)
    policy_domains: list[PolicyDomain] = described("Policy domains.", "Beleidsdomeinen.", min_length=1)
    start_year: Year | None = described("Year the practice started.", "Startjaar.", default=None)
    end_year: Year | None = described("Year the practice ended.", "Eindjaar.", default=None)
    status: Status | None = described(
        f"Whether the practice still runs, as its newest dated source shows: 'running' or 'pilot' only with a source of "
        f"{RECENT_STATUS_YEAR} or later (a fixed year, raised when the editors next check every status, so that the check "
        f"gives the same answer every day); otherwise 'ended' when a source says it ended, or 'unknown'. Required for a "
        f"practice, not used for a method.",
        f"Of de praktijk nog loopt, volgens haar jongste gedateerde bron: 'running' (lopend) of 'pilot' alleen met een bron "
        f"van {RECENT_STATUS_YEAR} of later (een vast jaar, dat de redactie verhoogt wanneer ze alle statussen opnieuw nakijkt, "
        f"zodat de controle elke dag hetzelfde antwoord geeft); anders 'ended' (afgelopen) als een bron zegt dat ze "
        f"afgelopen is, of 'unknown' (onbekend). Verplicht bij een praktijk, niet gebruikt bij een werkwijze.",
        default=None,
    )
    status_as_of: PartialDate | None = described(
        "The date of the newest cited source that shows that status, as precise as the source gives it: a year (2019), "
        "a month (\"2019-06\") or a day (2019-06-17). It cannot be later than that source's 'published' date, the day "
        "it was read ('accessed') or today. The page says \"Last confirmed in <year>\" with the source.",
        "De datum van de jongste vermelde bron die die status toont, zo precies als de bron ze geeft: een jaar (2019), "
        "een maand (\"2019-06\") of een dag (2019-06-17). Ze kan niet later zijn dan de publicatiedatum ('published') "
        "van die bron, de dag waarop u ze las ('accessed') of vandaag. De pagina zegt \"Laatst bevestigd in <jaar>\" "
        "met de bron.",
        default=None,
    )
    status_source: Annotated[int, Field(ge=1)] | None = described(
        "Number of that source in 'sources' (1 = the first); for 'running' or 'pilot' it must have a 'published' date.",
        "Nummer van die bron in 'sources' (1 = de eerste); bij 'running' of 'pilot' moet ze een publicatiedatum ('published') hebben.",
        default=None,
    )
    evidence_level: EvidenceLevel | None = described(
        "How far the practice has been evaluated, as its sources report: required for a practice, not used for a method.",
        "Hoe ver de praktijk geëvalueerd is, volgens haar bronnen: verplicht bij een praktijk, niet gebruikt bij een werkwijze.",
        default=None,
    )
    review: Review = described("Editorial review of this description.", "Redactionele controle van deze beschrijving.")
    contact: Contact | None = described(
        "Organisational contact; no personal data.", "Contact van de organisatie; geen persoonsgegevens.", default=None
    )
    links: list[Link] = described("Links to more information.", "Links naar meer informatie.", default_factory=list)
    sources: list[Source] = described("Sources of this description.", "Bronnen van deze beschrijving.", min_length=1)
    related: list[Slug] = described("Ids of related practices.", "Sleutels van verwante praktijken.", default_factory=list)
    presented_at: list[Presentation] = described(
        "Events (handbooks/<id>.yml) where the practice was presented, each with the source that says so.",
        "Evenementen (handbooks/<id>.yml) waar de praktijk werd voorgesteld, elk met de bron die dat zegt.",
        default_factory=list,
    )

    @model_validator(mode="after")
    def _years_in_order(self) -> PracticeFacts:
        if self.start_year is not None and self.end_year is not None and self.end_year < self.start_year:
            raise rule_error("years", N_("end_year {end} is before start_year {start}"), end=self.end_year, start=self.start_year)
        return self

    @model_validator(mode="after")
    def _fits_its_kind(self) -> PracticeFacts:
        if self.kind == METHOD:
            for name in ("municipalities", "organisation", "evidence_level", "start_year", "end_year", *STATUS_FIELDS):
                if getattr(self, name):
                    raise field_error(
                        name,
                        "kind",
                        N_(
                            "a method claims no place, organisation, period or evaluation: remove '{name}', "
                            "or describe a real initiative with 'kind: practice'"
                        ),
                        name=name,
                    )
        if self.kind == PRACTICE:
            for name in PRACTICE_REQUIRES:
                if not getattr(self, name):
                    raise field_error(
                        name,
                        "kind",
                        N_("a practice needs '{name}': {what}")
                        if name in STATUS_FIELDS
                        else N_("a practice needs '{name}': the sources' {what}; if none is known, it is a method ('kind: method')"),
                        name=name,
                        what=_PRACTICE_NEEDS[name],
                        at="kind",
                    )
        return self

    @model_validator(mode="after")
    def _presented_with_a_source(self) -> PracticeFacts:
        for index, presentation in enumerate(self.presented_at):
            if presentation.source > len(self.sources):
                raise field_error(
                    f"presented_at.{index}.source",
                    "presented_at",
                    N_(
                        "source {number} does not exist: 'sources' lists {count}; give the number of the source that says "
                        "the practice was presented at '{event}'"
                    ),
                    number=presentation.source,
                    count=len(self.sources),
                    event=presentation.event,
                )
        return self

    @model_validator(mode="after")
    def _status_dated(self, info: ValidationInfo) -> PracticeFacts:
        """The status rests on a source that can show it: one that exists, is not older than the date claimed, and
        for 'running' or 'pilot' is dated RECENT_STATUS_YEAR or later."""
        as_of, number = self.status_as_of, self.status_source
        if number is not None and number > len(self.sources):
            raise field_error(
                "status_source",
                "status",
                N_("source {number} does not exist: 'sources' lists {count}; give the number of the source that shows the status"),
                number=number,
                count=len(self.sources),
            )
        if as_of is None:
            return self
        today: datetime.date = (info.context or {}).get("today") or datetime.date.today()  # a test gives its own day
        if as_of.is_later_than(PartialDate.of(today)):
            raise field_error(
                "status_as_of",
                "status",
                N_("status_as_of {as_of} is after today ({today}); give the date of the source that shows the status"),
                as_of=str(as_of),
                today=today.isoformat(),
            )
        source = self.sources[number - 1] if number is not None else None
        published = _partial_date(source.published) if source is not None and source.published else None
        if published is not None and as_of.is_later_than(published):
            raise field_error(
                "status_as_of",
                "status",
                N_(
                    "status_as_of {as_of} is later than source {number}, published {published}: a source cannot show a status "
                    "after it was written; give its date (or an earlier one), or the number of a later source"
                ),
                as_of=str(as_of),
                number=number,
                published=str(published),
            )
        if source is not None and source.accessed is not None and as_of.is_later_than(PartialDate.of(source.accessed)):
            raise field_error(
                "status_as_of",
                "status",
                N_("status_as_of {as_of} is later than the day source {number} was read ({accessed}); give the date the source shows"),
                as_of=str(as_of),
                number=number,
                accessed=source.accessed.isoformat(),
            )
        if self.status in CURRENT_STATUSES and as_of.year < RECENT_STATUS_YEAR:
            raise field_error(
                "status",
                "status",
                N_(
                    "status '{status}' needs a source of {year} or later, but status_as_of is {as_of}: cite a source of {year} "
                    "or later that shows it still runs, or write 'status: unknown' (the page then says it was last confirmed "
                    "in {as_of_year}) or 'status: ended'"
                ),
                status=self.status,
                year=RECENT_STATUS_YEAR,
                as_of=str(as_of),
                as_of_year=as_of.year,
            )
        if self.status in CURRENT_STATUSES and source is not None and published is None:
            raise field_error(
                "status_source",
                "status",
                N_(
                    "status '{status}' needs a dated source, and source {number} has no valid 'published' date: give its date, "
                    "cite a dated source of {year} or later, or write 'status: unknown'"
                ),
                status=self.status,
                number=number,
                year=RECENT_STATUS_YEAR,
            )
        return self


def _partial_date(text: str) -> PartialDate | None:
    """A source's 'published' text as a date; None for one that matches the pattern but names no real month or day."""
    try:
        return PartialDate.parse(text)
    except ValueError:
        return None


STATUS_FIELDS = ("status", "status_as_of", "status_source")  # how current a practice is: all three, or none (a method)
PRACTICE_REQUIRES = ("municipalities", "organisation", "evidence_level", *STATUS_FIELDS)  # optional in the schema, required for a practice
_PRACTICE_NEEDS = {  # translated in the message (load.schema_problems)
    "municipalities": N_("municipality where it runs"),
    "organisation": N_("organisation that leads it"),
    "evidence_level": N_("evaluation level (not-evaluated when they report none)"),
    "status": N_("running, pilot, ended or unknown, as its newest dated source shows (unknown when no recent source shows it still runs)"),
    "status_as_of": N_("the year (or date) of the newest cited source that shows its status, e.g. status_as_of: 2019"),
    "status_source": N_("the number of that source in 'sources' (1 = the first), e.g. status_source: 2"),
}


class TranslationOf(StrictModel):
    language: Language = described("The language this text was translated from.", "De brontaal van deze vertaling.")
    revision: Annotated[str, Field(pattern=REVISION_PATTERN)] = described(
        "Revision of the source text this translation was made from (set by `handbook status --stamp`).",
        "Revisie van de brontekst waarvan vertaald werd (gezet door `handbook status --stamp`).",
    )


class PracticeText(BaseModel):
    """The front matter of one language file, `practices/<id>/<language>.md`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="Practice text (nl.md / en.md)")

    title: Annotated[str, Field(min_length=TITLE_LENGTH[0], max_length=TITLE_LENGTH[1])] = described("Title.", "Titel.")
    summary: Annotated[str, Field(min_length=SUMMARY_LENGTH[0], max_length=SUMMARY_LENGTH[1])] = described(
        f"One or two sentences: what the practice is and for whom (at most {SUMMARY_LENGTH[1]} characters).",
        f"Een of twee zinnen: wat de praktijk is en voor wie (hoogstens {SUMMARY_LENGTH[1]} tekens).",
    )
    translation_of: TranslationOf | None = described(
        "Present when this text is a translation: what it was translated from.",
        "Aanwezig als deze tekst een vertaling is: waarvan vertaald werd.",
        default=None,
    )


@dataclass(frozen=True)
class LanguageVersion:
    """One language version of a practice (`<language>.md`), the source text or a translation: its front matter and
    Markdown body. `Practice.translations` holds every version, the source included."""

    language: str
    text: PracticeText
    body: str
    body_line: int
    path: Path
    revision: str  # digest of title, summary and body: what a translation records as its source
    front_matter_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False)  # of each value, as read

    def line_of(self, *loc: str | int) -> int:
        """The file line of the front matter value at `loc` (or of its nearest ancestor; line 2 if it has none)."""
        return line_of(self.front_matter_lines, loc, 2)


@dataclass(frozen=True)
class Practice:
    """A practice: its language-neutral facts and one or two language versions."""

    facts: PracticeFacts
    translations: dict[str, LanguageVersion]  # by language: every version, the source included
    folder: Path
    facts_lines: dict[tuple[str | int, ...], int]  # line of each value in practice.yml

    @property
    def facts_path(self) -> Path:
        return self.folder / "practice.yml"

    def line_of(self, *loc: str | int) -> int:
        """The line in practice.yml of the value at `loc` (or of its nearest ancestor)."""
        return line_of(self.facts_lines, loc)

    @property
    def id(self) -> str:
        return self.facts.id

    def text_in(self, language: str) -> LanguageVersion:
        """The text shown to a reader of `language`: its own, or the other language as fallback."""
        return self.translations.get(language) or next(iter(self.translations.values()))


LANGUAGE_NEUTRAL_FIELDS = frozenset(PracticeFacts.model_fields)
