"""Load practices from `practices/<id>/`: strict YAML, typed models, and every problem with its line.

Loading never stops at the first problem and never raises for bad content: a practice with problems
is left out of the result and its problems are reported, so a caller can fail with all of them.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from handbook import yaml_reader
from handbook.model import LANGUAGE_NEUTRAL_FIELDS, Practice, PracticeFacts, PracticeText, Translation
from handbook.problems import Problem
from handbook.urls import LANGUAGES
from handbook.vocabulary import Vocabularies

FACTS_FILE = "practice.yml"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif"})  # SVG is refused: see filesafety.py
Model = TypeVar("Model", bound=BaseModel)


@dataclass
class Loaded:
    practices: list[Practice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    declared_ids: list[tuple[str, Path, int]] = field(default_factory=list)  # every id read, valid or not


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text, or None with a problem when it is empty or not UTF-8."""
    data = path.read_bytes()
    if not data.strip():
        problems.append(Problem(path, 1, "the file is empty"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        snippet = data[max(0, error.start - 10) : error.start + 10]
        problems.append(Problem(path, line, f"the file is not valid UTF-8 (byte {error.start}, near {snippet!r}); save it as UTF-8"))
        return None


def revision_of(text: PracticeText, body: str) -> str:
    """A short digest of what a translation is made from: title, summary and body."""
    normalised = "\n".join(line.rstrip() for line in body.strip().splitlines())
    digest = hashlib.sha256(f"{text.title}\n{text.summary}\n{normalised}".encode())
    return digest.hexdigest()[:12]


def practice_folders(practices_dir: Path) -> list[Path]:
    return sorted(path for path in practices_dir.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))


def load_practices(practices_dir: Path, vocabularies: Vocabularies) -> Loaded:
    loaded = Loaded()
    for folder in practice_folders(practices_dir):
        practice = load_practice(folder, vocabularies, loaded)
        if practice is not None:
            loaded.practices.append(practice)
    return loaded


def load_practice(folder: Path, vocabularies: Vocabularies, loaded: Loaded) -> Practice | None:
    problems = loaded.problems
    before = len(problems)
    facts_path = folder / FACTS_FILE
    facts: PracticeFacts | None = None
    document: yaml_reader.Document | None = None
    if not facts_path.is_file():
        problems.append(Problem(folder, 1, f"practice folder without {FACTS_FILE}: add it (see `handbook new`)"))
    else:
        document = read_mapping(facts_path, problems, FACTS_FILE)
        if document is not None:
            declared = document.data.get("id")
            if isinstance(declared, str):
                loaded.declared_ids.append((declared, facts_path, document.line_of(("id",))))
            facts = validate_model(PracticeFacts, document, facts_path, vocabularies, problems)
    translations: dict[str, Translation] = {}
    for path in sorted(folder.iterdir()):
        if path.name == FACTS_FILE or path.suffix.lower() in IMAGE_SUFFIXES or path.is_dir():
            continue
        if path.suffix == ".md" and path.stem in LANGUAGES:
            translation = _load_translation(path, facts, vocabularies, problems)
            if translation is not None:
                translations[translation.language] = translation
        else:
            allowed = ", ".join(f"{language}.md" for language in LANGUAGES)
            problems.append(Problem(path, 1, f"unexpected file in a practice folder; allowed: {FACTS_FILE}, {allowed} and images"))
    if not any((folder / f"{language}.md").is_file() for language in LANGUAGES):
        problems.append(Problem(folder, 1, "practice folder without text: add nl.md, en.md or both"))
    if facts is not None and document is not None and facts.id != folder.name:
        line = document.line_of(("id",))
        problems.append(
            Problem(facts_path, line, f"field 'id': '{facts.id}' does not match the folder name '{folder.name}'; they must be equal")
        )
    if len(problems) > before or facts is None or document is None:
        return None
    return Practice(facts=facts, translations=translations, folder=folder, facts_lines=document.lines)


def read_mapping(path: Path, problems: list[Problem], what: str) -> yaml_reader.Document | None:
    """A YAML file that must hold a mapping, read strictly; None with its problem otherwise."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        document = yaml_reader.load(text)
    except yaml_reader.YamlError as error:
        problems.append(Problem(path, error.line, error.message))
        return None
    if not isinstance(document.data, dict):
        problems.append(Problem(path, 1, f"{what} must be a mapping of 'field: value' lines"))
        return None
    return document


def _load_translation(path: Path, facts: PracticeFacts | None, vocabularies: Vocabularies, problems: list[Problem]) -> Translation | None:
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        split = yaml_reader.split_front_matter(text)
    except yaml_reader.YamlError as error:
        problems.append(Problem(path, error.line, error.message))
        return None
    front_matter = split.front_matter
    neutral = [key for key in front_matter.data if key in LANGUAGE_NEUTRAL_FIELDS]
    for key in neutral:
        line = front_matter.line_of((key,))
        written = getattr(facts, key, None) if facts is not None else None
        if facts is not None and written is not None and written != front_matter.data[key]:
            problems.append(
                Problem(
                    path,
                    line,
                    f"field '{key}' contradicts {FACTS_FILE} ({written!r}); language-neutral facts are written once, in {FACTS_FILE}",
                )
            )
        else:
            problems.append(
                Problem(path, line, f"field '{key}' is language-neutral: write it once in {FACTS_FILE}, not in a language file")
            )
    data = {key: value for key, value in front_matter.data.items() if key not in LANGUAGE_NEUTRAL_FIELDS}
    front_matter.data = data
    practice_text = validate_model(PracticeText, front_matter, path, vocabularies, problems)
    if practice_text is None or neutral:
        return None
    return Translation(
        language=path.stem,
        text=practice_text,
        body=split.body,
        body_line=split.body_line,
        path=path,
        revision=revision_of(practice_text, split.body),
    )


def validate_model(
    model: type[Model],
    document: yaml_reader.Document,
    path: Path,
    vocabularies: Vocabularies,
    problems: list[Problem],
) -> Model | None:
    try:
        return model.model_validate(document.data, context={"vocabularies": vocabularies})
    except ValidationError as error:
        problems.extend(schema_problems(model, error.errors(), document, path))
        return None


def schema_problems(model: type[BaseModel], errors: Iterable[Any], document: yaml_reader.Document, path: Path) -> list[Problem]:
    """Turn pydantic's errors into `path:line: message` problems that name the field and what is allowed."""
    problems = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "years":
            loc = ("end_year",)
        context = error.get("ctx") or {}
        field = context.get("field")
        if isinstance(field, str):  # a whole-model rule names the field it is about (model.field_error)
            loc += tuple(int(part) if part.isdigit() else part for part in field.split("."))
        at = loc
        if loc not in document.lines and isinstance(context.get("at"), str):  # a missing field: show the line that asks for it
            at = (*loc[:-1], context["at"])
        name = dotted(loc) or "(front matter)"
        kind = error["type"]
        if kind == "missing":
            described = _description(model, loc)
            message = f"missing required field '{name}'" + (f": {described}" if described else "")
        elif kind == "extra_forbidden":
            siblings = _field_names(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), siblings, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            message = f"unknown field '{name}'{hint} (allowed here: {', '.join(siblings)})"
        elif kind == "model_type" and _field_names(model, loc):
            message = f"field '{name}': write a mapping with the fields {', '.join(_field_names(model, loc))}"
        elif kind == "too_short" and _vocabulary_of(model, loc):
            allowed = f"keys of the vocabulary '{_vocabulary_of(model, loc)}' in practices/vocabularies.yml"
            message = f"field '{name}': give at least one value ({allowed})"
        elif loc in document.retyped and kind == "string_type":  # quoting helps only where text is expected
            retyped = document.retyped[loc]
            message = (
                f"field '{name}': YAML reads {retyped.text} as {retyped.read_as}, not as text; "
                f'put it in quotes ("{retyped.text}") or correct it ({error["msg"]})'
            )
        else:
            message = f"field '{name}': {error['msg']}"
        problems.append(Problem(path, document.line_of(at), message))
    return problems


def dotted(loc: tuple[Any, ...]) -> str:
    """A field's path as contributors write it: `review.status`, `themes[1]`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _sub_model(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            return None
        current = _model_in(fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    sub = _sub_model(model, loc)
    return list(sub.model_fields) if sub else []


def _vocabulary_of(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The vocabulary a (list) field takes its keys from, if any."""
    sub = _sub_model(model, loc[:-1])
    field = sub.model_fields.get(str(loc[-1])) if sub else None
    if field is None:
        return None
    for argument in getattr(field.annotation, "__args__", ()):
        for marker in getattr(argument, "__metadata__", ()):
            vocabulary = getattr(marker, "vocabulary", None)
            if isinstance(vocabulary, str):
                return vocabulary
    return None


def _description(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    sub = _sub_model(model, loc[:-1])
    if sub is None or loc[-1] not in sub.model_fields:
        return ""
    return sub.model_fields[loc[-1]].description or ""
