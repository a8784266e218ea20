"""The site's settings, read once from `mkdocs.yml` through MkDocs' own machinery, for the plugin and the command.

`Settings.of(config)` takes them from the `MkDocsConfig` the plugin holds in `on_config`;
`Settings.load(config_file)` has MkDocs load the file (`mkdocs.config.load_config`), so `!ENV`,
`!relative`, the defaults and the validation of every option (the plugins' too) are MkDocs' own, for the
`handbook` command. Both give one frozen `Settings`: where the content lives (`Layout`, `docs_dir`
included), the Markdown extensions and their options (`MarkdownSettings`), the site's address, the
repository and the edit links, and the handbook plugin's options (`HandbookConfig` is their schema).
Every module takes the `Settings`, or the part it needs, never a path to `mkdocs.yml`.

A file MkDocs refuses (missing, not YAML, an unknown or invalid option, an unknown plugin) is a
`SettingsError`: its problems say `mkdocs.yml:line: message` in the contributor's language, never a traceback.

Loading the file imports the plugins it names (Material, mkdocs-static-i18n, the handbook's own): about
0.2 s the first time in a process, 25 ms after.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError, MkDocsException

from handbook.cache import SITE_PDF_FOLDER
from handbook.layout import Layout
from handbook.markdown_render import MarkdownSettings
from handbook.messages import _
from handbook.problems import Problem
from handbook.repository import Repository

CONFIG_FILE = "mkdocs.yml"
PLUGIN = "handbook"  # the plugin's entry point name


class HandbookConfig(base.Config):  # type: ignore[no-untyped-call]
    """The handbook plugin's options, described in ARCHITECTURE.md ("Plugin options")."""

    practices = c.Type(str, default=Layout.practices)  # the content's folders, relative to mkdocs.yml;
    vocabularies = c.Type(str, default=Layout.vocabularies)  # the `handbook` command reads them from here too
    handbooks = c.Type(str, default=Layout.handbooks)
    pdf_cache = c.Type(str, default=SITE_PDF_FOLDER)  # where the site's PDFs are rendered, gitignored
    edit_url = c.Optional(c.Type(str))  # base URL of the practices folder in the repository's web editor
    repository = c.Optional(c.Type(str))  # the repository's address: the Bijdragen page links it and its issue form
    editors_email = c.Optional(c.Type(str))  # the editors' organisational address: the Bijdragen page's e-mail route
    pdf = c.Type(bool, default=True)  # render the PDF handbooks
    search = c.Type(bool, default=True)  # index the finished site with Pagefind
    cache = c.Type(bool, default=True)  # keep the per-text check results between runs (handbook.cache)


@dataclass(frozen=True)
class Options:
    """The handbook plugin's switches (the folders are in `Settings.layout`, the addresses in `Settings`)."""

    pdf: bool = True
    search: bool = True
    pdf_cache: str = SITE_PDF_FOLDER  # relative to the root
    cache: bool = True  # keep the per-text check results between runs


@dataclass(frozen=True)
class Settings:
    """What `mkdocs.yml` says, once: where the content is, how Markdown renders, where the site and repository are."""

    layout: Layout
    markdown: MarkdownSettings  # all of the site's extensions, pymdownx.snippets included
    site_url: str = ""  # "" when not set
    repository: Repository | None = None  # the `repository` option, else the repository being built on GitHub Actions
    edit_url: str | None = None  # base URL of the practices folder in the web editor: `edit_url`, else the repository's
    editors_email: str | None = None  # the editors' organisational address (on the allow-list: `personal_data.configured_address_problems`)
    options: Options = Options()
    config_file: Path | None = None  # None: a config given in code

    @property
    def root(self) -> Path:
        return self.layout.root

    @classmethod
    def of(cls, config: Any, environ: Mapping[str, str] = os.environ) -> Settings:
        """The settings of a loaded and validated `MkDocsConfig` (the plugin's `on_config`, or `load`)."""
        config_file = Path(config.config_file_path).absolute() if config.config_file_path else None
        root = config_file.parent if config_file else Path(config.docs_dir).resolve().parent
        options = _plugin_options(config)
        docs = os.path.relpath(config.docs_dir, root)  # MkDocs' docs_dir, absolute after validation
        layout = Layout(root, options.practices, options.handbooks, options.vocabularies, Path(docs).as_posix())
        repository = Repository.configured(options.repository, environ)
        return cls(
            layout=layout,
            markdown=_markdown_of(config),
            site_url=config.site_url or "",
            repository=repository,
            edit_url=options.edit_url or (repository.editor(layout.practices) if repository else None),
            editors_email=options.editors_email.strip() if options.editors_email and options.editors_email.strip() else None,
            options=Options(options.pdf, options.search, options.pdf_cache, options.cache),
            config_file=config_file,
        )

    @classmethod
    def load(cls, config_file: Path) -> Settings:
        """`config_file` loaded and validated by MkDocs; a `SettingsError` with its problems if MkDocs refuses it."""
        return cls.of(load_mkdocs_config(config_file))


