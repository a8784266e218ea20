"""`support.machine_turn`: an `alone` test (Lighthouse) waits for the running tests and no test starts
meanwhile. Threads stand for the xdist workers: each `open` is a lock of its own for flock."""

from __future__ import annotations

import fcntl
import threading
import time
from pathlib import Path

from support import machine_turn


def until_gate_closed(gate: Path, seconds: float = 5) -> bool:
    """Whether the gate is held exclusively within `seconds` (a shared lock on it is refused)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with gate.open("a") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
        time.sleep(0.01)
    return False


def test_alone_waits_for_the_running_test_and_holds_back_the_next(tmp_path: Path) -> None:
    events: list[str] = []
    running, waiting = threading.Event(), threading.Event()

    def ordinary(name: str, started: threading.Event | None, hold: float) -> None:
        with machine_turn(tmp_path, alone=False):
            events.append(f"{name} starts")
            if started:
                started.set()
            time.sleep(hold)
            events.append(f"{name} ends")

    def alone() -> None:
        with machine_turn(tmp_path, alone=True):
            events.append("alone starts")
            time.sleep(0.2)
            events.append("alone ends")

    first = threading.Thread(target=ordinary, args=("first", running, 0.4))
    first.start()
    running.wait(5)
    lone = threading.Thread(target=alone)
    lone.start()
    assert until_gate_closed(tmp_path / "gate.lock"), "the alone test did not take the gate"  # it waits for the first test now
    second = threading.Thread(target=ordinary, args=("second", waiting, 0.0))
    second.start()
    for thread in (first, lone, second):
        thread.join(5)
    assert events == ["first starts", "first ends", "alone starts", "alone ends", "second starts", "second ends"]


def test_ordinary_tests_share_the_machine(tmp_path: Path) -> None:
    with machine_turn(tmp_path, alone=False):
        inside = threading.Event()

        def other() -> None:
            with machine_turn(tmp_path, alone=False):
                inside.set()

        thread = threading.Thread(target=other)
        thread.start()
        assert inside.wait(2), "a second ordinary test waited for the first"
        thread.join(2)
