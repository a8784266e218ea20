"""Plain-text fields: no markup, control or bidi characters; control characters escaped for terminals and bots.

A plain-text field (a title, a summary, a label, a venue, a name) is printed by templates as text. It may
not hold `<` or `>` (markup), C0 control characters other than tab and newline, DEL, C1 control characters,
or the bidirectional controls U+202A–U+202E and U+2066–U+2069, which make text read differently from
how it is stored. `plain_text_messages` says why a value is refused; `visible` shows any text safely
on a terminal or in a bot's comment (control and bidi characters as `\\u` escapes), and `fenced` puts
contributor text in a Markdown code fence longer than any backtick run in it (`python -m handbook.plaintext`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from handbook.messages import _

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# C0 (except tab and newline), DEL, C1, and the bidi controls: never printed raw.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # CR ends lines too
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


def control_messages(text: str) -> list[tuple[int, str]]:
    """(offset, message) of the first control or bidi character in a longer text (Markdown, YAML)."""
    match = _CONTROL_IN_FILE.search(text)
    if match is None:
        return []
    character = match.group()
    code = f"U+{ord(character):04X}"
    if character in BIDI_CONTROLS:
        return [(match.start(), _("unsafe content: bidirectional control character {code} is not allowed in contributed text; remove it", code=code))]
    return [(match.start(), _("unsafe content: control character {code} is not allowed in contributed text; remove it", code=code))]


def visible(text: str) -> str:
    """`text` with every control and bidi character written as an escape, for terminals and bot comments."""
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


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
