"""Limits on contributed Markdown, checked in one linear pass before anything renders it.

Python-Markdown recurses once per nesting level (a list nested 260 deep raises RecursionError in the
build) and is slower than linear on some texts: its block parser splits a block at every line that
starts something new and puts the rest back, its inline patterns search to the end of a paragraph from
every mark that does not match, and its footnote, heading-id and fence handling compare each occurrence
with all earlier ones. So a text is refused, with the line and what to do, when

- a line is nested more than `MAX_DEPTH` levels deep (lists, block quotes, admonitions and details:
  each 4 columns of indentation, each `>` and each list marker at the start of a line is a level);
- it holds more than `MAX_MARKS` Markdown marks (the characters in `MARKS`, and each line that starts
  with one of `BLOCK_STARTS`: a list item, a quote, a fence, a rule), more than `MAX_TAGS` tags, more than
  `MAX_OPENERS` lines that start a heading, a fence or an admonition, or more than `MAX_FOOTNOTE_REFERENCES`
  footnote references: every real text stays far below these;
- Python-Markdown's HTML parser reads more than `MAX_TAG_SCAN` characters for its start tags (`tag_scan`);
- its blocks (lines between blank lines) are long and dense: the sum, over the blocks, of a block's
  length times its backticks, its lines that start a block and its lines' nesting, plus `BRACKET_WEIGHT` times how far the link patterns read
  from its square brackets (`bracket_scan`), is above `MAX_WORK`, the bound on the splitting and searching above.

The limits are far above what the practices and pages hold (measured by a test) and keep the slowest
text built against them (tests/test_trust_markdown.py) well under a second.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown import htmlparser as markdown_html

from handbook.messages import _

MAX_DEPTH = 20
MARKS = frozenset("`*_[]!&#|~^{}\\")  # angle brackets are measured by `tag_scan` and `MAX_TAGS`
BLOCK_STARTS = frozenset("#>-*+!?:|_~`{[=0123456789")  # a line starting with one may start a new block
MAX_MARKS = 6_000
MAX_OPENERS = 300
MAX_FOOTNOTE_REFERENCES = 300
MAX_WORK = 5_000_000
MAX_TAG_SCAN = 200_000
MAX_TAGS = 10_000  # start tags
BRACKET_WEIGHT = 20  # a character read from a `[` costs about 20 times one of the other work

_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_MARK = re.compile("[" + re.escape("".join(sorted(MARKS))) + "]")
_TAG_OPEN = re.compile(r"<[a-zA-Z]")
_START_TAG: re.Pattern[str] = markdown_html.htmlparser.locatestarttagend_tolerant  # type: ignore[attr-defined]  # how far Python-Markdown's HTML parser reads a start tag
_OPENER = re.compile(r"[ \t]*(?:#|```|~~~|!!!|\?\?\?)")


@dataclass(frozen=True)
class Limit:
    """A limit a text goes over: the 0-based line it is seen on, what, and how to fix it."""

    index: int
    what: str
    advice: str


def depth(line: str) -> int:
    """The nesting level of a line: 4 columns of indentation, a `>` or a list marker is one level each."""
    level, columns, position = 0, 0, 0
    while True:
        while position < len(line) and line[position] in " \t":
            columns += 4 - columns % 4 if line[position] == "\t" else 1
            position += 1
        match = _CONTAINER.match(line, position)
        if match is None:
            return level + columns // 4
        level += columns // 4 + 1
        columns = 0  # what follows a marker is indented relative to it
        position = match.end()


def _too_deep(index: int) -> Limit:
    return Limit(
        index,
        _("this line is nested more than {limit} levels deep (lists, quotes, admonitions or indentation)", limit=MAX_DEPTH),
        _("write it with fewer levels: a list or quote inside another one more than a few levels deep cannot be read"),
    )


def _too_dense(index: int) -> Limit:
    return Limit(
        index,
        _("from this paragraph on, the text is too long and too dense in Markdown marks to be checked in reasonable time"),
        _("split long paragraphs with blank lines, or write fewer backticks, brackets, asterisks or angle brackets"),
    )


def _too_many(index: int, kind: str) -> Limit:
    if kind == "marks":
        what = _(
            "the text holds more than {limit} Markdown marks (backticks, asterisks, brackets, list items and the like)",
            limit=MAX_MARKS,
        )
    elif kind == "tags":
        what = _("the text holds more than {limit} HTML start tags", limit=MAX_TAGS)
    elif kind == "openers":
        what = _("the text holds more than {limit} headings, fences and admonitions", limit=MAX_OPENERS)
    else:
        what = _("the text holds more than {limit} footnote references", limit=MAX_FOOTNOTE_REFERENCES)
    return Limit(index, what, _("shorten the text or split it over several practices; no real text comes near this"))


def bracket_scan(block: str) -> int:
    """How far Python-Markdown reads for the square brackets of a block: from each `[` to its matching `]`,
    or to the end of the block when it has none (each link pattern reads that far from every `[`)."""
    total, opened = 0, []
    for position, character in enumerate(block):
        if character == "[":
            opened.append(position)
        elif character == "]" and opened:
            total += position - opened.pop()
    return total + sum(len(block) - start for start in opened)


def tag_scan(text: str, cap: int = MAX_TAG_SCAN) -> tuple[int, int]:
    """How far Python-Markdown's HTML parser reads for the start tags of the whole text (a `<b ` with no `>`
    reads everything after it as attributes), and the offset where the total passes `cap` (-1 if it never does).
    Measured with the parser's own pattern, stopping at `cap`, so linear too."""
    total = 0
    for match in _TAG_OPEN.finditer(text):
        end = _START_TAG.match(text, match.start())
        total += (end.end() if end else match.end()) - match.start()
        if total > cap:
            return total, match.start()
    return total, -1


