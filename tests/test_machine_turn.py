"""`support.machine_turn`: an `alone` test (Lighthouse) waits for the running tests and no test starts
meanwhile, and a process a test forks does not keep its turn. Processes stand for the xdist workers (the
locks are per process); they report what they did by appending to a log file."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import time
from pathlib import Path

from support import machine_turn

FORK = multiprocessing.get_context("fork")


def note(log: Path, text: str) -> None:
    with log.open("a") as file:
        file.write(text + "\n")


def notes(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.is_file() else []


def until(condition: object, seconds: float = 10) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def ordinary(folder: Path, log: Path, name: str, hold: float) -> None:
    with machine_turn(folder, alone=False):
        note(log, f"{name} starts")
        time.sleep(hold)
        note(log, f"{name} ends")


def alone(folder: Path, log: Path) -> None:
    with machine_turn(folder, alone=True):
        note(log, "alone starts")
        time.sleep(0.2)
        note(log, "alone ends")


def gate_closed(gate: Path) -> bool:
    """Whether another process holds the gate exclusively (a shared lock on it is refused)."""
    with gate.open("a+") as probe:
        try:
            fcntl.lockf(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        return False


def test_alone_waits_for_the_running_test_and_holds_back_the_next(tmp_path: Path) -> None:
    log = tmp_path / "log"
    first = FORK.Process(target=ordinary, args=(tmp_path, log, "first", 0.5))
    first.start()
    assert until(lambda: "first starts" in notes(log))
    lone = FORK.Process(target=alone, args=(tmp_path, log))
    lone.start()
    assert until(lambda: gate_closed(tmp_path / "gate.lock")), "the alone test did not take the gate"
    second = FORK.Process(target=ordinary, args=(tmp_path, log, "second", 0.0))
    second.start()
    for process in (first, lone, second):
        process.join(10)
    assert notes(log) == ["first starts", "first ends", "alone starts", "alone ends", "second starts", "second ends"]


def test_ordinary_tests_share_the_machine(tmp_path: Path) -> None:
    log = tmp_path / "log"
    with machine_turn(tmp_path, alone=False):
        other = FORK.Process(target=ordinary, args=(tmp_path, log, "other", 0.0))
        other.start()
        other.join(5)
    assert notes(log) == ["other starts", "other ends"], "a second ordinary test waited for the first"


def test_a_forked_process_does_not_keep_the_turn(tmp_path: Path) -> None:
    """A process pool a test starts and leaves running holds no lock: the alone test gets its turn."""
    log = tmp_path / "log"
    read, write = os.pipe()
    with machine_turn(tmp_path, alone=False):
        pid = os.fork()
        if pid == 0:  # the pool's process, inheriting the test's open lock files: it waits until told to end
            os.close(write)
            os.read(read, 1)
            os._exit(0)
    try:
        lone = FORK.Process(target=alone, args=(tmp_path, log))
        lone.start()
        lone.join(10)
        assert notes(log) == ["alone starts", "alone ends"], "the forked process kept the turn"
    finally:
        os.close(read)
        os.write(write, b"x")
        os.close(write)
        os.waitpid(pid, 0)
