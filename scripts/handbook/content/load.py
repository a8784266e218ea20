"""Load practices from `practices/<id>/`: strict YAML, typed models, and every problem with its line.

Loading never stops at the first problem and never raises for bad content: a practice with problems
is left out of the result and its problems are reported, so a caller can fail with all of them.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from handbook.content import yaml_reader
from handbook.content.model import LANGUAGE_NEUTRAL_FIELDS, LanguageVersion, Practice, PracticeFacts, PracticeText
from handbook.content.vocabulary import Vocabularies
from handbook.messages import N_, _, current_language, field_message
from handbook.problems import Problem
from handbook.urls import LANGUAGES

FACTS_FILE = "practice.yml"
# The images a practice may hold, by suffix, with the format Pillow must find in the file (checks/filesafety.py);
# SVG is refused there: it can hold script.
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
IMAGE_SUFFIXES = frozenset(IMAGE_FORMATS)
Model = TypeVar("Model", bound=BaseModel)


@dataclass
class Loaded:
    practices: list[Practice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    declared_ids: list[tuple[str, Path, int]] = field(default_factory=list)  # every id read, valid or not
    files: dict[Path, bytes] = field(default_factory=dict)  # with a memo: the texts and practice.yml files as read


def read_text(path: Path, problems: list[Problem], files: Mapping[Path, bytes] | None = None) -> str | None:
    """The file's text (from `files` when it holds the file's bytes, as read once by `load_practices`), or None
    with a problem when it is empty or not UTF-8."""
    data = files[path] if files is not None and path in files else path.read_bytes()
    if not data.strip():
        problems.append(Problem(path, 1, _("the file is empty")))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        snippet = data[max(0, error.start - 10) : error.start + 10]
        problems.append(
            Problem(
                path,
                line,
                _("the file is not valid UTF-8 (byte {byte}, near {near}); save it as UTF-8", byte=error.start, near=repr(snippet)),
            )
        )
        return None


def revision_of(text: PracticeText, body: str) -> str:
    """A short digest of what a translation is made from: title, summary and body."""
    normalised = "\n".join(line.rstrip() for line in body.strip().splitlines())
    digest = hashlib.sha256(f"{text.title}\n{text.summary}\n{normalised}".encode())
    return digest.hexdigest()[:12]


def practice_folders(practices_dir: Path) -> list[Path]:
    return sorted(path for path in practices_dir.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))


@dataclass
class FolderLoad:
    """One practice folder's loading, reused by the next `load_practices` with the same memo while it holds."""

    stamp: tuple[object, ...]  # the vocabularies, the message language and the folder's entries (images by size and time)
    files: dict[Path, bytes]  # practice.yml and the language texts, byte for byte
    practice: Practice | None
    problems: list[Problem]
    declared_ids: list[tuple[str, Path, int]]


LoadMemo = dict[Path, FolderLoad]  # by folder; kept by a long-running caller (`mkdocs serve`) between loads


def load_practices(practices_dir: Path, vocabularies: Vocabularies, memo: LoadMemo | None = None, vocabularies_key: str = "") -> Loaded:
    """Every practice folder loaded. With `memo`, each folder's files are read once here, and a folder whose files
    are byte-identical to the last load's (with the same entries, `vocabularies_key` and message language) gives
    the same practice and problems again without being parsed; `Loaded.files` then holds the bytes read."""
    loaded = Loaded()
    folders = practice_folders(practices_dir)
    for folder in folders:
        practice = (
            load_practice(folder, vocabularies, loaded)
            if memo is None
            else _load_folder(folder, vocabularies, loaded, memo, vocabularies_key)
        )
        if practice is not None:
            loaded.practices.append(practice)
    if memo is not None:
        for gone in set(memo) - set(folders):
            del memo[gone]
    return loaded


def _is_text_file(path: Path) -> bool:
    return path.is_file() and (path.name == FACTS_FILE or (path.suffix == ".md" and path.stem in LANGUAGES))


