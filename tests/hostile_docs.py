"""Hostile cases of issue 18 for the site's own pages (docs/): front matter read as MkDocs reads it, the
pages as the build assembles them (CONTRIBUTING.md included by sections), what docs/ may hold, and the
front matter of the templates printed in the PDF appendix. Same form as `hostile.CASES`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hostile import Case, file_bytes, replace
from hostile_markdown import deep_list

OVER = "docs/over.nl.md"
HOME = "docs/index.nl.md"
SEARCH = "docs/zoeken.en.md"
CONTRIBUTE = "docs/bijdragen.nl.md"
TEMPLATE = "docs/sjablonen/doorverwijsnota.nl.md"
GUIDE = "CONTRIBUTING.md"
START_NL = "<!-- --8<-- [start:nl] -->\n"
END_NL = "<!-- --8<-- [end:nl] -->\n"
START_EN = "<!-- --8<-- [start:en] -->\n"
SCRIPT = "<script>window.__pwned=1</script>"


def leading(text: str, file: str = OVER) -> Callable[[Path], None]:
    """Put `text` before the first line of a page (a front matter block, say)."""

    def apply(root: Path) -> None:
        path = root / file
        path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")

    return apply


def crlf_front(text: str, file: str = OVER) -> Callable[[Path], None]:
    """Put `text` before the first line of a page, written byte for byte (Windows line endings kept)."""

    def apply(root: Path) -> None:
        path = root / file
        path.write_bytes(text.encode() + path.read_bytes())

    return apply


def front_key(line: str, file: str = HOME) -> Callable[[Path], None]:
    """Add a line to the front matter of a page that has one."""
    return lambda root: replace(root, file, "---\n", f"---\n{line}\n")


def in_guide(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace(root, GUIDE, old, new)


def guide_linked_to(target: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / GUIDE).unlink()
        (root / GUIDE).symlink_to(target)

    return apply


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for change in changes:
            change(root)

    return apply


def on_page(text: str, file: str = OVER) -> Callable[[Path], None]:
    """Put `text` after the first paragraph of a page (its first heading and paragraph stay on lines 1 to 3)."""

    def apply(root: Path) -> None:
        path = root / file
        head, rest = path.read_text(encoding="utf-8").split("\n\n", 2)[:2], path.read_text(encoding="utf-8").split("\n\n", 2)[2]
        path.write_text("\n\n".join([*head, text, rest]), encoding="utf-8")

    return apply


CASES: list[Case] = [
    # front matter of docs/ pages, read by MkDocs' reader: keys on an allow-list, values plain text
    Case("docs-front", "subtitle-script", leading("---\nsubtitle: '<script src=\"/x.yml\"></script>'\n---\n\n"), OVER, "allowed keys are: title, description, template"),
    Case("docs-front", "status-breakout", front_key("status: 'new\" onmouseover=\"window.__pwned=1'"), HOME, "'status' is not allowed"),
    Case("docs-front", "title-script", lambda root: replace(root, SEARCH, "title: Search", "title: '</title><script>window.__pwned=1</script>'"), SEARCH, "plain-text field"),
    Case("docs-front", "description-img", leading("---\ndescription: Over <img src=x onerror=window.__pwned=1>\n---\n\n"), OVER, "plain-text field"),
    Case("docs-front", "description-email", leading("---\ndescription: Mail jan.peeters@mechelen.be\n---\n\n"), OVER, "e-mail address"),
    Case("docs-front", "title-list", leading("---\ntitle: [a, b]\n---\n\n"), OVER, "must be text"),
    Case("docs-front", "title-number", leading("---\ntitle: 2015\n---\n\n"), OVER, "must be text"),
    Case("docs-front", "practice-key", leading("---\npractice: bestaat-niet\n---\n\n"), OVER, "'practice' is not allowed"),
    Case("docs-front", "handbook-key", leading("---\ntemplate: handbook.html\nhandbook: bestaat-niet\n---\n\n"), OVER, "'handbook' is not allowed"),
    Case("docs-front", "multimarkdown-meta", leading("Subtitle: <script>window.__pwned=1</script>\n\n"), OVER, "'subtitle' is not allowed"),
    Case("docs-front", "bom", leading("\ufeff---\nsubtitle: x\n---\n\n"), OVER, "'subtitle' is not allowed"),
    Case("docs-front", "crlf", crlf_front("---\r\nsubtitle: x\r\n---\r\n\r\n"), OVER, "'subtitle' is not allowed"),
    Case("docs-front", "dots-end", leading("--- \t\nsubtitle: x\n...\n\n"), OVER, "'subtitle' is not allowed"),
    Case("docs-front", "template-page-template", leading("---\ntemplate: home.html\n---\n\n", TEMPLATE), TEMPLATE, "allowed keys are: title, description"),
    Case("docs-front", "template-page-title-markup", leading('---\ntitle: <a rel="attachment" href="file:///etc/passwd">x</a>\n---\n\n', TEMPLATE), TEMPLATE, "plain-text field"),
    Case("docs-front", "template-page-attachment", leading('---\nbijlage: <a rel="attachment" href="file:///etc/passwd">x</a>\n---\n\n', TEMPLATE), TEMPLATE, "'bijlage' is not allowed"),
    # a leading `---` block that MkDocs does not take as front matter (it renders it as Markdown)
    Case("docs-block", "list-block", leading(f"---\n- {SCRIPT}\n---\n\n"), OVER, "not front matter"),
    Case("docs-block", "list-block-html", leading(f"---\n- {SCRIPT}\n---\n\n"), OVER, "element <script>"),
    Case("docs-block", "broken-yaml", leading(f"---\ntitle: [\n{SCRIPT}\n---\n\n"), OVER, "not front matter"),
    Case("docs-block", "scalar-block", leading("---\nTekst <b onclick=\"window.__pwned=1\">b</b>\n\nmeer\n---\n\n"), OVER, "onclick"),
    Case("docs-block", "empty-block", leading("---\n\n---\n\n"), OVER, "not front matter"),
    # templates chosen by front matter, and redirects
    Case("docs-template", "redirect", lambda root: replace(root, HOME, "template: home.html", "template: redirect.html\nlocation: https://evil.example/"), HOME, "redirect.html"),
    Case("docs-template", "redirect-location", front_key("location: https://evil.example/"), HOME, "'location' is not allowed"),
    Case("docs-template", "redirect-multimarkdown", leading("Template: redirect.html\nLocation: https://evil.example/\n\n"), OVER, "redirect.html"),
    Case("docs-template", "main", lambda root: replace(root, HOME, "template: home.html", "template: main.html"), HOME, "main.html"),
    Case("docs-template", "practice", lambda root: replace(root, HOME, "template: home.html", "template: practice.html"), HOME, "practice.html"),
    Case("docs-template", "not-found", lambda root: replace(root, HOME, "template: home.html", "template: 404.html"), HOME, "404.html"),
    Case("docs-template", "path", lambda root: replace(root, HOME, "template: home.html", "template: ../mkdocs.yml"), HOME, "is not one a page may choose"),
    # docs/ holds pages (lower-case .md) and images only
    Case("docs-files", "upper-md", file_bytes("notes.MD", b"<script>window.__pwned=1</script>", "docs"), "docs/notes.MD", "docs/ holds only pages"),
    Case("docs-files", "mixed-md", file_bytes("notes.Md", b"# x", "docs/sjablonen"), "docs/sjablonen/notes.Md", "docs/ holds only pages"),
    Case("docs-files", "yml", file_bytes("x.yml", b"window.__pwned=1", "docs"), "docs/x.yml", "'.yml' files are not allowed here"),
    Case("docs-files", "yaml", file_bytes("x.yaml", b"a: b", "docs"), "docs/x.yaml", "docs/ holds only pages"),
    Case("docs-files", "json", file_bytes("x.json", b"{}", "docs"), "docs/x.json", "docs/ holds only pages"),
    Case("docs-files", "txt", file_bytes("x.txt", b"window.__pwned=1", "docs"), "docs/x.txt", "docs/ holds only pages"),
    Case("docs-files", "markdown", file_bytes("x.markdown", b"# x", "docs"), "docs/x.markdown", "docs/ holds only pages"),
    Case("docs-files", "no-suffix", file_bytes("LEESMIJ", b"x", "docs"), "docs/LEESMIJ", "docs/ holds only pages"),
    # the pages as the build assembles them: CONTRIBUTING.md included by sections
    Case("docs-include", "fence-before-start", in_guide(START_NL, f"```\n{START_NL}{SCRIPT}\n```\n"), GUIDE, "element <script>"),
    Case("docs-include", "fence-open-at-end", both(in_guide(END_NL, f"```\n{END_NL}"), in_guide(START_EN, f"{START_EN}{SCRIPT}\n```\n")), GUIDE, "element <script>"),
    Case("docs-include", "page-fence-shifts", both(lambda root: replace(root, CONTRIBUTE, '--8<-- "CONTRIBUTING.md:nl"', '```\n--8<-- "CONTRIBUTING.md:nl"'), in_guide(START_NL, f"{START_NL}\n```\n{SCRIPT}\n```\n")), GUIDE, "element <script>"),
    Case("docs-include", "after-marker", in_guide(START_NL, f"{START_NL}<div id=\"__config\">{{}}</div>\n"), GUIDE, "reserves"),
    Case("docs-include", "nested-snippet", in_guide(START_NL, f'{START_NL}--8<-- "mkdocs.yml"\n'), GUIDE, "snippet"),
    Case("docs-include", "guide-symlink", guide_linked_to("/etc/passwd"), GUIDE, "symbolic link"),
    Case("docs-include", "guide-symlink-git", guide_linked_to(".git/config"), GUIDE, "symbolic link"),
    Case("docs-include", "missing-guide", lambda root: (root / GUIDE).unlink(), "docs/bijdragen.nl.md", "cannot be resolved"),
    Case("docs-include", "missing-section", in_guide(START_EN, "\n"), "docs/bijdragen.en.md", "cannot be resolved"),
    # the pages' Markdown gets the practices' check: theme names, nesting (at the line that shows it)
    Case("docs-markdown", "admonition-class", on_page('!!! md-dialog "Let op"\n    tekst'), f"{OVER}:5", "md-dialog"),
    Case("docs-markdown", "details-drawer", on_page('??? __drawer "Meer"\n    tekst'), f"{OVER}:5", "__drawer"),
    Case("docs-markdown", "heading-config", on_page("## __config"), f"{OVER}:5", "__config"),
    Case("docs-markdown", "deep-list", on_page(deep_list(30)), OVER, "nested more than"),
    Case("docs-markdown", "deep-quote", on_page("> " * 300 + "diep"), OVER, "nested more than"),
]  # fmt: skip
