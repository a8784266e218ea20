"""The home page's "Nieuwste praktijken": reviewed practices first, and a draft never shown without its label in its title line."""

from __future__ import annotations

import datetime
import re

import jinja2

from handbook.content.vocabulary import load_vocabularies
from handbook.views.labels import interface_labels
from handbook.web.feed import home_entries, home_view, newest_entries
from support import REPO, VOCABULARIES, make_practice

SITE = "https://example.org/handboek/"
REVIEWED = {"status": "reviewed", "last_reviewed": datetime.date(2026, 3, 1)}
DRAFT = {"status": "draft"}


def render(newest: dict[str, object], language: str = "nl") -> str:
    loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader({"main.html": "<main>{% block handbook_content %}{% endblock %}</main>"}),
            jinja2.FileSystemLoader(REPO / "overrides"),
        ]
    )
    environment = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["url"] = lambda value: value
    template = environment.get_template("home.html")
    return template.render(
        newest=newest, hb={key: texts[language] for key, texts in interface_labels().items()}, hb_lang=language, page={"content": ""}
    )


def entries(language: str = "nl", limit: int = 5) -> dict[str, object]:
    practices = [
        make_practice("nieuw-ontwerp", review=DRAFT),
        make_practice("oud-nagekeken", review=REVIEWED),
        make_practice("ouder-ontwerp", review=DRAFT),
    ]
    updated = {
        "nieuw-ontwerp": datetime.date(2026, 11, 1),
        "oud-nagekeken": datetime.date(2026, 1, 1),
        "ouder-ontwerp": datetime.date(2025, 1, 1),
    }
    shown = home_entries(newest_entries(practices, updated, language, "nl", SITE), limit)
    return home_view(shown, load_vocabularies(VOCABULARIES)["review_statuses"], language)


def titles(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'<a class="hb-list__title"[^>]*>(.*?)</a>', html, re.S)]


def test_reviewed_practices_come_first_and_drafts_carry_their_label_in_the_title_line() -> None:
    view = entries()
    assert [entry["practice_id"] for entry in view["entries"]] == ["oud-nagekeken", "nieuw-ontwerp", "ouder-ontwerp"]  # type: ignore[index]
    html = render(view)
    assert titles(html) == ["oud-nagekeken (nl)", "Nog niet nagekeken: nieuw-ontwerp (nl)", "Nog niet nagekeken: ouder-ontwerp (nl)"]
    assert '<h2 id="hb-newest-title">Nieuwste praktijken</h2>' in html
    english = render(entries("en"), "en")
    assert titles(english)[1] == "Not yet reviewed: nieuw-ontwerp (en)"


def test_when_every_practice_shown_is_a_draft_the_heading_says_so() -> None:
    practices = [make_practice("een", review=DRAFT), make_practice("twee", review=DRAFT)]
    updated = {"een": datetime.date(2026, 1, 1), "twee": datetime.date(2026, 2, 1)}
    view = home_view(
        home_entries(newest_entries(practices, updated, "nl", "nl", SITE), 5), load_vocabularies(VOCABULARIES)["review_statuses"], "nl"
    )
    html = render(view)
    assert '<h2 id="hb-newest-title">Nieuwste praktijken, nog niet nagekeken</h2>' in html
    assert titles(html) == ["Nog niet nagekeken: twee (nl)", "Nog niet nagekeken: een (nl)"]


def test_a_reviewed_practice_is_never_pushed_off_the_list_by_newer_drafts() -> None:
    view = entries(limit=1)
    assert [entry["practice_id"] for entry in view["entries"]] == ["oud-nagekeken"]  # type: ignore[index]


def test_the_title_of_a_text_in_the_other_language_keeps_its_lang_but_the_label_is_the_page_language() -> None:
    practices = [make_practice("alleen-nl", languages=("nl",), review=DRAFT)]
    view = home_view(
        home_entries(newest_entries(practices, {"alleen-nl": datetime.date(2026, 1, 1)}, "en", "nl", SITE), 5),
        load_vocabularies(VOCABULARIES)["review_statuses"],
        "en",
    )
    html = render(view, "en")
    assert '<span class="hb-list__review">Not yet reviewed</span>: <span lang="nl">alleen-nl (nl)</span></a>' in html
