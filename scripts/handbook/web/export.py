"""The catalogue published as data: `data/practices.json` and `data/practices.csv` per language, and the JSON Schemas.

`mkdocs serve` keeps an `ExportMemo` from one rebuild to the next: a practice's JSON and CSV row are made again
only when its object is new (`load_content` with a memo gives an unchanged folder's practice object again).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from handbook.content.model import Practice
from handbook.content.schema import schema_texts
from handbook.content.vocabulary import Vocabularies
from handbook.urls import DATA, DEFAULT_LANGUAGE, PRACTICES_CSV, PRACTICES_JSON, language_prefix
from handbook.views.catalogue import practice_record, record_cell, record_columns, sort_practices

DATA_FOLDER = DATA

Exported = tuple[Practice, list[str], str, list[str]]  # the practice, the CSV's columns, its JSON item, its CSV row


@dataclass
class ExportMemo:
    """Each practice's exported record by (language, base, practice id), with the practice object and columns it
    was made from: reused while both are the same."""

    records: dict[tuple[str, str], dict[str, Exported]] = field(default_factory=dict)


def export_texts(
    practices: Sequence[Practice],
    vocabularies: Vocabularies,
    language: str,
    default_language: str,
    base: str = "/",
    memo: ExportMemo | None = None,
) -> dict[str, str]:
    """File name → content of the data folder of one language; URLs are paths under `base`. The JSON is the list of
    records as `json.dumps(records, indent=1)` writes it, put together from each record's own item."""
    columns = record_columns(vocabularies)
    prior = memo.records.get((language, base), {}) if memo else {}
    exported: dict[str, Exported] = {}
    for practice in sort_practices(practices, language):
        kept = prior.get(practice.id)
        if kept is None or kept[0] is not practice or kept[1] != columns:
            record = practice_record(practice, language, default_language, base)
            item = json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n ")  # one level down in the list
            kept = (practice, columns, item, [record_cell(record, column) for column in columns])
        exported[practice.id] = kept
    if memo is not None:
        memo.records[language, base] = exported
    items = [item for _practice, _columns, item, _row in exported.values()]
    listed = "[\n " + ",\n ".join(items) + "\n]" if items else "[]"
    texts = {PRACTICES_JSON: listed + "\n", PRACTICES_CSV: csv_text(columns, [row for *_kept, row in exported.values()])}
    texts.update(schema_texts(vocabularies))
    return texts


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The rows as CSV for a spreadsheet: a byte-order mark (so it reads the file as UTF-8), a header of the
    columns, one row per record, CRLF line ends, fields quoted where needed (RFC 4180)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def publish_data(
    site_dir: Path,
    practices: Sequence[Practice],
    vocabularies: Vocabularies,
    language: str,
    site_url: str | None,
    memo: ExportMemo | None = None,
) -> Path:
    """Write the data folder of one language into the built site; return that language's folder."""
    base = urlsplit(site_url or "/").path or "/"  # the site may live under a path, as on GitHub Pages
    language_dir = site_dir / language_prefix(language)
    write_export(language_dir, export_texts(practices, vocabularies, language, DEFAULT_LANGUAGE, base, memo))
    return language_dir


def write_export(site_language_dir: Path, texts: dict[str, str]) -> None:
    folder = site_language_dir / DATA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