class SettingsError(Exception):
    """MkDocs refuses the config file: its problems, each `path:line: message`."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.root = problems[0].path.parent if problems else None  # the config file's folder: paths are shown from it
        super().__init__("\n".join(problem.format(self.root) for problem in problems))


def load_mkdocs_config(config_file: Path) -> Any:
    """The `MkDocsConfig` of `config_file`, as `mkdocs build` loads it; MkDocs' complaints become a `SettingsError`."""
    from mkdocs.config import load_config  # imports MkDocs' config schema (and, while loading, the plugins)

    path = config_file.absolute()
    if not path.is_file():
        raise SettingsError([Problem(path, 1, _("the site's settings file does not exist"))])
    with _mkdocs_messages() as messages:
        try:
            return load_config(str(path), config_file_path=str(path))  # the path given: MkDocs would look at sys.stdin
        except ConfigurationError as error:  # the file cannot be read as YAML (or at all)
            raise SettingsError([_yaml_problem(path, error)]) from None
        except MkDocsException:  # aborted after logging its errors (and, in strict mode, warnings)
            text = _text(path)
            problems = [Problem(path, _line_of(text, name), _refused(name, message)) for name, message in messages]
            raise SettingsError(problems or [Problem(path, 1, _("MkDocs cannot use the site's settings"))]) from None


def _plugin_options(config: Any) -> HandbookConfig:
    """The handbook plugin's validated options; the defaults when the site does not use the plugin."""
    for plugin in config.plugins.values() if config.plugins else ():
        if isinstance(plugin.config, HandbookConfig):
            return plugin.config
    options = HandbookConfig()
    options.load_dict({})
    options.validate()
    return options


def _markdown_of(config: Any) -> MarkdownSettings:
    """`markdown_extensions` (MkDocs' own first) and `mdx_configs`, with `!relative` paths resolved to text."""
    extensions = tuple(name for name in config.markdown_extensions if isinstance(name, str))
    configs = {name: {key: _plain(value) for key, value in options.items()} for name, options in config.mdx_configs.items()}
    return MarkdownSettings(extensions, configs)


def _plain(value: Any) -> Any:
    """A value of an extension's option with MkDocs' `!relative $config_dir`/`$docs_dir` placeholders as paths."""
    from mkdocs.utils.yaml import ConfigDirPlaceholder, DocsDirPlaceholder

    if isinstance(value, ConfigDirPlaceholder | DocsDirPlaceholder):
        return os.fspath(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_CONFIG_VALUE = re.compile(r"Config value '([^']*)': (.*)", re.DOTALL)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = re.sub(r"\s*\n\s*", " ", record.getMessage().strip())  # one line per problem
        match = _CONFIG_VALUE.fullmatch(text)
        self.messages.append((match[1], match[2]) if match else ("", text))


@contextmanager
def _mkdocs_messages() -> Iterator[list[tuple[str, str]]]:
    """MkDocs' warnings and errors while it loads a config, as (option, message), kept from the terminal."""
    logger = logging.getLogger("mkdocs")
    collector, propagate = _Collector(), logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def _refused(name: str, message: str) -> str:
    if name:
        return _("MkDocs refuses the setting '{name}': {error}", name=name, error=message)
    return _("MkDocs refuses the settings: {error}", error=message)


def _yaml_problem(path: Path, error: ConfigurationError) -> Problem:
    """A file that is not YAML: the line of the YAML error, where the parser gives one."""
    cause = error.__cause__ or error.__context__
    mark = getattr(cause, "problem_mark", None) or getattr(cause, "context_mark", None)
    if mark is None:
        return Problem(path, 1, _("the site's settings cannot be read: {error}", error=str(cause or error)))
    problem = ": ".join(part for part in (getattr(cause, "context", None), getattr(cause, "problem", None)) if part)
    return Problem(path, mark.line + 1, _("the site's settings are not valid YAML: {error}", error=problem or str(cause)))


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of(text: str, option: str) -> int:
    """The line of a top-level option in the file MkDocs names in a message (`plugins`, `theme`, …), else 1."""
    if option:
        match = re.search(rf"^{re.escape(option.split('.')[0])}\s*:", text, re.MULTILINE)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 1


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards that holds mkdocs.yml (`start` when none does)."""
    return next((folder for folder in (start, *start.parents) if (folder / CONFIG_FILE).is_file()), start)


def repository_root(given: str | None = None) -> Path:
    """The root a command works on: the one given (`--root`) as it is, else found from the current folder."""
    return Path(given).resolve() if given else find_root(Path.cwd().resolve())


def site_settings(given: str | None = None) -> Settings:
    """The settings of the root a command works on (`--root`, else found from the current folder)."""
    return Settings.load(repository_root(given) / CONFIG_FILE)
