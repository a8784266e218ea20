"""Golden files: the generated pages and the exported data of the valid fixture.

After an intended change, regenerate them with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`
and review the diff of tests/golden/.
"""

from __future__ import annotations

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
    assert sorted(texts) == ["practice-text.schema.json", "practice.schema.json", "practices.json"]
    assert_golden_folder(f"export/{language}", texts)
