"""The `handbook` command: check, scaffold and stamp content, write the JSON Schemas, build and benchmark the site (subcommands of other modules join it)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from handbook.checks.guidance import GUIDANCE_MARKERS
from handbook.checks.image_metadata import add_command as add_clean_image_command
from handbook.cli.build import add_command as add_build_command
from handbook.content.vocabulary import Vocabularies, VocabularyError
from handbook.contribute.from_issue import add_command as add_from_issue_command
from handbook.dev.bench import add_command as add_bench_command
from handbook.dev.pdf_bench import add_command as add_pdf_bench_command
from handbook.dev.preview_bench import add_command as add_preview_bench_command
from handbook.gate import load_content, site_settings
from handbook.messages import N_, _, current_language, ngettext, use_language
from handbook.pdf.render import add_command as add_pdf_command
from handbook.problems import Problem, located
from handbook.settings import SettingsError
from handbook.urls import LANGUAGES
from handbook.views.catalogue import FACETS
from handbook.views.labels import label


def use_colour(stream: object) -> bool:
    """Colour for people at a terminal; never under CI, in pipes or with NO_COLOR set."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR") and not os.environ.get("CI")


def _paint(text: str, code: str, enabled: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if enabled else text


def _selected(problems: list[Problem], paths: Sequence[str]) -> list[Problem]:
    if not paths:
        return problems
    given = [Path(path) for path in paths]
    wanted = [located(path.absolute()) if path.is_symlink() else path.resolve() for path in given]  # a link is named, not followed
    return [
        problem for problem in problems if any(located(problem.path) == path or path in located(problem.path).parents for path in wanted)
    ]


def command_check(args: argparse.Namespace) -> int:
    use_language(args.lang)
    try:
        settings = site_settings(args.root)
    except SettingsError as error:  # a mkdocs.yml MkDocs refuses: reported as any problem, nothing else is checked
        return _report_problems(error.problems, error.root)
    root = settings.root
    try:
        content = load_content(settings)
    except VocabularyError as error:
        print(error, file=sys.stderr)
        return 1
    if _report_problems(_selected(content.problems, args.paths), root):
        return 1
    if not args.quiet:
        good = ngettext("All good: {count} practice checked.", "All good: {count} practices checked.", len(content.practices))
        print(_paint(good, "32", use_colour(sys.stderr)), file=sys.stderr)
    return 0


def _report_problems(problems: list[Problem], root: Path | None) -> int:
    """Print each problem as `path:line: message` (the location in bold at a terminal) and their count; 1 if any."""
    colour = use_colour(sys.stdout)
    for problem in problems:
        location, _colon, message = problem.format(root).partition(": ")
        print(f"{_paint(location, '1', colour)}: {message}")
    if not problems:
        return 0
    count = len(problems)
    found = ngettext("{count} problem found.", "{count} problems found.", count)
    print(_paint(found, "31", use_colour(sys.stderr)), file=sys.stderr)
    return 1


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


def command_status(args: argparse.Namespace) -> int:
    from handbook.content.load import revision_of
    from handbook.content.translation import TranslationState, stamp_translation, status_report

    settings = site_settings(args.root)
    root = settings.root
    content = load_content(settings)
    if content.problems:
        for problem in content.problems:
            print(problem.format(root), file=sys.stderr)
        return 1
    if args.stamp:
        by_id = content.by_id()
        for target in args.stamp:
            practice_id, _, language = target.partition(":")
            practice = by_id.get(practice_id)
            if practice is None or language not in practice.translations:
                print(f"handbook status: no text '{language}' for practice '{practice_id}' (write ID:LANG)", file=sys.stderr)
                return 1
            translation = practice.translations[language]
            origin = translation.text.translation_of
            source_language = origin.language if origin else next((lang for lang in practice.translations if lang != language), None)
            if source_language is None:
                print(f"handbook status: practice '{practice_id}' has no other language to translate from", file=sys.stderr)
                return 1
            source = practice.translations[source_language]
            changed = stamp_translation(translation.path, source_language, revision_of(source.text, source.body))
            print(f"{translation.path.relative_to(root).as_posix()}: {'stamped' if changed else 'already current'}")
        return 0
    report = status_report(content.practices)
    width = max((len(status.practice_id) for status in report), default=10)
    print(f"{'practice':<{width}}  " + "  ".join(f"{language:<10}" for language in LANGUAGES).rstrip())
    for status in report:
        print(f"{status.practice_id:<{width}}  " + "  ".join(f"{status.states[language].value:<10}" for language in LANGUAGES).rstrip())
    incomplete = sum(1 for status in report if not status.complete)
    outdated = sum(1 for status in report for state in status.states.values() if state is TranslationState.OUTDATED)
    print(
        f"\n{len(report)} practices: {len(report) - incomplete} complete, {incomplete} with a missing, outdated or unrecorded translation ({outdated} outdated)."
    )
    return 0


def command_schema(args: argparse.Namespace) -> int:
    from handbook.content.schema import write_schemas
    from handbook.content.vocabulary import load_vocabularies

    settings = site_settings()
    output = Path(args.output)
    write_schemas(output, load_vocabularies(settings.layout.vocabularies_file))
    print(f"JSON Schemas written to {output}", file=sys.stderr)
    return 0


class HelpFormatter(argparse.HelpFormatter):
    """argparse's own words (`usage:`) in the language of the messages."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An argument parser whose help speaks the language of the messages: argparse's headings ("positional arguments",
    "options"), `usage:`, `-h`, `error:`; every subcommand's parser is one (`add_subparsers(parser_class=…)`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # its own -h, with a translated help
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}", prog=self.prog, message=_argparse_error(message)) + "\n")


# argparse's most common errors (its own gettext catalogue has no Dutch), read back from its English text
_ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), N_("the following arguments are required: {names}")),
    (
        re.compile(r"argument (?P<argument>.+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
        N_("argument {argument}: invalid choice: {value} (choose from {choices})"),
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), N_("unrecognized arguments: {names}")),
    (re.compile(r"argument (?P<argument>.+?): expected one argument"), N_("argument {argument}: expected one argument")),
)


def _argparse_error(message: str) -> str:
    for pattern, translated in _ARGPARSE_ERRORS:
        match = pattern.fullmatch(message)
        if match:
            return _(translated, **match.groupdict())
    return message


def _language_argument(argv: Sequence[str]) -> str | None:
    """The `--lang` of `handbook check` when given, read before the parser is built (its help is in that language)."""
    arguments = list(argv)
    if arguments[:1] != ["check"]:
        return None
    for index, argument in enumerate(arguments):
        value = argument.partition("=")[2] if argument.startswith("--lang=") else None
        if argument == "--lang" and index + 1 < len(arguments):
            value = arguments[index + 1]
        if value in LANGUAGES:
            return value
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="handbook", description=_("Tools for the practice handbook."))
    sub = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"), parser_class=Parser)

    check = sub.add_parser(
        "check",
        help=_("validate practices without building the site"),
        description=_("Validate all content, or the given files and folders. Exit 1 on any problem."),
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help=_("files or folders to report on (default: everything)"))
    check.add_argument("--root", help=_("repository root (default: found from the current folder)"))
    check.add_argument("-q", "--quiet", action="store_true", help=_("print nothing when all is well"))
    check.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_(
            "language of the messages: nl or en (default: HANDBOOK_LANG, else the locale: Dutch for nl*, English "
            "otherwise; Dutch when no locale is set)"
        ),
    )
    check.set_defaults(func=command_check)

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

    status = sub.add_parser(
        "status",
        help=_("translation status of every practice"),
        description=_(
            "Show per practice whether each language is the source, a current or outdated translation, "
            "or missing. --stamp ID:LANG records that LANG's text now translates the source as it is."
        ),
    )
    status.add_argument("--stamp", nargs="+", metavar="ID:LANG", help=_("record these texts as up-to-date translations"))
    status.add_argument("--root", help=_("repository root (default: found from the current folder)"))
    status.set_defaults(func=command_status)

    schema = sub.add_parser(
        "schema",
        help=_("write the JSON Schemas of the practice files"),
        description=_("Write practice.schema.json and practice-text.schema.json for editors."),
    )
    schema.add_argument("-o", "--output", default="schemas", help=_("output folder (default: schemas)"))
    schema.set_defaults(func=command_schema)

    add_build_command(sub)
    add_bench_command(sub)
    add_from_issue_command(sub)
    add_pdf_command(sub)
    add_pdf_bench_command(sub)
    add_preview_bench_command(sub)
    add_clean_image_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    argv = sys.argv[1:] if argv is None else list(argv)
    use_language(_language_argument(argv))
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as error:  # mkdocs.yml as MkDocs refuses it: its problems, never a traceback
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
