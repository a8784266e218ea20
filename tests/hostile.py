"""The hostile corpus of issue 9: what a stranger's pull request or issue form could try, route by route.

Each case changes a buildable copy of the site (`support.assemble_site` with the valid fixture practices)
and names what `handbook check` (and so the build) must answer: a problem in `path` whose message holds
`mention`. `SAFE` lists values the checks accept on purpose (quotes, ampersands, escaped markup as text):
the safe build must print them as text, which the Chromium test proves with a sentinel.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handbook.gate import Settings, load_content
from support import docs_once, root_settings

PRACTICE = "practices/alpha-praktijk"
NL = f"{PRACTICE}/nl.md"
EN = f"{PRACTICE}/en.md"
FACTS = f"{PRACTICE}/practice.yml"
EVENT = "handbooks/studiedag-mechelen-2015.yml"
VOCABULARIES = "practices/vocabularies.yml"
SENTINEL = "window.__pwned=1"


def replace(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def body(text: str, file: str = NL) -> Callable[[Path], None]:
    """Put `text` at the start of the first section of a practice text."""

    def apply(root: Path) -> None:
        replace(root, file, "## Context\n\n", f"## Context\n\n{text}\n\n")

    return apply


def front(key: str, value: str, file: str = NL) -> Callable[[Path], None]:
    """Replace a front matter key's first line by `key: "value"` (value JSON-quoted, so any character fits)."""

    def apply(root: Path) -> None:
        import json

        lines = (root / file).read_text(encoding="utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        end = index + 1
        while end < len(lines) and lines[end].startswith("  "):
            end += 1
        lines[index:end] = [f"{key}: {json.dumps(value)}"]
        (root / file).write_text("\n".join(lines), encoding="utf-8")

    return apply


def event_field(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace(root, EVENT, old, new)


def introduction(text: str) -> Callable[[Path], None]:
    indented = "\n".join(f"    {line}" for line in text.splitlines())
    return event_field("  nl: |\n", f"  nl: |\n{indented}\n\n")


def symlink(name: str, target: str, folder: str = PRACTICE) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        os.symlink(target, root / folder / name)

    return apply


def hard_link_to_outside(root: Path) -> None:
    outside = root.parent / "outside-secret.txt"
    outside.write_text("secret", encoding="utf-8")
    os.link(outside, root / PRACTICE / "kaart.png")


def fifo(root: Path) -> None:
    os.mkfifo(root / PRACTICE / "kaart.png")


def linked_practice_folder(root: Path) -> None:
    (root.parent / "elsewhere").mkdir()
    os.symlink(root.parent / "elsewhere", root / "practices" / "delta-praktijk")


def file_bytes(name: str, data: bytes, folder: str = PRACTICE) -> Callable[[Path], None]:
    return lambda root: (root / folder / name).write_bytes(data)


def big_file(name: str, size: int) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n" + ("Een gewone zin zonder iets bijzonders. " * (size // 38 + 1)) + "\n", encoding="utf-8")

    return apply


SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned=1</script></svg>'
SVG_ONLOAD = b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><rect width="1" height="1"/></svg>'


def copy_of(template: Path, tmp_path: Path) -> Path:
    """A copy of the buildable template site to change (links copied as links)."""
    root = tmp_path / "root"
    shutil.copytree(template, root, symlinks=True)
    return root


def problems_of(root: Path, settings: Settings | None = None) -> list[str]:
    """What `handbook check` says of `root` (with its settings, loaded unless given), as `path:line: message` lines
    (`load_content`, with the problems of the site's own pages taken from an earlier check of the same pages: see
    `docs_once`)."""
    with docs_once():
        return [problem.format(root) for problem in load_content(settings or root_settings(root)).problems]


def assert_refused(case: Case, template: Path, tmp_path: Path) -> list[str]:
    """Apply `case` to a copy of the template: the check must name it in its file, every problem as one
    `path:line: message` line (never a traceback, never a forged line), within a time bound. Returns the problems."""
    root = copy_of(template, tmp_path)
    case.apply(root)
    start = time.process_time()  # the check's own time: CPU, not the wall clock of a loaded machine
    problems = problems_of(root)
    took = time.process_time() - start
    found = [problem for problem in problems if problem.startswith(f"{case.path}:") and case.mention.lower() in problem.lower()]
    assert found, problems
    assert all("\n" not in problem and re.match(r"^\S.*?:\d+: ", problem) for problem in problems), problems
    assert took < 3.0, f"{took:.2f} s"  # every case, also those built to be slow
    return problems


@dataclass(frozen=True)
class Case:
    route: str
    name: str
    apply: Callable[[Path], None]
    path: str  # the file the problem is reported in
    mention: str  # a text the message must hold (lower case compared)


CASES: list[Case] = [
    # 1. a practice's plain-text fields, printed by templates (and by Material into <title> and <meta>)
    Case("title", "comment-breakout", front("title", "Veilig<!--</title><script>window.__pwned=1</script>-->"), NL, "plain-text field"),
    Case("title", "title-close", front("title", "</title><script>window.__pwned=1</script>"), NL, "plain-text field"),
    Case("title", "summary-img", front("summary", "Samen <img src=x onerror=window.__pwned=1>"), NL, "plain-text field"),
    Case("title", "bidi", front("title", "Veilig \u202egnissacinummoc"), NL, "bidirectional"),
    Case("title", "escape", front("title", "Veilig \x1b[2J\x1b[31m rood"), NL, "control characters"),
    Case("title", "nul", front("summary", "Een veilige samenvatting\x00 met een NUL-teken erin, lang genoeg."), NL, "control characters"),
    Case("title", "facts-organisation", lambda root: replace(root, FACTS, "organisation: ", "organisation: <b>x</b> "), FACTS, "plain-text"),
    Case("title", "facts-url-quote", lambda root: replace(root, FACTS, "url: https://", "url: 'https://x.example/\"onmouseover=\"a'\n    # "), FACTS, "web address"),
    # 2. study days: every text field
    Case("handbook", "title-script", event_field("  nl: Studiedag lokale", "  nl: <script>window.__pwned=1</script> Studiedag lokale"), EVENT, "plain-text"),
    Case("handbook", "subtitle-markup", event_field("  nl: Stad Mechelen en VVSG", "  nl: <b onclick=x>Stad</b> Mechelen en VVSG"), EVENT, "plain-text"),
    Case("handbook", "venue", event_field("venue: Congrescentrum", "venue: <i>x</i> Congrescentrum"), EVENT, "plain-text"),
    Case("handbook", "organisers", event_field("organisers: [Stad Mechelen", 'organisers: ["<u>Stad</u> Mechelen"'), EVENT, "plain-text"),
    Case("handbook", "intro-script", introduction("<script>window.__pwned=1</script>"), EVENT, "element <script>"),
    Case("handbook", "intro-javascript-link", introduction("[klik](javascript:window.__pwned=1)"), EVENT, "javascript:"),
    Case("handbook", "intro-third-party-image", introduction("![logo](https://evil.example/pixel.png)"), EVENT, "images are not allowed"),
    Case("handbook", "intro-snippet", introduction('--8<-- ".git/config"'), EVENT, "snippet"),
    Case("handbook", "intro-snippet-block", introduction("--8<--\n.git/config\n--8<--"), EVENT, "snippet"),
    Case("handbook", "intro-attachment", introduction('<a rel="attachment" href="file:///etc/passwd">bijlage</a>'), EVENT, "attribute rel"),
    Case("handbook", "intro-comment", introduction("<!-- verborgen -->tekst"), EVENT, "comment"),
    # 3. vocabulary labels and descriptions
    Case("vocabulary", "label-script", lambda root: replace(root, VOCABULARIES, "nl: Identiteitsontplooiing bij jongeren", "nl: <script>window.__pwned=1</script>"), VOCABULARIES, "plain-text"),
    Case("vocabulary", "label-img", lambda root: replace(root, VOCABULARIES, "en: Identity development of young people", "en: <img src=x onerror=a>"), VOCABULARIES, "plain-text"),
    Case("vocabulary", "label-bidi", lambda root: replace(root, VOCABULARIES, "nl: Familieondersteuning", "nl: Familie\u202eondersteuning"), VOCABULARIES, "bidirectional"),
    # 5. files: links, hard links, devices, paths outside
    Case("files", "symlink-passwd", symlink("kaart.png", "/etc/passwd"), f"{PRACTICE}/kaart.png", "symbolic link"),
    Case("files", "symlink-git-config", symlink("config.png", "../../.git/config"), f"{PRACTICE}/config.png", "symbolic link"),
    Case("files", "symlink-environ", symlink("omgeving.jpg", "/proc/self/environ"), f"{PRACTICE}/omgeving.jpg", "symbolic link"),
    Case("files", "symlink-in-handbooks", symlink("ander.yml", "/etc/hostname", "handbooks"), "handbooks/ander.yml", "symbolic link"),
    Case("files", "symlink-in-docs", symlink("geheim.md", "/etc/hostname", "docs"), "docs/geheim.md", "symbolic link"),
    Case("files", "linked-folder", linked_practice_folder, "practices/delta-praktijk", "symbolic link"),
    Case("files", "hard-link", hard_link_to_outside, f"{PRACTICE}/kaart.png", "hard link"),
    Case("files", "fifo", fifo, f"{PRACTICE}/kaart.png", "regular files"),
    # 6. images by content; SVG refused
    Case("images", "svg-script", file_bytes("kaart.svg", SVG_SCRIPT), f"{PRACTICE}/kaart.svg", "svg"),
    Case("images", "svg-onload", file_bytes("logo.svg", SVG_ONLOAD), f"{PRACTICE}/logo.svg", "svg"),
    Case("images", "svg-named-png", file_bytes("kaart.png", SVG_SCRIPT), f"{PRACTICE}/kaart.png", "not a png image"),
    Case("images", "html-named-jpg", file_bytes("foto.jpg", b"<html><script>window.__pwned=1</script>"), f"{PRACTICE}/foto.jpg", "not a jpeg"),
    Case("images", "truncated-png", file_bytes("kaart.png", b"\x89PNG\r\n\x1a\n\x00\x00"), f"{PRACTICE}/kaart.png", "cannot be read"),
    Case("images", "gif-named-png", file_bytes("kaart.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"), f"{PRACTICE}/kaart.png", "named .png"),
    # 8. a meta http-equiv, in any form
    Case("meta", "in-comment", body('<!-- <meta http-equiv="Content-Security-Policy" content="script-src *"> -->'), NL, "comment"),
    Case("meta", "refresh", body('<meta http-equiv="refresh" content="0;url=https://evil.example/">'), NL, "element <meta>"),
    Case("meta", "attr-list", body('Tekst.\n{: http-equiv="refresh" content="0;url=https://evil.example/" }'), NL, "http-equiv"),
    # 9. the theme's own ids and classes
    Case("config", "div-config", body('<div id="__config">{"base": "https://evil.example"}</div>'), NL, "reserves"),
    Case("config", "attr-list-id", body("## Context {#__config}"), NL, "reserves"),
    Case("config", "md-class", body('<span class="md-header">x</span>'), NL, "reserves"),
    # 11. personal data, however written (and in study days)
    Case("personal", "entity", body("Mail naam&#64;stad.be."), NL, "e-mail address 'naam@stad.be'"),
    Case("personal", "mailto-entities", body('<a href="mailto:&#110;aam&#x40;stad.be">mail</a>'), NL, "e-mail address 'naam@stad.be'"),
    Case("personal", "bracket-at", body("Mail naam [at] stad [dot] be."), NL, "e-mail address 'naam@stad.be'"),
    Case("personal", "paren-at", body("Mail naam(at)stad.be."), NL, "e-mail address 'naam@stad.be'"),
    Case("personal", "spoken-at", body("Mail jan.peeters at stad.be."), NL, "e-mail address 'jan.peeters@stad.be'"),
    Case("personal", "zero-width", body("Mail na\u200bam@st\u200bad.be."), NL, "e-mail address 'naam@stad.be'"),
    Case("personal", "soft-hyphen", body("Mail naam@st\u00adad.be."), NL, "e-mail address 'naam@stad.be'"),
    Case("personal", "nbsp-phone", body("Bel 015\u00a029\u00a076\u00a054."), NL, "phone number"),
    Case("personal", "national-number-slashes", body("Rijksregister 850730/033/28."), NL, "national register number"),
    Case("personal", "national-number-dots", body("Rijksregister 85.07.30-033.28."), NL, "national register number"),
    Case("personal", "event-venue-email", event_field("venue: Congrescentrum Lamot", "venue: Congrescentrum Lamot, naam(at)stad.be"), EVENT, "e-mail address"),
    Case("personal", "event-intro-phone", introduction("Bel 015\u00a029\u00a076\u00a054."), EVENT, "phone number"),
    Case("personal", "event-speaker-nn", event_field("venue: Congrescentrum Lamot", "venue: Lamot 850730-033-28"), EVENT, "national register number"),
    # 12. size limits, before any heavy work
    Case("size", "big-nl-md", big_file(NL, 300_000), NL, "more than the 200 kb"),
    Case("size", "big-handbook", big_file(EVENT, 300_000), EVENT, "more than the 200 kb"),
    # 13. the smaller ones
    Case("smaller", "stray-main", body("Tekst.\n\n</main></div>\n\nMeer tekst."), NL, "</main>"),
    Case("smaller", "esc-in-body", body("Tekst \x1b[2J met escape."), NL, "control character"),
    Case("smaller", "bidi-in-body", body("Tekst \u2066met\u2069 isolaat."), NL, "bidirectional"),
    # the site's own pages: the same allow-list, and no other kind of file
    Case("docs", "page-script", lambda root: replace(root, "docs/over.nl.md", "\n\n", "\n\n<script>window.__pwned=1</script>\n\n"), "docs/over.nl.md", "element <script>"),
    Case("docs", "guide-config", lambda root: replace(root, "CONTRIBUTING.md", "\n\n", '\n\n<div id="__config">{}</div>\n\n'), "CONTRIBUTING.md", "reserves"),
    Case("docs", "html-file", file_bytes("pagina.html", b"<meta charset=utf-8><script>window.__pwned=1</script>", "docs"), "docs/pagina.html", "not allowed here"),
    Case("docs", "js-in-practice", file_bytes("kaart.js", b"window.__pwned=1"), f"{PRACTICE}/kaart.js", "not allowed here"),
    # 14. snippets in every contributed text
    Case("snippet", "body", body('--8<-- ".git/config"'), NL, "snippet"),
    Case("snippet", "body-escaped-semicolon", body(';--8<-- "mkdocs.yml"'), NL, "snippet"),
    Case("snippet", "docs-page", lambda root: replace(root, "docs/over.nl.md", "\n\n", '\n\n--8<-- ".git/config"\n\n'), "docs/over.nl.md", "snippet"),
    Case("snippet", "contributing-nested", lambda root: replace(root, "CONTRIBUTING.md", "\n\n", '\n\n--8<-- ".git/config"\n\n'), "CONTRIBUTING.md", "snippet"),
]  # fmt: skip

ROUTES = sorted({case.route for case in CASES})

# Accepted on purpose: no `<` or `>`, so no markup; the build must print them as text (Chromium proves it).
SAFE_TITLE = "Alfa \"tussen\" 'aanhalingstekens' & &lt;script&gt;window.__pwned=1&lt;/script&gt;"
SAFE_SUMMARY = 'x" http-equiv="refresh" content="0;url=https://evil.example/" data-x="'
SAFE_SUBTITLE = "y' http-equiv='refresh' content='0;url=https://evil.example/'"
SAFE_LABEL = "Jeugd & \"werk\" ' onmouseover='window.__pwned=1"
SAFE_BODY = """Een [link](https://example.org/pad?a=1&b=2 "titel met \\" aanhalingsteken") en `<script>window.__pwned=1</script>`.

```html
<script>window.__pwned=1</script>
<img src=x onerror="window.__pwned=1">
```

Tekst met &lt;script&gt;window.__pwned=1&lt;/script&gt; als entiteiten."""


SAFE_DOCS_PAGE = "docs/over.nl.md"


def apply_safe(root: Path) -> None:
    """The accepted-but-tricky values, in a practice, a study day and a vocabulary label."""
    front("title", SAFE_TITLE)(root)
    front("summary", SAFE_SUMMARY)(root)
    body(SAFE_BODY)(root)
    event_field("  nl: Stad Mechelen en VVSG, congrescentrum Lamot, Mechelen", f"  nl: {SAFE_SUBTITLE!r}".replace("\\'", "''"))(root)
    replace(root, VOCABULARIES, "nl: Identiteitsontplooiing bij jongeren", f'nl: "{SAFE_LABEL.replace(chr(34), chr(92) + chr(34))}"')
    # a hand-written page: its front matter is printed by Material into <title>, <meta> and the navigation
    page = root / SAFE_DOCS_PAGE
    quoted = SAFE_TITLE.replace(chr(34), chr(92) + chr(34))
    summary = SAFE_SUMMARY.replace(chr(34), chr(92) + chr(34))
    page.write_text(f'---\ntitle: "{quoted}"\ndescription: "{summary}"\n---\n\n' + page.read_text(encoding="utf-8"), encoding="utf-8")
