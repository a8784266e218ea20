"""`handbook check`: the content checked as the build checks it (`handbook.gate.load_content`), reported as `path:line: message`, for everything or the given files and folders."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from handbook.content.load import practice_folders
from handbook.content.vocabulary import VocabularyError
from handbook.gate import Content, load_content, site_settings
from handbook.messages import _, ngettext, use_language
from handbook.plaintext import visible_name
from handbook.problems import Problem, located
from handbook.settings import SettingsError
from handbook.urls import LANGUAGES


def use_colour(stream: object) -> bool:
    """Colour for people at a terminal; never under CI, in pipes or with NO_COLOR set."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR") and not os.environ.get("CI")


def _paint(text: str, code: str, enabled: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if enabled else text


def _wanted(paths: Sequence[str]) -> list[Path]:
    """The entries the paths name, absolute: a symbolic link is named, not followed."""
    given = [Path(path) for path in paths]
    return [located(path.absolute()) if path.is_symlink() else path.resolve() for path in given]


def _within(path: Path, wanted: Sequence[Path]) -> bool:
    return any(path == entry or entry in path.parents for entry in wanted)


def command_check(args: argparse.Namespace) -> int:
    use_language(args.lang)
    missing = [path for path in args.paths if not os.path.lexists(path)]
    if missing:  # a mistyped folder is never "all good"
        for path in missing:
            print(_missing_path_message(path), file=sys.stderr)
        return 1
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
    if not args.paths:
        if _report_problems(content.problems, root):
            return 1
        if not args.quiet:
            _report_good(ngettext("All good: {count} practice checked.", "All good: {count} practices checked.", len(content.practices)))
        return 0
    return _check_paths(args, content, root)


def _check_paths(args: argparse.Namespace, content: Content, root: Path) -> int:
    """`handbook check PATH …`: the whole content is loaded and checked (a link, a related practice and an id are checked
    against the others), and the problems in the paths reported; the problems elsewhere are counted, in one line, with
    the files they are in. When those stop the check (an unsafe file, broken vocabularies), they are reported instead."""
    wanted = _wanted(args.paths)
    shown = ", ".join(visible_name(path) for path in args.paths)
    selected: list[Problem] = []
    elsewhere: list[Problem] = []
    for problem in content.problems:
        (selected if _within(located(problem.path), wanted) else elsewhere).append(problem)
    asked = [practice for practice in content.practices if _within(practice.folder.resolve(), wanted)]
    practices_dir = content.layout.practices_dir
    folders = [folder.resolve() for folder in practice_folders(practices_dir)] if practices_dir.is_dir() else []  # read or not
    loaded = {practice.folder.resolve() for practice in asked}
    unread = [folder for folder in folders if _within(folder, wanted) and folder not in loaded]
    if not selected and elsewhere and (unread or (folders and not content.practices)):  # the paths could not be checked
        print(_("{paths}: not checked, because of these problems elsewhere:", paths=shown), file=sys.stderr)
        return _report_problems(elsewhere, root)
    failed = _report_problems(selected, root)
    if elsewhere and not (args.quiet and not failed):
        files = sorted({problem.format(root).partition(":")[0] for problem in elsewhere})
        listed = ", ".join(files[:3]) + (", …" if len(files) > 3 else "")
        print(
            ngettext(
                "Not shown: {count} problem outside {paths} (in {files}); `handbook check` without a path shows it.",
                "Not shown: {count} problems outside {paths} (in {files}); `handbook check` without a path shows them.",
                len(elsewhere),
                paths=shown,
                files=listed,
            ),
            file=sys.stderr,
        )
    if failed or args.quiet:
        return failed
    others = len(content.practices) - len(asked)
    covered = all(any(_within(folder, [entry]) for folder in loaded) for entry in wanted)  # each path a folder of practices
    if not asked or not covered:  # a file, a handbook, a page of docs/: its problems, found in the whole content
        _report_good(_("All good: no problem in {paths}.", paths=shown))
    elif others == 0:
        _report_good(ngettext("All good: {count} practice checked.", "All good: {count} practices checked.", len(asked)))
    elif len(asked) == 1:
        good = ngettext(
            "All good: practice '{id}' checked (with its references to {count} other practice).",
            "All good: practice '{id}' checked (with its references to the {count} other practices).",
            others,
            id=asked[0].id,
        )
        _report_good(good)
    else:
        good = ngettext(
            "All good: {asked} practices checked ({ids}), with their references to {count} other practice.",
            "All good: {asked} practices checked ({ids}), with their references to the {count} other practices.",
            others,
            asked=len(asked),
            ids=", ".join(practice.id for practice in asked),
        )
        _report_good(good)
    return 0


def _missing_path_message(path: str) -> str:
    """A path that does not exist, with the closest name in its folder ('practices/gent-pleinpatron')."""
    given = Path(path)
    siblings = [child.name for child in given.parent.iterdir()] if given.parent.is_dir() else []
    close = difflib.get_close_matches(given.name, siblings, n=1, cutoff=0.6)
    if close:
        hint = (given.parent / close[0]).as_posix() if str(given.parent) != "." else close[0]
        return _("handbook check: '{path}' does not exist; did you mean '{hint}'?", path=visible_name(path), hint=visible_name(hint))
    return _("handbook check: '{path}' does not exist", path=visible_name(path))


def _report_good(text: str) -> None:
    print(_paint(text, "32", use_colour(sys.stderr)), file=sys.stderr)


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


def add_command(sub: Any) -> None:
    """Register `handbook check` on the CLI's subparsers."""
    check = sub.add_parser(
        "check",
        help=_("validate practices without building the site"),
        description=_("Validate all content, or the given files and folders. Exit 1 on any problem."),
    )
    check.add_argument("paths", nargs="*", metavar=_("PATH"), help=_("files or folders to report on (default: everything)"))
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
