"""Content-Security-Policy: the site's one policy (`site_policy`), the pure `with_csp` and the check of the written
pages (`page_problems`, `site_problems`), the built pages (one policy, hashing every inline script on them, only
Material's), and Chromium logging no CSP violation on any page type in either language, a search included."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import material
import pytest
from mkdocs.config import load_config

from conftest import BuiltSite
from gates import html_files
from handbook.web.csp import (
    SitePolicy,
    _plain,
    inline_scripts,
    page_problems,
    policy_of,
    script_hash,
    site_policy,
    site_problems,
    theme_scripts,
    with_csp,
)
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
POLICY = SitePolicy(scripts=("var a = 1;", 'import "./y.js";'), files=frozenset({"x.js"}))
# A page as the theme writes one: the scan alone passes it (`_plain`), so what is inserted into it is what sends it to the parser.
PLAIN = PAGE.replace('<script type="module">import "./y.js";</script>', "")
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


def csp_of(html: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert found, html[:400]
    return found[1]


def problems_of(html: str, policy: SitePolicy = POLICY) -> list[str]:
    """What the check of the written page finds in `html` once the build gave it the policy."""
    return page_problems(with_csp(html, policy).encode("utf-8"), policy)


def test_the_plain_page_passes_the_scan_alone() -> None:
    assert _plain(with_csp(PLAIN, POLICY).encode("utf-8"), POLICY, "index.html", tags=1)
    assert not _plain(with_csp(PAGE, POLICY).encode("utf-8"), POLICY, "index.html", tags=1)  # the parser decides (it passes)


def test_script_hash_is_the_base64_sha256_of_the_script_text() -> None:
    # echo -n 'var a = 1;' | openssl dgst -sha256 -binary | base64
    assert script_hash("var a = 1;") == "'sha256-+dZ6udsWxNVoGfScAq7t5IIF5UJb4F6RhjbN6oe1p4w='"


def test_only_scripts_that_run_inline_are_hashed() -> None:
    assert inline_scripts(PAGE) == ["var a = 1;", 'import "./y.js";', "var a = 1;"]
    assert policy_of(inline_scripts(PAGE)).count("'sha256-") == 2  # each distinct script once; JSON and src scripts not


def test_with_csp_inserts_the_policy_right_after_meta_charset() -> None:
    result = with_csp(PAGE, POLICY)
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
    assert problems_of(PAGE) == []


def test_with_csp_leaves_other_documents_alone() -> None:
    sitemap = '<?xml version="1.0" encoding="UTF-8"?><urlset></urlset>'
    assert with_csp(sitemap, POLICY) == sitemap


def test_the_policy_is_the_sites_whatever_the_page_holds() -> None:
    bare = '<html><head><meta charset="utf-8"></head><body></body></html>'
    assert csp_of(with_csp(bare, POLICY)) == csp_of(with_csp(PAGE, POLICY))  # not computed from the page
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp_of(with_csp(bare, SitePolicy()))


# --- the policy cannot be steered by content (issue 9) ----------------------------------------------------


def test_the_fixed_scripts_are_materials_templates_rendered_with_the_scope() -> None:
    scripts = theme_scripts(MATERIAL_TEMPLATES, "/")
    assert 3 <= len(scripts) <= 20
    template_text = re.findall(
        r"<script>(.*?)</script>", (MATERIAL_TEMPLATES / "partials/javascripts/base.html").read_text(encoding="utf-8")
    )[0]
    rest = template_text.split(",location)", 1)[1]
    assert f'__md_scope=new URL("/",location){rest}' in scripts
    assert f'__md_scope=new URL("/handboek/",location){rest}' in theme_scripts(MATERIAL_TEMPLATES, "/handboek/")
    assert not any("{{" in script or "{%" in script for script in scripts)
    assert not any(script.startswith('var el=document.querySelector("[data-md-component=outdated]') for script in scripts)  # needs base_url
    assert not any("window.location.replace" in script for script in scripts)  # redirect.html


def test_the_handbooks_templates_write_no_inline_script() -> None:
    """Our code is a script file (assets/handbook.js): an inline script in an override is not fixed, and fails."""
    for path in (REPO / "overrides").rglob("*.html"):
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", path.read_text(encoding="utf-8")) == [], path


def test_the_sites_policy_is_computed_once() -> None:
    policy = site_policy(MATERIAL_TEMPLATES, "/", "https://handboek.example.be/", ["en"])
    assert site_policy(MATERIAL_TEMPLATES, "/", "https://handboek.example.be/", ("en",)) is policy
    assert policy.base == "/" and policy.scripts == theme_scripts(MATERIAL_TEMPLATES, "/")
    assert site_policy(MATERIAL_TEMPLATES, "/h/", "https://example.be/h", ["en"]).base == "/h/"


@pytest.mark.parametrize(("extra", "scope"), [({}, "/handboek/"), ({"scope": "/elders/"}, "/elders/")])
def test_the_plugin_gives_material_the_sites_path_as_its_scope(extra: dict[str, str], scope: str) -> None:
    """`extra.scope` (Material's documented setting) makes `__md_scope` the same on every page; a maintainer's own stays."""
    config = load_config(str(REPO / "mkdocs.yml"), site_url="https://example.be/handboek/", extra=extra)
    plugin = config.plugins["handbook"]
    plugin.on_config(config)
    assert config.extra["scope"] == scope


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
        "<script>var a = 1;</script ><script>alert(1)</script>",  # starts like a fixed one
    ],
)
def test_a_page_with_any_other_inline_script_fails(inserted: str) -> None:
    problems = problems_of(PLAIN.replace("<title>t</title>", f"<title>t</title>{inserted}"))
    assert any("not one of the theme's" in problem for problem in problems), problems


@pytest.mark.parametrize(
    "inserted",
    [
        '<meta http-equiv="Content-Security-Policy" content="script-src *">',
        "<META HTTP-EQUIV=refresh content='0;url=https://evil.example'>",
        '<meta http-equiv="Set-Cookie" content="a=b">',
        '<meta content="a>b" http-equiv=refresh>',
    ],
)
def test_a_page_with_a_meta_http_equiv_of_its_own_fails(inserted: str) -> None:
    problems = problems_of(PLAIN.replace("<body>", f"<body>{inserted}"))
    assert any("meta http-equiv" in problem for problem in problems), problems


@pytest.mark.parametrize(
    "mention",
    [
        "<code>&lt;meta http-equiv=&quot;refresh&quot;&gt;</code>",
        "<code>{#__config}</code>",
        "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>",
        "<p>Tom &amp; Jerry&#39;s &#8217;tool&#8217;</p>",
    ],
)
def test_a_page_that_only_mentions_them_passes(mention: str) -> None:
    """The scan of the raw text sends such a page to the parser, which finds no script, meta or second `#__config`."""
    assert problems_of(PLAIN.replace("<body>", f"<body>{mention}")) == []


def test_scripts_are_read_as_a_browser_reads_them() -> None:
    """Text that only looks like a script is none; a script's text ends where a browser ends it."""
    not_scripts = "<textarea><script>a</script></textarea><title><script>b</script></title><!-- <script>c</script> -->"
    assert inline_scripts(f"<body>{not_scripts}</body>") == []
    assert inline_scripts("<script>a<!--<script>b</script>c</script>") == ["a<!--<script>b</script>c"]
    assert inline_scripts("<script>a\r\nb</script>") == ["a\nb"]  # the text a browser hashes: line ends normalised
    assert inline_scripts("<script src=x.js>alert(1)</script><script type=application/json>{}</script>") == []


def test_a_template_element_fails() -> None:
    """What a `<template>` holds is not part of the document the parser reads, so none is allowed."""
    for inserted in ("<template><script>alert(1)</script></template>", "<template><p>x</p></template>"):
        problems = problems_of(PLAIN.replace("<body>", f"<body>{inserted}"))
        assert any("template" in problem for problem in problems), problems


@pytest.mark.parametrize(
    "element",
    [
        '<div id="__config">{}</div>',
        '<div id="&#95;_config">{}</div>',  # character references: the id a browser reads is `__config`
        '<div id="_&#x5F;config">{}</div>',
        '<div id="&lowbar;&UnderBar;config">{}</div>',
        '<div id="__&#99;onfig">{}</div>',
        '<div id="__confi&#0103;">{}</div>',
    ],
)
def test_a_second_config_element_fails(element: str) -> None:
    problems = problems_of(PLAIN.replace("<body>", f"<body>{element}"))
    assert any("__config" in problem for problem in problems), problems


def test_a_built_page_must_carry_exactly_the_sites_policy(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "index.html").write_text(with_csp(PAGE, POLICY), encoding="utf-8")
    (tmp_path / "ok" / "other.html").write_text(with_csp(PAGE.replace("<title>t", "<title>u"), POLICY), encoding="utf-8")
    assert site_problems(tmp_path, POLICY) == []
    (tmp_path / "bare.html").write_text(PAGE, encoding="utf-8")
    once = with_csp(PAGE, POLICY)
    policy_tag = re.search(r"<meta http-equiv[^>]*>", once)
    assert policy_tag is not None
    (tmp_path / "doubled.html").write_text(once.replace("<title>", policy_tag[0] + "<title>"), encoding="utf-8")
    (tmp_path / "fragment.html").write_text("<p>no charset</p>", encoding="utf-8")
    (tmp_path / "moved.html").write_text(PAGE.replace("</title>", "</title>" + policy_tag[0]), encoding="utf-8")
    other_policy = SitePolicy(scripts=(*POLICY.scripts, "window.__pwned=1"), files=POLICY.files)
    (tmp_path / "differs.html").write_text(with_csp(PAGE, other_policy), encoding="utf-8")
    (tmp_path / "differs-too.html").write_text(with_csp(PAGE.replace("<title>t", "<title>v"), other_policy), encoding="utf-8")
    problems = site_problems(tmp_path, POLICY)
    assert [problem.split(":")[0] for problem in problems] == [
        "bare.html",
        "differs-too.html",
        "doubled.html",
        "fragment.html",
        "moved.html",
    ]
    assert "found: none" in problems[0]
    assert "is not the site's" in problems[1] and problems[1].endswith("(and 1 other page)")  # differs.html: one line, counted
    assert "a <meta http-equiv> of its own (content-security-policy)" in problems[2]
    assert "not right after <meta charset>" in problems[4]


# --- the built site -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_page_carries_the_one_policy_which_hashes_every_inline_script_on_it(built_site: BuiltSite) -> None:
    pages = html_files(built_site.site)
    policies, problems = set(), []
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
        policies.add(csp_of(html))
        if not {script_hash(script) for script in scripts} <= set(re.findall(r"'sha256-[^']+'", csp_of(html))):
            problems.append(f"{name}: an inline script that the policy does not hash")
    assert problems == []
    assert len(policies) == 1  # one policy for the site: both languages, every folder depth, the 404 page
    assert any(path.name == "404.html" for path in pages) and any(path.parts[-3:-2] == ("en",) for path in pages)
    assert '__md_scope=new URL("/",location)' in (built_site.site / "en" / "index.html").read_text(encoding="utf-8")


PAGES = [
    "/", "/en/", "/integrale-aanpak/", "/en/integrale-aanpak/",
    "/praktijken/alpha-praktijk/", "/en/praktijken/alpha-praktijk/", "/en/praktijken/beta-praktijk/", "/praktijken/gamma-practice/",
    "/praktijken/?theme=jeugdwerk&level=primary", "/en/praktijken/?theme=jeugdwerk&level=primary",
    "/zoeken/?q=school", "/en/zoeken/?q=school",
    "/studiedagen/studiedag-mechelen-2015/", "/en/studiedagen/studiedag-mechelen-2015/",
    "/praktijken/vertaalstatus/", "/en/praktijken/vertaalstatus/", "/404.html",
    "/selectie/?ids=alpha-praktijk,gamma-practice", "/en/selection/?ids=beta-praktijk",
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
            page.wait_for_function("() => !document.querySelector('.pagefind-ui__loading')")
        if "?ids=" in path:  # the selection page has fetched its practices' pages and shown them
            page.wait_for_selector("#hb-selection-practices[data-state=ready]", state="attached")
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
