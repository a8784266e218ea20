"""Handbook definitions: strict loading with `path:line` problems, which practices they hold, handbook pages."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import jinja2
import pytest

from handbook.content.handbook_loading import check_handbooks, load_handbook
from handbook.content.handbook_model import Handbook
from handbook.content.model import Practice
from handbook.content.vocabulary import Vocabularies, load_vocabularies
from handbook.gate import load_content
from handbook.problems import Problem
from handbook.urls import pdf_href
from handbook.views.handbooks import PdfInfo, handbook_pages, handbook_titles, handbook_view
from handbook.views.labels import format_size
from handbook.views.selection import handbook_practices
from support import FIXTURES, HANDBOOKS, REPO, VOCABULARIES, make_practice, repo_settings

FIXTURE_HANDBOOK = FIXTURES / "handbooks" / "fixture-dag.yml"


@pytest.fixture(scope="module")
def vocabularies() -> Vocabularies:
    return load_vocabularies(VOCABULARIES)


def load(path: Path, vocabularies: Vocabularies) -> Handbook:
    problems: list[Problem] = []
    handbook = load_handbook(path, vocabularies, problems)
    assert problems == []
    assert handbook is not None
    return handbook


def problems_of(tmp_path: Path, text: str, vocabularies: Vocabularies, practices: list[Practice] | None = None) -> list[str]:
    """The problems `handbook check` reports for one definition file `handbooks/dag.yml`."""
    folder = tmp_path / "handbooks"
    folder.mkdir()
    (folder / "dag.yml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    loaded = check_handbooks(folder, vocabularies, practices if practices is not None else [make_practice("alpha-praktijk")])
    return [problem.format(tmp_path) for problem in loaded.problems]


VALID_HEAD = "id: dag\ntitle: {nl: Een dag, en: A day}\n"


# --- the shipped definitions -------------------------------------------------------------------------


def test_the_shipped_handbooks_are_valid_and_hold_practices() -> None:
    content = load_content(repo_settings())
    loaded = check_handbooks(HANDBOOKS, content.vocabularies, content.practices)
    assert [problem.format(REPO) for problem in loaded.problems] == []
    assert sorted(loaded.by_id()) == ["alle-praktijken", "studiedag-mechelen-2015"]
    everything = handbook_practices(loaded.by_id()["alle-praktijken"], content.by_id(), "nl")
    assert sorted(practice.id for practice in everything) == sorted(content.by_id())
    study_day = handbook_practices(loaded.by_id()["studiedag-mechelen-2015"], content.by_id(), "en")
    presented = {
        practice.id
        for practice in content.practices
        if "studiedag-mechelen-2015" in [presentation.event for presentation in practice.facts.presented_at]
    }
    assert presented <= {practice.id for practice in study_day}
    assert presented == set()  # no source says which practices were presented on 26 May 2015


def test_the_2015_study_day_holds_only_known_facts(vocabularies: Vocabularies) -> None:
    definition = load(HANDBOOKS / "studiedag-mechelen-2015.yml", vocabularies).definition
    assert definition.date == datetime.date(2015, 5, 26)
    assert definition.venue is not None and "Lamot" in definition.venue
    assert list(definition.organisers) == ["Stad Mechelen", "VVSG"]
    items = [item for session in definition.programme for item in (session, *session.workshops)]
    assert all(item.time is None and item.room is None and not item.speakers for item in items)
    themes = [theme for session in definition.programme for workshop in session.workshops for theme in workshop.themes]
    assert themes == [
        "identiteitsontplooiing",
        "familieondersteuning",
        "politiewerk-multiculturele-buurten",
        "beroepsgeheim",
        "onderwijs",
        "tewerkstelling",
        "jeugdwerk",
    ]


# --- strict loading ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            VALID_HEAD + "selection: {all: true}\ntitle: {nl: Nog eens, en: Again}\n",
            ["handbooks/dag.yml:4: duplicate key 'title' (first written on line 2)"],
            id="duplicate-key",
        ),
        pytest.param(
            VALID_HEAD + "programme:\n  - title: {nl: Sessie, en: Session}\n    practices: [alpha-praktik]\n",
            [
                "handbooks/dag.yml:5: field 'programme[0].practices[0]': no practice with id 'alpha-praktik' exists in practices/; did you mean 'alpha-praktijk'?"
            ],
            id="unknown-practice-id",
        ),
        pytest.param(
            VALID_HEAD
            + "programme:\n  - title: {nl: Sessie, en: Session}\n    workshops:\n      - title: {nl: W, en: W}\n        practices: [alpha-praktijk, onbekend]\n",
            ["handbooks/dag.yml:7: field 'programme[0].workshops[0].practices[1]': no practice with id 'onbekend' exists in practices/"],
            id="unknown-practice-id-in-workshop",
        ),
        pytest.param(
            VALID_HEAD + "selection:\n  themes: [onderwijs, jeugwerk]\n",
            [
                "handbooks/dag.yml:4: field 'selection.themes[1]': unknown themes value 'jeugwerk'; did you mean 'jeugdwerk' (Youth work)?; allowed: "
                + ", ".join(load_vocabularies(VOCABULARIES)["themes"].keys())
            ],
            id="bad-vocabulary",
        ),
        pytest.param(
            VALID_HEAD + "selection: {all: true}\nprogramme:\n  - title: {nl: Sessie, en: Session}\n    time: 10:30\n",
            [
                "handbooks/dag.yml:6: field 'programme[0].time': YAML reads 10:30 as a number, not as text; "
                'put it in quotes ("10:30") or correct it (Input should be a valid string)'
            ],
            id="unquoted-time",
        ),
        pytest.param(
            VALID_HEAD + 'selection: {all: true}\nprogramme:\n  - title: {nl: Sessie, en: Session}\n    time: "9:30"\n',
            [
                "handbooks/dag.yml:6: field 'programme[0].time': String should match pattern '^([01]\\d|2[0-3]):[0-5]\\d(-([01]\\d|2[0-3]):[0-5]\\d)?$'"
            ],
            id="malformed-time",
        ),
        pytest.param(
            VALID_HEAD + "programme:\n  - title: {nl: Sessie, en: Session}\n    workshops:\n      - title: {nl: W, en: W}\n",
            [
                "handbooks/dag.yml:6: field 'programme[0].workshops[0]': a workshop presents practices: give 'practices' (ids), 'themes' or both"
            ],
            id="workshop-without-practices",
        ),
        pytest.param(
            VALID_HEAD + "selection: {all: true, themes: [onderwijs]}\n",
            ["handbooks/dag.yml:3: field 'selection': 'all: true' selects every practice: leave out the other filters"],
            id="all-and-filters",
        ),
        pytest.param(
            VALID_HEAD + "selection: {events: [studiedag-gent-2016]}\n",
            ["handbooks/dag.yml:3: field 'selection.events[0]': no handbook 'studiedag-gent-2016' in handbooks/ (known: dag)"],
            id="unknown-event",
        ),
        pytest.param(
            "id: dag\ntitle: {nl: Alleen Nederlands}\nselection: {all: true}\n",
            ["handbooks/dag.yml:2: missing required field 'title.en': English text."],
            id="title-in-one-language",
        ),
        pytest.param(
            "id: andere-dag\ntitle: {nl: Een dag, en: A day}\nselection: {all: true}\n",
            ["handbooks/dag.yml:1: field 'id': 'andere-dag' does not match the file name 'dag'; they must be equal"],
            id="id-not-file-name",
        ),
        pytest.param(
            VALID_HEAD + "selection: {all: true}\nvenu: Lamot\n",
            [
                "handbooks/dag.yml:4: unknown field 'venu'; did you mean 'venue'? (allowed here: id, title, subtitle, date, venue, "
                "organisers, introduction, programme, selection, appendix)"
            ],
            id="unknown-field",
        ),
        pytest.param(
            VALID_HEAD,
            ["handbooks/dag.yml:1: the handbook holds no practice: link practices from the 'programme' or add a 'selection'"],
            id="no-practices",
        ),
    ],
)
def test_bad_definitions_are_reported_with_path_and_line(
    tmp_path: Path, vocabularies: Vocabularies, text: str, expected: list[str]
) -> None:
    assert problems_of(tmp_path, text, vocabularies) == expected


# --- which practices a handbook holds ----------------------------------------------------------------


def handbook_from(tmp_path: Path, text: str, vocabularies: Vocabularies) -> Handbook:
    path = tmp_path / "dag.yml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return load(path, vocabularies)


@pytest.fixture
def practices() -> dict[str, Practice]:
    """Four practices by id, as `Content.by_id()` gives them."""
    made = [
        make_practice("zorg-praktijk", themes=["familieondersteuning"], titles={"nl": "Aa zorg", "en": "Zz care"}),
        make_practice("school-praktijk", themes=["onderwijs"], pillars=["lokale-dialoog"], titles={"nl": "Bb school", "en": "Bb school"}),
        make_practice("jeugd-praktijk", themes=["onderwijs", "jeugdwerk"], titles={"nl": "Cc jeugd", "en": "Aa youth"}),
        make_practice(
            "dag-praktijk", themes=["lokale-regie"], presented_at=[{"event": "dag", "source": 1}], titles={"nl": "Dd dag", "en": "Dd day"}
        ),
    ]
    return {practice.id: practice for practice in made}


def test_practices_follow_the_programme_then_the_selection_each_once(
    tmp_path: Path, vocabularies: Vocabularies, practices: dict[str, Practice]
) -> None:
    handbook = handbook_from(
        tmp_path,
        """
        id: dag
        title: {nl: Een dag, en: A day}
        programme:
          - title: {nl: Sessie, en: Session}
            practices: [school-praktijk]
            workshops:
              - title: {nl: Onderwijs, en: Education}
                themes: [onderwijs]
              - title: {nl: Zorg, en: Care}
                practices: [zorg-praktijk, school-praktijk]
        selection: {events: [dag]}
        """,
        vocabularies,
    )
    assert [p.id for p in handbook_practices(handbook, practices, "nl")] == [
        "school-praktijk",
        "jeugd-praktijk",
        "zorg-praktijk",
        "dag-praktijk",
    ]
    # Theme matches are sorted by title in the reader's language; ids keep their written order.
    assert [p.id for p in handbook_practices(handbook, practices, "en")] == [
        "school-praktijk",
        "jeugd-praktijk",
        "zorg-praktijk",
        "dag-praktijk",
    ]


def test_a_selection_combines_facets_with_and_and_values_with_or(
    tmp_path: Path, vocabularies: Vocabularies, practices: dict[str, Practice]
) -> None:
    text = "id: dag\ntitle: {nl: Een dag, en: A day}\nselection: {themes: [onderwijs, familieondersteuning], pillars: [lokale-dialoog]}\n"
    assert [p.id for p in handbook_practices(handbook_from(tmp_path, text, vocabularies), practices, "nl")] == ["school-praktijk"]
    everything = handbook_from(tmp_path, "id: dag\ntitle: {nl: Een dag, en: A day}\nselection: {all: true}\n", vocabularies)
    assert [p.id for p in handbook_practices(everything, practices, "en")] == [
        "jeugd-praktijk",
        "school-praktijk",
        "dag-praktijk",
        "zorg-praktijk",
    ]


# --- event pages -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_handbook(vocabularies: Vocabularies) -> Handbook:
    return load(FIXTURE_HANDBOOK, vocabularies)


def test_handbook_view_links_workshops_to_practices_and_the_pdf(fixture_handbook: Handbook, valid_content) -> None:  # type: ignore[no-untyped-def]
    settings = repo_settings().markdown.contributed
    view = handbook_view(
        fixture_handbook,
        valid_content.by_id(),
        valid_content.vocabularies,
        "en",
        PdfInfo(pdf_href("fixture-dag", "en"), 1_450_000),
        settings,
    )
    assert view["title"] == "Test day on local prevention"
    assert view["date"] == "2015-05-26" and view["date_label"] == "26 May 2015"
    assert "<strong>test introduction</strong>" in view["introduction"]
    welcome, workshops = view["programme"]["sessions"]
    assert (welcome["title"], welcome["time"], welcome["workshops"]) == ("Welcome", "09:00–09:30", [])
    school, secrecy = workshops["workshops"]
    assert (school["room"], school["speakers"]) == ("Zaal A", ["Testspreker"])
    assert school["practices"] == [
        {
            "id": "alpha-praktijk",
            "title": "Alpha, a bridge between school and youth work",
            "url": "../../praktijken/alpha-praktijk/",
            "lang": None,
        }
    ]
    assert secrecy["themes"] == ["Professional secrecy and information sharing"]
    assert [practice["url"] for practice in secrecy["practices"]] == ["../../praktijken/gamma-practice/"]
    assert view["programme"]["columns"] == {"time": True, "room": True, "speakers": True}
    # beta-praktijk has Dutch text only: the English page marks its title as Dutch.
    assert [(p["id"], p["lang"]) for p in view["practices"]] == [
        ("alpha-praktijk", None),
        ("gamma-practice", None),
        ("beta-praktijk", "nl"),
    ]
    assert view["pdf"] == {"url": "../../../studiedagen/fixture-dag/fixture-dag-en.pdf", "size": 1_450_000, "size_label": "PDF, 1.4 MB"}
    assert view["pdf_not_built"] is False


def test_handbook_view_without_pdf_says_so(fixture_handbook: Handbook, valid_content) -> None:  # type: ignore[no-untyped-def]
    view = handbook_view(
        fixture_handbook, valid_content.by_id(), valid_content.vocabularies, "nl", None, repo_settings().markdown.contributed
    )
    assert view["pdf"] is None and view["pdf_not_built"] is True
    assert view["date_label"] == "26 mei 2015"


def test_handbook_template_renders_an_accessible_programme(fixture_handbook: Handbook, valid_content) -> None:  # type: ignore[no-untyped-def]
    loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader({"main.html": "<main>{% block handbook_content %}{% endblock %}</main>"}),
            jinja2.FileSystemLoader(REPO / "overrides"),
        ]
    )
    template = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined).get_template("handbook.html")
    pdf = PdfInfo("fixture-dag-nl.pdf", 250_000)
    view = handbook_view(
        fixture_handbook, valid_content.by_id(), valid_content.vocabularies, "nl", pdf, repo_settings().markdown.contributed
    )
    html = template.render(handbook=view, page={"title": view["title"]})
    assert "<caption>Programma van Testdag over lokale preventie</caption>" in html
    assert html.count('<th scope="col" id="hb-p-') == 5
    assert '<th scope="rowgroup" id="hb-p-s1" colspan="5">09:00–09:30 · Onthaal</th>' in html
    assert '<th scope="row" id="hb-p-s2-1" headers="hb-p-item hb-p-s2">School en jeugdwerk</th>' in html
    assert '<td headers="hb-p-room hb-p-s2 hb-p-s2-1">' in html  # every cell names its headers (HTML_CodeSniffer H43)
    assert '<a href="../../praktijken/alpha-praktijk/">Alfa, een brug tussen school en jeugdwerk</a>' in html
    assert '<a href="../../praktijken/gamma-practice/" lang="en">' in html
    assert 'href="fixture-dag-nl.pdf" type="application/pdf" download' in html and "(PDF, 250 kB)" in html
    not_built = template.render(handbook={**view, "pdf": None, "pdf_not_built": True}, page={"title": view["title"]})
    assert "niet gemaakt" in not_built and ".pdf" not in not_built


def test_handbook_pages_titles_and_pdf_links(fixture_handbook: Handbook) -> None:
    files = {file.path: file.content for file in handbook_pages([fixture_handbook])}
    assert sorted(files) == ["fixture-dag.en.md", "fixture-dag.nl.md"]
    assert 'template: "handbook.html"\n' in files["fixture-dag.nl.md"] and 'handbook: "fixture-dag"\n' in files["fixture-dag.nl.md"]
    assert 'title: "Test day on local prevention"\n' in files["fixture-dag.en.md"]
    assert handbook_titles([fixture_handbook], "nl") == {"fixture-dag": "Testdag over lokale preventie"}
    assert pdf_href("fixture-dag", "nl") == "fixture-dag-nl.pdf"
    assert (format_size(999, "nl"), format_size(1_234_567, "nl"), format_size(1_234_567, "en")) == ("1 kB", "1,2 MB", "1.2 MB")


# --- honest wording of events -------------------------------------------------------------------------


def test_event_texts_do_not_claim_which_practices_were_presented() -> None:
    from handbook.views.labels import handbook_labels as event_labels

    for language in ("nl", "en"):
        labels = event_labels(language)
        assert "aan bod kwamen" not in labels["handbooks_intro"] and "presented" not in labels["handbooks_intro"]
        assert "thema" in labels["programme_themes_note"].lower() or "theme" in labels["programme_themes_note"].lower()
    assert "niet noodzakelijk op de dag voorgesteld" in event_labels("nl")["programme_themes_note"]
    assert "not necessarily presented on the day" in event_labels("en")["programme_themes_note"]


def test_the_programme_says_its_pages_are_on_the_workshop_themes_on_the_site_and_in_the_pdf() -> None:
    for template in (REPO / "overrides" / "handbook.html", REPO / "print" / "partials" / "programme.html"):
        text = template.read_text(encoding="utf-8")
        assert "programme_themes_note" in text and "programme_on_theme" in text, template


def test_the_2015_handbook_introduction_says_it_is_no_record_of_the_day(vocabularies: Vocabularies) -> None:
    definition = load(HANDBOOKS / "studiedag-mechelen-2015.yml", vocabularies).definition
    assert definition.introduction is not None
    assert "geen verslag van de dag" in definition.introduction.nl
    assert "not a record of the day" in definition.introduction.en
    assert definition.selection is None  # no practice lists the day: no source says what was presented


def test_the_full_handbook_prints_the_templates_as_an_appendix(vocabularies: Vocabularies) -> None:
    from handbook.pdf.render import appendix_view, print_markdown

    definition = load(HANDBOOKS / "alle-praktijken.yml", vocabularies).definition
    assert definition.appendix == ["sjablonen/livc-r-werkafspraken", "sjablonen/doorverwijsnota", "sjablonen/schoolprocedure"]
    settings = print_markdown(repo_settings().markdown)
    for language in ("nl", "en"):
        for page in definition.appendix:
            view = appendix_view(page, language, settings, repo_settings().layout)
            assert view["title"].startswith(("Sjabloon:", "Template:"))
            assert view["html"].startswith(f'<h2 id="{view["anchor"]}-')  # the page's own title, as h2 under the handbook
            assert 'href="doorverwijsnota.md"' not in view["html"] and '.md"' not in view["html"]  # no dead links in print
