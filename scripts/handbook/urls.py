"""Where the site publishes things: its languages, the URL segments of generated pages and the links between them.

Every other module takes these from here, so that a segment is renamed in one place. The segments
are folders under `docs/` that the plugin fills from memory and also the paths readers see.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

Language = Literal["nl", "en"]  # every vocabulary label, interface text and message exists in each of them
LANGUAGES: tuple[Language, ...] = get_args(Language)  # the one list of the languages; the models take `Language`
DEFAULT_LANGUAGE = "nl"  # published at the site root; the others under /<language>/

PRACTICES = "praktijken"  # the practice pages and the catalogue: /praktijken/<id>/
HANDBOOKS = "studiedagen"  # the handbook pages (study days and collections): /studiedagen/<id>/
HANDOUT = "handout"  # a study day's short PDF for the room: /studiedagen/<id>/<id>-handout-<lang>.pdf

DATA = "data"  # the published data of each language: /data/practices.json, /data/practices.csv, /en/data/…
PRACTICES_CSV = "practices.csv"
PRACTICES_JSON = "practices.json"
CSV_FROM_CATALOGUE = f"../{DATA}/{PRACTICES_CSV}"  # from /praktijken/ (and /en/praktijken/)
DATA_FROM_OVERVIEW = f"../../{DATA}/"  # from /praktijken/velden/ and the other overview pages

# "Mijn selectie" (views/pages.selection_pages, handbook.js): a page of its own name in each language, at the site's root
# of that language: /selectie/ and /en/selection/ (it has no version in the other language at the same path).
SELECTION: dict[str, str] = {"nl": "selectie", "en": "selection"}
PRACTICES_FROM_SELECTION = f"../{PRACTICES}/"  # from /selectie/ (and /en/selection/) to the catalogue and practice pages

CATALOGUE_FROM_PRACTICE = "../"  # from /praktijken/<id>/ to the catalogue
HANDBOOKS_FROM_PRACTICE = f"../../{HANDBOOKS}/"  # from /praktijken/<id>/ to /studiedagen/
PRACTICES_FROM_HANDBOOK = f"../../{PRACTICES}/"  # from /studiedagen/<id>/ (and /en/studiedagen/<id>/)

# The pages the site generates in each segment (views/pages.py, views/handbooks.py make them): no practice or
# handbook may take one of these names as its id.
OVERVIEW_PAGES = ("index", "dekking", "vertaalstatus", "velden")  # catalogue, coverage, translation status, fields
HANDBOOKS_INDEX = "index"
GENERATED_PAGES = {PRACTICES: frozenset(OVERVIEW_PAGES), HANDBOOKS: frozenset({HANDBOOKS_INDEX})}


def language_prefix(language: str, default_language: str = DEFAULT_LANGUAGE) -> str:
    """The folder of a language under the site root: '' for the default language, else 'en/'."""
    return "" if language == default_language else f"{language}/"


def practice_url(practice_id: str, language: str, default_language: str = DEFAULT_LANGUAGE, base: str = "/") -> str:
    """The path of a practice page (under `base`, the site's own path); the same id in both languages."""
    return f"{base.rstrip('/')}/{language_prefix(language, default_language)}{PRACTICES}/{practice_id}/"


def practice_in_language(practice_id: str, language: str, target: str, default_language: str = DEFAULT_LANGUAGE) -> str:
    """The link from a practice page in `language` to the same practice's page in `target`."""
    up = "../" * (2 + (language != default_language))
    return f"{up}{language_prefix(target, default_language)}{PRACTICES}/{practice_id}/"


def selection_page(language: str) -> str:
    """The selection page's Markdown file under docs/, for `language` only: selectie.nl.md, selection.en.md."""
    return f"{SELECTION[language]}.{language}.md"


def selection_from_practices(language: str) -> str:
    """The link to the selection page from the catalogue (/praktijken/); a practice page adds one '../'."""
    return f"../{SELECTION[language]}/"


def pdf_filename(handbook_id: str, language: str) -> str:
    return f"{handbook_id}-{language}.pdf"


def handout_name(handbook_id: str) -> str:
    """The name of a study day's handout (the short PDF for the room) in file names and PDF job keys:
    <id>-handout, so its file is <id>-handout-<lang>.pdf next to the full PDF."""
    return f"{handbook_id}-{HANDOUT}"


def pdf_href(handbook_id: str, language: str, default_language: str = DEFAULT_LANGUAGE, *, handout: bool = False) -> str:
    """The PDF link from the handbook page; both PDFs (and both handouts) are published next to the default-language page."""
    filename = pdf_filename(handout_name(handbook_id) if handout else handbook_id, language)
    if language == default_language:
        return filename
    return f"../../../{HANDBOOKS}/{handbook_id}/{filename}"


def practice_pdf_filename(practice_id: str, language: str) -> str:
    """A practice's PDF, next to its page in its language: the link from that page is this name."""
    return f"{practice_id}-{language}.pdf"


def published_practice_pdf_path(site_dir: Path, practice_id: str, language: str, default_language: str = DEFAULT_LANGUAGE) -> Path:
    """Where a practice's PDF is published: /praktijken/<id>/<id>-nl.pdf, /en/praktijken/<id>/<id>-en.pdf."""
    return site_dir / language_prefix(language, default_language) / PRACTICES / practice_id / practice_pdf_filename(practice_id, language)


def published_pdf_path(site_dir: Path, handbook_id: str, language: str, *, handout: bool = False) -> Path:
    """Where a PDF is published: /studiedagen/<id>/<id>-<lang>.pdf (a handout: <id>-handout-<lang>.pdf), next to the
    default-language handbook page."""
    return site_dir / HANDBOOKS / handbook_id / pdf_filename(handout_name(handbook_id) if handout else handbook_id, language)
