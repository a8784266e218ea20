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

from handbook.cache import Store, stored_text, text_digest
from handbook.content import yaml_reader
from handbook.content.labels import field_label
from handbook.content.model import LANGUAGE_NEUTRAL_FIELDS, LanguageVersion, Practice, PracticeFacts, PracticeText
from handbook.content.vocabulary import Vocabularies
from handbook.messages import N_, _, current_language
from handbook.problems import Problem
from handbook.urls import LANGUAGES

FACTS_FILE = "practice.yml"
# The images a practice may hold, by suffix, with the format Pillow must find in the file (checks/filesafety.py);
# SVG is refused there: it can hold script.
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
IMAGE_SUFFIXES = frozenset(IMAGE_FORMATS)
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class LeftOutTexts:
    """The language files of a practice left out for its problems, as they were read (once, by the one reader),
    so that the checks of a text alone (its sections, terms, safety) still run: every problem in one round."""

    folder: Path
    kind: str | None  # the kind its practice.yml gives, when that can be read; None: the sections are unknown
    translations: dict[str, LanguageVersion]

    @property
    def id(self) -> str:
        return self.folder.name


@dataclass
class Loaded:
    practices: list[Practice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    declared_ids: list[tuple[str, Path, int]] = field(default_factory=list)  # every id read, valid or not
    left_out: list[LeftOutTexts] = field(default_factory=list)  # the texts of the practices left out
    digests: dict[Path, str] = field(default_factory=dict)  # `text_digest` of each practice.yml and text read: the store's keys

    def known_ids(self) -> set[str]:
        """The ids a link or `related:` may name: of the practices, every id read, and the folders of those left out
        (a practice with a problem of its own is not also "no practice" in the texts that name it)."""
        return {p.id for p in self.practices} | {declared for declared, _, _ in self.declared_ids} | {left.id for left in self.left_out}

    def texts(self) -> list[tuple[str, Path, str | None, LanguageVersion]]:
        """(id, folder, kind, text) of every language file read: of the practices and of those left out."""
        found: list[tuple[str, Path, str | None, LanguageVersion]] = [
            (p.id, p.folder, p.facts.kind, text) for p in self.practices for text in p.translations.values()
        ]
        found += [(left.id, left.folder, left.kind, text) for left in self.left_out for text in left.translations.values()]
        return found


def read_text(path: Path, problems: list[Problem], digests: dict[Path, str] | None = None) -> str | None:
    """The file's text, or None with a problem when it is empty or not UTF-8; its digest noted in `digests`."""
    data = path.read_bytes()
    if not data.strip():
        problems.append(Problem(path, 1, _("the file is empty")))
        return None
    try:
        text = data.decode("utf-8")
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
    if digests is not None:
        digests[path] = text_digest(text)
    return text


def revision_of(text: PracticeText, body: str) -> str:
    """A short digest of what a translation is made from: title, summary and body."""
    normalised = "\n".join(line.rstrip() for line in body.strip().splitlines())
    digest = hashlib.sha256(f"{text.title}\n{text.summary}\n{normalised}".encode())
    return digest.hexdigest()[:12]


def is_language_text(path: Path) -> bool:
    """A practice's text in one language: `<language>.md`."""
    return path.suffix == ".md" and path.stem in LANGUAGES


def practice_folders(practices_dir: Path) -> list[Path]:
    return sorted(path for path in practices_dir.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))


@dataclass
class FolderLoad:
    """One practice folder's loading, given again by the next `load_practices` with the same memo while it holds."""

    stamp: tuple[object, ...]  # the vocabularies, the message language and the folder's other entries (by size and time)
    files: dict[Path, bytes]  # practice.yml and the language texts, byte for byte
    loaded: Loaded  # what loading the folder alone gave


LoadMemo = dict[Path, FolderLoad]  # by folder; kept by a long-running caller (`mkdocs serve`) between loads


def load_practices(practices_dir: Path, vocabularies: Vocabularies, store: Store | None = None, memo: LoadMemo | None = None) -> Loaded:
    """Every practice folder; with `store`, the YAML of a file read before is taken from it (validation runs every
    time). With `memo`, a folder whose files are byte-identical to the last load's (with the same other entries,
    vocabularies and message language) gives the same `Practice` object and problems again without being parsed:
    what depends on a practice alone can be kept by the object (`web.pages.GenerationMemo`)."""
    loaded = Loaded()
    folders = practice_folders(practices_dir)
    rules = (repr(vocabularies), current_language())  # what every folder's loading also depends on (its repr: 0.5 ms)
    for folder in folders:
        if memo is None:
            practice = load_practice(folder, vocabularies, loaded, store)
        else:
            own = _load_folder(folder, vocabularies, store, memo, rules)
            loaded.problems += own.problems
            loaded.declared_ids += own.declared_ids
            loaded.left_out += own.left_out
            loaded.digests.update(own.digests)
            practice = own.practices[0] if own.practices else None
        if practice is not None:
            loaded.practices.append(practice)
    if memo is not None:
        for gone in set(memo) - set(folders):
            del memo[gone]
    return loaded


