"""The handout for the room and the print rules of both PDFs: one page per practice with its card and QR code
and no sources; no page with only a line or two; a cover an office printer prints (no dark area, a margin)."""

from __future__ import annotations

import dataclasses

import pytest
from pypdf import PageObject, PdfReader

from conftest import RepositoryBuild
from handbook.content.handbook_loading import load_handbook
from handbook.content.handbook_model import Handbook
from handbook.gate import Content, load_content
from handbook.pdf import render as pdf
from handbook.pdf.render import PdfOptions, assemble_html, build_pdf
from handbook.problems import Problem
from handbook.urls import published_pdf_path
from support import REPO, repo_settings
from test_pdf import CARD_TITLE, TITLES, ReadPdf, fixed_options, fixture_day_pdfs, fixture_handbook

pytestmark = pytest.mark.slow  # PDF rendering

LANGUAGES = ("nl", "en")
SOURCES_TITLE = {"nl": "Bronnen", "en": "Sources"}
MIN_LINES = 5  # body lines of text on any page of the full PDF or the handout (measured: at least 7 on the 2015 day)
HEADER_BELOW_TOP, FOOTER_ABOVE_BOTTOM = 60, 55  # points, as in test_pdf
MM = 96 / 25.4  # CSS px per mm
STUDY_DAY = REPO / "handbooks" / "studiedag-mechelen-2015.yml"


def handout_options(options: PdfOptions) -> PdfOptions:
    return dataclasses.replace(options, handout=True)


def body_lines(page: PageObject) -> int:
    """Lines of text between the running header and the page footer (distinct baselines)."""
    height = float(page.mediabox.height)
    baselines: set[int] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if text.strip() and FOOTER_ABOVE_BOTTOM <= y <= height - HEADER_BELOW_TOP:
            baselines.add(round(y))

    page.extract_text(visitor_text=visit)
    return len(baselines)


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory, valid_content: Content) -> dict[str, ReadPdf]:
    folder = tmp_path_factory.mktemp("handout")
    result = {}
    for language in LANGUAGES:
        path = folder / f"fixture-dag-handout-{language}.pdf"
        build_pdf(fixture_handbook(), valid_content.practices, valid_content.vocabularies, language, path, handout_options(fixed_options()))
        result[language] = ReadPdf.of(path)
    return result


def practice_pages(document: ReadPdf, ids: list[str]) -> list[int]:
    return [document.page_of_destination(f"p-{practice_id}") for practice_id in ids]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_handout_is_a_cover_the_programme_and_one_page_per_practice(handouts: dict[str, ReadPdf], language: str) -> None:
    document, ids = handouts[language], list(TITLES[language])
    assert len(document.reader.pages) == 2 + len(ids)  # the fixture's programme fits on one page
    assert practice_pages(document, ids) == [3, 4, 5]
    assert document.page_of_destination("programme") == 2
    for page, practice_id in enumerate(ids, 3):
        body = document.body(page - 1)
        assert body.startswith(TITLES[language][practice_id]) and CARD_TITLE[language] in body
        assert SOURCES_TITLE[language] not in body
        assert f"/praktijken/{practice_id}/" in body  # the web address under the card
    figures = [str(figure.get("/Alt", "")) for figure in document.struct_elements("Figure")]  # the QR codes, tagged with alt text
    assert len(figures) == len(ids) and all(f"/praktijken/{practice_id}/" in alt for practice_id, alt in zip(ids, figures, strict=True))
    assert "/studiedagen/fixture-dag/" in document.body(0)  # the cover points to the full handbook
    assert "Programma" in document.body(1) or "Programme" in document.body(1)


def test_the_handout_has_no_text_or_sources_of_a_practice(handouts: dict[str, ReadPdf], valid_content: Content) -> None:
    text = " ".join(handouts["nl"].body(index) for index in range(len(handouts["nl"].reader.pages)))
    assert "Bronnen" not in text and "geraadpleegd op" not in text
    full_sections = [line for line in valid_content.by_id()["alpha-praktijk"].text_in("nl").body.splitlines() if line.startswith("## ")]
    assert full_sections and not any(section[3:].strip() in text for section in full_sections)


