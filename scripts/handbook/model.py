"""The practice schema, declared once.

This declaration drives validation (`handbook check` and the site build), the JSON Schema for editors,
the scaffold of `handbook new` and the reference page of the fields. Each field's description is given
in English and Dutch. Vocabulary fields name their allow-list in `practices/vocabularies.yml`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from handbook.vocabulary import Vocabularies

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^(https?|mailto):[^\s]+$"
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
REVISION_PATTERN = r"^[0-9a-f]{12}$"
Language = Literal["nl", "en"]


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
        if value in vocabulary:
            return value
        hint = vocabulary.suggestion(value)
        raise PydanticCustomError(
            "vocabulary",
            "unknown {vocabulary} value '{value}'{hint}; allowed: {allowed}",
            {
                "vocabulary": self.vocabulary,
                "value": value,
                "hint": f"; did you mean '{hint}'?" if hint else "",
                "allowed": ", ".join(vocabulary.keys()),
            },
        )


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=3, max_length=60)]
Text = Annotated[str, Field(min_length=1)]
Url = Annotated[str, Field(pattern=URL_PATTERN)]
Year = Annotated[int, Field(ge=1950, le=2100)]


Theme = Annotated[str, VocabularyKey("themes")]
Pillar = Annotated[str, VocabularyKey("pillars")]
PreventionLevel = Annotated[str, VocabularyKey("prevention_levels")]
TargetGroup = Annotated[str, VocabularyKey("target_groups")]
PolicyDomain = Annotated[str, VocabularyKey("policy_domains")]
Province = Annotated[str, VocabularyKey("provinces")]
Status = Annotated[str, VocabularyKey("statuses")]
EvidenceLevel = Annotated[str, VocabularyKey("evidence_levels")]
ReviewStatus = Annotated[str, VocabularyKey("review_statuses")]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class LocalizedText(StrictModel):
    nl: Text | None = described("Dutch text.", "Nederlandse tekst.")
    en: Text | None = described("English text.", "Engelse tekst.")

    @model_validator(mode="after")
    def _one_language_at_least(self) -> LocalizedText:
        if self.nl is None and self.en is None:
            raise PydanticCustomError("localized", "give the text in at least one language (nl or en)")
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
    url: Url | None = described("Web address, only if known for certain.", "Webadres, alleen als het zeker is.", default=None)


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
        "How far the description has been checked (vocabulary review_statuses).",
        "Hoe ver de beschrijving nagekeken is (woordenlijst review_statuses).",
    )
    last_reviewed: datetime.date = described(
        "Date of the last review, YYYY-MM-DD.", "Datum van de laatste controle, JJJJ-MM-DD.", strict=False
    )


class PracticeFacts(BaseModel):
    """The language-neutral facts of a practice, written once in `practices/<id>/practice.yml`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="Practice facts (practice.yml)")

    id: Slug = described(
        "Stable identifier: lowercase words joined by hyphens; equals the folder name and gives the URL.",
        "Vaste sleutel: kleine letters en koppeltekens; gelijk aan de mapnaam en bepaalt de URL.",
    )
    municipalities: list[Text] = described(
        "The municipality or municipalities where the practice runs. Leave out for a general method.",
        "De gemeente(n) waar de praktijk loopt. Laat weg bij een algemene werkwijze.",
        default_factory=list,
    )
    provinces: list[Province] = described("Province(s).", "Provincie(s).", default_factory=list)
    organisation: Text | None = described(
        "The organisation that carries the practice.", "De organisatie die de praktijk draagt.", default=None
    )
    partners: list[Text] = described("Partner organisations.", "Partnerorganisaties.", default_factory=list)
    themes: list[Theme] = described("Themes.", "Thema's.", min_length=1)
    pillars: list[Pillar] = described(
        "Elements of the integral approach that the practice carries.",
        "Elementen van de integrale aanpak die de praktijk draagt.",
        min_length=1,
    )
    prevention_levels: list[PreventionLevel] = described("Prevention levels.", "Preventieniveaus.", min_length=1)
    target_groups: list[TargetGroup] = described("Target groups.", "Doelgroepen.", min_length=1)
    policy_domains: list[PolicyDomain] = described("Policy domains.", "Beleidsdomeinen.", min_length=1)
    start_year: Year | None = described("Year the practice started.", "Startjaar.", default=None)
    end_year: Year | None = described("Year the practice ended.", "Eindjaar.", default=None)
    status: Status | None = described("Pilot, running or ended.", "Pilootproject, lopend of afgelopen.", default=None)
    evidence_level: EvidenceLevel = described("How far the practice has been evaluated.", "Hoe ver de praktijk geëvalueerd is.")
    review: Review = described("Editorial review of this description.", "Redactionele controle van deze beschrijving.")
    contact: Contact | None = described(
        "Organisational contact; no personal data.", "Contact van de organisatie; geen persoonsgegevens.", default=None
    )
    links: list[Link] = described("Links to more information.", "Links naar meer informatie.", default_factory=list)
    sources: list[Source] = described("Sources of this description.", "Bronnen van deze beschrijving.", min_length=1)
    related: list[Slug] = described("Ids of related practices.", "Sleutels van verwante praktijken.", default_factory=list)
    events: list[Slug] = described(
        "Ids of events (handbooks/<id>.yml) where the practice was presented.",
        "Sleutels van evenementen (handbooks/<id>.yml) waar de praktijk werd voorgesteld.",
        default_factory=list,
    )

    @model_validator(mode="after")
    def _years_in_order(self) -> PracticeFacts:
        if self.start_year is not None and self.end_year is not None and self.end_year < self.start_year:
            raise PydanticCustomError(
                "years",
                "end_year {end} is before start_year {start}",
                {"end": self.end_year, "start": self.start_year},
            )
        return self


