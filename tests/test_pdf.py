"""The PDF handbook, read back with pypdf: pages, contents, running headers, metadata, tags, languages,
reproducibility, the cache, alt text and the `handbook pdf` command."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from conftest import once_per_run
from handbook.content.handbook_loading import load_handbook
from handbook.content.handbook_model import Handbook
from handbook.content.vocabulary import load_vocabularies
from handbook.dev.pdf_bench import bench_pdf
from handbook.gate import Content, load_content
from handbook.pdf import render as pdf
from handbook.pdf.render import Edition, PdfOptions, build_pdf
from handbook.problems import ContentError, Problem
from handbook.urls import published_pdf_path
from support import FIXTURES, PRINT_EPOCH, PRINT_SITE_URL, REPO, VALID, VOCABULARIES, content_root, repo_settings, settings_for

pytestmark = pytest.mark.slow  # PDF rendering

FIXTURE_HANDBOOK = FIXTURES / "handbooks" / "fixture-dag.yml"
SITE_URL = PRINT_SITE_URL
EPOCH = PRINT_EPOCH  # 2015-05-26T00:00:00Z
FRONT_PAGES = 5  # cover, colophon, contents, introduction, programme
HEADER_BELOW_TOP = 60  # points: the running header sits in the top margin (24 mm)
FOOTER_ABOVE_BOTTOM = 55  # points: "page X of Y" sits in the bottom margin (22 mm)

# The fixture handbook in programme order: alpha (workshop), gamma (theme beroepsgeheim), beta (selection).
TITLES = {
    "nl": {
        "alpha-praktijk": "Alfa, een brug tussen school en jeugdwerk",
        "gamma-practice": "Gamma, case consultation under professional secrecy",
        "beta-praktijk": "Beta, ondersteuning van ouders",
    },
    "en": {
        "alpha-praktijk": "Alpha, a bridge between school and youth work",
        "gamma-practice": "Gamma, case consultation under professional secrecy",
        "beta-praktijk": "Beta, ondersteuning van ouders",
    },
}
TEXT_LANGUAGE = {"alpha-praktijk": None, "gamma-practice": "en", "beta-praktijk": "nl"}  # None: both languages
FRONT_BOOKMARKS = {"nl": ["Colofon", "Inhoud", "Inleiding", "Programma"], "en": ["Colophon", "Contents", "Introduction", "Programme"]}
PAGE_OF = {"nl": "pagina {page} van {pages}", "en": "page {page} of {pages}"}
CARD_TITLE = {"nl": "Kerngegevens", "en": "Key facts"}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class ReadPdf:
    """A PDF read back: its bytes, pypdf's reader and text split into header, body and footer per page."""

    path: Path
    data: bytes
    reader: PdfReader
    progress: list[str]

    @classmethod
    def of(cls, path: Path, progress: list[str] | None = None) -> ReadPdf:
        return cls(path, path.read_bytes(), PdfReader(path), progress or [])

    def _regions(self, index: int) -> dict[str, str]:
        page = self.reader.pages[index]
        height = float(page.mediabox.height)
        parts: dict[str, list[str]] = {"header": [], "body": [], "footer": []}

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            region = "header" if y > height - HEADER_BELOW_TOP else "footer" if y < FOOTER_ABOVE_BOTTOM else "body"
            parts[region].append(text)

        page.extract_text(visitor_text=visit)
        return {region: squash(" ".join(texts)) for region, texts in parts.items()}

    def header(self, index: int) -> str:
        return self._regions(index)["header"]

    def body(self, index: int) -> str:
        return self._regions(index)["body"]

    def footer(self, index: int) -> str:
        return self._regions(index)["footer"]

    def page_of_destination(self, name: str) -> int:
        """1-based page number of a named destination (an element id)."""
        return self.reader.get_destination_page_number(self.reader.named_destinations[name]) + 1

    def struct_elements(self, kind: str) -> list[DictionaryObject]:
        found: list[DictionaryObject] = []

        def walk(node: Any) -> None:
            node = node.get_object() if hasattr(node, "get_object") else node
            if isinstance(node, list):
                for child in node:
                    walk(child)
            elif isinstance(node, DictionaryObject):
                if node.get("/S") == f"/{kind}":
                    found.append(node)
                if "/K" in node:
                    walk(node["/K"])

        walk(self.reader.trailer["/Root"]["/StructTreeRoot"])
        return found


