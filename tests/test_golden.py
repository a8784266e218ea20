"""Golden files: the generated pages and the exported data of the valid fixture.

After an intended change, regenerate them with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`
and review the diff of tests/golden/.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json

import pytest

from handbook.gate import Content
from handbook.urls import LANGUAGES, OVERVIEW_PAGES, PRACTICES_CSV, PRACTICES_JSON
from handbook.views.pages import overview_pages, practice_pages
from handbook.web.export import ExportMemo, export_texts
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


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kept_export_is_the_export_made_afresh_after_an_edit(valid_content: Content, language: str) -> None:
    """`mkdocs serve` keeps each practice's record (`ExportMemo`): after one practice changes (a new object), the
    files are those made without a memo, and the JSON is `json.dumps` of the records."""
    memo = ExportMemo()
    practices, vocabularies = valid_content.practices, valid_content.vocabularies
    assert export_texts(practices, vocabularies, language, "nl", "/", memo) == export_texts(practices, vocabularies, language, "nl")
    first = practices[0]
    edited = dataclasses.replace(first, facts=first.facts.model_copy(update={"organisation": "Een andere organisatie"}))
    changed = [edited, *practices[1:]]
    kept = export_texts(changed, vocabularies, language, "nl", "/", memo)
    assert kept == export_texts(changed, vocabularies, language, "nl")
    records = json.loads(kept[PRACTICES_JSON])
    assert kept[PRACTICES_JSON] == json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    assert "Een andere organisatie" in kept[PRACTICES_JSON] and "Een andere organisatie" in kept[PRACTICES_CSV]
    assert export_texts([], vocabularies, language, "nl", "/", memo)[PRACTICES_JSON] == "[]\n"
