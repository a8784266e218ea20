"""Check the links of the built site: every internal link and anchor offline, external links on request.

Internal links are resolved the way a static web server does (`page/` → `page/index.html`), and a
`#fragment` must be an `id` (or `<a name>`) on the target page. Links to the site's own address (its
`site_url`, read from the canonical link of the home page) count as internal. External links are only
listed unless `--external` is given; then each distinct URL is requested once, if it is a public web
address (`public_url.public_url_problem`, the rule practice.yml's URLs are checked with) whose host resolves
only to global IP addresses; a redirect is followed only to such an address. Any other URL is reported, not
requested: the job's log is public, and internal addresses (`169.254.169.254`, `localhost`) stay unasked.

    python -m handbook.web.linkcheck site              # offline: internal links and anchors
    python -m handbook.web.linkcheck site --external   # also request every external URL

Why our own and not a maintained checker (measured December 2026 on the built site, 103 pages and 6,388
internal links, with four faults seeded into one page: a missing page, a missing anchor, the Dutch anchor
on the English page, a missing PDF; and a valid link into the other language, a mailto: and two external
links that must not be requested; two alternated rounds on a shared machine): this checker found the four
and nothing else in 2.6-5.0 s (0.6-0.8 s CPU). hyperlink 5.0.4 (npm) found the four too, in 70-79 s (16-19 s
CPU); LinkChecker 10.6 (PyPI) the four, the anchors only as warnings, in 309-311 s (33 s CPU; it requests
at most 10 URLs a second from one host, through a local web server); linkinator 7.6.1 (npm) only 2 and 3
of them: it checks an anchor only when the link to it is found before the target page is fetched. None
requested an external link offline. On a site of 1,000 practices (2,047 pages, 142,350 internal links) this
checker found the four and nothing else in 15 s (11 s CPU); linkinator took 922 s (477 s CPU), found 2 and
reported 41,072 working links as broken (its own server's failed connections). The external check
(`--external`, with the `refusal` rule) would be ours in any case: none of them has it.
"""

from __future__ import annotations

import argparse
import ipaddress
import posixpath
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from handbook.content.public_url import public_url_problem
from handbook.messages import _

# The attributes that make a browser follow or fetch a URL.
LINK_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src", "iframe": "src", "source": "src"}
USER_AGENT = "handbook-linkcheck (+https://www.mkdocs.org/)"


@dataclass(frozen=True)
class Link:
    page: Path  # the HTML file the link is on
    line: int
    url: str


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: Path
    line: int
    url: str
    reason: str

    def format(self) -> str:
        return f"{self.page.as_posix()}:{self.line}: broken link '{self.url}': {self.reason}"


