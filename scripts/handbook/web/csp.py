"""A Content-Security-Policy for every built page that content cannot steer, and the check that every page has it.

The allowed inline scripts come from a fixed list: the `<script>` elements written in the theme's templates
(Material's and ours, `theme_scripts`), each a pattern in which a template value (`{{ … }}`, such as the
page's base URL) may only be a plain relative URL. A page's policy holds the hashes of its inline scripts
that match one of them; a page with any other inline script, or with a `<meta http-equiv>` of its own, or
whose `#__config` is not the theme's, or with a `<template>`, fails the build (`CspError`). After the build,
`site_problems` reads every HTML file of the site and checks that it carries exactly the policy. Pages are
read by Lexbor (selectolax), a parser of the HTML Standard, with scripting on: what counts as a script, and
its text, is what a browser runs and hashes.

Script files come from a fixed list too (`script_files`): Material's bundle under assets/javascripts/ (the
name its own templates load, with the hash of the installed version) and the handbook's own files
(`HANDBOOK_SCRIPT_FILES`: overrides/assets/handbook.js and Pagefind's UI), each at the site's root or in a
language folder (`en/pagefind/…`). A `<script src>` added to an override template is not on the list. A page with any other `<script src>` (another path, another host) fails, and so does a
redirect: a `<meta http-equiv>` of any kind, also inside `<noscript>` (which a parser with scripting on reads
as text, so the page is read a second time with scripting off to find it), and Material's redirect.html,
whose inline script (`window.location.replace("{{ page.meta.location }}"…)`) is not on the list of inline
scripts.

The policy allows only the site itself: the listed script files or inline scripts with one of the listed hashes, Pagefind's
worker and its WebAssembly, images from the site or data: URLs (Material's icons in CSS). Pagefind compiles
its WebAssembly in its worker, which a meta policy does not govern (checked in Chromium: no violation without
it); 'wasm-unsafe-eval' (WebAssembly only, not 'unsafe-eval') covers Pagefind's fallback to the page itself
when a worker cannot start. Styles keep 'unsafe-inline': Material and Pagefind's UI set inline `style`
attributes and small `<style>` blocks from their scripts, which hashes cannot cover.

Script files are admitted by path, not by 'self' (which would let any same-origin file run as a script: a
static host sends no `nosniff`): script-src lists each file of the fixed list, and Pagefind's `pagefind.js`,
at the site's address (`script_sources`, from `site_url`), at the root and in each language folder. A path
source needs a scheme and host, so the scripts run only at the address the site was built for: `mkdocs serve`
adds no policy (its live-reload script is inline), and a copy served at another address shows its pages
without scripts. Checked in Chromium: CSP3 hashes of the files with `integrity` attributes run Material's
bundle too, but `pagefind-ui.js` loads `pagefind.js` with `import()`, which neither a hash nor
'strict-dynamic' admits, and pagefind-ui.js is only written after the pages; so paths it is, for every file.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)  # inline scripts in a template: no attributes
_TEMPLATE_VALUE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_VALUE = r"[A-Za-z0-9._~/:\-]*"  # what a template value may be inside an allowed script: a plain relative URL
_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.IGNORECASE)
_TEMPLATE_SCRIPT_SRC = re.compile(r"""<script\s+src="\{\{\s*'([^'{}]+)'\s*\|\s*url\s*\}\}"\s*>""")
# The handbook's own script files: extra_javascript in mkdocs.yml, and Pagefind's UI (overrides/search.html), which
# loads the rest of Pagefind (pagefind.js, its worker and WebAssembly) itself.
HANDBOOK_SCRIPT_FILES = frozenset({"assets/handbook.js", "pagefind/pagefind-ui.js"})
PAGEFIND_MODULE = "pagefind/pagefind.js"  # what pagefind-ui.js imports: a script file of the policy, not of a page
_LANGUAGE_FOLDER = re.compile(r"[a-z]{2}/")  # a language's copy of the site's files (mkdocs-static-i18n: en/…)
NOT_LISTED_TEMPLATES = frozenset({"redirect.html"})  # Material's redirect page: its script goes wherever front matter says
DATA_TYPES = frozenset({"application/json"})  # `<script>` types that hold data, not code (Material's `#__config`)
CONFIG_ID = "__config"  # Material reads its settings from the first element with this id

POLICY = (
    ("default-src", "'self'"),
    ("script-src", "{sources} 'wasm-unsafe-eval' {hashes}"),  # sources: `script_sources`
    ("style-src", "'self' 'unsafe-inline'"),  # Material and Pagefind's UI set inline styles
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self' blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


class CspError(Exception):
    """A page that content could have steered: an unknown inline script, a meta policy of its own, …"""


# --- the fixed list --------------------------------------------------------------------------------------


def script_pattern(template_script: str) -> re.Pattern[str]:
    """The scripts a template's `<script>` body can become: its text, each template value a relative URL."""
    parts = _TEMPLATE_VALUE.split(template_script)
    return re.compile(_VALUE.join(re.escape(part) for part in parts), re.DOTALL)


