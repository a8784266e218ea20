"""Every handbook PDF of the built fixture site is tagged (PDF/UA): structure tree, Marked, language, title,
and alt text on every figure. Read with pypdf's low-level objects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, IndirectObject

from conftest import BuiltSite

pytestmark = pytest.mark.slow


def handbook_pdfs(site: Path) -> list[Path]:
    return sorted(site.glob("studiedagen/*/*.pdf"))


def pdf_language(path: Path) -> str:
    """handbook-id-nl.pdf → nl"""
    return path.stem.rsplit("-", 1)[1]


def structure_elements(node: Any, seen: set[int] | None = None) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, following /K (kids) only, each once."""
    seen = set() if seen is None else seen
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            yield from structure_elements(kid, seen)
    elif isinstance(node, DictionaryObject) and node.get("/Type") not in ("/MCR", "/OBJR"):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from structure_elements(node["/K"], seen)


@pytest.fixture(scope="module")
def pdfs(built_site: BuiltSite) -> list[Path]:
    found = handbook_pdfs(built_site.site)
    assert found, "the fixture site holds no handbook PDF"
    assert {pdf_language(path) for path in found} == {"nl", "en"}
    return found


def test_every_pdf_is_tagged_with_language_and_title(pdfs: list[Path]) -> None:
    problems = []
    for path in pdfs:
        reader = PdfReader(path)
        catalog = reader.trailer["/Root"].get_object()
        name = path.name
        if "/StructTreeRoot" not in catalog:
            problems.append(f"{name}: no /StructTreeRoot")
        if not is_true(catalog, "/MarkInfo", "/Marked"):
            problems.append(f"{name}: /MarkInfo /Marked is not true")
        if str(catalog.get("/Lang", "")) != pdf_language(path):
            problems.append(f"{name}: /Lang is {catalog.get('/Lang')!r}, not {pdf_language(path)!r}")
        title = (reader.metadata.title if reader.metadata else None) or _xmp_title(reader)
        if not (title and title.strip()):
            problems.append(f"{name}: no document title")
        if not is_true(catalog, "/ViewerPreferences", "/DisplayDocTitle"):
            problems.append(f"{name}: viewers are not told to show the title (DisplayDocTitle)")
    assert problems == []


def is_true(catalog: DictionaryObject, dictionary: str, key: str) -> bool:
    """catalog[dictionary][key] is the PDF boolean true."""
    found = catalog.get(dictionary)
    return found is not None and found.get_object().get(key) == BooleanObject(True)


def _xmp_title(reader: PdfReader) -> str | None:
    xmp = reader.xmp_metadata
    titles = xmp.dc_title if xmp is not None else None
    return next(iter(titles.values()), None) if titles else None


def test_every_figure_has_alt_text(pdfs: list[Path]) -> None:
    figures = 0
    problems = []
    for path in pdfs:
        catalog = PdfReader(path).trailer["/Root"].get_object()
        elements = list(structure_elements(catalog["/StructTreeRoot"]))
        assert any(element["/S"] == "/Document" for element in elements), path.name
        for element in elements:
            if element["/S"] == "/Figure":
                figures += 1
                if not str(element.get("/Alt", "")).strip():
                    problems.append(f"{path.name}: a /Figure without /Alt")
    assert figures > 0, "no figure was found: the structure tree was not walked"
    assert problems == []
