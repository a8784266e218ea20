"""Safety checks of the practices: unsafe content, and (through their modules) personal data, links, anchors and images.

Unsafe content. Each practice text is rendered with the site's own Markdown settings (`Settings.markdown`,
without `pymdownx.snippets`) and read into normalised events (start and end tags with sorted attributes,
text, comments). Each event is judged once against what that Markdown legitimately writes
(`ALLOWED_TAGS`, `ALLOWED_ATTRIBUTES`, `URL_SCHEMES`, `STYLE_PROPERTIES`): other elements, attributes,
URLs and styles, HTML comments, stray end tags, and ids or classes the theme reserves (`__*`, `md-*`) are
refused, naming what and showing the source line. HTML with no such finding is also given to a real
sanitiser, nh3, configured with the same allow-list, and whatever nh3 would still change is refused. Both
passes are linear in the size of the text. The Markdown source is also checked for `javascript:`, `data:`
and `vbscript:` link targets however they are written, and for snippet includes (`--8<--`), which would
read files of the repository into the page. The front matter and practice.yml strings are plain text
(`plaintext.py`).

Personal data: see `personal_data.py`, called here on every text.

Links, anchors and images: see `references.py`. The other contributed inputs (study days, vocabularies,
files, the site's own pages) are checked in `trust.py`, with these functions.

Every body is rendered and judged, whatever characters it holds (a heading `### __config` or an
admonition `??? __drawer` holds none of `<`, `{`, `[`, `]` and still writes a reserved id or class).
Before rendering, `markdown_limits.py` bounds nesting, size and density, so rendering never recurses
too deep and stays fast; the renderer refuses a text over the limits. The site can reuse its own
rendering through `unsafe_html_findings(html)`.
"""

from __future__ import annotations

import html as html_entities
import json
import os
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import markdown
import nh3
from mkdocs.utils.meta import get_data

from handbook.cache import Store, file_digests, text_digest
from handbook.checks.markdown_limits import limits
from handbook.checks.personal_data import (
    CONTACTS_FILE,
    Contacts,
    email_message,
    is_email,
    load_contacts,
    parse_phone,
    personal_data,
    phone_message,
)
from handbook.checks.references import Attributes, Finding, PracticePage, SiteMap, heading_ids, reference_findings
from handbook.content.load import dotted
from handbook.content.model import LanguageVersion, Practice
from handbook.layout import Layout
from handbook.markdown_render import MarkdownSettings, fenced_lines
from handbook.messages import N_, _, current_language, field_message
from handbook.plaintext import control_messages, plain_text_messages
from handbook.problems import Problem

# --- what the site's Markdown legitimately writes ------------------------------------------------------

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
ALLOWED_TAGS = frozenset({
    *HEADINGS, "p", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "hr", "br", "pre", "code", "em", "strong", "a", "img",
    "abbr", "sup", "sub", "span", "div", "details", "summary",  # abbreviations, footnotes, admonitions, highlighted code
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "b", "i", "u", "s", "del", "ins", "mark", "small", "kbd", "q", "cite", "figure", "figcaption",  # harmless inline HTML
})  # fmt: skip
_TABLE_CELL = {"style", "align", "colspan", "rowspan"}  # tables write style="text-align: …"
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "lang", "dir"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "abbr": {"title"},
    **{heading: {"id"} for heading in HEADINGS},  # toc ids, or `{#id}` with attr_list
    "li": {"id"},  # footnotes
    "sup": {"id"},  # footnote references
    "dt": {"id"},
    "div": {"id"},  # a fenced code block's `{#id}`
    "ol": {"start"},
    "th": _TABLE_CELL,
    "td": _TABLE_CELL,
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # relative URLs are allowed too
URL_ATTRIBUTES = frozenset({"href", "src"})
STYLE_PROPERTIES = frozenset({"text-align"})
IMPLIED_TAGS = frozenset({"tbody", "tr", "p"})  # tags an HTML parser adds to complete a table or paragraph
DANGEROUS_SCHEMES = ("javascript", "data", "vbscript")
# Ids and classes of the theme and the handbook: Material's own (`__config`, `__drawer`, `__search`, `__consent`,
# `__toc`, `__nav_…`, `__codelineno…` and every `md-…` class), and the ids the handbook's scripts look up
# (`hb-search`, `hb-list`, …). Classes `hb-…` are the handbook's styles for content and stay allowed.
RESERVED_PREFIXES = ("__", "md-")
RESERVED_ID_PREFIXES = ("hb-",)
# A name the theme's script reads besides those: an element with class or id `mermaid` makes Material load
# the Mermaid script from another host (the policy blocks it, but the page would try).
RESERVED_NAMES = frozenset({"mermaid"})

CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,  # keep links as written: adding rel would count as a change
    strip_comments=True,  # comments are refused: what follows `<!--` is read differently by browsers and parsers
    attribute_filter=lambda tag, name, value: None if reserved_value(name, value) else value,
)

_BACKTICKS = re.compile(r"`+")
_SNIPPET_MARKER = re.compile(r"^[ \t]*;*-+8<-+", re.MULTILINE)  # where pymdownx.snippets reads a marker
_INLINE_TARGET = re.compile(r"\]\(\s*([^)\n]*)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*(\S.*)$")
_URL_UNSAFE = re.compile(r"[\"'<>\\`\s]")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")

_SNIPPET_LENGTH = 100
_UNSAFE_KINDS = frozenset({"html", "element", "attribute", "url", "snippet", "source-url", "comment", "reserved"})


T = TypeVar("T")

# --- HTML as normalised events --------------------------------------------------------------------------


class Event(NamedTuple):
    kind: str  # "tag" (a start tag), "end" (an end tag), "text", "comment" or "markup" (a declaration or processing instruction)
    value: str  # the tag name, or the text
    attributes: Attributes = ()


class _EventReader(HTMLParser):
    """Start tags with sorted, unescaped attributes; end tags; text with collapsed white space; comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text.clear()
        if text:
            self.events.append(Event("text", text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.events.append(Event("tag", tag, _normalised_attributes(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        self.events.append(Event("end", tag))  # a stray `</main>` or `</div>` would close the theme's elements

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.events.append(Event("comment", data))

    def handle_decl(self, decl: str) -> None:
        self._markup(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._markup(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._markup(f"<![{data}]>")

    def close(self) -> None:
        super().close()
        self._flush()

    def _markup(self, text: str) -> None:
        self._flush()
        self.events.append(Event("markup", text))


def _normalised_attributes(attrs: list[tuple[str, str | None]]) -> Attributes:
    return tuple(sorted((name, _normalised_style(value or "") if name == "style" else value or "") for name, value in attrs))


def _normalised_style(value: str) -> str:
    declarations = []
    for declaration in value.split(";"):
        name, colon, setting = declaration.partition(":")
        if colon:
            declarations.append(f"{name.strip().lower()}:{' '.join(setting.split())}")
        elif declaration.strip():
            declarations.append(declaration.strip())
    return ";".join(sorted(declarations))


def read_events(html: str) -> list[Event] | None:
    """The events of an HTML fragment, or None if Python's parser gives up on it."""
    reader = _EventReader()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):
        return None
    return reader.events


def start_tags(events: Sequence[Event]) -> list[tuple[str, Attributes]]:
    return [(event.value, event.attributes) for event in events if event.kind == "tag"]


# --- unsafe content -------------------------------------------------------------------------------------

_NO_CODE = N_("remove it and write plain text or Markdown: raw HTML that can run code is refused")
_ALLOWED_URLS = N_("only http:, https:, mailto: and relative addresses are allowed (javascript:, data: and vbscript: URLs can run code)")


