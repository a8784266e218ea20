"""The catalogue published as data: `data/practices.json` per language, and the JSON Schemas."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from handbook.content.model import Practice
from handbook.content.schema import schema_texts
from handbook.content.vocabulary import Vocabularies
from handbook.urls import DEFAULT_LANGUAGE, language_prefix
from handbook.views.catalogue import catalogue_records

DATA_FOLDER = "data"


def export_texts(
    practices: Sequence[Practice], vocabularies: Vocabularies, language: str, default_language: str, base: str = "/"
) -> dict[str, str]:
    """File name → content of the data folder of one language; URLs are paths under `base`."""
    records = catalogue_records(practices, language, default_language, base)
    texts = {"practices.json": json.dumps(records, ensure_ascii=False, indent=1) + "\n"}
    texts.update(schema_texts(vocabularies))
    return texts


def publish_data(site_dir: Path, practices: Sequence[Practice], vocabularies: Vocabularies, language: str, site_url: str | None) -> Path:
    """Write the data folder of one language into the built site; return that language's folder."""
    base = urlsplit(site_url or "/").path or "/"  # the site may live under a path, as on GitHub Pages
    language_dir = site_dir / language_prefix(language)
    write_export(language_dir, export_texts(practices, vocabularies, language, DEFAULT_LANGUAGE, base))
    return language_dir


def write_export(site_language_dir: Path, texts: dict[str, str]) -> None:
    folder = site_language_dir / DATA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
