"""One Content-Security-Policy for the whole site, computed once, and the check that every page carries it.

The policy (`site_policy`) depends on the site, never on a page: its inline-script hashes are those of the
fixed scripts (`theme_scripts`), the `<script>` elements written in Material's templates as they render
with the site's `extra.scope` alone (the plugin sets it to the path of `site_url`, so that Material's
`__md_scope` script is the same on every page instead of holding each page's relative base URL); a
template script that needs anything else (a page's value, a filter) is not fixed and not in the policy.
The handbook's own templates (overrides/) add no inline script: our code is a script file
(overrides/assets/handbook.js), so an override template that writes an inline script fails the build.

Every page gets the same tag right after `<meta charset>` (`with_csp`: a string inserted, nothing read).
What a page holds is checked once, after the build, on the file as written (`site_problems`, `page_problems`):
it must carry exactly the site's tag where `with_csp` puts it, so a file that did not come through `with_csp`
(a static file, a later step) or changed since fails too, and a scan of its bytes (`_plain`) must find nothing
that is not the theme's: every `<script` begins one of the fixed elements, Material's `#__config` data block or
a `<script src>` of a listed file, and `http-equiv`, `<template` and the spellings of the id `__config` occur
no more than the theme's own. The raw text holds every element a browser could make of it (tag and attribute
names are never character-escaped), and more: a page the scan does not pass is read as a browser reads it
(Lexbor, `_read`) and fails only for what that reading finds (`_problems`), so `http-equiv` in a code span
passes, and an inline script, a `<meta http-equiv>` or a second `#__config` fails. Each problem is reported
once, with the first page and the count of the others. CPU time of the plugin's policy work in a build of
1,000 practices (2,050 pages of 31 KB, a shared machine): 0.25 to 0.3 ms a page, 0.5 to 0.6 s in all, where
parsing and hashing every page, then reading and hashing every file again, took 0.9 to 1.1 ms, 1.8 to 2.2 s.

Script files come from a fixed list too (`script_files`): Material's bundle under assets/javascripts/ (the
name its own templates load, with the hash of the installed version) and the handbook's own files
(`HANDBOOK_SCRIPT_FILES`: overrides/assets/handbook.js and Pagefind's UI), each at the site's root or in a
language folder (`en/pagefind/…`). A page with any other `<script src>` (another path, another host)
fails, and so does a redirect: a `<meta http-equiv>` of any kind, also inside `<noscript>` (which a
parser with scripting on reads as text, so the page is read a second time with scripting off to find
it), and Material's redirect.html, whose inline script (`window.location.replace("{{ page.meta.location }}"…)`)
is not fixed.

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
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import material
from selectolax.lexbor import LexborHTMLParser

from handbook.messages import _, ngettext
from handbook.urls import DEFAULT_LANGUAGE, LANGUAGES

_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)  # inline scripts in a template: no attributes
_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.IGNORECASE)
_CHARSET_BYTES = re.compile(_CHARSET.pattern.encode("ascii"), re.IGNORECASE)
_TEMPLATE_SCRIPT_SRC = re.compile(r"""<script\s+src="\{\{\s*'([^'{}]+)'\s*\|\s*url\s*\}\}"\s*>""")
# The handbook's own script files: extra_javascript in mkdocs.yml, and Pagefind's UI (overrides/search.html), which
# loads the rest of Pagefind (pagefind.js, its worker and WebAssembly) itself.
HANDBOOK_SCRIPT_FILES = frozenset({"assets/handbook.js", "pagefind/pagefind-ui.js"})
PAGEFIND_MODULE = "pagefind/pagefind.js"  # what pagefind-ui.js imports: a script file of the policy, not of a page
_LANGUAGE_FOLDER = re.compile(r"[a-z]{2}/")  # a language's copy of the site's files (mkdocs-static-i18n: en/…)
NOT_LISTED_TEMPLATES = frozenset({"redirect.html"})  # Material's redirect page: its script goes wherever front matter says
DATA_TYPES = frozenset({"application/json"})  # `<script>` types that hold data, not code (Material's `#__config`)
CONFIG_ID = "__config"  # Material reads its settings from the first element with this id

# What the scan (`_plain`) knows of the theme's pages, as the templates write them.
_CONFIG_ELEMENT = f'<script id="{CONFIG_ID}" type="application/json">'.encode("ascii")  # Material's settings: JSON, no `<`
_BEFORE_TAG = "\n    "  # between `<meta charset>` and the policy tag, as the theme indents the head
_SCRIPT_FILE = re.compile(rb'<script src="([^"<>]*)"></script>')  # the `url` and `script_tag` filters' form
# An id that a browser reads as `__config` is written literally, or with a character reference for one of its
# characters: `&lowbar;` or `&UnderBar;` for `_`, or a numeric one (`&#95;`, `&#x63;`); a letter has no named one.
_NUMERIC_REFERENCE = re.compile(rb"&#(?:x([0-9a-f]+)|([0-9]+))")  # in lower-cased text
_UNDERSCORE_NAMES = (b"&lowbar;", b"&underbar;")  # lower-cased
_CONFIG_ID = CONFIG_ID.encode("ascii")
_CONFIG_ID_CODES = frozenset(map(ord, CONFIG_ID))

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


# --- the fixed list --------------------------------------------------------------------------------------


def theme_scripts(theme_templates: str | Path, scope: str) -> tuple[str, ...]:
    """The fixed inline scripts: each `<script>` of the theme's templates as it renders with `extra.scope`
    = `scope` and nothing else (the others need a page's values, and are not fixed)."""
    return _theme_scripts(str(theme_templates), scope)


@cache
def _theme_scripts(theme_templates: str, scope: str) -> tuple[str, ...]:
    render = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)  # as MkDocs' theme environment: no escaping
    scripts: dict[str, None] = {}
    for path in sorted(Path(theme_templates).rglob("*.html")):
        if path.name in NOT_LISTED_TEMPLATES:
            continue
        for body in _TEMPLATE_SCRIPT.findall(path.read_text(encoding="utf-8")):
            try:
                script = render.from_string(body).render(config={"extra": {"scope": scope}})
            except jinja2.TemplateError:  # a value of the page, a filter of MkDocs: not the same on every page
                continue
            if "</" not in script and "<!--" not in script:  # a browser's script ends where the template's does (`_plain`)
                scripts.setdefault(script)
    return tuple(scripts)


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
    shown = _("a <script src> that is not one of the site's own script files: {src}", src=repr(src))
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
class SitePolicy:
    """The site's one policy and what its pages may hold: the fixed inline scripts, the script files, the
    path of the site's address (`base`, from which an absolute `src` is read) and script-src's sources."""

    scripts: tuple[str, ...] = ()
    files: frozenset[str] = frozenset()
    base: str = "/"
    sources: str = "'self'"  # `script_sources`

    @cached_property
    def tag(self) -> str:
        """The meta element every page carries, the same on every page."""
        return f'<meta http-equiv="Content-Security-Policy" content="{policy_of(self.scripts, self.sources)}">'

    @cached_property
    def inserted(self) -> bytes:
        """What `with_csp` puts right after `<meta charset>`, as the page's bytes hold it."""
        return f"{_BEFORE_TAG}{self.tag}".encode()

    @cache  # noqa: B019 (a policy lives as long as the process: it is computed once, `site_policy`)
    def written_sources(self, depth: int) -> frozenset[bytes]:
        """The `src` of each script file as the `url` filter writes it on a page `depth` folders down: `../` * depth."""
        return frozenset(f"{'../' * depth}{name}".encode() for name in self.files)

    @cached_property
    def script_elements(self) -> tuple[bytes, ...]:
        """The fixed scripts as the templates write them (`<script>` without attributes), as bytes."""
        return tuple(f"<script>{script}</script>".encode() for script in self.scripts)


