"""The cache of the checks and the PDFs (`handbook.cache`): reused when nothing it depends on changed, never
trusted otherwise. A cached run gives exactly the problems of a fresh one; a store from another machine,
another version of the code, another allow-list, a broken file or one reached through a symlink is ignored."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import handbook.cache
from handbook.cache import CACHE_FOLDER, CHECKS_FILE, Store, cached_file, keyed_name, machine_key, safe_folder
from handbook.checks.safety import Renderer
from handbook.gate import Content, ContentMemo, load_content
from handbook.problems import Problem
from support import BAD, FIXTURES, VALID, bad_cases, content_root, root_settings

# A text with something for every cached check: unsafe HTML, an address, a control character, a link to a
# practice that does not exist (a cross-file check: it runs every time), and a dangerous link target.
HOSTILE = """---
title: Vijandig
summary: Een tekst met van alles.
---

## Context

<img src=x onerror=alert(1)> en mail naar iemand@voorbeeld.be.

Een\u202eomgekeerde tekst, een [link](../bestaat-niet/) en een [script](javascript:alert(1)).
"""


@pytest.fixture(autouse=True)
def own_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine key of the test's own, outside every content root."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    machine_key.cache_clear()
    yield
    machine_key.cache_clear()


def hostile_root(tmp_path: Path) -> Path:
    root = content_root(tmp_path / "root", VALID)
    (root / "practices" / "beta-praktijk" / "nl.md").write_text(HOSTILE, encoding="utf-8")
    return root


def check(root: Path) -> Content:
    return load_content(root_settings(root))


def lines(problems: list[Problem], root: Path) -> list[str]:
    return [problem.format(root) for problem in problems]


def store_file(root: Path) -> Path:
    return root / CACHE_FOLDER / CHECKS_FILE


def refuse_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def render(self: Renderer, text: str) -> None:
        raise AssertionError("rendered although the store holds the result")

    monkeypatch.setattr(Renderer, "render", render)


def test_a_warm_check_gives_the_problems_of_a_cold_one_without_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = hostile_root(tmp_path)
    cold = lines(check(root).problems, root)
    assert any("onerror" in line for line in cold) and any("bestaat-niet" in line for line in cold)
    assert any("'iemand@voorbeeld.be'" in line for line in cold) and any("javascript" in line for line in cold)
    assert store_file(root).is_file()
    refuse_rendering(monkeypatch)
    assert lines(check(root).problems, root) == cold


def test_an_edit_is_checked_again_and_a_cross_file_check_follows_the_other_file(tmp_path: Path) -> None:
    root = hostile_root(tmp_path)
    assert any("'../bestaat-niet/'" in line for line in lines(check(root).problems, root))
    nl = root / "practices" / "beta-praktijk" / "nl.md"
    nl.write_text(HOSTILE.replace("<img src=x onerror=alert(1)>", "Een gewone zin"), encoding="utf-8")
    problems = lines(check(root).problems, root)
    assert not any("onerror" in line for line in problems)
    # the link's target appears: the cached text is the same, the reference check sees the new practice
    target = root / "practices" / "bestaat-niet"
    target.mkdir()
    for name in ("practice.yml", "nl.md"):
        text = (root / "practices" / "alpha-praktijk" / name).read_text(encoding="utf-8")
        (target / name).write_text(text.replace("alpha-praktijk", "bestaat-niet"), encoding="utf-8")
    assert not any("'../bestaat-niet/'" in line for line in lines(check(root).problems, root))


def test_a_changed_allow_list_is_never_served_old_results(tmp_path: Path) -> None:
    root = hostile_root(tmp_path)
    assert any("'iemand@voorbeeld.be'" in line for line in lines(check(root).problems, root))
    (root / "practices" / "contacts.yml").write_text('emails: ["iemand@voorbeeld.be"]\n', encoding="utf-8")
    assert not any("'iemand@voorbeeld.be'" in line for line in lines(check(root).problems, root))


def forge(path: Path, version: str, key: bytes, entries: dict[str, object]) -> None:
    body = json.dumps(entries, separators=(",", ":"), sort_keys=True).encode("ascii")
    mac = hmac.new(key, version.encode() + b"\0" + body, hashlib.sha256).hexdigest()
    path.write_bytes(mac.encode() + b"\n" + body)


def clean_entries(path: Path) -> dict[str, object]:
    """Every entry of a store rewritten to say "nothing found" (what an attacker would plant)."""
    entries = json.loads(path.read_bytes().partition(b"\n")[2])

    def clean(name: str, value: object) -> object:
        if name == "j":
            return {"u": [], "l": [], "i": []}
        return [] if isinstance(value, list) else value  # every list of findings or problems empty; what was read as it is

    return {digest: {name: clean(name, value) for name, value in entry.items()} for digest, entry in entries.items()}


@pytest.mark.parametrize("forgery", ["other-key", "no-mac", "hand-edited", "other-version", "truncated", "not-json", "too-big", "symlink"])
def test_a_foreign_or_broken_store_is_ignored(forgery: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = hostile_root(tmp_path)
    cold = lines(check(root).problems, root)
    path = store_file(root)
    planted = clean_entries(path)
    if forgery == "other-key":  # the version is no secret (a digest of public code): only the key makes a store trusted
        forge(path, _version_of(root), os.urandom(32), planted)
    elif forgery == "no-mac":
        path.write_bytes(b"\n" + json.dumps(planted).encode())
    elif forgery == "hand-edited":  # the store's own MAC kept over a body changed to say that nothing is wrong
        path.write_bytes(path.read_bytes().partition(b"\n")[0] + b"\n" + json.dumps(planted, separators=(",", ":")).encode())
    elif forgery == "other-version":
        forge(path, "another version of the code", machine_key() or b"", planted)
    elif forgery == "truncated":
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    elif forgery == "not-json":
        path.write_bytes(b"\x00\xff" * 100)
    elif forgery == "too-big":
        monkeypatch.setattr(handbook.cache, "MAX_STORE_BYTES", 10)
    elif forgery == "symlink":
        outside = tmp_path / "outside"
        outside.mkdir()
        forge(outside / path.name, _version_of(root), machine_key() or b"", planted)
        (root / CACHE_FOLDER).rename(tmp_path / "old-cache")
        (root / CACHE_FOLDER).mkdir()
        (root / CACHE_FOLDER / Path(CHECKS_FILE).parent).symlink_to(outside)
    assert lines(check(root).problems, root) == cold
    if forgery == "symlink":
        assert json.loads((tmp_path / "outside" / path.name).read_bytes().partition(b"\n")[2]) == planted, "written through the link"
    elif forgery != "too-big":
        assert path.read_bytes().partition(b"\n")[0].decode() != "", "the ignored store is replaced by a valid one"
        refuse = pytest.MonkeyPatch()
        refuse_rendering(refuse)
        try:
            assert lines(check(root).problems, root) == cold  # and that one is trusted again
        finally:
            refuse.undo()


def _version_of(root: Path) -> str:
    """The version the checks' store of `root` has, read back through a store that accepts it."""
    found: list[str] = []
    original = Store.__init__

    def spy(self: Store, path: Path | None, key: bytes | None, version: str) -> None:
        found.append(version)
        original(self, path, key, version)

    Store.__init__ = spy  # type: ignore[method-assign]
    try:
        check(root)
    finally:
        Store.__init__ = original  # type: ignore[method-assign]
    return found[-1]


