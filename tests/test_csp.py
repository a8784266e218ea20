"""Content-Security-Policy: the pure `with_csp`, the inline scripts of the built pages (only Material's own),
and Chromium logging no CSP violation on any page type in either language, a search included."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import material
import pytest

from conftest import BuiltSite
from gates import html_files
from handbook.web.csp import CspError, inline_scripts, policy_of, script_hash, script_pattern, site_problems, theme_scripts, with_csp
from support import REPO

# Material's own inline scripts, known by how they start: its storage helpers (partials/javascripts/base.html)
# and the content-tabs anchor fix (partials/javascripts/content.html). Nothing else may run inline.
MATERIAL_INLINE_SCRIPTS = ("__md_scope=new URL(", "var target=document.getElementById(location.hash.slice(1));")

PAGE = """<!doctype html>
<html lang="nl">
  <head>
    <meta charset="utf-8">
    <title>t</title>
    <script>var a = 1;</script>
    <script id="__config" type="application/json">{"x": 1}</script>
    <script src="/x.js"></script>
  </head>
  <body><script type="module">import "./y.js";</script><script>var a = 1;</script></body>
</html>
"""
ALLOWED = (script_pattern("var a = 1;"), script_pattern('import "./y.js";'))
FILES = frozenset({"x.js"})
THEME_DIRS = [REPO / "overrides", Path(material.__file__).parent / "templates"]


def csp_of(html: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert found, html[:400]
    return found[1]


def test_script_hash_is_the_base64_sha256_of_the_script_text() -> None:
    # echo -n 'var a = 1;' | openssl dgst -sha256 -binary | base64
    assert script_hash("var a = 1;") == "'sha256-+dZ6udsWxNVoGfScAq7t5IIF5UJb4F6RhjbN6oe1p4w='"


def test_only_scripts_that_run_inline_are_hashed() -> None:
    assert inline_scripts(PAGE) == ["var a = 1;", 'import "./y.js";', "var a = 1;"]
    assert policy_of(inline_scripts(PAGE)).count("'sha256-") == 2  # each distinct script once; JSON and src scripts not


def test_with_csp_inserts_the_policy_right_after_meta_charset() -> None:
    result = with_csp(PAGE, ALLOWED, FILES)
    inserted = re.search(r"\n    <meta http-equiv[^>]*>", result)
    assert inserted is not None
    assert result.replace(inserted[0], "") == PAGE  # nothing else changed
    assert result.index('<meta charset="utf-8">') < result.index("Content-Security-Policy") < result.index("<title>")
    directives = dict(part.split(" ", 1) for part in csp_of(result).split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split() == ["'self'", "'wasm-unsafe-eval'", script_hash("var a = 1;"), script_hash('import "./y.js";')]
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'"
    assert {"font-src", "connect-src", "worker-src", "base-uri", "form-action"} <= set(directives)


def test_with_csp_leaves_other_documents_alone() -> None:
    sitemap = '<?xml version="1.0" encoding="UTF-8"?><urlset></urlset>'
    assert with_csp(sitemap, ALLOWED, FILES) == sitemap


def test_a_page_without_inline_script_gets_only_self() -> None:
    html = '<html><head><meta charset="utf-8"></head><body></body></html>'
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp_of(with_csp(html, ALLOWED, FILES))


# --- the policy cannot be steered by content (issue 9) ----------------------------------------------------


def test_the_allowed_scripts_come_from_the_theme_templates() -> None:
    allowed = theme_scripts(THEME_DIRS)
    assert 3 <= len(allowed) <= 20
    start = '__md_scope=new URL("{}",location)'
    template_text = next(
        body
        for body in re.findall(r"<script>(.*?)</script>", (THEME_DIRS[1] / "partials/javascripts/base.html").read_text(encoding="utf-8"))
    )
    rest = template_text.split(",location)", 1)[1]
    for base_url in (".", "..", "../../.."):
        assert any(pattern.fullmatch(start.format(base_url) + rest) for pattern in allowed)
    for hostile in ('");alert(1);//', "x\\u0022", "</script><script>alert(1)//"):
        assert not any(pattern.fullmatch(start.format(hostile) + rest) for pattern in allowed)


@pytest.mark.parametrize(
    "inserted",
    [
        "<script>alert(1)</script>",
        "<script type='text/javascript'>window.__pwned=1</script>",
        "<script>var a = 1;window.__pwned=1</script>",
        "<SCRIPT>alert(1)</SCRIPT >",
        "<script type=module>import('/x.js')</script>",
        "<script type='text/jscript'>alert(1)</script>",  # a legacy type a browser still runs
        "<script type='' type='text/plain'>alert(1)</script>",  # a browser reads the first of two attributes: JavaScript
        "<script type='text/x-anything'>alert(1)</script>",  # any type but a data block counts, run or not
        '<noscript><p title="</noscript><script>alert(1)</script>">',  # with scripting on, </noscript> ends it here
        "<svg><script>alert(1)</script></svg>",
        "<math><mi><script>alert(1)</script></mi></math>",
    ],
)
def test_a_page_with_any_other_inline_script_fails(inserted: str) -> None:
    with pytest.raises(CspError, match="not one of the theme's"):
        with_csp(PAGE.replace("<title>t</title>", f"<title>t</title>{inserted}"), ALLOWED, FILES)


@pytest.mark.parametrize(
    "inserted",
    [
        '<meta http-equiv="Content-Security-Policy" content="script-src *">',
        "<META HTTP-EQUIV=refresh content='0;url=https://evil.example'>",
        '<meta http-equiv="Set-Cookie" content="a=b">',
    ],
)
def test_a_page_with_a_meta_http_equiv_of_its_own_fails(inserted: str) -> None:
    with pytest.raises(CspError, match="meta http-equiv"):
        with_csp(PAGE.replace("<body>", f"<body>{inserted}"), ALLOWED, FILES)


def test_scripts_are_read_as_a_browser_reads_them() -> None:
    """Text that only looks like a script is none; a script's text ends where a browser ends it."""
    not_scripts = "<textarea><script>a</script></textarea><title><script>b</script></title><!-- <script>c</script> -->"
    assert inline_scripts(f"<body>{not_scripts}</body>") == []
    assert inline_scripts("<script>a<!--<script>b</script>c</script>") == ["a<!--<script>b</script>c"]
    assert inline_scripts("<script>a\r\nb</script>") == ["a\nb"]  # the text a browser hashes: line ends normalised
    assert inline_scripts("<script src=x.js>alert(1)</script><script type=application/json>{}</script>") == []


