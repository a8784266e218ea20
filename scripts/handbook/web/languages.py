"""What the handbook plugin reads from and tells mkdocs-static-i18n: every use of its internals is here.

mkdocs-static-i18n builds the default language, then, from its own `on_post_build`, each further
language by calling MkDocs' `build` again with `current_language` changed; `building` is True during
those nested builds. Setting `building` before its `on_post_build` runs makes it skip that loop (and its
merge of Material's search indexes, which this site does not use: search is Pagefind's).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from handbook.urls import DEFAULT_LANGUAGE, LANGUAGES


def _i18n(config: MkDocsConfig) -> Any:
    return config.plugins.get("i18n")


def check_languages(config: MkDocsConfig) -> str | None:
    """A message when i18n's languages are not those the labels and URLs are written for, else None."""
    i18n = _i18n(config)
    if i18n is None:
        return None
    default = getattr(i18n, "default_language", DEFAULT_LANGUAGE)
    unknown = [str(code) for code in getattr(i18n, "build_languages", []) if code not in LANGUAGES]
    if default != DEFAULT_LANGUAGE or unknown:
        return (
            f"the i18n plugin builds {', '.join(map(str, i18n.build_languages))} with default '{default}'; "
            f"the handbook has labels and URLs for {', '.join(LANGUAGES)} with default '{DEFAULT_LANGUAGE}' "
            "(scripts/handbook/urls.py)"
        )
    return None


def current_language(config: MkDocsConfig) -> str:
    """The language being built now."""
    i18n = _i18n(config)
    language = getattr(i18n, "current_language", None) if i18n else None
    return str(language or config.theme.get("language") or DEFAULT_LANGUAGE)


def further_languages(config: MkDocsConfig) -> list[str]:
    """The languages built after the default one (none without i18n)."""
    i18n = _i18n(config)
    if i18n is None:
        return []
    return [str(code) for code in i18n.build_languages if code != i18n.default_language]


def build_languages(config: MkDocsConfig) -> list[str]:
    i18n = _i18n(config)
    return [str(code) for code in i18n.build_languages] if i18n else [current_language(config)]


def start_with(config: MkDocsConfig, language: str) -> None:
    """In a child build: build `language` (and, see `stop_further_languages`, only that one)."""
    i18n = _i18n(config)
    if i18n is not None and i18n.current_language is None:
        i18n.current_language = language


def in_nested_build(config: MkDocsConfig) -> bool:
    """True while i18n builds a further language inside the first build (the sequential build)."""
    i18n = _i18n(config)
    return bool(i18n and getattr(i18n, "building", False))


def stop_further_languages(config: MkDocsConfig) -> None:
    """Keep i18n from building the other languages: child processes build them."""
    i18n = _i18n(config)
    if i18n is not None:
        i18n.building = True


def allow_further_languages(config: MkDocsConfig) -> None:
    """Undo `stop_further_languages` once the build is over (the plugin objects live on in `mkdocs serve`)."""
    i18n = _i18n(config)
    if i18n is not None:
        i18n.building = False


def alternates(page: Any) -> list[dict[str, str]]:
    """The page's versions in each language, as mkdocs-static-i18n records them on its file: [{lang, link}]."""
    return [{"lang": str(language), "link": file.url} for language, file in getattr(page.file, "alternates", {}).items()]
