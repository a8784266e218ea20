"""Vocabularies, the typed model and its JSON Schema."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from handbook.content.model import LANGUAGE_NEUTRAL_FIELDS, RECENT_STATUS_YEAR, PracticeFacts, PracticeText
from handbook.content.partial_date import PartialDate
from handbook.content.schema import SCHEMA_FILES, json_schema, schema_texts
from handbook.content.vocabulary import Vocabularies, VocabularyError, load_vocabularies
from support import VOCABULARIES

WORKSHOP_THEMES = [
    "identiteitsontplooiing", "familieondersteuning", "politiewerk-multiculturele-buurten", "beroepsgeheim",
    "onderwijs", "tewerkstelling", "jeugdwerk",
]  # fmt: skip


@pytest.fixture(scope="module")
def vocabularies() -> Vocabularies:
    return load_vocabularies(VOCABULARIES)


# --- vocabularies -------------------------------------------------------------------------------------


def test_every_vocabulary_the_model_names_exists(vocabularies: Vocabularies) -> None:
    named = {"kinds", "themes", "pillars", "prevention_levels", "target_groups", "policy_domains", "provinces", "statuses",
             "evidence_levels", "review_statuses", "sections"}  # fmt: skip
    assert named <= set(vocabularies.by_name)


def test_fixed_vocabularies(vocabularies: Vocabularies) -> None:
    assert vocabularies["themes"].keys()[:7] == WORKSHOP_THEMES
    assert vocabularies["prevention_levels"].keys() == ["primary", "secondary", "tertiary"]
    assert vocabularies["statuses"].keys() == ["pilot", "running", "ended", "unknown"]
    assert vocabularies["review_statuses"].keys() == ["draft", "sources-checked", "reviewed"]
    assert vocabularies["kinds"].keys() == ["practice", "method"]
    assert vocabularies["evidence_levels"].keys() == ["not-evaluated", "monitored", "internally-evaluated", "externally-evaluated"]
    assert len(vocabularies["pillars"].keys()) == 7
    sections = vocabularies["sections"]
    assert [term.label("nl") for term in sections] == [
        "Context", "Doelstellingen", "Aanpak", "Resultaten en evaluatie", "Geleerde lessen", "Overdraagbaarheid",
    ]  # fmt: skip
    assert [term.label("en") for term in sections] == [
        "Context", "Aims", "Approach", "Results and evaluation", "Lessons learned", "Transferability",
    ]  # fmt: skip


def test_labels_and_descriptions(vocabularies: Vocabularies) -> None:
    assert vocabularies["themes"].label("jeugdwerk", "nl") == "Jeugdwerk"
    assert vocabularies["themes"].label("jeugdwerk", "en") == "Youth work"
    assert vocabularies["provinces"].label("antwerpen", "en") == "Antwerp"
    level = vocabularies["prevention_levels"].terms["primary"]
    assert level.description("nl").startswith("Gericht op de hele bevolking")
    assert vocabularies["themes"].terms["jeugdwerk"].description("nl") == ""
    assert "jeugdwerk" in vocabularies["themes"]
    assert "jeugwerk" not in vocabularies["themes"]


@pytest.mark.parametrize(
    ("vocabulary", "typo", "suggestion"),
    [
        ("themes", "jeugwerk", "jeugdwerk"),
        ("themes", "Onderwijs", "onderwijs"),
        ("themes", "beroepsgeheimen", "beroepsgeheim"),
        ("provinces", "oost-vlaanderren", "oost-vlaanderen"),
        ("prevention_levels", "secundary", "secondary"),
        ("themes", "voetbal", None),
        ("statuses", "x", None),
    ],
)
def test_suggestion_of_a_close_key(vocabularies: Vocabularies, vocabulary: str, typo: str, suggestion: str | None) -> None:
    assert vocabularies[vocabulary].suggestion(typo) == suggestion


def test_a_term_without_both_labels_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vocabularies.yml"
    path.write_text("themes:\n  onderwijs:\n    nl: Onderwijs\n    en: Education\n  jeugd:\n    nl: Jeugd\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as error:
        load_vocabularies(path)
    assert str(error.value) == f"{path}:5: term 'themes.jeugd' needs a text label for nl and en"


def test_a_vocabulary_file_with_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "vocabularies.yml"
    path.write_text("themes:\n  onderwijs: {nl: A, en: B}\n  onderwijs: {nl: C, en: D}\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as error:
        load_vocabularies(path)
    assert str(error.value) == f"{path}:3: duplicate key 'onderwijs' (first written on line 2)"


# --- the model ----------------------------------------------------------------------------------------


def test_language_neutral_fields_are_the_facts() -> None:
    assert {"id", "kind", "themes", "sources", "related", "presented_at", "review"} <= LANGUAGE_NEUTRAL_FIELDS
    assert "events" not in LANGUAGE_NEUTRAL_FIELDS  # replaced by presented_at, which names its source
    assert not {"title", "summary", "translation_of"} & LANGUAGE_NEUTRAL_FIELDS


def test_vocabulary_values_are_checked_only_with_vocabularies(vocabularies: Vocabularies) -> None:
    data = {
        "id": "abc", "kind": "method", "themes": ["jeugwerk"], "pillars": ["integrale-aanpak"],
        "prevention_levels": ["primary"], "target_groups": ["jongeren"], "policy_domains": ["jeugd"],
        "review": {"status": "draft"}, "sources": [{"title": "Bron", "publisher": "VVSG", "published": "2015"}],
    }  # fmt: skip
    assert PracticeFacts.model_validate(data).themes == ["jeugwerk"]
    with pytest.raises(ValueError, match="did you mean 'jeugdwerk'"):
        PracticeFacts.model_validate(data, context={"vocabularies": vocabularies})


# --- JSON Schema --------------------------------------------------------------------------------------

VOCABULARY_FIELDS = {
    "themes": "themes",
    "pillars": "pillars",
    "prevention_levels": "prevention_levels",
    "target_groups": "target_groups",
    "policy_domains": "policy_domains",
}  # not the provinces: they follow from the municipalities (content/municipalities.py)


@pytest.fixture(scope="module")
def facts_schema(vocabularies: Vocabularies) -> dict[str, Any]:
    return json_schema(PracticeFacts, vocabularies)


@pytest.mark.parametrize(("field", "vocabulary"), VOCABULARY_FIELDS.items())
def test_list_fields_of_a_vocabulary_carry_its_keys_as_enum(
    facts_schema: dict[str, Any], vocabularies: Vocabularies, field: str, vocabulary: str
) -> None:
    items = facts_schema["properties"][field]["items"]
    assert items["enum"] == vocabularies[vocabulary].keys()
    assert items["x-vocabulary"] == vocabulary
    assert len(items["markdownEnumDescriptions"]) == len(items["enum"])


def test_single_vocabulary_fields_carry_their_keys(facts_schema: dict[str, Any], vocabularies: Vocabularies) -> None:
    assert facts_schema["properties"]["kind"]["enum"] == ["practice", "method"]
    assert facts_schema["properties"]["kind"]["markdownEnumDescriptions"] == ["Praktijk / Practice", "Werkwijze / Method"]
    evidence_options = facts_schema["properties"]["evidence_level"]["anyOf"]
    assert [option["enum"] for option in evidence_options if "enum" in option] == [vocabularies["evidence_levels"].keys()]
    status_options = facts_schema["properties"]["status"]["anyOf"]
    assert {"type": "null"} in status_options
    assert [option["enum"] for option in status_options if "enum" in option] == [["pilot", "running", "ended", "unknown"]]
    review = facts_schema["$defs"]["Review"]
    assert review["properties"]["status"]["enum"] == ["draft", "sources-checked", "reviewed"]
    assert review["required"] == ["status"]  # last_reviewed only with status reviewed (checked by the model)
    assert facts_schema["$defs"]["Source"]["properties"]["accessed"]["anyOf"][0]["format"] == "date"
    assert facts_schema["$defs"]["Presentation"]["required"] == ["event", "source"]


def test_required_fields_are_listed(facts_schema: dict[str, Any]) -> None:
    assert set(facts_schema["required"]) == {
        "id", "kind", "themes", "pillars", "prevention_levels", "target_groups", "policy_domains", "review", "sources",
    }  # fmt: skip
    assert facts_schema["additionalProperties"] is False
    assert facts_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert facts_schema["properties"]["id"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert facts_schema["properties"]["themes"]["minItems"] == 1
    assert facts_schema["properties"]["id"]["x-description-nl"].startswith("Vaste sleutel")


def test_text_schema(vocabularies: Vocabularies) -> None:
    schema = json_schema(PracticeText, vocabularies)
    assert schema["required"] == ["title", "summary"]
    assert schema["properties"]["summary"]["maxLength"] == 300
    assert schema["$defs"]["TranslationOf"]["properties"]["language"]["enum"] == ["nl", "en"]


def test_schema_texts_are_json_for_both_files(vocabularies: Vocabularies) -> None:
    texts = schema_texts(vocabularies)
    assert sorted(texts) == sorted(SCHEMA_FILES) == ["practice-text.schema.json", "practice.schema.json"]
    assert json.loads(texts["practice.schema.json"])["title"] == "Practice facts (practice.yml)"
    assert all(text.endswith("}\n") for text in texts.values())


# --- kinds, sources, review and presented_at ---------------------------------------------------------

BASE_FACTS: dict[str, Any] = {
    "id": "abc", "themes": ["jeugdwerk"], "pillars": ["integrale-aanpak"], "prevention_levels": ["primary"],
    "target_groups": ["jongeren"], "policy_domains": ["jeugd"], "review": {"status": "draft"},
    "sources": [{"title": "Bron", "publisher": "VVSG", "published": "2015"}],
}  # fmt: skip
PRACTICE_FACTS = {**BASE_FACTS, "kind": "practice", "municipalities": ["Mechelen"], "organisation": "Stad Mechelen",
                  "evidence_level": "not-evaluated", "status": "unknown", "status_as_of": 2015, "status_source": 1}  # fmt: skip


def _errors(data: dict[str, Any], vocabularies: Vocabularies) -> list[tuple[str, str]]:
    from pydantic import ValidationError

    try:
        PracticeFacts.model_validate(data, context={"vocabularies": vocabularies})
    except ValidationError as error:
        return [(".".join(map(str, (*e["loc"], e.get("ctx", {}).get("field", "")))).strip("."), e["msg"]) for e in error.errors()]
    return []


def test_a_practice_and_a_method_are_valid(vocabularies: Vocabularies) -> None:
    assert _errors(PRACTICE_FACTS, vocabularies) == []
    assert _errors({**BASE_FACTS, "kind": "method"}, vocabularies) == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "method"}, "municipalities", "a method claims no place"),
        ({"organisation": None}, "organisation", "a practice needs 'organisation'"),
        ({"municipalities": []}, "municipalities", "a practice needs 'municipalities'"),
        ({"evidence_level": None}, "evidence_level", "a practice needs 'evidence_level'"),
        ({"evidence_level": "described"}, "evidence_level", "unknown evidence_levels value 'described'"),
        ({"review": {"status": "example"}}, "review.status", "unknown review_statuses value 'example'"),
        ({"review": {"status": "draft", "last_reviewed": "2026-11-24"}}, "review.last_reviewed", "only a reviewed description"),
        ({"review": {"status": "reviewed"}}, "review.last_reviewed", "a reviewed description needs 'last_reviewed'"),
        ({"review": {"status": "sources-checked"}}, "review.sources_checked", "checked against its sources needs 'sources_checked'"),
        (
            {"review": {"status": "sources-checked", "sources_checked": "2026-12-01", "last_reviewed": "2026-12-01"}},
            "review.last_reviewed",
            "only a reviewed description",
        ),
        ({"review": {"status": "draft", "sources_checked": "2026-12-01"}}, "review.sources_checked", "a draft has no 'sources_checked'"),
        ({"review": {"status": "Nagekeken op bronnen"}}, "review.sources_checked", "checked against its sources needs"),  # its label
        ({"sources": [{"title": "Web", "url": "https://www.vvsg.be"}]}, "sources.0.accessed", "a web source needs 'accessed'"),
        ({"sources": [{"title": "Zonder adres"}]}, "sources.0.url", "a source without a web address must be a printed publication"),
        ({"presented_at": [{"event": "studiedag-mechelen-2015", "source": 2}]}, "presented_at.0.source", "source 2 does not exist"),
    ],
)
def test_rules_of_kind_review_sources_and_events(change: dict[str, Any], field: str, message: str, vocabularies: Vocabularies) -> None:
    data = {key: value for key, value in {**PRACTICE_FACTS, **change}.items() if value is not None}
    errors = _errors(data, vocabularies)
    assert len(errors) == 1, errors
    assert errors[0][0] == field
    assert message in errors[0][1]


def test_a_check_against_the_sources_is_a_review_step_of_its_own(vocabularies: Vocabularies) -> None:
    """'sources-checked' with its own date; a reviewed description may also carry the date of its check against the sources."""
    checked = {"status": "sources-checked", "sources_checked": "2026-12-01"}
    both = {"status": "reviewed", "last_reviewed": "2026-11-20", "sources_checked": "2026-12-01"}
    for review in (checked, both):
        assert _errors({**PRACTICE_FACTS, "review": review}, vocabularies) == []
    facts = PracticeFacts.model_validate({**PRACTICE_FACTS, "review": both}, context={"vocabularies": vocabularies})
    assert facts.review.sources_checked == datetime.date(2026, 12, 1)
    assert vocabularies["review_statuses"].label("sources-checked", "nl") == "Nagekeken op bronnen"
    assert vocabularies["review_statuses"].label("sources-checked", "en") == "Checked against sources"


# --- status, status_as_of and status_source ------------------------------------------------------------

SOURCE_2023 = [{"title": "Bron", "publisher": "VVSG", "published": "2023-05"}]
SOURCE_2025 = [{"title": "Bron", "publisher": "VVSG", "published": "2025-02-01"}]
UNDATED_WEB_SOURCE = [{"title": "Web", "url": "https://www.vvsg.be", "accessed": "2026-11-27"}]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"status": "running", "status_as_of": 2023, "sources": SOURCE_2023}, "status",
         f"status 'running' needs a source of {RECENT_STATUS_YEAR} or later, but status_as_of is 2023: "),
        ({"status": "pilot", "status_as_of": "2023-05", "sources": SOURCE_2023}, "status",
         "status 'pilot' needs a source of 2024 or later, but status_as_of is 2023-05"),
        ({"status": None}, "status", "a practice needs 'status': running, pilot, ended or unknown"),
        ({"status_as_of": None}, "status_as_of", "a practice needs 'status_as_of'"),
        ({"status_source": None}, "status_source", "a practice needs 'status_source'"),
        ({"status_source": 2}, "status_source", "source 2 does not exist: 'sources' lists 1"),
        ({"status_source": 0}, "status_source", "greater than or equal to 1"),
        ({"status_as_of": 2016}, "status_as_of", "status_as_of 2016 is later than source 1, published 2015"),
        ({"status_as_of": 2099}, "status_as_of", "status_as_of 2099 is after today"),
        ({"status_as_of": "2020-02", "sources": [{"title": "Web", "url": "https://www.vvsg.be", "accessed": "2020-01-10"}]},
         "status_as_of", "status_as_of 2020-02 is later than the day source 1 was read (2020-01-10)"),
        ({"status": "running", "status_as_of": 2025, "sources": UNDATED_WEB_SOURCE}, "status_source",
         "status 'running' needs a dated source, and source 1 has no valid 'published' date"),
        ({"status_as_of": "mei 2015"}, "status_as_of", "write a year (2019), a month (\"2019-06\") or a day (2019-06-17); 'mei 2015'"),
        ({"status_as_of": "2015-13"}, "status_as_of", "write a year (2019)"),
        ({"status_as_of": True}, "status_as_of", "write a year (2019)"),
        ({"status_as_of": 1900}, "status_as_of", "the year 1900 is outside 1950–2100"),
        ({"status": "lopend-ish"}, "status", "unknown statuses value 'lopend-ish'"),
    ],
)  # fmt: skip
def test_the_status_rests_on_a_recent_enough_source(change: dict[str, Any], field: str, message: str, vocabularies: Vocabularies) -> None:
    data = {key: value for key, value in {**PRACTICE_FACTS, **change}.items() if value is not None}
    errors = _errors(data, vocabularies)
    assert len(errors) == 1, errors
    assert errors[0][0] == field
    assert message in errors[0][1]


@pytest.mark.parametrize(
    "change",
    [
        {"status": "unknown", "status_as_of": 2019, "sources": [{"title": "Bron", "publisher": "VVSG", "published": "2019-03-01"}]},
        {"status": "ended", "status_as_of": "2015"},
        {"status": "running", "status_as_of": "2025-02", "sources": SOURCE_2025},
        {"status": "pilot", "status_as_of": RECENT_STATUS_YEAR, "sources": SOURCE_2025},  # the threshold year itself
        {"status": "unknown", "status_as_of": "2015-05-26"},  # a day of a source dated by its year only: not later
        {"status": "unknown", "status_as_of": datetime.date(2015, 5, 26)},  # as YAML reads 2015-05-26 unquoted
        {"status": "Onbekend", "status_as_of": 2015},  # a Dutch label, stored as its key
        {"status": "unknown", "status_as_of": 2017, "sources": UNDATED_WEB_SOURCE},  # an undated source, for a status not current
    ],
)
def test_statuses_the_rule_accepts(change: dict[str, Any], vocabularies: Vocabularies) -> None:
    assert _errors({**PRACTICE_FACTS, **change}, vocabularies) == []


def test_status_as_of_keeps_the_precision_it_was_given(vocabularies: Vocabularies) -> None:
    for written, stored, year in [(2019, "2019", 2019), ("2019-06", "2019-06", 2019), (datetime.date(2019, 6, 17), "2019-06-17", 2019)]:
        data = {**PRACTICE_FACTS, "status_as_of": written, "sources": [{"title": "B", "publisher": "VVSG", "published": "2020"}]}
        facts = PracticeFacts.model_validate(data, context={"vocabularies": vocabularies})
        assert facts.status_as_of == PartialDate.parse(stored)
        assert (str(facts.status_as_of), facts.status_as_of.year) == (stored, year)
        assert facts.model_dump(mode="json")["status_as_of"] == stored
    assert facts_schema_status_as_of()["type"] == ["integer", "string"]


def facts_schema_status_as_of() -> dict[str, Any]:
    prop: dict[str, Any] = PracticeFacts.model_json_schema()["properties"]["status_as_of"]["anyOf"][0]
    return prop


def test_partial_dates_compare_at_the_precision_they_share() -> None:
    day, month, year = PartialDate.parse("2019-06-17"), PartialDate.parse("2019-06"), PartialDate.parse("2019")
    assert not day.is_later_than(month) and not month.is_later_than(day) and not day.is_later_than(year)
    assert PartialDate.parse("2019-07").is_later_than(day) and not day.is_later_than(PartialDate.parse("2019-07"))
    assert PartialDate.parse("2020").is_later_than(day)
    with pytest.raises(ValueError):
        PartialDate.parse("2019-02-30")


def test_a_method_states_no_status(vocabularies: Vocabularies) -> None:
    for name, value in (("status", "unknown"), ("status_as_of", 2015), ("status_source", 1)):
        errors = _errors({**BASE_FACTS, "kind": "method", name: value}, vocabularies)
        assert [field for field, _ in errors] == [name]
        assert "a method claims no place" in errors[0][1]


def test_a_reviewed_page_and_a_dated_web_source_are_valid(vocabularies: Vocabularies) -> None:
    data = {
        **PRACTICE_FACTS,
        "review": {"status": "reviewed", "last_reviewed": "2026-11-27"},
        "sources": [{"title": "Web", "url": "https://www.vvsg.be", "accessed": "2026-11-27"}],
        "presented_at": [{"event": "studiedag-mechelen-2015", "source": 1}],
    }
    assert _errors(data, vocabularies) == []


def test_sections_are_worded_per_kind(vocabularies: Vocabularies) -> None:
    sections = vocabularies["sections"]
    assert [term.label("nl") for term in sections.for_kind("method")][4] == "Aandachtspunten"
    assert [term.label("en") for term in sections.for_kind("method")][4] == "Points of attention"
    assert [term.label("nl") for term in sections.for_kind("practice")][4] == "Geleerde lessen"
    assert [term.key for term in sections.for_kind("method")] == sections.keys()


def test_a_variant_needs_both_labels(tmp_path: Path) -> None:
    path = tmp_path / "vocabularies.yml"
    path.write_text("sections:\n  lessons:\n    nl: Geleerde lessen\n    en: Lessons learned\n    method:\n      nl: Aandachtspunten\n")
    with pytest.raises(VocabularyError, match=r"vocabularies.yml:5: variant 'sections.lessons.method' needs a text label"):
        load_vocabularies(path)
