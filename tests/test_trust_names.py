"""Issue 18, output formats, ids and names, the configured layout.

The corpus of tests/hostile_names.py through `handbook check`; the feed and sitemaps parse as XML; reserved ids
refused by `from-issue` too; a file name never forges an output line; and a site whose `mkdocs.yml` puts the
practices in `content/practices` and the pages in `pages/` has exactly those folders checked, by check and
build, and the PDF fetcher reads images from there only.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BuiltSite
from handbook.checks.filesafety import tree_problems
from handbook.content.names import collisions, free_id, is_windows_device, name_problem, reserved_id_message
from handbook.contribute.from_issue import add_command
from handbook.gate import Settings, load_content
from handbook.pdf.fetch import refusal, repository_allowed
from handbook.plaintext import control_messages, plain_text_messages, visible_name
from handbook.problems import Problem
from handbook.urls import GENERATED_PAGES, HANDBOOKS, PRACTICES
from handbook.views.handbooks import handbooks_index_pages
from handbook.views.pages import overview_pages
from handbook.web.feed import FeedEntry, atom_feed, language_feed
from handbook.web.head import page_sitemap
from hostile import PRACTICE, copy_of, problems_of
from hostile_names import FORGED
from support import handbook_check, mkdocs_build, settings_for, valid_layout

# --- output formats -----------------------------------------------------------------------------------


NOT_IN_XML = ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff", "\ud800", "\udfff", "\x0b", "\x85"]


@pytest.mark.parametrize("character", NOT_IN_XML)
def test_characters_xml_refuses_are_refused_in_fields_and_files(character: str) -> None:
    assert plain_text_messages(f"Titel {character}")
    assert control_messages(f"---\ntitle: x{character}\n---\n")
    if character in "\ufffe\uffff\ud800\udfff\x0b":  # outside XML 1.0's Char; the others are refused by HTML
        with pytest.raises(ET.ParseError):
            ET.fromstring(f"<a>{character}</a>".encode("utf-8", "surrogatepass"))


def test_what_plain_text_accepts_keeps_the_feed_and_a_sitemap_well_formed() -> None:
    accepted = [chr(code) for code in [*range(0x20, 0xD800, 97), *range(0xE000, 0x110000, 4099)] if not plain_text_messages(chr(code))]
    text = "".join(accepted) + " & \" ' tab\t"
    entry = FeedEntry("alpha", text, text, "en", "https://example.org/praktijken/alpha/?a=1&b=2", datetime.date(2026, 1, 1))
    feed = atom_feed(
        [entry],
        title=text,
        subtitle=text,
        language="nl",
        feed_url="https://example.org/feed.xml",
        catalogue_url="https://example.org/",
        author=text,
    )
    parsed = ET.fromstring(feed.encode("utf-8"))
    assert parsed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text == text  # type: ignore[union-attr]
    links = [{"href": "https://example.org/en/praktijken/alpha/", "hreflang": "en"}]
    ET.fromstring(page_sitemap("https://example.org/", "https://example.org/praktijken/a&b/", links, "nl").encode("utf-8"))


def test_the_feed_of_the_fixture_content_parses() -> None:
    content = load_content(settings_for(valid_layout()))
    updated = {practice.id: datetime.date(2026, 1, 1) for practice in content.practices}
    for language in ("nl", "en"):
        root = ET.fromstring(language_feed(content.practices, updated, language, "https://example.org/", "Handboek & co").encode("utf-8"))
        assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == len(content.practices)


@pytest.mark.slow
def test_the_built_feed_and_sitemaps_parse(built_site: BuiltSite) -> None:
    site = built_site.site
    documents = [*site.rglob("sitemap.xml"), *site.rglob("feed.xml")]
    assert len(documents) > 4
    for path in documents:
        ET.parse(path)


# --- ids and names -----------------------------------------------------------------------------------


def test_reserved_ids_come_from_the_generated_pages() -> None:
    def stems(files: list) -> set[str]:  # type: ignore[type-arg]
        return {file.path.split(".", 1)[0] for file in files}

    assert GENERATED_PAGES[PRACTICES] == stems(overview_pages()) >= {"index", "dekking", "vertaalstatus", "velden"}
    assert GENERATED_PAGES[HANDBOOKS] == stems(handbooks_index_pages()) == {"index"}
    assert reserved_id_message("index", PRACTICES) and reserved_id_message("index", HANDBOOKS)
    assert reserved_id_message("dekking", HANDBOOKS) is None and reserved_id_message("alpha-praktijk", PRACTICES) is None
    assert free_id("index", PRACTICES) == "index-2" and free_id("con", PRACTICES, ["con-2"]) == "con-3"


@pytest.mark.parametrize("name", ["CON", "con", "Con.md", "NUL.tar.gz", "aux.png", "com1", "LPT9.yml", "prn ", "com\u00b9"])
def test_windows_device_names_are_refused_with_or_without_a_suffix(name: str) -> None:
    assert is_windows_device(name) and name_problem(name) is not None


@pytest.mark.parametrize("name", ["console.md", "con-vergentie", "nl.md", "aux-praktijk", "com10.md", "kaart.png"])
def test_ordinary_names_pass(name: str) -> None:
    assert name_problem(name) is None


def test_collisions_after_case_folding_and_normalisation() -> None:
    assert collisions(["nl.md", "NL.md", "caf\u00e9.md", "cafe\u0301.md", "\ufb01le.md", "file.md", "kaart.png"]) == {
        "nl.md": "NL.md", "caf\u00e9.md": "cafe\u0301.md", "\ufb01le.md": "file.md",
    }  # fmt: skip


def test_a_forged_file_name_prints_on_one_line(template: Path, tmp_path: Path) -> None:
    root = copy_of(template, tmp_path)
    (root / PRACTICE / FORGED).write_bytes(b"x")
    result = handbook_check(root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("practices:1:")] == []
    assert any(line.startswith(f"{PRACTICE}/a\\u000apractices:1: Alles in orde.md:1: unsafe file name") for line in lines), lines
    assert Problem(Path("a\n\tb\x1b\u202e"), 1, "x").format() == "a\\u000a\\u0009b\\u001b\\u202e:1: x"
    assert visible_name("ok/name.md") == "ok/name.md"


RECORDED = Path(__file__).parent / "fixtures" / "issue-forms" / "vorming-signaalherkenning.md"


def from_issue(root: Path, body_file: Path, *extra: str) -> int:
    parser = argparse.ArgumentParser(prog="handbook")
    add_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["from-issue", str(body_file), "--root", str(root), *extra])
    return int(args.func(args))


@pytest.mark.parametrize("title", ["Index", "Dekking", "Velden"])
def test_from_issue_never_writes_a_reserved_id(title: str, template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(template, tmp_path)
    body = tmp_path / "issue.md"
    body.write_text(
        RECORDED.read_text(encoding="utf-8").replace("Vorming signaalherkenning voor eerstelijnswerkers", title, 1), encoding="utf-8"
    )
    from_issue(root, body)
    assert not (root / "practices" / title.lower()).exists()
    assert (root / "practices" / f"{title.lower()}-2").is_dir(), capsys.readouterr().err
    capsys.readouterr()
    assert from_issue(root, body, "--id", title.lower()) == 1
    assert not (root / "practices" / title.lower()).exists()
    assert "--id: the id" in capsys.readouterr().err


# --- the configured layout --------------------------------------------------------------------------


def configured(template: Path, tmp_path: Path) -> Path:
    """The site with `practices: content/practices` and `docs_dir: pages`."""
    root = copy_of(template, tmp_path)
    (root / "content").mkdir()
    (root / "practices").rename(root / "content" / "practices")
    (root / "docs").rename(root / "pages")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", "docs_dir: pages").replace(
        "  - handbook:\n", "  - handbook:\n      practices: content/practices\n      vocabularies: content/practices/vocabularies.yml\n"
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    layout = Settings.load(root / "mkdocs.yml").layout
    assert (layout.practices, layout.docs) == ("content/practices", "pages")
    return root


def _harm(root: Path) -> list[str]:
    practice = root / "content" / "practices" / "alpha-praktijk"
    os.symlink("/etc/passwd", practice / "kaart.png")
    (root / "pages" / "pagina.html").write_bytes(b"<script>window.__pwned=1</script>")
    outside = root.parent / "outside-secret.md"
    outside.write_text("secret", encoding="utf-8")
    os.link(outside, practice / "notes.md")
    return [
        "content/practices/alpha-praktijk/kaart.png:1: unsafe file: symbolic links",
        "pages/pagina.html:1: unsafe file: '.html' files",
        "content/practices/alpha-praktijk/notes.md:1: unsafe file: the file has more than one hard link",
    ]


def test_the_configured_folders_are_the_ones_checked(template: Path, tmp_path: Path) -> None:
    root = configured(template, tmp_path)
    assert problems_of(root) == []
    expected = _harm(root)
    problems = problems_of(root)
    assert [line for line in expected if not any(problem.startswith(line) for problem in problems)] == [], problems
    os.symlink(root.parent, root / "content-link")
    assert [problem.message for problem in tree_problems(root, ["content-link/root"])] == [
        "unsafe file: symbolic links are refused (a link could publish a file from outside the folder); replace it with the file itself"
    ]  # a folder on the way to a configured folder is a link: refused
    (root / "content" / "practices").rename(root / "elders")
    os.symlink(root / "elders", root / "content" / "practices")
    assert any("symbolic link" in problem for problem in problems_of(root))


@pytest.mark.slow
def test_the_build_refuses_the_configured_folders_harm(template: Path, tmp_path: Path) -> None:
    root = configured(template, tmp_path)
    expected = _harm(root)
    build = mkdocs_build(root, "-d", str(tmp_path / "site"), HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    assert build.returncode != 0
    output = build.stdout + build.stderr
    assert [line for line in expected if line not in output] == [], output[-3000:]


def test_the_pdf_fetcher_serves_images_of_the_configured_practices_folder_only(template: Path, tmp_path: Path) -> None:
    from PIL import Image

    root = configured(template, tmp_path)
    image = root / "content" / "practices" / "alpha-praktijk" / "kaart.png"
    Image.new("RGB", (4, 4), "navy").save(image)
    (root / "practices" / "x").mkdir(parents=True)
    old_default = root / "practices" / "x" / "kaart.png"
    shutil.copy(image, old_default)
    (root / "pages" / "logo.png").write_bytes(image.read_bytes())
    practices = load_content(Settings.load(root / "mkdocs.yml")).practices
    allowed = repository_allowed(root / "print", [], [practice.folder for practice in practices])  # what `build_pdf` allows
    assert refusal(image.as_uri(), allowed) is None
    assert refusal(old_default.as_uri(), allowed) is not None
    assert refusal((root / "pages" / "logo.png").as_uri(), allowed) is not None
    assert refusal((root / "content" / "practices" / "alpha-praktijk" / "nl.md").as_uri(), allowed) is not None
