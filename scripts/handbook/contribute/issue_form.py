"""Propose a practice without git: the questions of the GitHub issue form, and the form file written from them.

The form (`.github/ISSUE_TEMPLATE/praktijk-voorstellen.yml`) is generated from `form_fields()` and the
vocabularies, so the labels and options that `from_issue` reads back are declared once.
`python -m handbook.contribute.issue_form` rewrites the form.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from handbook.content.model import METHOD, SUMMARY_LENGTH, TITLE_LENGTH
from handbook.content.vocabulary import Term, Vocabularies, Vocabulary, load_vocabularies
from handbook.gate import Settings, site_settings
from handbook.settings import SettingsError
from handbook.urls import LANGUAGES
from handbook.views.catalogue import FACETS_BY_FIELD
from handbook.views.labels import interface_labels, label

FORM_FILE = ".github/ISSUE_TEMPLATE/praktijk-voorstellen.yml"
FORM_LABEL = "te-beoordelen"  # set by the form; an editor adds `praktijk-voorstel` to turn the proposal into a pull request
NO_RESPONSE = "_No response_"

Kind = Literal["input", "textarea", "dropdown", "checkboxes"]


def language_names() -> dict[str, str]:
    """Each language by its own name (interface.yml): {'nl': 'Nederlands', 'en': 'English'}."""
    return {code: label(f"language_{code}", code) for code in LANGUAGES}


def both(nl: str, en: str) -> str:
    """A bilingual label: Dutch first, English after a slash (once when they are the same)."""
    return nl if nl == en else f"{nl} / {en}"


@dataclass(frozen=True)
class FormField:
    """One question of the issue form. `id` is the practice field it fills, where there is one."""

    id: str
    kind: Kind
    label: str
    description: str = ""
    required: bool = False
    vocabulary: str | None = None  # the options are this vocabulary's terms
    multiple: bool = False
    options: tuple[str, ...] = ()  # fixed options (dropdown) or boxes to tick (checkboxes)
    placeholder: str = ""


CONSENT = both(
    "Mijn voorstel bevat geen persoonsgegevens: geen namen van personen, geen persoonlijke e-mailadressen of telefoonnummers.",
    "My proposal contains no personal data: no names of individuals, no personal e-mail addresses or phone numbers.",
)

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


def _interface_label(key: str) -> str:
    labels = interface_labels()[key]
    return both(labels["nl"], labels["en"])


def _text(nl: str, en: str) -> str:
    """A bilingual description: the Dutch sentence, then the English one in italics."""
    return f"{nl}<br>*{en}*"


def _choose(nl: str, en: str, vocabulary: Vocabulary, *, several: bool) -> str:
    """The description of a vocabulary question, listing the terms' own descriptions where they have them."""
    hint = _text(f"{nl} U kunt er meer dan één kiezen.", f"{en} You can choose more than one.") if several else _text(nl, en)
    described = [term for term in vocabulary if term.descriptions]
    lines = [f"- **{both(term.label('nl'), term.label('en'))}**: {term.description('nl')} *{term.description('en')}*" for term in described]
    return "\n".join([hint, "", *lines]) if lines else hint


def _method_heading(term: Term, vocabularies: Vocabularies) -> str:
    """' (werkwijze: Aandachtspunten / method: Points of attention)' when a method names the section differently."""
    variant = term.for_kind(METHOD)
    if variant is term:
        return ""
    method = vocabularies["kinds"].terms[METHOD]
    return f" ({method.label('nl').lower()}: {variant.label('nl')} / {method.label('en').lower()}: {variant.label('en')})"


