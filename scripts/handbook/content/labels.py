"""The interface texts per language, read once: `interface.yml` (site, and the labels of the practice fields) and
`handbook_labels.yml` (handbook pages and PDFs). `views/labels.py` is where the pages take them; the messages of
`handbook check` name a field by its label here (`field_label`), so a field has one label, on the page and in a message.

Both files are read strictly (no `yes:`/`no:` turned into booleans) and once per process.
"""

from __future__ import annotations

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


def field_label(names: tuple[str, ...], language: str) -> str | None:
    """The label of the field at `names` (`("sources", "accessed")`) in `language`: the interface text of its whole
    path (`sources_accessed`), else of a shorter tail (`accessed`); None when there is none."""
    labels = interface_labels()
    for start in range(len(names)):
        texts = labels.get("_".join(names[start:]))
        if isinstance(texts, dict) and isinstance(texts.get(language), str):
            return texts[language]
    return None
