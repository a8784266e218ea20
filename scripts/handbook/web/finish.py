"""The end of a site build, once the last language is written: the default language's 404 page at the root,
Pagefind over the finished site, and the check that every written page carries exactly the site's policy;
and the failures the plugin reports as MkDocs messages (`as_message`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.exceptions import PluginError

from handbook.pdf.render import PdfError
from handbook.problems import ContentError
from handbook.web.csp import SitePolicy, site_problems
from handbook.web.search import SearchIndexError, index_site, index_site_later

NOT_FOUND = "404.html"  # every language build writes the root's 404 page; the default language's must stay


class FinishError(Exception):
    """Pages that do not carry the site's policy, or hold what it refuses; the message lists them."""


def finish_site(site_dir: Path, not_found: str | None, search: bool, policy: SitePolicy | None) -> None:
    """`not_found`: the default language's 404 page, written last; `policy`: None for a preview (no policy, and
    the search index made in the background: `index_site_later`)."""
    if not_found is not None:
        (site_dir / NOT_FOUND).write_text(not_found, encoding="utf-8")
    if search and policy is None:
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
