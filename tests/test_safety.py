"""Unsafe content, personal data, links, anchors and images are refused with their `path:line`.

The XSS payloads are in tests/fixtures/xss/ (one file each; `expected.txt` gives the payload line that
must be reported and a text the message must contain). Each is written into a valid practice text and
must come back as an "unsafe content" problem on that line. The bad practices of these checks are in
tests/fixtures/practices/bad-safety/<case>/, with their exact problems in `expected.txt`.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PIL import Image

from handbook.checks.personal_data import Contacts, load_contacts, personal_data
from handbook.checks.references import MAX_IMAGE_BYTES
from handbook.checks.safety import (
    Renderer,
    SafetyCheck,
    dangerous_scheme,
    read_events,
    unsafe_html_findings,
)
from handbook.content.load import load_practices
from handbook.content.vocabulary import load_vocabularies
from handbook.gate import load_content
from handbook.markdown_render import render_markdown
from handbook.messages import use_language
from support import FIXTURES, REPO, VALID, content_root, repo_settings, settings_for

XSS = FIXTURES / "xss"
BAD_SAFETY = FIXTURES / "practices" / "bad-safety"
PRACTICE = "beta-praktijk"  # the fixture practice the tests write into (Dutch only)
PAYLOAD_LINE = 10  # the file line of nl.md where `write_body` puts its text: after '## Context' and a blank line
SITE_SETTINGS = repo_settings().markdown.contributed


def xss_cases() -> dict[str, tuple[int, str]]:
    cases = {}
    for line in (XSS / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, number, mention = line.split(":", 2)
            cases[name.removesuffix(".md")] = (int(number), mention.strip())
    return cases


XSS_CASES = xss_cases()


# --- helpers -------------------------------------------------------------------------------------------


def make_root(tmp_path: Path, *, docs: dict[str, str] | None = None) -> Path:
    """A content root with the valid fixture practices, the site's mkdocs.yml, the given docs/ pages and a
    contributors' guide with the sections they may include."""
    root = content_root(tmp_path / "root", VALID)
    guide = "".join(f"<!-- --8<-- [start:{lang}] -->\nTekst.\n<!-- --8<-- [end:{lang}] -->\n" for lang in ("nl", "en"))
    (root / "CONTRIBUTING.md").write_text(guide, encoding="utf-8")
    for name, text in (docs or {}).items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return root


def write_body(root: Path, text: str, practice: str = PRACTICE) -> Path:
    """Put `text` at the start of the Context section of the practice's nl.md (file line PAYLOAD_LINE)."""
    path = root / "practices" / practice / "nl.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("## Context") + 2
    assert at + 1 == PAYLOAD_LINE
    path.write_text("\n".join([*lines[:at], *text.splitlines(), "", *lines[at:]]) + "\n", encoding="utf-8")
    return path


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    """`handbook check`'s lines for the root (paths relative to it)."""
    return [problem.format(root) for problem in load_content(settings_for(root)).problems]


def problems_at(root: Path, file: str, line: int) -> list[str]:
    prefix = f"{file}:{line}: "
    return [problem[len(prefix) :] for problem in problems_of(root) if problem.startswith(prefix)]


NL = f"practices/{PRACTICE}/nl.md"
FACTS = f"practices/{PRACTICE}/practice.yml"


# --- XSS corpus ----------------------------------------------------------------------------------------


def test_the_xss_corpus_is_complete() -> None:
    files = sorted(path.stem for path in XSS.glob("*.md"))
    assert len(files) >= 25
    assert files == sorted(XSS_CASES), "every payload file needs one line in expected.txt, and the other way round"


@pytest.mark.parametrize("case", sorted(XSS_CASES))
def test_every_xss_payload_is_rejected_on_its_line(case: str, tmp_path: Path) -> None:
    line, mention = XSS_CASES[case]
    root = make_root(tmp_path)
    write_body(root, (XSS / f"{case}.md").read_text(encoding="utf-8"))
    messages = problems_at(root, NL, PAYLOAD_LINE + line - 1)
    unsafe = [message for message in messages if message.startswith("unsafe content: ")]
    assert unsafe, f"no unsafe-content problem on payload line {line}; all problems: {problems_of(root)}"
    assert any(mention.lower() in message.lower() for message in unsafe), unsafe


