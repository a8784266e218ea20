"""Safety checks of the practices: unsafe content, personal data, and links, anchors and images.

Unsafe content. Each practice text is rendered with the site's own Markdown settings (from mkdocs.yml,
without `pymdownx.snippets`) and given to a real sanitiser, nh3, configured with what that Markdown
legitimately writes (`ALLOWED_TAGS`, `ALLOWED_ATTRIBUTES`, `URL_SCHEMES`). The rendered HTML and nh3's
output are both read into normalised events (start tags with sorted attributes, text, comments), so
that mere serialisation differences do not count; whatever nh3 removes or changes is refused, naming
the element, attribute or URL and showing the source line. The Markdown source is also checked for
`javascript:`, `data:` and `vbscript:` link targets however they are written, and for snippet includes
(`--8<--`), which would read files of the repository into the page. The front matter strings and the
strings of practice.yml are checked too: the templates print them as they are.

Personal data. E-mail addresses and phone numbers (found by `phonenumbers`) must be on the allow-list
of organisational contacts, `practices/contacts.yml`; Belgian national register and BIS numbers
(validated by `python-stdnum`) are refused everywhere.

Links, anchors and images: see `references.py`.

Speed: a body of plain Markdown (without `<`, `{`, `[` or `]`) can produce no raw HTML, no attributes,
no links and no images, so it is not rendered at all. The site can reuse its own rendering through
`unsafe_html_findings(html)`.
"""

from __future__ import annotations

import html as html_entities
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import markdown
import nh3
import phonenumbers
from stdnum.be import bis, nn

from handbook import yaml_reader
from handbook.load import Loaded, dotted
from handbook.markdown_render import MarkdownSettings, fenced_lines, markdown_settings
from handbook.model import Practice, Translation
from handbook.problems import Problem
from handbook.references import Attributes, Finding, PracticePage, SiteMap, heading_ids, reference_findings

CONTACTS_FILE = "contacts.yml"  # in the practices folder
MKDOCS_FILE = "mkdocs.yml"
DOCS_FOLDER = "docs"

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

CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,  # keep links as written: adding rel would count as a change
    strip_comments=False,  # comments are harmless; keeping them shows a comment that browsers read differently
)

# The site's extensions, used when a content root has no mkdocs.yml (kept equal to it by a test).
FALLBACK_SETTINGS = MarkdownSettings(
    (
        *("toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list", "footnotes"),
        *("pymdownx.details", "pymdownx.superfences"),
    ),
    {"toc": {"permalink": True}},
)

_MARKUP_CHARACTERS = ("<", "{", "[", "]")  # raw HTML, attr_list, links and images all need one of them
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SNIPPET_MARKER = re.compile(r"^[ \t]*;*-+8<-+", re.MULTILINE)  # where pymdownx.snippets reads a marker
_INLINE_TARGET = re.compile(r"\]\(\s*([^)\n]*)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*(\S.*)$")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")

# The one place a regular expression finds personal data: e-mail addresses (then validated).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9\-])"
)
_DIGIT_RUN = re.compile(r"\d(?:[ \t.\-/()]{0,3}\d){5,}")  # without 6 digits in a row, no phone or register number
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NATIONAL_NUMBER = re.compile(r"(?<!\d)\d{2}[. ]?\d{2}[. ]?\d{2}[-. ]?\d{3}[-. ]?\d{2}(?!\d)")
_DEFAULT_REGION = "BE"
_SNIPPET_LENGTH = 100
_UNSAFE_KINDS = frozenset({"html", "element", "attribute", "url", "snippet", "source-url"})


# --- HTML as normalised events --------------------------------------------------------------------------


class Event(NamedTuple):
    kind: str  # "tag" (a start tag), "text", "comment" or "markup" (a declaration or processing instruction)
    value: str  # the tag name, or the text
    attributes: Attributes = ()


