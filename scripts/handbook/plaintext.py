"""Plain-text fields: no markup, control or bidi characters; control characters escaped for terminals and bots.

A plain-text field (a title, a summary, a label, a venue, a name) is printed by templates as text. It may
not hold `<` or `>` (markup), C0 control characters other than tab and newline, DEL, C1 control characters,
the bidirectional controls U+202A–U+202E and U+2066–U+2069, which make text read differently from
how it is stored, or a character XML 1.0 and HTML refuse (lone surrogates, the noncharacters U+FDD0–U+FDEF
and U+xFFFE, U+xFFFF of every plane: the feed and the sitemaps must stay well-formed). `plain_text_messages`
and `control_messages` (for a whole file) say why a text is refused; `visible` shows any text safely on a
terminal or in a bot's comment (control and bidi characters as `\\u` escapes), `visible_name` a file name on
one line (newline and tab escaped too), and `fenced` puts contributor text in a Markdown code fence longer
than any backtick run in it (`python -m handbook.plaintext`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from handbook.messages import _

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters XML 1.0 and HTML do not allow in a document: lone surrogates, the noncharacters U+FDD0-U+FDEF
# and U+xFFFE, U+xFFFF of every plane (one of them in a title makes feed.xml not well-formed).
NOT_IN_XML = "\ud800-\udfff\ufdd0-\ufdef" + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
_NOT_IN_XML = re.compile(f"[{NOT_IN_XML}]")
# C0 (except tab and newline), DEL, C1, the bidi controls and what XML refuses: never printed raw.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069{NOT_IN_XML}]")
_CONTROL_IN_FILE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069{NOT_IN_XML}]")  # CR ends lines too
# In a name on one line (a file name, a path) every control character is escaped, newline and tab too.
_CONTROL_IN_NAME = re.compile(f"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069{NOT_IN_XML}]")
_MARKUP = re.compile("[<>]")


def _names(characters: set[str]) -> str:
    return ", ".join(f"U+{ord(character):04X}" for character in sorted(characters))


def plain_text_messages(value: str) -> list[str]:
    """Why `value` is not plain text; empty if it is."""
    messages = []
    if _MARKUP.search(value):
        messages.append(
            _(
                "unsafe content: '<' and '>' are not allowed in a plain-text field (they could start HTML); "
                "write the words instead (for example 'less than')"
            )
        )
    controls = set(_CONTROL.findall(value))
    bidi = controls & BIDI_CONTROLS
    not_in_xml = set(_NOT_IN_XML.findall(value))
    controls -= not_in_xml
    if not_in_xml:
        messages.append(_not_in_xml_message(not_in_xml))
    if controls - bidi:
        messages.append(_("unsafe content: control characters ({names}) are not allowed; remove them", names=_names(controls - bidi)))
    if bidi:
        messages.append(
            _(
                "unsafe content: bidirectional control characters ({names}) make text read differently from how it is stored; remove them",
                names=_names(bidi),
            )
        )
    return messages


def _not_in_xml_message(characters: set[str]) -> str:
    return _(
        "unsafe content: the characters {names} are not allowed in a web page or feed (noncharacters or lone surrogates); remove them",
        names=_names(characters),
    )


def control_messages(text: str) -> list[tuple[int, str]]:
    """(offset, message) of the first control or bidi character in a longer text (Markdown, YAML)."""
    match = _CONTROL_IN_FILE.search(text)
    if match is None:
        return []
    character = match.group()
    code = f"U+{ord(character):04X}"
    if _NOT_IN_XML.match(character):
        return [(match.start(), _not_in_xml_message({character}))]
    if character in BIDI_CONTROLS:
        return [
            (
                match.start(),
                _("unsafe content: bidirectional control character {code} is not allowed in contributed text; remove it", code=code),
            )
        ]
    return [(match.start(), _("unsafe content: control character {code} is not allowed in contributed text; remove it", code=code))]


def visible(text: str) -> str:
    """`text` with every control and bidi character written as an escape, for terminals and bot comments."""
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def visible_name(name: str) -> str:
    """A file name or path for one line of output: every control character escaped, newline and tab included."""
    return _CONTROL_IN_NAME.sub(lambda match: f"\\u{ord(match.group()):04x}", name)


def longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def fenced(text: str, info: str = "") -> str:
    """`text` in a Markdown code fence longer than any backtick run in it (so it cannot close the fence)."""
    fence = "`" * max(3, longest_backtick_run(text) + 1)
    return f"{fence}{info}\n{visible(text)}\n{fence}"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m handbook.plaintext FILE`: print FILE fenced for a Markdown comment (the from-issue workflow)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) != 1:
        print("usage: python -m handbook.plaintext FILE", file=sys.stderr)
        return 2
    print(fenced(Path(arguments[0]).read_text(encoding="utf-8", errors="replace").rstrip("\n"), "text"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
