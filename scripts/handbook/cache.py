"""Results kept between runs under the root's `.cache/`, trusted only when this machine wrote them for this code.

Two things are kept: the per-text results of the checks (`Store`, used by `checks/text_checks.py`) and the
rendered PDFs (`pdf/render.py` names its files with `keyed_name`). A cache must never let a contributor skip
the gate: a file in `.cache/` can come with a pull request (`git add -f`), a restored CI cache or a copy of
someone else's folder. So:

- every cache file is authenticated with an HMAC-SHA256 over its content and the code's version, keyed by a
  secret that lives outside the repository (`machine_key`: `$XDG_CACHE_HOME/handbook/key`, else
  `~/.cache/handbook/key`, made on first use, mode 0600); a PDF's file name is keyed the same way, so no one
  without the key can name a file the cache would take;
- a file with a wrong or missing MAC, another version, a broken shape or over `MAX_STORE_BYTES` is ignored
  (and overwritten at the end of the run), never trusted; so is a cache folder reached through a symlink;
- the version (`code_version`) is a digest of the handbook's own code and message catalogues and of the
  versions of the libraries that render and sanitise (Markdown, PyMdown Extensions, nh3), so a change of
  code is never served old results. What else a result depends on (the Markdown settings, the vocabularies,
  the contact allow-list, the message language) is part of the key its caller gives (`Store.open`).

Nothing here is needed for correctness: without a key (an unwritable home) or with `cache: false` the
checks and the PDFs are computed every time.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from handbook.problems import Problem

CACHE_FOLDER = ".cache"  # under the root; gitignored
CHECKS_FILE = "handbook/checks.json"  # the check results, under CACHE_FOLDER
PDF_FOLDER = "pdf"  # the PDFs of `handbook pdf`, under CACHE_FOLDER; the site's under PDF_FOLDER/site
SITE_PDF_FOLDER = f"{CACHE_FOLDER}/{PDF_FOLDER}/site"
OFFICE_FOLDER = "office"  # the template pages as .docx and .odt, under CACHE_FOLDER
MAX_STORE_BYTES = 64 * 1024 * 1024  # a bigger checks file is not read (1,000 practices write about 2 MB)
KEY_BYTES = 32
LIBRARIES = ("markdown", "pymdown-extensions", "nh3", "mkdocs-material")  # what renders, sanitises and styles the checked text
PACKAGE = Path(__file__).parent
T = TypeVar("T")


def _key_file(environ: os._Environ[str] | dict[str, str] = os.environ) -> Path:
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "handbook" / "key"


@functools.lru_cache(maxsize=1)
def machine_key() -> bytes | None:
    """This user's secret for authenticating cache files, made on first use; None if it cannot be kept."""
    path = _key_file()
    try:
        if not path.is_file() or path.is_symlink():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(KEY_BYTES))
        key = path.read_bytes()
    except FileExistsError:  # another process made it in the meantime
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the handbook's code and message catalogues and the versions of the libraries it depends on."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.po"), *PACKAGE.rglob("*.yml")]):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none\0".encode())
    return digest.hexdigest()


def line_messages(data: Any) -> list[tuple[int, str]]:
    """A stored list of [line, message] (or [offset, message]) pairs, checked for its shape (a `TypeError` otherwise,
    which `Store.cached` takes for a value to compute again)."""
    if not isinstance(data, list):
        raise TypeError("not a list")
    pairs = []
    for item in data:
        if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int and isinstance(item[1], str)):
            raise TypeError("not a [line, message] pair")
        pairs.append((item[0], item[1]))
    return pairs


def stored_text(data: Any) -> str:
    """A stored text, checked for its type."""
    if not isinstance(data, str):
        raise TypeError("not a text")
    return data


def kept_problems(store: Store, digest: str, name: str, path: Path, compute: Callable[[], Sequence[Problem]]) -> list[Problem]:
    """The problems `compute()` finds in the file at `path` (all of them at `path`), kept in `store` under `name` by
    the digest of what they depend on, as [line, message] pairs."""
    found = store.cached(digest, name, lambda: [[problem.line, problem.message] for problem in compute()], line_messages)
    return [Problem(path, line, message) for line, message in found]


def file_lines(
    path: Path, name: str, compute: Callable[[str], list[list[Any]]], store: Store | None, digest: str | None = None
) -> list[tuple[int, str]]:
    """`compute(text)`, the [line, message] pairs of the UTF-8 text of `path` (none when it cannot be read: the loader
    reports that), kept in `store` under `name` by the text's digest. `digest`: the loader's, when it read the file;
    then the file is read only when the store does not know the result."""

    def read() -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    if store is not None and digest is not None:
        return store.cached(digest, name, lambda: [] if (text := read()) is None else compute(text), line_messages)
    text = read()
    if text is None:
        return []
    if store is None:
        return line_messages(compute(text))
    return store.cached(text_digest(text), name, lambda: compute(text), line_messages)


@functools.lru_cache(maxsize=8192)
def text_digest(text: str) -> str:
    """The key of a text in a `Store` (kept for the texts of one run: several checks ask for the same body's)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def file_digests(paths: Iterable[Path]) -> str:
    """One digest of the files' contents (a missing file counts as absent, not as empty)."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(b"1" + path.read_bytes())
        except OSError:
            digest.update(b"0")
        digest.update(b"\0")
    return digest.hexdigest()