def site_policy(theme_templates: str | Path, scope: str, site_url: str | None, languages: Iterable[str] = ()) -> SitePolicy:
    """The site's policy, computed once: the fixed scripts of the theme's templates (Material's), its script files
    and those of the handbook, at `site_url` in the root and the given language folders."""
    return _site_policy(str(theme_templates), scope, site_url, tuple(languages))


@cache
def _site_policy(theme_templates: str, scope: str, site_url: str | None, languages: tuple[str, ...]) -> SitePolicy:
    files = script_files(theme_templates)
    return SitePolicy(theme_scripts(theme_templates, scope), files, site_path(site_url), script_sources(site_url, files, languages))


def site_path(site_url: str | None) -> str:
    """The path of the site's address, ending in `/` (`/` without a site_url): where an absolute `src` is read from,
    and the scope the plugin gives Material (`extra.scope`)."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else f"{path}/"


# --- the scan ------------------------------------------------------------------------------------------


def _plain(data: bytes, policy: SitePolicy, page: str, tags: int = 0) -> bool:
    """Whether the page's bytes hold nothing but the theme's scripts, no `http-equiv` beyond the `tags` policy tags,
    no `<template` and Material's `#__config` at most once; False sends the page to `_read`.

    A superset of what a browser reads: it looks at every `<script`, `http-equiv`, `<template` and spelling of
    `__config` in the raw text, whatever element, comment or attribute holds them. A handful of `find` and `count`
    passes, no regular expression over the page: `bytes.lower` lowers ASCII only, so positions in `low` are
    positions in `data`."""
    low = data.lower()
    configs = 0
    written = policy.written_sources(page.count("/"))
    at = low.find(b"<script")
    while at != -1:
        if data.startswith(policy.script_elements, at):
            pass
        elif data.startswith(_CONFIG_ELEMENT, at):
            configs += 1
        else:
            file = _SCRIPT_FILE.match(data, at)
            if file is None or (file[1] not in written and script_file_problem(file[1].decode(), page, policy.files, policy.base)):
                return False
        at = low.find(b"<script", at + 7)
    if configs > 1 or low.count(b"http-equiv") != tags or b"<template" in low or data.count(_CONFIG_ID) != configs:
        return False  # the one `__config` is Material's data block
    return not _spells_config_id(low)


def _spells_config_id(low: bytes) -> bool:
    """Whether the (lower-cased) raw text holds a character reference that could stand for a character of `__config`:
    `&lowbar;`, `&underbar;` or a numeric one. `&` is rare in a page (a dozen), so `find` skips from one to the next."""
    at = low.find(b"&")
    while at != -1:
        if low.startswith(_UNDERSCORE_NAMES, at):
            return True
        reference = _NUMERIC_REFERENCE.match(low, at)
        if reference and (int(reference[1], 16) if reference[1] else int(reference[2])) in _CONFIG_ID_CODES:
            return True
        at = low.find(b"&", at + 1)
    return False


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
    than the types a browser runs. Linear in the length of the page (0.2 to 0.4 ms for a page of 30 KB); only
    for a page the scan does not pass as plain."""
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