def unsafe_html_findings(html: str, original: list[Event] | None = None) -> list[Finding]:
    """What nh3, configured for the site's Markdown, would remove or change in `html`.

    Each event is judged on its own first (elements, attributes, URLs, styles, reserved ids and classes,
    comments), in one pass; only HTML without such a finding is compared with nh3's output, event by
    event. Both are linear in the length of the HTML. `original` may pass the events of `html`."""
    if original is None:
        original = read_events(html)
    if original is None:
        return [Finding(("html",), _("HTML that cannot be read safely"), _(_NO_CODE))]
    findings: list[Finding] = []
    opened: set[str] = set()
    for event in original:
        if event.kind == "end":
            if event.value not in ALLOWED_TAGS and event.value not in opened:
                findings.append(Finding(("element", event.value), _("end tag </{tag}> is not allowed", tag=event.value), _(_STRAY_END)))
        elif event.kind == "comment":
            findings.append(_comment_finding())
        elif event.kind == "markup":
            findings.append(Finding(("html",), _("markup {markup} is not allowed", markup=_shown(event.value)), _(_NO_CODE)))
        elif event.kind == "tag":
            opened.add(event.value)
            findings += _tag_findings(event)
    if findings:
        return findings
    cleaned = read_events(CLEANER.clean(html))
    if cleaned is None:
        return [Finding(("html",), _("HTML that cannot be read safely"), _(_NO_CODE))]
    before, after = _without_implied(original), _without_implied(cleaned)
    if before == after:
        return []
    index = next((i for i, (one, other) in enumerate(zip(before, after, strict=False)) if one != other), min(len(before), len(after)))
    shown = _html_of(before[index : index + 3] or after[index : index + 3])
    return [
        Finding(
            ("html",),
            _("HTML that the sanitiser nh3 would change ({shown}); browsers may read it differently from how it looks", shown=shown),
            _("write plain Markdown, or well-formed HTML of the allowed elements"),
        )
    ]


_STRAY_END = N_("remove it: an end tag of an element that is not allowed closes the page's own elements")


def _comment_finding() -> Finding:
    return Finding(
        ("comment",),
        _("an HTML comment (browsers, sanitisers and the theme can read what follows it differently)"),
        _("remove it: write a note for reviewers in the pull request instead"),
    )


def _without_implied(events: Sequence[Event]) -> list[Event]:
    """The events without the attribute-less tags a parser adds to complete a table or paragraph (and their ends)."""
    return [event for event in events if not (event.kind in ("tag", "end") and event.value in IMPLIED_TAGS and not event.attributes)]


def reserved_value(name: str, value: str) -> bool:
    """True for an id or class that the theme uses itself (`__config`, `md-…`): content may not set one."""
    if name not in ("id", "class"):
        return False
    prefixes = (*RESERVED_PREFIXES, *RESERVED_ID_PREFIXES) if name == "id" else RESERVED_PREFIXES
    return any(token.startswith(prefixes) or token.lower() in RESERVED_NAMES for token in value.split())


def allowed_url(value: str) -> bool:
    """True for a relative URL or one of `URL_SCHEMES`, read as a browser reads it (controls and white space ignored)."""
    text = "".join(character for character in value if character > " " and character not in "\x7f\\").lower()
    match = _SCHEME.match(text)
    return match is None or match.group()[:-1] in URL_SCHEMES


def _tag_findings(event: Event) -> list[Finding]:
    """Everything refused in one start tag: the element, or its attributes one by one."""
    tag = event.value
    if tag not in ALLOWED_TAGS:
        return [Finding(("element", tag), _("element <{tag}> is not allowed", tag=tag), _(_NO_CODE))]
    allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
    findings = []
    for name, value in event.attributes:
        refused_url = name in URL_ATTRIBUTES and not allowed_url(value)
        refused_style = name == "style" and not all(part.split(":")[0] in STYLE_PROPERTIES for part in value.split(";") if part)
        if name not in allowed or refused_url or refused_style:
            findings.append(_attribute_finding(tag, name, value))
        elif reserved_value(name, value):
            findings.append(
                Finding(
                    ("reserved", tag, name, value),
                    _(
                        "{name}={value} on <{tag}> uses a name the theme reserves ('__…', 'md-…', an id 'hb-…')",
                        name=name,
                        value=_shown(value),
                        tag=tag,
                    ),
                    _(
                        "write a name without those prefixes: for a heading other words, or an id of its own after it (#my-title with attr_list); "
                        "for an admonition a type such as note, tip, info or warning (!!! note \"Title\"); a class without '__' or 'md-'"
                    ),
                )
            )
    return findings


