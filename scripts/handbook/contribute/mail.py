"""A proposal by e-mail, for `handbook from-issue`: the text of a saved message (`.eml`) or of a pasted body.

The Bijdragen page's `mailto:` link (`views/proposal_form.mailto`) opens a message with the questions of
the issue form as `### <label>` headings; `from_issue` reads the answers under them as it reads an issue.
This module only finds that text:

- a saved message (RFC 5322, `.eml`, or a file that starts with mail headers) is parsed by the standard
  library (`email`, `policy=email.policy.default`): its text/plain body, decoded from quoted-printable or
  base64 and from its charset (UTF-8, ISO-8859-1, …), unwrapped when it is `format=flowed` (RFC 3676).
  Nothing in it is executed or rendered: an HTML-only message is refused (its text is not what the
  sender saw: hidden parts, styles), attachments are ignored and named, the headers are not read (the
  subject cannot inject anything: the title is an answer of the form);
- `unquoted` takes the `> ` quotes off a reply in which the questions are quoted; `without_signature`
  drops what follows a signature separator (`-- `) after the first question.

Limits: a saved message of at most `MESSAGE_LIMIT` bytes, a text of at most `TEXT_LIMIT` characters (an
issue body's limit on GitHub); the same text limit holds for an issue body.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage, MIMEPart

from handbook.messages import _, ngettext
from handbook.plaintext import visible_name

MESSAGE_LIMIT = 10_000_000  # bytes of a saved message, attachments included
TEXT_LIMIT = 65_536  # characters of the text read: GitHub's limit of an issue body
_HEADER = re.compile(rb"^[!-9;-~]+:")  # a header field name (RFC 5322: printable ASCII but the colon)
_MAIL_HEADERS = frozenset(b"from to subject date message-id mime-version received return-path content-type".split())
_QUOTE = re.compile(r"^(?:> ?)+")
_QUOTE_MARK = re.compile(r">")
_SIGNATURE = frozenset(["-- ", "--"])  # RFC 3676's separator, and as clients leave it without its space


class MailError(Exception):
    """A message that cannot be read: (line, message) pairs, for `path:line: message`."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__("\n".join(message for _line, message in problems))
        self.problems = problems


@dataclass
class MailText:
    """The text a message holds, and what was left out of it, said to the editor."""

    text: str
    notes: list[str] = field(default_factory=list)


def is_message(name: str, data: bytes) -> bool:
    """A saved e-mail: an `.eml` file, or text that starts with mail headers (From:, Subject:, …)."""
    if name.lower().endswith(".eml"):
        return True
    head = data[:4096].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].split(b"\n")
    if not head or not _HEADER.match(head[0]):
        return False
    names = {line.split(b":", 1)[0].strip().lower() for line in head if _HEADER.match(line)}
    return len(names & _MAIL_HEADERS) >= 2


def message_text(data: bytes) -> MailText:
    """The text/plain body of a saved message, decoded; a `MailError` for a message that has none or is too big."""
    if len(data) > MESSAGE_LIMIT:
        raise MailError(
            [
                (
                    1,
                    _(
                        "the message is {size} bytes, more than the limit of {limit}; save it without its attachments",
                        size=len(data),
                        limit=MESSAGE_LIMIT,
                    ),
                )
            ]
        )
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(preferencelist=("plain",))
        if body is None:
            html = message.get_body(preferencelist=("html",))
            if html is not None:
                raise MailError(
                    [
                        (
                            1,
                            _(
                                "the message has only an HTML version, which is not read (what it holds may not be what its reader saw); ask the sender to send it as plain text, or copy the text you see into a file and read that"
                            ),
                        )
                    ]
                )
            raise MailError([(1, _("the message has no text to read"))])
        text = body.get_content()
        if body.get_param("format", "").lower() == "flowed":  # type: ignore[union-attr]
            text = unflowed(text, delsp=str(body.get_param("delsp", "no")).lower() == "yes")
        notes = _left_out(message, body)
    except MailError:
        raise
    except LookupError as error:  # an unknown charset
        raise MailError([(1, _("the message's text cannot be decoded: {error}", error=str(error)))]) from None
    except Exception as error:  # the email package on a malformed message: a message, never a traceback
        raise MailError([(1, _("the file cannot be read as an e-mail: {error}", error=str(error)))]) from None
    return MailText(text.replace("\r\n", "\n").replace("\r", "\n"), notes)


def _left_out(message: EmailMessage, body: MIMEPart) -> list[str]:
    """What the message holds besides its text: attachments (by name) and the other versions of the text."""
    names, other_versions = [], 0
    for part in message.walk():
        if part is body or part.is_multipart():
            continue
        filename = part.get_filename()
        if filename or part.get_content_disposition() == "attachment":
            names.append(visible_name(filename or part.get_content_type()))
        else:
            other_versions += 1
    notes = []
    if names:
        notes.append(
            ngettext("ignored {count} attachment: {names}", "ignored {count} attachments: {names}", len(names), names=", ".join(names))
        )
    if other_versions:
        notes.append(_("read the plain-text version of the message; its other versions (such as HTML) are ignored"))
    return notes


def unflowed(text: str, *, delsp: bool = False) -> str:
    """A `format=flowed` text (RFC 3676) with its soft line breaks joined: a line that ends in a space goes on
    in the next line of the same quote depth; space-stuffing is undone."""
    lines: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        quotes = re.match(r">*", line)
        depth = len(quotes.group()) if quotes else 0
        content = line[depth:]
        content = content[1:] if content.startswith(" ") else content
        if pending is not None:
            if pending[0] == depth and content not in _SIGNATURE:
                content = pending[1] + content
            else:
                lines.append(pending)
            pending = None
        if content.endswith(" ") and content not in _SIGNATURE:
            pending = (depth, content[:-1] if delsp else content)
        else:
            lines.append((depth, content))
    if pending is not None:
        lines.append(pending)
    return "\n".join(f"{'>' * depth} {content}" if depth else content for depth, content in lines)


def unquoted(lines: list[str], is_question: Callable[[str], bool]) -> list[str]:
    """A reply in which the questions are quoted (`> ### Titel`): every line without the quotes up to the
    questions' depth, so quoted questions and the answers written under them read as the form. A text whose
    questions are not quoted (an issue) is left as it is, with the quotes of its answers."""
    depth = next((_depth(line) for line in lines if is_question(_QUOTE.sub("", line)) and _depth(line)), 0)
    if not depth or any(is_question(line) for line in lines):
        return lines
    return [_strip_quotes(line, depth) for line in lines]


def _depth(line: str) -> int:
    quotes = _QUOTE.match(line)
    return len(_QUOTE_MARK.findall(quotes.group())) if quotes else 0


def _strip_quotes(line: str, depth: int) -> str:
    for _level in range(depth):
        if not line.startswith(">"):
            break
        line = line[2:] if line.startswith("> ") else line[1:]
    return line


def without_signature(lines: list[str], is_question: Callable[[str], bool]) -> list[str]:
    """The lines before the first signature separator (`-- `) after the first question: a signature, the
    disclaimer after it and anything quoted below them are no answer."""
    first = next((index for index, line in enumerate(lines) if is_question(line)), len(lines))
    for index in range(first + 1, len(lines)):
        if lines[index] in _SIGNATURE:
            return lines[:index]
    return lines