def _load_folder(folder: Path, vocabularies: Vocabularies, loaded: Loaded, memo: LoadMemo, vocabularies_key: str) -> Practice | None:
    entries = sorted(folder.iterdir())
    files = {path: path.read_bytes() for path in entries if _is_text_file(path)}
    others = tuple((path.name, path.is_dir(), *(_stat(path) if path not in files else ())) for path in entries)
    stamp = (vocabularies_key, current_language(), others)
    prior = memo.get(folder)
    if prior is None or prior.stamp != stamp or prior.files != files:
        own = Loaded()
        practice = load_practice(folder, vocabularies, own, files)
        prior = memo[folder] = FolderLoad(stamp, files, practice, own.problems, own.declared_ids)
    loaded.problems += prior.problems
    loaded.declared_ids += prior.declared_ids
    loaded.files.update(files)
    return prior.practice


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def load_practice(folder: Path, vocabularies: Vocabularies, loaded: Loaded, files: Mapping[Path, bytes] | None = None) -> Practice | None:
    problems = loaded.problems
    before = len(problems)
    facts_path = folder / FACTS_FILE
    facts: PracticeFacts | None = None
    document: yaml_reader.Document | None = None
    if not facts_path.is_file():
        problems.append(Problem(folder, 1, _("practice folder without {file}: add it (see `handbook new`)", file=FACTS_FILE)))
    else:
        document = read_mapping(facts_path, problems, FACTS_FILE, files)
        if document is not None:
            declared = document.data.get("id")
            if isinstance(declared, str):
                loaded.declared_ids.append((declared, facts_path, document.line_of(("id",))))
            facts = validate_model(PracticeFacts, document, facts_path, vocabularies, problems)
    translations: dict[str, LanguageVersion] = {}
    for path in sorted(folder.iterdir()):
        if path.name == FACTS_FILE or path.suffix.lower() in IMAGE_SUFFIXES or path.is_dir():
            continue
        if path.suffix == ".md" and path.stem in LANGUAGES:
            translation = _load_translation(path, facts, vocabularies, problems, files)
            if translation is not None:
                translations[translation.language] = translation
        else:
            allowed = ", ".join(f"{language}.md" for language in LANGUAGES)
            problems.append(
                Problem(
                    path,
                    1,
                    _("unexpected file in a practice folder; allowed: {file}, {allowed} and images", file=FACTS_FILE, allowed=allowed),
                )
            )
    if not any((folder / f"{language}.md").is_file() for language in LANGUAGES):
        problems.append(Problem(folder, 1, _("practice folder without text: add nl.md, en.md or both")))
    if facts is not None and document is not None and facts.id != folder.name:
        line = document.line_of(("id",))
        problems.append(
            Problem(
                facts_path,
                line,
                _("field 'id': '{id}' does not match the folder name '{folder}'; they must be equal", id=facts.id, folder=folder.name),
            )
        )
    if len(problems) > before or facts is None or document is None:
        return None
    return Practice(facts=facts, translations=translations, folder=folder, facts_lines=document.lines)


def read_mapping(path: Path, problems: list[Problem], what: str, files: Mapping[Path, bytes] | None = None) -> yaml_reader.Document | None:
    """A YAML file that must hold a mapping, read strictly; None with its problem otherwise."""
    text = read_text(path, problems, files)
    if text is None:
        return None
    try:
        document = yaml_reader.load(text)
    except yaml_reader.YamlError as error:
        problems.append(Problem(path, error.line, error.message))
        return None
    if not isinstance(document.data, dict):
        problems.append(Problem(path, 1, _("{what} must be a mapping of 'field: value' lines", what=what)))
        return None
    return document