def test_the_cover_has_no_dark_area_and_a_margin_for_office_printers(valid_content: Content) -> None:
    html = assemble_html(fixture_handbook(), valid_content.practices, valid_content.vocabularies, "nl", fixed_options())
    base = REPO.as_uri() + "/"
    folders = [practice.folder for practice in valid_content.practices]
    document = pdf._weasyprint().HTML(string=html, base_url=base, url_fetcher=pdf.local_fetcher(base, folders)).render()
    cover = document.pages[0]._page_box
    assert min(cover.margin_top, cover.margin_right, cover.margin_bottom, cover.margin_left) >= 10 * MM
    page_area = cover.margin_width() * cover.margin_height()
    for box in cover.descendants():
        colour = box.style["background_color"]
        if colour.alpha == 0:
            continue
        luminance = 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue
        area = box.border_width() * box.border_height()
        assert luminance > 0.6 or area < 0.02 * page_area, (
            f"a dark area on the cover: {box.element_tag} {colour} ({area / page_area:.0%} of the page)"
        )


def test_venue_and_organisers_are_printed_once_in_the_full_pdf(tmp_path_factory: pytest.TempPathFactory, valid_content: Content) -> None:
    handbook = fixture_handbook()
    venue, organisers = handbook.definition.venue, list(handbook.definition.organisers)
    assert venue and organisers
    document = fixture_day_pdfs(tmp_path_factory, valid_content)["nl"]  # the full PDF, as test_pdf.py reads it (rendered once)
    front = " ".join(document.body(index) for index in range(3))  # cover, colophon, contents
    assert front.count(venue) == 1 and all(front.count(organiser) == 1 for organiser in organisers)


# --- the 2015 study day itself: the measured problem ----------------------------------------------------


@pytest.fixture(scope="module")
def study_day(repository_build: RepositoryBuild) -> dict[tuple[str, str], tuple[PdfReader, int]]:
    """The 2015 day as full PDF and handout in both languages, with its number of practices: the PDFs the build of
    the repository's real content published (rendered once for the run, see conftest.repository_build)."""
    assert repository_build.result.returncode == 0, repository_build.result.stderr[-4000:]
    settings = repo_settings()
    content = load_content(settings)
    problems: list[Problem] = []
    handbook: Handbook | None = load_handbook(STUDY_DAY, content.vocabularies, problems)
    assert handbook is not None and problems == []
    html = assemble_html(handbook, content.practices, content.vocabularies, "nl", fixed_options())
    count = html.count('<article class="practice"')
    result = {}
    for language in LANGUAGES:
        for kind, handout in (("full", False), ("handout", True)):
            path = published_pdf_path(repository_build.site, handbook.id, language, handout=handout)
            result[kind, language] = (PdfReader(path), count)
    return result


@pytest.mark.parametrize("kind", ["full", "handout"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_the_study_day_holds_only_a_line_or_two(
    study_day: dict[tuple[str, str], tuple[PdfReader, int]], kind: str, language: str
) -> None:
    reader, _ = study_day[kind, language]
    thin = {number: lines for number, page in enumerate(reader.pages, 1) if (lines := body_lines(page)) < MIN_LINES}
    assert thin == {}, f"pages with fewer than {MIN_LINES} lines: {thin}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_study_day_handout_has_one_page_per_practice(study_day: dict[tuple[str, str], tuple[PdfReader, int]], language: str) -> None:
    reader, count = study_day["handout", language]
    full, _ = study_day["full", language]
    destinations = reader.named_destinations.items()
    starts = sorted({reader.get_destination_page_number(destination) for name, destination in destinations if name.startswith("p-")})
    assert len(starts) == count and starts == list(range(starts[0], starts[0] + count))  # consecutive pages, one each
    assert starts[-1] == len(reader.pages) - 1  # the last practice is the last page
    assert starts[0] <= 3  # cover and a programme of at most two pages
    assert len(reader.pages) < len(full.pages) / 3


def test_a_fact_named_in_the_subtitle_in_either_language_is_not_printed_again() -> None:
    assert pdf.named_in("Congrescentrum Lamot, Mechelen", "Stad Mechelen en VVSG, congrescentrum Lamot, Mechelen")
    assert pdf.named_in("Congrescentrum Lamot, Mechelen", "City of Mechelen and VVSG, Lamot congress centre, Mechelen")
    assert pdf.named_in("Stad Mechelen", "City of Mechelen and VVSG") and pdf.named_in("VVSG", "Mechelen en VVSG")
    assert not pdf.named_in("Stadhuis Gent", "Praktijken uit Mechelen") and not pdf.named_in("VVSG", "")
