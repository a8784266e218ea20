"""PDF handbooks: one HTML document assembled from the templates in `print/`, rendered by WeasyPrint.

The PDF is tagged (PDF/UA-1), A4, with fonts embedded (DejaVu, from local files only: nothing is fetched
from the network). Practices are rendered with the site's own Markdown configuration. With
`SOURCE_DATE_EPOCH` set, the same inputs give a byte-identical file; a content-hash cache skips the
render when nothing changed.

Phases, reported through a progress callback: assemble (Markdown, QR codes, templates), layout
(WeasyPrint, page by page), writing.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import segno

from handbook.cache import CACHE_FOLDER, PDF_FOLDER, keyed_name, safe_folder
from handbook.checks.docs_check import PageSource
from handbook.content.handbook_loading import check_handbooks, handbook_files, handbook_problems, load_handbook
from handbook.content.handbook_model import Handbook
from handbook.content.model import LanguageVersion, Practice
from handbook.content.practice_links import for_print
from handbook.content.vocabulary import Vocabularies
from handbook.gate import Layout, load_content, site_settings
from handbook.markdown_render import MarkdownSettings, render_markdown
from handbook.messages import _, ngettext
from handbook.pdf.fetch import content_fetcher, refusals_as, repository_allowed
from handbook.pdf.tables import add_header_scopes
from handbook.problems import ContentError, Problem
from handbook.settings import Settings
from handbook.urls import DEFAULT_LANGUAGE, LANGUAGES, pdf_filename, practice_url
from handbook.views.handbooks import programme_view
from handbook.views.labels import format_date, handbook_labels, label
from handbook.views.practice import practice_card, source_anchor, status_note
from handbook.views.selection import handbook_practices

log = logging.getLogger(__name__)

PRINT_DIR = "print"  # templates and print CSS, at the repository root
TEMPLATE = "handbook.html"
FONTS_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian package fonts-dejavu-core
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf", "DejaVuSansMono.ttf")
PDF_VARIANT = "pdf/ua-1"
# pdf_identifier=True: the file ID is a digest of the content, so it is reproducible.
WEASYPRINT_OPTIONS: dict[str, Any] = {"pdf_variant": PDF_VARIANT, "pdf_identifier": True}
ANCHOR_PREFIX = "p-"  # id of a practice's article in the document
LAYOUT_PROGRESS_EVERY = 25  # pages
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})

Progress = Callable[[str], None]


class PdfError(Exception):
    """The PDF cannot be made (missing fonts, an image without alt text, a WeasyPrint error)."""


def _log_progress(message: str) -> None:
    log.info(message)


# --- inputs: edition, site address, Markdown, fonts --------------------------------------------------


@dataclass(frozen=True)
class Edition:
    """When this edition was made: SOURCE_DATE_EPOCH, else the last commit of the content, else today (UTC)."""

    moment: datetime.datetime

    @property
    def timestamp(self) -> str:
        return self.moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def label(self, language: str) -> str:
        return format_date(self.moment.astimezone(datetime.UTC).date(), language)

    @classmethod
    def of(cls, layout: Layout) -> Edition:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return cls(datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC))
        try:
            committed = subprocess.run(
                ["git", "log", "-1", "--format=%ct", "--", *edition_paths(layout)],
                cwd=layout.root,
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout.strip()
            if committed:
                return cls(datetime.datetime.fromtimestamp(int(committed), tz=datetime.UTC))
        except (OSError, subprocess.SubprocessError, ValueError):
            pass
        today = datetime.datetime.now(datetime.UTC).date()
        return cls(datetime.datetime(today.year, today.month, today.day, tzinfo=datetime.UTC))


def edition_paths(layout: Layout) -> tuple[str, ...]:
    """What the PDFs are made of: a commit elsewhere does not make a new edition."""
    return (layout.practices, layout.handbooks, PRINT_DIR)


def is_public(site_url: str) -> bool:
    """Whether a PDF may print this address in its links and QR codes: not empty, not this machine."""
    host = urllib.parse.urlsplit(site_url).hostname or ""
    return bool(host) and host not in LOCAL_HOSTS and not host.startswith("127.")


def print_markdown(site: MarkdownSettings) -> MarkdownSettings:
    """The site's Markdown settings (`Settings.markdown`) without the ¶ permalinks and without snippets
    (contributed text never includes a file); `##` sections become h3 under the practice's h2."""
    return site.contributed.with_config("toc", permalink=False, baselevel=2)