def _problems(reader: _Page, policy: SitePolicy, page: str) -> list[str]:
    problems = [problem for src in reader.sources if (problem := script_file_problem(src, page, policy.files, policy.base))]
    for script in reader.scripts:
        if script not in policy.scripts:
            shown = " ".join(script.split())[:80]
            problems.append(_("an inline script that is not one of the theme's: {shown}", shown=repr(shown)))
    if reader.meta_http_equiv:
        problems.append(_("a <meta http-equiv> of its own ({names}): only the build sets one", names=", ".join(reader.meta_http_equiv)))
    if reader.templates:
        problems.append(
            ngettext(
                "{count} <template> element: what a template holds is not checked, and the theme has none",
                "{count} <template> elements: what a template holds is not checked, and the theme has none",
                reader.templates,
            )
        )
    if reader.config_ids > 1:
        problems.append(
            _("{count} elements with id '{id}' (the theme's settings may be taken from content)", count=reader.config_ids, id=CONFIG_ID)
        )
    return problems


def with_csp(html: str, policy: SitePolicy) -> str:
    """The page with the site's Content-Security-Policy meta tag right after `<meta charset>`; a document without
    `<meta charset>` (not a page) is returned unchanged. What the page holds is checked once, on the file as it is
    written (`site_problems`)."""
    charset = _CHARSET.search(html)
    if charset is None:
        return html
    return f"{html[: charset.end()]}{_BEFORE_TAG}{policy.tag}{html[charset.end() :]}"


# --- after the build -------------------------------------------------------------------------------------


def page_problems(data: bytes, policy: SitePolicy, page: str = "index.html") -> list[str]:
    """Why a written page (its bytes, at site path `page`) does not carry exactly the site's policy where `with_csp`
    puts it, or holds what content could have steered: an inline script that is not fixed, another `<script src>`,
    a `<meta http-equiv>` of its own, a `<template>`, a second `#__config`. Empty if none: for almost every page
    the scan (`_plain`) decides, and only a page it does not pass is parsed (`_read`)."""
    charset = _CHARSET_BYTES.search(data)
    if charset is None:
        return [_("not a page of the theme (no <meta charset>), so it has no policy")]
    if not data.startswith(policy.inserted, charset.end()):
        found = _read(data.decode("utf-8", "replace")).meta_http_equiv
        if found == ["content-security-policy"] and policy.tag.encode() in data:  # a policy governs only what follows it
            return [_("the site's Content-Security-Policy is not right after <meta charset>")]
        if found == ["content-security-policy"]:
            return [_("the page's Content-Security-Policy is not the site's")]
        return [_("the page does not carry exactly one Content-Security-Policy, the site's (found: {found})", found=found or _("none"))]
    if _plain(data, policy, page, tags=1):
        return []
    bare = data[: charset.end()] + data[charset.end() + len(policy.inserted) :]  # the page without the site's tag
    return _problems(_read(bare.decode("utf-8", "replace")), policy, page)


def site_problems(site_dir: Path, policy: SitePolicy) -> list[str]:
    """`path: problem` for the HTML files of the built site that do not carry exactly the site's policy or hold what
    `page_problems` refuses, each problem once: with the first page that has it and how many others do."""
    pages: dict[str, list[str]] = {}
    for path in sorted(site_dir.rglob("*.html")):
        name = path.relative_to(site_dir).as_posix()
        for problem in page_problems(path.read_bytes(), policy, name):
            pages.setdefault(problem, []).append(name)
    return [f"{names[0]}: {problem}{_and_others(len(names) - 1)}" for problem, names in pages.items()]


def _and_others(count: int) -> str:
    return ngettext(" (and {count} other page)", " (and {count} other pages)", count) if count else ""


def config_policy(config: Any) -> SitePolicy:
    """The site's one policy for a loaded MkDocs config (computed once): Material's fixed scripts with the site's
    scope (`extra.scope`, which the plugin sets), its bundle and the handbook's script files at the site's address,
    in the root and every further language's folder."""
    folders = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]  # the same policy in every build
    return site_policy(Path(material.__file__).parent / "templates", str(config.extra["scope"]), config.site_url, folders)
