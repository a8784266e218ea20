"""The message catalogue's maintenance: `python -m handbook.dev.catalogue_tool` lists what the Dutch catalogue
lacks or keeps needlessly (the message ids of the code against `locale/nl/LC_MESSAGES/handbook.po`).

To add messages: write them in the code as `_("...")` (or `N_`), run `pybabel extract -F
scripts/handbook/locale/babel.cfg -o /tmp/handbook.pot scripts/handbook`, then `pybabel update -i
/tmp/handbook.pot -d scripts/handbook/locale -D handbook -l nl --no-fuzzy-matching` and translate the new
entries in the `.po` file. Nothing needs compiling: `messages.py` reads the `.po` file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from handbook.messages import catalogue_path

PACKAGE = Path(__file__).resolve().parents[1]  # the handbook package, whose every module holds messages
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


MessageId = str | tuple[str, ...]  # a message, or its singular and plural (`ngettext`)


def code_messages() -> dict[MessageId, str]:
    """Every message id in the package's code, with the first place it is written."""
    found: dict[MessageId, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(str(PACKAGE), [("**.py", "python")]):
        key = message if isinstance(message, str) else tuple(part for part in message if part)
        if key:
            found.setdefault(key, f"{filename}:{line}")
    return found


def _placeholders(text: MessageId) -> set[str]:
    return {name for part in ([text] if isinstance(text, str) else text) for name in _PLACEHOLDER.findall(part or "")}


def catalogue_problems(language: str = "nl") -> list[str]:
    """Message ids without a translation, translations of ids the code no longer has, and translations
    with a placeholder their id does not have (a translation may leave one out)."""
    with catalogue_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    code = code_messages()
    translated: dict[MessageId, Any] = {
        message.id if isinstance(message.id, str) else tuple(message.id): message for message in catalog if message.id
    }
    problems = [
        f"{where}: no {language} translation of {message!r}"
        for message, where in code.items()
        if message not in translated
        or not all([translated[message].string] if isinstance(translated[message].string, str) else translated[message].string)
    ]
    problems += [f"{catalogue_path(language)}: stale entry {message!r} (not in the code)" for message in translated if message not in code]
    problems += [f"{catalogue_path(language)}: obsolete entry {message.id!r}" for message in catalog.obsolete.values()]
    for message_id, message in translated.items():
        if message.fuzzy:
            problems.append(f"{catalogue_path(language)}: fuzzy entry {message_id!r}")
        if not _placeholders(message.string) <= _placeholders(message_id):
            problems.append(f"{catalogue_path(language)}: the translation of {message_id!r} has a placeholder the id does not have")
    return problems


def main() -> int:
    problems = catalogue_problems()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
