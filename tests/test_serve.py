"""`mkdocs serve` as a preview: it never dies on content, shows the problems on the page and in the terminal,
recovers on the next save, and renders no PDF (handbook/preview.py)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support import VALID, assemble_site, free_port, subprocess_env

pytestmark = pytest.mark.slow  # `mkdocs serve` processes

STARTUP = 120  # seconds: the first build of the fixture site on a loaded 2-core machine
REBUILD = 60


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return str(error.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(condition: Callable[[], bool], seconds: float, server: subprocess.Popen[str], what: str, log: Path | None = None) -> float:
    """Poll until `condition` holds; fail when the server ends or after `seconds`. Returns the time taken."""
    start = time.monotonic()
    while not condition():
        output = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
        assert server.poll() is None, f"mkdocs serve ended while waiting for {what}:\n{output}"
        assert time.monotonic() - start < seconds, f"no {what} after {seconds} s:\n{output}"
        time.sleep(0.05)
    return time.monotonic() - start


class Served:
    def __init__(self, root: Path, process: subprocess.Popen[str], base: str, log: Path) -> None:
        self.root, self.process, self.base, self.log = root, process, base, log

    def page(self, path: str) -> str:
        return fetch(self.base + path) or ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    """The fixture site served on a free loopback port; `request.param` may break it before it starts."""
    root = assemble_site(tmp_path / "site", VALID)
    if getattr(request, "param", None) == "broken":
        break_beta(root)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],  # as scripts/serve.sh
            cwd=root,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            env=subprocess_env(HANDBOOK_SEARCH="false", TMPDIR=str(tmp_path)),  # the site folder a stopped server leaves
        )
        served = Served(root, process, f"http://127.0.0.1:{port}/", log)
        try:
            wait_for(lambda: fetch(served.base) is not None, STARTUP, process, "first page", log)
            yield served
        finally:
            process.terminate()
            process.wait(timeout=30)


BROKEN_THEME = "themes: [familieondersteuning, onderwjis]"


def break_beta(root: Path) -> None:
    facts = root / "practices" / "beta-praktijk" / "practice.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("themes: [familieondersteuning, onderwijs]", BROKEN_THEME), encoding="utf-8")


def fix_beta(root: Path) -> None:
    facts = root / "practices" / "beta-praktijk" / "practice.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(BROKEN_THEME, "themes: [familieondersteuning, onderwijs]"), encoding="utf-8")


ERROR = {"": "Fout in de inhoud", "en/": "Content error"}
PAGE = "praktijken/beta-praktijk/"
TITLE = "Beta, ondersteuning van ouders"


def test_a_content_error_shows_on_the_page_and_in_the_terminal_and_serving_recovers(served: Served) -> None:
    assert TITLE in served.page(PAGE)
    break_beta(served.root)
    for prefix, heading in ERROR.items():
        wait_for(
            lambda heading=heading, prefix=prefix: heading in served.page(prefix + PAGE),
            REBUILD,
            served.process,
            log=served.log,
            what=f"error page {prefix}",
        )
        shown = served.page(prefix + PAGE)
        assert "practices/beta-praktijk/practice.yml:" in shown and "onderwjis" in shown
        assert heading in served.page(prefix + "praktijken/no-such-page/")  # the 404 page too, in both languages
    wait_for(
        lambda: "practices/beta-praktijk/practice.yml:" in served.output(),
        10,
        served.process,
        log=served.log,
        what="message in the terminal",
    )
    fix_beta(served.root)
    for prefix in ERROR:
        wait_for(
            lambda prefix=prefix: TITLE in served.page(prefix + PAGE), REBUILD, served.process, log=served.log, what=f"page {prefix} again"
        )
    assert served.process.poll() is None
    assert "Traceback" not in served.output()


@pytest.mark.parametrize("served", ["broken"], indirect=True)
def test_serve_starts_on_broken_content_and_recovers(served: Served) -> None:
    assert ERROR[""] in served.page(PAGE) and ERROR["en/"] in served.page("en/" + PAGE)
    fix_beta(served.root)
    wait_for(lambda: TITLE in served.page(PAGE), REBUILD, served.process, log=served.log, what="page after the fix")
    assert "Traceback" not in served.output()


def test_an_edit_is_visible_quickly_and_no_pdf_is_rendered(served: Served) -> None:
    """The preview renders no PDF: the handbook page says so; a text edit shows after one fast rebuild."""
    assert "niet gemaakt" in served.page("studiedagen/alle-praktijken/")
    assert not list((served.root / ".cache").rglob("*.pdf"))
    text = served.root / "practices" / "beta-praktijk" / "nl.md"
    text.write_text(text.read_text(encoding="utf-8").replace("open spreekuur", "open spreekuurwoord"), encoding="utf-8")
    seconds = wait_for(lambda: "spreekuurwoord" in served.page(PAGE), REBUILD, served.process, log=served.log, what="the edit")
    assert seconds < 30  # a loose bound for a shared machine; README gives the measured times
