"""The end of a site build, once the last language is written: the default language's 404 page at the root,
Pagefind over the finished site, and the check that every written page carries exactly the site's policy;
and the failures the plugin reports as MkDocs messages (`as_message`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from handbook.pdf.render import PdfError
from handbook.problems import ContentError
from handbook.web.csp import config_policy, site_problems
from handbook.web.search import SearchIndexError, index_site, index_site_later

NOT_FOUND = "404.html"  # every language build writes the root's 404 page; the default language's must stay


class FinishError(Exception):
    """Pages that do not carry the site's policy, or hold what it refuses; the message lists them."""


def finish_site(config: MkDocsConfig, command: str, not_found: str | None, search: bool) -> None:
    """The end of the site `config` built under MkDocs' `command`. `not_found`: the default language's 404 page,
    written last. Only `build` checks the site's policy (serve adds a live-reload script); under `serve` the
    search index is made in the background (`index_site_later`)."""
    site_dir = Path(config.site_dir)
    policy = config_policy(config) if command == "build" else None
    if not_found is not None:
        (site_dir / NOT_FOUND).write_text(not_found, encoding="utf-8")
    if search and command == "serve":
        index_site_later(site_dir)
    elif search:
        index_site(site_dir)
    if policy is not None and (problems := site_problems(site_dir, policy)):
        raise FinishError("pages without the site's Content-Security-Policy, or with what it refuses:\n" + "\n".join(problems))


@contextmanager
def as_message() -> Iterator[None]:
    """Turn the failures the handbook reports itself into a `PluginError`: MkDocs shows its message, not a traceback."""
    try:
        yield
    except (ContentError, PdfError, SearchIndexError, FinishError, OSError) as error:
        raise PluginError(str(error)) from None
