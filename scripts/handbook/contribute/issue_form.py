"""Propose a practice without git: the GitHub issue form file, written from the questions of the proposal form.

The form (`.github/ISSUE_TEMPLATE/praktijk-voorstellen.yml`) is generated from `views/proposal_form.form_fields()`
and the vocabularies, so the labels and options that `from_issue` reads back are declared once (the
e-mail form of the Bijdragen page is made from the same declaration).
`python -m handbook.contribute.issue_form` rewrites the form.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from handbook.content.vocabulary import Vocabularies, load_vocabularies
from handbook.gate import Settings, site_settings
from handbook.settings import SettingsError
from handbook.views.proposal_form import CONSENT, FormField, both, form_fields, language_names, option_text

__all__ = [
    "CONSENT",
    "FORM_FILE",
    "NO_RESPONSE",
    "FormField",
    "both",
    "form_fields",
    "form_yaml",
    "language_names",
    "option_text",
    "write_form",
]

FORM_FILE = ".github/ISSUE_TEMPLATE/praktijk-voorstellen.yml"
FORM_LABEL = "te-beoordelen"  # set by the form; an editor adds `praktijk-voorstel` to turn the proposal into a pull request
NO_RESPONSE = "_No response_"

INTRO = """\
**Nederlands.** Met dit formulier stelt u een goede praktijk voor het handboek voor, zonder git. Schrijf in \
het Nederlands of in het Engels; de redactie zorgt voor de vertaling. Beschrijf concreet wat u doet en verzin \
geen cijfers, namen of data: laat een veld leeg als u het niet weet. Dit formulier wordt openbaar: schrijf \
geen persoonsgegevens, een contact is altijd een organisatie.

Wat er daarna gebeurt: de redactie leest uw voorstel en stelt hier vragen als iets ontbreekt. Neemt ze het \
op, dan zet een hulpmiddel het om in de bestanden van een praktijk en opent het een *pull request*; de \
redactie vraagt u hier om die tekst na te lezen. Na de goedkeuring staat de praktijk op de site, als \
ontwerp ("Nog niet nagekeken") tot ze is nagekeken met de mensen die de praktijk uitvoeren of een expert.

**English.** Use this form to propose a good practice for the handbook, without git. Write in Dutch or in \
English; the editors take care of the translation. Describe concretely what you do and do not invent \
figures, names or dates: leave a field empty when you do not know. This form is public: write no personal \
data, a contact is always an organisation.

What happens next: the editors read your proposal and ask questions here if something is missing. If they \
take it up, a tool turns it into the files of a practice and opens a *pull request*; the editors ask you \
here to check that text. Once approved, the practice is on the site, as a draft ("Not yet reviewed") until \
it has been reviewed with the people who run it or an expert.
"""


# --- the form file --------------------------------------------------------------------------------------


def _form_element(question: FormField, vocabularies: Vocabularies) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": question.label}
    if question.description:
        attributes["description"] = question.description
    if question.kind == "checkboxes":
        attributes["options"] = [{"label": option, "required": question.required} for option in question.options]
    elif question.kind == "dropdown":
        if question.vocabulary:
            attributes["options"] = [option_text(term) for term in vocabularies[question.vocabulary]]
        else:
            attributes["options"] = list(question.options)
        if question.multiple:
            attributes["multiple"] = True
    if question.placeholder:
        attributes["placeholder"] = question.placeholder
    element: dict[str, Any] = {"type": question.kind, "id": question.id, "attributes": attributes}
    if question.required and question.kind != "checkboxes":
        element["validations"] = {"required": True}
    return element


def form_yaml(vocabularies: Vocabularies) -> str:
    """The text of the issue form file."""
    form = {
        "name": "Stel een praktijk voor / Propose a practice",
        "description": "Stel een goede praktijk voor het handboek voor, zonder git. / Propose a good practice for the handbook, without git.",
        "title": "Praktijk: ",
        "labels": [FORM_LABEL],
        "body": [
            {"type": "markdown", "attributes": {"value": INTRO}},
            *(_form_element(question, vocabularies) for question in form_fields(vocabularies)),
        ],
    }
    header = (
        "# Generated from scripts/handbook/issue_form.py and practices/vocabularies.yml: do not edit by hand.\n"
        "# Rewrite it with `python -m handbook.contribute.issue_form` after changing either.\n"
    )
    return header + yaml.dump(form, Dumper=_FormDumper, allow_unicode=True, sort_keys=False, width=1000)


class _FormDumper(yaml.SafeDumper):
    """Readable YAML: lists indented under their key, texts of several lines as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_FormDumper.add_representer(str, _represent_text)


def write_form(settings: Settings) -> Path:
    """Rewrite the issue form from the field declaration and the vocabularies of the site of `settings`."""
    path = settings.root / FORM_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(form_yaml(load_vocabularies(settings.layout.vocabularies_file)), encoding="utf-8", newline="\n")
    return path


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m handbook.contribute.issue_form", description=f"Rewrite {FORM_FILE} from the vocabularies."
    )
    parser.add_argument("--root", default=".", help="repository root (default: the current folder)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        settings = site_settings(args.root)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Wrote {write_form(settings)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
