"""The parallel language build's contract (`handbook/parallel.py`), with stand-in children: plain Python processes.

Failure paths: a failing child, a child that never starts, a parent that fails first, an interrupted
parent, a read-only parent folder; and the hand-off, the settings a child gets and a child's large output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from handbook.web.parallel import CHILD_ENV, BuildSettings, Command, LanguageBuildError, ParallelBuild, Report
from support import subprocess_env

SETTINGS = BuildSettings(config_file="/nowhere/mkdocs.yml")


def child(script: str) -> Command:
    """A command factory: the child runs `script` with its output folder as sys.argv[1]."""
    return lambda settings, output_dir: [sys.executable, "-c", textwrap.dedent(script), str(output_dir)]


WRITES_ITS_LANGUAGE = child(
    """
    import sys, pathlib
    folder = pathlib.Path(sys.argv[1]) / "en"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>en</p>")
    print("INFO    -  Building en")
    """
)


def reported() -> tuple[list[tuple[str, str]], Report]:
    lines: list[tuple[str, str]] = []
    return lines, lambda language, line: lines.append((language, line))


def test_a_finished_child_moves_its_language_into_the_site_and_nothing_is_left(tmp_path: Path) -> None:
    build = ParallelBuild()
    lines, report = reported()
    build.start(SETTINGS, ["en"], report, WRITES_ITS_LANGUAGE)
    folder = build.folder
    assert build.role == "parent" and folder is not None
    assert folder.parent == Path(tempfile.gettempdir()), "the private folder is in the system's temporary folder"
    build.finish(tmp_path / "site")
    assert (tmp_path / "site" / "en" / "index.html").read_text() == "<p>en</p>"
    assert not folder.exists() and lines == []
    build.abandon()  # harmless after finish


def test_a_failing_child_is_one_message_with_its_output_not_a_traceback(tmp_path: Path) -> None:
    """It used to fail a second time with 'ValueError: I/O operation on closed file' (communicate() twice)."""
    failing = child(
        """
        import sys
        print("INFO    -  Building en")
        print("WARNING -  Doc file 'x.en.md' contains a link 'missing.md', but the target is not found.")
        print("Aborted with 1 warnings in strict mode!")
        sys.exit(1)
        """
    )
    build = ParallelBuild()
    lines, report = reported()
    build.start(SETTINGS, ["en"], report, failing)
    folder = build.folder
    with pytest.raises(LanguageBuildError) as error:
        build.finish(tmp_path / "site")
    message = str(error.value)
    assert message.startswith("The 'en' build (a child process) failed with exit code 1 (its warnings and errors are reported above)")
    assert "Aborted with 1 warnings in strict mode!" in message
    assert "missing.md" not in message, "the warning is reported once, as it came"
    assert lines == [("en", "WARNING -  Doc file 'x.en.md' contains a link 'missing.md', but the target is not found.")]
    assert folder is not None and not folder.exists()
    build.abandon()  # as on_build_error does after the failure: no second wait on a closed pipe
    assert not (tmp_path / "site").exists()


def test_a_child_that_never_starts_is_a_message_and_leaves_nothing(tmp_path: Path) -> None:
    build = ParallelBuild()
    _, report = reported()
    before = set(Path(tempfile.gettempdir()).glob("handbook-build-*"))
    with pytest.raises(LanguageBuildError, match=r"could not start the 'en' build: .*no-such-python"):
        build.start(SETTINGS, ["en"], report, lambda settings, output: [str(tmp_path / "no-such-python")])
    assert build.folder is None
    assert set(Path(tempfile.gettempdir()).glob("handbook-build-*")) <= before


def test_a_child_that_starts_but_dies_at_once_is_reported(tmp_path: Path) -> None:
    build = ParallelBuild()
    _, report = reported()
    build.start(SETTINGS, ["en"], report, child("raise SystemExit('no mkdocs here')"))
    with pytest.raises(LanguageBuildError, match=r"(?s)exit code 1:\nno mkdocs here"):
        build.finish(tmp_path / "site")


def test_when_the_parent_fails_first_the_children_are_stopped_and_the_folder_removed() -> None:
    build = ParallelBuild()
    _, report = reported()
    build.start(SETTINGS, ["en"], report, child("import time; time.sleep(60)"))
    process = build._children[0].process
    folder = build.folder
    started = time.monotonic()
    build.abandon()
    assert process.poll() is not None and time.monotonic() - started < 10
    assert folder is not None and not folder.exists()
    build.abandon()


def test_a_read_only_parent_folder_of_the_site_is_not_written_to(tmp_path: Path) -> None:
    """Temporary folders used to be made next to the site folder: a read-only parent or a mount point broke the build."""
    parent = tmp_path / "read-only"
    (parent / "site").mkdir(parents=True)
    parent.chmod(0o555)
    try:
        build = ParallelBuild()
        _, report = reported()
        build.start(SETTINGS, ["en"], report, WRITES_ITS_LANGUAGE)
        build.finish(parent / "site")
        assert sorted(path.name for path in parent.iterdir()) == ["site"]
        assert (parent / "site" / "en" / "index.html").is_file()
    finally:
        parent.chmod(0o755)


def test_a_child_output_larger_than_a_pipe_does_not_block(tmp_path: Path) -> None:
    chatty = child(
        """
        import sys, pathlib
        for index in range(20000):
            print(f"INFO    -  line {index} " + "x" * 40)
        print("WARNING -  the last line")
        (pathlib.Path(sys.argv[1]) / "en").mkdir(parents=True)
        """
    )
    build = ParallelBuild()
    lines, report = reported()
    build.start(SETTINGS, ["en"], report, chatty)
    build.finish(tmp_path / "site")
    assert lines == [("en", "WARNING -  the last line")]


def test_the_child_gets_the_parents_settings() -> None:
    settings = BuildSettings(
        "/site/mkdocs.yml", strict=True, site_url="https://example.org/h/", use_directory_urls=False, dirty=True, theme="mkdocs"
    )
    command = settings.command(Path("/tmp/out"))
    assert command[1:] == [
        "-m",
        "mkdocs",
        "build",
        "-f",
        "/site/mkdocs.yml",
        "-d",
        "/tmp/out",
        "--strict",
        "--dirty",
        "-t",
        "mkdocs",
        "--no-directory-urls",
    ]
    assert BuildSettings("/m.yml").command(Path("/o"))[8:] == ["--no-strict", "--use-directory-urls"]


def test_hand_off_from_parent_to_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = ParallelBuild()
    _, report = reported()
    parent.start(SETTINGS, ["en"], report, WRITES_ITS_LANGUAGE)
    assert parent.folder is not None
    parent.share("pages", {"praktijken/a.nl.md": "text"})
    monkeypatch.setenv(
        CHILD_ENV,
        json.dumps({"language": "en", "folder": str(parent.folder), "settings": {"config_file": "/m.yml", "site_url": "https://x.org/"}}),
    )
    child_build = ParallelBuild.for_process()
    assert (child_build.role, child_build.language) == ("child", "en")
    assert child_build.receive("pages") == {"praktijken/a.nl.md": "text"}

    class Config:
        site_url = "http://127.0.0.1:8000/"

    config = Config()
    child_build.apply_settings(config)
    assert config.site_url == "https://x.org/"
    parent.finish(tmp_path / "site")
    with pytest.raises(LanguageBuildError, match="the parent build stopped before sharing its pdfs"):
        child_build.receive("pdfs", timeout=5)


def test_a_child_waits_no_longer_than_its_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHILD_ENV, json.dumps({"language": "en", "folder": str(tmp_path), "settings": {"config_file": "/m.yml"}}))
    with pytest.raises(LanguageBuildError, match="waited 0 s for the parent build's pages"):
        ParallelBuild.for_process().receive("pages", timeout=0.1)


@pytest.mark.parametrize("stop", ["raise KeyboardInterrupt", "os.kill(os.getpid(), signal.SIGTERM); time.sleep(30)"])
def test_an_interrupted_or_terminated_parent_stops_its_children_and_removes_its_folder(stop: str) -> None:
    script = (
        textwrap.dedent(
            """
        import os, signal, sys, time
        from handbook.web.parallel import BuildSettings, ParallelBuild
        build = ParallelBuild()
        build.start(BuildSettings("/m.yml"), ["en"], lambda language, line: None,
                    lambda settings, output: [sys.executable, "-c", "import time; time.sleep(60)"])
        print(build.folder, build._children[0].process.pid, flush=True)
        """
        )
        + stop
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=subprocess_env(), check=False)
    assert result.returncode == (-signal.SIGINT if "KeyboardInterrupt" in stop else 128 + signal.SIGTERM), result.stderr
    folder, pid = result.stdout.split()
    assert not Path(folder).exists()
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid), 0)