def _attribute_finding(tag: str, name: str, value: str) -> Finding:
    allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
    if name not in allowed:
        if name.startswith("on"):
            advice = _("remove it: event handlers run code, also when written with attr_list ({: ...})")
        else:
            advice = _("remove it; allowed on <{tag}>: {allowed}", tag=tag, allowed=", ".join(sorted(allowed)))
        return Finding(
            ("attribute", tag, name),
            _("attribute {name}={value} on <{tag}> is not allowed", name=name, value=_shown(value), tag=tag),
            advice,
        )
    if name in URL_ATTRIBUTES:
        return Finding(
            ("url", tag, name, value),
            _("URL {value} in the {name} of <{tag}> is not allowed", value=_shown(value), name=name, tag=tag),
            _(_ALLOWED_URLS),
        )
    if name == "style":
        properties = ", ".join(sorted(STYLE_PROPERTIES))
        return Finding(
            ("attribute", tag, name),
            _("style {value} on <{tag}> is not allowed", value=_shown(value), tag=tag),
            _("a style may only set {properties}", properties=properties),
        )
    return Finding(
        ("attribute", tag, name),
        _("attribute {name}={value} on <{tag}> would be changed by the sanitiser", name=name, value=_shown(value), tag=tag),
        _("write the attribute once, with a plain value"),
    )