def fixture_handbook() -> Handbook:
    problems: list[Problem] = []
    handbook = load_handbook(FIXTURE_HANDBOOK, load_vocabularies(VOCABULARIES), problems)
    assert problems == [] and handbook is not None
    return handbook


def fixed_options(cache_dir: Path | None = None, progress: Callable[[str], None] | None = None) -> PdfOptions:
    moment = datetime.datetime.fromtimestamp(EPOCH, tz=datetime.UTC)
    options = PdfOptions.of(repo_settings(), site_url=SITE_URL, progress=progress or (lambda message: None))
    return dataclasses.replace(options, edition=Edition(moment), cache_dir=cache_dir)


def fixture_day_pdfs(tmp_path_factory: pytest.TempPathFactory, valid_content: Content) -> dict[str, ReadPdf]:
    """The fixture handbook rendered once per language (no cache), once for the run: test_handout.py reads it too."""

    def make(folder: Path) -> dict[str, tuple[Path, list[str]]]:
        result = {}
        for language in ("nl", "en"):
            messages: list[str] = []
            path = folder / f"fixture-dag-{language}.pdf"
            build_pdf(
                fixture_handbook(),
                valid_content.practices,
                valid_content.vocabularies,
                language,
                path,
                fixed_options(progress=messages.append),
            )
            result[language] = (path, messages)
        return result

    made = once_per_run(tmp_path_factory, "fixture-day-pdfs", make)
    return {language: ReadPdf.of(path, messages) for language, (path, messages) in made.items()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, valid_content: Content) -> dict[str, ReadPdf]:
    return fixture_day_pdfs(tmp_path_factory, valid_content)


def start_pages(document: ReadPdf, language: str) -> dict[str, int]:
    """Practice id -> the page number the table of contents gives for it."""
    contents = document.body(2)
    assert contents.startswith(FRONT_BOOKMARKS[language][1])
    pages = {}
    for practice_id, title in TITLES[language].items():
        match = re.search(re.escape(title) + r"[ .]*?(\d+)(?!\d)", contents)
        assert match, f"{title!r} is not in the table of contents: {contents}"
        pages[practice_id] = int(match.group(1))
    return pages


LANGUAGES = pytest.mark.parametrize("language", ["nl", "en"])


@LANGUAGES
def test_page_count_front_matter_and_page_x_of_y(rendered: dict[str, ReadPdf], language: str) -> None:
    document = rendered[language]
    count = len(document.reader.pages)
    starts = sorted(start_pages(document, language).values())
    assert starts[0] == FRONT_PAGES + 1
    assert count >= FRONT_PAGES + len(TITLES[language]) and count >= starts[-1]
    assert document.footer(0) == ""  # the cover
    for index in range(1, count):
        assert document.footer(index) == PAGE_OF[language].format(page=index + 1, pages=count)


@LANGUAGES
def test_every_contents_entry_points_to_the_page_where_its_title_appears(rendered: dict[str, ReadPdf], language: str) -> None:
    document = rendered[language]
    starts = start_pages(document, language)
    assert list(starts.values()) == sorted(starts.values()), "practices follow the programme order"
    for practice_id, page in starts.items():
        title = TITLES[language][practice_id]
        pages_starting_with_title = [index + 1 for index in range(len(document.reader.pages)) if document.body(index).startswith(title)]
        assert pages_starting_with_title == [page], f"{title!r} is listed on page {page}"
        assert document.page_of_destination(f"p-{practice_id}") == page  # the link of the entry
    link_targets = [annotation.get_object()["/Dest"] for annotation in document.reader.pages[2].get("/Annots", [])]
    practice_targets = [target for target in dict.fromkeys(link_targets) if target.startswith("p-")]
    assert practice_targets == [f"p-{practice_id}" for practice_id in starts]


@LANGUAGES
def test_running_headers_carry_the_practice_title(rendered: dict[str, ReadPdf], language: str) -> None:
    document = rendered[language]
    starts = start_pages(document, language)
    for index in range(FRONT_PAGES):
        assert document.header(index) == ""
    ranges = sorted((page, practice_id) for practice_id, page in starts.items())
    for index in range(FRONT_PAGES, len(document.reader.pages)):
        current = max((page, practice_id) for page, practice_id in ranges if page <= index + 1)[1]
        assert document.header(index) == TITLES[language][current]


