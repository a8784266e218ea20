"""A proposal without GitHub: the Bijdragen page's e-mail to the editors, and `handbook from-issue` reading it.

The fixtures in tests/fixtures/mail/ hold the answers of the recorded issue (tests/fixtures/issue-forms/) in
the e-mail form of `views/proposal_form.mail_body`, as mail clients save them: plain UTF-8 with a signature
and a disclaimer; quoted-printable ISO-8859-1 in multipart/alternative with an HTML version and a PDF
attachment; a base64 `format=flowed` reply with the questions quoted; its pasted text; an HTML-only
message; and a hostile one (a header injection in the subject, an attachment named with a path and a
terminal escape, an answer that holds the heading of a later question).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import EDITORS_EMAIL, BuiltSite
from handbook.checks.personal_data import configured_address_problems
from handbook.content.vocabulary import Vocabularies, load_vocabularies
from handbook.contribute.from_issue import proposal_from_issue
from handbook.contribute.mail import MESSAGE_LIMIT, TEXT_LIMIT, unflowed, unquoted
from handbook.gate import load_content
from handbook.messages import use_language
from handbook.settings import Settings
from handbook.views.proposal_form import form_fields, mail_body, mailto
from handbook.web.pages import contribute_links
from support import FIXTURES, VALID, VOCABULARIES, content_root, environment, settings_for
from test_issue_form import RECORDED, RECORDED_ID, TODAY, from_issue, label_of, with_answer

MAIL = FIXTURES / "mail"
ADDRESS = EDITORS_EMAIL  # on the fixture allow-list (tests/fixtures/practices/valid/contacts.yml)
GOOD = ["plain.eml", "quoted-printable-latin1.eml", "reply-quoted.eml", "pasted-body.txt"]


@pytest.fixture(scope="module")
def vocabularies() -> Vocabularies:
    return load_vocabularies(VOCABULARIES)


@pytest.fixture(autouse=True)
def english_messages() -> object:
    use_language("en")
    yield
    use_language(None)


def new_root(tmp_path: Path, name: str = "repo") -> Path:
    return content_root(tmp_path / name, VALID)


def equivalent_issue(vocabularies: Vocabularies) -> str:
    """The recorded issue with its themes in the form's order: a mail's boxes are ticked in that order, an issue's
    choices are listed in the order they were picked (the recorded one picked the last theme first)."""
    themes = [term for term in vocabularies["themes"] if term.key in ("polarisatie", "deskundigheidsbevordering")]
    from handbook.contribute.issue_form import option_text

    return with_answer(RECORDED.read_text(encoding="utf-8"), label_of("themes", vocabularies), ", ".join(map(option_text, themes)))


def written(root: Path) -> dict[str, str]:
    folder = root / "practices" / RECORDED_ID
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


# --- the link on the Bijdragen page ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_link_holds_the_form_questions_in_the_page_language(vocabularies: Vocabularies, language: str) -> None:
    link = mailto(ADDRESS, vocabularies, language)
    assert re.fullmatch(r"[!-~]+", link), "percent-encoded: no space, line break or non-ASCII character is left"
    parts = urlsplit(link)
    assert (parts.scheme, parts.path) == ("mailto", ADDRESS)
    query = dict(part.split("=", 1) for part in parts.query.split("&"))
    assert set(query) == {"subject", "body"}
    assert unquote(query["subject"]) == {"nl": "Praktijk: ", "en": "Practice: "}[language]
    body = unquote(query["body"], errors="strict")
    assert "\r\n" in body and "\n" not in body.replace("\r\n", "")  # RFC 6068: lines end in CR LF
    body = body.replace("\r\n", "\n")
    assert body == mail_body(vocabularies, language)
    questions = form_fields(vocabularies)
    assert [line[4:] for line in body.split("\n") if line.startswith("### ")] == [question.label_in(language) for question in questions]
    for question in questions:
        if question.vocabulary:  # every choice, as a box to tick, in the page's language with its key
            for term in vocabularies[question.vocabulary]:
                assert f"- [ ] {term.label(language)} ({term.key})\n" in body
    assert f"- [x] {'Nederlands (nl)' if language == 'nl' else 'English (en)'}" in body


def test_every_heading_names_one_question(vocabularies: Vocabularies) -> None:
    """A heading of the issue form or of either language's mail opens one question only."""
    seen: dict[str, str] = {}
    for question in form_fields(vocabularies):
        for heading in question.headings():
            assert seen.setdefault(heading.casefold(), question.id) == question.id, heading
        assert question.label_in("nl") and question.label_in("en")