def test_without_the_cache_option_nothing_is_kept(tmp_path: Path) -> None:
    root = hostile_root(tmp_path)
    settings = root_settings(root)
    settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, cache=False))
    assert load_content(settings).problems
    assert not (root / CACHE_FOLDER).exists()


@pytest.mark.parametrize("relative", ["/etc", "../outside", ".cache/../../x", ""])
def test_a_cache_folder_outside_the_root_is_refused(relative: str, tmp_path: Path) -> None:
    assert safe_folder(tmp_path, relative) is None


def test_a_cached_pdf_is_named_with_the_machine_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF planted under the content's digest is never taken: its name needs the key."""
    digest = hashlib.sha256(b"the assembled HTML").hexdigest()
    name = keyed_name(digest)
    assert name is not None and len(name) == 20 and name != digest[:20]
    machine_key.cache_clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    assert keyed_name(digest) not in (None, name)


def test_a_cached_file_is_reused_only_under_its_keyed_name(tmp_path: Path) -> None:
    """What `cached_file` keeps (the template documents) is made once per input; a file planted under any other
    name, or the folder behind a link, is never taken."""
    made: list[bytes] = []

    def make() -> bytes:
        made.append(b"made")
        return b"document"

    digest = hashlib.sha256(b"input").hexdigest()
    folder = tmp_path / CACHE_FOLDER / "office"
    folder.mkdir(parents=True)
    (folder / f"page.nl-{digest[:20]}.docx").write_bytes(b"planted")  # the content's digest: anyone can compute it
    assert cached_file(tmp_path, "office", "page.nl", ".docx", digest, make) == b"document"
    assert cached_file(tmp_path, "office", "page.nl", ".docx", digest, make) == b"document"
    assert len(made) == 1
    assert [path.name for path in folder.iterdir()] == [f"page.nl-{keyed_name(digest)}.docx"]  # the planted file is gone
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / CACHE_FOLDER / "linked").symlink_to(elsewhere)
    assert cached_file(tmp_path, "linked", "page.nl", ".docx", digest, make) == b"document"
    assert list(elsewhere.iterdir()) == [] and len(made) == 2


BAD_SAFETY = FIXTURES / "practices" / "bad-safety"
CORPUS = [BAD / case for case in bad_cases()] + sorted(path for path in BAD_SAFETY.iterdir() if path.is_dir())