def font_files() -> list[Path]:
    missing = [name for name in FONT_FILES if not (FONTS_DIR / name).is_file()]
    if missing:
        raise PdfError(f"fonts not found in {FONTS_DIR}: {', '.join(missing)}; install them with `apt-get install fonts-dejavu-core`")
    return [FONTS_DIR / name for name in FONT_FILES]


@dataclass(frozen=True)
class PdfOptions:
    """Where the content, templates and caches are, how Markdown renders, and what the colophon and QR codes say."""

    layout: Layout  # its root holds print/
    markdown: MarkdownSettings  # for print (`print_markdown`)
    site_url: str
    edition: Edition
    cache_dir: Path | None  # None: always render
    progress: Progress = _log_progress
    draft: bool = False  # the cover says DRAFT / ONTWERP: the address is not the published site's

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def print_dir(self) -> Path:
        return self.root / PRINT_DIR

    @classmethod
    def of(
        cls,
        settings: Settings,
        *,
        site_url: str | None = None,
        cache: bool = True,
        progress: Progress | None = None,
        draft: bool | None = None,
    ) -> PdfOptions:
        """Options for the site of `settings` (its `site_url` unless another is given); `draft` None: a draft
        exactly when the address is not public."""
        address = site_url or settings.site_url
        return cls(
            layout=settings.layout,
            markdown=print_markdown(settings.markdown),
            site_url=address,
            edition=Edition.of(settings.layout),
            cache_dir=safe_folder(settings.root, f"{CACHE_FOLDER}/{PDF_FOLDER}") if cache else None,
            progress=progress or _log_progress,
            draft=not is_public(address) if draft is None else draft,
        )


# --- HTML of one practice ----------------------------------------------------------------------------


