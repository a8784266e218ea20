"""Issue 18, source URLs: what a stranger could put in practice.yml's URLs so that the site links to, and the
weekly link job requests, an internal address (`handbook.content.public_url`), or date a source in the future.

Each case is a `hostile.Case` like those of tests/hostile.py: `handbook check` (and so the build) must report
a problem in `path` whose message holds `mention`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from hostile import FACTS, Case, replace

SOURCE_URL = "url: https://www.vvsg.be/nieuws/mechelen-pakt-radicalisering-aan"
LINK_URL = "  - url: https://www.vvsg.be\n"


def source_url(url: str) -> Callable[[Path], None]:
    return lambda root: replace(root, FACTS, SOURCE_URL, f"url: {json.dumps(url)}")


def link_url(url: str) -> Callable[[Path], None]:
    return lambda root: replace(root, FACTS, LINK_URL, f"  - url: {json.dumps(url)}\n")


def accessed(date: str) -> Callable[[Path], None]:
    return lambda root: replace(root, FACTS, 'accessed: "2026-11-20"', f"accessed: {json.dumps(date)}")


IP = "not an IP address"
LOCAL = "local or internal name"
CASES: list[Case] = [
    Case("source-ip", "metadata", source_url("http://169.254.169.254/latest/meta-data/"), FACTS, IP),
    Case("source-ip", "decimal", source_url("http://2130706433/"), FACTS, IP),
    Case("source-ip", "hex", source_url("http://0x7f.1/"), FACTS, IP),
    Case("source-ip", "octal", source_url("http://017700000001/"), FACTS, IP),
    Case("source-ip", "short", source_url("http://127.1/admin"), FACTS, IP),
    Case("source-ip", "v6", source_url("http://[::1]/"), FACTS, IP),
    Case("source-ip", "v6-mapped", source_url("http://[::ffff:169.254.169.254]/"), FACTS, IP),
    Case("source-ip", "fullwidth", source_url("http://１２７.０.０.１/"), FACTS, IP),
    Case("source-ip", "ideographic-dots", source_url("http://127。0。0。1/"), FACTS, IP),
    Case("source-local", "localhost", source_url("http://localhost:8000/"), FACTS, "port"),
    Case("source-local", "localhost-plain", source_url("http://localhost/server-status"), FACTS, LOCAL),
    Case("source-local", "sub-localhost", source_url("http://admin.localhost/"), FACTS, LOCAL),
    Case("source-local", "localhost-dot", source_url("http://localhost./"), FACTS, LOCAL),
    Case("source-local", "mdns", source_url("http://nas.local/"), FACTS, LOCAL),
    Case("source-local", "internal", source_url("https://metadata.google.internal/computeMetadata/v1/"), FACTS, LOCAL),
    Case("source-local", "lan", source_url("http://router.lan/"), FACTS, LOCAL),
    Case("source-local", "single-label", source_url("http://intranet/"), FACTS, LOCAL),
    Case("source-credentials", "user-pass", source_url("https://jan:geheim@www.vvsg.be/"), FACTS, "user name or password"),
    Case("source-credentials", "user", source_url("https://jan@www.vvsg.be/"), FACTS, "user name or password"),
    Case("source-credentials", "host-spoof", source_url("https://www.vvsg.be@evil.example.com/"), FACTS, "user name or password"),
    Case("source-lookalike", "cyrillic-e", source_url("https://www.mechelen.b\u0435/"), FACTS, "look-alike"),
    Case("source-lookalike", "cyrillic-a", source_url("https://www.vvsg.b\u0435/nieuws"), FACTS, "look-alike"),
    Case("source-lookalike", "mixed-label", source_url("https://m\u0435chelen.be/"), FACTS, "look-alike"),
    Case("source-lookalike", "whole-cyrillic", source_url("https://\u0441\u043e\u0440\u0430.be/"), FACTS, "look-alike"),
    Case("source-lookalike", "punycode", source_url("https://xn--mchelen-7gg.be/"), FACTS, "look-alike"),
    Case("source-port", "other", source_url("https://www.vvsg.be:8443/"), FACTS, "remove the port"),
    Case("source-port", "ssh", source_url("http://www.vvsg.be:22/"), FACTS, "remove the port"),
    Case("source-port", "https-on-80", source_url("https://www.vvsg.be:80/"), FACTS, "remove the port"),
    Case("source-scheme", "ftp", source_url("ftp://ftp.vvsg.be/"), FACTS, "https://"),
    Case("source-scheme", "mailto", source_url("mailto:info@vvsg.be"), FACTS, "https://"),
    Case("source-scheme", "no-slashes", source_url("https:www.vvsg.be"), FACTS, "whole web address"),
    Case("source-scheme", "backslash", source_url("https://evil.example.com\\@www.vvsg.be/"), FACTS, "backslash"),
    Case("source-scheme", "percent-host", source_url("http://127.0.0.%31/"), FACTS, "%-escape"),
    Case("source-accessed", "far-future", accessed("2999-12-31"), FACTS, "after today"),
    Case("source-accessed", "next-year", accessed("2100-01-01"), FACTS, "after today"),
    Case("source-accessed", "future-leap", accessed("2096-02-29"), FACTS, "after today"),
    Case("link-url", "metadata", link_url("http://169.254.169.254/"), FACTS, IP),
    Case("link-url", "localhost", link_url("http://localhost/"), FACTS, LOCAL),
    Case("link-url", "credentials", link_url("https://jan:geheim@www.vvsg.be/"), FACTS, "user name or password"),
    Case("link-url", "lookalike", link_url("https://www.vvsg.b\u0435/"), FACTS, "look-alike"),
]
