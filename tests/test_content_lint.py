"""Content lint over every built page of the fixture site: the page language, alt text on images, headings
that do not skip a level in the main content, and link texts that mean something on their own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BuiltSite
from gates import html_files, page_language

pytestmark = pytest.mark.slow

# Link texts that say nothing out of context (WCAG 2.4.4), in both languages.
VAGUE_LINK_TEXTS = {"klik hier", "hier", "click here", "here", "lees meer", "read more", "meer", "more"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Lint:
    """What the lint needs from one page, gathered in one pass."""

    lang: str | None = None
    images_without_alt: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # inside article.md-content__inner
    link_texts: list[str] = field(default_factory=list)


class _LintParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lint = Lint()
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, opens the main content)
        self.in_main = 0
        self.heading: tuple[int, list[str]] | None = None
        self.links: list[list[str]] = []  # texts of the open links (links do not nest, but be lenient)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lint.lang = attributes.get("lang")
        if tag == "img":
            if attributes.get("alt") is None:
                self.lint.images_without_alt.append(str(attributes.get("src")))
            if self.links and attributes.get("alt"):
                self.links[-1].append(str(attributes["alt"]))
        if tag in VOID:
            return
        main = tag == "article" and "md-content__inner" in (attributes.get("class") or "").split()
        self.stack.append((tag, main))
        self.in_main += main
        if self.in_main and re.fullmatch(r"h[1-6]", tag):
            self.heading = (int(tag[1]), [])
        if tag == "a" and attributes.get("href") is not None:
            self.links.append([attributes.get("aria-label") or ""])

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.heading is not None and tag == f"h{self.heading[0]}":
            self.lint.headings.append((self.heading[0], " ".join("".join(self.heading[1]).split())))
            self.heading = None
        if tag == "a" and self.links:
            self.lint.link_texts.append(" ".join(" ".join(self.links.pop()).split()))
        while self.stack:
            open_tag, main = self.stack.pop()
            self.in_main -= main
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading[1].append(data)
        for texts in self.links:
            texts.append(data)


def lint(path: Path) -> Lint:
    parser = _LintParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.lint


@pytest.fixture(scope="module")
def pages(built_site: BuiltSite) -> dict[Path, Lint]:
    files = html_files(built_site.site)
    assert len(files) > 20
    return {path.relative_to(built_site.site): lint(path) for path in files}


def test_every_page_has_the_language_of_its_folder(built_site: BuiltSite, pages: dict[Path, Lint]) -> None:
    wrong = {
        path.as_posix(): found.lang for path, found in pages.items() if found.lang != page_language(built_site.site, built_site.site / path)
    }
    assert wrong == {}
    assert {found.lang for found in pages.values()} == {"nl", "en"}


def test_every_image_has_alt_text(pages: dict[Path, Lint]) -> None:
    missing = {path.as_posix(): found.images_without_alt for path, found in pages.items() if found.images_without_alt}
    assert missing == {}


def skipped_levels(headings: list[tuple[int, str]]) -> list[str]:
    """Headings that go down more than one level from the heading before them (h2 → h4)."""
    problems, previous = [], 0
    for level, text in headings:
        if previous and level > previous + 1:
            problems.append(f"h{previous} → h{level} '{text}'")
        previous = level
    return problems


def test_skipped_levels_are_found() -> None:
    assert skipped_levels([(1, "a"), (2, "b"), (3, "c"), (2, "d"), (4, "e")]) == ["h2 → h4 'e'"]
    assert skipped_levels([(1, "a"), (2, "b"), (3, "c"), (1, "d")]) == []


def test_headings_do_not_skip_levels_in_the_main_content(pages: dict[Path, Lint]) -> None:
    assert sum(len(found.headings) for found in pages.values()) > 50  # the main content was found
    skipped = {path.as_posix(): skipped_levels(found.headings) for path, found in pages.items() if skipped_levels(found.headings)}
    assert skipped == {}
    first = {path.as_posix(): found.headings[0] for path, found in pages.items() if found.headings and found.headings[0][0] != 1}
    assert first == {}, "the main content starts with its h1"


def test_link_texts_mean_something_on_their_own(pages: dict[Path, Lint]) -> None:
    vague = {
        path.as_posix(): sorted({text for text in found.link_texts if text.lower().strip(" .:…→»") in VAGUE_LINK_TEXTS})
        for path, found in pages.items()
    }
    assert {path: texts for path, texts in vague.items() if texts} == {}
    assert all(found.link_texts for found in pages.values())
