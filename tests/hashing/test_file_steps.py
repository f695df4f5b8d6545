"""The low-level steps: no-clobber publish (with and without hard links) and chunked streaming."""

from __future__ import annotations

import errno
import io
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from workbench.errors import ProcessingError
from workbench.events import CancelToken
from workbench.hashing.publish import publish_no_clobber
from workbench.hashing.stream import new_buffers, stream


@pytest.fixture(params=["as this OS does", pytest.param("without hard links",
                                                        marks=pytest.mark.native)])
def publish_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Publish as this OS does, or as on FAT/exFAT where `link` is not permitted (Linux then
    needs `renameat2`, which the portable platform does not have)."""
    if request.param == "without hard links":
        def no_links(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_links)
    return str(request.param)


def test_publish_moves_the_partial_into_place(tmp_path: Path, publish_mode: str) -> None:
    partial, final = tmp_path / "a.dav.partial", tmp_path / "a.dav"
    partial.write_bytes(b"evidence")
    publish_no_clobber(partial, final)
    assert final.read_bytes() == b"evidence"
    assert not partial.exists()


def test_publish_never_replaces_an_existing_file(tmp_path: Path, publish_mode: str) -> None:
    partial, final = tmp_path / "a.dav.partial", tmp_path / "a.dav"
    partial.write_bytes(b"new")
    final.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        publish_no_clobber(partial, final)
    assert final.read_bytes() == b"old"


@pytest.mark.parametrize("pipelined", [False, True])
def test_stream_feeds_every_sink_every_chunk_in_order(tmp_path: Path, pipelined: bool) -> None:
    data = os.urandom(30 * 1024 + 17)
    path = tmp_path / "data"
    path.write_bytes(data)
    received: list[bytes] = [b"", b""]
    buffers = new_buffers(1024)
    fd = os.open(path, os.O_RDONLY)
    try:
        with ThreadPoolExecutor(2) as lanes:
            count = stream(fd, buffers, [
                lambda chunk: received.__setitem__(0, received[0] + bytes(chunk)),
                lambda chunk: received.__setitem__(1, received[1] + bytes(chunk)),
            ], lanes=lanes if pipelined else None)
    finally:
        os.close(fd)
    assert count == len(data)
    assert received == [data, data]


def test_stream_stops_at_the_limit_and_on_cancel(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(b"x" * 5000)
    buffers = new_buffers(1024)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert stream(fd, buffers, [], limit=1500) == 1500
        token = CancelToken()
        token.cancel()
        with pytest.raises(ProcessingError) as caught:
            stream(fd, buffers, [], cancel=token)
        assert caught.value.payload.type == "Cancelled"
    finally:
        os.close(fd)


class _CountingSource:
    """A file read through `readinto` (portable: no `os.readv`), counting the chunks read."""

    def __init__(self, raw: io.FileIO) -> None:
        self.raw, self.reads = raw, 0

    def readinto(self, view: memoryview) -> int:
        self.reads += 1
        return self.raw.readinto(view)


def test_a_slow_sink_lags_behind_the_read_by_the_other_buffers_never_more(
        tmp_path: Path) -> None:
    data = os.urandom(12 * 1024)
    path = tmp_path / "data"
    path.write_bytes(data)
    buffers = new_buffers(1024)
    raw = io.FileIO(path, "r")
    source = _CountingSource(raw)
    got: list[bytes] = []
    ahead: list[int] = []

    def slow(chunk: memoryview) -> None:
        time.sleep(0.02)
        ahead.append(source.reads - len(got) - 1)  # chunks read past this one
        got.append(bytes(chunk))  # still this chunk's bytes: its buffer was not reused

    try:
        with ThreadPoolExecutor(2) as lanes:
            assert stream(source, buffers, [slow, lambda chunk: None], lanes=lanes) == len(data)
    finally:
        raw.close()
    assert b"".join(got) == data
    assert max(ahead) == len(buffers) - 1 and min(ahead) >= 0


def test_a_failing_sink_stops_the_stream_with_its_error(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(os.urandom(8 * 1024))
    fed: list[int] = []

    def failing(chunk: memoryview) -> None:
        fed.append(len(chunk))
        if len(fed) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")

    fd = os.open(path, os.O_RDONLY)
    try:
        with ThreadPoolExecutor(2) as lanes, pytest.raises(OSError) as caught:
            stream(fd, new_buffers(1024), [failing, lambda chunk: None], lanes=lanes)
    finally:
        os.close(fd)
    assert caught.value.errno == errno.ENOSPC and len(fed) == 2  # never fed after it failed