def _shown(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _html_of(events: Sequence[Event]) -> str:
    parts = []
    for event in events[:3]:
        if event.kind == "tag":
            attributes = "".join(f' {name}="{value}"' for name, value in event.attributes)
            parts.append(f"<{event.value}{attributes}>")
        elif event.kind == "end":
            parts.append(f"</{event.value}>")
        elif event.kind == "comment":
            parts.append(f"<!--{event.value}-->")
        else:
            parts.append(event.value)
    return _shown("".join(parts))


def _snippet_finding() -> Finding:
    return Finding(
        ("snippet",),
        _("snippet include '--8<--' would read a file of the repository into the page"),
        _("remove it: write the text itself, or link to the page"),
    )


def dangerous_scheme(target: str) -> str | None:
    """`javascript`, `data` or `vbscript` if a link target uses it, however obfuscated (case, entities,
    white space, control characters, backslashes); else None."""
    text = target.strip().lstrip("<")
    for _round in range(3):  # entities may be written more than once (&amp;#106;)
        unescaped = html_entities.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = "".join(character for character in text if character > " " and character not in "\x7f\\").lower()
    match = _SCHEME.match(text)
    scheme = match.group()[:-1] if match else None
    return scheme if scheme in DANGEROUS_SCHEMES else None


def without_code_spans(line: str) -> str:
    """The line with its code spans blanked: a run of backticks up to the next run of the same length.

    Linear: each run is paired with the next run of its length, found by one scan from the right
    (a regular expression with a back-reference tried every run length at every position: cubic)."""
    runs = [match.span() for match in _BACKTICKS.finditer(line)]
    if len(runs) < 2:
        return line
    closing: list[int | None] = [None] * len(runs)
    following: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        closing[index] = following.get(length)
        following[length] = index
    parts, last, index = [], 0, 0
    while index < len(runs):
        end = closing[index]
        if end is None:
            index += 1
            continue
        parts += [line[last : runs[index][0]], " " * (runs[end][1] - runs[index][0])]
        last, index = runs[end][1], end + 1
    return "".join([*parts, line[last:]])


def source_findings(body: str) -> list[tuple[int, Finding]]:
    """What the Markdown source holds, with its 0-based line: limits it goes over (nesting, size, density;
    `markdown_limits.py`), snippet includes and dangerous link targets."""
    found = [(limit.index, Finding(("limit",), limit.what, limit.advice)) for limit in limits(body)]
    if "8<" not in body and "](" not in body and "]:" not in body:
        return found
    for index, line, fenced in fenced_lines(body):
        if _SNIPPET_MARKER.match(line):  # the snippets extension reads them inside code blocks too
            found.append((index, _snippet_finding()))
        if fenced:
            continue
        prose = without_code_spans(line)
        targets = [match.group(1) for match in _INLINE_TARGET.finditer(prose)]
        targets += [match.group(1) for match in [_REFERENCE_DEFINITION.match(prose)] if match]
        for target in targets:
            scheme = dangerous_scheme(target)
            if scheme is not None:
                found.append(
                    (index, Finding(("source-url", scheme), _("{scheme}: URL in a Markdown link target", scheme=scheme), _(_ALLOWED_URLS)))
                )
    return sorted(found, key=lambda item: item[0])


# --- the checks over all practices ----------------------------------------------------------------------


class Rendered(NamedTuple):
    html: str
    events: list[Event] | None

    @property
    def tags(self) -> list[tuple[str, Attributes]]:
        return start_tags(self.events or [])


class Renderer:
    """The site's Markdown with one converter, reset between texts (building one costs more than a text)."""

    def __init__(self, settings: MarkdownSettings) -> None:
        self._converter = markdown.Markdown(extensions=list(settings.extensions), extension_configs=settings.configs)

    def render(self, text: str) -> Rendered | None:
        """The HTML and its events; None if the Markdown cannot be rendered, or goes over the limits
        of `markdown_limits.py` (which `source_findings` reports with their lines)."""
        if limits(text):
            return None
        try:
            self._converter.reset()
            html = self._converter.convert(text)
        except Exception:  # any error of an extension on odd input is a problem to report, never a traceback
            return None
        return Rendered(html, read_events(html))


@dataclass(frozen=True)
class Judged:
    """What the rendered text of a Markdown source shows: what the sanitiser refuses, and what the
    reference checks (run every time: they look at other files) and the anchors of other texts need."""

    unsafe: list[Finding]
    links: list[tuple[str, Attributes]]  # the `a` and `img` start tags
    ids: frozenset[str]  # every id (headings, footnotes, attr_list)


class TextChecks:
    """The checks that read one text and nothing else, each computed once per text and kept in a `Store`
    between runs (keyed by the text's digest; the store's version covers the code, the Markdown settings,
    the contact allow-list, the vocabularies and the message language)."""

    def __init__(self, renderer: Renderer, contacts: Contacts, store: Store) -> None:
        self.renderer, self.contacts, self.store = renderer, contacts, store

    def _cached(self, text: str, name: str, compute: Callable[[], Any], decode: Callable[[Any], T]) -> T:
        """The result `name` of `text`: from the store, else computed and stored. A stored value of the wrong
        shape is computed again (the store's MAC makes that a bug of ours, never an attack)."""
        entry = self.store.get(text_digest(text))
        if name in entry:
            try:
                return decode(entry[name])
            except (TypeError, ValueError, KeyError, IndexError):
                pass
        entry[name] = compute()
        return decode(entry[name])

    def personal(self, text: str) -> list[tuple[int, str]]:
        """`personal_data(text)`: (offset, message) of each address or number not allowed."""
        return self._cached(text, "p", lambda: personal_data(text, self.contacts), _offsets)

    def control(self, text: str) -> list[tuple[int, str]]:
        """`control_messages(text)`: (offset, message) of each control, bidi or invisible character."""
        return self._cached(text, "c", lambda: control_messages(text), _offsets)

    def source(self, text: str) -> list[tuple[int, Finding]]:
        """`source_findings(text)`: limits, snippet includes and dangerous link targets, with their 0-based line."""

        def compute() -> list[list[Any]]:
            return [[index, *_finding_data(finding)] for index, finding in source_findings(text)]

        return self._cached(text, "s", compute, lambda data: [(int(index), _finding(*finding)) for index, *finding in data])

    def judged(self, text: str) -> Judged | None:
        """The rendered text judged; None if it goes over the limits or cannot be rendered."""

        def compute() -> dict[str, Any] | None:
            rendered = self.renderer.render(text)
            if rendered is None:
                return None
            tags = rendered.tags
            return {
                "u": [_finding_data(finding) for finding in unsafe_html_findings(rendered.html, rendered.events)],
                "l": [[name, [list(pair) for pair in attributes]] for name, attributes in tags if name in ("a", "img")],
                "i": sorted(heading_ids(tags)),
            }

        return self._cached(text, "j", compute, _judged)

    def save(self) -> None:
        self.store.save()


def _offsets(data: Any) -> list[tuple[int, str]]:
    return [(int(offset), str(message)) for offset, message in data]


def _judged(data: Any) -> Judged | None:
    if data is None:
        return None
    return Judged(
        [_finding(*finding) for finding in data["u"]],
        [(str(name), tuple((str(key), str(value)) for key, value in attributes)) for name, attributes in data["l"]],
        frozenset(str(anchor) for anchor in data["i"]),
    )


def _finding_data(finding: Finding) -> list[Any]:
    return [list(finding.key), finding.what, finding.advice]


def _finding(key: list[str] | tuple[str, ...], what: str, advice: str) -> Finding:
    return Finding(tuple(str(part) for part in key), str(what), str(advice))


def markdown_key(settings: MarkdownSettings) -> str:
    """The Markdown settings as text, for a cache's version (option values that are objects by their type)."""
    return json.dumps([settings.extensions, settings.configs], sort_keys=True, default=lambda value: type(value).__qualname__)


@dataclass
class PracticeCheck:
    """One practice's problems, with what they were found from beyond the practice: kept in a `SafetyMemo`."""

    practice: Practice  # the object `load_practices` gave: the same object again while its files are byte-identical
    context: str  # `SafetyCheck.context`
    practice_anchors: dict[tuple[str, str], frozenset[str] | None]  # the other texts' anchors its links were checked against
    document_anchors: dict[Path, frozenset[str] | None]  # and the hand-written pages'
    problems: list[Problem]


SafetyMemo = dict[str, PracticeCheck]  # by practice id; kept by a long-running caller (`mkdocs serve`) between checks


@dataclass
class SafetyCheck:
    """The checks of one content root, with what they share: the renderer, the allow-list, the site map."""

    layout: Layout
    markdown: MarkdownSettings  # the site's (`Settings.markdown`); contributed text is rendered without snippets
    practices: Sequence[Practice]
    known_ids: Collection[str]
    cache: bool = False  # keep the per-text results in the root's store (`handbook.cache`)
    site_url: str = ""  # the site's address (`Settings.site_url`) and the repository's: a full link to either is refused
    repository: str | None = None
    memo: SafetyMemo | None = None  # reuse a practice's problems while it and all they were found from are unchanged
    setup_problems: list[Problem] = field(init=False, default_factory=list)  # of the allow-list of contacts
    _recording: tuple[dict[tuple[str, str], frozenset[str] | None], dict[Path, frozenset[str] | None]] | None = field(
        init=False, default=None
    )
    _document_ids: dict[Path, frozenset[str] | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.renderer = Renderer(self.markdown.contributed)
        self.contacts, problems = load_contacts(self.layout.practices_dir / CONTACTS_FILE)
        self.setup_problems += problems
        store = Store.disabled()
        if self.cache:
            contacts = json.dumps([sorted(self.contacts.emails), sorted(self.contacts.phones)])
            vocabularies = file_digests([self.layout.vocabularies_file])
            store = Store.open(self.root, current_language(), markdown_key(self.markdown.contributed), contacts, vocabularies)
        self.texts = TextChecks(self.renderer, self.contacts, store)
        self.by_id = {practice.id: practice for practice in self.practices}
        self.site_map = SiteMap(
            self.layout, frozenset(self.known_ids), self._practice_anchors, self._document_anchors, self.site_url, self.repository
        )

    @property
    def root(self) -> Path:
        return self.layout.root

    def problems(self) -> list[Problem]:
        problems = list(self.setup_problems)
        if self.memo is None:
            for practice in self.practices:
                problems += self.practice_problems(practice)
            return problems
        context = self.context()
        for practice in self.practices:
            problems += self._reused_problems(practice, context, self.memo)
        for gone in set(self.memo) - set(self.by_id):
            del self.memo[gone]
        return problems

    def context(self) -> str:
        """What every practice's problems are also found from: the ids, the site's page files, the allow-list of
        contacts, the message language, the site's and repository's addresses, the Markdown and the vocabularies."""
        pages = sorted(str(Path(folder, name)) for folder, _dirs, names in os.walk(self.layout.docs_dir) for name in names)
        contacts = [sorted(self.contacts.emails), sorted(self.contacts.phones)]
        parts = [
            sorted(self.known_ids),
            pages,
            contacts,
            current_language(),
            self.site_url,
            self.repository,
            markdown_key(self.markdown.contributed),
        ]
        return text_digest(json.dumps([*parts, file_digests([self.layout.vocabularies_file])], default=str))

    def _reused_problems(self, practice: Practice, context: str, memo: SafetyMemo) -> list[Problem]:
        prior = memo.get(practice.id)
        if (
            prior is not None
            and prior.practice is practice
            and prior.context == context
            and all(self._practice_anchors(*target) == anchors for target, anchors in prior.practice_anchors.items())
            and all(self._document_anchors(path) == anchors for path, anchors in prior.document_anchors.items())
        ):
            return prior.problems
        self._recording = ({}, {})
        try:
            problems = self.practice_problems(practice)
            memo[practice.id] = PracticeCheck(practice, context, *self._recording, problems)
        finally:
            self._recording = None
        return problems

    def practice_problems(self, practice: Practice) -> list[Problem]:
        problems = self.facts_problems(practice)
        for translation in practice.translations.values():
            problems += self.translation_problems(practice, translation)
        return problems

    # practice.yml

    def facts_problems(self, practice: Practice) -> list[Problem]:
        problems = []
        for loc, value in _strings(practice.facts.model_dump(), ()):
            line = practice.line_of(*loc)
            name = dotted(loc)
            messages: list[str] = []
            if loc == ("contact", "email"):
                if not is_email(value):
                    messages.append(_("{value} is not an e-mail address", value=repr(value)))
                elif value.strip().lower() not in self.contacts.emails:
                    messages.append(email_message(value.strip()))
            elif loc == ("contact", "phone"):
                number = parse_phone(value)
                if number is None:
                    messages.append(_("{value} is not a phone number: write it in full, with its area code", value=repr(value)))
                elif number not in self.contacts.phones:
                    messages.append(phone_message(value, number))
            else:
                messages += [message for _, message in personal_data(value, self.contacts)]
            messages += plain_text_messages(value)
            if loc[-1] == "url" and (_URL_UNSAFE.search(value) or not allowed_url(value)):  # printed in href="…"
                messages.append(
                    _(
                        "unsafe content: a web address may not hold quotes, spaces, backslashes or angle brackets, "
                        "and must start with http:, https: or mailto: (write %22 for a quote, %20 for a space): {value}",
                        value=_shown(value),
                    )
                )
            problems += [Problem(practice.facts_path, line, field_message(name, message)) for message in messages]
        return problems

    # nl.md / en.md

    def translation_problems(self, practice: Practice, translation: LanguageVersion) -> list[Problem]:
        path, first, body = translation.path, translation.body_line, translation.body
        lines = body.splitlines()
        problems = []
        for key in ("title", "summary"):
            value = getattr(translation.text, key)
            messages = [message for _, message in personal_data(value, self.contacts)]
            messages += plain_text_messages(value)
            if messages:
                line = translation.line_of(key)
                problems += [Problem(path, line, field_message(key, message)) for message in messages]
        for offset, message in [*self.texts.personal(body), *self.texts.control(body)]:
            problems.append(Problem(path, first + body.count("\n", 0, offset), message))
        source_url_lines, over_limits = set(), False
        for index, finding in self.texts.source(body):
            problems.append(Problem(path, first + index, finding_message(finding, lines[index] if index < len(lines) else "")))
            if finding.key[0] == "source-url":
                source_url_lines.add(first + index)
            over_limits = over_limits or finding.key[0] == "limit"
        if over_limits:
            return problems  # not rendered: the limits come first
        page = PracticePage(practice.id, translation.language, practice.folder, f"{self.layout.practices}/{practice.id}/")
        findings = self._findings(self.texts.judged(translation.body), page)
        numbers = source_lines(findings, lines)
        for finding, number in zip(findings, numbers, strict=True):
            line = first + number - 1
            if finding.key[0] == "url" and line in source_url_lines:
                continue  # already reported from the Markdown source
            problems.append(Problem(path, line, finding_message(finding, lines[number - 1] if lines else "")))
        return problems

    def _findings(self, judged: Judged | None, page: PracticePage) -> list[Finding]:
        if judged is None:
            return [Finding(("render",), _("the Markdown cannot be rendered"), _("simplify the text around this line"))]
        return judged.unsafe + reference_findings(judged.links, judged.ids, page, self.site_map)

    def _practice_anchors(self, practice_id: str, language: str) -> frozenset[str] | None:
        practice = self.by_id.get(practice_id)
        judged = self.texts.judged(practice.text_in(language).body) if practice is not None else None
        anchors = judged.ids if judged is not None else None
        if self._recording is not None:
            self._recording[0][practice_id, language] = anchors
        return anchors

    def _document_anchors(self, path: Path) -> frozenset[str] | None:
        """The ids of a hand-written page; None when unknown (it includes snippets, or cannot be read)."""
        if path not in self._document_ids:
            anchors = None
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            if text and not _SNIPPET_MARKER.search(text):
                judged = self.texts.judged(get_data(text)[0])  # the body as MkDocs reads the page
                anchors = judged.ids if judged is not None else None
            self._document_ids[path] = anchors
        if self._recording is not None:
            self._recording[1][path] = self._document_ids[path]
        return self._document_ids[path]


def source_lines(findings: Sequence[Finding], lines: Sequence[str]) -> list[int]:
    """The 1-based line of each finding: the line that shows what it is about (its element, attribute or
    URL), after the previous finding with the same needle; each needle moves forward only, so linear."""
    lowered = [line.lower() for line in lines]
    whole = "\n".join(lowered)
    position: dict[str, tuple[int, int]] = {}  # needle -> (line index, occurrences on it already used)
    counts: dict[tuple[str, int], int] = {}  # (needle, line index) -> occurrences, each counted once
    found_in_whole: dict[str, bool] = {}
    located = []
    for finding in findings:
        needle = _needle(finding).lower()
        if needle and needle not in found_in_whole:
            found_in_whole[needle] = needle in whole
        if needle and not found_in_whole[needle]:  # written otherwise (entities): its first word
            needle = next(iter(re.findall(r"[a-z0-9]+", needle)), "")
        index, used = position.get(needle, (0, 0))
        while needle and index < len(lowered):
            if (needle, index) not in counts:
                counts[needle, index] = lowered[index].count(needle)
            if counts[needle, index] > used:
                break
            index, used = index + 1, 0
        if not needle or index >= len(lowered):
            located.append(1 if not needle or not position.get(needle) else position[needle][0] + 1)
            continue
        position[needle] = (index, used + 1)
        located.append(index + 1)
    return located


def finding_message(finding: Finding, source_line: str) -> str:
    """The finding with the source line, or the part of a long line around what it is about."""
    snippet = source_line.strip()
    if len(snippet) > _SNIPPET_LENGTH:
        width = _SNIPPET_LENGTH - 2
        position = _lowered(snippet).find(_needle(finding).lower())
        start = max(0, min(position - 20, len(snippet) - width))
        snippet = ("…" if start else "") + snippet[start : start + width] + ("…" if start + width < len(snippet) else "")
    if finding.key[0] in _UNSAFE_KINDS:
        return _("unsafe content: {what}, in `{snippet}`; {advice}", what=finding.what, snippet=snippet, advice=finding.advice)
    return _("{what}, in `{snippet}`; {advice}", what=finding.what, snippet=snippet, advice=finding.advice)


@lru_cache(maxsize=16)
def _lowered(text: str) -> str:
    """A long source line in lower case, once for all the findings on it."""
    return text.lower()


def _needle(finding: Finding) -> str:
    kind, *about = finding.key
    if kind == "comment":
        return "<!--"
    if kind == "element":
        return f"<{about[0]}"
    if kind == "attribute":
        return about[1]
    if kind == "reserved":  # the reserved token itself: an admonition's classes are not written as such
        return next(
            (token for token in about[2].split() if token.startswith(RESERVED_PREFIXES) or token.lower() in RESERVED_NAMES), about[2]
        )
    if kind == "url":
        return about[2]
    return about[0] if kind in ("link", "image") else ""


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))
