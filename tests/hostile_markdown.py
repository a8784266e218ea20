"""Hostile Markdown and YAML of issue 18: reserved names in bodies without markup characters, nesting
that made Python-Markdown or PyYAML recurse too deep, and texts built to make rendering slow.

Each case is refused by `handbook check` (and so by the build) with a message in `path` that holds
`mention`. The slow-but-legal inputs (no limit crossed) are in tests/test_trust_markdown.py, timed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hostile import EN, EVENT, FACTS, NL, VOCABULARIES, Case, body, introduction, replace


def append(file: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / file
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text + "\n", encoding="utf-8")

    return apply


def deep_list(levels: int) -> str:
    return "".join("    " * level + "- niveau\n" for level in range(levels))


def deep_admonitions(levels: int) -> str:
    return "".join("    " * level + "!!! note\n" for level in range(levels)) + "    " * levels + "tekst"


RESERVED = "reserves"
NESTED = "nested more than"

CASES: list[Case] = [
    # the theme's ids and classes in a body without '<', '{', '[' or ']' (the check used not to render it)
    Case("reserved", "details-drawer", body('??? __drawer md-dialog md-dialog--active "Melding"\n    Tekst.'), NL, RESERVED),
    Case("reserved", "heading-config", body("### __config"), NL, RESERVED),
    Case("reserved", "heading-search", body("## __search"), NL, RESERVED),
    Case("reserved", "admonition-typeset", body("!!! md-typeset\n    Tekst."), NL, RESERVED),
    Case("reserved", "admonition-extra-class", body('!!! note md-dialog "Let op"\n    Tekst.'), NL, RESERVED),
    Case("reserved", "heading-consent", body("#### __consent", EN), EN, RESERVED),
    Case("reserved", "mermaid-class", body('<div class="mermaid">graph TD; A--&gt;B</div>'), NL, "mermaid"),
    Case("reserved", "mermaid-attr-list", body("Schema.\n{: .mermaid }"), NL, "mermaid"),
    Case("reserved", "mermaid-heading-id", body("## Schema {#Mermaid}"), NL, "mermaid"),
    Case("reserved", "handbook-id-heading", body("## hb search"), NL, RESERVED),  # toc id hb-search: the search script reads it
    Case("reserved", "handbook-id-attr", body("## Lijst {#hb-list}"), NL, RESERVED),
    Case("reserved", "intro-heading", introduction("### __drawer"), EVENT, RESERVED),
    # nesting: a clear message, never a RecursionError
    Case("nesting", "list-30", body(deep_list(30)), NL, NESTED),
    Case("nesting", "quote-300", body("> " * 300 + "diep"), NL, NESTED),
    Case("nesting", "admonitions-30", body(deep_admonitions(30)), NL, NESTED),
    Case("nesting", "markers-one-line", body("- " * 100 + "diep"), NL, NESTED),
    Case("nesting", "intro-list", introduction(deep_list(25)), EVENT, NESTED),
    Case("nesting", "yaml-flow-600", append(FACTS, "extra: " + "[" * 600 + "]" * 600), FACTS, NESTED),
    Case("nesting", "yaml-flow-mapping", append(EVENT, "extra: " + "{a: " * 40 + "1" + "}" * 40), EVENT, NESTED),
    Case("nesting", "yaml-block", append(FACTS, "".join("  " * level + f"k{level}:\n" for level in range(40)) + "  " * 40 + "v: 1"), FACTS, NESTED),
    Case("nesting", "yaml-front-matter", lambda root: replace(root, NL, "---\n", "---\nextra: " + "[" * 50 + "]" * 50 + "\n"), NL, NESTED),
    Case("nesting", "yaml-vocabularies", append(VOCABULARIES, "x_deep: " + "[" * 100 + "]" * 100 + "\n"), VOCABULARIES, NESTED),
    Case("nesting", "yaml-event-block", append(EVENT, "".join("  " * level + f"k{level}:\n" for level in range(30)) + "  " * 30 + "- v"), EVENT, NESTED),
    # inputs built to be slow: refused by a limit, with the line, before anything renders them
    Case("slow", "unclosed-tags", body("<b \n\n" * 2000 + " a" * 20000), NL, "unclosed tags"),
    Case("slow", "open-brackets", body("[" * 3000), NL, "too dense"),
    Case("slow", "backtick-pairs", body("``a`" * 3000), NL, "markdown marks"),
    Case("slow", "footnote-references", body("[^1]" * 400 + "\n\n[^1]: Voetnoot."), NL, "footnote references"),
    Case("slow", "many-fences", body("```\na\n```\n\n" * 400), NL, "headings, fences and admonitions"),
    Case("slow", "intro-brackets", introduction("[" * 3000), EVENT, "too dense"),
]  # fmt: skip