class _EventReader(HTMLParser):
    """Start tags with sorted, unescaped attributes; text with collapsed white space; comments. End tags
    are left out: a sanitiser closes elements in its own way, which changes nothing a browser runs."""

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

_NO_CODE = "remove it and write plain text or Markdown: raw HTML that can run code is refused"
_ALLOWED_URLS = "only http:, https:, mailto: and relative addresses are allowed (javascript:, data: and vbscript: URLs can run code)"


def unsafe_html_findings(html: str, original: list[Event] | None = None) -> list[Finding]:
    """What nh3, configured for the site's Markdown, would remove or change in `html`.

    `original` may pass the events of `html` when the caller has them already."""
    if original is None:
        original = read_events(html)
    cleaned = read_events(CLEANER.clean(html))
    if original is None or cleaned is None:
        return [Finding(("html",), "HTML that cannot be read safely", _NO_CODE)]
    if original == cleaned:
        return []
    findings: list[Finding] = []
    for operation, start, end, cleaned_start, cleaned_end in SequenceMatcher(None, original, cleaned, autojunk=False).get_opcodes():
        if operation == "equal":
            continue
        removed, added = original[start:end], cleaned[cleaned_start:cleaned_end]
        explained = _explained_changes(removed, added)
        if explained:
            findings += explained
        elif removed or any(event.kind != "tag" or event.value not in IMPLIED_TAGS or event.attributes for event in added):
            shown = _html_of(removed or added)
            findings.append(
                Finding(
                    ("html",),
                    f"HTML that the sanitiser nh3 would change ({shown}); browsers may read it differently from how it looks",
                    "write plain Markdown, or well-formed HTML of the allowed elements",
                )
            )
    return findings


def _explained_changes(removed: Sequence[Event], added: Sequence[Event]) -> list[Finding]:
    """Name each element or attribute the sanitiser removed or changed."""
    findings = []
    counterparts = [event for event in added if event.kind == "tag"]
    inside_refused = any(event.kind == "tag" and event.value not in ALLOWED_TAGS for event in removed)
    for event in removed:
        if event.kind != "tag":
            continue
        if event.value not in ALLOWED_TAGS:
            findings.append(Finding(("element", event.value), f"element <{event.value}> is not allowed", _NO_CODE))
            continue
        counterpart = next((other for other in counterparts if other.value == event.value), None)
        if counterpart is None:
            if not inside_refused:  # an allowed element inside a refused one (<svg><a>) goes with it
                findings.append(Finding(("element", event.value), f"element <{event.value}> would be removed by the sanitiser", _NO_CODE))
            continue
        counterparts.remove(counterpart)
        lost = Counter(event.attributes) - Counter(counterpart.attributes)
        findings += [_attribute_finding(event.value, name, value) for name, value in sorted(lost)]
    return findings


def _attribute_finding(tag: str, name: str, value: str) -> Finding:
    allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
    if name not in allowed:
        if name.startswith("on"):
            advice = "remove it: event handlers run code, also when written with attr_list ({: ...})"
        else:
            advice = f"remove it; allowed on <{tag}>: {', '.join(sorted(allowed))}"
        return Finding(("attribute", tag, name), f"attribute {name}={_shown(value)} on <{tag}> is not allowed", advice)
    if name in URL_ATTRIBUTES:
        return Finding(("url", tag, name, value), f"URL {_shown(value)} in the {name} of <{tag}> is not allowed", _ALLOWED_URLS)
    if name == "style":
        properties = ", ".join(sorted(STYLE_PROPERTIES))
        return Finding(("attribute", tag, name), f"style {_shown(value)} on <{tag}> is not allowed", f"a style may only set {properties}")
    return Finding(
        ("attribute", tag, name),
        f"attribute {name}={_shown(value)} on <{tag}> would be changed by the sanitiser",
        "write the attribute once, with a plain value",
    )


