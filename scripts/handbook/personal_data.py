"""Personal data in contributed text: e-mail addresses, phone numbers and Belgian national numbers.

Texts are normalised first (`normalised`: entities, `[at]`/`(dot)` forms, zero-width characters, soft
hyphens, Unicode spaces). E-mail addresses (also `naam at stad.be`) and phone numbers (found by
`phonenumbers`) must be on the allow-list of organisational contacts, `practices/contacts.yml`; Belgian
national register and BIS numbers (validated by `python-stdnum`, in any punctuation) are refused everywhere.
The safety check (`safety.py`) and the trust gate (`trust.py`) call `personal_data` on every text.
"""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from stdnum.be import bis, nn

from handbook import yaml_reader
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
# Written to hide from a search: entities, `%40`, `[at]`, `(dot)`, zero-width characters, soft hyphens, odd spaces.
_OBFUSCATION = re.compile(
    r"(?=[&%\[({<\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])"
    r"(?:&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"
    r"|%40"
    r"|[\[({<][ \t]*(?:at|@|dot|punt)[ \t]*[\])}>]"  # the spaces around it go too (see `normalised`)
    r"|[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]"
    r"|[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])",  # the lookahead: only where one can start
    re.IGNORECASE,
)
_CAN_HOLD_PERSONAL_DATA = re.compile(r"[@\d&%]|\bat\b", re.IGNORECASE)
_MAY_BE_OBFUSCATED = re.compile(
    "[&%\\[({<\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
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


def _allowed_email(text: str) -> str | None:
    return text.strip().lower() if is_email(text) else None


def normalised(text: str) -> tuple[str, list[int]]:
    """`text` as a reader sees it, undoing what hides an address or number from a search, and the offset
    in `text` of each character of the result (entities decoded, `[at]` and `(dot)` forms written as `@`
    and `.`, zero-width characters and soft hyphens removed, every Unicode space a plain space)."""
    if not _MAY_BE_OBFUSCATED.search(text) or not _OBFUSCATION.search(text):
        return text, list(range(len(text) + 1))
    parts: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _OBFUSCATION.finditer(text):
        start, end, token = match.start(), match.end(), match.group()
        if token[0] in "[({<":  # `naam [at] stad`: the spaces around the word go with it
            while start > position and text[start - 1] in " \t":
                start -= 1
            while end < len(text) and text[end] in " \t":
                end += 1
        if start < position:  # overlaps what the previous token took
            continue
        parts.append(text[position:start])
        offsets.extend(range(position, start))
        if token.startswith("&"):
            replacement = html_entities.unescape(token)
        elif token == "%40":
            replacement = "@"
        elif token.isspace():
            replacement = " "
        elif token[0] in "[({<":  # [at], (dot), …
            word = token[1:-1].strip().lower()
            replacement = "@" if word in ("at", "@") else "."
        else:
            replacement = ""
        parts.append(replacement)
        offsets.extend([start] * len(replacement))
        position = end
    parts.append(text[position:])
    offsets.extend(range(position, len(text) + 1))
    return "".join(parts), offsets


def _spoken_ats(text: str) -> Iterator[int]:
    """The offset of each " at " (or " AT ") in `text`."""
    for word in (" at ", " AT "):
        position = text.find(word)
        while position != -1:
            yield position
            position = text.find(word, position + 1)


def personal_data(text: str, contacts: Contacts) -> list[tuple[int, str]]:
    """(offset, message) of each e-mail address or phone number not on the allow-list, and of each
    national register or BIS number, in `text`, also when written to hide it (see `normalised`)."""
    if not _CAN_HOLD_PERSONAL_DATA.search(text):  # most texts: no @, no digit, no "at", no entity
        return []
    plain, offsets = normalised(text)
    for _round in range(2 if "&" in plain else 0):  # entities written twice (&amp;#64;)
        again, inner = normalised(plain)
        if again == plain:
            break
        plain, offsets = again, [offsets[offset] for offset in inner]
    found: list[tuple[int, str]] = []
    if "@" in plain:
        for match in _EMAIL.finditer(plain):
            address = match.group()
            if _valid_email(address) and address.lower() not in contacts.emails:
                found.append((offsets[match.start()], email_message(address)))
    for at in _spoken_ats(plain):  # found from " at ", then the domain after it and the word before it (linear)
        domain_match = _SPOKEN_DOMAIN.match(plain, at + 4)
        before = _LOCAL_PART_BEFORE.search(plain[max(0, at - 65) : at]) if domain_match else None
        if domain_match is not None and before is not None:
            local, domain = before.group(1), re.sub(r" (?:dot|punt) ", ".", domain_match.group())
            address = f"{local}@{domain}"
            prose = local.lower() in _PROSE_BEFORE_AT or domain.lower().startswith("www.") or not _valid_email(address)
            if not prose and address.lower() not in contacts.emails:
                found.append((offsets[at - len(local)], email_message(address)))
    if not _DIGIT_RUN.search(plain):  # national register numbers and phone numbers are digit runs
        return found
    national_numbers = []
    for match in _NATIONAL_NUMBER.finditer(plain):
        digits = re.sub(r"\D", "", match.group())
        if nn.is_valid(digits) or bis.is_valid(digits):
            national_numbers.append(match.span())
            kind = _("national register number") if nn.is_valid(digits) else _("BIS number")
            found.append(
                (
                    offsets[match.start()],
                    _("personal data: Belgian {kind} {number}; never write one in a practice: remove it", kind=kind, number=repr(match.group())),
                )
            )
    masked = _URL.sub(lambda match: " " * len(match.group()), plain)  # digits in web addresses are not phone numbers
    for phone in phonenumbers.PhoneNumberMatcher(masked, _DEFAULT_REGION):
        overlaps = any(start < phone.end and phone.start < end for start, end in national_numbers)
        if not overlaps and e164(phone.number) not in contacts.phones:
            found.append((offsets[phone.start], phone_message(phone.raw_string, e164(phone.number))))
    return sorted(found)


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