def _load_folder(folder: Path, vocabularies: Vocabularies, store: Store | None, memo: LoadMemo, rules: tuple[str, str]) -> Loaded:
    entries = sorted(folder.iterdir())
    texts = [path for path in entries if path.is_file() and (path.name == FACTS_FILE or is_language_text(path))]
    files = {path: path.read_bytes() for path in texts}
    others = tuple((path.name, path.is_dir(), *_stamp(path)) for path in entries if path not in files)
    stamp = (*rules, others)
    prior = memo.get(folder)
    if prior is None or prior.stamp != stamp or prior.files != files:
        own = Loaded()
        practice = load_practice(folder, vocabularies, own, store)
        if practice is not None:
            own.practices.append(practice)
        prior = memo[folder] = FolderLoad(stamp, files, own)
    return prior.loaded


def _stamp(path: Path) -> tuple[int, int]:
    info = path.lstat()
    return info.st_size, info.st_mtime_ns


def load_practice(folder: Path, vocabularies: Vocabularies, loaded: Loaded, store: Store | None = None) -> Practice | None:
    problems = loaded.problems
    before = len(problems)
    facts_path = folder / FACTS_FILE
    facts: PracticeFacts | None = None
    document: yaml_reader.Document | None = None
    if not facts_path.is_file():
        problems.append(Problem(folder, 1, _("practice folder without {file}: add it (see `handbook new`)", file=FACTS_FILE)))
    else:
        document = read_mapping(facts_path, problems, FACTS_FILE, store, loaded.digests)
        if document is not None:
            declared = document.data.get("id")
            if isinstance(declared, str):
                loaded.declared_ids.append((declared, facts_path, document.line_of(("id",))))
            facts = validate_model(PracticeFacts, document, facts_path, vocabularies, problems)
    translations: dict[str, LanguageVersion] = {}
    for path in sorted(folder.iterdir()):
        if path.name == FACTS_FILE or path.suffix.lower() in IMAGE_SUFFIXES or path.is_dir():
            continue
        if is_language_text(path):
            translation = _load_translation(path, facts, vocabularies, problems, store, loaded.digests)
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
        if translations:
            loaded.left_out.append(LeftOutTexts(folder, _kind_of(facts, document, vocabularies), translations))
        return None
    return Practice(facts=facts, translations=translations, folder=folder, facts_lines=document.lines)


def _kind_of(facts: PracticeFacts | None, document: yaml_reader.Document | None, vocabularies: Vocabularies) -> str | None:
    """The kind of a practice, also when its practice.yml has problems elsewhere (None when it cannot be read)."""
    if facts is not None:
        return facts.kind
    written = document.data.get("kind") if document is not None else None
    if not isinstance(written, str) or "kinds" not in vocabularies.by_name:
        return None
    return vocabularies["kinds"].canonical(written)


def read_mapping(
    path: Path, problems: list[Problem], what: str, store: Store | None = None, digests: dict[Path, str] | None = None
) -> yaml_reader.Document | None:
    """A YAML file that must hold a mapping, read strictly (from `store` when read before); None with its problem otherwise."""
    text = read_text(path, problems, digests)
    if text is None:
        return None
    try:
        document = yaml_reader.load(text) if store is None else yaml_reader.cached_load(text, store, (digests or {}).get(path))
    except yaml_reader.YamlError as error:
        problems.append(Problem(path, error.line, error.message))
        return None
    if not isinstance(document.data, dict):
        problems.append(Problem(path, 1, _("{what} must consist of 'field: value' lines", what=what)))
        return None
    return document


def _load_translation(
    path: Path,
    facts: PracticeFacts | None,
    vocabularies: Vocabularies,
    problems: list[Problem],
    store: Store | None = None,
    digests: dict[Path, str] | None = None,
) -> LanguageVersion | None:
    text = read_text(path, problems, digests)
    if text is None:
        return None
    try:
        digest = (digests or {}).get(path)
        split = yaml_reader.split_front_matter(text) if store is None else yaml_reader.cached_split_front_matter(text, store, digest)
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
    if practice_text is None:  # its problems are reported and the practice is left out; the body is checked all the same
        practice_text = _unchecked_text(data)
    return LanguageVersion(
        language=path.stem,
        text=practice_text,
        body=split.body,
        body_line=split.body_line,
        path=path,
        revision=revision_of(practice_text, split.body)
        if store is None or digest is None
        else store.cached(digest, "rev", lambda: revision_of(practice_text, split.body), stored_text),  # of the file's text alone
        front_matter_lines=front_matter.lines,
    )