def _load_translation(
    path: Path, facts: PracticeFacts | None, vocabularies: Vocabularies, problems: list[Problem], files: Mapping[Path, bytes] | None = None
) -> LanguageVersion | None:
    text = read_text(path, problems, files)
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
                    _(
                        "field '{key}' contradicts {file} ({written}); language-neutral facts are written once, in {file}",
                        key=key,
                        file=FACTS_FILE,
                        written=repr(written),
                    ),
                )
            )
        else:
            problems.append(
                Problem(
                    path,
                    line,
                    _("field '{key}' is language-neutral: write it once in {file}, not in a language file", key=key, file=FACTS_FILE),
                )
            )
    data = {key: value for key, value in front_matter.data.items() if key not in LANGUAGE_NEUTRAL_FIELDS}
    front_matter.data = data
    practice_text = validate_model(PracticeText, front_matter, path, vocabularies, problems)
    if practice_text is None or neutral:
        return None
    return LanguageVersion(
        language=path.stem,
        text=practice_text,
        body=split.body,
        body_line=split.body_line,
        path=path,
        revision=revision_of(practice_text, split.body),
        front_matter_lines=front_matter.lines,
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
        name = dotted(loc) or _("(front matter)")
        kind = error["type"]
        if kind == "missing":
            described = _description(model, loc)
            message = (
                _("missing required field '{name}': {description}", name=name, description=described)
                if described
                else _("missing required field '{name}'", name=name)
            )
        elif kind == "extra_forbidden":
            siblings = _field_names(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), siblings, n=1, cutoff=0.6)
            allowed = ", ".join(siblings)
            message = (
                _("unknown field '{name}'; did you mean '{hint}'? (allowed here: {allowed})", name=name, hint=close[0], allowed=allowed)
                if close
                else _("unknown field '{name}' (allowed here: {allowed})", name=name, allowed=allowed)
            )
        elif kind == "model_type" and _field_names(model, loc):
            message = field_message(name, _("write a mapping with the fields {fields}", fields=", ".join(_field_names(model, loc))))
        elif kind == "too_short" and _vocabulary_of(model, loc):
            message = field_message(
                name,
                _(
                    "give at least one value (keys of the vocabulary '{vocabulary}' in practices/vocabularies.yml)",
                    vocabulary=_vocabulary_of(model, loc),
                ),
            )
        elif loc in document.retyped and kind == "string_type":  # quoting helps only where text is expected
            retyped = document.retyped[loc]
            message = field_message(
                name,
                _(
                    'YAML reads {text} as {read_as}, not as text; put it in quotes ("{text}") or correct it ({detail})',
                    text=retyped.text,
                    read_as=_(retyped.read_as),
                    detail=pydantic_message(error),
                ),
            )
        elif kind == "vocabulary":
            message = field_message(name, vocabulary_message(context))
        elif isinstance(context.get("template"), str):  # the handbook's own rules (model.field_error, model.rule_error)
            values = {key: _(value) if key in _TRANSLATED_CONTEXT else value for key, value in context.items()}
            values = {key: value for key, value in values.items() if key not in ("template", "field", "at")}
            message = field_message(name, _(context["template"], **values))
        else:
            message = field_message(name, pydantic_message(error))
        problems.append(Problem(path, document.line_of(at), message))
    return problems


_TRANSLATED_CONTEXT = frozenset({"what"})  # context values of a rule that are message ids themselves (model._PRACTICE_NEEDS)
# pydantic's own errors, in Dutch (English: pydantic's message as it is). The ids are pydantic's templates.
_PYDANTIC_MESSAGES = {
    "string_type": N_("Input should be a valid string"),
    "int_type": N_("Input should be a valid integer"),
    "bool_type": N_("Input should be a valid boolean"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "too_short": N_("List should have at least {min_length} items"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "literal_error": N_("Input should be {expected}"),
}


def pydantic_message(error: Any) -> str:
    """pydantic's message of `error`, in Dutch when the messages are Dutch and the catalogue has it."""
    template = _PYDANTIC_MESSAGES.get(error["type"])
    if template is None or current_language() == "en":
        return str(error["msg"])
    context = error.get("ctx") or {}
    try:
        return _(template, **context)
    except (KeyError, IndexError):  # pragma: no cover - a context pydantic changed
        return str(error["msg"])


def vocabulary_message(context: dict[str, Any]) -> str:
    """An unknown vocabulary value, with the closest key and its label in the contributor's language."""
    values = {key: context.get(key, "") for key in ("vocabulary", "value", "allowed", "suggestion")}
    if not context.get("suggestion"):
        return _("unknown {vocabulary} value '{value}'; allowed: {allowed}", **values)
    label = context.get(f"label_{current_language()}", "")
    return _("unknown {vocabulary} value '{value}'; did you mean '{suggestion}' ({label})?; allowed: {allowed}", label=label, **values)


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
    field = sub.model_fields[loc[-1]]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    dutch = extra.get("x-description-nl")
    if current_language() == "nl" and isinstance(dutch, str):
        return dutch
    return field.description or ""
