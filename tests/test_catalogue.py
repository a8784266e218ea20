"""The catalogue: facet counts, related practices, the coverage matrix and the published records."""

from __future__ import annotations

from collections import Counter

import pytest

from handbook.content.model import PracticeFacts
from handbook.content.vocabulary import load_vocabularies
from handbook.gate import Content
from handbook.views.catalogue import (
    FACETS_BY_PARAM,
    LIST_SEPARATOR,
    coverage_matrix,
    facet_counts,
    facet_views,
    practice_record,
    practice_url,
    record_cell,
    record_columns,
    related_practices,
    sort_practices,
)
from support import VOCABULARIES, make_practice

# --- facets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "counts"),
    [
        ("theme", {"onderwijs": 2, "jeugdwerk": 1, "identiteitsontplooiing": 1, "familieondersteuning": 1,
                   "beroepsgeheim": 1, "casusoverleg": 1}),
        ("pillar", {"preventief-netwerk": 1, "lokale-dialoog": 1, "vertrouwen-middenveld": 1, "integrale-aanpak": 1}),
        ("level", {"primary": 1, "secondary": 2, "tertiary": 1}),
        ("group", {"jongeren": 2, "scholen": 1, "ouders-en-gezinnen": 1, "eerstelijnswerkers": 1}),
        ("domain", {"onderwijs": 1, "jeugd": 1, "welzijn": 2, "veiligheid": 1}),
        ("province", {"antwerpen": 1, "vlaams-brabant": 1}),
        ("municipality", {"Mechelen": 1, "Willebroek": 1, "Vilvoorde": 1}),
        ("status", {"unknown": 1, "running": 1}),
        ("evidence", {"not-evaluated": 2}),  # a method has no evaluation level
        ("review", {"draft": 2, "reviewed": 1}),
    ],
)  # fmt: skip
def test_facet_counts(valid_content: Content, param: str, counts: dict[str, int]) -> None:
    assert facet_counts(valid_content.practices, FACETS_BY_PARAM[param]) == Counter(counts)


def test_a_value_written_twice_counts_once() -> None:
    practice = make_practice("dubbel", themes=["onderwijs", "onderwijs"])
    assert facet_counts([practice], FACETS_BY_PARAM["theme"]) == Counter({"onderwijs": 1})


def test_facet_views_list_every_option_in_vocabulary_order(valid_content: Content) -> None:
    views = facet_views(valid_content.practices, valid_content.vocabularies, "en", lambda key: f"<{key}>")
    assert [view.param for view in views] == [
        "kind", "theme", "pillar", "level", "group", "domain", "province", "municipality", "status", "evidence", "review",
    ]  # fmt: skip
    kinds = views[0]
    assert [(option.value, option.label) for option in kinds.options] == [("practice", "Practice"), ("method", "Method")]
    levels = views[3]
    assert levels.label == "<prevention_levels>"
    assert [(option.value, option.label, option.count) for option in levels.options] == [
        ("primary", "Primary prevention", 1),
        ("secondary", "Secondary prevention", 2),
        ("tertiary", "Tertiary prevention", 1),
    ]
    themes = views[1]
    assert len(themes.options) == len(valid_content.vocabularies["themes"].keys())
    assert [option.count for option in themes.options if option.value == "tewerkstelling"] == [0]
    municipalities = views[7]
    assert [(option.value, option.count) for option in municipalities.options] == [
        ("Mechelen", 1), ("Vilvoorde", 1), ("Willebroek", 1),
    ]  # fmt: skip


# --- related practices --------------------------------------------------------------------------------


def test_related_practices_of_the_fixture(valid_content: Content) -> None:
    assert related_practices(valid_content.practices) == {
        "alpha-praktijk": [("beta-praktijk", False)],  # shares theme onderwijs (3) and group jongeren (1)
        "beta-praktijk": [("alpha-praktijk", True)],
        "gamma-practice": [("beta-praktijk", True)],  # nothing in common with the others: only the declared one
    }


