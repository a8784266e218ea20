"""The handbook plugin's options in mkdocs.yml, read by MkDocs' own config machinery."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from handbook.gate import Layout


class HandbookConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options, described in ARCHITECTURE.md ("Plugin options")."""

    practices = c.Type(str, default=Layout.practices)  # the content's folders, relative to mkdocs.yml;
    vocabularies = c.Type(str, default=Layout.vocabularies)  # the `handbook` command reads them from here too
    handbooks = c.Type(str, default=Layout.handbooks)
    pdf_cache = c.Type(str, default=".cache/pdf/site")  # where the site's PDFs are rendered, gitignored
    edit_url = c.Optional(c.Type(str))  # base URL of practices/ in the repository's web editor
    repository = c.Optional(c.Type(str))  # the repository's address: the Bijdragen page links it and its issue form
    pdf = c.Type(bool, default=True)  # render the PDF handbooks
    search = c.Type(bool, default=True)  # index the finished site with Pagefind


def site_root(config: MkDocsConfig) -> Path:
    """The repository root: the config file's folder, or for a build without one the docs folder's parent."""
    return Path(config.config_file_path).parent if config.config_file_path else Path(config.docs_dir).resolve().parent


def site_layout(config: MkDocsConfig, options: HandbookConfig) -> Layout:
    """Where the content is, by the plugin's options (relative to the root) and MkDocs' docs_dir (absolute by now)."""
    root = site_root(config)
    return Layout(root, options.practices, options.handbooks, options.vocabularies, os.path.relpath(config.docs_dir, root))
