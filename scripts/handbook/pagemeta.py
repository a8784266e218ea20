"""Output encoding of what the theme prints from a page's front matter (title, description) without escaping.

Material prints `page.meta.title` into `<title>` and the header, and `page.meta.description` into
`<meta name="description" content="…">`, as they are (MkDocs does not autoescape). The plugin hands it
escaped values instead: `Markup` objects, which print as escaped text and are not escaped twice by a
template's `| e`. The plain-text check refuses `<` and `>` in these fields first; this is the second line.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from markupsafe import Markup, escape

ESCAPED_KEYS = ("title", "description", "author")


def escape_page_meta(meta: MutableMapping[str, Any]) -> None:
    """Replace each printed front matter text by its escaped form (in place; already escaped ones stay)."""
    for key in ESCAPED_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            meta[key] = escape(value)