def test_related_practices_declared_first_then_by_weight() -> None:
    practices = [
        make_practice("aaa", themes=["onderwijs"], pillars=["lokale-dialoog"], target_groups=["jongeren"], related=["eee"]),
        make_practice("bbb", themes=["onderwijs"], pillars=["integrale-aanpak"], target_groups=["politie"]),  # 3
        make_practice("ccc", themes=["polarisatie"], pillars=["lokale-dialoog"], target_groups=["politie"]),  # 2
        make_practice("ddd", themes=["polarisatie"], pillars=["integrale-aanpak"], target_groups=["jongeren"]),  # 1
        make_practice("eee", themes=["onderwijs"], pillars=["lokale-dialoog"], target_groups=["jongeren"]),  # 6, declared
        make_practice("fff", themes=["onderwijs"], pillars=["lokale-dialoog"], target_groups=["politie"]),  # 5
        make_practice("ggg", themes=["tewerkstelling"], pillars=["mensen-die-handelen"], target_groups=["middenveld"]),
    ]
    related = related_practices(practices, limit=4)
    assert related["aaa"] == [("eee", True), ("fff", False), ("bbb", False), ("ccc", False)]
    assert related_practices(practices, limit=10)["aaa"] == [
        ("eee", True), ("fff", False), ("bbb", False), ("ccc", False), ("ddd", False),
    ]  # fmt: skip
    assert related["ggg"] == []
    for practice_id, others in related.items():
        assert practice_id not in [other for other, _ in others]
        assert len(others) <= 4


def test_related_ties_are_broken_by_id() -> None:
    practices = [make_practice(name, themes=["onderwijs"], pillars=["integrale-aanpak"]) for name in ("zzz", "mmm", "aaa", "kkk")]
    assert related_practices(practices, limit=2)["mmm"] == [("aaa", False), ("kkk", False)]


def test_declared_related_beyond_the_limit_are_all_kept() -> None:
    practices = [make_practice("aaa", related=["bbb", "ccc", "ddd"]), *(make_practice(name) for name in ("bbb", "ccc", "ddd", "eee"))]
    assert related_practices(practices, limit=2)["aaa"] == [("bbb", True), ("ccc", True), ("ddd", True)]


# --- coverage -----------------------------------------------------------------------------------------


def test_coverage_matrix_counts(valid_content: Content) -> None:
    levels, rows = coverage_matrix(valid_content.practices, valid_content.vocabularies, "nl")
    assert levels == [("primary", "Primaire preventie"), ("secondary", "Secundaire preventie"), ("tertiary", "Tertiaire preventie")]
    table = {row.key: ([cell.count for cell in row.cells], row.total) for row in rows}
    assert list(table) == valid_content.vocabularies["policy_domains"].keys()
    assert table == {
        "veiligheid": ([0, 0, 1], 1),
        "jeugd": ([1, 1, 0], 1),
        "onderwijs": ([1, 1, 0], 1),
        "welzijn": ([0, 1, 1], 2),
        "werk": ([0, 0, 0], 0),
        "samenleven": ([0, 0, 0], 0),
        "cultuur-en-vrije-tijd": ([0, 0, 0], 0),
        "politie-en-justitie": ([0, 0, 0], 0),
    }
    welzijn = next(row for row in rows if row.key == "welzijn")
    assert welzijn.label == "Welzijn en gezin"
    assert [cell.query for cell in welzijn.cells] == [
        "?domain=welzijn&level=primary", "?domain=welzijn&level=secondary", "?domain=welzijn&level=tertiary",
    ]  # fmt: skip


def test_coverage_row_total_counts_practices_not_cells() -> None:
    practice = make_practice("breed", policy_domains=["jeugd"], prevention_levels=["primary", "secondary", "tertiary"])
    _, rows = coverage_matrix([practice], load_vocabularies(VOCABULARIES), "en")
    jeugd = next(row for row in rows if row.key == "jeugd")
    assert ([cell.count for cell in jeugd.cells], jeugd.total, jeugd.label) == ([1, 1, 1], 1, "Youth")


# --- records and URLs ---------------------------------------------------------------------------------


