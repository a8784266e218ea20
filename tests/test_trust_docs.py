"""Issue 18, the site's own pages: docs/ front matter read by MkDocs' reader and on an allow-list, every
value Material prints escaped, docs/ holding pages and images only, pages checked as the build assembles
them (CONTRIBUTING.md by sections), and the PDF appendix printing no front matter."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup
from mkdocs.utils.meta import get_data

from handbook.checks.docs_check import PAGE_KEYS, PAGE_TEMPLATES, TEMPLATE_PAGES, PageSource, page_type
from handbook.checks.filesafety import pages_folder_problem
from handbook.gate import Layout, Settings
from handbook.web.pagemeta import escape_page_meta
from hostile import copy_of, problems_of
from hostile_docs import OVER, TEMPLATE
from support import REPO, VALID, assemble_site, mkdocs_build, repo_settings

HOSTILE = "<script>window.__pwned=1</script>"


def test_a_finding_in_an_included_section_is_reported_at_the_guide_line(template: Path, tmp_path: Path) -> None:
    """The fence before the section marker hides the script in CONTRIBUTING.md as a whole, not on the page."""
    root = copy_of(template, tmp_path)
    guide = root / "CONTRIBUTING.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(
        text.replace("<!-- --8<-- [start:nl] -->\n", f"```\n<!-- --8<-- [start:nl] -->\n{HOSTILE}\n```\n", 1), encoding="utf-8"
    )
    line = guide.read_text(encoding="utf-8").splitlines().index(HOSTILE) + 1
    problems = problems_of(root)
    assert any(problem.startswith(f"CONTRIBUTING.md:{line}: unsafe content: element <script>") for problem in problems), problems


def test_the_site_pages_use_only_allowed_keys_and_templates() -> None:
    """The allow-lists fit the pages as they are: every key and template in use is allowed, none more."""
    used: dict[str, set[str]] = {kind: set() for kind in PAGE_KEYS}
    templates = set()
    for path in sorted((REPO / "docs").rglob("*.md")):
        source = PageSource.read(path)
        used[page_type(path.relative_to(REPO / "docs"))] |= set(source.meta)
        templates.add(source.meta.get("template"))
    assert used["page"] <= set(PAGE_KEYS["page"]) and used[TEMPLATE_PAGES] <= set(PAGE_KEYS[TEMPLATE_PAGES])
    assert templates - {None} == set(PAGE_TEMPLATES)
    for name in PAGE_TEMPLATES:
        assert (REPO / "overrides" / name).is_file()


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Over\n---\n\n# Over\n",
        "---\ntitle: Over\n...\n# Over\n",
        "title: Over\nsubtitle: x\n\n# Over\n",
        "Template: redirect.html\n    location: https://evil.example/\n\nTekst\n",
        "---\n- a\n---\n\nTekst\n",
        "---\n: [\n---\n",
        "---\n\n---\nTekst",
        "# Over\n\nTekst\n",
        "\n\n\n---\ntitle: x\n---\n",
    ],
)
def test_page_source_reads_as_mkdocs_reads(text: str) -> None:
    source = PageSource.parse(Path("docs/x.md"), text)
    body, meta = get_data(text)
    assert (source.body, source.meta) == (body, meta)
    assert "\n".join(text.split("\n")[source.body_line - 1 :]).lstrip("\n") == body  # the body starts on body_line
    assert source.unread_block == (text.startswith("---\n") and not meta and text.count("---") >= 2)


def test_page_types() -> None:
    assert page_type(Path("sjablonen/doorverwijsnota.nl.md")) == TEMPLATE_PAGES
    assert page_type(Path("over.nl.md")) == "page"
    assert "template" not in PAGE_KEYS[TEMPLATE_PAGES]
    assert not {"redirect.html", "main.html", "404.html", "practice.html", "handbook.html"} & set(PAGE_TEMPLATES)


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("over.nl.md", False),
        ("kaart.png", False),
        ("FOTO.JPG", False),
        ("notes.MD", True),
        ("notes.Md", True),
        ("x.markdown", True),
        ("x.yml", True),
        ("x.yaml", True),
        ("x.json", True),
        ("x.txt", True),
        ("x.html", True),
        ("LEESMIJ", True),
    ],
)
def test_docs_holds_pages_and_images_only(name: str, refused: bool) -> None:
    assert (pages_folder_problem(Path("docs") / name, "docs") is not None) == refused


def test_every_printed_front_matter_value_is_escaped() -> None:
    meta: dict[str, Any] = {
        "title": "</title>" + HOSTILE,
        "subtitle": '<script src="/x.yml"></script>',
        "status": 'new" onmouseover="window.__pwned=1',
        "author": "<b>x</b>",
        "description": 'a" b',
        "template": "home.html",
    }
    escape_page_meta(meta)
    for key in ("title", "subtitle", "status", "author", "description"):
        assert isinstance(meta[key], Markup) and "<" not in str(meta[key]) and '"' not in str(meta[key]), key
    assert meta["template"] == "home.html"
    numbers: dict[str, Any] = {"subtitle": 3, "status": False}
    escape_page_meta(numbers)
    assert numbers == {"subtitle": Markup("3"), "status": False}  # a false value prints nothing, and stays false


MATERIAL_SITE = """\
site_name: t
site_url: http://127.0.0.1/
theme:
  name: material
