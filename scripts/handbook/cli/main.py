"""The `handbook` command: its parser in the language of the messages, and its subcommands, one module each (`cli/check.py`, `new.py`, `status.py`, `schema.py`, `build.py`; the tools of other stages join it)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from handbook.checks.image_metadata import add_command as add_clean_image_command
from handbook.cli.build import add_command as add_build_command
from handbook.cli.check import add_command as add_check_command
from handbook.cli.new import add_command as add_new_command
from handbook.cli.schema import add_command as add_schema_command
from handbook.cli.status import add_command as add_status_command
from handbook.contribute.from_issue import add_command as add_from_issue_command
from handbook.dev.bench import add_command as add_bench_command
from handbook.dev.pdf_bench import add_command as add_pdf_bench_command
from handbook.dev.preview_bench import add_command as add_preview_bench_command
from handbook.messages import N_, _, use_language
from handbook.pdf.render import add_command as add_pdf_command
from handbook.settings import SettingsError
from handbook.urls import LANGUAGES


class HelpFormatter(argparse.HelpFormatter):
    """argparse's own words (`usage:`) in the language of the messages."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


# The placeholders of the arguments the subcommands share, by their dest (argparse would show the dest in capitals)
METAVARS = {
    "root": N_("FOLDER"),
    "output": N_("OUTPUT"),
    "site_url": N_("ADDRESS"),
    "site_dir": N_("FOLDER"),
    "config_file": N_("FILE"),
    "repeat": N_("TIMES"),
}


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

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """An argument whose placeholder, unless one is given, is the translated name of what it takes (`METAVARS`)."""
        action = super().add_argument(*args, **kwargs)
        if "metavar" not in kwargs and action.nargs != 0 and action.dest in METAVARS:
            action.metavar = _(METAVARS[action.dest])
        return action

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
    """The `--lang` of `handbook check` or `status` when given, read before the parser is built (its help is in that language)."""
    arguments = list(argv)
    if arguments[:1] not in (["check"], ["status"]):
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

    for add_command in (add_check_command, add_new_command, add_status_command, add_schema_command, add_build_command):
        add_command(sub)
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
    except BrokenPipeError:  # `handbook status | head`: the reader has what it wanted; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own flush at exit would fail again
        return 0


if __name__ == "__main__":
    sys.exit(main())