def test_practice_url_is_the_same_id_in_both_languages() -> None:
    assert practice_url("x", "nl") == "/praktijken/x/"
    assert practice_url("x", "en") == "/en/praktijken/x/"
    assert practice_url("x", "en", default_language="en") == "/praktijken/x/"


def test_practice_record_fields(valid_content: Content) -> None:
    practices = valid_content.by_id()
    record = practice_record(practices["alpha-praktijk"], "en")
    assert list(record)[:6] == ["id", "title", "summary", "url", "language", "fallback"]
    assert set(record) == {"id", "title", "summary", "url", "language", "fallback", "provinces", *PracticeFacts.model_fields}
    assert record["provinces"] == ["antwerpen"]  # derived from Mechelen and Willebroek
    assert "sources" in record
    assert record["title"] == "Alpha, a bridge between school and youth work"
    assert (record["url"], record["language"], record["fallback"]) == ("/en/praktijken/alpha-praktijk/", "en", False)
    assert record["sources"] == [
        {
            "title": "Mechelen pakt radicalisering aan",
            "publisher": "VVSG",
            "published": "2015-05-26",
            "url": "https://www.vvsg.be/nieuws/mechelen-pakt-radicalisering-aan",
            "accessed": "2026-11-20",
        }
    ]
    assert record["review"] == {"status": "draft", "last_reviewed": None, "sources_checked": None}
    assert (record["kind"], record["evidence_level"]) == ("practice", "not-evaluated")
    assert record["municipalities"] == ["Mechelen", "Willebroek"]
    assert (record["start_year"], record["end_year"], record["status"]) == (2015, 2016, "unknown")
    assert (record["status_as_of"], record["status_source"]) == ("2015-05-26", 1)  # written back as precise as given
    assert record["links"] == [{"url": "https://www.vvsg.be", "label": {"nl": "Website van VVSG", "en": "VVSG website"}}]


@pytest.mark.parametrize(
    ("practice_id", "language", "text_language", "fallback", "url"),
    [
        ("alpha-praktijk", "nl", "nl", False, "/praktijken/alpha-praktijk/"),
        ("beta-praktijk", "nl", "nl", False, "/praktijken/beta-praktijk/"),
        ("beta-praktijk", "en", "nl", True, "/en/praktijken/beta-praktijk/"),
        ("gamma-practice", "nl", "en", True, "/praktijken/gamma-practice/"),
        ("gamma-practice", "en", "en", False, "/en/praktijken/gamma-practice/"),
    ],
)
def test_practice_record_fallback(
    valid_content: Content, practice_id: str, language: str, text_language: str, fallback: bool, url: str
) -> None:
    practice = valid_content.by_id()[practice_id]
    record = practice_record(practice, language)
    assert (record["language"], record["fallback"], record["url"]) == (text_language, fallback, url)
    assert record["title"] == practice.translations[text_language].text.title


def test_catalogue_records_are_sorted_by_title_per_language() -> None:
    practices = [
        make_practice("aaa", titles={"nl": "Zwaluw", "en": "swallow"}),
        make_practice("bbb", titles={"nl": "appel", "en": "Apple"}),
        make_practice("ccc", languages=["nl"], titles={"nl": "Boomgaard"}),
    ]
    assert [practice.id for practice in sort_practices(practices, "nl")] == ["bbb", "ccc", "aaa"]
    assert [practice.id for practice in sort_practices(practices, "en")] == ["bbb", "ccc", "aaa"]
    assert [practice.id for practice in sort_practices(practices, "en")] == ["bbb", "ccc", "aaa"]


def test_sort_ignores_case(valid_content: Content) -> None:
    assert [practice.id for practice in sort_practices(valid_content.practices, "nl")] == [
        "alpha-praktijk", "beta-praktijk", "gamma-practice",
    ]  # fmt: skip


