"""Vocabularies, the typed model and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from handbook.model import LANGUAGE_NEUTRAL_FIELDS, PracticeFacts, PracticeText
from handbook.schema import SCHEMA_FILES, json_schema, schema_texts
from handbook.vocabulary import Vocabularies, VocabularyError, load_vocabularies
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
    named = {"themes", "pillars", "prevention_levels", "target_groups", "policy_domains", "provinces", "statuses",
             "evidence_levels", "review_statuses", "sections"}  # fmt: skip
    assert named <= set(vocabularies.by_name)


def test_fixed_vocabularies(vocabularies: Vocabularies) -> None:
    assert vocabularies["themes"].keys()[:7] == WORKSHOP_THEMES
    assert vocabularies["prevention_levels"].keys() == ["primary", "secondary", "tertiary"]
    assert vocabularies["statuses"].keys() == ["pilot", "running", "ended"]
    assert vocabularies["review_statuses"].keys() == ["draft", "example", "reviewed"]
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
    assert {"id", "themes", "sources", "related", "events", "review"} <= LANGUAGE_NEUTRAL_FIELDS
    assert not {"title", "summary", "translation_of"} & LANGUAGE_NEUTRAL_FIELDS


def test_vocabulary_values_are_checked_only_with_vocabularies(vocabularies: Vocabularies) -> None:
    data = {
        "id": "abc", "themes": ["jeugwerk"], "pillars": ["integrale-aanpak"], "prevention_levels": ["primary"],
        "target_groups": ["jongeren"], "policy_domains": ["jeugd"], "evidence_level": "described",
        "review": {"status": "draft", "last_reviewed": "2026-11-24"}, "sources": [{"title": "Bron"}],
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
    "provinces": "provinces",
}


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
    assert facts_schema["properties"]["evidence_level"]["enum"] == vocabularies["evidence_levels"].keys()
    status_options = facts_schema["properties"]["status"]["anyOf"]
    assert {"type": "null"} in status_options
    assert [option["enum"] for option in status_options if "enum" in option] == [["pilot", "running", "ended"]]
    review = facts_schema["$defs"]["Review"]
    assert review["properties"]["status"]["enum"] == ["draft", "example", "reviewed"]
    assert review["required"] == ["status", "last_reviewed"]
    assert facts_schema["properties"]["evidence_level"]["markdownEnumDescriptions"][0] == "Niet geëvalueerd / Not evaluated"


def test_required_fields_are_listed(facts_schema: dict[str, Any]) -> None:
    assert set(facts_schema["required"]) == {
        "id", "themes", "pillars", "prevention_levels", "target_groups", "policy_domains", "evidence_level", "review",
        "sources",
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
