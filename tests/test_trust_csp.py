"""Issue 18, scripts only from a fixed list, redirects refused, source URLs safe.

Source URLs: the hostile cases of tests/hostile_csp.py through `load_content` (the gate of check and build),
the rule itself (`public_url.public_url_problem`) on its own, and the external link job, which requests only
URLs that pass it and follows no redirect to one that does not.
"""

from __future__ import annotations

import datetime
import http.server
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import jinja2
import material
import pytest

from handbook.content.model import Source
from handbook.content.public_url import public_url_problem
from handbook.messages import use_language
from handbook.web import linkcheck
from handbook.web.csp import SitePolicy, page_problems, script_files, script_sources, site_problems, theme_scripts, with_csp
from handbook.web.linkcheck import BuiltPages, check_external, refusal, request_status
from hostile import problems_of
from hostile_csp import CASES
from static_host import serve_gzip
from support import free_port, mkdocs_build, serve

# --- source URLs through the gate ------------------------------------------------------------------------


def test_the_message_is_in_dutch_too(template: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(template, root, symlinks=True)
    CASES[0].apply(root)
    use_language("nl")
    try:
        problems = problems_of(root)
    finally:
        use_language(None)
    assert any("geen IP-adres" in problem for problem in problems), problems


# --- the rule --------------------------------------------------------------------------------------------

PUBLIC = [
    "https://www.vvsg.be/nieuws/mechelen-pakt-radicalisering-aan",
    "http://www.vvsg.be/",
    "https://www.vvsg.be:443/x",
    "http://www.vvsg.be:80/x",
    "https://www.vvsg.be./",
    "https://bücher.de/",
    "https://пример.рф/",
    "https://例え.jp/",
    "https://1.2.3.example.com/",
    "https://WWW.VVSG.BE/",
]
NOT_PUBLIC = [
    "http://169.254.169.254/",
    "http://10.0.0.1/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0X7F000001/",
    "http://017700000001/",
    "http://127.1/",
    "http://[::1]/",
    "http://[fe80::1%25eth0]/",
    "http://localhost/",
    "http://LOCALHOST/",
    "http://x.localhost/",
    "http://printer.local/",
    "http://db.internal/",
    "http://router.lan/",
    "http://home.arpa/",
    "http://intranet/",
    "https://a:b@www.vvsg.be/",
    "https://:@www.vvsg.be/",
    "https://www.vvsg.be:8080/",
    "https://www.vvsg.be:/",
    "https://mechelen.b\u0435/",
    "https://\u0430pple.com/",
    "https://\u0441\u0435.be/",
    "https://www.vvsg.be\\@evil.example.com/",
    "http://127.0.0.%31/",
    "http://exa_mple.be/",
    "http://a..b.be/",
    "ftp://www.vvsg.be/",
    "javascript:alert(1)//https://www.vvsg.be",
    "file:///etc/passwd",
    "https:www.vvsg.be",
    "https:/www.vvsg.be",
    "mailto:info@vvsg.be",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_web_address_passes(url: str) -> None:
    assert public_url_problem(url) is None


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_anything_else_is_refused_with_a_reason(url: str) -> None:
    assert public_url_problem(url)


def test_mailto_passes_only_where_it_is_allowed() -> None:
    assert public_url_problem("mailto:info@vvsg.be", web_only=False) is None
    assert public_url_problem("http://localhost/", web_only=False)


def test_accessed_is_compared_with_the_day_given() -> None:
    source = {"title": "T", "url": "https://www.vvsg.be/", "accessed": "2026-11-20"}
    assert Source.model_validate(source, context={"today": datetime.date(2026, 11, 20)}).accessed == datetime.date(2026, 11, 20)
    with pytest.raises(ValueError, match="after today"):
        Source.model_validate(source, context={"today": datetime.date(2026, 11, 19)})


# --- the external link job -------------------------------------------------------------------------------


class _Server(http.server.BaseHTTPRequestHandler):
    """`/ok` answers, `/to?<url>` redirects to <url>; every request path is recorded."""

    seen: ClassVar[list[str]] = []

    def do_HEAD(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path[4:])
        else:
            self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Server.seen = []
    with serve(_Server) as url:
        yield url


def test_the_job_does_not_request_an_address_the_rule_refuses(server: str, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text(f'<a href="{server}/ok">local</a>\n<a href="http://localhost/">l</a>', encoding="utf-8")
    broken = check_external(BuiltPages.read(folder), timeout=5)
    assert [(link.line, link.reason) for link in broken] == [
        (1, "remove the port from the URL (':' and a number after the host name); a public site uses the default one"),
        (2, "use the public host name of the site (such as www.example.be), not a local or internal name"),
    ]
    assert _Server.seen == []  # nothing was requested


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://localhost/", "http://0x7f.1/", "https://a:b@www.vvsg.be/"]
)
def test_the_job_follows_no_redirect_to_an_address_the_rule_refuses(target: str, server: str) -> None:
    def only_the_test_server(url: str) -> str | None:  # the test server is on 127.0.0.1: only its start page is allowed
        return None if url.startswith(f"{server}/to?") or url == f"{server}/ok" else refusal(url)

    assert request_status(f"{server}/to?{server}/ok", 5, only_the_test_server) is None  # a redirect the rule allows is followed
    reason = request_status(f"{server}/to?{target}", 5, only_the_test_server)
    assert reason is not None and reason.startswith(f"redirects to {target}, which is not requested")


def test_a_public_name_that_resolves_to_a_private_address_is_not_requested(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        address = {"intern.vvsg.be": "10.1.2.3", "meta.vvsg.be": "169.254.169.254", "www.vvsg.be": "193.191.245.1"}[host]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0))]

    monkeypatch.setattr(linkcheck.socket, "getaddrinfo", resolve)
    assert "10.1.2.3" in (refusal("https://intern.vvsg.be/") or "")
    assert "169.254.169.254" in (refusal("https://meta.vvsg.be/") or "")
    assert refusal("https://www.vvsg.be/") is None


