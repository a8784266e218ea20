"""Generated pages (written only when changed) and the views the templates show."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from handbook.content.practice_links import for_mkdocs
from handbook.gate import Content
from handbook.urls import OVERVIEW_PAGES
from handbook.views.labels import label
from handbook.views.pages import OVERVIEW_TEMPLATES, GeneratedFile, overview_pages, practice_pages, sync_folder
from handbook.views.practice import catalogue_view, coverage_view, practice_card, practice_view
from support import make_practice


def front_matter(text: str) -> dict[str, Any]:
    _, header, _ = text.split("---\n", 2)
    data: dict[str, Any] = yaml.safe_load(header)
    return data


def body(text: str) -> str:
    return text.split("---\n", 2)[2]


# --- sync_folder --------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.stat().st_ino) for path in folder.rglob("*") if path.is_file()
    }


def test_sync_writes_only_what_changed(tmp_path: Path) -> None:
    folder = tmp_path / "generated"
    files = [GeneratedFile("a.nl.md", "A\n"), GeneratedFile("b.nl.md", "B\n"), GeneratedFile("sub/c.en.md", "C\n")]
    first = sync_folder(folder, files)
    assert (sorted(first.written), first.removed) == (["a.nl.md", "b.nl.md", "sub/c.en.md"], [])
    before = snapshot(folder)

    second = sync_folder(folder, files)
    assert (second.written, second.removed) == ([], [])
    assert snapshot(folder) == before  # same mtimes and inodes: nothing was rewritten

    third = sync_folder(folder, [GeneratedFile("a.nl.md", "A\n"), GeneratedFile("b.nl.md", "B, changed\n"), files[2]])
    assert (third.written, third.removed) == (["b.nl.md"], [])
    after = snapshot(folder)
    assert after["a.nl.md"] == before["a.nl.md"]
    assert (folder / "b.nl.md").read_text(encoding="utf-8") == "B, changed\n"


def test_sync_removes_stale_files(tmp_path: Path) -> None:
    folder = tmp_path / "generated"
    sync_folder(folder, [GeneratedFile("old.nl.md", "x"), GeneratedFile("keep.nl.md", "k"), GeneratedFile("sub/old.en.md", "y")])
    (folder / "stray.txt").write_text("left by hand", encoding="utf-8")
    report = sync_folder(folder, [GeneratedFile("keep.nl.md", "k")])
    assert (report.written, report.removed) == ([], ["old.nl.md", "stray.txt", "sub/old.en.md"])
    assert sorted(path.name for path in folder.rglob("*") if path.is_file()) == ["keep.nl.md"]


def test_sync_writes_utf8_bytes_exactly(tmp_path: Path) -> None:
    folder = tmp_path / "generated"
    sync_folder(folder, [GeneratedFile("x.nl.md", "geëvalueerd — één\n")])
    assert (folder / "x.nl.md").read_bytes() == "geëvalueerd — één\n".encode()


# --- practice pages -----------------------------------------------------------------------------------


def test_one_page_per_practice_and_language(valid_content: Content) -> None:
    names = [file.path for file in practice_pages(valid_content.practices)]
    assert names == [
        "alpha-praktijk.nl.md", "alpha-praktijk.en.md", "beta-praktijk.nl.md", "beta-praktijk.en.md",
        "gamma-practice.nl.md", "gamma-practice.en.md",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("page_name", "practice_id", "text_language"),
    [
        ("alpha-praktijk.nl.md", "alpha-praktijk", "nl"),
        ("alpha-praktijk.en.md", "alpha-praktijk", "en"),
        ("beta-praktijk.en.md", "beta-praktijk", "nl"),  # no English text: the Dutch one
        ("gamma-practice.nl.md", "gamma-practice", "en"),  # no Dutch text: the English one
    ],
)
def test_practice_page_text_and_fallback(valid_content: Content, page_name: str, practice_id: str, text_language: str) -> None:
    pages = {file.path: file.content for file in practice_pages(valid_content.practices)}
    translation = valid_content.by_id()[practice_id].translations[text_language]
    content = pages[page_name]
    assert front_matter(content) == {
        "template": "practice.html",
        "title": translation.text.title,
        "description": translation.text.summary,
        "practice": practice_id,
    }
    assert body(content) == "\n" + for_mkdocs(translation.body, practice_id, lambda name: False).strip() + "\n"  # links as files


def test_fallback_pages_carry_the_other_languages_headings(valid_content: Content) -> None:
    pages = {file.path: file.content for file in practice_pages(valid_content.practices)}
    assert "## Doelstellingen" in pages["beta-praktijk.en.md"]
    assert "## Aims" not in pages["beta-praktijk.en.md"]
    assert "## Aims" in pages["gamma-practice.nl.md"]


def test_overview_pages() -> None:
    pages = {file.path: front_matter(file.content) for file in overview_pages()}
    assert sorted(pages) == sorted(f"{stem}.{language}.md" for stem in OVERVIEW_PAGES for language in ("nl", "en"))
    assert pages["index.nl.md"] == {"template": "catalogue.html", "title": "Praktijken"}
    assert pages["index.en.md"] == {"template": "catalogue.html", "title": "Practices"}
    assert pages["dekking.nl.md"] == {"template": "coverage.html", "title": "Dekkingsmatrix"}
    assert pages["dekking.en.md"] == {"template": "coverage.html", "title": "Coverage matrix"}
    for stem, (template, title) in OVERVIEW_TEMPLATES.items():
        for language in ("nl", "en"):
            assert pages[f"{stem}.{language}.md"] == {"template": template, "title": label(title, language)}


def test_interface_labels_exist_in_both_languages() -> None:
    assert label("fallback_notice", "en") == "This practice has not yet been described in English. The Dutch text is shown below."
    assert label("fallback_notice", "nl").startswith("Deze praktijk is nog niet in het Nederlands beschreven.")


# --- views --------------------------------------------------------------------------------------------


def test_practice_view_of_a_fallback_page(valid_content: Content) -> None:
    practices = valid_content.by_id()
    view = practice_view(
        practices["beta-praktijk"], valid_content.vocabularies, "en", [(practices["alpha-praktijk"], True)],
        None, "https://example.org/edit/main/practices/",
    )  # fmt: skip
    assert (view["fallback"], view["text_language"]) == (True, "nl")
    assert view["fallback_notice"] == label("fallback_notice", "en")
    assert view["edit_url"] == "https://example.org/edit/main/practices/beta-praktijk/nl.md"
    assert view["related"] == [{"title": "Alpha, a bridge between school and youth work", "url": "../alpha-praktijk/", "declared": True}]
    assert view["last_updated"] == "2026-11-20"  # no git date: the review date
    assert (view["review"]["label"], view["review"]["last_reviewed"]) == ("Reviewed", "2026-11-20")
    assert view["kind"] == {
        "key": "practice",
        "label": "Practice",
        "description": "A real initiative of a named organisation in a named municipality, documented in the sources listed.",
    }
    assert view["evidence"] == {
        "key": "not-evaluated",
        "label": "No evaluation known",
        "description": "The sources report no evaluation or systematic monitoring of this practice.",
    }
    assert view["presented_at"] == [
        {"id": "studiedag-mechelen-2015", "title": "studiedag-mechelen-2015", "url": None, "source": 1, "source_anchor": "source-1"}
    ]
    assert [source["anchor"] for source in view["sources"]] == ["source-1", "source-2"]
    assert view["status"] == {
        "key": "running",
        "parts": [
            {"text": "Running (confirmed in "},
            {"text": "2025", "datetime": "2025"},
            {"text": "), according to "},
            {"text": "source 2", "url": "#source-2"},
            {"text": "."},
        ],
    }


def test_an_unknown_status_says_when_it_was_last_confirmed(valid_content: Content) -> None:
    alpha = valid_content.by_id()["alpha-praktijk"]
    texts = {}
    for language in ("nl", "en"):
        status = practice_view(alpha, valid_content.vocabularies, language, [], None, None)["status"]
        assert status["key"] == "unknown"
        texts[language] = "".join(part["text"] for part in status["parts"])
        assert {"text": "2015", "datetime": "2015-05-26"} in status["parts"]
    assert texts == {"nl": "Laatst bevestigd in 2015, volgens bron 1.", "en": "Last confirmed in 2015, according to source 1."}
    gamma = valid_content.by_id()["gamma-practice"]
    assert practice_view(gamma, valid_content.vocabularies, "nl", [], None, None)["status"] is None  # a method states none


def test_a_draft_method_shows_no_review_date_and_no_evaluation_level(valid_content: Content) -> None:
    gamma = valid_content.by_id()["gamma-practice"]
    view = practice_view(gamma, valid_content.vocabularies, "nl", [], None, None)
    assert (view["review"]["label"], view["review"]["last_reviewed"], view["last_updated"]) == ("Nog niet nagekeken", None, None)
    assert (view["kind"]["label"], view["evidence"]["label"]) == ("Werkwijze", None)
    assert view["evidence"]["description"].startswith("Niet van toepassing")
    assert view["presented_at"] == []


def test_a_description_checked_against_its_sources_says_so_with_its_date(valid_content: Content) -> None:
    practice = make_practice("nagekeken", review={"status": "sources-checked", "sources_checked": datetime.date(2026, 12, 1)})
    view = practice_view(practice, valid_content.vocabularies, "nl", [], None, None)
    assert (view["review"]["key"], view["review"]["label"]) == ("sources-checked", "Nagekeken op bronnen")
    assert (view["review"]["sources_checked"], view["review"]["last_reviewed"]) == ("2026-12-01", None)
    assert view["labels"]["sources_checked"] == "Op bronnen nagekeken"


def test_practice_view_without_fallback_or_edit_url(valid_content: Content) -> None:
    alpha = valid_content.by_id()["alpha-praktijk"]
    view = practice_view(alpha, valid_content.vocabularies, "nl", [], datetime.date(2027, 1, 2), None)
    assert (view["fallback"], view["fallback_notice"], view["edit_url"]) == (False, None, None)
    assert view["last_updated"] == "2027-01-02"
    assert view["links"] == [{"url": "https://www.vvsg.be", "label": "Website van VVSG"}]


def test_practice_card_rows_link_to_the_filtered_catalogue(valid_content: Content) -> None:
    alpha = valid_content.by_id()["alpha-praktijk"]
    card = {row["label"]: row["terms"] for row in practice_card(alpha, valid_content.vocabularies, "en")}
    assert list(card) == [
        "Type", "Municipalities", "Provinces", "Lead organisation", "Partners", "Themes", "Elements of the Mechelen approach",
        "Prevention levels", "Target groups", "Policy domains", "Period", "Status",
    ]  # fmt: skip
    assert card["Municipalities"] == [
        {"label": "Mechelen", "url": "../?municipality=Mechelen"},
        {"label": "Willebroek", "url": "../?municipality=Willebroek"},
    ]
    assert card["Themes"][1] == {"label": "Youth work", "url": "../?theme=jeugdwerk"}
    assert card["Period"] == [{"label": "2015–2016"}]
    assert card["Status"] == [{"label": "Unknown", "url": "../?status=unknown"}]
    assert card["Type"] == [{"label": "Practice", "url": "../?kind=practice"}]
    gamma = valid_content.by_id()["gamma-practice"]
    rows = {row["label"]: row["terms"] for row in practice_card(gamma, valid_content.vocabularies, "nl")}
    assert rows["Soort"] == [{"label": "Werkwijze", "url": "../?kind=method"}]
    assert "Gemeenten" not in rows and "Looptijd" not in rows


def test_catalogue_view(valid_content: Content) -> None:
    view = catalogue_view(valid_content.practices, valid_content.vocabularies, "en")
    assert view["total"] == 3
    entries = {entry["id"]: entry for entry in view["entries"]}
    assert [entry["id"] for entry in view["entries"]] == ["alpha-praktijk", "beta-praktijk", "gamma-practice"]
    assert entries["beta-praktijk"]["fallback"] is True
    assert entries["beta-praktijk"]["url"] == "beta-praktijk/"
    assert entries["alpha-praktijk"]["filters"] == {
        "kind": "practice",
        "theme": "onderwijs|jeugdwerk|identiteitsontplooiing",
        "pillar": "preventief-netwerk|lokale-dialoog",
        "level": "primary|secondary",
        "group": "jongeren|scholen",
        "domain": "onderwijs|jeugd",
        "province": "antwerpen",
        "municipality": "Mechelen|Willebroek",
        "status": "unknown",
        "evidence": "not-evaluated",
        "review": "draft",
    }
    assert entries["alpha-praktijk"]["places"] == "Mechelen, Willebroek"
    statuses = {entry["id"]: entry["status"] for entry in view["entries"]}
    assert statuses == {"alpha-praktijk": "Last confirmed in 2015", "beta-praktijk": "Running (confirmed in 2025)", "gamma-practice": None}
    assert (entries["alpha-praktijk"]["kind"], entries["gamma-practice"]["kind"]) == ("Practice", "Method")
    assert view["labels"]["results_count"] == "{count} of {total} practices"


def test_coverage_view_links_back_to_the_catalogue(valid_content: Content) -> None:
    view = coverage_view(valid_content.practices, valid_content.vocabularies, "nl")
    welzijn = next(row for row in view["rows"] if row["label"] == "Welzijn en gezin")
    assert welzijn["total"] == 2
    assert welzijn["cells"][1] == {
        "count": 1,
        "url": "../?domain=welzijn&level=secondary",
        "description": "1 praktijk: Welzijn en gezin, Secundaire preventie",
    }


def test_municipality_links_are_url_encoded(valid_content: Content) -> None:
    practice = make_practice(
        "elders",
        kind="practice",
        municipalities=["La Louvière", "A & B"],
        organisation="Gemeente",
        evidence_level="not-evaluated",
        status="unknown",
        status_as_of="2015",
        status_source=1,
    )
    card = {row["label"]: row["terms"] for row in practice_card(practice, valid_content.vocabularies, "nl")}
    assert [term["url"] for term in card["Gemeenten"]] == ["../?municipality=La%20Louvi%C3%A8re", "../?municipality=A%20%26%20B"]


def test_practice_images_are_copied_next_to_the_pages_and_linked_there(tmp_path: Path) -> None:
    from handbook.views.pages import practice_pages, with_image_folder

    body = "![Het team](team.png) and ![remote](https://example.org/x.png) and ![anchor](#x)\n"
    assert with_image_folder(body, "alpha") == ("![Het team](alpha/team.png) and ![remote](https://example.org/x.png) and ![anchor](#x)\n")
    import dataclasses

    folder = tmp_path / "alpha-praktijk"
    folder.mkdir()
    practice = dataclasses.replace(make_practice("alpha-praktijk"), folder=folder)
    (folder / "team.png").write_bytes(b"\x89PNG fake")
    files = {file.path: file.content for file in practice_pages([practice])}
    assert files["alpha-praktijk/team.png"] == b"\x89PNG fake"
    report = sync_folder(tmp_path / "generated", practice_pages([practice]))
    assert "alpha-praktijk/team.png" in report.written
    (folder / "team.png").unlink()
    report = sync_folder(tmp_path / "generated", practice_pages([practice]))
    assert report.removed == ["alpha-praktijk/team.png"]
    assert not (tmp_path / "generated" / "alpha-praktijk").exists()


def test_catalogue_view_orders_and_download(valid_content: Content) -> None:
    """The entries come in title order with their place in each other order; the sort control and the CSV link."""
    updated = {"gamma-practice": datetime.date(2030, 1, 1)}
    view = catalogue_view(valid_content.practices, valid_content.vocabularies, "nl", updated)
    ranks = {entry["id"]: entry["ranks"] for entry in view["entries"]}
    assert ranks == {
        "alpha-praktijk": {"newest": 1, "reviewed": 1},  # last change: its sources read on 2026-11-20
        "beta-praktijk": {"newest": 2, "reviewed": 0},  # the only reviewed one
        "gamma-practice": {"newest": 0, "reviewed": 2},  # changed in git on 2030-01-01; never reviewed: last
    }
    assert view["sort"] == {
        "param": "sort",
        "options": [
            {"key": "title", "label": "Titel"},
            {"key": "newest", "label": "Nieuwste eerst"},
            {"key": "reviewed", "label": "Laatst nagekeken"},
        ],
    }
    assert view["csv"] == {"href": "../data/practices.csv", "name": "practices.csv"}
    assert view["labels"]["sort_by"] == "Sorteren op"


def _outdated(practice: Any, language: str, source: str) -> Any:
    """`practice` with its `language` text made from an older revision of its `source` text."""
    from dataclasses import replace

    from handbook.content.model import TranslationOf

    version = practice.translations[language]
    stamped = version.text.model_copy(update={"translation_of": TranslationOf(language=source, revision="0123456789ab")})
    return replace(practice, translations={**practice.translations, language: replace(version, text=stamped)})


@pytest.mark.parametrize(
    ("language", "source", "notice", "link", "url"),
    [
        (
            "en",
            "nl",
            "The Dutch text was changed after this translation was made, so this translation may be out of date. ",
            "Read the original text in Dutch.",
            "../../../praktijken/alpha-praktijk/",
        ),
        (
            "nl",
            "en",
            "De tekst in het Engels werd aangepast nadat deze vertaling gemaakt werd; deze vertaling kan dus verouderd zijn. ",
            "Lees de oorspronkelijke tekst in het Engels.",
            "../../en/praktijken/alpha-praktijk/",
        ),
    ],
)
def test_an_outdated_translation_tells_its_reader(
    valid_content: Content, language: str, source: str, notice: str, link: str, url: str
) -> None:
    alpha = valid_content.by_id()["alpha-praktijk"]
    if language == "nl":  # make the Dutch text the translation, of the English one
        english = alpha.translations["en"]
        alpha = _outdated(_replace_text(alpha, "en", english.text.model_copy(update={"translation_of": None})), "nl", "en")
    else:
        alpha = _outdated(alpha, "en", "nl")
    view = practice_view(alpha, valid_content.vocabularies, language, [], None, None)
    assert view["outdated"] == {"language": source, "parts": [{"text": notice}, {"text": link, "url": url}]}


def _replace_text(practice: Any, language: str, text: Any) -> Any:
    from dataclasses import replace

    return replace(practice, translations={**practice.translations, language: replace(practice.translations[language], text=text)})


def test_a_current_translation_a_source_and_a_fallback_say_nothing(valid_content: Content) -> None:
    for practice_id, language in [("alpha-praktijk", "en"), ("alpha-praktijk", "nl"), ("beta-praktijk", "en"), ("gamma-practice", "nl")]:
        practice = valid_content.by_id()[practice_id]
        assert practice_view(practice, valid_content.vocabularies, language, [], None, None)["outdated"] is None


def test_the_outdated_notice_is_plain_text_in_the_page(valid_content: Content) -> None:
    """The practice template prints the notice escaped, its one link to the source text's page."""
    import jinja2

    from support import REPO

    loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader({"main.html": "<main>{% block handbook_content %}{% endblock %}</main>"}),
            jinja2.FileSystemLoader(REPO / "overrides"),
        ]
    )
    from handbook.web.templates import configure

    environment = configure(jinja2.Environment(loader=loader, autoescape=True), "en")  # MkDocs' own: lenient, the build's globals
    template = environment.get_template("practice.html")
    alpha = _outdated(valid_content.by_id()["alpha-praktijk"], "en", "nl")
    view = practice_view(alpha, valid_content.vocabularies, "en", [], None, None)
    view["outdated"]["parts"][0]["text"] = "<b>changed</b> "  # whatever a label holds is text
    page = {"title": "Alpha", "meta": {"description": "A test."}, "toc": [], "content": ""}
    html = template.render(practice=view, page=page)
    assert (
        '<div class="admonition warning hb-outdated" role="note">\n      <p>&lt;b&gt;changed&lt;/b&gt; '
        '<a href="../../../praktijken/alpha-praktijk/" hreflang="nl">Read the original text in Dutch.</a></p>'
    ) in html
    current = practice_view(valid_content.by_id()["alpha-praktijk"], valid_content.vocabularies, "en", [], None, None)
    assert "hb-outdated" not in template.render(practice=current, page=page)
