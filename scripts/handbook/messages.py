"""The language of the messages for contributors (`handbook check`, the build's content problems): Dutch or English.

The message catalogue is gettext, read with Babel: the English text in the code is the message id, the
Dutch text is in `locale/nl/LC_MESSAGES/handbook.po`, the one source of translations. The `.po` file is
compiled in memory when first needed (no compiled `.mo` file is kept in the repository), so a fresh clone
with `pip install -r requirements.txt` speaks Dutch.

The language is, in this order: the one chosen with `use_language` (`handbook check --lang nl|en`), the
environment variable `HANDBOOK_LANG`, then the first of `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` that is
set: Dutch for `nl*`, English otherwise. An unset locale, `C` or `POSIX` (as on many servers and in CI)
gives Dutch, the language of the handbook's contributors.

Messages are written `_("field '{name}': ...", name=name)`: the id keeps its `{placeholders}` and is
formatted after translation. `ngettext(singular, plural, count)` picks the form for `count`. `N_` marks a text
that is translated later (pydantic error templates).
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Mapping
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from handbook.urls import DEFAULT_LANGUAGE, LANGUAGES  # also of the messages: an unset locale gives the default, Dutch

SOURCE_LANGUAGE = "en"  # the message ids; a catalogue per other language
DOMAIN = "handbook"
LOCALE_DIR = Path(__file__).parent / "locale"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """`nl` or `en` from `HANDBOOK_LANG`, else the locale variables (see the module's description)."""
    environ = os.environ if environ is None else environ
    return _language_of(tuple(environ.get(variable, "") for variable in ("HANDBOOK_LANG", *LOCALE_VARIABLES)))


@functools.lru_cache(maxsize=64)
def _language_of(values: tuple[str, ...]) -> str:
    """The language of `HANDBOOK_LANG` and the locale variables' values, in that order: every message asks (at
    1,000 practices a build asks 54,000 times; reading the values is cheap, judging them took 2.6 s in the profile)."""
    explicit, *locale = values
    if explicit.strip().lower() in LANGUAGES:
        return explicit.strip().lower()
    for value in (value.strip() for value in locale):
        if not value:
            continue
        first = value.split(":")[0].strip()  # LANGUAGE is a list of preferences: nl_BE:nl:en
        if first in ("C", "POSIX") or first.startswith(("C.", "POSIX.")):
            return DEFAULT_LANGUAGE
        return next((code for code in LANGUAGES if first.lower().startswith(code)), SOURCE_LANGUAGE)
    return DEFAULT_LANGUAGE


def use_language(language: str | None) -> None:
    """Choose the language of the messages (`None`: from the environment again)."""
    global _chosen
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    _chosen = language


def current_language() -> str:
    return _chosen or language_from_environment()


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (English: the message ids themselves)."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _(message: str, /, **values: object) -> str:
    """`message` in the current language, with its `{placeholders}` filled in."""
    return gettext_in(current_language(), message, **values)


def ngettext(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The singular or plural message for `count` in the current language, with `{count}` and `values` filled in."""
    return translations(current_language()).ngettext(singular, plural, count).format(count=count, **values)


def N_(message: str) -> str:
    """Mark `message` for the catalogue; it is translated later, where it is shown."""
    return message


def gettext_in(language: str, message: str, /, **values: object) -> str:
    """`message` in `language`, whatever the current language is."""
    text = translations(language).gettext(message) if message else message
    return text.format(**values) if values else text


def field_message(name: str, message: str) -> str:
    """A message about one field: `field 'name': message`."""
    return _("field '{name}': {message}", name=name, message=message)
