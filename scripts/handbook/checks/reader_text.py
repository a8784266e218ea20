"""Text as a reader sees it, with the offset in the source of each of its characters (for personal data).

`seen(text)` undoes what hides an address or a number from a search but not from a reader, in rounds until
nothing changes (an entity may spell a percent sign, a percent sign an entity), each pass linear:

- Unicode compatibility forms folded (NFKC, character by character: `＠`, `﹫`, fullwidth letters and digits);
- HTML entities and percent-encoding (UTF-8) decoded; `[at]`, `(dot)`, `{punt}` written as `@` and `.`, and
  the spaces around `@` removed; Markdown backslash escapes resolved (before any ASCII punctuation, as
  CommonMark does); zero-width characters, soft hyphens and variation selectors removed; every Unicode
  space a plain space;
- soft line breaks joined: a line break followed by more text of the paragraph becomes a space.

`without_markup` takes out inline markup as well (tags, emphasis and code marks), what rendering takes out.

`visible_text(html)` is the text of rendered HTML: tags stripped, entities resolved, blocks apart, and the
addresses of `href` and `src` (and `title`, `alt`) as lines of their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from html import unescape
from html.parser import HTMLParser

Mapped = tuple[str, list[int]]  # a text and, for each of its characters (and its end), an offset in the source

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# `naam [at] stad (dot) be`, `naam @ stad.be`: the spaces go too (a run of spaces is entered at its start only).
_SPOKEN_SIGN = re.compile(r"(?<![ \t])[ \t]*[\[({<][ \t]*(at|@|dot|punt)[ \t]*[\])}>][ \t]*", re.IGNORECASE)
_SPACED_AT = re.compile(r"(?<![ \t])[ \t]+@[ \t]*|@[ \t]+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\ufeff\U000e0000-\U000e007f]")
_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_SOFT_BREAK = re.compile(r"(?<=[^\n])\n(?=[ \t]{0,3}[^\W_(])")
_ROUNDS = 4
# What a pass needs to find anything; a text without it skips the pass (the patterns that may start with
# spaces are slow to search: every space is a possible start).
_SPOKEN_HINT = re.compile(r"[\[({<][ \t]*(?:at|@|dot|punt)[ \t]*[\])}>]", re.IGNORECASE)
_NEEDS: dict[re.Pattern[str], Callable[[str], bool]] = {
    _ENTITY: lambda text: "&" in text,
    _PERCENT: lambda text: "%" in text,
    _SPOKEN_SIGN: lambda text: _SPOKEN_HINT.search(text) is not None,
    _SPACED_AT: lambda text: "@" in text,
    _ESCAPE: lambda text: "\\" in text,
}
# Inline markup a reader does not see: a tag, a code or emphasis mark (`_` only at a word's edge: `jan_peeters`).
_MARKUP = re.compile(r"<[A-Za-z/!?][^<>]{0,500}>|[*`]+|(?<![^\W_])_+|_+(?![^\W_])")


@cache
def _folded(character: str) -> str:
    return unicodedata.normalize("NFKC", character)


def _percent_decoded(encoded: str) -> str:
    data = bytes.fromhex(encoded.replace("%", ""))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # keep what is not UTF-8, decode the ASCII bytes
        return "".join(chr(byte) if byte < 0x80 else f"%{byte:02X}" for byte in data)


def _spoken(match: re.Match[str]) -> str:
    return "@" if match.group(1).lower() in ("at", "@") else "."


_PASSES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_NON_ASCII, lambda match: _folded(match.group())),
    (_ENTITY, lambda match: unescape(match.group())),
    (_PERCENT, lambda match: _percent_decoded(match.group())),
    (_SPOKEN_SIGN, _spoken),
    (_SPACED_AT, lambda match: "@"),
    (_ESCAPE, lambda match: match.group(1)),
    (_INVISIBLE, lambda match: ""),
    (_SPACE, lambda match: " "),
    (_SOFT_BREAK, lambda match: " "),
)


def substituted(mapped: Mapped, pattern: re.Pattern[str], replacement: Callable[[re.Match[str]], str]) -> Mapped:
    """`mapped` with each match of `pattern` replaced; a replacement's characters point where the match began."""
    text, offsets = mapped
    parts: list[str] = []
    new_offsets: list[int] = []
    position = 0
    for match in pattern.finditer(text):
        new = replacement(match)
        if new == match.group():
            continue
        start, end = match.span()
        parts.append(text[position:start])
        new_offsets.extend(offsets[position:start])
        parts.append(new)
        new_offsets.extend([offsets[start]] * len(new))
        position = end
    if not parts:
        return mapped
    parts.append(text[position:])
    new_offsets.extend(offsets[position:])
    return "".join(parts), new_offsets


def without_markup(mapped: Mapped) -> Mapped:
    """`mapped` without inline markup: tags and emphasis and code marks removed (`jan.<b>peeters</b>@…`,
    `jan.*peeters*@…`, `` `jan`@… ``)."""
    return substituted(mapped, _MARKUP, lambda match: "")


def seen(text: str) -> Mapped:
    """`text` as a reader sees it, and the offset in `text` of each character of the result (see above)."""
    mapped: Mapped = (text, list(range(len(text) + 1)))
    for _round in range(_ROUNDS):
        before = mapped[0]
        for pattern, replacement in _PASSES:
            needs = _NEEDS.get(pattern)
            if (pattern is not _NON_ASCII or not mapped[0].isascii()) and (needs is None or needs(mapped[0])):
                mapped = substituted(mapped, pattern, replacement)
        if mapped[0] == before:
            break
    return mapped


_BLOCKS = frozenset(("address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"))  # fmt: skip
_SHOWN_ATTRIBUTES = ("href", "src", "title", "alt")


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        for name, value in attrs:
            if name in _SHOWN_ATTRIBUTES and value:
                self.parts.append(f"\n\n{value}\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of `html` as a reader sees it (see the module's description)."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)
