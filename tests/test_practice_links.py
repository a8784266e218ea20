"""Links between practices: the one documented form (`../<id>/`), what check accepts the build accepts (both
languages, fallback pages), and what the forms become for MkDocs and in a PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BuiltSite
from handbook.content.practice_links import Target, for_mkdocs, for_print, link_path, target_of
from support import VALID, assemble_site, handbook_check, mkdocs_build

SITE = "https://handboek.example/"


@pytest.mark.parametrize(
    ("href", "target"),
    [
        ("../beta/", Target("practice", "beta", "")),
        ("../beta/#aanpak", Target("practice", "beta", "aanpak")),
        ("../beta", Target("practice", "beta", "")),
        ("beta.md", Target("practice", "beta", "")),
        ("beta.nl.md#x", Target("practice", "beta", "x")),
        ("../", Target("page", "praktijken", "")),
        ("../dekking/", Target("page", "praktijken/dekking", "")),
        ("../../integrale-aanpak/", Target("page", "integrale-aanpak", "")),
        ("../integrale-aanpak.md", Target("page", "integrale-aanpak", "")),
        ("../../sjablonen/", Target("page", "sjablonen", "")),
        ("#aanpak", None),
        ("https://example.org/", None),
        ("mailto:info@example.org", None),
        ("../../../buiten/", None),
    ],
)
def test_target_of_every_form_check_accepts(href: str, target: Target | None) -> None:
    assert target_of(href, "alpha") == target


@pytest.mark.parametrize(
    ("path", "resolved"),
    [
        ("../beta/", "praktijken/beta"),
        ("beta.nl.md", "praktijken/beta"),
        ("../integrale-aanpak.en.md", "integrale-aanpak"),
        ("notities.de.md", "praktijken/notities.de"),  # only a language of the site is a language suffix
        ("../../integrale-aanpak/", "integrale-aanpak"),
        ("../../../buiten/", None),
        ("../../buiten.md", None),
    ],
)
def test_link_path_is_the_one_resolution_check_build_and_pdf_share(path: str, resolved: str | None) -> None:
    assert link_path(path, "alpha") == resolved


def test_for_mkdocs_writes_addresses_as_the_files_mkdocs_knows() -> None:
    body = (
        "Zie [beta](../beta/#aanpak), [de catalogus](../), [dekking](../dekking/), [aanpak](../../integrale-aanpak/), "
        '[sjablonen](../../sjablonen/ "Sjablonen"), [al goed](beta.md), [extern](https://example.org/), [hier](#doel).\n\n'
        "[ref]: ../beta/\n"
    )
    written = for_mkdocs(body, "alpha", lambda name: name == "sjablonen")
    assert written == (
        "Zie [beta](beta.md#aanpak), [de catalogus](index.md), [dekking](dekking.md), [aanpak](../integrale-aanpak.md), "
        '[sjablonen](../sjablonen/index.md "Sjablonen"), [al goed](beta.md), [extern](https://example.org/), [hier](#doel).\n\n'
        "[ref]: beta.md\n"
    )


def test_for_print_links_inside_the_handbook_and_to_the_public_site_otherwise() -> None:
    html = '<p><a href="../beta/">b</a> <a href="../gamma/#x">g</a> <a href="../../integrale-aanpak/">i</a> <a href="#p-alpha-y">y</a></p>'
    assert for_print(html, "alpha", {"beta"}, SITE, "en", "p-") == (
        '<p><a class="practice-ref" href="#p-beta">b</a> <a href="https://handboek.example/en/praktijken/gamma/#x">g</a> '
        '<a href="https://handboek.example/en/integrale-aanpak/">i</a> <a href="#p-alpha-y">y</a></p>'
    )


def _href_to(html: str, practice_id: str) -> list[str]:
    return re.findall(rf'href="([^"]*{practice_id}[^"]*)"', html.split('class="md-content"', 1)[-1])


@pytest.mark.slow
def test_cross_links_build_in_both_languages_with_fallback_pages(built_site: BuiltSite) -> None:
    """The fixture's beta (Dutch only) links alpha, gamma (English only) links beta#aanpak: check and build agree
    (the session's fixture site; its build ran the check)."""
    site: Path = built_site.site
    for prefix in ("", "en/"):
        beta = (site / prefix / "praktijken" / "beta-praktijk" / "index.html").read_text(encoding="utf-8")
        assert "../alpha-praktijk/" in _href_to(beta, "alpha-praktijk")
        gamma = (site / prefix / "praktijken" / "gamma-practice" / "index.html").read_text(encoding="utf-8")
        assert "../beta-praktijk/#aanpak" in _href_to(gamma, "beta-praktijk")


@pytest.mark.slow
def test_a_link_check_refuses_is_refused_by_the_build_with_the_form_to_use(tmp_path: Path) -> None:
    root = assemble_site(tmp_path / "site", VALID)
    beta = root / "practices" / "beta-praktijk" / "nl.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("](../alpha-praktijk/)", "](../../alpha-praktijk/)"), encoding="utf-8")
    check = handbook_check(root)
    build = mkdocs_build(root, HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    assert check.returncode == 1 and build.returncode != 0
    line = next(line for line in check.stdout.splitlines() if "../../alpha-praktijk/" in line)
    assert "'../alpha-praktijk/'" in line  # the form to use
    assert line in build.stdout + build.stderr
    assert "Traceback" not in build.stdout + build.stderr
