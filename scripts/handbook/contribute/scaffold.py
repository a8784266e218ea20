"""Scaffolds for a new practice, generated from the schema: every field with its description.

Required fields the contributor did not give are left empty, so `handbook check` names them until they
are filled in; optional fields are written as comments to uncomment.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from handbook.checks.guidance import guidance_line
from handbook.content.model import PRACTICE, PRACTICE_REQUIRES, SLUG_LENGTH, PracticeFacts, PracticeText
from handbook.content.schema import SchemaField, json_schema, schema_fields
from handbook.content.vocabulary import Vocabularies, slug


def slugify(text: str, max_length: int = SLUG_LENGTH[1]) -> str:
    """A practice id from a title: lowercase ASCII words joined by hyphens (`vocabulary.slug`), at most `max_length` long."""
    return slug(text)[:max_length].rstrip("-")


# --- the one writer of practice YAML (practice.yml and the front matter), also for `from_issue` -------------


class Folded(str):
    """A long text written as a folded YAML block (`>-`), wrapped for reading."""


class _PracticeDumper(yaml.SafeDumper):
    """The style of the hand-written practice files: block style, lists of plain values on one line
    (`themes: [jeugdwerk, onderwijs]`), `Folded` texts folded."""


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    inline = all(not isinstance(item, dict | list) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=inline)


def _represent_folded(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=">")


_PracticeDumper.add_representer(list, _represent_list)
_PracticeDumper.add_representer(Folded, _represent_folded)

FACTS_WIDTH = 1000  # practice.yml: a value on one line
FRONT_MATTER_WIDTH = 100  # nl.md / en.md: a folded summary wrapped for reading


def practice_yaml(data: Mapping[str, Any], width: int = FACTS_WIDTH) -> str:
    """`data` as YAML in the style of the practice files, keys in the order given."""
    return yaml.dump(dict(data), Dumper=_PracticeDumper, allow_unicode=True, sort_keys=False, width=width)


def _dump(value: Mapping[str, Any], width: int = FACTS_WIDTH) -> list[str]:
    """The lines of `value` in the practice files' style (one key at a time, so comments can go between)."""
    return practice_yaml(value, width).rstrip("\n").splitlines() if value else []


def _empty(field: SchemaField, definitions: dict[str, Any], today: datetime.date) -> Any:
    """What a required field starts as: empty, so that `check` asks for it."""
    if field.is_array:
        return [_empty_object(field.items, definitions, today)] if field.items.get("type") == "object" else []
    if field.resolved.get("type") == "object":
        return _empty_object(field.resolved, definitions, today)
    if field.resolved.get("format") == "date":
        return today
    return ""


def _empty_object(schema: dict[str, Any], definitions: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    return {sub.name: _empty(sub, definitions, today) for sub in schema_fields(schema, definitions) if sub.required}


def _comment(field: SchemaField) -> list[str]:
    lines = [f"# {field.declared.get('description', '')}  /  {field.declared.get('x-description-nl', '')}"]
    if "enum" in field.items:
        lines.append("#   allowed / toegelaten: " + ", ".join(field.items["enum"]))
    return lines


def scaffold_facts(vocabularies: Vocabularies, values: Mapping[str, Any], today: datetime.date | None = None) -> str:
    """practice.yml with the given values; required fields left empty, optional ones commented out."""
    today = today or datetime.date.today()
    schema = json_schema(PracticeFacts, vocabularies)
    required = set(schema.get("required", []))
    if values.get("kind") == PRACTICE:
        required |= set(PRACTICE_REQUIRES)
    defaults: dict[str, Any] = {"review": {"status": "draft"}}  # no review date until it is reviewed
    lines = ["# Language-neutral facts of this practice / Taalonafhankelijke feiten van deze praktijk.", ""]
    definitions = schema.get("$defs", {})
    for field in schema_fields(schema, definitions):
        name = field.name
        lines += _comment(field)
        if name in values:
            lines += _dump({name: values[name]})
        elif name in defaults:
            lines += _dump({name: defaults[name]})
        elif name in required:
            lines += _dump({name: _empty(field, definitions, today)})
        else:
            lines += ["# " + line for line in _dump({name: _empty(field, definitions, today)})]
        lines.append("")
    return "\n".join(lines)


def scaffold_text(vocabularies: Vocabularies, language: str, title: str = "", summary: str = "", kind: str = PRACTICE) -> str:
    """nl.md or en.md: front matter and the fixed sections of the kind, each with the question it answers as a
    guiding line (`checks/guidance.py`) that the check asks to replace."""
    front: dict[str, Any] = {name: "" for name, field in PracticeText.model_fields.items() if field.is_required()}
    front.update({key: value for key, value in {"title": title, "summary": summary}.items() if value})
    lines = ["---", *_dump(front, FRONT_MATTER_WIDTH), "---", ""]
    for term in vocabularies["sections"].for_kind(kind):
        lines += [f"## {term.label(language)}", ""]
        if term.description(language):
            lines += [guidance_line(language, term.description(language)), ""]
    return "\n".join(lines)


def write_scaffold(
    practices_dir: Path,
    vocabularies: Vocabularies,
    practice_id: str,
    languages: list[str],
    facts: Mapping[str, Any],
    titles: Mapping[str, str],
) -> list[Path]:
    """Create practices/<id>/ with practice.yml and one text per language; never overwrite."""
    folder = practices_dir / practice_id
    if folder.exists():
        raise FileExistsError(f"{folder} already exists; choose another id")
    folder.mkdir(parents=True)
    written = [folder / "practice.yml"]
    written[0].write_text(scaffold_facts(vocabularies, {"id": practice_id, **facts}), encoding="utf-8")
    for language in languages:
        path = folder / f"{language}.md"
        kind = str(facts.get("kind", PRACTICE))
        path.write_text(scaffold_text(vocabularies, language, titles.get(language, ""), kind=kind), encoding="utf-8")
        written.append(path)
    return written
