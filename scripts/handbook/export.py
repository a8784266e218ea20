"""The catalogue published as data: `data/practices.json` per language, and the JSON Schemas."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from handbook.catalogue import catalogue_records
from handbook.model import Practice
from handbook.schema import schema_texts
from handbook.vocabulary import Vocabularies

DATA_FOLDER = "data"


def export_texts(
    practices: Sequence[Practice], vocabularies: Vocabularies, language: str, default_language: str, base: str = "/"
) -> dict[str, str]:
    """File name → content of the data folder of one language; URLs are paths under `base`."""
    records = catalogue_records(practices, language, default_language, base)
    texts = {"practices.json": json.dumps(records, ensure_ascii=False, indent=1) + "\n"}
    texts.update(schema_texts(vocabularies))
    return texts


def write_export(site_language_dir: Path, texts: dict[str, str]) -> None:
    folder = site_language_dir / DATA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