class TranslationOf(StrictModel):
    language: Language = described("The language this text was translated from.", "De brontaal van deze vertaling.")
    revision: Annotated[str, Field(pattern=REVISION_PATTERN)] = described(
        "Revision of the source text this translation was made from (set by `handbook status --stamp`).",
        "Revisie van de brontekst waarvan vertaald werd (gezet door `handbook status --stamp`).",
    )


class PracticeText(BaseModel):
    """The front matter of one language file, `practices/<id>/<language>.md`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="Practice text (nl.md / en.md)")

    title: Annotated[str, Field(min_length=5, max_length=120)] = described("Title.", "Titel.")
    summary: Annotated[str, Field(min_length=20, max_length=300)] = described(
        "One or two sentences: what the practice is and for whom (at most 300 characters).",
        "Een of twee zinnen: wat de praktijk is en voor wie (hoogstens 300 tekens).",
    )
    translation_of: TranslationOf | None = described(
        "Present when this text is a translation: what it was translated from.",
        "Aanwezig als deze tekst een vertaling is: waarvan vertaald werd.",
        default=None,
    )


@dataclass(frozen=True)
class Translation:
    """One language version of a practice: its front matter and Markdown body."""

    language: str
    text: PracticeText
    body: str
    body_line: int
    path: Path
    revision: str  # digest of title, summary and body: what a translation records as its source


@dataclass(frozen=True)
class Practice:
    """A practice: its language-neutral facts and one or two language versions."""

    facts: PracticeFacts
    translations: dict[str, Translation]
    folder: Path
    facts_lines: dict[tuple[str | int, ...], int]  # line of each value in practice.yml

    @property
    def facts_path(self) -> Path:
        return self.folder / "practice.yml"

    def line_of(self, *loc: str | int) -> int:
        return self.facts_lines.get(loc, 1)

    @property
    def id(self) -> str:
        return self.facts.id

    def text_in(self, language: str) -> Translation:
        """The text shown to a reader of `language`: its own, or the other language as fallback."""
        return self.translations.get(language) or next(iter(self.translations.values()))


LANGUAGE_NEUTRAL_FIELDS = frozenset(PracticeFacts.model_fields)
