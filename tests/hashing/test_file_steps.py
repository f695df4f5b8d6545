"""The low-level steps: no-clobber publish (with and without hard links) and chunked streaming."""

from __future__ import annotations

import errno
import os
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
