"""`handbook new`: a new practice folder from the schema, in the languages the contributor writes, with each section's guiding question."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from handbook.checks.guidance import GUIDANCE_MARKERS
from handbook.content.vocabulary import Vocabularies
from handbook.gate import site_settings
from handbook.messages import _, current_language
from handbook.urls import LANGUAGES
from handbook.views.catalogue import FACETS
from handbook.views.labels import label


def _ask(prompt: str, default: str = "") -> str:
    suffix = f" [{default}]" if default else ""
    answer = input(f"{prompt}{suffix}: ").strip()
    return answer or default


def _vocabulary_values(vocabularies: Vocabularies, name: str, values: list[str]) -> list[str]:
    """The keys of the given values (a key, or a label in either language), or an error naming the wrong one with the closest allowed key."""
    vocabulary = vocabularies[name]
    for value in values:
        if vocabulary.canonical(value) is None:
            hint = vocabulary.suggestion(value)
            allowed = ", ".join(vocabulary.keys())
            raise SystemExit(
                _(
                    "handbook new: unknown {name} value '{value}'; did you mean '{hint}'? Allowed: {allowed}",
                    name=name,
                    value=value,
                    hint=hint,
                    allowed=allowed,
                )
                if hint
                else _("handbook new: unknown {name} value '{value}'. Allowed: {allowed}", name=name, value=value, allowed=allowed)
            )
    return [vocabulary.canonical(value) or value for value in values]


# option name (the catalogue's URL parameter) → (schema field, vocabulary, label key): every facet of several vocabulary
# terms that a contributor writes (not the provinces: they follow from the municipalities)
NEW_OPTIONS = {
    facet.param: (facet.field, facet.vocabulary, facet.label_key)
    for facet in FACETS
    if facet.vocabulary and facet.many and facet.derived is None
}


def _languages(answer: str) -> list[str] | None:
    languages = [language.strip().lower() for language in answer.replace(" ", ",").split(",") if language.strip()]
    return list(dict.fromkeys(languages)) if languages and set(languages) <= set(LANGUAGES) else None


def command_new(args: argparse.Namespace) -> int:
    from handbook.content.vocabulary import load_vocabularies
    from handbook.contribute.scaffold import slugify, write_scaffold

    settings = site_settings(args.root)
    root, layout = settings.root, settings.layout
    vocabularies = load_vocabularies(layout.vocabularies_file)
    interactive = not args.no_input and sys.stdin.isatty()
    ui = current_language()  # the language of the questions
    titles = {"nl": args.title_nl or "", "en": args.title_en or ""}
    default = ",".join(language for language in LANGUAGES if titles[language]) or ui  # the titles' languages, else the messages'
    given = args.languages
    if given is None and interactive:
        given = _ask(_("Which languages do you write the text in: nl, en or nl,en?"), default)
    languages = _languages(given if given is not None else default)
    if languages is None:
        print(_("handbook new: --languages takes nl, en or nl,en"), file=sys.stderr)
        return 2
    if interactive:
        for language in languages:
            if not titles[language]:
                titles[language] = _ask(_("Title in {language}", language=label(f"language_{language}", ui)))
    first_title = next((titles[language] for language in languages if titles[language]), "")
    practice_id = args.id or (slugify(first_title) if first_title else "")
    if interactive:
        practice_id = _ask(_("Key of the folder (lowercase words joined by hyphens)"), practice_id)
    if not practice_id:
        print(_("handbook new: give --id or a title (--title-nl / --title-en)"), file=sys.stderr)
        return 2
    folder = f"{layout.practices}/{practice_id}"
    facts: dict[str, object] = {}
    kind = args.kind or ("practice" if args.municipality else "")
    if interactive and not kind:
        kinds = ", ".join(f"{key} ({vocabularies['kinds'].label(key, ui)})" for key in vocabularies["kinds"])
        kind = _ask(_("Kind: {kinds}", kinds=kinds), "practice")
    if kind:
        facts["kind"] = _vocabulary_values(vocabularies, "kinds", [kind])[0]
    municipalities = list(args.municipality or [])
    if interactive and not municipalities:
        answer = _ask(_("Municipalities, separated by commas (empty for a general method)"))
        municipalities = [name.strip() for name in answer.split(",") if name.strip()]
    if municipalities:
        facts["municipalities"] = municipalities
    for option, (field, vocabulary, label_key) in NEW_OPTIONS.items():
        values = list(getattr(args, option) or [])
        if interactive and not values:
            keys = ", ".join(vocabularies[vocabulary].keys())
            answer = _ask(_("{label}, separated by commas ({keys})", label=label(label_key, ui), keys=keys))
            values = [value.strip() for value in answer.split(",") if value.strip()]
        if values:
            facts[field] = _vocabulary_values(vocabularies, vocabulary, values)
    try:
        written = write_scaffold(layout.practices_dir, vocabularies, practice_id, languages, facts, titles)
    except FileExistsError:
        print(_("handbook new: {folder} already exists; choose another key with --id", folder=folder), file=sys.stderr)
        return 1
    for path in written:
        print(path.relative_to(root).as_posix())
    texts = ", ".join(path.name for path in written[1:])
    print(
        "\n"
        + _(
            "Under each section of {texts} is the question it answers, as a line '> {marker}: …'. "
            "Replace each of those lines with your text; `handbook check` points to the ones still there.",
            texts=texts,
            marker=GUIDANCE_MARKERS[languages[0]],
        ),
        file=sys.stderr,
    )
    print(_("Then run: handbook check {folder}", folder=folder), file=sys.stderr)
    return 0


def add_command(sub: Any) -> None:
    """Register `handbook new` on the CLI's subparsers."""
    new = sub.add_parser(
        "new",
        help=_("scaffold a new practice from the schema"),
        description=_(
            "Create practices/<id>/ with practice.yml and a text per language, with the fixed sections. "
            "Asks for the essentials when run in a terminal; options answer them in advance."
        ),
    )
    key, title, folder = _("KEY"), _("TITLE"), _("FOLDER")
    new.add_argument("--id", metavar=key, help=_("practice id (default: made from the title)"))
    new.add_argument("--title-nl", metavar=title, help=_("Dutch title"))
    new.add_argument("--title-en", metavar=title, help=_("English title"))
    new.add_argument(
        "--languages",
        metavar=_("LANGUAGES"),
        help=_("the languages you write: nl, en or nl,en (default: those of the titles given, else the language of the messages)"),
    )
    new.add_argument(
        "--kind", metavar=_("KIND"), help=_("practice (a real initiative in a named municipality) or method (a general way of working)")
    )
    new.add_argument("--municipality", metavar=_("MUNICIPALITY"), action="append", help=_("a municipality (repeat for more)"))
    ui = current_language()
    for option, (_field, vocabulary, label_key) in NEW_OPTIONS.items():
        new.add_argument(
            f"--{option}",
            action="append",
            metavar=key,
            help=_("{label}: a key of the vocabulary '{vocabulary}' (repeatable)", label=label(label_key, ui), vocabulary=vocabulary),
        )
    new.add_argument("--no-input", action="store_true", help=_("never ask; use only the options"))
    new.add_argument("--root", metavar=folder, help=_("repository root (default: found from the current folder)"))
    new.set_defaults(func=command_new)
