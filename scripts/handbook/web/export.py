"""The catalogue published as data: `data/practices.json` and `data/practices.csv` per language, and the JSON Schemas."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from handbook.content.model import Practice
from handbook.content.schema import schema_texts
from handbook.content.vocabulary import Vocabularies
from handbook.urls import DATA, DEFAULT_LANGUAGE, PRACTICES_CSV, PRACTICES_JSON, language_prefix
from handbook.views.catalogue import catalogue_records, record_cell, record_columns

DATA_FOLDER = DATA


def export_texts(
    practices: Sequence[Practice], vocabularies: Vocabularies, language: str, default_language: str, base: str = "/"
) -> dict[str, str]:
    """File name → content of the data folder of one language; URLs are paths under `base`."""
    records = catalogue_records(practices, language, default_language, base)
    texts = {PRACTICES_JSON: json.dumps(records, ensure_ascii=False, indent=1) + "\n", PRACTICES_CSV: csv_text(records, vocabularies)}
    texts.update(schema_texts(vocabularies))
    return texts


def csv_text(records: Sequence[dict[str, Any]], vocabularies: Vocabularies) -> str:
    """The records as CSV for a spreadsheet: a byte-order mark (so it reads the file as UTF-8), a header of the
    columns, one row per record, CRLF line ends, fields quoted where needed (RFC 4180)."""
    columns = record_columns(vocabularies)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([record_cell(record, column) for column in columns] for record in records)
    return "\ufeff" + out.getvalue()


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
