"""Personal data in contributed text: e-mail addresses, phone numbers and Belgian national numbers.

Texts are read as a reader sees them (`reader_text`): compatibility forms folded (NFKC: `＠`, `﹫`,
fullwidth letters and digits), entities and percent-encoding decoded, `[at]`/`(dot)` forms and ` @ `
undone, Markdown escapes resolved, zero-width characters and soft hyphens removed, soft line breaks
joined; then once more without inline markup (tags, emphasis and code marks: `jan.*peeters*@…`), and, if
the caller passes the rendered HTML, in its text and links. Offsets always point into the source, so a
problem names the line it is on. E-mail addresses (also `naam at stad.be`) and phone numbers (found by
`phonenumbers`, and in runs of digit groups where it finds none: `015 29 76 54 2019`) must be on the
allow-list of organisational contacts, `practices/contacts.yml`; Belgian national register and BIS numbers
(validated by `python-stdnum`, in any punctuation) are refused everywhere. Every step is linear in the
text. The safety check (`safety.py`), the trust gate (`trust.py`) and the image check (`image_metadata.py`:
file names and metadata) call `personal_data`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import phonenumbers
from stdnum.be import bis, nn

from handbook.checks.reader_text import seen, visible_text, without_markup
from handbook.content import yaml_reader
from handbook.messages import _
from handbook.problems import Problem

CONTACTS_FILE = "contacts.yml"  # in the practices folder

# The one place a regular expression finds personal data: e-mail addresses (then validated).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9\-])"
)
_DIGIT_RUN = re.compile(r"\d(?:[ \t.\-/()]{0,3}\d){5,}")  # without 6 digits in a row, no phone or register number
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SEPARATOR = r"[ ./\-_:,]{0,2}"  # a national number may be written with any punctuation between its groups
_NATIONAL_NUMBER = re.compile(rf"(?<![\d.])\d{{2}}{_SEPARATOR}\d{{2}}{_SEPARATOR}\d{{2}}{_SEPARATOR}\d{{3}}{_SEPARATOR}\d{{2}}(?![\d])")
# Without one of these, a text holds no address or number (a compatibility form or escape may spell one).
_CAN_HOLD_PERSONAL_DATA = re.compile(r"[@\d&%\\]|\bat\b|[^\x00-\x7f]", re.IGNORECASE)
_INLINE_MARKUP = re.compile(r"[*_`<]")  # what `without_markup` takes out
# A run of digit groups, as a phone number is written; the fallback tries its windows (see `_grouped_phones`).
_DIGIT_GROUPS = re.compile(r"\+?\d+(?:[ .\-/]{1,2}\d+)+")
_GROUP = re.compile(r"\d+")
_WORD = re.compile(r"[^\W_]+")
_PHONE_TRIES = 4000  # parse attempts of the fallback per text (about 0.15 s)
# `naam at stad dot be`: a word, " at ", then a domain name; the word may not be one that ordinary prose puts before "at".
_SPOKEN_DOMAIN = re.compile(r"(?:[A-Za-z0-9\-]+(?:\.| dot | punt ))+[A-Za-z]{2,63}(?![\w-])")
_LOCAL_PART_BEFORE = re.compile(r"(?:^|(?<=[^\w.@-]))([A-Za-z0-9][A-Za-z0-9._%+\-]*)$")
_PROSE_BEFORE_AT = frozenset(
    [
        "a",
        "aimed",
        "also",
        "and",
        "are",
        "arrive",
        "arrived",
        "available",
        "based",
        "be",
        "been",
        "born",
        "but",
        "can",
        "found",
        "from",
        "held",
        "here",
        "is",
        "it",
        "just",
        "look",
        "looked",
        "looking",
        "meet",
        "meeting",
        "now",
        "online",
        "only",
        "or",
        "posted",
        "published",
        "seen",
        "site",
        "started",
        "staff",
        "students",
        "that",
        "them",
        "there",
        "this",
        "us",
        "was",
        "we",
        "were",
        "website",
        "work",
        "working",
        "works",
        "you",
    ]
)
_DEFAULT_REGION = "BE"


@dataclass(frozen=True)
class Contacts:
    """The allow-list of organisational contacts: e-mail addresses (lower case) and phone numbers (E.164)."""

    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()


def e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def parse_phone(text: str) -> str | None:
    """The E.164 form of a phone number written in full (Belgian unless it has a country code), or None."""
    try:
        number = phonenumbers.parse(text, _DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return e164(number) if phonenumbers.is_valid_number(number) else None


def is_email(text: str) -> bool:
    match = _EMAIL.fullmatch(text.strip())
    return match is not None and _valid_email(match.group())


def _valid_email(address: str) -> bool:
    local, _at, domain = address.rpartition("@")
    return len(local) <= 64 and len(domain) <= 253 and not local.startswith(".") and not local.endswith(".") and ".." not in local


def load_contacts(path: Path) -> tuple[Contacts, list[Problem]]:
    """Read the allow-list; a missing file allows nothing. Every entry must be a valid address or number."""
    if not path.is_file():
        return Contacts(), []
    try:
        document = yaml_reader.load(path.read_text(encoding="utf-8"))
    except yaml_reader.YamlError as error:
        return Contacts(), [Problem(path, error.line, error.message)]
    except (OSError, UnicodeDecodeError) as error:
        return Contacts(), [Problem(path, 1, _("cannot read the allow-list: {error}", error=str(error)))]
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        return Contacts(), [Problem(path, 1, _("the allow-list must be a mapping with the lists 'emails' and 'phones'"))]
    problems = [
        Problem(path, document.line_of((key,)), _("unknown key '{key}'; allowed: emails, phones", key=key))
        for key in data
        if key not in ("emails", "phones")
    ]
    allowed: dict[str, set[str]] = {"emails": set(), "phones": set()}
    for key, normalised, kind in (
        ("emails", _allowed_email, _("e-mail address")),
        ("phones", parse_phone, _("phone number (with its area code)")),
    ):
        entries = data.get(key) or []
        if not isinstance(entries, list):
            problems.append(Problem(path, document.line_of((key,)), _("'{key}' must be a list of quoted texts", key=key)))
            continue
        for index, entry in enumerate(entries):
            value = normalised(entry) if isinstance(entry, str) else None
            if value is None:
                problems.append(
                    Problem(
                        path,
                        document.line_of((key, index)),
                        _("'{key}[{index}]': {entry} is not a valid {kind}", key=key, index=index, entry=repr(entry), kind=kind),
                    )
                )
            else:
                allowed[key].add(value)
    return Contacts(frozenset(allowed["emails"]), frozenset(allowed["phones"])), problems


def configured_address_problems(address: str | None, option: str, contacts_file: Path, config_file: Path) -> list[Problem]:
    """A configured address (the plugin option `editors_email`): an e-mail address on the allow-list of
    organisational contacts, as any address a practice shows; its problem is on the option's line."""
    if address is None:
        return []
    if is_email(address):
        contacts, _problems = load_contacts(contacts_file)  # the allow-list's own problems: the trust gate reports them
        if address.strip().lower() in contacts.emails:
            return []
        message = _(
            "the option '{option}': {address} is not on the allow-list of organisational contacts; the editors' address "
            "must be an organisation's general address: add it to practices/{file} through review",
            option=option,
            address=repr(address),
            file=CONTACTS_FILE,
        )
    else:
        message = _("the option '{option}': {address} is not an e-mail address", option=option, address=repr(address))
    return [Problem(config_file, _option_line(config_file, option), message)]


