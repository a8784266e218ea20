"""The link checker of the built site: internal links and anchors offline, external links on request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from handbook.web import linkcheck
from handbook.web.linkcheck import BuiltPages, check_external, check_internal, external_links, main
from support import serve_folder

SITE_URL = "https://example.org/handboek/"

HOME = f"""<!doctype html>
<html><head>
<link rel="canonical" href="{SITE_URL}">
<link rel="stylesheet" href="assets/site.css">
</head><body id="top">
<a href="over/">about</a>
<a href="over/#team">team</a>
<a href="over/#niemand">nobody</a>
<a href="over/index.html?taal=nl">with a query</a>
<a href="ontbreekt/">missing page</a>
<a href="/handboek/over/">absolute path</a>
<a href="{SITE_URL}over/">own address</a>
<a href="#top">top</a>
<a href="#nergens">nowhere</a>
<a href="https://elders.example/pagina">external</a>
<a href="mailto:info@example.org">mail</a>
<a href="../buiten/">outside the site</a>
<img src="assets/logo.png" alt="logo">
<a href="en/over/#team-en">the other language, its anchor</a>
<a href="en/over/#team">the other language, this language's anchor</a>
<a href="studiedagen/handboek.pdf">a PDF that was built</a>
<a href="studiedagen/ontbreekt.pdf">a PDF that was not</a>
</body></html>
"""

ABOUT = """<!doctype html>
<html><body>
<h2 id="team">Team</h2>
<a name="oud"></a>
<a href="../">home</a>
<a href="../#top">home, top</a>
<a href="../index.html#oud">wrong page for this anchor</a>
<script src="../assets/ontbreekt.js"></script>
</body></html>
"""


ABOUT_EN = """<!doctype html>
<html lang="en"><body>
<h2 id="team-en">Team</h2>
<a href="../../over/#team">the Dutch page, its anchor</a>
</body></html>
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "over").mkdir(parents=True)
    (folder / "en" / "over").mkdir(parents=True)
    (folder / "assets").mkdir()
    (folder / "studiedagen").mkdir()
    (folder / "index.html").write_text(HOME, encoding="utf-8")
    (folder / "over" / "index.html").write_text(ABOUT, encoding="utf-8")
    (folder / "en" / "over" / "index.html").write_text(ABOUT_EN, encoding="utf-8")
    (folder / "assets" / "site.css").write_text("body {}", encoding="utf-8")
    (folder / "studiedagen" / "handboek.pdf").write_bytes(b"%PDF-1.7")
    return folder


def test_broken_internal_links_and_anchors_are_reported_with_file_and_line(site: Path) -> None:
    found = [link.format().replace(site.as_posix(), "site") for link in check_internal(BuiltPages.read(site))]
    assert found == [
        "site/index.html:8: broken link 'over/#niemand': no anchor '#niemand' on over/index.html",
        "site/index.html:10: broken link 'ontbreekt/': no such page or file in the built site",
        "site/index.html:14: broken link '#nergens': no anchor '#nergens' on index.html",
        "site/index.html:17: broken link '../buiten/': no such page or file in the built site",
        "site/index.html:18: broken link 'assets/logo.png': no such page or file in the built site",
        "site/index.html:20: broken link 'en/over/#team': no anchor '#team' on en/over/index.html",
        "site/index.html:22: broken link 'studiedagen/ontbreekt.pdf': no such page or file in the built site",
        "site/over/index.html:7: broken link '../index.html#oud': no anchor '#oud' on index.html",
        "site/over/index.html:8: broken link '../assets/ontbreekt.js': no such page or file in the built site",
    ]


def test_the_site_address_comes_from_the_canonical_link_and_counts_as_internal(site: Path) -> None:
    checked = BuiltPages.read(site)
    assert checked.site_url == SITE_URL
    assert list(external_links(checked)) == ["https://elders.example/pagina"]


def test_a_given_site_address_wins(site: Path) -> None:
    checked = BuiltPages.read(site, "https://elders.example/")
    assert "https://example.org/handboek/over/" in external_links(checked)


def test_the_command_fails_on_broken_links_and_passes_on_a_clean_site(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(site)]) == 1
    out, err = capsys.readouterr()
    assert out.count("broken link") == 9
    assert "9 broken links" in err and "1 external URLs not checked (use --external)" in err

    (site / "index.html").write_text(HOME.split("<a href")[0] + "</body></html>", encoding="utf-8")
    (site / "over" / "index.html").write_text('<a href="../">home</a>', encoding="utf-8")
    (site / "en" / "over" / "index.html").write_text('<a href="../../over/">the Dutch page</a>', encoding="utf-8")
    assert main([str(site)]) == 0
    assert "No broken links" in capsys.readouterr().err


def test_the_offline_check_looks_up_and_requests_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """External and mailto: links are listed, never resolved or requested, unless --external is given."""
    reached: list[str] = []

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        reached.append(f"resolve {host}")
        raise OSError("no network in this test")

    monkeypatch.setattr(linkcheck.socket, "getaddrinfo", resolve)
    folder = tmp_path / "site"
    folder.mkdir()
    links = '<a href="https://elders.example/pagina">external</a>\n<a href="//elders.example/zonder-schema">no scheme</a>\n'
    (folder / "index.html").write_text(links + '<a href="mailto:info@elders.example">mail</a>', encoding="utf-8")
    assert main([str(folder)]) == 0
    assert reached == []
    assert "2 external URLs not checked (use --external)" in capsys.readouterr().err
    main([str(folder), "--external"])  # the same site, checked online: both URLs are looked up
    assert reached == ["resolve elders.example", "resolve elders.example"]


def test_a_missing_site_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "site")]) == 1
    assert "build the site first" in capsys.readouterr().err


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[str]:
    """A web server on 127.0.0.1 with one page, `ok.html`."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "ok.html").write_text("ok", encoding="utf-8")
    with serve_folder(served) as url:
        yield url


def test_external_links_are_requested_once_each(tmp_path: Path, local_server: str) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    links = f'<a href="{local_server}/ok.html">ok</a>\n<a href="{local_server}/weg.html">gone</a>\n<a href="{local_server}/weg.html#x">gone again</a>'
    (folder / "index.html").write_text(links, encoding="utf-8")
    local = lambda url: None  # noqa: E731 - the test server is on 127.0.0.1, which the job itself refuses
    broken = check_external(BuiltPages.read(folder), timeout=10, refuse=local)
    assert [(link.line, link.reason) for link in broken] == [(2, "HTTP 404 File not found"), (3, "HTTP 404 File not found")]


@pytest.mark.slow
def test_the_built_fixture_site_has_no_broken_internal_links(built_site: Any) -> None:
    site = BuiltPages.read(built_site.site)
    assert len(site.pages) > 20
    assert [link.format() for link in check_internal(site)] == []
