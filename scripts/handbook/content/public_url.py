"""Whether a URL names a public web address: the one rule for practice.yml's URLs and the external link job.

A contributed URL is shown on the site and requested by the weekly link job (`handbook linkcheck --external`),
whose log is public. So a URL must be `http(s)://` with a public host name, read the way a browser reads it
(the WHATWG URL Standard, which urllib and `getaddrinfo` follow closely enough for the forms below):

- no IP literal: no `[v6]`, and no host whose last label is a number, which is how the URL Standard recognises
  an IPv4 address in any of its forms (`127.0.0.1`, `127.1`, `2130706433`, `0x7f.1`, `017700000001`);
- no local name: a single label (`intranet`), `localhost` and the reserved or private suffixes (`LOCAL_SUFFIXES`);
- no credentials (`user:pass@`), no port other than the scheme's default, no `%`-escape or backslash in the
  address part (a browser decodes or rewrites them, so the host it asks for is not the one written);
- no look-alike: a label whose letters mix scripts (Cyrillic `е` among Latin letters), or that is written
  entirely in Cyrillic or Greek letters that look Latin (`се`). A host in one script (`bücher.de`, `пример.рф`)
  passes, and so does a Japanese label (Han with Hiragana or Katakana).

The host is first mapped as a browser maps it (Python's IDNA codec: Unicode compatibility forms folded, so
fullwidth digits and the ideographic full stop count as what they become). `public_url_problem` returns a
message id (translated where it is shown) or None; it reads no network. The link job also refuses, at request
time, a host that resolves to an address that is not global (`linkcheck`).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from handbook.messages import N_

DEFAULT_PORTS = {"http": "80", "https": "443"}
# Names that never denote a public web site: special-use and commonly used private suffixes.
LOCAL_SUFFIXES = ("localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "corp", "arpa", "invalid", "onion")
# Cyrillic and Greek letters a reader takes for Latin ones (lower case, as hosts are compared).
LATIN_LOOK_ALIKES = frozenset("аеорсухіјѕԁԛԝһӏʏвнкмтпгαεικνορτυχзοϲϳ")
_COMPATIBLE_SCRIPTS = (frozenset({"CJK", "HIRAGANA", "KATAKANA", "LATIN"}), frozenset({"CJK", "HANGUL", "LATIN"}))
_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # what the URL Standard reads as a dot


def public_url_problem(url: str, *, web_only: bool = True) -> str | None:
    """Why `url` is not a public web address (a message id), or None. With `web_only=False` a `mailto:` passes."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not web_only and scheme == "mailto":
        return None
    if scheme not in DEFAULT_PORTS:
        return N_("use a web address that starts with https:// (or http://)")
    authority = url.split(":", 1)[1]
    if not authority.startswith("//") or not parts.netloc:
        return N_("write the whole web address, with // after the scheme: https://www.example.be/…")
    if "\\" in url or "%" in parts.netloc or any(ord(character) < 0x21 or character.isspace() for character in url):
        return N_("the address part of the URL holds a backslash, a %-escape, a space or a control character; write the host name plainly")
    if "@" in parts.netloc:
        return N_("remove the user name or password from the URL (the part before '@'); a public page needs none")
    host, port = _host_and_port(parts.netloc)
    if host.startswith("["):
        return N_("use the site's host name, not an IP address")
    if port is not None and port != DEFAULT_PORTS[scheme]:
        return N_("remove the port from the URL (':' and a number after the host name); a public site uses the default one")
    return host_problem(host)


def _host_and_port(netloc: str) -> tuple[str, str | None]:
    if netloc.startswith("["):
        return netloc, None
    host, colon, port = netloc.rpartition(":")
    return (host, port) if colon else (netloc, None)


def host_problem(host: str) -> str | None:
    """Why a host name (without port) is not a public one, or None."""
    mapped = host.translate(_FULL_STOPS)
    try:
        ascii_host = mapped.encode("idna").decode("ascii").lower()  # IDNA 2003: compatibility forms folded
    except UnicodeError:
        return N_("the host name of the URL is not a valid domain name")
    labels = ascii_host.removesuffix(".").split(".")
    last = labels[-1]
    if last.isdigit() or (last.startswith("0x") and all(c in "0123456789abcdef" for c in last[2:])):
        return N_("use the site's host name, not an IP address")
    if len(labels) < 2 or labels[-1] in LOCAL_SUFFIXES or any(not label for label in labels):
        return N_("use the public host name of the site (such as www.example.be), not a local or internal name")
    if any(not all(c.isascii() and (c.isalnum() or c == "-") for c in label) for label in labels):
        return N_("the host name of the URL is not a valid domain name")
    if any(_looks_alike(_unicode(label)) for label in labels):
        return N_(
            "the host name mixes letters of different scripts or imitates Latin letters (a look-alike address); write it in one script"
        )
    return None


def _unicode(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except UnicodeError:
        return label


def _script(character: str) -> str | None:
    """The script of a letter (the first word of its Unicode name: LATIN, CYRILLIC, CJK, …); None for others."""
    if not unicodedata.category(character).startswith("L"):
        return None  # digits, hyphens and combining marks belong to every script
    name = unicodedata.name(character, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _looks_alike(label: str) -> bool:
    """A label whose letters mix scripts (beyond one language's usual mix), or a Latin look-alike in Cyrillic or Greek."""
    scripts = {script for script in map(_script, label) if script}
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _COMPATIBLE_SCRIPTS):
        return True
    letters = [character for character in label if _script(character)]
    return bool(letters) and scripts <= {"CYRILLIC", "GREEK"} and all(character in LATIN_LOOK_ALIKES for character in letters)