def safe_folder(root: Path, relative: str) -> Path | None:
    """`root/relative` if it is inside the root and no part of it below the root is a symlink or a
    non-folder; None otherwise."""
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or not parts:
        return None
    current = root
    for part in parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            continue  # made when written
        except OSError:
            return None
        if not stat.S_ISDIR(mode):
            return None
    return current


def keyed_name(digest: str, length: int = 20) -> str | None:
    """The part of a cached file's name that only this machine can compute for `digest`; None without a key."""
    key = machine_key()
    if key is None:
        return None
    return hmac.new(key, f"{code_version()}\0{digest}".encode(), hashlib.sha256).hexdigest()[:length]


class Store:
    """One JSON file of entries (text digest → result), read once, written back once with what this run used."""

    def __init__(self, path: Path | None, key: bytes | None, version: str) -> None:
        self.path, self._key, self.version = path, key, version
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self.hits = self.misses = 0
        self._changed = False  # a value computed this run: the file is written again
        if path is not None and key is not None:
            self._old = self._read(path)

    @staticmethod
    def version_of(*parts: str) -> str:
        """The version of a store of results that depend on `parts` besides the text and the code."""
        return hashlib.sha256("\0".join([code_version(), *parts]).encode()).hexdigest()

    @classmethod
    def open(cls, root: Path, *parts: str) -> Store:
        """The checks' store of `root`, for results that depend on `parts` besides the text and the code."""
        version = cls.version_of(*parts)
        file = Path(CHECKS_FILE)
        folder = safe_folder(root, str(Path(CACHE_FOLDER) / file.parent))
        return cls(folder / file.name if folder is not None else None, machine_key(), version)

    @classmethod
    def disabled(cls) -> Store:
        return cls(None, None, "")

    def _mac(self, body: bytes) -> str:
        assert self._key is not None
        return hmac.new(self._key, self.version.encode() + b"\0" + body, hashlib.sha256).hexdigest()

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode) or path.stat().st_size > MAX_STORE_BYTES:
                return {}
            mac, _, body = path.read_bytes().partition(b"\n")
            if not hmac.compare_digest(mac, self._mac(body).encode("ascii")):
                return {}
            entries = json.loads(body)
        except (OSError, ValueError):
            return {}
        return entries if isinstance(entries, dict) else {}

    @property
    def enabled(self) -> bool:
        return self.path is not None and self._key is not None

    def cached(self, digest: str, name: str, compute: Callable[[], Any], decode: Callable[[Any], T]) -> T:
        """The result `name` of the input with `digest` (`text_digest`): decoded from the store, else computed
        (JSON-able), kept and decoded. A stored value that does not decode is computed again (the store's MAC
        makes that a bug of ours, never an attack). Disabled, `compute()` is decoded every time."""
        if not self.enabled:
            return decode(compute())
        entry = self.get(digest)
        if name in entry:
            try:
                return decode(entry[name])
            except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                pass
        entry[name] = compute()
        self._changed = True
        return decode(entry[name])

    def get(self, digest: str) -> dict[str, Any]:
        """The entry of a text (a dict the caller fills, then calls `changed`); kept for the next run."""
        entry = self._used.get(digest)
        if entry is None:
            old = self._old.get(digest)
            if isinstance(old, dict):
                self.hits += 1
                entry = old
            else:
                self.misses += 1
                entry = {}
            self._used[digest] = entry
        return entry

    def changed(self) -> None:
        """Say that an entry from `get` was filled or changed (`cached` does): `save` writes the file again."""
        self._changed = True

    def save(self) -> None:
        """Write what this run used, atomically, if anything changed; a failure to write is no failure of the run."""
        unchanged = not self._changed and len(self._used) == len(self._old)  # the same entries (used ⊆ old), none filled
        if self.path is None or self._key is None or (unchanged and self.path.is_file()):
            return
        body = json.dumps(self._used, separators=(",", ":")).encode("ascii")  # escapes: any text survives
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(self._mac(body).encode("ascii") + b"\n" + body)
            os.replace(partial, self.path)
        except OSError:
            partial.unlink(missing_ok=True)
            return
        self._old, self._used, self._changed = self._used, {}, False  # a store kept open (the preview) starts its next run from this one


def cached_file(root: Path, folder: str, stem: str, suffix: str, digest: str, make: Callable[[], bytes]) -> bytes:
    """The bytes `make()` gives for input `digest`, kept as `<root>/.cache/<folder>/<stem>-<keyed name><suffix>`
    (one file per stem: older ones are removed). Without a key, or with the folder behind a link, made every time."""
    directory, keyed = safe_folder(root, f"{CACHE_FOLDER}/{folder}"), keyed_name(digest)
    if directory is None or keyed is None:
        return make()
    path = directory / f"{stem}-{keyed}{suffix}"
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            return path.read_bytes()
    except OSError:
        pass
    data = make()
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
        for old in directory.glob(f"{stem}-*{suffix}"):
            if old != path and len(old.name) == len(path.name):
                old.unlink()
    except OSError:
        partial.unlink(missing_ok=True)
    return data