def test_a_template_element_fails() -> None:
    """What a `<template>` holds is not part of the document the check reads, so none is allowed."""
    with pytest.raises(CspError, match="template"):
        with_csp(PAGE.replace("<body>", "<body><template><script>alert(1)</script></template>"), ALLOWED, FILES)


def test_a_second_config_element_fails() -> None:
    with pytest.raises(CspError, match="__config"):
        with_csp(PAGE.replace("<body>", '<body><div id="__config">{}</div>'), ALLOWED, FILES)


def test_a_built_page_must_carry_exactly_its_policy(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "index.html").write_text(with_csp(PAGE, ALLOWED, FILES), encoding="utf-8")
    assert site_problems(tmp_path, ALLOWED, files=FILES) == []
    (tmp_path / "bare.html").write_text(PAGE, encoding="utf-8")
    once = with_csp(PAGE, ALLOWED, FILES)
    policy_tag = re.search(r"<meta http-equiv[^>]*>", once)
    assert policy_tag is not None
    (tmp_path / "doubled.html").write_text(once.replace("<title>", policy_tag[0] + "<title>"), encoding="utf-8")
    (tmp_path / "fragment.html").write_text("<p>no charset</p>", encoding="utf-8")
    problems = site_problems(tmp_path, ALLOWED, files=FILES)
    assert [problem.split(":")[0] for problem in problems] == ["bare.html", "doubled.html", "fragment.html"]


# --- the built site -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_page_has_a_policy_that_hashes_exactly_its_inline_scripts(built_site: BuiltSite) -> None:
    pages = html_files(built_site.site)
    problems = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(built_site.site).as_posix()
        scripts = inline_scripts(html)
        foreign = [script[:60] for script in scripts if not script.startswith(MATERIAL_INLINE_SCRIPTS)]
        if foreign:
            problems.append(f"{name}: inline scripts that are not Material's: {foreign}")
        if html.count("Content-Security-Policy") != 1:
            problems.append(f"{name}: {html.count('Content-Security-Policy')} policies")
            continue
        hashes = set(re.findall(r"'sha256-[^']+'", csp_of(html)))
        if hashes != {script_hash(script) for script in scripts}:
            problems.append(f"{name}: the policy's hashes are not those of its inline scripts")
    assert problems == []
    assert any(path.name == "404.html" for path in pages)


PAGES = [
    "/", "/en/", "/integrale-aanpak/", "/en/integrale-aanpak/",
    "/praktijken/alpha-praktijk/", "/en/praktijken/alpha-praktijk/", "/en/praktijken/beta-praktijk/", "/praktijken/gamma-practice/",
    "/praktijken/?theme=jeugdwerk&level=primary", "/en/praktijken/?theme=jeugdwerk&level=primary",
    "/zoeken/?q=school", "/en/zoeken/?q=school",
    "/studiedagen/studiedag-mechelen-2015/", "/en/studiedagen/studiedag-mechelen-2015/",
    "/praktijken/vertaalstatus/", "/en/praktijken/vertaalstatus/", "/404.html",
]  # fmt: skip

# Record violations from the page itself too: Chromium's console message is the primary signal.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event =>
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
"""


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_logs_no_csp_violation(page: Any, site_url: str) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    violations: list[str] = []
    for path in PAGES:
        page.goto(f"{site_url}{path}")
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, path
        if "?q=" in path:
            page.wait_for_selector(".pagefind-ui__result")
            page.wait_for_function("() => !document.querySelector('.pagefind-ui__result-title.pagefind-ui__loading')")
        violations += [f"{path}: {violation}" for violation in page.evaluate("() => window.__cspViolations")]
    assert page.evaluate("() => typeof __md_get") == "function"  # Material's hashed inline script ran
    refused = [message for message in messages if "Refused to" in message or "Content Security Policy" in message]
    assert refused == []
    assert violations == []
    assert [message for message in messages if message.startswith("pageerror")] == []


def test_csp_module_is_pure() -> None:
    source = (Path(__file__).resolve().parents[1] / "scripts" / "handbook" / "web" / "csp.py").read_text(encoding="utf-8")
    assert "import mkdocs" not in source and "from mkdocs" not in source


@pytest.mark.browser
@pytest.mark.slow
def test_no_built_page_requests_another_host(page: Any, site_url: str, built_site: BuiltSite) -> None:
    """Privacy: every built page of both languages is loaded and every request it makes is recorded."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    pages = html_files(built_site.site)
    for path in pages:
        page.goto(f"{site_url}/{path.relative_to(built_site.site).as_posix()}", wait_until="load")
    network = [url for url in requests if urlsplit(url).scheme not in ("data", "blob")]
    assert len(network) > 3 * len(pages)
    assert sorted({url for url in network if urlsplit(url).hostname != "127.0.0.1"}) == []