def test_a_blank_mail_form_reads_as_an_unanswered_form(vocabularies: Vocabularies) -> None:
    """The questions of the mail are the ones `from-issue` reads: each required one is named, none is unknown."""
    from handbook.contribute.from_issue import IssueFormError

    with pytest.raises(IssueFormError) as raised:
        proposal_from_issue(mail_body(vocabularies, "en"), vocabularies)
    required = [question.label for question in form_fields(vocabularies) if question.required and question.kind != "checkboxes"]
    messages = "\n".join(raised.value.messages)
    assert all(
        f"'{label}': required" in messages for label in required if label != "Taal van uw beschrijving / Language of your description"
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.mailto: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("mailto:"):
            self.mailto.append(href)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_fixture_site_shows_the_route(built_site: BuiltSite, vocabularies: Vocabularies, language: str) -> None:
    """The fixture site is built with an editors' address (conftest `fixture_env`, on the fixture allow-list), so
    the browser gates see the block too. Its link and its text to copy, as written in the page: the link's
    query percent-encoded and its `&` escaped in the attribute, the copy's apostrophes (the Dutch "Thema's") escaped."""
    assert built_site.env["HANDBOOK_EDITORS_EMAIL"] == ADDRESS
    page = {"nl": "bijdragen/index.html", "en": "en/bijdragen/index.html"}[language]
    parser, text = _Links(), (built_site.site / page).read_text(encoding="utf-8")
    parser.feed(text)
    link = mailto(ADDRESS, vocabularies, language)
    assert parser.mailto == [link]  # one link; the parser unescapes &amp;
    assert f'href="{html.escape(link)}"' in text and "&amp;body=" in text and "&body=" not in text
    body = unquote(urlsplit(parser.mailto[0]).query.split("body=", 1)[1], errors="strict").replace("\r\n", "\n")
    assert body == mail_body(vocabularies, language)
    assert [line[4:] for line in body.split("\n") if line.startswith("### ")] == [
        question.label_in(language) for question in form_fields(vocabularies)
    ]
    copy = re.search(r'<details class="hb-contribute-questions">.*?<pre>(.*?)</pre>', text, re.DOTALL)
    assert copy is not None and html.unescape(copy.group(1)) == mail_body(vocabularies, language)  # the same text, to copy
    assert "'" not in copy.group(1) and (language == "en" or "### Thema&#39;s" in copy.group(1))
    assert f"<code>{ADDRESS}</code>" in text


def test_without_an_address_there_is_no_e_mail_route(tmp_path: Path) -> None:
    root = new_root(tmp_path)
    settings = settings_for(root)
    assert settings.editors_email is None  # the repository's mkdocs.yml sets none without HANDBOOK_EDITORS_EMAIL
    assert contribute_links(settings, load_content(settings), "nl")["hb_mail"] is None
    template = (Path(__file__).parents[1] / "overrides" / "contribute.html").read_text(encoding="utf-8")
    assert re.search(r"{% if hb_mail %}.*mailto|{% if hb_mail %}.*hb_mail\.href", template, re.DOTALL)


def test_the_address_is_configured_once_and_must_be_on_the_allow_list(tmp_path: Path) -> None:
    root = new_root(tmp_path)
    config = root / "mkdocs.yml"
    line = next(number for number, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "editors_email:" in text)
    for address, expected in (
        ("jan.peeters@gmail.com", "is not on the allow-list of organisational contacts"),
        ("redactie@handboek.example.be\r\nBcc: iedereen@example.com", "is not an e-mail address"),
    ):
        with environment(HANDBOOK_EDITORS_EMAIL=address):
            settings = Settings.load(config)
        assert settings.editors_email == address.strip()
        problems = [problem.format(root) for problem in load_content(settings).problems]
        assert [problem for problem in problems if "editors_email" in problem] == [problem for problem in problems if expected in problem]
        assert any(problem.startswith(f"mkdocs.yml:{line}: the option 'editors_email'") and expected in problem for problem in problems)
    (root / "practices" / "contacts.yml").write_text(f'emails: ["{ADDRESS}"]\nphones: []\n', encoding="utf-8")
    assert configured_address_problems(ADDRESS.upper(), "editors_email", root / "practices" / "contacts.yml", config) == []
    with environment(HANDBOOK_EDITORS_EMAIL=ADDRESS):
        settings = Settings.load(config)
    assert settings.editors_email == ADDRESS
    assert [problem.format(root) for problem in load_content(settings).problems] == []
    assert contribute_links(settings, load_content(settings), "en")["hb_mail"]["address"] == ADDRESS  # type: ignore[index]


# --- from-issue reads the mail --------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", GOOD)
def test_a_mailed_proposal_becomes_the_same_practice_as_the_issue(
    tmp_path: Path, fixture: str, vocabularies: Vocabularies, capsys: pytest.CaptureFixture[str]
) -> None:
    from_mail, from_issue_root = new_root(tmp_path, "mail"), new_root(tmp_path, "issue")
    issue = tmp_path / "issue.md"
    issue.write_text(equivalent_issue(vocabularies), encoding="utf-8")
    assert from_issue(from_issue_root, str(issue)) == 0
    capsys.readouterr()
    assert from_issue(from_mail, str(MAIL / fixture)) == 0, capsys.readouterr().err
    out, err = capsys.readouterr()
    assert out == f"practices/{RECORDED_ID}\n" and "passes `handbook check`" in err and "Traceback" not in err
    assert written(from_mail) == written(from_issue_root)
    if fixture.startswith("quoted-printable"):  # the attachment and the HTML version are left out, and said so
        assert f"{MAIL / fixture}: ignored 1 attachment: folder.pdf" in err
        assert "other versions (such as HTML) are ignored" in err
        assert "Verborgen titel" not in written(from_mail)["nl.md"]
    if fixture == "plain.eml":  # the signature and the disclaimer after it are no answer
        assert "Disclaimer" not in "".join(written(from_mail).values())


def test_the_pasted_text_reads_as_the_issue(vocabularies: Vocabularies) -> None:
    pasted = (MAIL / "pasted-body.txt").read_text(encoding="utf-8")
    issue = equivalent_issue(vocabularies)
    assert proposal_from_issue(pasted, vocabularies, today=TODAY) == proposal_from_issue(issue, vocabularies, today=TODAY)


def test_an_html_only_message_is_refused_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_root(tmp_path)
    before = sorted(path.name for path in (root / "practices").iterdir())
    assert from_issue(root, str(MAIL / "html-only.eml")) == 1
    err = capsys.readouterr().err
    assert f"{MAIL / 'html-only.eml'}:1: the message has only an HTML version" in err
    assert "Traceback" not in err and "alert" not in err and "tracker" not in err
    assert sorted(path.name for path in (root / "practices").iterdir()) == before


def test_the_hostile_message_is_refused_with_the_line_of_the_misplaced_heading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_root(tmp_path)
    before = sorted(path.name for path in (root / "practices").iterdir())
    assert from_issue(root, str(MAIL / "hostile.eml")) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert "\x1b" not in err and "ignored 1 attachment: ../../practices/x\\u001b[31m.yml" in err  # named, escaped, not written
    lines = [line.strip() for line in err.splitlines()]
    assert (
        f"{MAIL / 'hostile.eml'}:12: 'Bronnen / Sources' (line 12) comes before 'Samenvatting / Summary' (line 16): the answer to 'Titel / Title' holds the heading of a later question; write that text without the heading, or with another one"
        in lines
    )
    assert "Bcc" not in err and "iedereen" not in err
    assert sorted(path.name for path in (root / "practices").iterdir()) == before


def test_the_subject_is_not_read_so_a_header_injection_there_goes_nowhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_root(tmp_path)
    plain = (MAIL / "plain.eml").read_bytes()
    injected = b"Subject: =?utf-8?q?Praktijk=3A_x=0D=0ABcc=3A_iedereen=40example=2Ecom=0D=0A=0D=0A=1B=5B2J?=\r\n"
    message = tmp_path / "injected.eml"
    message.write_bytes(re.sub(rb"Subject: [^\r\n]*\r\n", injected, plain, count=1))
    assert from_issue(root, str(message)) == 0
    out, err = capsys.readouterr()
    assert "iedereen" not in out + err + "".join(written(root).values())


def test_a_huge_message_is_refused_before_it_is_parsed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_root(tmp_path)
    message = tmp_path / "groot.eml"
    with message.open("wb") as file:
        file.write((MAIL / "plain.eml").read_bytes())
        file.write(b"A" * (MESSAGE_LIMIT + 1))
    assert from_issue(root, str(message)) == 1
    err = capsys.readouterr().err
    assert f"{message}:1: the message is {MESSAGE_LIMIT + 1} bytes, more than the limit of" in err


def test_a_huge_text_is_refused_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_root(tmp_path)
    body = tmp_path / "issue.md"
    body.write_text(RECORDED.read_text(encoding="utf-8") + "x" * TEXT_LIMIT, encoding="utf-8")
    assert from_issue(root, str(body)) == 1
    assert f"{body}:1: the text is " in capsys.readouterr().err


@pytest.mark.parametrize("character", ["\x1b", "\x07", "\u202e"])
def test_a_control_character_is_refused_at_its_line(tmp_path: Path, character: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_root(tmp_path)
    plain = (MAIL / "plain.eml").read_bytes().decode("utf-8")
    lines = plain.split("\r\n")
    body_start = lines.index("") + 1
    title = lines.index("Vorming signaalherkenning voor eerstelijnswerkers")
    lines[title] = f"Vorming{character}[2J signaalherkenning voor eerstelijnswerkers"
    message = tmp_path / "controle.eml"
    message.write_bytes("\r\n".join(lines).encode("utf-8"))
    assert from_issue(root, str(message)) == 1
    err = capsys.readouterr().err
    assert f"{message}:{title - body_start + 1}: unsafe content:" in err and f"U+{ord(character):04X}" in err
    assert character not in err and not (root / "practices" / RECORDED_ID).exists()


def test_refusals_are_in_the_contributors_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    use_language("nl")
    root = new_root(tmp_path)
    assert from_issue(root, str(MAIL / "html-only.eml")) == 1
    assert "het bericht heeft alleen een HTML-versie" in capsys.readouterr().err
    assert from_issue(root, str(MAIL / "quoted-printable-latin1.eml")) == 0
    assert "1 bijlage genegeerd: folder.pdf" in capsys.readouterr().err


# --- the pieces ------------------------------------------------------------------------------------------


def test_flowed_text_is_joined_and_quotes_and_signature_kept() -> None:
    text = "Een lange \r\nregel.\r\n> geciteerd \r\n> verder\r\n-- \r\nHandtekening"
    assert unflowed(text) == "Een lange regel.\n> geciteerd verder\n-- \nHandtekening"
    assert unflowed("ab \ncd", delsp=True) == "abcd"


def test_quotes_come_off_only_when_the_questions_are_quoted() -> None:
    def is_question(line: str) -> bool:
        return line == "### Titel"

    reply = ["Op 1 december schreef de redactie:", "> ### Titel", ">", "Mijn titel", "> > ouder"]
    assert unquoted(reply, is_question) == ["Op 1 december schreef de redactie:", "### Titel", "", "Mijn titel", "> ouder"]
    issue = ["### Titel", "", "> Een citaat in het antwoord"]
    assert unquoted(issue, is_question) == issue
