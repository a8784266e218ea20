"""The issue form "Stel een praktijk voor / Propose a practice" and `handbook from-issue`.

The recorded body in tests/fixtures/issue-forms/ is written exactly as GitHub renders an answered form:
`### <label>`, a blank line, the answer, `_No response_` for an empty one, `- [X] ` for a ticked box.
"""

from __future__ import annotations

import argparse
import datetime
import io
import re
import sys
from pathlib import Path

import pytest
import yaml

from handbook.content.vocabulary import Vocabularies, load_vocabularies
from handbook.contribute.from_issue import IssueFormError, add_command, proposal_from_issue
from handbook.contribute.issue_form import FORM_FILE, NO_RESPONSE, form_fields, form_yaml, option_text
from handbook.contribute.scaffold import slugify
from handbook.gate import load_content
from support import FIXTURES, REPO, VALID, VOCABULARIES, content_root, handbook_command, settings_for

RECORDED = FIXTURES / "issue-forms" / "vorming-signaalherkenning.md"
RECORDED_ID = "vorming-signaalherkenning-voor-eerstelijnswerkers"
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(scope="module")
def vocabularies() -> Vocabularies:
    return load_vocabularies(VOCABULARIES)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A repository root with the valid fixture practices, the real vocabularies and handbooks."""
    return content_root(tmp_path / "repo", VALID)


def recorded_body() -> str:
    return RECORDED.read_text(encoding="utf-8")


def label_of(field_id: str, vocabularies: Vocabularies) -> str:
    return next(question.label for question in form_fields(vocabularies) if question.id == field_id)


def with_answer(body: str, label: str, answer: str) -> str:
    """The body with one question's answer replaced, as if the proposer had written `answer`."""
    labels = [question.label for question in form_fields(load_vocabularies(VOCABULARIES))]
    heading = f"### {label}\n\n"
    start = body.index(heading) + len(heading)
    following = labels[labels.index(label) + 1 :]
    end = min((body.find(f"\n\n### {other}\n", start) for other in following if f"\n\n### {other}\n" in body[start:]), default=len(body))
    return body[:start] + answer + body[end:]


def from_issue(root: Path, body_file: str, *extra: str) -> int:
    """Run `handbook from-issue` through the parser that `add_command` builds."""
    parser = argparse.ArgumentParser(prog="handbook")
    add_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["from-issue", body_file, "--root", str(root), *extra])
    return int(args.func(args))


def write_body(tmp_path: Path, body: str) -> str:
    path = tmp_path / "issue.md"
    path.write_text(body, encoding="utf-8")
    return str(path)


# --- the form file ----------------------------------------------------------------------------------------


def test_the_committed_form_is_generated_from_the_declaration(vocabularies: Vocabularies) -> None:
    committed = (REPO / FORM_FILE).read_text(encoding="utf-8")
    assert committed == form_yaml(vocabularies), f"{FORM_FILE} is out of date: run `python -m handbook.contribute.issue_form`"


