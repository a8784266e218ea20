"""JSON Schema of the practice files, generated from the one schema declaration in `model.py`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from handbook.content.model import PracticeFacts, PracticeText
from handbook.content.vocabulary import Vocabularies
from handbook.urls import LANGUAGES

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "practice.schema.json": PracticeFacts,
    "practice-text.schema.json": PracticeText,
}


def json_schema(model: type[BaseModel], vocabularies: Vocabularies) -> dict[str, Any]:
    """The model's JSON Schema, with each vocabulary field turned into an enum with its labels."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _inject_vocabularies(schema, vocabularies)
    return schema


def _inject_vocabularies(node: Any, vocabularies: Vocabularies) -> None:
    if isinstance(node, dict):
        name = node.get("x-vocabulary")
        if name:
            vocabulary = vocabularies[name]
            node["enum"] = vocabulary.keys()
            node["markdownEnumDescriptions"] = [" / ".join(term.labels[language] for language in LANGUAGES) for term in vocabulary]
        for value in node.values():
            _inject_vocabularies(value, vocabularies)
    elif isinstance(node, list):
        for value in node:
            _inject_vocabularies(value, vocabularies)


def _resolve_property(prop: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """A property's own schema: `$ref` followed, the non-null branch of `anyOf` taken, its own keys kept."""
    if "$ref" in prop:
        return dict(definitions[prop["$ref"].rsplit("/", 1)[-1]])
    for option in prop.get("anyOf", []):
        if option.get("type") != "null":
            return {**_resolve_property(option, definitions), **{k: v for k, v in prop.items() if k != "anyOf"}}
    return prop


@dataclass(frozen=True)
class SchemaField:
    """One property of a JSON Schema object, as the field reference and the scaffold read it."""

    name: str
    declared: dict[str, Any]  # as written: its descriptions
    resolved: dict[str, Any]  # `$ref` followed, the non-null branch of `anyOf` taken
    items: dict[str, Any]  # an array's items, resolved; else the same as `resolved`
    required: bool

    @property
    def is_array(self) -> bool:
        return self.resolved.get("type") == "array"

    @property
    def object_items(self) -> bool:
        """The field (or each of its items) is an object with properties of its own (`schema_fields` of `items`)."""
        return self.items.get("type") == "object" and "properties" in self.items

    def description(self, language: str) -> str:
        """The field's description in `language` (`model.described`: English, plus `x-description-<language>`)."""
        return str(self.declared.get(f"x-description-{language}", self.declared.get("description", "")))


def schema_fields(schema: dict[str, Any], definitions: dict[str, Any] | None = None) -> Iterator[SchemaField]:
    """The properties of a JSON Schema object in order; a nested object's with the root schema's `$defs`."""
    definitions = schema.get("$defs", {}) if definitions is None else definitions
    required = set(schema.get("required", []))
    for name, declared in schema.get("properties", {}).items():
        resolved = _resolve_property(declared, definitions)
        items = _resolve_property(resolved.get("items", {}), definitions) if resolved.get("type") == "array" else resolved
        yield SchemaField(name, declared, resolved, items, name in required)


def schema_texts(vocabularies: Vocabularies) -> dict[str, str]:
    return {name: json.dumps(json_schema(model, vocabularies), ensure_ascii=False, indent=2) + "\n" for name, model in SCHEMA_FILES.items()}


def write_schemas(folder: Path, vocabularies: Vocabularies) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts(vocabularies).items():
        (folder / name).write_text(text, encoding="utf-8")