class _TagAttributes(HTMLParser):
    """The attributes of the first start tag in a piece of HTML."""

    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str | None] = {}
        self.feed(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.attributes:
            self.attributes = dict(attrs)

    handle_startendtag = handle_starttag


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ID = re.compile(r'(?<=\s)id="([^"]*)"')
_FRAGMENT = re.compile(r'(?<=\s)href="#([^"]*)"')
_SRC = re.compile(r'(?<=\s)src="[^"]*"')


def images_without_alt(html: str) -> list[str]:
    """The `src` of every <img> with no or empty alt text."""
    missing = []
    for tag in _IMG.findall(html):
        attributes = _TagAttributes(tag).attributes
        if not (attributes.get("alt") or "").strip():
            missing.append(attributes.get("src") or "(no src)")
    return missing


def _body_line_holding(translation: LanguageVersion, needle: str) -> int:
    for offset, line in enumerate(translation.body.splitlines()):
        if needle in line:
            return translation.body_line + offset
    return translation.body_line


def localise_images(html: str, translation: LanguageVersion, problems: list[Problem]) -> str:
    """Point every image at its file next to the text (as a file URI), checking alt text and existence."""

    def fix(match: re.Match[str]) -> str:
        tag = match.group(0)
        attributes = _TagAttributes(tag).attributes
        src = attributes.get("src") or ""
        line = _body_line_holding(translation, src) if src else translation.body_line
        if not (attributes.get("alt") or "").strip():
            problems.append(
                Problem(
                    translation.path,
                    line,
                    f"image '{src}' has no alt text; describe what it shows: ![what the image shows]({src}) "
                    "(accessible PDF and web pages need it)",
                )
            )
        parsed = urllib.parse.urlsplit(src)
        if parsed.scheme == "data":
            return tag
        if parsed.scheme or parsed.netloc or not parsed.path:
            problems.append(
                Problem(translation.path, line, f"image '{src}': images must be files in the practice folder, not web addresses")
            )
            return tag
        path = (translation.path.parent / urllib.parse.unquote(parsed.path)).resolve()
        if not path.is_file():
            problems.append(Problem(translation.path, line, f"image '{src}' not found next to {translation.path.name}"))
            return tag
        return _SRC.sub(f'src="{path.as_uri()}"', tag, count=1)

    return _IMG.sub(fix, html)


def prefix_ids(html: str, prefix: str) -> str:
    """Make the ids (and links to them) of one rendered text unique within the whole document."""
    html = _ID.sub(lambda match: f'id="{prefix}{match.group(1)}"', html)
    return _FRAGMENT.sub(lambda match: f'href="#{prefix}{match.group(1)}"', html)


def qr_code(url: str) -> str:
    """A QR code to `url` as an SVG data URI (with a 4-module quiet zone, scalable by CSS)."""
    return str(segno.make(url, error="m").svg_data_uri(unit="mm"))


def practice_print_view(
    practice: Practice,
    vocabularies: Vocabularies,
    language: str,
    settings: MarkdownSettings,
    site_url: str,
    problems: list[Problem],
    in_handbook: Collection[str] = (),
) -> dict[str, Any]:
    """What the print template shows of one practice; `in_handbook`: the ids its links may point to inside the PDF."""
    facts = practice.facts
    translation = practice.text_in(language)
    anchor = f"{ANCHOR_PREFIX}{practice.id}"
    body = prefix_ids(render_markdown(translation.body, settings), f"{anchor}-")
    body = for_print(body, practice.id, in_handbook, site_url, language, ANCHOR_PREFIX)
    url = site_url.rstrip("/") + practice_url(practice.id, language, DEFAULT_LANGUAGE)
    review = vocabularies["review_statuses"].terms[facts.review.status]
    return {
        "id": practice.id,
        "anchor": anchor,
        "title": translation.text.title,
        "summary": translation.text.summary,
        "text_lang": translation.language if translation.language != language else None,
        "body": localise_images(body, translation, problems),
        "card": practice_card(practice, vocabularies, language),
        "kind": vocabularies["kinds"].label(facts.kind, language),
        "evidence": vocabularies["evidence_levels"].label(facts.evidence_level, language)
        if facts.evidence_level is not None
        else label("no_evaluation_for_method", language),
        "review": review.label(language),
        "last_reviewed": format_date(facts.review.last_reviewed, language) if facts.review.last_reviewed else None,
        "sources_checked": format_date(facts.review.sources_checked, language) if facts.review.sources_checked else None,
        "status": status_note(facts, vocabularies, language, anchor_prefix=f"{anchor}-"),
        "sources": [
            {
                **source.model_dump(),
                "accessed": format_date(source.accessed, language) if source.accessed else None,
                "anchor": f"{anchor}-{source_anchor(number, language)}",
            }
            for number, source in enumerate(facts.sources, 1)
        ],
        "links": [{"url": link.url, "label": link.label.get(language)} for link in facts.links],
        "contact": facts.contact.model_dump() if facts.contact else None,
        "url": url,
        "qr": qr_code(url),
        "qr_alt": handbook_labels(language)["qr_alt"].format(url=url),
        "labels": {
            key: label(key, language)
            for key in (
                "practice_facts",
                "evidence_level",
                "review_status",
                "last_reviewed",
                "sources_checked",
                "sources",
                "accessed",
                "links",
                "contact",
            )
        },
    }


# --- the whole document ------------------------------------------------------------------------------


def css_content(text: str, **expressions: str) -> str:
    """A label with {placeholders} as a CSS `content` value: 'page {page}' -> '"page " counter(page)'."""
    values = []
    for index, part in enumerate(re.split(r"\{(\w+)\}", text)):
        if index % 2:
            values.append(expressions[part])
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            values.append(f'"{escaped}"')
    return " ".join(values)


_LOCAL_LINK = re.compile(r'<a href="(?![a-z][a-z0-9+.-]*:|#)[^"]*">(.*?)</a>', re.DOTALL)


def appendix_view(page: str, language: str, settings: MarkdownSettings, layout: Layout) -> dict[str, str]:
    """A page of the site's pages folder (such as a template) for the appendix: its title and its HTML, `#` as h2.

    The page is read as MkDocs reads it (`docs_check.PageSource`): its front matter is never rendered;
    its title is its first heading, else its `title`, as text (the print templates escape it). Links to other pages of the site
    keep their text only: in print they would lead nowhere."""
    path = layout.docs_dir / f"{page}.{language}.md"
    if not path.is_file():
        raise PdfError(f"appendix page {layout.docs}/{page}.{language}.md does not exist")
    source = PageSource.read(path)
    title = source.meta.get("title")
    fallback = title if isinstance(title, str) else page
    heading = next((line[2:].strip() for line in source.body.splitlines() if line.startswith("# ")), fallback)
    anchor = "appendix-" + page.replace("/", "-")
    html = _LOCAL_LINK.sub(r"\1", prefix_ids(render_markdown(source.body, settings), f"{anchor}-"))
    return {"anchor": anchor, "title": heading, "html": html}


def print_environment(print_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(print_dir),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def assemble_html(handbook: Handbook, practices: Sequence[Practice], vocabularies: Vocabularies, language: str, options: PdfOptions) -> str:
    """The whole handbook as one HTML document; raises ContentError on images without alt text."""
    by_id = {practice.id: practice for practice in practices}  # once per document; the site has Content.by_id()
    chosen = handbook_practices(handbook, by_id, language)
    options.progress(
        _("{handbook} ({language}): assembling {count} practices …", handbook=handbook.id, language=language, count=len(chosen))
    )
    settings = options.markdown
    labels = handbook_labels(language)
    problems: list[Problem] = []
    ids = {practice.id for practice in chosen}
    views = [practice_print_view(practice, vocabularies, language, settings, options.site_url, problems, ids) for practice in chosen]
    if problems:
        raise ContentError(problems, options.root)
    definition = handbook.definition
    programme = None
    if definition.programme:
        programme = programme_view(handbook, by_id, vocabularies, language)
        for session in programme["sessions"]:
            for item in [session, *session["workshops"]]:
                for link in item["practices"]:
                    link["anchor"] = f"{ANCHOR_PREFIX}{link['id']}"
    appendix = [appendix_view(page, language, settings, options.layout) for page in definition.appendix]
    introduction = ""
    if definition.introduction:
        introduction = prefix_ids(render_markdown(definition.introduction.get(language), settings), "introduction-")
    title = definition.title.get(language)
    html = (
        print_environment(options.print_dir)
        .get_template(TEMPLATE)
        .render(
            language=language,
            handbook={
                "title": title,
                "subtitle": definition.subtitle.get(language) if definition.subtitle else None,
                "date_label": format_date(definition.date, language) if definition.date else None,
                "venue": definition.venue,
                "organisers": list(definition.organisers),
                "introduction": introduction,
                "draft": labels["draft"] if options.draft else None,
                "draft_note": labels["draft_note"].format(url=options.site_url) if options.draft else None,
            },
            programme=programme,
            practices=views,
            appendix=appendix,
            labels={**labels, "programme_caption": labels["programme_caption"].format(title=title)},
            edition={"timestamp": options.edition.timestamp, "label": options.edition.label(language)},
            site_url=options.site_url,
            fonts_url=FONTS_DIR.as_uri() + "/",
            css={
                "page_of": css_content(labels["page_of"], page="counter(page)", pages="counter(pages)"),
                "page_ref": css_content(labels["page_ref"], page="target-counter(attr(href url), page)"),
            },
        )
    )
    missing = images_without_alt(html)
    if missing:
        raise PdfError(f"images without alt text in the {handbook.id} handbook ({language}): {', '.join(missing)}")
    return html


# --- rendering ---------------------------------------------------------------------------------------


class _LayoutProgress(logging.Handler):
    """Turns WeasyPrint's progress log into a few progress messages (every N pages)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        page = re.search(r"Creating layout - Page (\d+)$", message)
        if page and int(page.group(1)) % LAYOUT_PROGRESS_EVERY == 0:
            self.progress(_("layout: page {page} …", page=page.group(1)))
        elif "Repagination" in message:
            self.progress(_("layout: {step} (page references) …", step=message.rsplit(" - ", 1)[-1].lower()))


class _Errors(logging.Handler):
    """Collects WeasyPrint's errors: each one means the PDF is not what it should be."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_logs(progress: Progress) -> Iterator[_Errors]:
    progress_logger = logging.getLogger("weasyprint.progress")
    error_logger = logging.getLogger("weasyprint")
    saved = (progress_logger.level, progress_logger.propagate)
    layout, errors = _LayoutProgress(progress), _Errors()
    progress_logger.setLevel(logging.INFO)
    progress_logger.propagate = False
    progress_logger.addHandler(layout)
    error_logger.addHandler(errors)
    try:
        yield errors
    finally:
        progress_logger.removeHandler(layout)
        error_logger.removeHandler(errors)
        progress_logger.setLevel(saved[0])
        progress_logger.propagate = saved[1]


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use: the other commands start without it (and without Pango)."""
    import weasyprint

    return weasyprint


def local_fetcher(base_url: str, image_folders: Sequence[Path] = ()) -> Any:
    """Fetch only the practice images (of `image_folders`: the practices' folders; none when empty), the print assets and the
    fonts of the repository at `base_url` (see `fetch.py`); any refusal or failure stops the render."""
    root = Path(urllib.request.url2pathname(urllib.parse.urlsplit(base_url).path))
    return content_fetcher(repository_allowed(root / PRINT_DIR, font_files(), image_folders))


def render_with_weasyprint_alone(html: str, base_url: str, output: Path, image_folders: Sequence[Path]) -> None:
    """WeasyPrint on its own with the same options and fetcher, for the PDF benchmark's comparison."""
    fetcher = local_fetcher(base_url, image_folders)
    _weasyprint().HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(output, **WEASYPRINT_OPTIONS)


def render_pdf(html: str, base_url: str, progress: Progress = _log_progress, image_folders: Sequence[Path] = ()) -> bytes:
    """WeasyPrint: layout, then the tagged PDF/UA-1 file."""
    font_files()
    with _weasyprint_logs(progress) as errors:
        progress(_("layout …"))
        with refusals_as(PdfError):
            document = (
                _weasyprint()
                .HTML(string=html, base_url=base_url, url_fetcher=local_fetcher(base_url, image_folders))
                .render(**WEASYPRINT_OPTIONS)
            )
            progress(_("writing {count} pages …", count=len(document.pages)))
            data: bytes = document.write_pdf(finisher=add_header_scopes, **WEASYPRINT_OPTIONS)
    if errors.messages:
        raise PdfError("WeasyPrint reported errors:\n" + "\n".join(errors.messages))
    return data


def cache_key(html: str, print_dir: Path) -> str:
    """Digest of everything that shapes the PDF: the HTML, the templates, the fonts and WeasyPrint."""
    digest = hashlib.sha256()
    digest.update(f"weasyprint {_weasyprint().__version__} {sorted(WEASYPRINT_OPTIONS.items())}\n".encode())
    for path in sorted(path for path in print_dir.rglob("*") if path.is_file()):
        digest.update(f"{path.relative_to(print_dir).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    for font in font_files():
        digest.update(f"{font.name} {font.stat().st_size}\n".encode())
    digest.update(html.encode())
    return digest.hexdigest()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, and only if the content differs (so an unchanged file keeps its mtime)."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")  # plain open(): the umask sets the mode
    partial.write_bytes(data)
    os.replace(partial, path)
    return True


def _store_in_cache(cache_dir: Path, name: str, stem: str, data: bytes) -> None:
    """Keep one cached file per handbook and language: this one."""
    write_if_changed(cache_dir / name, data)
    for old in cache_dir.glob(f"{stem}-*.pdf"):
        if old.name != name and re.fullmatch(re.escape(stem) + r"-[0-9a-f]{20}\.pdf", old.name):
            old.unlink()


@dataclass(frozen=True)
class PdfResult:
    path: Path
    size: int  # bytes
    rendered: bool  # False: the cache had it
    written: bool  # False: the file at `path` already held these bytes
    seconds: float


def build_pdf(
    handbook: Handbook,
    practices: Sequence[Practice],
    vocabularies: Vocabularies,
    language: str,
    output: Path,
    options: PdfOptions,
) -> PdfResult:
    """Assemble, then render unless the cache holds this exact input, then write `output` if it changed."""
    start = time.perf_counter()
    html = assemble_html(handbook, practices, vocabularies, language, options)
    stem = f"{handbook.id}-{language}"
    keyed = keyed_name(cache_key(html, options.print_dir)) if options.cache_dir else None  # no one else can name it
    name = f"{stem}-{keyed}.pdf"
    cached = options.cache_dir / name if options.cache_dir and keyed else None
    if cached is not None and cached.is_file() and not cached.is_symlink():
        options.progress(_("{name}: unchanged, taken from the cache", name=stem))
        data, rendered = cached.read_bytes(), False
    else:
        folders = [practice.folder for practice in practices]
        data, rendered = render_pdf(html, options.root.as_uri() + "/", options.progress, folders), True
        if options.cache_dir is not None and keyed:
            _store_in_cache(options.cache_dir, name, stem, data)
    written = write_if_changed(output, data)
    return PdfResult(output, len(data), rendered, written, time.perf_counter() - start)


PdfKey = tuple[str, str]  # (handbook id, language)


PdfJob = tuple[Handbook, Sequence[Practice], Vocabularies, Path, PdfOptions]  # what `build_pdf` takes but the language


class PdfJobs:
    """Independent PDFs rendered side by side in a process pool (at most one process per core), started at
    once and waited for by `results`; `cancel` drops those not yet started (the running ones finish). A
    single PDF is rendered in this process, when `results` is first asked for."""

    def __init__(self, jobs: dict[PdfKey, PdfJob]) -> None:
        self._results: dict[PdfKey, PdfResult] | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[PdfKey, Future[tuple[PdfResult, list[str]]]] = {}
        self._progress: dict[PdfKey, Progress] = {}
        self._temporary: str | None = None
        self._inline = jobs if len(jobs) == 1 else {}
        if len(jobs) <= 1:
            return
        # The pool's processes end without their exit handlers: what WeasyPrint leaves in the temporary folder
        # goes into one of our own, removed with the pool.
        self._temporary = tempfile.mkdtemp(prefix="handbook-pdf-")
        workers = min(len(jobs), os.cpu_count() or 1)
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_use_temporary_folder, initargs=(self._temporary,))
        for (handbook_id, language), (handbook, practices, vocabularies, output, options) in jobs.items():
            self._progress[(handbook_id, language)] = options.progress
            quiet = replace(options, progress=_no_progress)  # the job's lines are told here, when it is done
            self._futures[(handbook_id, language)] = self._pool.submit(
                _pooled_pdf_job, handbook, practices, vocabularies, language, output, quiet
            )

    def results(self) -> dict[PdfKey, PdfResult]:
        """Every result, in the order started; the first job's `PdfError` (or `ContentError`, as a `PdfError`)."""
        if self._results is None and self._pool is None:
            results = {}
            for (handbook_id, language), (handbook, practices, vocabularies, output, options) in self._inline.items():
                results[handbook_id, language] = _build_pdf_job(handbook, practices, vocabularies, language, output, options)
            self._results = results
        if self._results is None:
            try:
                self._results = {}
                for key, future in self._futures.items():
                    result, lines = future.result()
                    for line in lines:  # its progress, in the caller's log (a pool process has a log of its own)
                        self._progress[key](line)
                    self._results[key] = result
            finally:
                self.cancel()
        return self._results

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None


def _use_temporary_folder(folder: str) -> None:
    """In a pool process: temporary files go into `folder`."""
    tempfile.tempdir = folder


def _no_progress(line: str) -> None:
    """A stand-in that pickles; `_pooled_pdf_job` collects the lines instead."""


def _pooled_pdf_job(
    handbook: Handbook, practices: Sequence[Practice], vocabularies: Vocabularies, language: str, output: Path, options: PdfOptions
) -> tuple[PdfResult, list[str]]:
    """`_build_pdf_job` in a pool process, with its progress lines, which the caller tells in its own log."""
    lines: list[str] = []
    return _build_pdf_job(handbook, practices, vocabularies, language, output, replace(options, progress=lines.append)), lines


def _build_pdf_job(
    handbook: Handbook, practices: Sequence[Practice], vocabularies: Vocabularies, language: str, output: Path, options: PdfOptions
) -> PdfResult:
    """One job of `PdfJobs` in its process; a content problem comes back as a `PdfError` (which pickles)."""
    try:
        return build_pdf(handbook, practices, vocabularies, language, output, options)
    except ContentError as error:
        raise PdfError(str(error)) from None


def start_handbook_pdfs(
    handbooks: Sequence[Handbook],
    practices: Sequence[Practice],
    vocabularies: Vocabularies,
    options: PdfOptions,
    output_path: Callable[[str, str], Path],
    languages: Sequence[str] = LANGUAGES,
) -> PdfJobs:
    """Start every handbook in each of `languages`; `output_path(handbook_id, language)` says where each file goes."""
    return PdfJobs(
        {
            (handbook.id, language): (handbook, practices, vocabularies, output_path(handbook.id, language), options)
            for handbook in handbooks
            for language in languages
        }
    )


# --- the `handbook pdf` command --------------------------------------------------------


def _printer(quiet: bool) -> Progress:
    """Progress on stderr with the seconds since the start (pooled jobs hand their lines back: it stays here)."""
    start = time.perf_counter()

    def show(message: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - start:6.1f} s] {message}", file=sys.stderr, flush=True)

    return show


def _report(result: PdfResult) -> str:
    how = _("rendered") if result.rendered else _("from the cache")
    state = _("written") if result.written else _("unchanged")
    size, seconds = f"{result.size / 1024:.0f}", f"{result.seconds:.1f}"
    return _("{path}: {size} KB, {how}, {state} ({seconds} s)", path=result.path, size=size, how=how, state=state, seconds=seconds)


def command_pdf(args: argparse.Namespace) -> int:
    if bool(args.handbook) == bool(args.all):
        print(_("handbook pdf: give one HANDBOOK.yml (with --lang) or --all"), file=sys.stderr)
        return 2
    if args.handbook and not args.lang:
        print(_("handbook pdf: give the language of the handbook: --lang nl or --lang en"), file=sys.stderr)
        return 2
    settings = site_settings(args.root)
    root, layout = settings.root, settings.layout
    content = load_content(settings)
    problems = list(content.problems)
    if args.all:
        loaded = check_handbooks(layout.handbooks_dir, content.vocabularies, content.practices)
        problems += loaded.problems
        jobs = [(handbook, language) for handbook in loaded.handbooks for language in LANGUAGES]
    else:
        path = Path(args.handbook).resolve()
        handbook = load_handbook(path, content.vocabularies, problems)
        if handbook is not None:
            ids = {practice.id for practice in content.practices}
            problems += handbook_problems(handbook, ids, {file.stem for file in handbook_files(path.parent)})
        jobs = [(handbook, args.lang)] if handbook is not None else []
    if problems:
        for problem in sorted(problems):
            print(problem.format(root))
        print(ngettext("{count} problem found; no PDF made.", "{count} problems found; no PDF made.", len(problems)), file=sys.stderr)
        return 1
    options = PdfOptions.of(settings, site_url=args.site_url, cache=not args.no_cache, progress=_printer(args.quiet), draft=args.draft)
    if not is_public(options.site_url) and not args.draft:
        print(
            _(
                "refused: links and QR codes would point to '{address}', which is not the published site. "
                "Set SITE_URL or --site-url to the site's public address, or add --draft for a PDF marked DRAFT on its cover.",
                address=options.site_url,
            ),
            file=sys.stderr,
        )
        return 1

    def output(handbook_id: str, language: str) -> Path:
        name = pdf_filename(handbook_id, language)
        return Path(args.output or ".") / name if args.all else Path(args.output or name)

    pdfs = PdfJobs(
        {(book.id, lang): (book, content.practices, content.vocabularies, output(book.id, lang), options) for book, lang in jobs}
    )
    try:
        results = pdfs.results()
    except PdfError as error:
        print(error, file=sys.stderr)
        return 1
    for result in results.values():
        print(_report(result))
    return 0


def add_command(subparsers: Any) -> None:
    """Register `handbook pdf` on the CLI's subparsers."""
    pdf = subparsers.add_parser(
        "pdf",
        help=_("render a handbook as an accessible, print-ready PDF"),
        description=_(
            "Render a handbook definition (handbooks/<id>.yml) as a tagged PDF/UA-1 file in A4, with WeasyPrint. "
            "Set SOURCE_DATE_EPOCH for a byte-identical file; unchanged inputs are taken from the cache in .cache/pdf/."
        ),
    )
    pdf.add_argument("handbook", nargs="?", metavar="HANDBOOK.yml", help=_("the handbook definition to render"))
    pdf.add_argument("--lang", choices=LANGUAGES, help=_("language of the handbook (required with HANDBOOK.yml)"))
    pdf.add_argument("--all", action="store_true", help=_("render every handbook in handbooks/ in both languages"))
    pdf.add_argument("-o", "--output", help=_("output file (default: <id>-<lang>.pdf); with --all, the output folder (default: .)"))
    pdf.add_argument("--site-url", help=_("the site's published address for links and QR codes (default: SITE_URL or mkdocs.yml)"))
    pdf.add_argument(
        "--draft", action="store_true", help=_("a draft: allow a local or empty address; the cover then says DRAFT (ONTWERP in Dutch)")
    )
    pdf.add_argument("--no-cache", action="store_true", help=_("always render, and do not store the result in the cache"))
    pdf.add_argument("--root", help=_("repository root (default: found from the current folder)"))
    pdf.add_argument("-q", "--quiet", action="store_true", help=_("no progress messages"))
    pdf.set_defaults(func=command_pdf)