@lru_cache(maxsize=32)
def limits(text: str) -> tuple[Limit, ...]:
    """Every limit `text` goes over (cached: the check and the renderer both ask), each once (a too-deep line once per block), in one pass over its lines."""
    found: list[Limit] = []
    totals = {"marks": 0, "openers": 0, "footnotes": 0, "work": 0}
    bounds = {"marks": MAX_MARKS, "openers": MAX_OPENERS, "footnotes": MAX_FOOTNOTE_REFERENCES, "work": MAX_WORK}
    block_start, block_units, block_depth, deep_block = 0, 0, 0, -1
    block_lines: list[str] = []

    def add(kind: str, added: int, index: int) -> None:
        before = totals[kind]
        totals[kind] = before + added
        if before <= bounds[kind] < totals[kind]:
            found.append(_too_dense(index) if kind == "work" else _too_many(index, kind))

    for index, line in enumerate([*text.split("\n"), ""]):
        if not line.strip():
            if block_lines:
                block = "\n".join(block_lines)
                add("work", len(block) * block_units + BRACKET_WEIGHT * (bracket_scan(block) if "[" in block else 0), block_start)
            block_start, block_lines, block_units, block_depth = index + 1, [], 0, 0
            continue
        starts_block = 1 if line.lstrip()[0] in BLOCK_STARTS else 0
        line_marks = len(_MARK.findall(line)) + starts_block
        level = depth(line)
        block_depth = max(block_depth, level)
        block_lines.append(line)
        # what is read again and again within a block: from each backtick run to the end (a code span
        # that does not close), the rest of the block after each line that starts a new one, every container
        block_units += line.count("`") + starts_block + block_depth
        if deep_block != block_start and level > MAX_DEPTH:
            deep_block = block_start
            found.append(_too_deep(index))
        add("marks", line_marks, index)
        add("openers", 1 if _OPENER.match(line) else 0, index)
        add("footnotes", line.count("[^"), index)
    tags = list(itertools.islice(_TAG_OPEN.finditer(text), MAX_TAGS, MAX_TAGS + 1))
    if tags:
        found.append(_too_many(text.count("\n", 0, tags[0].start()), "tags"))
    if "<" in text:
        _total, offset = tag_scan(text)
        if offset >= 0:
            found.append(
                Limit(
                    text.count("\n", 0, offset),
                    _(
                        "from this line on, the text holds so many unclosed tags ('<' followed by a letter, without '>') that it cannot be checked in reasonable time"
                    ),
                    _("close each tag with '>', or write '&lt;' for a '<' that is not a tag"),
                )
            )
    return tuple(found)