def test_the_form_has_what_github_requires_and_the_schema_needs(vocabularies: Vocabularies) -> None:
    form = yaml.safe_load((REPO / FORM_FILE).read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    questions = [element for element in form["body"] if element["type"] != "markdown"]
    ids = [element["id"] for element in questions]
    labels = [element["attributes"]["label"] for element in questions]
    assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", element_id) for element_id in ids)
    required = {element["id"] for element in questions if element.get("validations", {}).get("required")}
    sections = [term.key for term in vocabularies["sections"]]
    schema_required = ["language", "title", "summary", "themes", "pillars", "prevention_levels", "target_groups", "policy_domains"]
    assert {*schema_required, "kind", "sources", *sections} <= required
    assert "evidence_level" not in required  # a method has none
    by_id = {element["id"]: element for element in questions}
    assert "provinces" not in by_id  # they follow from the municipalities
    for name in ("themes", "pillars", "prevention_levels", "target_groups", "policy_domains"):
        options = by_id[name]["attributes"]["options"]
        assert options == [option_text(term) for term in vocabularies[name]]
        assert by_id[name]["attributes"].get("multiple") is True
    consent = by_id["consent"]["attributes"]["options"]
    assert len(consent) == 1 and consent[0]["required"] is True
    assert "persoonsgegevens" in consent[0]["label"] and "personal data" in consent[0]["label"]
    assert {"municipalities", "organisation", "contact_organisation", "contact_url"} <= set(ids)


def test_labels_are_bilingual(vocabularies: Vocabularies) -> None:
    for question in form_fields(vocabularies):
        nl, _, en = question.label.partition(" / ")
        assert nl and (en or question.label in {"Context", "Partners", "Status"}), question.label


# --- the recorded issue -----------------------------------------------------------------------------------


def test_the_recorded_issue_becomes_a_practice_that_passes_check(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert from_issue(root, str(RECORDED)) == 0
    out, err = capsys.readouterr()
    assert out == f"practices/{RECORDED_ID}\n"
    assert "passes `handbook check`" in err

    content = load_content(settings_for(root))
    assert [problem.format(root) for problem in content.problems] == []
    practice = content.by_id()[RECORDED_ID]
    facts = practice.facts
    assert facts.themes == ["deskundigheidsbevordering", "polarisatie"]
    assert facts.pillars == ["preventief-netwerk", "mensen-die-handelen"]
    assert facts.prevention_levels == ["primary", "secondary"]
    assert facts.target_groups == ["scholen", "eerstelijnswerkers"]
    assert facts.policy_domains == ["veiligheid", "jeugd", "onderwijs", "welzijn"]
    assert facts.partners == ["Lokale politie", "Centrum voor leerlingenbegeleiding (CLB)", "Jeugddienst"]
    assert facts.municipalities == [] and facts.contact is None
    assert facts.kind == "method" and facts.evidence_level is None
    assert facts.review.status == "draft"
    assert [source.title for source in facts.sources][1].startswith("Preventing Radicalisation")
    first = facts.sources[0]
    assert (first.publisher, first.published) == ("Belgisch Staatsblad", "2018-09-14")
    assert first.url == "https://www.ejustice.just.fgov.be/eli/wet/2018/07/30/2018031809/justel"
    assert sorted(practice.translations) == ["nl"]
    text = practice.translations["nl"]
    assert text.text.title == "Vorming signaalherkenning voor eerstelijnswerkers"
    assert text.text.summary.startswith("Een vorming waarin jeugdwerkers")
    assert "### Opbouw van de sessies" in text.body  # the proposer's own heading stays inside 'Aanpak'
    assert sorted(path.name for path in (root / "practices" / RECORDED_ID).iterdir()) == ["nl.md", "practice.yml"]


def test_windows_line_endings_from_the_api_read_the_same(vocabularies: Vocabularies) -> None:
    body = recorded_body()
    assert proposal_from_issue(body.replace("\n", "\r\n"), vocabularies, today=TODAY) == proposal_from_issue(
        body, vocabularies, today=TODAY
    )


def test_the_body_can_come_from_standard_input(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(recorded_body()))
    assert from_issue(root, "-") == 0
    assert capsys.readouterr().out == f"practices/{RECORDED_ID}\n"


def test_an_english_proposal_becomes_en_md_with_the_english_sections(root: Path, tmp_path: Path, vocabularies: Vocabularies) -> None:
    body = with_answer(recorded_body(), label_of("language", vocabularies), "English (en)")
    body = with_answer(body, label_of("title", vocabularies), "Training frontline workers to recognise signs")
    summary = (  # in English too: the terminology refuses Dutch words in an English text
        "A training in which youth workers, teachers, social workers and neighbourhood inspectors learn to read "
        "worrying signs of radicalisation without stigmatising, and know whom to turn to with their concern."
    )
    body = with_answer(body, label_of("summary", vocabularies), summary)
    assert from_issue(root, write_body(tmp_path, body)) == 0
    folder = root / "practices" / "training-frontline-workers-to-recognise-signs"
    assert sorted(path.name for path in folder.iterdir()) == ["en.md", "practice.yml"]
    headings = re.findall(r"^## (.+)$", (folder / "en.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert headings == [term.label("en") for term in vocabularies["sections"].for_kind("method")]
    assert "## Points of attention" in (folder / "en.md").read_text(encoding="utf-8")
    assert load_content(settings_for(root)).problems == []


def test_place_period_status_and_contact_are_read(vocabularies: Vocabularies) -> None:
    answers = {
        "kind": "Praktijk / Practice (practice)",
        "evidence_level": "Geen evaluatie bekend / No evaluation known (not-evaluated)",
        "municipalities": "Mechelen, Vilvoorde",
        "organisation": "Stad Mechelen",
        "start_year": "2016",
        "status": "Afgelopen / Ended (ended)",
        "status_as_of": "2018-09",
        "status_source": "1",
        "contact_organisation": "Preventiedienst",
        "contact_url": "https://www.example.org/preventie",
    }
    body = recorded_body()
    for field_id, answer in answers.items():
        body = with_answer(body, label_of(field_id, vocabularies), answer)
    facts = proposal_from_issue(body, vocabularies, today=TODAY).facts
    assert facts["municipalities"] == ["Mechelen", "Vilvoorde"]
    assert "provinces" not in facts  # they follow from the municipalities
    assert facts["organisation"] == "Stad Mechelen"
    assert (facts["start_year"], facts["status"], facts["status_as_of"], facts["status_source"]) == (2016, "ended", "2018-09", 1)
    assert facts["contact"] == {"organisation": "Preventiedienst", "url": "https://www.example.org/preventie"}
    assert facts["review"] == {"status": "draft"}  # no review date before a review
    assert facts["sources"][0]["accessed"] == TODAY.isoformat()  # a web source is dated the day it was proposed
    assert list(facts)[:4] == ["id", "kind", "municipalities", "organisation"]  # the order of the schema


def test_keys_and_labels_typed_by_hand_are_understood(vocabularies: Vocabularies) -> None:
    body = with_answer(recorded_body(), label_of("themes", vocabularies), "onderwijs\nJeugdwerk")
    assert proposal_from_issue(body, vocabularies, today=TODAY).facts["themes"] == ["onderwijs", "jeugdwerk"]


def test_headings_in_a_section_are_kept_inside_it(vocabularies: Vocabularies) -> None:
    text = "## Stap voor stap\n\nEerst dit.\n\n### Context\n\nDit hoort bij de aanpak.\n\n```\n## geen kop\n```"
    body = with_answer(recorded_body(), label_of("approach", vocabularies), text)
    approach = proposal_from_issue(body, vocabularies, today=TODAY).sections["approach"]
    assert approach == "### Stap voor stap\n\nEerst dit.\n\n### Context\n\nDit hoort bij de aanpak.\n\n```\n## geen kop\n```"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Vorming signaalherkenning voor eerstelijnswerkers", "vorming-signaalherkenning-voor-eerstelijnswerkers"),
        ("Één café: dialoog & ontmoeting in 't Stadhuis!", "een-cafe-dialoog-ontmoeting-in-t-stadhuis"),
        ("LIVC-R", "livc-r"),
        (
            "Een bijzonder lange titel die veel meer woorden telt dan in een sleutel van zestig tekens passen",
            "een-bijzonder-lange-titel-die-veel-meer-woorden-telt-dan-in",
        ),
    ],
)
def test_the_id_is_made_from_the_title(title: str, expected: str) -> None:
    slug = slugify(title)
    assert slug == expected
    assert len(slug) <= 60 and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)


# --- what cannot become a practice ----------------------------------------------------------------------


def test_missing_required_answers_are_all_reported_without_writing_anything(
    root: Path, tmp_path: Path, vocabularies: Vocabularies, capsys: pytest.CaptureFixture[str]
) -> None:
    body = recorded_body()
    for field_id in ("title", "themes", "aims"):
        body = with_answer(body, label_of(field_id, vocabularies), NO_RESPONSE)
    before = sorted((root / "practices").iterdir())
    assert from_issue(root, write_body(tmp_path, body)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    for field_id in ("title", "themes", "aims"):
        assert f"'{label_of(field_id, vocabularies)}': required, but the issue has no answer" in err
    assert sorted((root / "practices").iterdir()) == before


def test_the_consent_box_must_be_ticked(vocabularies: Vocabularies) -> None:
    label = label_of("consent", vocabularies)
    body = recorded_body().replace("- [X] ", "- [ ] ")
    with pytest.raises(IssueFormError) as raised:
        proposal_from_issue(body, vocabularies)
    assert raised.value.messages == [f"'{label}': tick the box to confirm that the proposal contains no personal data"]


def test_values_the_schema_refuses_are_named_by_their_label(vocabularies: Vocabularies) -> None:
    body = with_answer(recorded_body(), label_of("summary", vocabularies), "Te kort.")
    body = with_answer(body, label_of("start_year", vocabularies), "vorig jaar")
    body = with_answer(body, label_of("themes", vocabularies), "jeugwerk")
    body = with_answer(body, label_of("contact_url", vocabularies), "https://www.example.org")
    with pytest.raises(IssueFormError) as raised:
        proposal_from_issue(body, vocabularies)
    messages = "\n".join(raised.value.messages)
    assert "'Startjaar / Start year': 'vorig jaar' is not a year" in messages
    assert "'Thema's / Themes': unknown choice 'jeugwerk'; did you mean 'jeugdwerk'?" in messages
    assert "'Contactorganisatie / Contact organisation': give the organisation's name with its website" in messages

    body = with_answer(recorded_body(), label_of("summary", vocabularies), "Te kort.")
    with pytest.raises(IssueFormError) as raised:
        proposal_from_issue(body, vocabularies)
    assert raised.value.messages == ["'Samenvatting / Summary' ('Te kort.'): String should have at least 20 characters"]


def test_a_former_or_misspelt_municipality_in_a_proposal_is_named_with_the_current_one(vocabularies: Vocabularies) -> None:
    body = with_answer(recorded_body(), label_of("kind", vocabularies), "Praktijk / Practice (practice)")
    body = with_answer(body, label_of("municipalities", vocabularies), "Ham, Mechlen")
    with pytest.raises(IssueFormError) as raised:
        proposal_from_issue(body, vocabularies, today=TODAY)
    messages = "\n".join(raised.value.messages)
    assert "since 2025-01-01 it is part of Tessenderlo-Ham; write 'Tessenderlo-Ham' here" in messages
    assert "did you mean 'Mechelen'?" in messages


def test_an_existing_folder_is_never_overwritten(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = root / "practices" / RECORDED_ID
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert from_issue(root, str(RECORDED)) == 1
    assert "already exists" in capsys.readouterr().err
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]


def test_another_id_can_be_given(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert from_issue(root, str(RECORDED), "--id", "signaalherkenning") == 0
    assert capsys.readouterr().out == "practices/signaalherkenning\n"
    assert "signaalherkenning" in load_content(settings_for(root)).by_id()


def test_an_unreadable_body_file_is_a_clear_error(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert from_issue(root, str(tmp_path / "missing.md")) == 1
    err = capsys.readouterr().err
    assert "cannot read the issue body" in err and "Traceback" not in err


def test_a_body_that_is_no_form_at_all_lists_what_is_missing(vocabularies: Vocabularies) -> None:
    with pytest.raises(IssueFormError) as raised:
        proposal_from_issue("Hallo, ik heb een goed idee voor het handboek.", vocabularies)
    assert len(raised.value.messages) > 10


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="handbook")
    add_command(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["from-issue", "--help"])
    assert exited.value.code == 0
    assert "BODY_FILE" in capsys.readouterr().out


def test_the_handbook_command_runs_it(root: Path) -> None:
    """`handbook from-issue` is a subcommand of the `handbook` command (the workflow calls it so)."""
    result = handbook_command("from-issue", RECORDED, "--root", root)
    assert (result.returncode, result.stdout) == (0, f"practices/{RECORDED_ID}\n"), result.stderr
