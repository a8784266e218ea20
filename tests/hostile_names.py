"""Issue 18, output formats, ids and names: texts that would break feed.xml or a sitemap, ids that would take a
generated page's place or cannot be checked out on Windows, and file names that forge output or collide.

Each case is checked like the corpus of tests/hostile.py (a problem in `path` whose message holds `mention`);
`path` is written as `Problem.format` prints it, so a control character in a name appears escaped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from hostile import EVENT, FACTS, NL, PRACTICE, Case, event_field, file_bytes, front, replace

XML = "not allowed in a web page or feed"
GENERATED = "a page the site makes itself"
WINDOWS = "windows"
NAME = "unsafe file name"
SAME = "apart from upper and lower case"


def practice_named(new_id: str) -> Callable[[Path], None]:
    """Rename the practice alpha-praktijk (folder and id) to `new_id`."""

    def apply(root: Path) -> None:
        replace(root, FACTS, "id: alpha-praktijk", f"id: {new_id}")
        (root / PRACTICE).rename(root / "practices" / new_id)

    return apply


def handbook_named(new_id: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        replace(root, EVENT, "id: studiedag-mechelen-2015", f"id: {new_id}")
        (root / EVENT).rename(root / "handbooks" / f"{new_id}.yml")

    return apply


def copy_as(source: str, name: str) -> Callable[[Path], None]:
    return lambda root: (root / Path(source).parent / name).write_bytes((root / source).read_bytes())


FORGED = "a\npractices:1: Alles in orde.md"  # printed raw, the newline would start a line of its own

CASES: list[Case] = [
    # output formats: characters XML 1.0 and HTML refuse, in a front-matter title, a YAML escape, a study day
    Case("xml", "title-fffe", front("title", "Veilige titel \ufffe"), NL, XML),
    Case("xml", "summary-fdd0", front("summary", "Een samenvatting met een niet-teken \ufdd0 erin, lang genoeg voor de regel."), NL, XML),
    Case("xml", "title-plane-16-raw", lambda root: replace(root, NL, "title: ", "title: Titel \U0010ffff "), NL, XML),
    Case("xml", "facts-lone-surrogate", lambda root: replace(root, FACTS, "organisation: ", 'organisation: "Stad \\ud800"\n# '), FACTS, "yaml does not parse"),  # the strict reader refuses it
    Case("xml", "facts-yaml-escape", lambda root: replace(root, FACTS, "organisation: ", 'organisation: "Stad \\uFFFE"\n# '), FACTS, XML),
    Case("xml", "event-venue", event_field("venue: Congrescentrum", 'venue: "Congrescentrum \\uFDEF"\n# '), EVENT, XML),
    # ids: the generated pages of the practices and handbooks segments, Windows devices
    Case("ids", "practice-index", practice_named("index"), "practices/index/practice.yml", GENERATED),
    Case("ids", "practice-dekking", practice_named("dekking"), "practices/dekking/practice.yml", GENERATED),
    Case("ids", "practice-vertaalstatus", practice_named("vertaalstatus"), "practices/vertaalstatus/practice.yml", GENERATED),
    Case("ids", "practice-velden", practice_named("velden"), "practices/velden/practice.yml", GENERATED),
    Case("ids", "handbook-index", handbook_named("index"), "handbooks/index.yml", GENERATED),
    Case("ids", "practice-con", practice_named("con"), "practices/con", WINDOWS),
    Case("ids", "practice-nul", practice_named("nul"), "practices/nul", WINDOWS),
    Case("ids", "handbook-aux", handbook_named("aux"), "handbooks/aux.yml", WINDOWS),
    Case("ids", "docs-con-md", file_bytes("CON.md", b"# Con\n", "docs"), "docs/CON.md", WINDOWS),
    Case("ids", "practice-file-lpt1", file_bytes("Lpt1.md", b"x"), f"{PRACTICE}/Lpt1.md", WINDOWS),
    # file names: control and invisible characters, never echoed raw
    Case("names", "newline-forges-a-line", file_bytes(FORGED, b"x"), f"{PRACTICE}/a\\u000apractices:1: Alles in orde.md", NAME),
    Case("names", "escape", file_bytes("kaart\x1b[2J.md", b"x"), f"{PRACTICE}/kaart\\u001b[2J.md", NAME),
    Case("names", "bidi", file_bytes("gnp.\u202ekaart.md", b"x"), f"{PRACTICE}/gnp.\\u202ekaart.md", NAME),
    Case("names", "docs-newline", file_bytes("over\n.md", b"x", "docs"), "docs/over\\u000a.md", NAME),
    Case("names", "zero-width", file_bytes("ka\u200bart.md", b"x"), f"{PRACTICE}/ka\u200bart.md", "u+200b"),
    Case("names", "windows-colon", file_bytes("a:b.md", b"x", "docs"), "docs/a:b.md", "windows does not allow"),
    # names that are one after case folding or Unicode normalisation
    Case("same", "nl-md-upper", copy_as(NL, "NL.md"), f"{PRACTICE}/nl.md", SAME),
    Case("same", "practice-folder-case", lambda root: os.mkdir(root / "practices" / "Alpha-praktijk"), "practices/alpha-praktijk", SAME),
    Case("same", "handbook-case", copy_as(EVENT, "Studiedag-mechelen-2015.yml"), EVENT, SAME),
    Case("same", "nfd-docs", lambda root: [(root / "docs" / name).write_text("# x\n", encoding="utf-8") for name in ("caf\u00e9.nl.md", "cafe\u0301.nl.md")], "docs/caf\u00e9.nl.md", SAME),
]  # fmt: skip

KINDS = sorted({case.route for case in CASES})
