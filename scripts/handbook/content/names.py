"""Names a contributor chooses: ids and file names that every checkout, page and output line can hold.

- **Reserved ids**: a practice id is a page in the practices segment (`praktijken/<id>/`), a handbook id one in
  the handbooks segment; the pages the site generates there (the catalogue `index`, `dekking`, … and the list
  of study days) are read from where they are generated (`pages.overview_pages`,
  `handbook_views.handbooks_index_pages`), so a practice named "Index" cannot take the catalogue's place.
  Names Windows reserves for devices (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with or without a suffix, in any
  case) cannot be checked out there, so no id and no file may be one of them.
- **File names** (`name_problem`, asked by `filesafety.entry_problem` for every entry under the contributed
  folders): no control, format (bidi, zero-width) or XML-refused character, none of the characters Windows
  refuses in a name, no trailing dot or space. `collisions` finds the names of one folder that are the same
  after case folding and Unicode normalisation (NFKC): one of them is lost on a case-insensitive checkout.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from handbook.messages import _
from handbook.plaintext import visible_name
from handbook.urls import GENERATED_PAGES

WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{number}" for port in ("com", "lpt") for number in [*"123456789", "¹", "²", "³"])}
)
WINDOWS_FORBIDDEN = frozenset('<>:"\\|?*')
_FORMAT_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})  # control, format (bidi, zero-width), surrogate, private use


def is_windows_device(name: str) -> bool:
    """CON, con.md, Aux.tar.gz, LPT1 …: a name Windows reserves, whatever follows its first dot."""
    return name.split(".", 1)[0].rstrip(" ").casefold() in WINDOWS_DEVICES


def reserved_id_message(identifier: str, segment: str) -> str | None:
    """Why `identifier` cannot be the id of a page in the URL segment `segment` (PRACTICES or HANDBOOKS), or None."""
    taken = GENERATED_PAGES.get(segment, frozenset())
    if folded(identifier) in {folded(name) for name in taken}:
        return _(
            "the id '{id}' is the name of a page the site makes itself ({segment}/{id}/), which this one would replace; "
            "choose another id (for example '{id}-2')",
            id=visible_name(identifier),
            segment=segment,
        )
    if is_windows_device(identifier):
        return _(
            "the id '{id}' is a name Windows reserves for a device, so the folder cannot be checked out there; choose another id",
            id=visible_name(identifier),
        )
    return None


def free_id(identifier: str, segment: str, taken: Iterable[str] = ()) -> str:
    """`identifier`, or the first of `identifier-2`, `identifier-3`, … that is neither reserved nor `taken`."""
    used = {folded(name) for name in taken}
    candidate, number = identifier, 1
    while reserved_id_message(candidate, segment) is not None or folded(candidate) in used:
        number += 1
        candidate = f"{identifier}-{number}"
    return candidate


def name_problem(name: str) -> str | None:
    """Why a file or folder may not have the name `name`, or None."""
    odd = sorted({character for character in name if unicodedata.category(character) in _FORMAT_CATEGORIES})
    if odd or visible_name(name) != name:
        codes = ", ".join(f"U+{ord(character):04X}" for character in odd) or visible_name(name)
        return _(
            "unsafe file name: it holds control or invisible characters ({codes}), which could forge an output line or hide "
            "what the name says; rename the file",
            codes=codes,
        )
    if is_windows_device(name):
        return _(
            "the name '{name}' is reserved by Windows for a device, so the repository cannot be checked out there; rename it", name=name
        )
    forbidden = sorted(WINDOWS_FORBIDDEN & set(name))
    if forbidden or name.endswith((".", " ")):
        shown = " ".join(forbidden) if forbidden else _("a dot or space at the end")
        return _("the name holds {characters}, which Windows does not allow in a file name; rename it", characters=shown)
    return None


def folded(name: str) -> str:
    """`name` as a case-insensitive, normalising file system compares it."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def collisions(names: Iterable[str]) -> dict[str, str]:
    """Each name that equals an earlier one (in sorted order) after folding → that earlier name."""
    first: dict[str, str] = {}
    found = {}
    for name in sorted(names):
        key = folded(name)
        if key in first:
            found[name] = first[key]
        else:
            first[key] = name
    return found


def collision_message(other: str) -> str:
    return _(
        "the name is the same as '{other}' apart from upper and lower case or the Unicode form, so one of them is lost on a "
        "checkout on Windows or macOS; rename one of them",
        other=visible_name(other),
    )
