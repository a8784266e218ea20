"""The questions of the proposal form, declared once: the GitHub issue form and the e-mail form are made from them.

`form_fields()` is what `contribute/issue_form.py` writes as `.github/ISSUE_TEMPLATE/praktijk-voorstellen.yml`
(bilingual labels) and what `contribute/from_issue.py` reads back; `mail_body()` and `mailto()` give the
same questions in one language, as the body of an e-mail to the editors (the Bijdragen page's `mailto:`
link, `web/pages.contribute_links`). They sit in `views/` because the site shows them too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

from handbook.content.model import METHOD, SUMMARY_LENGTH, TITLE_LENGTH
from handbook.content.vocabulary import Term, Vocabularies, Vocabulary
from handbook.urls import LANGUAGES
from handbook.views.catalogue import FACETS_BY_FIELD
from handbook.views.labels import interface_labels, label

Kind = Literal["input", "textarea", "dropdown", "checkboxes"]


def language_names() -> dict[str, str]:
    """Each language by its own name (interface.yml): {'nl': 'Nederlands', 'en': 'English'}."""
    return {code: label(f"language_{code}", code) for code in LANGUAGES}


def both(nl: str, en: str) -> str:
    """A bilingual label: Dutch first, English after a slash (once when they are the same)."""
    return nl if nl == en else f"{nl} / {en}"


@dataclass(frozen=True)
class FormField:
    """One question of the form. `id` is the practice field it fills, where there is one."""

    id: str
    kind: Kind
    label: str  # bilingual, as the issue form shows it
    description: str = ""
    required: bool = False
    vocabulary: str | None = None  # the options are this vocabulary's terms
    multiple: bool = False
    options: tuple[str, ...] = ()  # fixed options (dropdown) or boxes to tick (checkboxes)
    placeholder: str = ""
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)  # the label in each language (the mail form)
    localized_options: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)  # `options` in each language

    def label_in(self, language: str) -> str:
        return self.labels.get(language, self.label)

    def options_in(self, language: str) -> tuple[str, ...]:
        return self.localized_options.get(language, self.options)

    def headings(self) -> set[str]:
        """Every label this question may have as a heading: the issue form's and each language's."""
        return {self.label, *self.labels.values()}


def _question(
    id: str,
    kind: Kind,
    nl: str,
    en: str,
    description: str = "",
    *,
    required: bool = False,
    vocabulary: str | None = None,
    multiple: bool = False,
    options: tuple[str, ...] = (),
    placeholder: str = "",
    localized_options: Mapping[str, tuple[str, ...]] | None = None,
) -> FormField:
    """A question labelled in Dutch and English."""
    return FormField(
        id,
        kind,
        both(nl, en),
        description,
        required,
        vocabulary,
        multiple,
        options,
        placeholder,
        {"nl": nl, "en": en},
        localized_options or {},
    )


CONSENT_TEXTS = {
    "nl": "Mijn voorstel bevat geen persoonsgegevens: geen namen van personen, geen persoonlijke e-mailadressen of telefoonnummers.",
    "en": "My proposal contains no personal data: no names of individuals, no personal e-mail addresses or phone numbers.",
}
CONSENT = both(CONSENT_TEXTS["nl"], CONSENT_TEXTS["en"])


def _interface_names(key: str) -> tuple[str, str]:
    labels = interface_labels()[key]
    return labels["nl"], labels["en"]


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


def _method_heading_in(term: Term, vocabularies: Vocabularies, language: str) -> str:
    """' (werkwijze: Aandachtspunten)': `_method_heading` in one language, for the mail form."""
    variant = term.for_kind(METHOD)
    if variant is term:
        return ""
    method = vocabularies["kinds"].terms[METHOD]
    return f" ({method.label(language).lower()}: {variant.label(language)})"


def form_fields(vocabularies: Vocabularies) -> list[FormField]:
    """The questions of the form, in the order GitHub shows and renders them."""
    sections = [
        FormField(
            id=term.key,
            kind="textarea",
            label=both(term.label("nl"), term.label("en")) + _method_heading(term, vocabularies),
            description=_text(term.description("nl"), term.description("en")) if term.descriptions else "",
            required=True,
            labels={language: term.label(language) + _method_heading_in(term, vocabularies, language) for language in LANGUAGES},
        )
        for term in vocabularies["sections"]
    ]
    return [
        _question(
            "language",
            "dropdown",
            "Taal van uw beschrijving",
            "Language of your description",
            _text(
                "Schrijf de titel, de samenvatting en de hoofdstukken in deze taal.",
                "Write the title, the summary and the sections in this language.",
            ),
            required=True,
            options=tuple(f"{name} ({code})" for code, name in language_names().items()),
        ),
        _question(
            "title",
            "input",
            "Titel",
            "Title",
            _text(
                "De naam van de praktijk, {} tot {} tekens.".format(*TITLE_LENGTH),
                "The name of the practice, {} to {} characters.".format(*TITLE_LENGTH),
            ),
            required=True,
        ),
        _question(
            "summary",
            "textarea",
            "Samenvatting",
            "Summary",
            _text(
                "Een of twee zinnen: wat de praktijk is en voor wie ({} tot {} tekens).".format(*SUMMARY_LENGTH),
                "One or two sentences: what the practice is and for whom ({} to {} characters).".format(*SUMMARY_LENGTH),
            ),
            required=True,
        ),
        _question(
            "kind",
            "dropdown",
            *_interface_names("kind"),
            _choose(
                "Beschrijft u een concreet initiatief van een organisatie in een gemeente (praktijk), of een algemene werkwijze?",
                "Are you describing a real initiative of an organisation in a municipality (practice), or a general method?",
                vocabularies["kinds"],
                several=False,
            ),
            required=True,
            vocabulary="kinds",
        ),
        _question(
            "municipalities",
            "input",
            *_interface_names("municipalities"),
            _text(
                "Waar loopt de praktijk? De officiële naam van elke gemeente van vandaag (na de fusies van 2025), gescheiden door "
                "een komma; de provincie volgt eruit. Verplicht bij een praktijk, leeg bij een werkwijze.",
                "Where does the practice run? The official name of each municipality today (after the 2025 mergers), separated "
                "by commas; the province follows from it. Required for a practice, empty for a method.",
            ),
        ),
        _question(
            "organisation",
            "input",
            *_interface_names("organisation"),
            _text(
                "De organisatie die de praktijk trekt (nooit een persoon). Verplicht bij een praktijk, leeg bij een werkwijze.",
                "The organisation that leads the practice (never a person). Required for a practice, empty for a method.",
            ),
        ),
        _question(
            "partners",
            "textarea",
            *_interface_names("partners"),
            _text("Eén partnerorganisatie per regel.", "One partner organisation per line."),
        ),
        *(
            _question(
                name,
                "dropdown",
                *_interface_names(name),
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
        _question("start_year", "input", "Startjaar", "Start year", _text("Bijvoorbeeld 2019.", "For example 2019."), placeholder="2019"),
        _question(
            "end_year",
            "input",
            "Eindjaar",
            "End year",
            _text("Laat leeg als de praktijk nog loopt.", "Leave empty while the practice is running."),
        ),
        _question("status", "dropdown", *_interface_names("status"), vocabulary=FACETS_BY_FIELD["status"].vocabulary),
        _question(
            "status_as_of",
            "input",
            "Status bevestigd in",
            "Status as of",
            _text(
                "Alleen bij een praktijk: het jaar (of de datum) van de jongste bron die de status toont, bijvoorbeeld 2025 of 2025-03.",
                "Only for a practice: the year (or date) of the newest source that shows the status, for example 2025 or 2025-03.",
            ),
            placeholder="2025",
        ),
        _question(
            "status_source",
            "input",
            "Bron van de status",
            "Source of the status",
            _text(
                "Het nummer van die bron in de bronnen hieronder (1 = de eerste).",
                "The number of that source in the sources below (1 = the first).",
            ),
            placeholder="1",
        ),
        _question(
            "evidence_level",
            "dropdown",
            *_interface_names("evidence_level"),
            _choose(
                "Alleen bij een praktijk: wat melden de bronnen over een evaluatie?",
                "Only for a practice: what do the sources report about an evaluation?",
                vocabularies["evidence_levels"],
                several=False,
            ),
            vocabulary="evidence_levels",
        ),
        *sections,
        _question(
            "sources",
            "textarea",
            *_interface_names("sources"),
            _text(
                "Eén bron per regel: titel; uitgever; jaar; webadres. Een bron op het web heeft een webadres; een gedrukte publicatie zonder webadres heeft een uitgever en een jaar.",
                "One source per line: title; publisher; year; web address. A web source has its web address; a printed publication without one has a publisher and a year.",
            ),
            required=True,
            placeholder="Titel van de bron; Uitgever; 2018; https://…",
        ),
        _question(
            "contact_organisation",
            "input",
            "Contactorganisatie",
            "Contact organisation",
            _text(
                "Bij welke organisatie kunnen lezers terecht? Geen naam van een persoon.",
                "Which organisation can readers turn to? Not the name of a person.",
            ),
        ),
        _question(
            "contact_url",
            "input",
            "Website van de contactorganisatie",
            "Website of the contact organisation",
            placeholder="https://",
        ),
        _question(
            "consent",
            "checkboxes",
            "Persoonsgegevens",
            "Personal data",
            required=True,
            options=(CONSENT,),
            localized_options={code: (text,) for code, text in CONSENT_TEXTS.items()},
        ),
    ]


# --- the e-mail form -------------------------------------------------------------------------------------

_BOX, _TICKED_BOX = "- [ ] ", "- [x] "


def mail_body(vocabularies: Vocabularies, language: str) -> str:
    """The questions of the form as the text of an e-mail, in `language`: a `### <label>` heading per question
    (what `from_issue` reads, as it reads an issue), room for the answer under it, and the choices as boxes
    to tick, `- [ ] <label> (<key>)`; the page's language is ticked as the language of the description."""
    lines = [label("contribute_mail_intro", language), ""]
    for question in form_fields(vocabularies):
        lines += [f"### {question.label_in(language)}", ""]
        if question.vocabulary:
            lines += [f"{_BOX}{term.label(language)} ({term.key})" for term in vocabularies[question.vocabulary]]
        elif question.id == "language":
            lines += [f"{_TICKED_BOX if code == language else _BOX}{name} ({code})" for code, name in language_names().items()]
        elif question.kind in ("dropdown", "checkboxes"):
            lines += [f"{_BOX}{option}" for option in question.options_in(language)]
        else:
            lines.append("")
        lines.append("")
    return "\n".join(lines)


def mailto(address: str, vocabularies: Vocabularies, language: str) -> str:
    """The `mailto:` link (RFC 6068) of a proposal to `address`: the subject and the questions of `mail_body`,
    percent-encoded as UTF-8, the lines ended by CR LF."""
    subject = quote(label("contribute_mail_subject", language), safe="")
    body = quote(mail_body(vocabularies, language).replace("\n", "\r\n"), safe="")
    return f"mailto:{quote(address, safe='@')}?subject={subject}&body={body}"


def option_text(term: Term) -> str:
    """How a vocabulary term appears as an option: its labels with the key, which the parser reads back."""
    return f"{both(term.label('nl'), term.label('en'))} ({term.key})"