hooks:
  - hooks.py
nav:
  - index.md
  - andere.md
"""

HOOKS = """\
from handbook.web.plugin import HandbookPlugin

_plugin = HandbookPlugin()


def on_page_markdown(markdown, page, config, files):
    return _plugin.on_page_markdown(markdown, page=page, config=config, files=files)
"""


def test_material_prints_escaped_subtitle_and_status_through_the_plugin(tmp_path: Path) -> None:
    """A Material build with the plugin's page hook: the subtitle and status of a page, which Material
    prints in the navigation of every page, arrive escaped on both pages."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MATERIAL_SITE, encoding="utf-8")
    (tmp_path / "hooks.py").write_text(HOOKS, encoding="utf-8")
    front = textwrap.dedent(
        """\
        ---
        title: "Over</title><script>window.__pwned=1</script>"
        subtitle: '<script src="/x.yml"></script>'
        status: 'new" onmouseover="window.__pwned=1'
        ---

        # Over
        """
    )
    (tmp_path / "docs" / "index.md").write_text(front, encoding="utf-8")
    (tmp_path / "docs" / "andere.md").write_text("# Andere\n", encoding="utf-8")
    build(load_config(str(tmp_path / "mkdocs.yml")))
    for page in ("index.html", "andere/index.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert '<script src="/x.yml">' not in html and "window.__pwned=1</script>" not in html, page
        assert 'onmouseover="window' not in html, page
        assert "&lt;script src=&#34;/x.yml&#34;&gt;" in html, page


def test_the_pdf_appendix_prints_no_front_matter(tmp_path: Path) -> None:
    """Read as MkDocs reads it: a front matter key of a template page never reaches the PDF's HTML."""
    from handbook.pdf.render import appendix_view

    (tmp_path / "docs" / "sjablonen").mkdir(parents=True)
    attachment = '<a rel="attachment" href="file:///etc/passwd">bijlage</a>'
    (tmp_path / "docs" / "sjablonen" / "nota.nl.md").write_text(
        f"---\nbijlage: {attachment}\ntitle: Nota\n---\n\n# Nota\n\nTekst.\n", encoding="utf-8"
    )
    view = appendix_view("sjablonen/nota", "nl", repo_settings().markdown, Layout(tmp_path))
    assert "attachment" not in view["html"] and "bijlage" not in view["html"] and "<hr" not in view["html"]
    assert view["title"] == "Nota" and "Tekst." in view["html"]


@pytest.mark.slow
def test_the_pdf_of_a_template_page_with_hostile_front_matter_holds_no_markup_or_attachment(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from handbook.pdf.render import appendix_view, render_pdf

    root = assemble_site(tmp_path / "root", VALID)
    page = root / TEMPLATE
    attachment = '<a rel="attachment" href="file:///etc/passwd">bijlage-x</a>'
    page.write_text(f"---\nbijlage: '{attachment}'\n---\n\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    assert any(problem.startswith(f"{TEMPLATE}:2: front matter key 'bijlage'") for problem in problems_of(root))  # the gate
    settings = Settings.load(root / "mkdocs.yml")
    view = appendix_view("sjablonen/doorverwijsnota", "nl", settings.markdown, settings.layout)  # the second line
    html = f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>t</title></head><body>{view['html']}</body></html>"
    data = render_pdf(html, root.as_uri() + "/", progress=lambda message: None)
    output = tmp_path / "out.pdf"
    output.write_bytes(data)
    assert b"/EmbeddedFile" not in data and b"/FileAttachment" not in data
    text = "\n".join(page.extract_text() for page in PdfReader(output).pages)
    assert "bijlage-x" not in text and "attachment" not in text and "Sjabloon" in text


@pytest.mark.slow
def test_the_build_refuses_a_docs_page_front_matter_and_a_static_text_file(template: Path, tmp_path: Path) -> None:
    root = copy_of(template, tmp_path)
    (root / OVER).write_text(
        "---\nsubtitle: '<script src=\"/notes.MD\"></script>'\n---\n\n" + (root / OVER).read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = mkdocs_build(root, HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    assert result.returncode != 0
    assert f"{OVER}:2: front matter key 'subtitle' is not allowed" in result.stdout + result.stderr
    (root / OVER).write_text((REPO / OVER).read_text(encoding="utf-8"), encoding="utf-8")
    (root / "docs" / "notes.MD").write_text(HOSTILE, encoding="utf-8")
    result = mkdocs_build(root, HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    assert result.returncode != 0 and "docs/notes.MD:1: unsafe file" in result.stdout + result.stderr
    assert not (root / "site" / "notes.MD").exists()
