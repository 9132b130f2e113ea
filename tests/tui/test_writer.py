"""The ordered writer: one thread, submission order, a pending count that the UI shows."""

from __future__ import annotations

import threading
from concurrent.futures import wait

import pytest

from annotator.tui.writer import Writer


def test_writes_run_in_order_on_one_thread() -> None:
    writer = Writer()
    gate = threading.Event()
    seen: list[tuple[int, str]] = []

    def job(n: int) -> int:
        if n == 0:
            gate.wait(timeout=30)
        seen.append((n, threading.current_thread().name))
        return n * 10

    futures = [writer.submit(lambda n=n: job(n)) for n in range(5)]
    assert writer.pending == 5
    gate.set()
    assert [future.result(timeout=30) for future in futures] == [0, 10, 20, 30, 40]
    assert [n for n, _ in seen] == [0, 1, 2, 3, 4]
    assert len({name for _, name in seen}) == 1
    writer.close()
    assert writer.pending == 0


def test_a_failed_write_is_raised_and_not_pending() -> None:
    writer = Writer()

    def fail() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        writer.submit(fail).result(timeout=30)
    assert writer.submit(lambda: "next").result(timeout=30) == "next"
    writer.close()
    assert writer.pending == 0


def test_settle_waits_for_earlier_writes() -> None:
    writer = Writer()
    gate = threading.Event()
    done: list[str] = []

    def slow() -> None:
        gate.wait(timeout=30)
        done.append("write")

    future = writer.submit(slow)
    waiter = threading.Thread(target=lambda: (writer.settle(), done.append("settled")))
    waiter.start()
    waiter.join(timeout=0.05)
    assert done == []
    gate.set()
    waiter.join(timeout=30)
    assert done == ["write", "settled"]
    wait([future], timeout=30)
    writer.close()


def test_closed_writer_refuses_new_writes() -> None:
    writer = Writer()
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(lambda: None)
    writer.settle()  # nothing to wait for