# --- scripts only from the fixed list, no redirect ---------------------------------------------------------

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
FILES = script_files(MATERIAL_TEMPLATES)
BUNDLE = next(name for name in FILES if name.startswith("assets/javascripts/bundle."))
POLICY = SitePolicy(theme_scripts(MATERIAL_TEMPLATES, "/"), FILES)


def page_problems_of(html: str, page: str = "index.html") -> list[str]:
    """What the check of the written page at site path `page` finds once the build gave it the policy."""
    return page_problems(with_csp(html, POLICY).encode("utf-8"), POLICY, page)


def page_with(head: str = "", body: str = "") -> str:
    return f'<!doctype html>\n<html lang="nl">\n  <head>\n    <meta charset="utf-8">\n    <title>t</title>{head}\n  </head>\n  <body>{body}</body>\n</html>\n'


def test_the_fixed_list_is_materials_bundle_and_the_handbooks_own_files() -> None:
    assert {BUNDLE, "assets/handbook.js", "pagefind/pagefind-ui.js"} == FILES


@pytest.mark.parametrize(
    ("src", "page"),
    [
        (f"../{BUNDLE}", "praktijken/index.html"),
        (f"/{BUNDLE}", "404.html"),
        ("../../assets/handbook.js", "en/praktijken/index.html"),
        ("../pagefind/pagefind-ui.js", "zoeken/index.html"),
        ("../../pagefind/pagefind-ui.js", "en/zoeken/index.html"),
        ("assets/handbook.js", "index.html"),
    ],
)
def test_a_listed_script_file_passes(src: str, page: str) -> None:
    for html in (page_with(f'<script src="{src}"></script>'), page_with(f"<script defer src='{src}'></script>")):  # as written, or read
        assert page_problems_of(html, page) == []


@pytest.mark.parametrize(
    "src",
    [
        "assets/x.js",
        "/practices/alpha-praktijk/kaart.png",
        "x.yml",
        "../x.yml",
        "https://evil.example.com/x.js",
        "//evil.example.com/assets/handbook.js",
        "assets/handbook.js?x=1",
        "data:text/javascript,window.__pwned=1",
        "javascript:window.__pwned=1",
        "practices/alpha/assets/handbook.js",
        "en/x/assets/handbook.js",
        "",
    ],
)
def test_any_other_script_file_fails(src: str) -> None:
    problems = page_problems_of(page_with(body=f'<script src="{src}"></script>'))
    assert any("not one of the site's own script files" in problem for problem in problems), problems


@pytest.mark.parametrize(
    "inserted",
    [
        '<meta http-equiv="refresh" content="0;url=https://evil.example.com/">',
        '<noscript><meta http-equiv="refresh" content="0;url=https://evil.example.com/"></noscript>',
        '<noscript><META HTTP-EQUIV="Refresh" CONTENT="0; URL=/x"></noscript>',
        "<noscript><p>a</p><meta http-equiv=refresh content='1;url=//evil.example.com'></noscript>",
    ],
)
def test_a_redirect_fails_also_inside_noscript(inserted: str) -> None:
    for html in (page_with(head=inserted), page_with(body=inserted)):
        assert any("refresh" in problem for problem in page_problems_of(html)), html


