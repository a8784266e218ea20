"""The handbook plugin's options in mkdocs.yml, read by MkDocs' own config machinery."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

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
