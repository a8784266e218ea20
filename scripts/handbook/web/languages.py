"""What the handbook plugin reads from mkdocs-static-i18n: its public configuration, read only.

mkdocs-static-i18n builds the default language, then each further language inside its own
`on_post_build`, by calling MkDocs' `build` again. Before each build it sets the theme's `language`
(`reconfigure_material`), which is how the plugin knows the language being built.
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
    """The language being built now: the theme's, which mkdocs-static-i18n sets for each language."""
    return str(config.theme.get("language") or DEFAULT_LANGUAGE)


def build_languages(config: MkDocsConfig) -> list[str]:
    """The languages the i18n plugin's options build (the language of the theme without it)."""
    i18n = _i18n(config)
    return [str(code) for code in i18n.build_languages] if i18n else [current_language(config)]


def alternates(page: Any) -> list[dict[str, str]]:
    """The page's versions in each language, as mkdocs-static-i18n records them on its file: [{lang, link}]."""
    return [{"lang": str(language), "link": file.url} for language, file in getattr(page.file, "alternates", {}).items()]
