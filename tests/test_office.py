"""The templates to edit (web/office.py): every template page as .docx and .odt, opened again with the library that
reads each format, with the template's headings; reproducible bytes; the links of the page."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from odf import teletype, text
from odf.opendocument import load

from handbook.web.office import FORMATS, ZIP_TIME, blocks_of, downloads, odt_bytes, template_documents, template_pages
from support import REPO, repo_settings

MOMENT = datetime.datetime(2015, 5, 26, tzinfo=datetime.UTC)
TEMPLATES = ("doorverwijsnota", "livc-r-werkafspraken", "schoolprocedure")


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, str], bytes]:
    return template_documents(REPO / "docs", repo_settings().markdown, MOMENT)


def headings_of(name: str, language: str) -> list[str]:
    """The page's own headings: its title (`#`) and its sections (`##`), as the Markdown writes them."""
    source = (REPO / "docs" / "sjablonen" / f"{name}.{language}.md").read_text(encoding="utf-8")
    return [re.sub(r"[*_`]", "", heading).strip() for heading in re.findall(r"^#{1,2} (.+)$", source, re.MULTILINE)]


def test_every_template_page_in_both_languages_and_both_formats(documents: dict[tuple[str, str], bytes]) -> None:
    assert sorted({name for name, _language, _path in template_pages(REPO / "docs")}) == list(TEMPLATES)
    assert sorted(documents) == sorted(
        (language, f"sjablonen/{name}.{extension}") for name in TEMPLATES for language in ("nl", "en") for extension in FORMATS
    )


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_word_file_opens_with_the_templates_headings(documents: dict[tuple[str, str], bytes], name: str, language: str) -> None:
    document = docx.Document(io.BytesIO(documents[(language, f"sjablonen/{name}.docx")]))
    headings = [paragraph.text for paragraph in document.paragraphs if paragraph.style.name in ("Title", "Heading 1", "Heading 2")]
    assert headings == headings_of(name, language)
    assert document.core_properties.title == headings_of(name, language)[0]
    assert document.core_properties.language == language
    assert any(paragraph.style.name.startswith("List") for paragraph in document.paragraphs)
    assert not any("¶" in paragraph.text for paragraph in document.paragraphs)  # the site's permalinks stay on the site


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_opendocument_file_opens_with_the_templates_headings(documents: dict[tuple[str, str], bytes], name: str, language: str) -> None:
    document = load(io.BytesIO(documents[(language, f"sjablonen/{name}.odt")]))
    assert [teletype.extractText(heading) for heading in document.getElementsByType(text.H)] == headings_of(name, language)
    assert document.getElementsByType(text.ListItem)


def test_a_table_of_the_template_is_a_table_of_the_documents(documents: dict[tuple[str, str], bytes]) -> None:
    word = docx.Document(io.BytesIO(documents[("nl", "sjablonen/schoolprocedure.docx")]))
    assert [cell.text for cell in word.tables[0].rows[0].cells] == ["Rol", "Functie of dienst"]
    assert [cell.text for cell in word.tables[0].rows[3].cells] == ["CLB", "[naam van het CLB, algemeen adres]"]
    from odf.table import TableRow

    odt = load(io.BytesIO(documents[("en", "sjablonen/schoolprocedure.odt")]))
    assert len(odt.getElementsByType(TableRow)) == 5


def test_the_bytes_depend_on_the_content_only(documents: dict[tuple[str, str], bytes]) -> None:
    """The same again, one document made alone in a fresh order (odfpy's shared namespaces), gives the same bytes;
    every zip member has the one fixed time, and an OpenDocument's mimetype comes first, uncompressed."""
    again = template_documents(REPO / "docs", repo_settings().markdown, MOMENT)
    assert again == documents
    blocks = blocks_of("<h1>Titel</h1><p>Tekst</p>")
    assert odt_bytes(blocks, "Titel", "nl", MOMENT) == odt_bytes(blocks, "Titel", "nl", MOMENT)
    for data in documents.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {info.date_time for info in archive.infolist()} == {ZIP_TIME}
            first = archive.infolist()[0]
            if first.filename == "mimetype":
                assert first.compress_type == zipfile.ZIP_STORED
                assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    later = template_documents(REPO / "docs", repo_settings().markdown, MOMENT + datetime.timedelta(days=1))
    assert later[("nl", "sjablonen/doorverwijsnota.docx")] != documents[("nl", "sjablonen/doorverwijsnota.docx")]  # the edition's date


def test_a_link_keeps_its_text_and_a_web_address_follows_it() -> None:
    blocks = blocks_of('<p>Zie <a href="doorverwijsnota.md">de nota</a> en <a href="https://www.vvsg.be">VVSG</a>.</p>')
    assert [block.text for block in blocks] == ["Zie de nota en VVSG (https://www.vvsg.be)."]


def test_a_template_page_links_its_documents_and_no_other_page_does() -> None:
    assert downloads("sjablonen/doorverwijsnota.nl.md", "sjablonen/doorverwijsnota/", "nl") == [
        {"url": "../doorverwijsnota.docx", "label": "Download als Word (.docx)"},
        {"url": "../doorverwijsnota.odt", "label": "Download als OpenDocument (.odt)"},
    ]
    assert [link["label"] for link in downloads("sjablonen/schoolprocedure.en.md", "en/sjablonen/schoolprocedure/", "en")] == [
        "Download as Word (.docx)",
        "Download as OpenDocument (.odt)",
    ]
    assert downloads("sjablonen/schoolprocedure.nl.md", "sjablonen/schoolprocedure.html", "nl")[0]["url"] == "schoolprocedure.docx"
    assert downloads("sjablonen/index.nl.md", "sjablonen/", "nl") == []
    assert downloads("over.nl.md", "over/", "nl") == []
    assert downloads(None, None, "nl") == []


@pytest.mark.slow
def test_the_built_site_publishes_the_documents_next_to_their_pages(built_site: object) -> None:
    site: Path = built_site.site  # type: ignore[attr-defined]
    for prefix, language in (("", "nl"), ("en/", "en")):
        for name in TEMPLATES:
            page = (site / f"{prefix}sjablonen/{name}/index.html").read_text(encoding="utf-8")
            for extension in FORMATS:
                assert f'href="../{name}.{extension}"' in page
                assert zipfile.is_zipfile(site / f"{prefix}sjablonen/{name}.{extension}")
        label = {"nl": "Download als Word (.docx)", "en": "Download as Word (.docx)"}[language]
        assert label in (site / f"{prefix}sjablonen/doorverwijsnota/index.html").read_text(encoding="utf-8")
