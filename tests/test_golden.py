"""Golden files: the generated pages and the exported data of the valid fixture.

After an intended change, regenerate them with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`
and review the diff of tests/golden/.
"""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest

from handbook.gate import Content
from handbook.urls import OVERVIEW_PAGES
from handbook.views.pages import overview_pages, practice_pages
from handbook.web.export import export_texts
from support import assert_golden_folder


def test_generated_pages(valid_content: Content) -> None:
    files = [*practice_pages(valid_content.practices), *overview_pages()]
    assert len(files) == 3 * 2 + len(OVERVIEW_PAGES) * 2
    assert_golden_folder("pages", {file.path: file.content for file in files})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_exported_data(valid_content: Content, language: str) -> None:
    texts = export_texts(valid_content.practices, valid_content.vocabularies, language, "nl")
    assert sorted(texts) == ["practice-text.schema.json", "practice.schema.json", "practices.csv", "practices.json"]
    assert_golden_folder(f"export/{language}", texts)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_csv_holds_the_json_row_by_row(valid_content: Content, language: str) -> None:
    """One row per JSON entry, in its order, read back by Python's csv module as a spreadsheet reads it: a
    byte-order mark, CRLF, the header, and each cell equal to the JSON's value (lists joined)."""
    texts = export_texts(valid_content.practices, valid_content.vocabularies, language, "nl")
    text, records = texts["practices.csv"], json.loads(texts["practices.json"])
    assert text.encode("utf-8").startswith(codecs.BOM_UTF8) and text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert [row[0] for row in rows] == [record["id"] for record in records]
    for record, row in zip(records, rows, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["title"] == record["title"] and cells["url"] == record["url"]
        assert cells["themes"] == " | ".join(record["themes"])
        assert cells["review.status"] == record["review"]["status"]
        assert cells["sources.published"] == " | ".join(source.get("published") or "" for source in record["sources"])
