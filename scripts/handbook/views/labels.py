"""The interface texts per language: `interface.yml` (site) and `handbook_labels.yml` (handbook pages and PDFs),
read once by `content/labels.py` (which the check messages share for the labels of the fields).
"""

from __future__ import annotations

import datetime

from handbook.content.labels import HANDBOOK_LABELS_FILE, INTERFACE_FILE, interface_labels, label, read_labels

__all__ = [
    "HANDBOOK_LABELS_FILE",
    "INTERFACE_FILE",
    "format_date",
    "format_size",
    "handbook_label",
    "handbook_labels",
    "interface_labels",
    "label",
]


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
