"""Loading the handbook definitions: strict YAML, the typed model, and the checks against the practices.

Every problem is a `path:line` message, as for practices.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from handbook.content.handbook_model import Handbook, HandbookDefinition
from handbook.content.load import field_name, named, read_mapping, validate_model
from handbook.content.model import Practice
from handbook.content.vocabulary import Vocabularies
from handbook.messages import _
from handbook.problems import Problem


@dataclass
class LoadedHandbooks:
    handbooks: list[Handbook] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_id(self) -> dict[str, Handbook]:
        return {handbook.id: handbook for handbook in self.handbooks}


def handbook_files(handbooks_dir: Path) -> list[Path]:
    return sorted(handbooks_dir.glob("*.yml")) if handbooks_dir.is_dir() else []


def load_handbook(path: Path, vocabularies: Vocabularies, problems: list[Problem]) -> Handbook | None:
    """One definition, or None with its problems added (strict YAML, then the schema)."""
    document = read_mapping(path, problems, _("a handbook definition"))
    if document is None:
        return None
    definition = validate_model(HandbookDefinition, document, path, vocabularies, problems)
    if definition is None:
        return None
    if definition.id != path.stem:
        line = document.line_of(("id",))
        problems.append(
            Problem(
                path,
                line,
                _("field 'id': '{id}' does not match the file name '{name}'; they must be equal", id=definition.id, name=path.stem),
            )
        )
        return None
    return Handbook(definition, path, document.lines)


def load_handbooks(handbooks_dir: Path, vocabularies: Vocabularies) -> LoadedHandbooks:
    loaded = LoadedHandbooks()
    for path in handbook_files(handbooks_dir):
        handbook = load_handbook(path, vocabularies, loaded.problems)
        if handbook is not None:
            loaded.handbooks.append(handbook)
    return loaded


def check_handbooks(handbooks_dir: Path, vocabularies: Vocabularies, practices: Iterable[Practice]) -> LoadedHandbooks:
    """Load every definition and check it against the practices; for `handbook check` and the build."""
    loaded = load_handbooks(handbooks_dir, vocabularies)
    known_ids = {practice.id for practice in practices}
    handbook_ids = {path.stem for path in handbook_files(handbooks_dir)}
    for handbook in loaded.handbooks:
        loaded.problems += handbook_problems(handbook, known_ids, handbook_ids)
    loaded.problems.sort()
    return loaded


def handbook_problems(handbook: Handbook, practice_ids: set[str], handbook_ids: set[str]) -> list[Problem]:
    """What only the other files can tell: unknown practice ids and events, and a handbook without practices."""
    problems = []
    if not handbook.definition.links_practices():
        problems.append(
            Problem(handbook.path, 1, _("the handbook holds no practice: link practices from the 'programme' or add a 'selection'"))
        )
    for loc, practice_id in _practice_references(handbook.definition):
        if practice_id not in practice_ids:
            close = difflib.get_close_matches(practice_id, sorted(practice_ids), n=1, cutoff=0.6)
            message = named(
                field_name(loc),
                _("no practice with id '{id}' exists in practices/; did you mean '{hint}'?", id=practice_id, hint=close[0])
                if close
                else _("no practice with id '{id}' exists in practices/", id=practice_id),
            )
            problems.append(Problem(handbook.path, handbook.line_of(*loc), message))
    selection = handbook.definition.selection
    for index, event in enumerate(selection.events if selection else []):
        if event not in handbook_ids:
            known = ", ".join(sorted(handbook_ids))
            loc = ("selection", "events", index)
            problems.append(
                Problem(
                    handbook.path,
                    handbook.line_of(*loc),
                    named(field_name(loc), _("no handbook '{event}' in handbooks/ (known: {known})", event=event, known=known)),
                )
            )
    return problems


def _practice_references(definition: HandbookDefinition) -> list[tuple[tuple[str | int, ...], str]]:
    references: list[tuple[tuple[str | int, ...], str]] = []
    for s, session in enumerate(definition.programme):
        references += [(("programme", s, "practices", p), practice_id) for p, practice_id in enumerate(session.practices)]
        for w, workshop in enumerate(session.workshops):
            loc = ("programme", s, "workshops", w, "practices")
            references += [((*loc, p), practice_id) for p, practice_id in enumerate(workshop.practices)]
    return references
