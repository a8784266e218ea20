"""What the PDF renderer may read: the repository's practice images, the print assets and the fonts, nothing else.

WeasyPrint fetches every URL in the assembled HTML and CSS (images, style sheets, fonts, and files that
`<a rel="attachment">` would embed). `refusal` decides, without WeasyPrint: a `file:` URL must name a
regular file inside one of the allowed folders after every link is resolved (an image in the folder of a
practice the handbook holds, anything under `print/`) or be one of the listed font files; a `data:` URL must be an image
(the QR codes); `http:`, `https:` and every other scheme are refused. A refused URL is an error, and
WeasyPrint's errors stop the render (see `pdf.render_pdf`), so a PDF never holds what it should not.
"""

from __future__ import annotations

import contextlib
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook.content.load import IMAGE_SUFFIXES


@dataclass(frozen=True)
class Allowed:
    """Folders whose images may be read, folders whose every file may be read, and single files."""

    image_folders: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()

    @classmethod
    def of(cls, image_folders: Iterable[Path], folders: Iterable[Path], files: Iterable[Path]) -> Allowed:
        def real(paths: Iterable[Path]) -> tuple[Path, ...]:
            return tuple(path.resolve() for path in paths)

        return cls(real(image_folders), real(folders), real(files))


def _within(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def refusal(url: str, allowed: Allowed) -> str | None:
    """Why the renderer may not read `url`; None if it may."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme == "data":
        media_type = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
        return None if media_type.startswith("image/") else f"a data: URL that is not an image ({media_type or 'no type'})"
    if scheme != "file":
        return f"the PDF reads only files of the repository, not {scheme or 'relative'}: URLs"
    raw = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    try:
        path = Path(raw).resolve(strict=True)
    except (OSError, RuntimeError):
        return f"no such file: {raw}"
    if not path.is_file():
        return f"not a regular file: {raw}"
    if path in allowed.files or _within(path, allowed.folders):
        return None
    if _within(path, allowed.image_folders) and path.suffix.lower() in IMAGE_SUFFIXES:
        return None
    return f"a file outside the practice images and the print assets: {raw}"


class RefusedUrl(ValueError):
    """A URL the PDF renderer may not read."""


def content_fetcher(allowed: Allowed) -> Any:
    """A WeasyPrint URL fetcher that reads only what `refusal` allows (WeasyPrint is imported here, late)."""
    from weasyprint.urls import URLFetcher

    class ContentFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            reason = refusal(url, allowed)
            if reason is not None:
                raise RefusedUrl(f"refused {url[:120]!r}: {reason}")
            return super().fetch(url, headers)

    return ContentFetcher(allowed_protocols=("file", "data"), fail_on_errors=True, allow_redirects=False)


def repository_allowed(print_dir: Path, font_files: Iterable[Path], image_folders: Iterable[Path]) -> Allowed:
    """What the handbook's PDFs may read: the images of the given practice folders, the print folder and the fonts."""
    return Allowed.of(list(image_folders), [print_dir], font_files)


@contextlib.contextmanager
def refusals_as(error_type: type[Exception]) -> Iterator[None]:
    """Turn WeasyPrint's stop on a refused or failed fetch into `error_type` with the reason (no traceback)."""
    from weasyprint.urls import FatalURLFetchingError

    try:
        yield
    except FatalURLFetchingError as error:
        raise error_type(f"the PDF may read only the practice images, the print assets and the fonts: {error.__cause__ or error}") from None