def theme_scripts(template_dirs: Iterable[str | Path]) -> tuple[re.Pattern[str], ...]:
    """The fixed list: every inline script written in the templates of the given folders."""
    return _theme_scripts(tuple(str(folder) for folder in template_dirs))


@cache
def _theme_scripts(template_dirs: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    patterns: dict[str, re.Pattern[str]] = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            if path.name in NOT_LISTED_TEMPLATES:
                continue
            for body in _TEMPLATE_SCRIPT.findall(path.read_text(encoding="utf-8")):
                if "{%" not in body:  # a script with template logic inside is not in the list
                    patterns.setdefault(body, script_pattern(body))
    return tuple(patterns.values())


def script_files(theme_templates: str | Path) -> frozenset[str]:
    """The fixed list of script files, as paths from the site's root: the handbook's own (`HANDBOOK_SCRIPT_FILES`)
    and those the theme's own templates (Material's, not the overrides) load with `<script src="{{ 'path' | url }}">`:
    its bundle, whose name carries a hash of the installed version."""
    return HANDBOOK_SCRIPT_FILES | _script_files(str(theme_templates))


@cache
def _script_files(theme_templates: str) -> frozenset[str]:
    files: set[str] = set()
    for path in sorted(Path(theme_templates).rglob("*.html")):
        files.update(posixpath.normpath(name).lstrip("/") for name in _TEMPLATE_SCRIPT_SRC.findall(path.read_text(encoding="utf-8")))
    return frozenset(files)


def script_file_problem(src: str, page: str, files: Collection[str], base: str = "/") -> str | None:
    """Why `<script src="src">` on the page at site path `page` (`zoeken/index.html`) is not one of `files`.

    A relative `src` is resolved from the page's folder, an absolute path from `base` (the path of the site's
    address); a URL with a scheme or host, a query or a fragment is never one of the site's files."""
    shown = f"a <script src> that is not one of the site's own script files: {src!r}"
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc or parts.query or parts.fragment or not parts.path or "\\" in src:
        return shown
    if parts.path.startswith("/"):
        if not parts.path.startswith(base):
            return shown
        resolved = posixpath.normpath(parts.path[len(base) :])
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    if resolved in files or (_LANGUAGE_FOLDER.match(resolved) and resolved[3:] in files):
        return None
    return shown


# --- reading a page --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    """What the policy depends on in a page, as a browser that runs scripts reads it (`_read`)."""

    scripts: list[str]  # the text of every inline script, in document order
    sources: list[str]  # the `src` of every `<script src>`, in document order
    meta_http_equiv: list[str]  # the values of the `<meta http-equiv>` tags, lower case, `<noscript>` included
    config_ids: int  # elements with id `CONFIG_ID`
    templates: int  # `<template>` elements, whose content the reader does not see


def _read(html: str) -> _Page:
    """Parse the page with Lexbor, an HTML Standard parser, with scripting on (as a browser: `<noscript>` is text).

    An inline script is any `<script>` without `src` whose type is not a data block (`DATA_TYPES`): stricter
    than the types a browser runs. Linear in the length of the page (about 0.2 ms for a page of 30 KB; `html.parser` took 2.6 ms)."""
    tree = LexborHTMLParser(html, scripting=True)
    scripts = [
        node.text(deep=True)
        for node in tree.css("script")
        if "src" not in node.attributes and (node.attributes.get("type") or "").strip().lower() not in DATA_TYPES
    ]
    sources = [node.attributes.get("src") or "" for node in tree.css("script[src]")]
    # With scripting on, `<noscript>` holds text; a browser without scripts (or a crawler) reads its `<meta>`.
    without_scripting = LexborHTMLParser(html, scripting=False) if tree.css_first("noscript") is not None else tree
    meta = [(node.attributes.get("http-equiv") or "").strip().lower() for node in without_scripting.css("meta[http-equiv]")]
    return _Page(scripts, sources, meta, len(tree.css(f'[id="{CONFIG_ID}"]')), len(tree.css("template")))


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script (every `<script>` without `src` that is not a data block), in document order."""
    return _read(html).scripts


def script_hash(script: str) -> str:
    """The CSP source expression of one inline script: 'sha256-<base64 of its UTF-8 text>'."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy_of(scripts: Iterable[str], sources: str = "'self'") -> str:
    """The fixed directives with the hashes of the given (allowed) inline scripts and the script files' `sources`."""
    hashes = " ".join(dict.fromkeys(script_hash(script) for script in scripts))
    return "; ".join(f"{name} {value.format(hashes=hashes, sources=sources).strip()}" for name, value in POLICY)


def script_sources(site_url: str | None, files: Iterable[str], languages: Iterable[str] = ()) -> str:
    """script-src's sources: each listed file (and Pagefind's module) at the site's address, at the root and in
    each language folder; `'self'` only for a site without an address."""
    if not site_url:
        return "'self'"
    base = site_url if site_url.endswith("/") else f"{site_url}/"
    prefixes = ["", *(f"{language}/" for language in languages)]
    return " ".join(f"{base}{prefix}{name}" for prefix in prefixes for name in sorted({*files, PAGEFIND_MODULE}))


@dataclass(frozen=True)
class Where:
    """Where a page is: its path in the site (`zoeken/index.html`) and the path of the site's address (`base`)."""

    page: str = "index.html"
    base: str = "/"
    sources: str = "'self'"  # script-src's sources of script files (`script_sources`)


def page_problems(html: str, allowed: Sequence[re.Pattern[str]], files: Collection[str] = frozenset(), where: Where = Where()) -> list[str]:
    """Why a page (before its policy is added) could be steered by content; empty if it cannot. `files`: the
    script files it may load (`script_files`)."""
    return _problems(_read(html), allowed, files, where)


def _problems(reader: _Page, allowed: Sequence[re.Pattern[str]], files: Collection[str], where: Where) -> list[str]:
    problems = [problem for src in reader.sources if (problem := script_file_problem(src, where.page, files, where.base))]
    for script in reader.scripts:
        if not any(pattern.fullmatch(script) for pattern in allowed):
            shown = " ".join(script.split())[:80]
            problems.append(f"an inline script that is not one of the theme's: {shown!r}")
    if reader.meta_http_equiv:
        problems.append(f"a <meta http-equiv> of its own ({', '.join(reader.meta_http_equiv)}): only the build sets one")
    if reader.templates:
        problems.append(f"{reader.templates} <template> element(s): what a template holds is not checked, and the theme has none")
    if reader.config_ids > 1:
        problems.append(f"{reader.config_ids} elements with id '{CONFIG_ID}' (the theme's settings may be taken from content)")
    return problems


def with_csp(html: str, allowed: Sequence[re.Pattern[str]], files: Collection[str] = frozenset(), where: Where = Where()) -> str:
    """The page with its Content-Security-Policy meta tag right after `<meta charset>`.

    A document without `<meta charset>` (not a page) is returned unchanged; a page that content could
    have steered raises CspError."""
    charset = _CHARSET.search(html)
    if charset is None:
        return html
    reader = _read(html)  # once: the page is read for its problems and its scripts
    problems = _problems(reader, allowed, files, where)
    if problems:
        raise CspError("; ".join(problems))
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy_of(reader.scripts, where.sources)}">'
    return f"{html[: charset.end()]}\n    {tag}{html[charset.end() :]}"