@dataclass
class Page:
    """What the checker needs from one HTML file: its links, its anchors and its canonical address."""

    links: list[tuple[int, str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    canonical: str | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.page.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.anchors.add(values["name"])
        if tag == "link" and values.get("rel") == "canonical":
            self.page.canonical = values.get("href")
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and attribute in values:
            self.page.links.append((self.getpos()[0], values[attribute].strip()))


def parse_page(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


@dataclass
class BuiltPages:
    """The built site: every HTML page parsed once, keyed by its path relative to the site folder."""

    folder: Path
    pages: dict[str, Page]
    site_url: str | None

    @classmethod
    def read(cls, folder: Path, site_url: str | None = None) -> BuiltPages:
        pages = {path.relative_to(folder).as_posix(): parse_page(path) for path in sorted(folder.rglob("*.html"))}
        home = pages.get("index.html")
        return cls(folder, pages, site_url or (home.canonical if home else None))

    def links(self) -> list[Link]:
        return [Link(self.folder / name, line, url) for name, page in self.pages.items() for line, url in page.links]


def is_internal(url: str, site_url: str | None) -> bool:
    """A link into the site itself: a relative or absolute path, or the site's own address."""
    if site_url and url.startswith(site_url):
        return True
    return bool(url) and not urlsplit(url).scheme and not url.startswith("//")


def is_external(url: str, site_url: str | None) -> bool:
    """A web link to another site (other schemes, such as mailto:, are neither internal nor external)."""
    web = urlsplit(url).scheme in ("http", "https") or url.startswith("//")
    return web and not is_internal(url, site_url)


def _target_file(built: BuiltPages, page_name: str, path: str) -> str | None:
    """The site file a URL path points to (relative to the site folder), or None when there is none."""
    if built.site_url and path.startswith(built.site_url):
        joined = path[len(built.site_url) :]
    elif path.startswith("/"):
        base = urlsplit(built.site_url).path if built.site_url else "/"
        if not path.startswith(base):
            return None
        joined = path[len(base) :]
    else:
        joined = posixpath.join(posixpath.dirname(page_name), path)
    wants_folder = joined.endswith("/") or joined in ("", ".")
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".." or normal.startswith("../"):
        return None
    normal = "" if normal == "." else normal
    candidates = [posixpath.join(normal, "index.html")] if wants_folder else [normal, posixpath.join(normal, "index.html")]
    return next((candidate for candidate in candidates if (built.folder / candidate).is_file()), None)


def check_internal(built: BuiltPages) -> list[BrokenLink]:
    """Every internal link whose file or anchor does not exist in the built site."""
    broken = []
    for name, page in built.pages.items():
        for line, url in page.links:
            if not is_internal(url, built.site_url):
                continue
            address = url.split("#", 1)[0].split("?", 1)[0]
            target = name if not address else _target_file(built, name, unquote(address))
            if target is None:
                broken.append(BrokenLink(built.folder / name, line, url, "no such page or file in the built site"))
                continue
            fragment = unquote(urlsplit(url).fragment)
            target_page = built.pages.get(target)
            if fragment and target_page is not None and fragment not in target_page.anchors:
                broken.append(BrokenLink(built.folder / name, line, url, f"no anchor '#{fragment}' on {target}"))
    return sorted(broken)


def external_links(built: BuiltPages) -> dict[str, list[Link]]:
    """The distinct external URLs (without fragment), each with the places it is linked from."""
    found: dict[str, list[Link]] = {}
    for link in built.links():
        if is_external(link.url, built.site_url):
            url = link.url.split("#", 1)[0]
            found.setdefault("https:" + url if url.startswith("//") else url, []).append(link)
    return found


def refusal(url: str) -> str | None:
    """Why the link job must not request `url` (not a public web address, or a host that resolves to an
    address that is not global, such as 127.0.0.1 behind a public-looking name), or None."""
    problem = public_url_problem(url)
    if problem is not None:
        return _(problem)
    host = urlsplit(url).hostname or ""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError) as error:
        return f"cannot connect: {error}"
    private = sorted(address for address in addresses if not ipaddress.ip_address(address.split("%", 1)[0]).is_global)
    if private:
        return _("the host name resolves to an address that is not public ({address}): not requested", address=private[0])
    return None


class _RefusedRedirect(urllib.error.URLError):
    """A redirect to an address the job must not request."""


class _PublicRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a URL that `refuse` (`refusal`) accepts."""

    def __init__(self, refuse: Callable[[str], str | None]) -> None:
        self.refuse = refuse

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        reason = self.refuse(newurl)
        if reason is not None:
            raise _RefusedRedirect(_("redirects to {url}, which is not requested: {reason}", url=newurl, reason=reason))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def request_status(url: str, timeout: float, refuse: Callable[[str], str | None] = refusal) -> str | None:
    """None when the URL answers (after redirects to public addresses only), else why not. HEAD first, GET where
    HEAD is refused. A URL that `refuse` refuses is not requested, nor followed to (a test gives its own rule)."""
    refused = refuse(url)
    if refused is not None:
        return refused
    opener = urllib.request.build_opener(_PublicRedirects(refuse))
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with opener.open(request, timeout=timeout):  # only public http(s) URLs reach here
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"HTTP {error.code} {error.reason}"
        except _RefusedRedirect as error:
            return str(error.reason)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"cannot connect: {reason}"
    return None  # pragma: no cover - the GET either returned or raised


def check_external(
    built: BuiltPages, timeout: float = 20, workers: int = 8, refuse: Callable[[str], str | None] = refusal
) -> list[BrokenLink]:
    """Every place that links to an external URL that does not answer or must not be requested."""
    links = external_links(built)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = dict(zip(links, pool.map(lambda url: request_status(url, timeout, refuse), links), strict=True))
    return sorted(BrokenLink(link.page, link.line, link.url, reason) for url, reason in statuses.items() if reason for link in links[url])


def run(folder: Path, *, external: bool = False, site_url: str | None = None, timeout: float = 20) -> int:
    if not (folder / "index.html").is_file():
        print(f"{folder}/index.html does not exist: build the site first (scripts/serve.sh build)", file=sys.stderr)
        return 1
    built = BuiltPages.read(folder, site_url)
    broken = check_internal(built)
    outside = external_links(built)
    if external:
        broken += check_external(built, timeout)
    for link in broken:
        print(link.format())
    internal_count = sum(is_internal(link.url, built.site_url) for link in built.links())
    summary = f"{len(built.pages)} pages, {internal_count} internal links"
    summary += f", {len(outside)} external URLs {'checked' if external else 'not checked (use --external)'}"
    if broken:
        print(f"{len(broken)} broken link{'s' if len(broken) != 1 else ''} ({summary}).", file=sys.stderr)
        return 1
    print(f"No broken links: {summary}.", file=sys.stderr)
    return 0


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default="site", metavar="SITE", help="the built site folder (default: site)")
    parser.add_argument("--external", action="store_true", help="also request every external URL (needs the network)")
    parser.add_argument("--site-url", help="the site's published address (default: the canonical link of SITE/index.html)")
    parser.add_argument("--timeout", type=float, default=20, help="seconds to wait for each external URL (default: 20)")


def _command(args: argparse.Namespace) -> int:
    return run(Path(args.folder), external=args.external, site_url=args.site_url, timeout=args.timeout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook.web.linkcheck", description=__doc__.splitlines()[0] if __doc__ else None)
    _configure(parser)
    return _command(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
