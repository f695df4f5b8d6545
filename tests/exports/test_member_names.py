"""Hostile names: a package member's name never climbs out of the folder it is unpacked in."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.errors import ExportError, UnsafeName
from workbench.exports import export_case
from workbench.exports.source import unsafe_reason
from workbench.processing import run_copy


@given(st.text(alphabet=st.sampled_from(["a", ".", "/", "\\", ":", "C", " ", "é", "\udcff"]),
               max_size=12))
def test_an_accepted_name_stays_inside_on_every_system(name: str) -> None:
    if unsafe_reason(name) is not None:
        return
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    assert not posix.is_absolute() and not windows.is_absolute() and not windows.drive
    assert ".." not in posix.parts and ".." not in windows.parts
    assert "\\" not in name and not re.search(r"(^|/)[A-Za-z]:", name)
    name.encode("utf-8")


@pytest.mark.parametrize("name", [
    "../escape", "/etc/passwd", "a//b", "a/./b", "a/../b", "C:/Windows", "case/D:evil",
    "dir\\..\\..\\evil", "tail/", "bad\udcffbyte",
])
def test_hostile_names_are_refused(name: str) -> None:
    assert unsafe_reason(name) is not None


@pytest.mark.parametrize("file_name", ["..\\..\\evil.dav", "C:evil.dav", b"\xff\xfe.dav"])
def test_a_case_holding_a_hostile_name_is_refused_before_anything_is_written(
    tmp_path: Path, plan_for, file_name: str | bytes
) -> None:
    source = tmp_path / "dvr"
    source.mkdir()
    (source / "ok.dav").write_bytes(b"fine")
    hostile = os.fsdecode(file_name) if isinstance(file_name, bytes) else file_name
    (source / hostile).write_bytes(b"on Linux this is one file")
    case_dir = run_copy(plan_for([source])).plan.destination
    out = tmp_path / "out"
    for fmt in ("zip", "bagit"):
        with pytest.raises(ExportError) as caught:
            export_case(case_dir, fmt, out)  # type: ignore[arg-type]
        assert isinstance(caught.value.payload, UnsafeName)
        assert caught.value.payload.path.endswith(hostile)
    assert not out.exists() or not list(out.iterdir())