def _option_line(config_file: Path, option: str) -> int:
    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    match = re.search(rf"^[ \t]*{re.escape(option)}[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _allowed_email(text: str) -> str | None:
    return text.strip().lower() if is_email(text) else None


def _spoken_ats(text: str) -> Iterator[int]:
    """The offset of each " at " (or " AT ") in `text`."""
    for word in (" at ", " AT "):
        position = text.find(word)
        while position != -1:
            yield position
            position = text.find(word, position + 1)


class _Hit(NamedTuple):
    start: int  # in the text searched, then in the source
    end: int
    key: tuple[str, str]  # what was found, however written: ("email", lower case), ("phone", E.164), …
    value: str
    message: str


def personal_data(text: str, contacts: Contacts, *, html: str | None = None) -> list[tuple[int, str]]:
    """(offset, message) of each e-mail address or phone number not on the allow-list, and of each national
    register or BIS number, in `text` as a reader sees it: its source (`reader_text.seen`), the source without
    inline markup (`reader_text.without_markup`: tags, emphasis and code marks) and, if the caller rendered
    the text, its `html` (tags stripped, `href` and `src` decoded). What only a later view shows (the source
    holds a part of it) is reported instead, where its parts are in the source."""
    if not _CAN_HOLD_PERSONAL_DATA.search(text):  # most texts: no @, no digit, no "at", no entity, ASCII
        return []
    plain, offsets = seen(text)
    found = [_Hit(offsets[hit.start], offsets[hit.end], *hit[2:]) for hit in _hits(plain, contacts)]
    if _INLINE_MARKUP.search(plain):
        bare, bare_offsets = without_markup((plain, offsets))
        found = _merged(found, [_Hit(bare_offsets[hit.start], bare_offsets[hit.end], *hit[2:]) for hit in _hits(bare, contacts)])
    else:
        bare, bare_offsets = plain, offsets
    if html is not None:
        lowered = bare.lower() if len(bare.lower()) == len(bare) else bare
        known, located, cursor = {hit.key for hit in found}, [], 0
        for hit in _hits(seen(visible_text(html))[0], contacts):
            if hit.key not in known:  # found again where its words are in the source
                start, cursor = _located(hit.value.lower(), lowered, cursor)
                located.append(_Hit(bare_offsets[start], bare_offsets[cursor], *hit[2:]))
        found = _merged(found, located)
    return sorted((hit.start, hit.message) for hit in found)


def _merged(found: list[_Hit], more: list[_Hit]) -> list[_Hit]:
    """`found` and what only `more` holds; a hit of `found` that is a part of one of `more` gives way to it."""
    known = {hit.key for hit in found}
    new = [hit for hit in more if hit.key not in known]
    kept = [
        hit for hit in found if not any(other.start <= hit.start <= other.end and hit.value.lower() in other.value.lower() for other in new)
    ]
    return kept + new


def _located(value: str, text: str, cursor: int) -> tuple[int, int]:
    """Where the words of `value` are in `text`, in order, each within a tag's length of the one before (from
    `cursor` first); (0, 0) if they are not."""
    words = _WORD.findall(value)
    if not words:
        return 0, 0
    for start_at in (cursor, 0):
        position = text.find(words[0], start_at)
        for _try in range(200):
            if position == -1:
                break
            end = position + len(words[0])
            for word in words[1:]:
                end = text.find(word, end, end + 80 + len(word))
                if end == -1:
                    break
                end += len(word)
            else:
                return position, end
            position = text.find(words[0], position + 1)
    position = max(text.find(words[0]), 0)
    return position, position


def _hits(plain: str, contacts: Contacts) -> list[_Hit]:
    """What `plain` (a normalised text) holds: e-mail addresses, phone numbers, national numbers."""
    found: list[_Hit] = []
    if "@" in plain:
        for match in _EMAIL.finditer(plain):
            address = match.group().lstrip("_")  # `_naam@stad.be_`: the underscore is Markdown emphasis
            if _valid_email(address) and address.lower() not in contacts.emails:
                found.append(_Hit(match.start(), match.end(), ("email", address.lower()), address, email_message(address)))
    for at in _spoken_ats(plain):  # found from " at ", then the domain after it and the word before it (linear)
        domain_match = _SPOKEN_DOMAIN.match(plain, at + 4)
        before = _LOCAL_PART_BEFORE.search(plain[max(0, at - 65) : at]) if domain_match else None
        if domain_match is not None and before is not None:
            local, domain = before.group(1), re.sub(r" (?:dot|punt) ", ".", domain_match.group())
            address = f"{local}@{domain}"
            prose = local.lower() in _PROSE_BEFORE_AT or domain.lower().startswith("www.") or not _valid_email(address)
            if not prose and address.lower() not in contacts.emails:
                span = (at - len(local), domain_match.end())
                found.append(_Hit(*span, ("email", address.lower()), plain[span[0] : span[1]], email_message(address)))
    if not _DIGIT_RUN.search(plain):  # national register numbers and phone numbers are digit runs
        return found
    taken = []
    for match in _NATIONAL_NUMBER.finditer(plain):
        digits = re.sub(r"\D", "", match.group())
        if nn.is_valid(digits) or bis.is_valid(digits):
            taken.append(match.span())
            kind = _("national register number") if nn.is_valid(digits) else _("BIS number")
            message = _(
                "personal data: Belgian {kind} {number}; never write one in a practice: remove it", kind=kind, number=repr(match.group())
            )
            found.append(_Hit(*match.span(), ("national", digits), match.group(), message))
    masked = _URL.sub(lambda match: " " * len(match.group()), plain)  # digits in web addresses are not phone numbers
    phones = [
        (phone.start, phone.end, phone.raw_string, e164(phone.number)) for phone in phonenumbers.PhoneNumberMatcher(masked, _DEFAULT_REGION)
    ]
    phones += _grouped_phones(masked, [*taken, *((start, end) for start, end, _written, _number in phones)])
    for start, end, written, number in phones:
        overlaps = any(taken_start < end and start < taken_end for taken_start, taken_end in taken)
        if not overlaps and number not in contacts.phones:
            found.append(_Hit(start, end, ("phone", number), written, phone_message(written, number)))
    return found


def _grouped_phones(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """Phone numbers the matcher misses in a run of digit groups (`015 29 76 54 2019`, two numbers in a row):
    from each group that starts with 0 or +, the windows of whole groups as long as a number (linear: a few
    windows per group, at most `_PHONE_TRIES` attempts per text)."""
    found = []
    tries = 0
    for run in _DIGIT_GROUPS.finditer(text):
        groups = [(run.start() + group.start(), run.start() + group.end()) for group in _GROUP.finditer(run.group())]
        index = 0
        while index < len(groups):
            start = groups[index][0]
            plus = text[start - 1 : start] == "+"
            digits = text[start : groups[index][1]]
            lowest, highest = (8, 15) if plus else (10, 17) if digits.startswith("00") else (9, 10)
            number = None
            if (plus or digits.startswith("0")) and not any(begin <= start < end for begin, end in taken):
                count = 0
                for last in range(index, len(groups)):
                    count += groups[last][1] - groups[last][0]
                    if count > highest or tries >= _PHONE_TRIES:
                        break
                    if count >= lowest:
                        tries += 1
                        number = parse_phone(text[start - plus : groups[last][1]])
                        if number is not None:
                            break
            if number is None:
                index += 1
                continue
            found.append((start - plus, groups[last][1], text[start - plus : groups[last][1]], number))
            index = last + 1
    return found


def email_message(address: str) -> str:
    return _(
        "personal data: e-mail address {address} is not on the allow-list of organisational contacts; "
        "use an organisation's general address, and add it to practices/{file} through review",
        address=repr(address),
        file=CONTACTS_FILE,
    )


def phone_message(written: str, normalised: str) -> str:
    return _(
        "personal data: phone number {written} ({normalised}) is not on the allow-list of organisational contacts; "
        "use an organisation's general number, and add it to practices/{file} through review",
        written=repr(written),
        normalised=normalised,
        file=CONTACTS_FILE,
    )
