"""The interface texts per language: `interface.yml` (site) and `handbook_labels.yml` (handbook pages and PDFs).

Both files are read strictly (no `yes:`/`no:` turned into booleans) and once per process.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path
from typing import Any

from handbook.content import yaml_reader

INTERFACE_FILE = Path(__file__).resolve().parents[1] / "interface.yml"
HANDBOOK_LABELS_FILE = Path(__file__).resolve().parents[1] / "handbook_labels.yml"


@cache
def read_labels(path: Path) -> dict[str, dict[str, Any]]:
    """A file of interface texts per language."""
    labels: dict[str, dict[str, Any]] = yaml_reader.load(path.read_text(encoding="utf-8")).data
    return labels


def interface_labels() -> dict[str, dict[str, str]]:
    return read_labels(INTERFACE_FILE)


def label(key: str, language: str) -> str:
    return interface_labels()[key][language]


def handbook_label(key: str, language: str) -> str:
    return str(read_labels(HANDBOOK_LABELS_FILE)[key][language])


def handbook_labels(language: str) -> dict[str, str]:
    """Every text label of handbook pages and PDFs in `language` (month names left out)."""
    return {key: str(texts[language]) for key, texts in read_labels(HANDBOOK_LABELS_FILE).items() if key != "months"}


def format_date(date: datetime.date, language: str) -> str:
    """'26 mei 2015' / '26 May 2015'."""
    month = read_labels(HANDBOOK_LABELS_FILE)["months"][language][date.month - 1]
    return f"{date.day} {month} {date.year}"


def format_size(size: int, language: str) -> str:
    """A file size for readers: '1,4 MB' / '1.4 MB', or kB below one megabyte."""
    text = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"
    return text.replace(".", ",") if language == "nl" else text
