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

from handbook.content.model import PRACTICE, PRACTICE_REQUIRES, SLUG_LENGTH, PracticeFacts, PracticeText
from handbook.content.schema import json_schema, resolve_property
from handbook.content.vocabulary import Vocabularies, slug


def slugify(text: str, max_length: int = SLUG_LENGTH[1]) -> str:
    """A practice id from a title: lowercase ASCII words joined by hyphens (`vocabulary.slug`), at most `max_length` long."""
    return slug(text)[:max_length].rstrip("-")


def _dump(value: Mapping[str, Any]) -> list[str]:
    """Block-style YAML, with lists of plain values on one line: `themes: [jeugdwerk, onderwijs]`."""
    lines = []
    for key, item in value.items():
        if isinstance(item, list) and all(not isinstance(element, dict | list) for element in item):
            flow = yaml.safe_dump(item, allow_unicode=True, default_flow_style=True, width=1000).strip()
            lines.append(f"{key}: {flow}")
        else:
            text = yaml.safe_dump({key: item}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
            lines += text.rstrip("\n").splitlines()
    return lines


def _resolve(prop: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return resolve_property(prop, schema.get("$defs", {}))


def _empty(prop: dict[str, Any], schema: dict[str, Any], today: datetime.date) -> Any:
    """What a required field starts as: empty, so that `check` asks for it."""
    resolved = _resolve(prop, schema)
    if resolved.get("type") == "array":
        item = _resolve(resolved.get("items", {}), schema)
        return [_empty(item, schema, today)] if item.get("type") == "object" else []
    if resolved.get("type") == "object":
        required = resolved.get("required", [])
        return {name: _empty(sub, schema, today) for name, sub in resolved["properties"].items() if name in required}
    if resolved.get("format") == "date":
        return today
    return ""


def _comment(prop: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    resolved = _resolve(prop, schema)
    items = _resolve(resolved.get("items", {}), schema) if resolved.get("type") == "array" else resolved
    lines = [f"# {prop.get('description', '')}  /  {prop.get('x-description-nl', '')}"]
    if "enum" in items:
        lines.append("#   allowed / toegelaten: " + ", ".join(items["enum"]))
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
    for name, prop in schema["properties"].items():
        lines += _comment(prop, schema)
        if name in values:
            lines += _dump({name: values[name]})
        elif name in defaults:
            lines += _dump({name: defaults[name]})
        elif name in required:
            lines += _dump({name: _empty(prop, schema, today)})
        else:
            lines += ["# " + line for line in _dump({name: _empty(prop, schema, today)})]
        lines.append("")
    return "\n".join(lines)


def scaffold_text(vocabularies: Vocabularies, language: str, title: str = "", summary: str = "", kind: str = PRACTICE) -> str:
    """nl.md or en.md: front matter and the fixed sections of the kind, empty."""
    front: dict[str, Any] = {name: "" for name, field in PracticeText.model_fields.items() if field.is_required()}
    front.update({key: value for key, value in {"title": title, "summary": summary}.items() if value})
    lines = ["---", *_dump(front), "---", ""]
    for term in vocabularies["sections"].for_kind(kind):
        lines += [f"## {term.label(language)}", ""]
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
