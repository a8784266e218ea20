"""Controlled vocabularies: allow-lists with Dutch and English labels, read from one data file."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from handbook.content import yaml_reader
from handbook.messages import _
from handbook.urls import LANGUAGES


@dataclass(frozen=True)
class Term:
    key: str
    labels: dict[str, str]
    descriptions: dict[str, str]
    # Other wordings of the same term, keyed by a practice kind: a section named differently for a method.
    variants: dict[str, Term] = field(default_factory=dict)

    def label(self, language: str) -> str:
        return self.labels[language]

    def description(self, language: str) -> str:
        return self.descriptions.get(language, "")

    def for_kind(self, kind: str) -> Term:
        """This term as worded for a practice of `kind` (itself when it has no variant for that kind)."""
        return self.variants.get(kind, self)


def slug(text: str) -> str:
    """A label as a key would be written: lower case, accents dropped, words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@dataclass(frozen=True)
class Vocabulary:
    """The terms of one vocabulary. A value may be written as a term's key or as an alias of it: the slug of
    its Dutch or English label (`secundair` for `secondary`) or one of its `aliases` in the data file; the
    loader stores the key. An alias that would name two terms is no alias."""

    name: str
    terms: dict[str, Term]
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> key

    def __contains__(self, key: object) -> bool:
        return key in self.terms

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.terms.values())

    def keys(self) -> list[str]:
        return list(self.terms)

    def for_kind(self, kind: str) -> list[Term]:
        """Every term as worded for a practice of `kind` (see `Term.variants`)."""
        return [term.for_kind(kind) for term in self.terms.values()]

    def label(self, key: str, language: str) -> str:
        return self.terms[key].label(language)

    def canonical(self, value: str) -> str | None:
        """The key `value` names: itself, or the key of the alias it is; None if it names no term."""
        if value in self.terms:
            return value
        return self.aliases.get(value) or self.aliases.get(slug(value))

    def suggestion(self, value: str) -> str | None:
        """The closest allowed key (through its key or an alias), if one is close enough to be a likely typo."""
        matches = difflib.get_close_matches(value, [*self.terms, *self.aliases], n=1, cutoff=0.6)
        if not matches:
            return None
        return matches[0] if matches[0] in self.terms else self.aliases[matches[0]]


@dataclass(frozen=True)
class Vocabularies:
    path: Path
    by_name: dict[str, Vocabulary]

    def __getitem__(self, name: str) -> Vocabulary:
        return self.by_name[name]


class VocabularyError(Exception):
    """A vocabulary file that cannot be used, at its line (`str()` is `path:line: message`)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


def load_vocabularies(path: Path) -> Vocabularies:
    """Read the vocabulary file; every term must have a label in every language."""
    try:
        document = yaml_reader.load_mapping_file(path, "the vocabulary file must be a mapping of vocabularies")
    except yaml_reader.YamlError as error:
        raise VocabularyError(path, error.line, error.message) from None
    except (OSError, UnicodeDecodeError) as error:  # missing (a configured `vocabularies` option that names no file), unreadable
        raise VocabularyError(
            path, 1, _("cannot read the vocabulary file: {error}", error=getattr(error, "strerror", None) or str(error))
        ) from None
    vocabularies: dict[str, Vocabulary] = {}
    for name, entries in document.data.items():
        terms: dict[str, Term] = {}
        explicit: dict[str, list[str]] = {}
        for key, entry in (entries or {}).items():
            line = document.line_of((name, key))
            if not isinstance(entry, dict) or any(not isinstance(entry.get(lang), str) for lang in LANGUAGES):
                raise VocabularyError(path, line, f"term '{name}.{key}' needs a text label for nl and en")
            variants: dict[str, Term] = {}
            for variant, wording in entry.items():
                if variant in (*LANGUAGES, "description", "aliases"):
                    continue
                if not isinstance(wording, dict) or any(not isinstance(wording.get(lang), str) for lang in LANGUAGES):
                    line = document.line_of((name, key, variant))
                    raise VocabularyError(path, line, f"variant '{name}.{key}.{variant}' needs a text label for nl and en")
                variants[variant] = Term(key, {lang: wording[lang] for lang in LANGUAGES}, dict(wording.get("description") or {}))
            descriptions = entry.get("description") or {}
            terms[key] = Term(key, {lang: entry[lang] for lang in LANGUAGES}, dict(descriptions), variants)
            written = entry.get("aliases") or []
            if not isinstance(written, list) or any(not isinstance(alias, str) for alias in written):
                raise VocabularyError(path, line, f"'aliases' of term '{name}.{key}' must be a list of texts")
            explicit[key] = written
        vocabularies[name] = Vocabulary(name, terms, _aliases(terms, explicit))
    return Vocabularies(path, vocabularies)


def _aliases(terms: dict[str, Term], explicit: dict[str, list[str]]) -> dict[str, str]:
    """Every alias with its key: the written ones and the slugs of the labels, without keys and ambiguous ones."""
    named: dict[str, set[str]] = {}
    for key, term in terms.items():
        for alias in [*explicit.get(key, []), *(slug(label) for label in term.labels.values())]:
            if alias and alias != key:
                named.setdefault(alias, set()).add(key)
    return {alias: next(iter(keys)) for alias, keys in named.items() if len(keys) == 1 and alias not in terms}
