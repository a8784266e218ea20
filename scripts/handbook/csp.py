"""A Content-Security-Policy for every built page, as a `<meta http-equiv>` tag with the hashes of the
page's own inline scripts (Material's), so that no other inline script can run.

The policy allows only the site itself: scripts from the site or with one of the listed hashes, Pagefind's
worker and its WebAssembly, images from the site or data: URLs (Material's icons in CSS). Pagefind compiles
its WebAssembly in its worker, which a meta policy does not govern (checked in Chromium: no violation without
it); 'wasm-unsafe-eval' (WebAssembly only, not 'unsafe-eval') covers Pagefind's fallback to the page itself
when a worker cannot start. Styles keep 'unsafe-inline': Material and Pagefind's UI set inline `style`
attributes and small `<style>` blocks from their scripts, which hashes cannot cover.
"""

from __future__ import annotations

import base64
import hashlib
import re

# A <script> element without src whose type is JavaScript (no type, or a JavaScript MIME type or "module");
# data blocks such as Material's `<script id="__config" type="application/json">` are not run and need no hash.
_SCRIPT = re.compile(r"<script(?P<attributes>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.IGNORECASE)
_EXISTING = re.compile(r"<meta\s+http-equiv\s*=\s*[\"']?Content-Security-Policy", re.IGNORECASE)
_JAVASCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript"}

POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval' {hashes}"),
    ("style-src", "'self' 'unsafe-inline'"),  # Material and Pagefind's UI set inline styles
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self' blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script that a browser would run, in document order."""
    scripts = []
    for match in _SCRIPT.finditer(html):
        attributes = match["attributes"]
        if _SRC.search(attributes):
            continue
        found = _TYPE.search(attributes)
        script_type = next((group for group in found.groups() if group is not None), "") if found else ""
        if script_type.strip().lower() in _JAVASCRIPT_TYPES:
            scripts.append(match["body"])
    return scripts


def script_hash(script: str) -> str:
    """The CSP source expression of one inline script: 'sha256-<base64 of its UTF-8 text>'."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(html: str) -> str:
    """The policy for this page: the fixed directives with the hashes of its inline scripts."""
    hashes = " ".join(dict.fromkeys(script_hash(script) for script in inline_scripts(html)))
    return "; ".join(f"{name} {value.format(hashes=hashes).strip()}" for name, value in POLICY)


def with_csp(html: str) -> str:
    """The page with its Content-Security-Policy meta tag right after `<meta charset>`.

    A document without `<meta charset>` (not a page) or with a policy of its own is returned unchanged.
    """
    charset = _CHARSET.search(html)
    if charset is None or _EXISTING.search(html):
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return f"{html[: charset.end()]}\n    {tag}{html[charset.end() :]}"
