"""Hostile records: each is a typed problem, and nothing outside the folder is ever read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from footage_helpers import FILES, relative_files, run, tool

from workbench.errors import NotACaseFolder, ProcessingError, is_kind
from workbench.evidence import VerifyReport, verify_case
from workbench.foreign import open_record
from workbench.foreign.text import MAX_LINE
from workbench.hashing import readback
from workbench.hashing.c4 import c4_id

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0"><hashes><hash>
<path size="3">&lol9;</path><md5 action="original">900150983cd24fb0d6963f7d28e17f72</md5>
</hash></hashes></hashlist>
"""


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the audit reads, in the order it reads them."""
    paths: list[Path] = []
    real = readback.open_cold

    def spy(path: Path) -> object:
        paths.append(path)
        return real(path)

    monkeypatch.setattr(readback, "open_cold", spy)
    return paths


def problem_types(report: VerifyReport) -> list[tuple[str, str]]:
    return [(p.type, getattr(p, "problem", getattr(p, "reason", ""))) for p in report.problems]


def write_history(folder: Path, generation: bytes) -> None:
    history = folder / "ascmhl"
    history.mkdir()
    name = "0001_x_2026-11-20_140000Z.mhl"
    (history / name).write_bytes(generation)
    (history / "ascmhl_chain.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY'
        f':v2.0"><hashlist sequencenr="1"><path>{name}</path><c4>{c4_id(generation)}</c4>'
        "</hashlist></ascmhldirectory>\n"
    )


def test_a_billion_laughs_history_is_refused(footage: Path, opened: list[Path]) -> None:
    write_history(footage, BILLION_LAUGHS)

    report = verify_case(footage)

    assert ("MalformedRecord", "entities") in problem_types(report)
    assert not report.ok
    assert {row.status for row in report.rows} == {"extra"}, "nothing is expected of any file"


def test_a_history_with_a_climbing_path_is_refused(footage: Path, tmp_path: Path,
                                                   opened: list[Path]) -> None:
    (tmp_path / "secret.txt").write_bytes(b"abc")
    write_history(footage, b'<hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0"><hashes><hash>'
                  b'<path size="3">../secret.txt</path><md5 action="original">'
                  b"900150983cd24fb0d6963f7d28e17f72</md5></hash></hashes></hashlist>")

    report = verify_case(footage)

    assert problem_types(report) == [("UnsafeRecordPath", "outside the folder (it climbs with "
                                                          "'..')")]
    assert all(path.is_relative_to(footage) for path in opened)


def test_an_altered_generation_is_a_problem_and_not_used(footage: Path, ascmhl_create) -> None:
    ascmhl_create(footage, "md5")
    generation = next((footage / "ascmhl").glob("0001_*.mhl"))
    generation.write_bytes(generation.read_bytes().replace(b"<hashes>", b"<hashes> "))

    report = verify_case(footage)

    assert ("MalformedRecord", "validation") in problem_types(report)
    assert "altered" in report.problems[0].describe()
    assert not report.ok


def test_a_list_with_climbing_and_absolute_paths(footage: Path, tmp_path: Path,
                                                 opened: list[Path]) -> None:
    (tmp_path / "outside.txt").write_bytes(b"abc")
    (footage / "escape").symlink_to(tmp_path)
    listing = footage / "md5sum.txt"
    digest = "900150983cd24fb0d6963f7d28e17f72"
    listing.write_text(f"{digest}  ../outside.txt\n{digest}  /etc/passwd\n"
                       f"{digest}  CAM01/../../outside.txt\n{digest}  C:\\Windows\\win.ini\n"
                       f"{digest}  escape/outside.txt\n")

    report = verify_case(footage)

    assert [t for t, _ in problem_types(report)] == ["UnsafeRecordPath"] * 4
    assert {p.reason for p in report.problems} == {  # type: ignore[union-attr]
        "absolute", "outside the folder (it climbs with '..')"}
    assert all(path.is_relative_to(footage) for path in opened)
    assert all(path.resolve().is_relative_to(footage) for path in opened), "no symlink followed"
    rows = {row.path.as_posix(): row.status for row in report.rows}
    assert rows["escape/outside.txt"] == "missing", "a path through a symlink is never opened"
    assert rows["escape"] == "extra"


def test_a_ten_megabyte_line_is_skipped_and_the_rest_is_read(footage: Path,
                                                             tmp_path: Path) -> None:
    listing = tmp_path / "big.sha256"
    run([tool("sha256sum"), "--", *relative_files(footage)], cwd=footage, stdout=listing)
    lines = listing.read_bytes().splitlines(keepends=True)
    listing.write_bytes(lines[0] + b"a" * (10 << 20) + b"  x\n" + b"".join(lines[1:]))

    report = verify_case(footage, against=listing)

    assert problem_types(report) == [("MalformedRecord", "too_long")]
    assert report.problems[0].line == 2  # type: ignore[union-attr]
    assert f"{MAX_LINE:,} bytes" in report.problems[0].describe()
    assert sum(row.status == "ok" for row in report.rows) == len(FILES)


def test_a_wrong_length_digest(footage: Path, tmp_path: Path) -> None:
    listing = tmp_path / "short.md5"
    run([tool("md5sum"), "--", *relative_files(footage)], cwd=footage, stdout=listing)
    text = listing.read_text().splitlines()
    text[0] = text[0][1:]  # 31 hex digits
    text.append("zz" * 16 + "  export_info.txt")
    listing.write_text("\n".join(text) + "\n")

    report = verify_case(footage, against=listing)

    assert problem_types(report) == [("MalformedRecord", "digest")] * 2
    assert not report.ok
    assert [row.status for row in report.rows].count("extra") == 1


def test_mixed_encodings_are_a_problem_but_names_still_match(footage: Path,
                                                             tmp_path: Path) -> None:
    latin = footage / os.fsdecode("Kamera_\xe4.dav".encode("latin-1"))
    latin.write_bytes(b"abc")
    listing = tmp_path / "mixed.md5"
    run([tool("md5sum"), "--", *relative_files(footage)], cwd=footage, stdout=listing)

    report = verify_case(footage, against=listing)

    assert problem_types(report) == [("MalformedRecord", "encoding")]
    assert {row.status for row in report.rows} == {"ok"}


def test_a_utf16_list_from_windows_is_read(footage: Path, tmp_path: Path) -> None:
    listing = tmp_path / "windows.sha256"
    run([tool("sha256sum"), "--", *relative_files(footage)], cwd=footage, stdout=listing)
    listing.write_bytes(listing.read_text().replace("\n", "\r\n").encode("utf-16"))

    assert verify_case(footage, against=listing).ok


def test_a_list_whose_name_does_not_tell_the_algorithm(footage: Path, tmp_path: Path) -> None:
    listing = tmp_path / "checksums.txt"
    run([tool("sha256sum"), "--", *relative_files(footage)], cwd=footage, stdout=listing)

    report = verify_case(footage, against=listing)

    assert problem_types(report) == [("MalformedRecord", "algorithm")]


def test_garbage_lines_and_hashdeep_absolute_paths(footage: Path, tmp_path: Path) -> None:
    known = tmp_path / "absolute.txt"
    run([tool("hashdeep"), "-c", "md5", "-r", str(footage)], cwd=tmp_path, stdout=known)
    with known.open("ab") as out:
        out.write(b"not,a,valid\n\x00\x01\x02 garbage\n")

    report = verify_case(footage, against=known)

    kinds = [t for t, _ in problem_types(report)]
    assert kinds.count("UnsafeRecordPath") == len(FILES)
    assert "MalformedRecord" in kinds
    assert {row.status for row in report.rows} == {"extra"}


def test_a_record_that_is_not_there_or_not_a_record(footage: Path, tmp_path: Path) -> None:
    with pytest.raises(ProcessingError) as missing:
        verify_case(footage, against=tmp_path / "nowhere.md5")
    assert missing.value.type == "PathNotFound"
    with pytest.raises(ProcessingError) as not_record:
        open_record(tmp_path, footage)
    assert not_record.value.type == "NotFound"
    with pytest.raises(ProcessingError) as nothing:
        verify_case(footage)
    assert is_kind(nothing.value, NotACaseFolder)
