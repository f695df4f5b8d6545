"""The event bus and the cancel token."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from workbench.events import CancelToken, EventBus


def test_handlers_receive_payloads_until_unsubscribed() -> None:
    bus = EventBus()
    seen: list[Any] = []
    unsubscribe = bus.subscribe("a:b", seen.append)
    bus.emit("a:b", 1)
    bus.emit("other:event", 2)
    unsubscribe()
    unsubscribe()  # idempotent
    bus.emit("a:b", 3)
    assert seen == [1]


def test_a_raising_handler_does_not_break_emit(caplog: pytest.LogCaptureFixture) -> None:
    bus = EventBus()
    seen: list[Any] = []

    def broken(payload: Any) -> None:
        raise RuntimeError("boom")

    bus.subscribe("x:y", broken)
    bus.subscribe("x:y", seen.append)
    with caplog.at_level(logging.ERROR):
        bus.emit("x:y", "payload")
    assert seen == ["payload"]
    assert "x:y" in caplog.text and "boom" in caplog.text


def test_a_handler_may_unsubscribe_itself_during_emit() -> None:
    bus = EventBus()
    seen: list[Any] = []

    def once(payload: Any) -> None:
        seen.append(payload)
        unsubscribe()

    unsubscribe = bus.subscribe("e:f", once)
    bus.emit("e:f", 1)
    bus.emit("e:f", 2)
    assert seen == [1]


def test_cancel_token_is_shared_across_threads() -> None:
    token = CancelToken()
    assert not token.cancelled and repr(token) == "CancelToken(cancelled=False)"
    worker = threading.Thread(target=token.cancel)
    worker.start()
    worker.join()
    assert token.cancelled
    token.cancel()
    assert token.cancelled
