"""Property tests of the list parsers: any file name coreutils and b3sum can write, with
spaces, backslashes, newlines and carriage returns, reads back as the same name and digest."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

import blake3
from footage_helpers import tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.foreign.checksums import read_checksum_list, unescape
from workbench.foreign.hashdeep import read_hashdeep

NAME = st.text(
    alphabet=st.sampled_from(list("ab Z_.-\\\n\r*#()=ä€")), min_size=1, max_size=24,
).filter(lambda name: name not in (".", "..") and not name.endswith("\r"))
"""File names with the characters lists escape (a trailing CR is b3sum's blind spot: it
does not escape CR, and a list's CR before its line end is a Windows line end)."""
NAMES = st.lists(NAME, min_size=1, max_size=6, unique=True)
CHECKERS = {"md5sum": ("list.md5", "md5"), "sha256sum": ("list.sha256", "sha256"),
            "b3sum": ("list.b3", "blake3")}


def digest(algorithm: str, data: bytes) -> str:
    return str(blake3.blake3(data).hexdigest()) if algorithm == "blake3" else \
        hashlib.new(algorithm, data).hexdigest()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=NAMES, command=st.sampled_from(sorted(CHECKERS)), tagged=st.booleans())
def test_names_round_trip_as_the_real_tools_escape_them(names: list[str], command: str,
                                                        tagged: bool) -> None:
    list_name, algorithm = CHECKERS[command]
    tagged = tagged and command != "b3sum"  # b3sum has no --tag
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for index, name in enumerate(names):
            (folder / name).write_bytes(f"content {index}".encode())
        listing = folder.parent / f"{folder.name}-{list_name}"
        with listing.open("wb") as out:
            subprocess.run([tool(command), *(["--tag"] if tagged else []), "--",
                            *(f"./{name}" for name in names)],  # `-` alone would be stdin
                           cwd=folder, stdout=out, check=True)
        try:
            found = read_checksum_list(listing)
        finally:
            listing.unlink()
    assert found.problems == []
    assert {entry.path.as_posix(): entry.digests for entry in found.entries} == {
        name: {algorithm: digest(algorithm, f"content {i}".encode())}
        for i, name in enumerate(names)
    }


@given(st.binary(max_size=40))
def test_unescape_inverts_the_coreutils_escape(name: bytes) -> None:
    escaped = name.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
    assert unescape(escaped) == name


@settings(max_examples=20, deadline=None)
@given(names=st.lists(st.text(alphabet=st.sampled_from(list("ab ,Z_ä\\")), min_size=1,
                              max_size=12), min_size=1, max_size=5, unique=True))
def test_hashdeep_names_with_commas_round_trip(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "f"
        folder.mkdir()
        for name in names:
            (folder / name).write_bytes(name.encode())
        known = Path(work) / "known.txt"
        with known.open("wb") as out:
            subprocess.run([tool("hashdeep"), "-c", "sha1,md5", "-l", "--", *names], cwd=folder,
                           stdout=out, check=True)
        found = read_hashdeep(known)
    assert found.problems == []
    assert {entry.path.as_posix(): entry.digests["sha1"] for entry in found.entries} == {
        name: hashlib.sha1(name.encode()).hexdigest() for name in names
    }
    assert all(entry.size == len(os.fsencode(entry.path.as_posix())) for entry in found.entries)