# --- after the build -------------------------------------------------------------------------------------


def built_page_problems(
    html: str, allowed: Sequence[re.Pattern[str]], files: Collection[str] = frozenset(), where: Where = Where()
) -> list[str]:
    """Why a finished page does not carry exactly the policy for its own, allowed scripts."""
    reader = _read(html)
    if reader.meta_http_equiv != ["content-security-policy"]:
        return [f"the page does not carry exactly one Content-Security-Policy (found: {reader.meta_http_equiv or 'none'})"]
    expected = f'<meta http-equiv="Content-Security-Policy" content="{policy_of(reader.scripts, where.sources)}">'
    problems = []
    if expected not in html:
        problems.append("the page's Content-Security-Policy is not the one for its scripts")
    problems += [problem for problem in _problems(reader, allowed, files, where) if "meta http-equiv" not in problem]  # ours is the one
    return problems


def output_digest(html: str) -> str:
    """What `site_problems` compares a written file with: the digest of the page as `with_csp` returned it."""
    return _digest(html.encode("utf-8"))


def _digest(data: bytes) -> str:
    """The SHA-256 of a page's bytes: the one digest `output_digest` records and `site_problems` compares."""
    return hashlib.sha256(data).hexdigest()


def site_problems(
    site_dir: Path,
    allowed: Sequence[re.Pattern[str]],
    checked: Collection[str] = frozenset(),
    skip: Collection[str] = frozenset(),
    files: Collection[str] = frozenset(),
    base: str = "/",
    sources: str = "'self'",
) -> list[str]:
    """`path: problem` for every HTML file of the built site that does not carry exactly the policy.

    A file whose digest is in `checked` is, byte for byte, a page that `with_csp` already checked and gave
    its policy, so it is not read again; top folders in `skip` (a child build's language) were checked by
    the build that wrote them. `files`, `base` and `sources` as for `page_problems` and `Where`."""
    problems = []
    for path in sorted(site_dir.rglob("*.html")):
        if path.relative_to(site_dir).parts[0] in skip:
            continue
        data = path.read_bytes()
        if checked and _digest(data) in checked:
            continue
        html = data.decode("utf-8", errors="replace")
        if _CHARSET.search(html) is None:
            problems.append(f"{path.relative_to(site_dir).as_posix()}: not a page of the theme (no <meta charset>), so it has no policy")
            continue
        name = path.relative_to(site_dir).as_posix()
        problems += [f"{name}: {problem}" for problem in built_page_problems(html, allowed, files, Where(name, base, sources))]
    return problems