def _unchecked_text(data: dict[str, Any]) -> PracticeText:
    """A stand-in for a front matter with problems (reported): its title and summary where they are text, so that
    the checks of the body and of those texts still run. Only in a practice that is left out, never published."""
    title, summary = (value if isinstance(value, str) else "" for value in (data.get("title"), data.get("summary")))
    return PracticeText.model_construct(title=title, summary=summary, translation_of=None)


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
        name = field_name(loc) or _("(front matter)")
        kind = error["type"]
        value = error.get("input")
        if kind == "missing":
            described = _description(model, loc)
            message = (
                _("missing required field {name}: {description}", name=name, description=described)
                if described
                else _("missing required field {name}", name=name)
            )
        elif kind == "extra_forbidden":
            siblings = _field_names(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), siblings, n=1, cutoff=0.6)
            allowed = ", ".join(siblings)
            message = (
                _("unknown field {name}; did you mean '{hint}'? (allowed here: {allowed})", name=name, hint=close[0], allowed=allowed)
                if close
                else _("unknown field {name} (allowed here: {allowed})", name=name, allowed=allowed)
            )
        elif value is None or value == "" or value == []:  # `title:` with nothing after it, `title: ""`, `themes: []`
            vocabulary = _vocabulary_of(model, loc) or _vocabulary_of(model, (*loc, 0))
            allowed = str(context.get("allowed", "")) if kind == "vocabulary" else ""
            message = named(name, _("fill in this field; allowed: {allowed}", allowed=allowed) if allowed else _("fill in this field"))
            if vocabulary and not allowed:
                message = named(
                    name,
                    _(
                        "fill in this field with at least one key of the vocabulary '{vocabulary}' in practices/vocabularies.yml",
                        vocabulary=vocabulary,
                    ),
                )
        elif kind in ("model_type", "dict_type"):
            fields = _field_names(model, loc)
            message = named(
                name,
                _("write a group of fields: {fields}", fields=", ".join(fields))
                if fields
                else _("write a group of fields, one 'field: value' on each line"),
            )
        elif kind == "list_type":
            message = named(name, _("write a list (lines that start with '- ', or [a, b])"))
        elif kind in ("string_too_long", "string_too_short") and isinstance(value, str):
            length, limit = len(value), int(context.get("max_length", context.get("min_length", 0)))
            message = named(
                name,
                _("{length} characters, at most {limit} are allowed: shorten it by {over}", length=length, limit=limit, over=length - limit)
                if kind == "string_too_long"
                else _(
                    "{length} characters, at least {limit} are needed: add {missing}", length=length, limit=limit, missing=limit - length
                ),
            )
        elif kind == "too_short" and _vocabulary_of(model, loc):
            message = named(
                name,
                _(
                    "give at least one value (keys of the vocabulary '{vocabulary}' in practices/vocabularies.yml)",
                    vocabulary=_vocabulary_of(model, loc),
                ),
            )
        elif loc in document.retyped and kind == "string_type":  # quoting helps only where text is expected
            retyped = document.retyped[loc]
            message = named(
                name,
                _(
                    'YAML reads {text} as {read_as}, not as text; put it in quotes ("{text}") or correct it ({detail})',
                    text=retyped.text,
                    read_as=_(retyped.read_as),
                    detail=pydantic_message(error),
                ),
            )
        elif kind == "vocabulary":
            message = named(name, vocabulary_message(context))
        elif isinstance(context.get("template"), str):  # the handbook's own rules (model.field_error, model.rule_error)
            values = {key: _(value) if key in _TRANSLATED_CONTEXT else value for key, value in context.items()}
            values = {key: value for key, value in values.items() if key not in ("template", "field", "at")}
            message = named(name, _(context["template"], **values))
        else:
            message = named(name, pydantic_message(error))
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
    values = {key: context.get(key, "") for key in ("value", "allowed", "suggestion")}
    if not context.get("suggestion"):
        return _("unknown value '{value}'; allowed: {allowed}", **values)
    label = context.get(f"label_{current_language()}", "")
    return _("unknown value '{value}'; did you mean '{suggestion}' ({label})?; allowed: {allowed}", label=label, **values)


def named(name: str, message: str) -> str:
    """A message about the field `name` (as `field_name` gives it): `field 'target groups' (target_groups), 1st value: …`."""
    return _("field {name}: {message}", name=name, message=message)


def field_name(loc: tuple[Any, ...]) -> str:
    """A field's path in the contributor's words: each field by its label in the message language (`content/labels.py`),
    with its key where that differs, and each item of a list by its number: 'target groups' (target_groups), 1st value."""
    language = current_language()
    parts = []
    names: tuple[str, ...] = ()
    for part in loc:
        if isinstance(part, int):
            parts.append(_("{ordinal} value", ordinal=ordinal(part + 1, language)))
            continue
        names = (*names, str(part))
        label = field_label(names, language)
        if label is None:
            parts.append(f"'{part}'")
            continue
        label = label if label[1:2].isupper() else label[:1].lower() + label[1:]  # in a sentence; LIVC stays
        parts.append(f"'{label}'" if label.lower() == str(part) else f"'{label}' ({part})")  # the key as written, where it differs
    return ", ".join(parts)


def ordinal(number: int, language: str) -> str:
    """1e, 2e / 1st, 2nd, 3rd, 11th."""
    if language == "nl":
        return f"{number}e"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


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
