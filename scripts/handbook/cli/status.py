"""`handbook status`: the translation status of every practice, and `--stamp` to record a translation as current."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from handbook.gate import load_content, site_settings
from handbook.messages import _, current_language, ngettext, use_language
from handbook.plaintext import visible
from handbook.urls import LANGUAGES
from handbook.views.labels import label


def command_status(args: argparse.Namespace) -> int:
    from handbook.content.load import revision_of
    from handbook.content.translation import TranslationState, stamp_translation, status_report

    use_language(args.lang)
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
            practice_id, _colon, language = target.partition(":")
            practice = by_id.get(practice_id)
            if practice is None or language not in practice.translations:
                message = _("handbook status: no text '{language}' for practice '{id}' (write ID:LANG)", language=language, id=practice_id)
                print(visible(message), file=sys.stderr)
                return 1
            translation = practice.translations[language]
            origin = translation.text.translation_of
            source_language = origin.language if origin else next((lang for lang in practice.translations if lang != language), None)
            if source_language is None:
                print(_("handbook status: practice '{id}' has no other language to translate from", id=practice_id), file=sys.stderr)
                return 1
            source = practice.translations[source_language]
            changed = stamp_translation(translation.path, source_language, revision_of(source.text, source.body))
            path = translation.path.relative_to(root).as_posix()
            print(_("{path}: stamped", path=path) if changed else _("{path}: already current", path=path))
        return 0
    report = status_report(content.practices)
    ui = current_language()
    state_labels = {state: label(f"state_{state.value}", ui) for state in TranslationState}  # the translation status page's words
    heading = label("status_practice", ui).lower()
    width = max((len(status.practice_id) for status in report), default=len(heading))
    column = max(len(text) for text in state_labels.values())
    print(f"{heading:<{width}}  " + "  ".join(f"{language:<{column}}" for language in LANGUAGES).rstrip())
    for status in report:
        cells = "  ".join(f"{state_labels[status.states[language]]:<{column}}" for language in LANGUAGES)
        print(f"{status.practice_id:<{width}}  {cells}".rstrip())
    incomplete = sum(1 for status in report if not status.complete)
    outdated = sum(1 for status in report for state in status.states.values() if state is TranslationState.OUTDATED)
    summary = ngettext(
        "{count} practice: {complete} complete, {incomplete} with a missing, outdated or unrecorded translation ({outdated} outdated).",
        "{count} practices: {complete} complete, {incomplete} with a missing, outdated or unrecorded translation ({outdated} outdated).",
        len(report),
        complete=len(report) - incomplete,
        incomplete=incomplete,
        outdated=outdated,
    )
    print(f"\n{summary}")
    return 0


def add_command(sub: Any) -> None:
    """Register `handbook status` on the CLI's subparsers."""
    status = sub.add_parser(
        "status",
        help=_("translation status of every practice"),
        description=_(
            "Show per practice whether each language is the source, a current or outdated translation, "
            "or missing. --stamp ID:LANG records that LANG's text now translates the source as it is."
        ),
    )
    status.add_argument("--stamp", nargs="+", metavar=_("ID:LANG"), help=_("record these texts as up-to-date translations"))
    status.add_argument("--root", help=_("repository root (default: found from the current folder)"))
    status.add_argument("--lang", choices=LANGUAGES, help=_("language of the messages: nl or en (default: as for handbook check)"))
    status.set_defaults(func=command_status)