def form_fields(vocabularies: Vocabularies) -> list[FormField]:
    """The questions of the form, in the order GitHub shows and renders them."""
    sections = [
        FormField(
            id=term.key,
            kind="textarea",
            label=both(term.label("nl"), term.label("en")) + _method_heading(term, vocabularies),
            description=_text(term.description("nl"), term.description("en")) if term.descriptions else "",
            required=True,
        )
        for term in vocabularies["sections"]
    ]
    return [
        FormField(
            "language",
            "dropdown",
            "Taal van uw beschrijving / Language of your description",
            _text(
                "Schrijf de titel, de samenvatting en de hoofdstukken in deze taal.",
                "Write the title, the summary and the sections in this language.",
            ),
            required=True,
            options=tuple(f"{name} ({code})" for code, name in language_names().items()),
        ),
        FormField(
            "title",
            "input",
            "Titel / Title",
            _text(
                "De naam van de praktijk, {} tot {} tekens.".format(*TITLE_LENGTH),
                "The name of the practice, {} to {} characters.".format(*TITLE_LENGTH),
            ),
            required=True,
        ),
        FormField(
            "summary",
            "textarea",
            "Samenvatting / Summary",
            _text(
                "Een of twee zinnen: wat de praktijk is en voor wie ({} tot {} tekens).".format(*SUMMARY_LENGTH),
                "One or two sentences: what the practice is and for whom ({} to {} characters).".format(*SUMMARY_LENGTH),
            ),
            required=True,
        ),
        FormField(
            "kind",
            "dropdown",
            _interface_label("kind"),
            _choose(
                "Beschrijft u een concreet initiatief van een organisatie in een gemeente (praktijk), of een algemene werkwijze?",
                "Are you describing a real initiative of an organisation in a municipality (practice), or a general method?",
                vocabularies["kinds"],
                several=False,
            ),
            required=True,
            vocabulary="kinds",
        ),
        FormField(
            "municipalities",
            "input",
            _interface_label("municipalities"),
            _text(
                "Waar loopt de praktijk? De officiële naam van elke gemeente van vandaag (na de fusies van 2025), gescheiden door "
                "een komma; de provincie volgt eruit. Verplicht bij een praktijk, leeg bij een werkwijze.",
                "Where does the practice run? The official name of each municipality today (after the 2025 mergers), separated "
                "by commas; the province follows from it. Required for a practice, empty for a method.",
            ),
        ),
        FormField(
            "organisation",
            "input",
            _interface_label("organisation"),
            _text(
                "De organisatie die de praktijk trekt (nooit een persoon). Verplicht bij een praktijk, leeg bij een werkwijze.",
                "The organisation that leads the practice (never a person). Required for a practice, empty for a method.",
            ),
        ),
        FormField(
            "partners",
            "textarea",
            _interface_label("partners"),
            _text("Eén partnerorganisatie per regel.", "One partner organisation per line."),
        ),
        *(
            FormField(
                name,
                "dropdown",
                _interface_label(name),
                _choose(nl, en, vocabularies[FACETS_BY_FIELD[name].vocabulary or name], several=True),
                required=True,
                vocabulary=FACETS_BY_FIELD[name].vocabulary,
                multiple=FACETS_BY_FIELD[name].many,
            )
            for name, nl, en in (
                ("themes", "Waarover gaat de praktijk?", "What is the practice about?"),
                (
                    "pillars",
                    "Welke elementen van de integrale aanpak draagt de praktijk?",
                    "Which elements of the integral approach does the practice carry?",
                ),
                ("prevention_levels", "Op welk preventieniveau werkt de praktijk?", "At which prevention level does the practice work?"),
                ("target_groups", "Voor wie is de praktijk bedoeld?", "Who is the practice meant for?"),
                ("policy_domains", "Welke beleidsdomeinen zijn betrokken?", "Which policy domains are involved?"),
            )
        ),
        FormField("start_year", "input", "Startjaar / Start year", _text("Bijvoorbeeld 2019.", "For example 2019."), placeholder="2019"),
        FormField(
            "end_year",
            "input",
            "Eindjaar / End year",
            _text("Laat leeg als de praktijk nog loopt.", "Leave empty while the practice is running."),
        ),
        FormField("status", "dropdown", _interface_label("status"), vocabulary=FACETS_BY_FIELD["status"].vocabulary),
        FormField(
            "status_as_of",
            "input",
            "Status bevestigd in / Status as of",
            _text(
                "Alleen bij een praktijk: het jaar (of de datum) van de jongste bron die de status toont, bijvoorbeeld 2025 of 2025-03.",
                "Only for a practice: the year (or date) of the newest source that shows the status, for example 2025 or 2025-03.",
            ),
            placeholder="2025",
        ),
        FormField(
            "status_source",
            "input",
            "Bron van de status / Source of the status",
            _text(
                "Het nummer van die bron in de bronnen hieronder (1 = de eerste).",
                "The number of that source in the sources below (1 = the first).",
            ),
            placeholder="1",
        ),
        FormField(
            "evidence_level",
            "dropdown",
            _interface_label("evidence_level"),
            _choose(
                "Alleen bij een praktijk: wat melden de bronnen over een evaluatie?",
                "Only for a practice: what do the sources report about an evaluation?",
                vocabularies["evidence_levels"],
                several=False,
            ),
            vocabulary="evidence_levels",
        ),
        *sections,
        FormField(
            "sources",
            "textarea",
            _interface_label("sources"),
            _text(
                "Eén bron per regel: titel; uitgever; jaar; webadres. Een bron op het web heeft een webadres; een gedrukte publicatie zonder webadres heeft een uitgever en een jaar.",
                "One source per line: title; publisher; year; web address. A web source has its web address; a printed publication without one has a publisher and a year.",
            ),
            required=True,
            placeholder="Titel van de bron; Uitgever; 2018; https://…",
        ),
        FormField(
            "contact_organisation",
            "input",
            "Contactorganisatie / Contact organisation",
            _text(
                "Bij welke organisatie kunnen lezers terecht? Geen naam van een persoon.",
                "Which organisation can readers turn to? Not the name of a person.",
            ),
        ),
        FormField(
            "contact_url",
            "input",
            "Website van de contactorganisatie / Website of the contact organisation",
            placeholder="https://",
        ),
        FormField("consent", "checkboxes", "Persoonsgegevens / Personal data", required=True, options=(CONSENT,)),
    ]


# --- the form file --------------------------------------------------------------------------------------


def option_text(term: Term) -> str:
    """How a vocabulary term appears as an option: its labels with the key, which the parser reads back."""
    return f"{both(term.label('nl'), term.label('en'))} ({term.key})"


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
