"""The built HTML is valid: the Nu Html Checker (vnu-jar from npm, run with Java) over the whole fixture site.

Errors from Material's own templates that cannot be fixed in overrides/ are waived in tests/waivers.yml,
each with its reason; warnings are not counted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BuiltSite
from gates import html_files, load_waivers
from support import REPO

pytestmark = pytest.mark.slow

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


PLANTED = '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>t</title></head><body><img src="x.png"></body></html>'
PLANTED_ERROR = "An “img” element must have an “alt” attribute"


def test_the_built_html_is_valid(built_site: BuiltSite, tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is needed for the Nu Html Checker")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `npm ci` (scripts/test.sh does)")
    assert len(html_files(built_site.site)) > 30
    planted = tmp_path / "planted" / "index.html"  # the checker is alive: it must report this page's error
    planted.parent.mkdir()
    planted.write_text(PLANTED, encoding="utf-8")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--skip-non-html", str(built_site.site), str(planted)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)  # vnu writes its report to stderr
    messages = [message for message in report["messages"] if not message["url"].endswith("/planted/index.html")]
    found = [message["message"] for message in report["messages"] if message["url"].endswith("/planted/index.html")]
    assert len(found) == 1 and found[0].startswith(PLANTED_ERROR), found
    waivers = load_waivers()
    errors = [message for message in messages if message["type"] in ("error", "non-document-error")]
    unwaived = [
        f"{message['url'].split('/site/', 1)[-1]}:{message.get('lastLine', '?')}: {message['message']}"
        for message in errors
        if not waivers.waives_vnu(message["message"])
    ]
    assert unwaived == [], "\n".join(unwaived)
    used = {entry["message"] for entry in waivers.vnu if any(entry["message"] in message["message"] for message in errors)}
    assert used == {entry["message"] for entry in waivers.vnu}, "a vnu waiver no longer matches any error: remove it"