def test_related_weights_count_a_repeated_value_once() -> None:
    practices = [
        make_practice("aaa", themes=["onderwijs"], pillars=["mensen-die-handelen"], target_groups=["jongeren"] * 4),
        make_practice("bbb", themes=["onderwijs"], pillars=["lokale-dialoog"], target_groups=["politie"]),  # 3
        make_practice("ccc", themes=["polarisatie"], pillars=["lokale-dialoog"], target_groups=["jongeren"]),  # 1, not 4
    ]
    assert related_practices(practices)["aaa"] == [("bbb", False), ("ccc", False)]
    assert related_practices(practices)["ccc"] == [("bbb", False), ("aaa", False)]  # pillar 2 > group 1


def test_practice_urls_follow_the_site_path() -> None:
    from handbook.views.catalogue import practice_url

    assert practice_url("alpha-praktijk", "nl") == "/praktijken/alpha-praktijk/"
    assert practice_url("alpha-praktijk", "en") == "/en/praktijken/alpha-praktijk/"
    assert practice_url("alpha-praktijk", "en", base="/handboek/") == "/handboek/en/praktijken/alpha-praktijk/"
    assert practice_url("alpha-praktijk", "nl", base="/handboek") == "/handboek/praktijken/alpha-praktijk/"


# --- the CSV ------------------------------------------------------------------------------------------


def test_csv_columns_follow_the_json_record(valid_content: Content) -> None:
    """Every field of the JSON record is a column (an object's parts as `parent.child`), in the JSON's order."""
    columns = record_columns(valid_content.vocabularies)
    record = practice_record(valid_content.by_id()["beta-praktijk"], "nl")
    assert [column.split(".")[0] for column in columns if "." not in column or column.endswith(".status")] == [
        name for name in record if name not in ("contact", "links", "sources", "presented_at")
    ]
    assert {"review.status", "review.last_reviewed", "sources.title", "sources.url", "links.label.nl", "contact.email"} <= set(columns)
    assert len(columns) == len(set(columns))


def test_csv_cells_join_lists_and_disarm_formulas(valid_content: Content) -> None:
    record = practice_record(valid_content.by_id()["beta-praktijk"], "nl")
    assert LIST_SEPARATOR == " | "
    assert record_cell(record, "themes") == "familieondersteuning | onderwijs"
    assert record_cell(record, "sources.title") == "Mechelen pakt radicalisering aan | Jaarverslag van de preventiedienst 2025"
    assert record_cell(record, "sources.url") == " | "  # neither source has an address: the positions stay
    assert record_cell(record, "fallback") == "false"
    assert record_cell(record, "end_year") == ""
    assert record_cell(record, "review.last_reviewed") == "2026-11-20"
    for text in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert record_cell({"title": text}, "title") == "'" + text
    assert record_cell({"title": "Niets = gevaarlijk"}, "title") == "Niets = gevaarlijk"
    assert record_cell({"partners": ["=1", "gewoon"]}, "partners") == "'=1 | gewoon"  # the cell is what a spreadsheet reads


def test_search_words_are_the_labels_of_the_searched_facets(valid_content: Content) -> None:
    """The card's facet labels a reader searches for (views/practice.search_words): in the page's language, in the
    facet table's order, then the organisation and partners; not the kind, places, provinces or quality labels."""
    from handbook.views.catalogue import FACETS
    from handbook.views.practice import search_words

    beta = valid_content.by_id()["beta-praktijk"]
    assert [facet.param for facet in FACETS if facet.searched] == ["theme", "pillar", "level", "group", "domain"]
    assert search_words(beta, valid_content.vocabularies, "nl") == (
        "Familieondersteuning, Onderwijs, Een hechte vertrouwensband met het middenveld, Secundaire preventie, "
        "Ouders en gezinnen, Jongeren, Welzijn en gezin, Stad Vilvoorde"
    )
    alpha = valid_content.by_id()["alpha-praktijk"]
    assert search_words(alpha, valid_content.vocabularies, "en").endswith(", Stad Mechelen, Lokale politie, CLB")
    english = search_words(beta, valid_content.vocabularies, "en")
    assert "Parents and families" in english and "Welfare and family" in english
    terms = english.split(", ")
    assert not any(word in terms for word in ("Practice", "Vilvoorde", "Flemish Brabant", "Reviewed", "Not evaluated"))
    assert terms[-1] == "Stad Vilvoorde"  # the organisation, not the place