def test_a_redirect_inside_noscript_fails_the_check_of_the_site(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        with_csp(page_with(), POLICY).replace("<body>", '<body><noscript><meta http-equiv="refresh" content="0;url=/x"></noscript>'),
        encoding="utf-8",
    )
    problems = site_problems(tmp_path, POLICY)
    assert len(problems) == 1 and problems[0].startswith("index.html: ") and "refresh" in problems[0]


def test_materials_redirect_template_is_not_on_the_list() -> None:
    output = jinja2.Template((MATERIAL_TEMPLATES / "redirect.html").read_text(encoding="utf-8")).render(
        config={"site_name": "h"}, page={"meta": {"location": "https://evil.example.com/"}}
    )
    problems = "; ".join(page_problems_of(output))
    assert "inline script that is not one of the theme's" in problems and "refresh" in problems


@pytest.mark.slow
def test_a_build_with_an_override_template_that_adds_an_inline_script_or_loads_another_script_fails(template: Path, tmp_path: Path) -> None:
    """Not from content (the gate refuses that): an override's own inline script is not one of the fixed ones,
    however plain, and its `<script src>` is not on the list. One build for both: each is reported once, with
    the first page that has it and the count of the others."""
    root = tmp_path / "root"
    shutil.copytree(template, root, symlinks=True)
    (root / "overrides" / "assets" / "x.js").write_text("window.__pwned=1", encoding="utf-8")
    main = root / "overrides" / "main.html"
    main.write_text(
        main.read_text(encoding="utf-8")
        + '\n{% block scripts %}{{ super() }}<script>window.__pwned=1</script><script src="assets/x.js"></script>{% endblock %}\n'
    )
    result = mkdocs_build(root, HANDBOOK_PDF="false")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for problem in (
        "an inline script that is not one of the theme's: 'window.__pwned=1'",
        "a <script src> that is not one of the site's own script files: 'assets/x\\.js'",
    ):
        assert re.search(rf"^(en/)?[\w/.-]+\.html: {problem} \(and \d+ other pages\)$", output, re.MULTILINE), output
    assert "Traceback" not in output


# --- the policy admits only the listed files ---------------------------------------------------------------


def test_the_policy_lists_each_file_at_the_sites_address_not_self() -> None:
    sources = script_sources("https://handboek.example.be/", FILES, ["en"])
    assert "'self'" not in sources
    assert "https://handboek.example.be/assets/handbook.js" in sources.split()
    assert "https://handboek.example.be/en/pagefind/pagefind.js" in sources.split()  # imported by pagefind-ui.js
    policy = csp_of(with_csp(page_with(), SitePolicy(POLICY.scripts, FILES, sources=sources)))
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src "))
    assert "'self'" not in script_src and "https://handboek.example.be/x.yml" not in script_src


def csp_of(html: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert found, html[:400]
    return found[1]


@pytest.mark.slow
@pytest.mark.browser
def test_a_same_origin_file_inserted_as_a_script_does_not_run(template: Path, tmp_path: Path, page: Any) -> None:
    """A file on the site holding JavaScript, loaded by a `<script src>` put into built pages after the build
    (past the built-page check): Chromium refuses it, while Material's bundle and Pagefind's search still run."""
    root = tmp_path / "root"
    shutil.copytree(template, root, symlinks=True)
    port = free_port()
    result = mkdocs_build(root, SITE_URL=f"http://127.0.0.1:{port}/", HANDBOOK_PDF="false")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = root / "site"
    (site / "notes.yml").write_text("window.__pwned=1", encoding="utf-8")
    (site / "assets" / "extra.js").write_text("window.__pwned=1", encoding="utf-8")
    pages = ["index.html", "zoeken/index.html", "en/index.html"]
    for name in pages:
        path = site / name
        html = path.read_text(encoding="utf-8")
        path.write_text(
            html.replace("</body>", '<script src="/notes.yml"></script><script src="/assets/extra.js"></script></body>'), encoding="utf-8"
        )
    with serve_gzip(site, port) as url:
        for name in pages:
            page.goto(f"{url}/{name.removesuffix('index.html')}")
            assert page.evaluate("() => typeof window.__pwned") == "undefined", name
            assert page.evaluate("() => typeof __md_get") == "function", name  # Material's own scripts still run
        page.goto(f"{url}/zoeken/?q=school")
        page.wait_for_selector(".pagefind-ui__result")  # Pagefind's module, worker and WebAssembly still load
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
