"""The Jinja environment of the site's templates: Material's own partials, the interface labels, URL segments, head metadata, the `hb_code` filter."""

from __future__ import annotations

import re
from pathlib import Path

import material
from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from handbook.urls import DEFAULT_LANGUAGE, HANDBOOKS, PRACTICES
from handbook.views.labels import interface_labels
from handbook.views.practice import SEARCH_WORDS_WEIGHT, SUMMARY_META
from handbook.web.head import head_meta
from handbook.web.office import downloads

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process: MkDocs makes a new environment for every build
    and every language, so `mkdocs serve` would compile the same ~90 templates again on each save. Jinja
    keys a bucket by template name and source checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = MemoryBytecodeCache()


def inline_code(text: str) -> Markup:
    """Escape an interface text and show its `backticked` parts as code."""
    escaped = str(escape(text))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def configure(env: Environment, language: str) -> Environment:
    """Let templates include Material's partials as `material/...`; give them the labels of `language` as `hb`."""
    assert env.loader is not None
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(MATERIAL_TEMPLATES)})])
    env.bytecode_cache = COMPILED_TEMPLATES
    env.globals["hb"] = {key: texts[language] for key, texts in interface_labels().items()}
    env.globals["hb_search"] = {"summary_meta": SUMMARY_META, "search_words_weight": SEARCH_WORDS_WEIGHT}  # views/practice.py
    env.globals["hb_urls"] = {"practices": f"{PRACTICES}/", "handbooks": f"{HANDBOOKS}/", "default_language": DEFAULT_LANGUAGE}
    env.globals["hb_head_meta"] = head_meta  # canonical, hreflang, description and Open Graph, escaped (head.py)
    env.globals["hb_downloads"] = downloads  # a template page's links to its .docx and .odt (office.py)
    env.filters["hb_code"] = inline_code
    return env