def uncached(root: Path) -> list[str]:
    settings = root_settings(root)
    settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, cache=False))
    return lines(load_content(settings).problems, root)


@pytest.mark.parametrize("case", CORPUS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_cached_check_reports_exactly_the_problems_of_an_uncached_one(case: Path, tmp_path: Path) -> None:
    """Every bad fixture: the same problems, in the same order, without the store, with an empty one and with a full one."""
    root = content_root(tmp_path, case)
    fresh = uncached(root)
    assert fresh, "a bad case has problems"
    assert lines(check(root).problems, root) == fresh
    assert lines(check(root).problems, root) == fresh
    assert not (root / CACHE_FOLDER).exists() or store_file(root).is_file()


def test_a_store_of_the_wrong_shape_under_this_key_is_computed_again(tmp_path: Path) -> None:
    """A store with a valid MAC (our own bug, never an attack) whose every value is of another shape: each is computed
    again, with the problems of a fresh run and no traceback."""
    root = hostile_root(tmp_path)
    cold = lines(check(root).problems, root)
    path = store_file(root)
    entries = json.loads(path.read_bytes().partition(b"\n")[2])
    names = {name for entry in entries.values() for name in entry}
    assert {"y", "fm", "rev", "f", "t", "j", "p", "c", "s", "g", "r"} <= names, names
    garbage = {digest: {name: {"garbage": [1]} for name in entry} for digest, entry in entries.items()}
    forge(path, _version_of(root), machine_key() or b"", garbage)
    assert lines(check(root).problems, root) == cold


def test_a_bad_practice_is_never_taken_for_a_good_one_of_the_store(tmp_path: Path) -> None:
    """An entry is found by the digest of the file's bytes: a file made bad after a clean run is checked again."""
    root = content_root(tmp_path / "root", VALID)
    assert check(root).problems == []
    nl = root / "practices" / "beta-praktijk" / "nl.md"
    nl.write_text(HOSTILE, encoding="utf-8")
    assert lines(check(root).problems, root) == uncached(root) != []


def test_a_kept_memo_gives_the_problems_of_a_fresh_check_edit_after_edit(tmp_path: Path) -> None:
    """The preview's `ContentMemo` (its practices and its open store kept from one rebuild to the next) reports
    what a check without any cache reports, after an edit of a text, of the allow-list and of the vocabularies."""
    root = hostile_root(tmp_path)
    memo = ContentMemo()
    nl = root / "practices" / "beta-praktijk" / "nl.md"

    def same() -> list[str]:
        kept = lines(load_content(root_settings(root), memo=memo).problems, root)
        assert kept == lines(load_content(root_settings(root), store=Store.disabled()).problems, root)
        return kept

    assert any("onerror" in line for line in same())
    nl.write_text(HOSTILE.replace("<img src=x onerror=alert(1)>", "Een gewone zin"), encoding="utf-8")
    assert not any("onerror" in line for line in same())
    assert any("'iemand@voorbeeld.be'" in line for line in same())
    (root / "practices" / "contacts.yml").write_text('emails: ["iemand@voorbeeld.be"]\n', encoding="utf-8")
    assert not any("'iemand@voorbeeld.be'" in line for line in same())
    vocabularies = root / "practices" / "vocabularies.yml"
    vocabularies.write_text(
        vocabularies.read_text(encoding="utf-8").replace("jeugdwerk:\n    nl: Jeugdwerk", "jongerenwerk:\n    nl: Jongerenwerk", 1),
        encoding="utf-8",
    )
    assert any("jeugdwerk" in line for line in same())


def test_an_unchanged_practice_folder_gives_the_same_practice_again(tmp_path: Path) -> None:
    root = content_root(tmp_path / "root", VALID)
    memo = ContentMemo()
    first = load_content(root_settings(root), memo=memo).by_id()
    text = root / "practices" / "beta-praktijk" / "nl.md"
    text.write_text(text.read_text(encoding="utf-8").replace("## Context", "## Context\n\nEen nieuwe zin.", 1), encoding="utf-8")
    second = load_content(root_settings(root), memo=memo).by_id()
    assert second["alpha-praktijk"] is first["alpha-praktijk"]
    assert second["beta-praktijk"] is not first["beta-praktijk"]
    assert "Een nieuwe zin." in second["beta-praktijk"].translations["nl"].body


def test_a_kept_store_is_written_only_when_a_result_changed(tmp_path: Path) -> None:
    root = hostile_root(tmp_path)
    memo = ContentMemo()
    load_content(root_settings(root), memo=memo)
    written = store_file(root).stat().st_mtime_ns
    load_content(root_settings(root), memo=memo)
    assert store_file(root).stat().st_mtime_ns == written
    nl = root / "practices" / "beta-praktijk" / "nl.md"
    nl.write_text(HOSTILE.replace("Vijandig", "Anders"), encoding="utf-8")
    load_content(root_settings(root), memo=memo)
    assert store_file(root).stat().st_mtime_ns != written
