"""Full links in a practice text that lead back into the handbook, or to no public address, are refused with the
relative form to write instead: copied from the preview's address bar, from the published site, or from the repository."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from handbook.gate import load_content
from handbook.repository import Repository
from support import FIXTURES, VALID, content_root, handbook_command, mkdocs_build, settings_for

PRACTICE = "beta-praktijk"
NL = f"practices/{PRACTICE}/nl.md"
LINE = 10  # after '## Context' and a blank line
SITE = "https://stad.github.io/handboek/"
REPOSITORY = "https://github.com/Stad/handboek"
DOCS = {"index.nl.md": "# Handboek\n", "integrale-aanpak.nl.md": "# Integrale aanpak\n\n## De zeven elementen\n\nTekst.\n"}


def make_root(tmp_path: Path) -> Path:
    root = content_root(tmp_path / "root", VALID)
    for name, text in DOCS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return root


def write_body(root: Path, text: str) -> None:
    path = root / "practices" / PRACTICE / "nl.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("## Context") + 2
    path.write_text("\n".join([*lines[:at], text, "", *lines[at:]]) + "\n", encoding="utf-8")


def problems(root: Path, site_url: str = SITE, repository: str | None = REPOSITORY) -> list[str]:
    settings = dataclasses.replace(settings_for(root), site_url=site_url, repository=Repository(repository) if repository else None)
    return [problem.format(root) for problem in load_content(settings).problems]


def advice(relative: str) -> str:
    return (
        f"write '{relative}' instead: a link within the handbook is relative, so that it works in the preview, on the site and in the PDF"
    )


LOCAL = "is not a public address: readers cannot open it"
OWN_SITE = "is a full link to the handbook's own site"
REPOSITORY_FILE = "points to a source file in the repository, not to the page readers see"


@pytest.mark.parametrize(
    ("href", "what", "relative"),
    [
        # copied from the preview's address bar, in every way a browser reads the same loopback or local host
        ("http://127.0.0.1:8000/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),
        ("http://localhost:8000/praktijken/alpha-praktijk/#context", LOCAL, "../alpha-praktijk/#context"),
        ("HTTP://LocalHost:8000/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),
        ("http://localhost.:8000/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),
        ("http://0.0.0.0:8000/integrale-aanpak/", LOCAL, "../../integrale-aanpak/"),
        ("http://[::1]:8000/en/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),
        ("http://192.168.1.20/praktijken/", LOCAL, "../"),
        ("http://intranet.local/praktijken/dekking/", LOCAL, "../dekking/"),
        ("http://me@127.0.0.1:8000/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),
        ("http://%6c%6fcalhost:8000/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),
        ("http://127.1:8000/praktijken/alpha-praktijk/index.html", LOCAL, "../alpha-praktijk/"),
        ("//127.0.0.1:8000/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),
        ("http://127.0.0.1:8000/handboek/praktijken/alpha-praktijk/", LOCAL, "../alpha-praktijk/"),  # under site_url's path
        ("http://127.0.0.1:8000/praktijken/beta-praktijk/#aanpak", LOCAL, "#aanpak"),
        # the published site, however its host is written
        ("https://stad.github.io/handboek/praktijken/alpha-praktijk/", OWN_SITE, "../alpha-praktijk/"),
        ("http://STAD.github.io./handboek/praktijken/alpha-praktijk/", OWN_SITE, "../alpha-praktijk/"),
        ("https://stad.github.io:443/handboek/integrale-aanpak/#de-zeven-elementen", OWN_SITE, "../../integrale-aanpak/#de-zeven-elementen"),
        ("https://stad.github.io/handboek/en/praktijken/?thema=jeugdwerk", OWN_SITE, "../?thema=jeugdwerk"),
        ("https://stad.github.io/handboek/", OWN_SITE, "../../"),
        # the repository's own files
        ("https://github.com/Stad/handboek/blob/main/practices/alpha-praktijk/nl.md", REPOSITORY_FILE, "../alpha-praktijk/"),
        ("https://GitHub.com/stad/HANDBOEK/tree/feature/x/practices/alpha-praktijk", REPOSITORY_FILE, "../alpha-praktijk/"),
        ("https://github.com/Stad/handboek/blob/main/docs/integrale-aanpak.nl.md", REPOSITORY_FILE, "../../integrale-aanpak/"),
    ],
)  # fmt: skip
def test_a_full_link_into_the_handbook_is_refused_with_its_relative_form(href: str, what: str, relative: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, f"Zie [de praktijk]({href}).")
    assert problems(root) == [f"{NL}:{LINE}: link '{href}' {what}, in `Zie [de praktijk]({href}).`; {advice(relative)}"]
    write_body(root, "")


ABSOLUTE = "absolute link"


@pytest.mark.parametrize(
    ("href", "relative"),
    [
        ("/praktijken/alpha-praktijk/", "../alpha-praktijk/"),
        ("/en/praktijken/alpha-praktijk/#context", "../alpha-praktijk/#context"),  # the English page's path: the page's own language
        ("/praktijken/alpha-praktijk", "../alpha-praktijk/"),
        ("/praktijken/alpha-praktijk/index.html", "../alpha-praktijk/"),
        ("/handboek/praktijken/alpha-praktijk/", "../alpha-praktijk/"),  # under site_url's path
        ("/praktijken/", "../"),
        ("/praktijken/?thema=jeugdwerk", "../?thema=jeugdwerk"),
        ("/praktijken/dekking/", "../dekking/"),
        ("/integrale-aanpak/#de-zeven-elementen", "../../integrale-aanpak/#de-zeven-elementen"),
        ("/praktijken/beta-praktijk/#aanpak", "#aanpak"),  # its own page
        ("/", "../../"),
    ],
)
def test_a_path_of_the_site_is_refused_with_its_relative_form(href: str, relative: str, tmp_path: Path) -> None:
    """Issue 23: `/praktijken/<id>/` (as a contributor copies it from the address bar without the host) gets the same rule as
    a full link into the handbook: the exact relative form for this page, not a generic example."""
    root = make_root(tmp_path)
    write_body(root, f"Zie [de praktijk]({href}).")
    assert problems(root) == [f"{NL}:{LINE}: {ABSOLUTE} '{href}', in `Zie [de praktijk]({href}).`; {advice(relative)}"]
    write_body(root, "")


def test_a_path_of_the_site_that_leads_nowhere_gets_the_general_advice(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, "Zie [x](/praktijken/onbekend/).")
    assert problems(root) == [
        f"{NL}:{LINE}: {ABSOLUTE} '/praktijken/onbekend/', in `Zie [x](/praktijken/onbekend/).`; write a relative link instead, such "
        "as '../other-practice/' or '../../integrale-aanpak/' (an absolute link breaks when the site is not published at the "
        "root of its host)"
    ]


def test_handbook_check_refuses_a_path_of_the_site_in_dutch(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, "Zie [de praktijk](/en/praktijken/alpha-praktijk/).")
    checked = handbook_command("check", "--lang", "nl", "--root", root)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        f"{NL}:{LINE}: absolute link '/en/praktijken/alpha-praktijk/', in `Zie [de praktijk](/en/praktijken/alpha-praktijk/).`; "
        "schrijf in de plaats '../alpha-praktijk/': een link binnen het handboek is relatief, zodat hij werkt in de "
        "voorbeeldweergave, op de site en in de PDF"
    ]


def test_the_build_refuses_a_path_of_the_site(tmp_path: Path) -> None:
    """The build stops on the same rule, with the same message (the plugin loads the content through the same gate)."""
    root = make_root(tmp_path)
    write_body(root, "Zie [de praktijk](/praktijken/alpha-praktijk/).")
    built = mkdocs_build(root, "-d", str(tmp_path / "site"))
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert (
        f"{NL}:{LINE}: absolute link '/praktijken/alpha-praktijk/', in `Zie [de praktijk](/praktijken/alpha-praktijk/).`; "
        f"{advice('../alpha-praktijk/')}"
    ) in built.stderr


def test_the_relative_form_it_suggests_passes(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, "Zie [a](../alpha-praktijk/#context), [b](../../integrale-aanpak/), [c](../?thema=jeugdwerk) en [d](../../).")
    assert problems(root) == []


@pytest.mark.parametrize(
    "href",
    [
        "https://www.vvsg.be/praktijken/alpha-praktijk/",  # another site with the same path
        "https://stad.github.io/ander-handboek/praktijken/alpha-praktijk/",  # the same host, another site
        "https://github.com/Stad/handboek/issues/new?template=praktijk-voorstellen.yml",  # the repository, not a page's file
        "https://github.com/Ander/handboek/blob/main/practices/alpha-praktijk/nl.md",  # another repository
        "mailto:info@example.org",
    ],
)
def test_links_to_other_sites_pass(href: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, f"Zie [elders]({href}).")
    assert [problem for problem in problems(root) if "elders" in problem and "mail" not in href] == []


def test_a_local_address_that_maps_to_no_page_gets_the_public_address_rule(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, "Zie [intranet](http://10.0.0.5/verslag.pdf).")
    assert problems(root) == [
        f"{NL}:{LINE}: link 'http://10.0.0.5/verslag.pdf' {LOCAL}, in `Zie [intranet](http://10.0.0.5/verslag.pdf).`; "
        "use the site's host name, not an IP address"
    ]


def test_without_a_configured_site_or_repository_only_local_addresses_are_refused(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, "Zie [a](https://stad.github.io/handboek/praktijken/alpha-praktijk/) en [b](http://127.0.0.1:8000/praktijken/).")
    [found] = problems(root, site_url="", repository=None)
    assert found.startswith(f"{NL}:{LINE}: link 'http://127.0.0.1:8000/praktijken/' {LOCAL}, in `")
    assert found.endswith(f"`; {advice('../')}")


def test_handbook_check_refuses_the_preview_address_in_dutch(tmp_path: Path) -> None:
    """The site's own mkdocs.yml: site_url is the preview's address, so a link copied from the address bar is refused."""
    root = make_root(tmp_path)
    write_body(root, "Zie [de praktijk](http://127.0.0.1:8000/praktijken/alpha-praktijk/).")
    checked = handbook_command("check", "--lang", "nl", "--root", root)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        f"{NL}:{LINE}: link 'http://127.0.0.1:8000/praktijken/alpha-praktijk/' is geen openbaar adres: lezers kunnen hem niet "
        "openen, in `Zie [de praktijk](http://127.0.0.1:8000/praktijken/alpha-praktijk/).`; schrijf in de plaats "
        "'../alpha-praktijk/': een link binnen het handboek is relatief, zodat hij werkt in de voorbeeldweergave, op de site "
        "en in de PDF"
    ]


@pytest.mark.parametrize(
    ("href", "what"),
    [
        ("http://localhost:8000/praktijken/alpha-praktijk/", f"link 'http://localhost:8000/praktijken/alpha-praktijk/' {LOCAL}"),
        ("/praktijken/alpha-praktijk/", f"{ABSOLUTE} '/praktijken/alpha-praktijk/'"),
    ],
)
def test_from_issue_refuses_a_link_copied_from_the_preview(href: str, what: str, tmp_path: Path) -> None:
    """`handbook from-issue` checks what it wrote through the same gate: the proposer's local link (or the site's path) is
    named with its fix."""
    root = make_root(tmp_path)
    body = (FIXTURES / "issue-forms" / "vorming-signaalherkenning.md").read_text(encoding="utf-8")
    heading = "### Aanpak / Approach\n\n"
    assert heading in body
    link = f"Zie ook [de andere praktijk]({href})."
    (tmp_path / "issue.md").write_text(body.replace(heading, f"{heading}{link}\n\n", 1), encoding="utf-8")
    result = handbook_command("from-issue", tmp_path / "issue.md", "--root", root)
    assert result.returncode == 1
    assert f"{what}, in `{link}`; {advice('../alpha-praktijk/')}" in result.stderr