def test_a_payload_is_rejected_in_english_texts(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / "practices" / "gamma-practice" / "en.md"
    edit_file(path, "## Context\n", '## Context\n\n[more](https://example.org){: onclick="alert(1)"}\n')
    line = path.read_text(encoding="utf-8").splitlines().index('[more](https://example.org){: onclick="alert(1)"}') + 1
    assert problems_of(root) == [
        f"practices/gamma-practice/en.md:{line}: unsafe content: attribute onclick='alert(1)' on <a> is not allowed, "
        """in `[more](https://example.org){: onclick="alert(1)"}`; remove it: event handlers run code, also when written with attr_list ({: ...})"""
    ]


def test_unsafe_front_matter_and_facts_are_rejected(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    edit_file(root / NL, "title: Beta, ondersteuning van ouders", "title: Beta <script>alert(1)</script> ouders")
    facts = root / FACTS
    edit_file(
        facts,
        'published: "2015-05"',
        'published: "2015-05"\n    url: \'https://vvsg.be/"onmouseover="alert(1)\'\n    accessed: "2026-11-27"',
    )
    edit_file(facts, "organisation: Stad Vilvoorde", "organisation: Stad <img src=x onerror=alert(1)> Vilvoorde")
    plain = "unsafe content: '<' and '>' are not allowed in a plain-text field (they could start HTML); write the words instead (for example 'less than')"
    assert problems_of(root) == [
        f"{NL}:2: field 'title': {plain}",
        f"{FACTS}:4: field 'lead organisation' (organisation): {plain}",
        f"{FACTS}:19: field 'sources', 1st value, 'web address' (url): unsafe content: a web address may not hold quotes, spaces, backslashes or angle brackets, "
        """and must start with http:, https: or mailto: (write %22 for a quote, %20 for a space): 'https://vvsg.be/"onmouseover="alert(1)'""",
    ]


def test_the_line_is_found_in_a_long_text(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    filler = "\n\n".join(f"Alinea {index} zonder iets bijzonders, met een [link](https://example.org/{index})." for index in range(40))
    write_body(root, f'{filler}\n\n<iframe src="https://evil.example"></iframe>\n\n{filler}\n\n[x](#nergens)')
    assert problems_at(root, NL, PAYLOAD_LINE + 80)[0].startswith("unsafe content: element <iframe> is not allowed")
    assert problems_at(root, NL, PAYLOAD_LINE + 162)[0].startswith("link '#nergens' points to no heading of this page")


# --- what must pass ------------------------------------------------------------------------------------


def test_the_real_practices_pass_every_check_also_when_rendered() -> None:
    vocabularies = load_vocabularies(REPO / "practices" / "vocabularies.yml")
    loaded = load_practices(REPO / "practices", vocabularies)
    known = {practice.id for practice in loaded.practices}
    check = SafetyCheck(repo_settings().layout, repo_settings().markdown, loaded.practices, known)
    assert [problem.format(REPO) for problem in check.problems()] == []
    assert [problem.format(REPO) for problem in load_content(repo_settings()).problems] == []


LEGITIMATE_MARKDOWN = """\
## Kop met eigen id {#eigen-id}

Tekst met *nadruk*, **sterk**, `code`, een [link](https://www.vvsg.be "VVSG"), [mail](mailto:info@example.org),
een voetnoot[^1], een afkorting HTML en een [anker](#eigen-id).

| Links | Midden | Rechts |
|:------|:------:|-------:|
| a     | b      | c      |

!!! note "Let op"
    Een opmerking.

???+ tip "Meer"
    Uitklapbare tekst.

Term
:   Uitleg.

3. drie
4. vier

> Een citaat.

```python
print("hallo")
```

~~~ {.yaml #codeblok}
sleutel: waarde
~~~

Een alinea met een klasse.
{: .hb-intro lang="en" }

<kbd>Ctrl</kbd> en <mark>gemarkeerd</mark> en H<sub>2</sub>O.


*[HTML]: HyperText Markup Language

[^1]: De voetnoot.
"""


def test_everything_the_site_markdown_writes_is_allowed() -> None:
    html = render_markdown(LEGITIMATE_MARKDOWN, SITE_SETTINGS)
    assert unsafe_html_findings(html) == []


def test_one_reused_converter_renders_like_a_fresh_one() -> None:
    renderer = Renderer(SITE_SETTINGS)
    for _ in range(2):
        rendered = renderer.render(LEGITIMATE_MARKDOWN)
        assert rendered is not None and rendered.html == render_markdown(LEGITIMATE_MARKDOWN, SITE_SETTINGS)


def test_harmless_serialisation_differences_do_not_count() -> None:
    html = '<p>a &amp; b &para; &#160;<br /><img alt="x" src="a.png" /></p>\n<table><tr><td style="text-align: left;">1</td></tr></table>'
    assert unsafe_html_findings(html) == []


@pytest.mark.parametrize(
    ("target", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        ("  JaVaScRiPt:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("&#106;avascript:alert(1)", "javascript"),
        ("&amp;#106;avascript:alert(1)", "javascript"),
        ("javascript&colon;alert(1)", "javascript"),
        ("<data:text/html,x>", "data"),
        ("VBScript:msgbox(1)", "vbscript"),
        ("https://example.org/javascript:x", None),
        ("../data.md", None),
        ("mailto:info@example.org", None),
    ],
)
def test_dangerous_schemes_are_found_however_written(target: str, scheme: str | None) -> None:
    assert dangerous_scheme(target) == scheme


# --- personal data -------------------------------------------------------------------------------------

CONTACTS = Contacts(emails=frozenset({"info@vvsg.be"}), phones=frozenset({"+3222115500"}))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mail naar jan.peeters@gmail.com voor meer.", "e-mail address 'jan.peeters@gmail.com'"),
        ("Contact: <An.De-Smet+werk@stad.example.be>", "e-mail address 'An.De-Smet+werk@stad.example.be'"),
        ("Bel 0470 12 34 56 na vijf uur.", "phone number '0470 12 34 56' (+32470123456)"),
        ("Tel. +32 15 29 40 00", "phone number '+32 15 29 40 00' (+3215294000)"),
        ("Tel. 015/29.40.00", "phone number '015/29.40.00' (+3215294000)"),
        ("Tel. +31 20 123 4567", "phone number '+31 20 123 4567' (+31201234567)"),
        ("Rijksregisternummer 85.07.30-033.28.", "national register number '85.07.30-033.28'"),
        ("Rijksregisternummer 85073003328.", "national register number '85073003328'"),
        ("BIS-nummer 85.27.30-033.71", "BIS number '85.27.30-033.71'"),
    ],
)
def test_personal_data_is_caught(text: str, kind: str) -> None:
    found = personal_data(text, CONTACTS)
    assert len(found) == 1, found
    offset, message = found[0]
    assert message.startswith("personal data: ") and kind in message
    assert text[offset:].startswith(kind.split("'")[1])


@pytest.mark.parametrize(
    "text",
    [
        "Schrijf naar info@vvsg.be of INFO@VVSG.BE.",  # on the allow-list (case does not matter)
        "Bel +32 2 211 55 00 of 02 211 55 00.",  # on the allow-list, in any writing
        "Rijksregisternummer 85.07.30-033.27 (fout controlegetal).",
        "Het nummer 12345678901 is geen geldig rijksregisternummer.",
        "Op 26 mei 2015, in 2018-09-14, voor 300 deelnemers, 1 200 000 euro, artikel 458ter.",
        "https://www.ejustice.just.fgov.be/eli/wet/2018/07/30/2018031809/justel",
        "Een @-teken zonder adres, en iemand@ zonder domein.",
        # after normalisation (issue 9): still no false positives
        "KBO-nummer 0207.437.468 en ondernemingsnummer BE 0207 437 468.",
        "Van 12/03/2019 tot 14.06.2020, om 14:30; artikel 458bis Sw.; 2015-2016; € 1.250.000,00.",
        "The toolkit is available at vvsg.be, we looked at www.stad.be and published it at https://example.org.",
        "Schrijf naar info&#64;vvsg.be of info [at] vvsg [dot] be.",  # on the allow-list, however written
        "Een zin (at the time) met haakjes [dot] en accolades {x}; A&amp;B; R&D.",
        "Tekst\u00a0met\u202fsmalle\u2009spaties en een zacht\u00adafbreekstreepje.",
    ],
)
def test_what_is_not_personal_data_passes(text: str) -> None:
    assert personal_data(text, CONTACTS) == []


def test_personal_data_is_reported_on_its_line_in_text_and_facts(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_body(root, "Eerste regel.\nMail jan.peeters@gmail.com of bel 0470 12 34 56.\nRRN 85.07.30-033.28.")
    edit_file(root / NL, "  Voor welzijnswerkers", "  Mail an@example.org. Voor welzijnswerkers")
    edit_file(root / FACTS, "status: running", "status: running\ncontact:\n  organisation: Stad Vilvoorde\n  email: piet@telenet.be")
    problems = problems_of(root)
    assert [problem.split(": personal data: ")[0] for problem in problems] == [
        f"{NL}:3: field 'summary'",
        f"{NL}:{PAYLOAD_LINE + 1}",
        f"{NL}:{PAYLOAD_LINE + 1}",
        f"{NL}:{PAYLOAD_LINE + 2}",
        f"{FACTS}:13: field 'contact', 'e-mail address' (email)",
    ], problems
    assert "practices/contacts.yml" in problems[-1]


def test_allow_listed_contacts_pass(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "practices" / "contacts.yml").write_text('emails: ["info@vvsg.be"]\nphones: ["+32 2 211 55 00"]\n', encoding="utf-8")
    edit_file(
        root / FACTS, "status: running", 'status: running\ncontact:\n  organisation: VVSG\n  email: info@vvsg.be\n  phone: "02 211 55 00"'
    )
    write_body(root, "Vragen? Mail info@vvsg.be of bel +32 2 211 55 00.")
    assert problems_of(root) == []


def test_a_contact_phone_must_be_a_phone_number(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    edit_file(root / FACTS, "status: running", 'status: running\ncontact:\n  organisation: VVSG\n  phone: "bel ons"')
    assert problems_of(root) == [
        f"{FACTS}:13: field 'contact', 'phone number' (phone): 'bel ons' is not a phone number: write it in full, with its area code",
    ]


def test_the_allow_list_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "contacts.yml"
    path.write_text('emails: ["info@vvsg.be", "geen adres"]\nphones: ["12"]\nnames: []\n', encoding="utf-8")
    contacts, problems = load_contacts(path)
    assert contacts == Contacts(emails=frozenset({"info@vvsg.be"}))
    assert [problem.format(tmp_path) for problem in problems] == [
        "contacts.yml:3: unknown key 'names'; allowed: emails, phones",
        "contacts.yml:1: 'emails[1]': 'geen adres' is not a valid e-mail address",
        "contacts.yml:2: 'phones[0]': '12' is not a valid phone number (with its area code)",
    ]
    path.write_text("emails: [a, b\n", encoding="utf-8")
    assert load_contacts(path)[1][0].message.startswith("YAML does not parse")
    assert load_contacts(tmp_path / "missing.yml") == (Contacts(), [])


def test_the_repository_allow_list_is_valid() -> None:
    assert load_contacts(REPO / "practices" / "contacts.yml")[1] == []


# --- links and anchors ---------------------------------------------------------------------------------

DOCS = {
    "index.nl.md": "# Handboek\n",
    "integrale-aanpak.nl.md": "# Integrale aanpak\n\n## De zeven elementen\n\nTekst.\n",
    "integrale-aanpak.en.md": "# Integral approach\n\n## The seven elements\n\nText.\n",
    "alleen-engels.en.md": "# Only English\n",
    "met-snippet.nl.md": '# Met snippet\n\n--8<-- "CONTRIBUTING.md:nl"\n',
}


@pytest.mark.parametrize(
    "link",
    [
        "[alfa](../alpha-praktijk/)",
        "[alfa](alpha-praktijk.md)",
        "[alfa](../alpha-praktijk/#context)",
        "[alfa](alpha-praktijk.md#doelstellingen)",
        "[gamma](../gamma-practice/#context)",  # English only: the Dutch page shows the English text
        "[hier](#context)",
        "[zelf](../beta-praktijk/#aanpak)",
        "[catalogus](../)",
        "[catalogus](index.md)",
        "[dekking](../dekking/)",
        "[aanpak](../../integrale-aanpak/)",
        "[aanpak](../integrale-aanpak.md#de-zeven-elementen)",
        "[engels](../../alleen-engels/)",  # either language suffix
        "[snippet](../../met-snippet/#whatever)",  # anchors of a page with snippets cannot be known
        "[thuis](../../)",
        "[extern](https://www.vvsg.be/a/b#c)",
        "[zoek](https://example.org/pagina?x=1&y=2)",
    ],
)
def test_links_to_what_exists_pass(link: str, tmp_path: Path) -> None:
    root = make_root(tmp_path, docs=DOCS)
    write_body(root, f"Zie {link}.")
    assert problems_of(root) == []


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("[x](../alpha-praktjik/)", "link '../alpha-praktjik/' points to no practice, in `Zie [x](../alpha-praktjik/).`; "
         "no practice with id 'alpha-praktjik' exists in practices/; did you mean 'alpha-praktijk'?"),
        ("[x](onbekend.md)", "link 'onbekend.md' points to no practice, in `Zie [x](onbekend.md).`; "
         "no practice with id 'onbekend' exists in practices/"),
        ("[x](#contxt)", "link '#contxt' points to no heading of this page, in `Zie [x](#contxt).`; did you mean '#context'? "
         "the anchors there are: #aanpak, #context, #doelstellingen, #geleerde-lessen, #overdraagbaarheid, #resultaten-en-evaluatie"),
        ("[x](../alpha-praktijk/#nergens)", "link '../alpha-praktijk/#nergens' points to no heading of practice 'alpha-praktijk', "
         "in `Zie [x](../alpha-praktijk/#nergens).`; the anchors there are: #aanpak, #context, #doelstellingen, "
         "#geleerde-lessen, #overdraagbaarheid, #resultaten-en-evaluatie"),
        ("[x](../../onbestaand/)", "link '../../onbestaand/' points to no page, in `Zie [x](../../onbestaand/).`; "
         "there is no docs/onbestaand.nl.md or docs/onbestaand.en.md; link to a practice as '../<id>/' (or '<id>.md'), "
         "to a hand-written page as '../../<page>/' (or '../<page>.md')"),
        ("[x](../../integrale-aanpak/#zeven)", "link '../../integrale-aanpak/#zeven' points to no heading of "
         "docs/integrale-aanpak.nl.md, in `Zie [x](../../integrale-aanpak/#zeven).`; "
         "the anchors there are: #de-zeven-elementen, #integrale-aanpak"),
        ("[x](../alpha-praktijk.md)", "link '../alpha-praktijk.md' points to no page, in `Zie [x](../alpha-praktijk.md).`; "
         "'alpha-praktijk' is a practice: link to it as '../alpha-praktijk/' or 'alpha-praktijk.md'"),
        ("[x](/nergens/)", "absolute link '/nergens/', in `Zie [x](/nergens/).`; write a relative link "
         "instead, such as '../other-practice/' or '../../integrale-aanpak/' (an absolute link breaks when the site is not "
         "published at the root of its host)"),  # a path of the site that leads nowhere: tests/test_own_links.py for the others
        ("[x](../../../elders/)", "link '../../../elders/' points outside the site, in `Zie [x](../../../elders/).`; "
         "link to a practice as '../<id>/' or to a page as '../../<page>/'"),
    ],
)  # fmt: skip
def test_broken_links_are_reported(link: str, message: str, tmp_path: Path) -> None:
    root = make_root(tmp_path, docs=DOCS)
    write_body(root, f"Zie {link}.")
    assert problems_of(root) == [f"{NL}:{PAYLOAD_LINE}: {message}"]


# --- images --------------------------------------------------------------------------------------------


def test_images_in_the_practice_folder_with_alt_text_pass(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    Image.new("RGB", (40, 20), "navy").save(root / "practices" / PRACTICE / "schema.png")
    write_body(root, '![Schema van de aanpak](schema.png){ width="300" }\n\n[groot](schema.png)')
    assert problems_of(root) == []


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("![](schema.png)", "image 'schema.png' has no alt text, in `![](schema.png)`; describe what the image shows between the "
         "brackets: ![description](schema.png)"),
        ("![  ](schema.png)", "image 'schema.png' has no alt text, in `![  ](schema.png)`; describe what the image shows between the "
         "brackets: ![description](schema.png)"),
        ("![Schema](shema.png)", "image 'shema.png' does not exist, in `![Schema](shema.png)`; add the file to "
         "practices/beta-praktijk/ or correct its name; did you mean 'schema.png'?"),
        ("![Groot](groot.jpg)", "image 'groot.jpg' is 1025 KiB, more than the 1024 KiB (1 MiB) allowed, in `![Groot](groot.jpg)`; "
         "make it smaller (for example 1600 pixels wide, as JPEG or WebP)"),
        ("![Schema](https://example.org/schema.png)", "image 'https://example.org/schema.png' is on another host, in "
         "`![Schema](https://example.org/schema.png)`; store the image in the practice folder practices/beta-praktijk/ and "
         "refer to it by its file name (the site requests nothing from other hosts)"),
        ("![Schema](../alpha-praktijk/schema.png)", "image '../alpha-praktijk/schema.png' is outside the practice folder, in "
         "`![Schema](../alpha-praktijk/schema.png)`; put the file in practices/beta-praktijk/ and refer to it by its name"),
        ("![Schema](nl.md)", "image 'nl.md' is not an image file, in `![Schema](nl.md)`; use one of: .gif, .jpeg, .jpg, .png, "
         ".webp"),
    ],
)  # fmt: skip
def test_bad_images_are_reported(markdown: str, message: str, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    folder = root / "practices" / PRACTICE
    Image.new("RGB", (40, 20), "navy").save(folder / "schema.png")
    Image.frombytes("RGB", (500, 500), random.Random(1).randbytes(500 * 500 * 3)).save(folder / "groot.jpg", quality=95)
    with (folder / "groot.jpg").open("ab") as jpeg:  # a real JPEG, padded after its end to just over the limit
        jpeg.write(bytes(MAX_IMAGE_BYTES + 1 - jpeg.tell()))
    write_body(root, markdown)
    assert problems_of(root) == [f"{NL}:{PAYLOAD_LINE}: {message}"]


# --- the bad-safety corpus, and no traceback on any input -----------------------------------------------


def bad_safety_cases() -> list[str]:
    return sorted(path.name for path in BAD_SAFETY.iterdir() if path.is_dir())


@pytest.mark.parametrize("case", bad_safety_cases())
def test_bad_safety_practices_report_exactly_the_expected_problems(case: str, tmp_path: Path) -> None:
    root = content_root(tmp_path, BAD_SAFETY / case)
    expected = [f"practices/{line}" for line in (BAD_SAFETY / case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    assert problems_of(root) == expected


@pytest.mark.parametrize("case", [case for case in bad_safety_cases() if (BAD_SAFETY / case / "expected.nl.txt").is_file()])
def test_bad_safety_practices_are_reported_in_dutch(case: str, tmp_path: Path) -> None:
    """The trust gate speaks the contributor's language: a subset of the corpus with its Dutch lines."""
    root = content_root(tmp_path, BAD_SAFETY / case)
    expected = [f"practices/{line}" for line in (BAD_SAFETY / case / "expected.nl.txt").read_text(encoding="utf-8").splitlines() if line]
    use_language("nl")
    try:
        assert problems_of(root) == expected
    finally:
        use_language(None)


FRAGMENTS = [
    "<", ">", "<!--", "-->", "<!-->", "<![CDATA[", "]]>", "<?php", "?>", "<!DOCTYPE x>", "</", "<a href=", '"', "'",
    "javascript:", "&#", "&#x0A;", "{:", "}", "{: onclick=x}", "[", "]", "](", ")", "![", "[^1]", "[^1]:", "*[", "]:",
    "```", "~~~", "!!!", "???", "\n", "\n\n", "    ", "\t", "#", "## ", "|", "---", "--8<--", "\x00", "\u202e", "@", "0470",
    "<script>", "</script>", "<svg", "<table>", "<td>", "<p>", "</p>", "<details>", "<img src=x>", "<<<<", ">>>>", "\\",
]  # fmt: skip


def test_odd_input_never_raises(tmp_path: Path) -> None:
    rng = random.Random(3)
    root = make_root(tmp_path)
    texts = ["".join(rng.choices(FRAGMENTS, k=rng.randint(1, 60))) for _ in range(40)]
    texts += ["> " * 500 + "diep", "- " * 300 + "lijst", "<div>" * 300, "[" * 500 + "](" * 500, "`" * 1000]
    vocabularies = load_vocabularies(root / "practices" / "vocabularies.yml")
    for text in texts:
        write_body(root, text)
        loaded = load_practices(root / "practices", vocabularies)
        known = {practice.id for practice in loaded.practices}
        SafetyCheck(settings_for(root).layout, SITE_SETTINGS, loaded.practices, known).problems()
        shutil.copy(VALID / PRACTICE / "nl.md", root / "practices" / PRACTICE / "nl.md")
    assert read_events("<a href='x") is not None