@LANGUAGES
def test_bookmarks_lead_to_every_part_and_practice(rendered: dict[str, ReadPdf], language: str) -> None:
    document = rendered[language]
    top = [item for item in document.reader.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    assert titles == FRONT_BOOKMARKS[language] + list(TITLES[language].values())
    starts = start_pages(document, language)
    for item in top[len(FRONT_BOOKMARKS[language]) :]:
        practice_id = next(key for key, title in TITLES[language].items() if title == item.title)
        assert document.reader.get_destination_page_number(item) + 1 == starts[practice_id]
    sections = [
        item.title for nested in document.reader.outline if isinstance(nested, list) for item in nested if not isinstance(item, list)
    ]
    assert {"nl": "Doelstellingen", "en": "Aims"}[language] in sections, "the sections of each practice are nested bookmarks"
    assert not any("¶" in title for title in titles + sections)
    assert not any("¶" in document.body(index) for index in range(len(document.reader.pages))), "no header permalinks in the text"


@LANGUAGES
def test_metadata_title_language_and_tags(rendered: dict[str, ReadPdf], language: str) -> None:
    document = rendered[language]
    root = document.reader.trailer["/Root"]
    info = document.reader.metadata
    assert info is not None
    assert info.title == {"nl": "Testdag over lokale preventie", "en": "Test day on local prevention"}[language]
    assert info["/CreationDate"] == "D:20150526000000Z"
    assert root["/Lang"] == language
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    assert document.reader.pdf_header == "%PDF-1.7"
    assert len(document.reader.pages[0].mediabox) == 4
    width, height = float(document.reader.pages[0].mediabox.width), float(document.reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4
    assert document.struct_elements("Table") and document.struct_elements("TH")


@LANGUAGES
def test_fonts_are_embedded(rendered: dict[str, ReadPdf], language: str) -> None:
    fonts = {}
    for page in rendered[language].reader.pages:
        for name, font in page["/Resources"].get_object().get("/Font", {}).items():
            fonts[name] = font.get_object()
    assert fonts
    for font in fonts.values():
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        assert "Handbook" in str(font["/BaseFont"])


@LANGUAGES
def test_every_practice_is_present_in_the_right_language(rendered: dict[str, ReadPdf], language: str, valid_content: Content) -> None:
    document = rendered[language]
    practices = valid_content.by_id()
    for practice_id, page in start_pages(document, language).items():
        text_language = TEXT_LANGUAGE[practice_id] or language
        translation = practices[practice_id].translations[text_language]
        first_page = document.body(page - 1)
        assert squash(translation.text.summary) in first_page
        assert CARD_TITLE[language] in first_page  # the interface stays in the reader's language
        fallback_notice = {"nl": "nog niet in het Nederlands beschreven", "en": "not yet been described in English"}[language]
        assert (fallback_notice in first_page) == (text_language != language)


@LANGUAGES
def test_each_practice_page_has_its_web_address_and_a_qr_code(rendered: dict[str, ReadPdf], language: str) -> None:
    document = rendered[language]
    prefix = "" if language == "nl" else "en/"
    qr_alts = [str(figure["/Alt"]) for figure in document.struct_elements("Figure")]
    for practice_id, page in start_pages(document, language).items():
        url = f"{SITE_URL}{prefix}praktijken/{practice_id}/"
        links = [annotation.get_object().get("/A", {}).get("/URI") for annotation in document.reader.pages[page - 1].get("/Annots", [])]
        assert url in links
        assert {"nl": f"QR-code naar {url}", "en": f"QR code linking to {url}"}[language] in qr_alts


def test_programme_table_lists_times_rooms_and_practice_pages(rendered: dict[str, ReadPdf]) -> None:
    document = rendered["nl"]
    programme = document.body(4)
    starts = start_pages(document, "nl")
    assert programme.startswith("Programma Bij een workshopthema staan de pagina's van dit handboek over dat thema.")
    assert "Programma van Testdag over lokale preventie Tijd Onderdeel Zaal Sprekers In dit handboek" in programme
    assert "Pagina's over dit thema:" in programme  # a theme's pages are shown as such, not as presented practices
    assert "09:00–09:30 · Onthaal" in programme
    assert f"School en jeugdwerk Zaal A Testspreker {TITLES['nl']['alpha-praktijk']} (blz. {starts['alpha-praktijk']})" in programme


def test_progress_is_reported_per_phase(rendered: dict[str, ReadPdf]) -> None:
    messages = rendered["nl"].progress
    assert messages[0] == "fixture-dag (nl): assembling 3 practices …"
    assert "layout …" in messages and any(message.startswith("writing ") for message in messages)


def test_same_inputs_with_source_date_epoch_give_identical_bytes(
    rendered: dict[str, ReadPdf], valid_content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    options = PdfOptions.of(repo_settings(), site_url=SITE_URL, cache=False, progress=lambda message: None)
    assert options.edition.timestamp == "2015-05-26T00:00:00Z"
    output = tmp_path / "again.pdf"
    build_pdf(fixture_handbook(), valid_content.practices, valid_content.vocabularies, "nl", output, options)
    assert output.read_bytes() == rendered["nl"].data


def test_unchanged_inputs_come_from_the_cache(valid_content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renders: list[str] = []
    real_render = pdf.render_pdf

    def counting_render(html: str, base_url: str, progress: Callable[[str], None], image_folders: Any = ()) -> bytes:
        renders.append(base_url)
        return real_render(html, base_url, progress, image_folders)

    monkeypatch.setattr(pdf, "render_pdf", counting_render)
    handbook, output = fixture_handbook(), tmp_path / "out" / "fixture-dag-en.pdf"
    options = fixed_options(cache_dir=tmp_path / "cache")
    first = build_pdf(handbook, valid_content.practices, valid_content.vocabularies, "en", output, options)
    assert (first.rendered, first.written, len(renders)) == (True, True, 1)
    modified = output.stat().st_mtime_ns
    second = build_pdf(handbook, valid_content.practices, valid_content.vocabularies, "en", output, options)
    assert (second.rendered, second.written, len(renders)) == (False, False, 1)
    assert output.stat().st_mtime_ns == modified
    output.unlink()
    third = build_pdf(handbook, valid_content.practices, valid_content.vocabularies, "en", output, options)
    assert (third.rendered, third.written, len(renders)) == (False, True, 1)
    assert len(list((tmp_path / "cache").glob("*.pdf"))) == 1


def test_a_changed_input_renders_again(valid_content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url, progress, image_folders=(): html.encode())
    handbook, output = fixture_handbook(), tmp_path / "out.pdf"
    first = build_pdf(handbook, valid_content.practices, valid_content.vocabularies, "nl", output, fixed_options(tmp_path / "cache"))
    other_site = dataclasses.replace(fixed_options(tmp_path / "cache"), site_url="https://elders.example.org/")
    second = build_pdf(handbook, valid_content.practices, valid_content.vocabularies, "nl", output, other_site)
    assert first.rendered and second.rendered and second.written
    assert [path.name.startswith("fixture-dag-nl-") for path in (tmp_path / "cache").iterdir()] == [True]


# --- images and alt text -----------------------------------------------------------------------------


def content_with_image(root: Path, markdown: str) -> tuple[Content, Path, int]:
    """The valid fixture practices with an image added to alpha-praktijk's Dutch text."""
    content_root(root, VALID)
    folder = root / "practices" / "alpha-praktijk"
    Image.new("RGB", (40, 20), "navy").save(folder / "schema.png")
    text_file = folder / "nl.md"
    lines = text_file.read_text(encoding="utf-8").splitlines()
    context = lines.index("## Context")
    lines[context + 1 : context + 1] = ["", markdown]
    text_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    content = load_content(settings_for(root))  # `handbook check` may report the image too; the PDF must refuse it anyway
    assert "alpha-praktijk" in content.by_id()
    return content, text_file, context + 3


def test_an_image_without_alt_text_fails_with_path_and_line(tmp_path: Path) -> None:
    content, _, line = content_with_image(tmp_path, "![](schema.png)")
    with pytest.raises(ContentError) as error:
        build_pdf(fixture_handbook(), content.practices, content.vocabularies, "nl", tmp_path / "out.pdf", fixed_options())
    assert [problem.format(tmp_path) for problem in error.value.problems] == [
        f"practices/alpha-praktijk/nl.md:{line}: image 'schema.png' has no alt text; describe what it shows: "
        "![what the image shows](schema.png) (accessible PDF and web pages need it)"
    ]
    assert not (tmp_path / "out.pdf").exists()


def test_an_image_with_alt_text_is_a_tagged_figure(tmp_path: Path) -> None:
    content, _, _ = content_with_image(tmp_path, "![Schema van de aanpak](schema.png)")
    output = tmp_path / "out.pdf"
    build_pdf(fixture_handbook(), content.practices, content.vocabularies, "nl", output, fixed_options())
    alts = [str(figure["/Alt"]) for figure in ReadPdf.of(output).struct_elements("Figure")]
    assert "Schema van de aanpak" in alts


# --- the command -------------------------------------------------------------------------------------


def run_command(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="handbook")
    pdf.add_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def command_root(root: Path) -> Path:
    content_root(root, VALID)  # with the site's mkdocs.yml
    shutil.copytree(REPO / "print", root / "print")
    return root


def test_the_pdf_command_renders_a_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    root = command_root(tmp_path / "site")
    output = tmp_path / "dag.pdf"
    handbook = root / "handbooks" / "studiedag-mechelen-2015.yml"
    assert run_command("pdf", str(handbook), "--lang", "en", "-o", str(output), "--root", str(root), "--site-url", SITE_URL) == 0
    captured = capsys.readouterr()
    assert "studiedag-mechelen-2015 (en): assembling 3 practices …" in captured.err
    assert f"{output}: " in captured.out and "rendered, written" in captured.out
    document = ReadPdf.of(output)
    info = document.reader.metadata
    assert info is not None and info.title == "Study day on local prevention and the integral approach to radicalisation"
    assert run_command("pdf", str(handbook), "--lang", "en", "-o", str(output), "--root", str(root), "--site-url", SITE_URL, "-q") == 0
    assert "from the cache, unchanged" in capsys.readouterr().out


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000/", "http://localhost/"])
def test_the_pdf_command_refuses_a_local_or_empty_address_unless_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    """A printed QR code must lead to the published site; `--draft` allows a local address and says so on the cover."""
    monkeypatch.setenv("SITE_URL", address)
    root = command_root(tmp_path / "site")
    output = tmp_path / "dag.pdf"
    handbook = str(root / "handbooks" / "studiedag-mechelen-2015.yml")
    assert run_command("pdf", handbook, "--lang", "nl", "-o", str(output), "--root", str(root), "--no-cache", "-q") == 1
    assert "refused:" in capsys.readouterr().err and not output.exists()
    assert run_command("pdf", handbook, "--lang", "nl", "-o", str(output), "--root", str(root), "--no-cache", "-q", "--draft") == 0
    cover = squash(ReadPdf.of(output).body(0))
    assert "ONTWERP Niet om te verspreiden" in cover and address.rstrip("/") in cover
    assert run_command("pdf", handbook, "--lang", "en", "-o", str(output), "--root", str(root), "--no-cache", "-q", "--draft") == 0
    assert "DRAFT Not for distribution" in squash(ReadPdf.of(output).body(0))


def test_only_a_public_address_may_be_printed() -> None:
    assert pdf.is_public(SITE_URL) and pdf.is_public("https://owner.github.io/handboek/")
    assert not any(
        pdf.is_public(url) for url in ("", "/", "http://127.0.0.1:8000/", "http://localhost/", "http://[::1]:8000/", "http://0.0.0.0/")
    )


def test_a_pdf_for_the_published_address_has_no_draft_mark(rendered: dict[str, ReadPdf]) -> None:
    assert "ONTWERP" not in rendered["nl"].body(0) and "DRAFT" not in rendered["en"].body(0)


def test_the_pdf_command_reports_a_bad_handbook_and_makes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = command_root(tmp_path / "site")
    bad = root / "handbooks" / "kapot.yml"
    bad.write_text(
        "id: kapot\ntitle: {nl: Kapot, en: Broken}\nprogramme:\n  - title: {nl: S, en: S}\n    practices: [bestaat-niet]\n",
        encoding="utf-8",
    )
    assert run_command("pdf", str(bad), "--lang", "nl", "-o", str(tmp_path / "kapot.pdf"), "--root", str(root)) == 1
    assert (
        "handbooks/kapot.yml:5: field 'programme', 1st value, 'practices', 1st value: no practice with id 'bestaat-niet' exists in practices/"
        in capsys.readouterr().out
    )
    assert not (tmp_path / "kapot.pdf").exists()
    assert run_command("pdf", str(bad), "--root", str(root)) == 2  # no --lang


def test_the_pdf_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_command("pdf", "--help")
    text = capsys.readouterr().out
    assert "--lang {nl,en}" in text and "--all" in text and "SOURCE_DATE_EPOCH" in text


def test_every_handbook_in_both_languages_goes_where_the_site_publishes_it(
    valid_content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url, progress, image_folders=(): html.encode())
    results = pdf.start_handbook_pdfs(
        [fixture_handbook()],
        valid_content.practices,
        valid_content.vocabularies,
        fixed_options(),
        lambda handbook_id, language: published_pdf_path(tmp_path / "site", handbook_id, language),
    ).results()
    assert sorted(results) == [("fixture-dag", "en"), ("fixture-dag", "nl")]
    assert results[("fixture-dag", "en")].path == tmp_path / "site" / "studiedagen" / "fixture-dag" / "fixture-dag-en.pdf"
    assert all(result.path.is_file() and result.size == result.path.stat().st_size for result in results.values())
    umask = os.umask(0)
    os.umask(umask)
    assert results[("fixture-dag", "nl")].path.stat().st_mode & 0o777 == 0o666 & ~umask  # readable by the web server


def test_the_benchmark_runs_on_a_few_practices(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_pdf(repo_settings(), 2) == 0
    report = capsys.readouterr().out
    assert re.search(r"^practices: 2 {2}pages: \d+", report, re.MULTILINE)
    assert re.search(r"^ratio: \d+\.\d{3} \(target ≤ 1\.2\)$", report, re.MULTILINE)
    assert re.search(r"peak memory \d+ MB", report)


@LANGUAGES
def test_a_link_to_a_practice_in_the_handbook_is_internal_with_its_page_number(rendered: dict[str, ReadPdf], language: str) -> None:
    """beta links alpha as `../alpha-praktijk/`, gamma links beta as `../beta-praktijk/#aanpak` (practice_links.for_print)."""
    document = rendered[language]
    starts = start_pages(document, language)
    page_ref = {"nl": "blz. {page}", "en": "p. {page}"}[language]
    for source, target in (("beta-praktijk", "alpha-praktijk"), ("gamma-practice", "beta-praktijk")):
        text = " ".join(document.body(index) for index in range(starts[source] - 1, len(document.reader.pages)))
        assert f"({page_ref.format(page=starts[target])})" in text, f"{source} names the page of {target}"
        annotations = [
            annotation.get_object()
            for index in range(starts[source] - 1, len(document.reader.pages))
            for annotation in document.reader.pages[index].get("/Annots", [])
        ]
        assert f"p-{target}" in [annotation.get("/Dest") for annotation in annotations]


STATUS_LINES = {  # views.practice.status_note, the line the practice's web page shows too
    "nl": {
        "alpha-praktijk": ("Laatst bevestigd in 2015, volgens bron 1.", 1),
        "beta-praktijk": ("Lopend (bevestigd in 2025), volgens bron 2.", 2),
    },
    "en": {
        "alpha-praktijk": ("Last confirmed in 2015, according to source 1.", 1),
        "beta-praktijk": ("Running (confirmed in 2025), according to source 2.", 2),
    },
}


@LANGUAGES
def test_each_practice_says_how_current_it_is_with_a_link_to_its_source(rendered: dict[str, ReadPdf], language: str) -> None:
    """The status line of the web page ("Laatst bevestigd in 2015, volgens bron 1."), its source an internal link to
    that source's entry; a method (gamma) has none."""
    document = rendered[language]
    starts = start_pages(document, language)
    anchor = {"nl": "bron", "en": "source"}[language]
    for practice_id, (line, number) in STATUS_LINES[language].items():
        assert line in squash(document.reader.pages[starts[practice_id] - 1].extract_text())
        destinations = [
            annotation.get_object().get("/Dest") for annotation in document.reader.pages[starts[practice_id] - 1].get("/Annots", [])
        ]
        target = f"p-{practice_id}-{anchor}-{number}"
        assert target in destinations
        assert target in document.reader.named_destinations
    gamma = squash(document.reader.pages[starts["gamma-practice"] - 1].extract_text())
    assert not any(word in gamma for word in ("bevestigd", "confirmed"))


# --- the PDF of one practice (build_practice_pdf): the handbooks' pipeline, cache and checks ---------------------


@pytest.fixture(scope="module")
def practice_pdfs(tmp_path_factory: pytest.TempPathFactory, valid_content: Content) -> dict[str, ReadPdf]:
    """alpha-praktijk's PDF in each language (no cache); its last change: 3 March 2016."""
    folder = tmp_path_factory.mktemp("practice-pdfs")
    alpha = valid_content.by_id()["alpha-praktijk"]
    documents = {}
    for language in ("nl", "en"):
        path = folder / f"alpha-praktijk-{language}.pdf"
        pdf.build_practice_pdf(alpha, valid_content.vocabularies, language, path, fixed_options(), datetime.date(2016, 3, 3))
        documents[language] = ReadPdf.of(path)
    return documents


@LANGUAGES
def test_a_practice_pdf_has_the_card_its_address_qr_code_sources_and_page_x_of_y(practice_pdfs: dict[str, ReadPdf], language: str) -> None:
    document = practice_pdfs[language]
    pages = len(document.reader.pages)
    first = document.body(0)
    assert CARD_TITLE[language] in first
    assert TITLES[language]["alpha-praktijk"] in first
    url = f"{SITE_URL}{'' if language == 'nl' else 'en/'}praktijken/alpha-praktijk/"
    links = [annotation.get_object().get("/A", {}).get("/URI") for annotation in document.reader.pages[0].get("/Annots", [])]
    assert url in links
    assert {"nl": f"QR-code naar {url}", "en": f"QR code linking to {url}"}[language] in [
        str(f["/Alt"]) for f in document.struct_elements("Figure")
    ]
    for index in range(pages):
        assert PAGE_OF[language].format(page=index + 1, pages=pages) in document.footer(index)
    text = " ".join(document.body(index) for index in range(pages))
    assert {"nl": "Bronnen", "en": "Sources"}[language] in text
    assert SITE_URL in text  # the published address, in the colophon
    assert {"nl": "Editie: 3 maart 2016", "en": "Edition: 3 March 2016"}[language] in text  # the practice's own last change


@LANGUAGES
def test_a_practice_pdf_is_tagged_with_its_title_language_and_embedded_fonts(practice_pdfs: dict[str, ReadPdf], language: str) -> None:
    document = practice_pdfs[language]
    root = document.reader.trailer["/Root"]
    assert root["/Lang"] == language and root["/MarkInfo"]["/Marked"]
    assert document.reader.metadata is not None and document.reader.metadata.title == TITLES[language]["alpha-praktijk"]
    assert document.struct_elements("H1") and document.struct_elements("H2")
    for page in document.reader.pages:
        for font in page["/Resources"].get_object().get("/Font", {}).values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            assert "/FontFile2" in descriptor


def test_a_practice_pdf_comes_from_the_cache_and_a_change_elsewhere_keeps_it(valid_content: Content, tmp_path: Path) -> None:
    by_id = valid_content.by_id()
    options = dataclasses.replace(fixed_options(tmp_path / "cache"))
    first = pdf.build_practice_pdf(
        by_id["beta-praktijk"], valid_content.vocabularies, "nl", tmp_path / "a.pdf", options, datetime.date(2016, 1, 1)
    )
    later_edition = dataclasses.replace(
        options, edition=Edition(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    )  # another practice changed
    again = pdf.build_practice_pdf(
        by_id["beta-praktijk"], valid_content.vocabularies, "nl", tmp_path / "b.pdf", later_edition, datetime.date(2016, 1, 1)
    )
    assert first.rendered and not again.rendered
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert [path.name.startswith("praktijk-beta-praktijk-nl-") for path in (tmp_path / "cache").iterdir()] == [True]


def test_the_site_links_each_practice_pdf_with_its_size(built_site: Any) -> None:
    for prefix, language, label in (("", "nl", "Download als PDF"), ("en/", "en", "Download as PDF")):
        page = (built_site.site / prefix / "praktijken" / "alpha-praktijk" / "index.html").read_text(encoding="utf-8")
        published = built_site.site / prefix / "praktijken" / "alpha-praktijk" / f"alpha-praktijk-{language}.pdf"
        assert published.read_bytes().startswith(b"%PDF")
        size = f"PDF, {round(published.stat().st_size / 1024)} KB"
        assert f'href="alpha-praktijk-{language}.pdf" type="application/pdf" download>{label}</a>' in page
        assert size in page


def test_without_pdfs_no_practice_pdf_and_no_link(site_without_pdfs: Path) -> None:
    assert list(site_without_pdfs.glob("**/*.pdf")) == []
    assert "Download als PDF" not in (site_without_pdfs / "praktijken" / "alpha-praktijk" / "index.html").read_text(encoding="utf-8")