def _shown(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _html_of(events: Sequence[Event]) -> str:
    parts = []
    for event in events[:3]:
        if event.kind == "tag":
            attributes = "".join(f' {name}="{value}"' for name, value in event.attributes)
            parts.append(f"<{event.value}{attributes}>")
        elif event.kind == "comment":
            parts.append(f"<!--{event.value}-->")
        else:
            parts.append(event.value)
    return _shown("".join(parts))


_SNIPPET_FINDING = Finding(
    ("snippet",),
    "snippet include '--8<--' would read a file of the repository into the page",
    "remove it: write the text itself, or link to the page",
)


def dangerous_scheme(target: str) -> str | None:
    """`javascript`, `data` or `vbscript` if a link target uses it, however obfuscated (case, entities,
    white space, control characters, backslashes); else None."""
    text = target.strip().lstrip("<")
    for _ in range(3):  # entities may be written more than once (&amp;#106;)
        unescaped = html_entities.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = "".join(character for character in text if character > " " and character not in "\x7f\\").lower()
    match = _SCHEME.match(text)
    scheme = match.group()[:-1] if match else None
    return scheme if scheme in DANGEROUS_SCHEMES else None


def source_findings(body: str) -> list[tuple[int, Finding]]:
    """Snippet includes and dangerous link targets in the Markdown source, with their 0-based line."""
    found: list[tuple[int, Finding]] = []
    if "8<" not in body and "](" not in body and "]:" not in body:
        return found
    for index, line, fenced in fenced_lines(body):
        if _SNIPPET_MARKER.match(line):  # the snippets extension reads them inside code blocks too
            found.append((index, _SNIPPET_FINDING))
        if fenced:
            continue
        prose = _CODE_SPAN.sub(lambda match: " " * len(match.group()), line)
        targets = [match.group(1) for match in _INLINE_TARGET.finditer(prose)]
        targets += [match.group(1) for match in [_REFERENCE_DEFINITION.match(prose)] if match]
        for target in targets:
            scheme = dangerous_scheme(target)
            if scheme is not None:
                found.append((index, Finding(("source-url", scheme), f"{scheme}: URL in a Markdown link target", _ALLOWED_URLS)))
    return found


# --- personal data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contacts:
    """The allow-list of organisational contacts: e-mail addresses (lower case) and phone numbers (E.164)."""

    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()


def e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def parse_phone(text: str) -> str | None:
    """The E.164 form of a phone number written in full (Belgian unless it has a country code), or None."""
    try:
        number = phonenumbers.parse(text, _DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return e164(number) if phonenumbers.is_valid_number(number) else None


def is_email(text: str) -> bool:
    match = _EMAIL.fullmatch(text.strip())
    return match is not None and _valid_email(match.group())


def _valid_email(address: str) -> bool:
    local, _, domain = address.rpartition("@")
    return len(local) <= 64 and len(domain) <= 253 and not local.startswith(".") and not local.endswith(".") and ".." not in local


def load_contacts(path: Path) -> tuple[Contacts, list[Problem]]:
    """Read the allow-list; a missing file allows nothing. Every entry must be a valid address or number."""
    if not path.is_file():
        return Contacts(), []
    try:
        document = yaml_reader.load(path.read_text(encoding="utf-8"))
    except yaml_reader.YamlError as error:
        return Contacts(), [Problem(path, error.line, error.message)]
    except (OSError, UnicodeDecodeError) as error:
        return Contacts(), [Problem(path, 1, f"cannot read the allow-list: {error}")]
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        return Contacts(), [Problem(path, 1, "the allow-list must be a mapping with the lists 'emails' and 'phones'")]
    problems = [
        Problem(path, document.line_of((key,)), f"unknown key '{key}'; allowed: emails, phones")
        for key in data
        if key not in ("emails", "phones")
    ]
    allowed: dict[str, set[str]] = {"emails": set(), "phones": set()}
    for key, normalised, kind in (
        ("emails", _allowed_email, "e-mail address"),
        ("phones", parse_phone, "phone number (with its area code)"),
    ):
        entries = data.get(key) or []
        if not isinstance(entries, list):
            problems.append(Problem(path, document.line_of((key,)), f"'{key}' must be a list of quoted texts"))
            continue
        for index, entry in enumerate(entries):
            value = normalised(entry) if isinstance(entry, str) else None
            if value is None:
                problems.append(Problem(path, document.line_of((key, index)), f"'{key}[{index}]': {entry!r} is not a valid {kind}"))
            else:
                allowed[key].add(value)
    return Contacts(frozenset(allowed["emails"]), frozenset(allowed["phones"])), problems


def _allowed_email(text: str) -> str | None:
    return text.strip().lower() if is_email(text) else None


def personal_data(text: str, contacts: Contacts) -> list[tuple[int, str]]:
    """(offset, message) of each e-mail address or phone number not on the allow-list, and of each
    national register or BIS number, in `text`."""
    found: list[tuple[int, str]] = []
    if "@" in text:
        for match in _EMAIL.finditer(text):
            address = match.group()
            if _valid_email(address) and address.lower() not in contacts.emails:
                found.append((match.start(), _email_message(address)))
    if not _DIGIT_RUN.search(text):  # national register numbers and phone numbers are digit runs
        return found
    national_numbers = []
    for match in _NATIONAL_NUMBER.finditer(text):
        if nn.is_valid(match.group()) or bis.is_valid(match.group()):
            national_numbers.append(match.span())
            kind = "national register number" if nn.is_valid(match.group()) else "BIS number"
            found.append((match.start(), f"personal data: Belgian {kind} {match.group()!r}; never write one in a practice: remove it"))
    masked = _URL.sub(lambda match: " " * len(match.group()), text)  # digits in web addresses are not phone numbers
    for phone in phonenumbers.PhoneNumberMatcher(masked, _DEFAULT_REGION):
        overlaps = any(start < phone.end and phone.start < end for start, end in national_numbers)
        if not overlaps and e164(phone.number) not in contacts.phones:
            found.append((phone.start, _phone_message(phone.raw_string, e164(phone.number))))
    return found


def _email_message(address: str) -> str:
    return (
        f"personal data: e-mail address {address!r} is not on the allow-list of organisational contacts; "
        f"use an organisation's general address, and add it to practices/{CONTACTS_FILE} through review"
    )


def _phone_message(written: str, normalised: str) -> str:
    return (
        f"personal data: phone number {written!r} ({normalised}) is not on the allow-list of organisational contacts; "
        f"use an organisation's general number, and add it to practices/{CONTACTS_FILE} through review"
    )


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
        # `is_plain_markdown` holds for these extensions; another one (magiclink, say) might link bare text.
        self.plain_needs_no_rendering = set(settings.extensions) <= set(FALLBACK_SETTINGS.extensions)

    def render(self, text: str) -> Rendered | None:
        """The HTML and its events; None if the Markdown cannot be rendered."""
        try:
            self._converter.reset()
            html = self._converter.convert(text)
        except Exception:  # any error of an extension on odd input is a problem to report, never a traceback
            return None
        return Rendered(html, read_events(html))


@dataclass
class SafetyCheck:
    """The checks of one content root, with what they share: the renderer, the allow-list, the site map."""

    root: Path
    practices_dir: Path
    practices: Sequence[Practice]
    known_ids: Collection[str]
    always_render: bool = False  # render plain Markdown too (tests compare both ways)
    setup_problems: list[Problem] = field(init=False, default_factory=list)  # of mkdocs.yml and the allow-list
    _rendered: dict[Path, Rendered | None] = field(init=False, default_factory=dict)
    _document_ids: dict[Path, frozenset[str] | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.renderer = self._site_renderer()
        self.contacts, problems = load_contacts(self.practices_dir / CONTACTS_FILE)
        self.setup_problems += problems
        self.by_id = {practice.id: practice for practice in self.practices}
        self.site = SiteMap(self.root / DOCS_FOLDER, frozenset(self.known_ids), self._practice_anchors, self._document_anchors)

    def _site_renderer(self) -> Renderer:
        """The Markdown of mkdocs.yml without snippets; the site's known settings if there is none or it is broken."""
        mkdocs_yml = self.root / MKDOCS_FILE
        if mkdocs_yml.is_file():
            try:
                return Renderer(markdown_settings(mkdocs_yml).without("pymdownx.snippets"))
            except Exception as error:  # a broken mkdocs.yml is reported, not raised
                self.setup_problems.append(Problem(mkdocs_yml, 1, f"cannot read the Markdown settings: {error}"))
        return Renderer(FALLBACK_SETTINGS)

    def problems(self) -> list[Problem]:
        problems = list(self.setup_problems)
        for practice in self.practices:
            problems += self.practice_problems(practice)
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
                    messages.append(f"{value!r} is not an e-mail address")
                elif value.strip().lower() not in self.contacts.emails:
                    messages.append(_email_message(value.strip()))
            elif loc == ("contact", "phone"):
                number = parse_phone(value)
                if number is None:
                    messages.append(f"{value!r} is not a phone number: write it in full, with its area code")
                elif number not in self.contacts.phones:
                    messages.append(_phone_message(value, number))
            else:
                messages += [message for _, message in personal_data(value, self.contacts)]
            html = f'<a href="{value}">link</a>' if loc[-1] == "url" else value  # the templates print URLs in href="…"
            messages += [_message(finding, value) for finding in _string_findings(html)]
            problems += [Problem(practice.facts_path, line, f"field '{name}': {message}") for message in messages]
        return problems

    # nl.md / en.md

    def translation_problems(self, practice: Practice, translation: Translation) -> list[Problem]:
        path, first, body = translation.path, translation.body_line, translation.body
        lines = body.splitlines()
        problems = []
        for key in ("title", "summary"):
            value = getattr(translation.text, key)
            messages = [message for _, message in personal_data(value, self.contacts)]
            messages += [_message(finding, value) for finding in _string_findings(value)]
            if messages:
                line = _front_matter_line(translation, key)
                problems += [Problem(path, line, f"field '{key}': {message}") for message in messages]
        for offset, message in personal_data(body, self.contacts):
            problems.append(Problem(path, first + body.count("\n", 0, offset), message))
        source_url_lines = set()
        for index, finding in source_findings(body):
            problems.append(Problem(path, first + index, _message(finding, lines[index])))
            if finding.key[0] == "source-url":
                source_url_lines.add(first + index)
        if is_plain_markdown(body) and self.renderer.plain_needs_no_rendering and not self.always_render:
            return problems
        page = PracticePage(practice.id, translation.language, practice.folder)
        findings = self._findings(self._render_translation(translation), page)
        numbers = _source_lines(findings, lines, lambda text: self._findings(self.renderer.render(text), page))
        for finding, number in zip(findings, numbers, strict=True):
            line = first + number - 1
            if finding.key[0] == "url" and line in source_url_lines:
                continue  # already reported from the Markdown source
            problems.append(Problem(path, line, _message(finding, lines[number - 1] if lines else "")))
        return problems

    def html_findings(self, html: str, page: PracticePage) -> list[Finding]:
        """Every finding in a text the caller has rendered already (links as written in the Markdown)."""
        return self._findings(Rendered(html, read_events(html)), page)

    def _findings(self, rendered: Rendered | None, page: PracticePage) -> list[Finding]:
        if rendered is None:
            return [Finding(("render",), "the Markdown cannot be rendered", "simplify the text around this line")]
        tags = rendered.tags
        findings = unsafe_html_findings(rendered.html, rendered.events)
        return findings + reference_findings(tags, heading_ids(tags), page, self.site)

    def _render_translation(self, translation: Translation) -> Rendered | None:
        if translation.path not in self._rendered:
            self._rendered[translation.path] = self.renderer.render(translation.body)
        return self._rendered[translation.path]

    def _practice_anchors(self, practice_id: str, language: str) -> frozenset[str] | None:
        practice = self.by_id.get(practice_id)
        if practice is None:
            return None
        rendered = self._render_translation(practice.text_in(language))
        return heading_ids(rendered.tags) if rendered is not None else None

    def _document_anchors(self, path: Path) -> frozenset[str] | None:
        """The ids of a hand-written page; None when unknown (it includes snippets, or cannot be read)."""
        if path not in self._document_ids:
            anchors = None
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            if text and not _SNIPPET_MARKER.search(text):
                rendered = self.renderer.render(_without_front_matter(text))
                anchors = heading_ids(rendered.tags) if rendered is not None else None
            self._document_ids[path] = anchors
        return self._document_ids[path]


def safety_problems(loaded: Loaded, root: Path, practices_dir: Path) -> list[Problem]:
    """Unsafe content, personal data, and broken links, anchors and images in the loaded practices."""
    known_ids = {practice.id for practice in loaded.practices} | {declared for declared, _, _ in loaded.declared_ids}
    return SafetyCheck(root, practices_dir, loaded.practices, known_ids).problems()


def is_plain_markdown(body: str) -> bool:
    """True if Markdown can write no raw HTML, attribute, link or image from `body`: it need not be rendered."""
    return not any(character in body for character in _MARKUP_CHARACTERS)


def _string_findings(text: str) -> list[Finding]:
    """Unsafe HTML in a string that a template prints as it is (only `<` can start markup)."""
    return unsafe_html_findings(text) if "<" in text else []


def _source_lines(findings: Sequence[Finding], lines: Sequence[str], analyse: Callable[[str], list[Finding]]) -> list[int]:
    """The 1-based line of each finding: the shortest start of the text that already shows it."""
    counts: dict[int, Counter[tuple[str, ...]]] = {}

    def found_in(count: int) -> Counter[tuple[str, ...]]:
        if count not in counts:
            counts[count] = Counter(finding.key for finding in analyse("\n".join(lines[:count]) + "\n"))
        return counts[count]

    located = []
    seen: Counter[tuple[str, ...]] = Counter()
    for finding in findings:
        seen[finding.key] += 1
        low, high = 1, max(len(lines), 1)
        if found_in(high)[finding.key] >= seen[finding.key]:
            while low < high:
                middle = (low + high) // 2
                if found_in(middle)[finding.key] >= seen[finding.key]:
                    high = middle
                else:
                    low = middle + 1
        located.append(low if found_in(high)[finding.key] >= seen[finding.key] else 1)
    return located


def _message(finding: Finding, source_line: str) -> str:
    """The finding with the source line, or the part of a long line around what it is about."""
    snippet = source_line.strip()
    if len(snippet) > _SNIPPET_LENGTH:
        width = _SNIPPET_LENGTH - 2
        position = snippet.lower().find(_needle(finding).lower())
        start = max(0, min(position - 20, len(snippet) - width))
        snippet = ("…" if start else "") + snippet[start : start + width] + ("…" if start + width < len(snippet) else "")
    kind = "unsafe content: " if finding.key[0] in _UNSAFE_KINDS else ""
    return f"{kind}{finding.what}, in `{snippet}`; {finding.advice}"


def _needle(finding: Finding) -> str:
    kind, *about = finding.key
    if kind == "element":
        return f"<{about[0]}"
    if kind == "attribute":
        return about[1]
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


def _front_matter_line(translation: Translation, key: str) -> int:
    """The file line of a top-level front matter key (the front matter starts on line 2)."""
    try:
        lines = translation.path.read_text(encoding="utf-8").splitlines()[1 : translation.body_line - 2]
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, start=2) if line.startswith(f"{key}:")), 2)


def _without_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return text[end + 5 :]
    return text
