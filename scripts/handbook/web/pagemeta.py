"""Output encoding of what the theme prints from a page's front matter without escaping.

MkDocs does not autoescape, and Material prints these front matter values as they are:
`title` (into `<title>` and the header), `description` and `author` (into `<meta … content="…">`),
`subtitle` (as `<small>` in the navigation of every page that lists the page) and `status` (into a
`class="md-status md-status--…"` attribute, again in the navigation of every page). The plugin hands the
theme escaped values instead: `Markup` objects, which print as escaped text and are not escaped twice by a
template's `| e`. The gate refuses these values first (the keys of a hand-written page are on an
allow-list, every value is plain text: `docs_check.py`); this is the second line, for every page.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from markupsafe import Markup, escape

ESCAPED_KEYS = ("title", "description", "author", "subtitle", "status")  # what Material's templates print


def escape_page_meta(meta: MutableMapping[str, Any]) -> None:
    """Replace each printed front matter text by its escaped form (in place; already escaped ones stay).

    A printed value that is not text (a number, a list, a mapping) is printed as its text: escaped too."""
    for key in ESCAPED_KEYS:
        value = meta.get(key)
        if not value or isinstance(value, Markup):  # an empty or false value prints nothing
            continue
        meta[key] = escape(value if isinstance(value, str) else str(value))
