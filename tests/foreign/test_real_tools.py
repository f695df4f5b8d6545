"""Records made by the real tools in this test run verify clean with one call, and catch a
flipped byte, a deleted file and an added file, each named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from footage_helpers import ADDED, DELETED, FILES, FLIPPED, relative_files, run, tamper, tool

from workbench.evidence import VerifyReport, verify_case

Producer = Callable[[Path, Path], tuple[Path, Path | None]]
"""(footage folder, scratch folder) → (folder to verify, `against` record or None)."""


def checked(report: VerifyReport, prefix: str = "") -> dict[str, str]:
    return {row.path.as_posix().removeprefix(prefix): row.status for row in report.rows
            if row.path.as_posix().startswith(prefix)}


def assert_tampering_caught(folder: Path, against: Path | None, prefix: str = "") -> None:
    payload = folder / prefix if prefix else folder
    clean = verify_case(folder, against=against)
    assert clean.ok, (clean.mismatches(), clean.problems)
    assert set(checked(clean, prefix)) == set(FILES)
    tamper(payload)
    report = verify_case(folder, against=against)
    assert not report.ok
    statuses = checked(report, prefix)
    assert statuses.pop(FLIPPED) == "modified"
    assert statuses.pop(DELETED) == "missing"
    assert statuses.pop(ADDED) == "extra"
    assert set(statuses.values()) == {"ok"}
    modified = next(row for row in report.rows if row.status == "modified")
    assert modified.expected and modified.actual and modified.expected != modified.actual


def test_ascmhl_create_two_generations_xxh64_then_md5(footage: Path, ascmhl_create) -> None:
    ascmhl_create(footage, "xxh64")
    ascmhl_create(footage, "md5")

    report = verify_case(footage)

    assert [ref.kind for ref in report.records] == ["ascmhl"]
    assert report.records[0].tool is not None and report.records[0].tool.startswith("ascmhl")
    assert report.records[0].algorithms == ["xxh64", "md5"]
    assert not (footage / "_evidence").exists(), "a foreign folder is never written to"
    assert_tampering_caught(footage, None)
    assert not (footage / "_evidence").exists()


def test_ascmhl_history_is_only_read(footage: Path, ascmhl_create) -> None:
    ascmhl_create(footage, "xxh64")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in footage.rglob("*") if p.is_file()}

    assert verify_case(footage).ok

    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in footage.rglob("*") if p.is_file()}
    assert after == before


def test_ascmhl_ignore_patterns_are_honoured(footage: Path, ascmhl_create) -> None:
    ascmhl_create(footage, "xxh64", "-i", "*.txt")
    (footage / "CAM01" / "late.txt").write_text("ignored by the history\n")

    report = verify_case(footage)

    assert report.ok
    assert "export_info.txt" not in checked(report)


def test_nested_history_is_read_under_its_folder(footage: Path, ascmhl_create) -> None:
    ascmhl_create(footage / "CAM01", "xxh128")
    ascmhl_create(footage, "md5")

    report = verify_case(footage)

    assert report.ok, report.mismatches()
    rows = {row.path.as_posix(): row for row in report.rows}
    assert rows["CAM01/ch01_20261120_143000.dav"].status == "ok"
    (footage / "CAM01" / "ch01_20261120_143000.dav").write_bytes(b"swapped")
    assert checked(verify_case(footage))["CAM01/ch01_20261120_143000.dav"] == "modified"


def test_ocopy_copy_verifies(footage: Path, tmp_path: Path) -> None:
    ocopy = tool("ocopy")
    (tmp_path / "copies").mkdir()
    run([ocopy, str(footage), str(tmp_path / "copies")], cwd=tmp_path)
    copy = tmp_path / "copies" / footage.name
    assert (copy / "ascmhl").is_dir()

    report = verify_case(copy)

    assert report.records[0].kind == "ascmhl" and "xxh64" in report.records[0].algorithms
    assert report.records[0].tool is not None and "COPY" in report.records[0].tool
    assert_tampering_caught(copy, None)


@pytest.mark.parametrize(("command", "list_name"), [
    ("md5sum", "md5sum.txt"), ("sha1sum", "SHA1SUMS"), ("sha256sum", "checksums.sha256"),
    ("b3sum", "B3SUMS"),
])
def test_checksum_lists_inside_the_folder(footage: Path, tmp_path: Path, command: str,
                                          list_name: str) -> None:
    names = relative_files(footage)
    run([tool(command), "--", *names], cwd=footage, stdout=tmp_path / list_name)
    (tmp_path / list_name).rename(footage / list_name)

    report = verify_case(footage)

    assert [ref.kind for ref in report.records] == ["checksums"]
    assert report.records[0].path == footage / list_name
    assert list_name not in checked(report), "the list itself is not evidence"
    assert_tampering_caught(footage, None)


def test_a_list_outside_the_folder_is_named_with_against(footage: Path, tmp_path: Path) -> None:
    listing = tmp_path / "delivery.sha256"
    run([tool("sha256sum"), "--", *relative_files(footage)], cwd=footage, stdout=listing)

    assert_tampering_caught(footage, listing)


def test_md5_and_sha256_lists_together(footage: Path, tmp_path: Path) -> None:
    for command, name in (("md5sum", "files.md5"), ("sha256sum", "files.sha256")):
        run([tool(command), "--", *relative_files(footage)], cwd=footage, stdout=tmp_path / name)
    for name in ("files.md5", "files.sha256"):
        (tmp_path / name).rename(footage / name)

    report = verify_case(footage)

    assert sorted(ref.path.name for ref in report.records) == ["files.md5", "files.sha256"]
    assert report.ok


def test_hashdeep_known_file(footage: Path, tmp_path: Path) -> None:
    known = tmp_path / "known.txt"
    run([tool("hashdeep"), "-c", "md5,sha256", "-r", "-l", "."], cwd=footage, stdout=known)
    known.rename(footage / "known.txt")

    report = verify_case(footage)

    assert report.records[0].kind == "hashdeep"
    assert report.records[0].algorithms == ["md5", "sha256"]
    assert_tampering_caught(footage, None)


def test_hashdeep_with_an_unsupported_column_checks_the_others(footage: Path,
                                                               tmp_path: Path) -> None:
    known = tmp_path / "known.hashdeep"
    run([tool("hashdeep"), "-c", "tiger,sha1", "-r", "-l", "."], cwd=footage, stdout=known)

    report = verify_case(footage, against=known)

    assert report.ok
    assert report.records[0].unchecked == ["tiger"]
    assert report.records[0].algorithms == ["sha1"]


def test_bagit_bag(footage: Path) -> None:
    bagit = pytest.importorskip("bagit")
    bagit.make_bag(str(footage), {"Source-Organization": "Test"},
                   checksums=["sha256", "sha512"])

    report = verify_case(footage)

    assert report.records[0].kind == "bagit"
    assert report.records[0].tool is not None and "bagit" in report.records[0].tool
    assert set(report.records[0].algorithms) == {"sha256", "sha512"}
    tag_files = {row.path.as_posix() for row in report.rows} - {f"data/{n}" for n in FILES}
    assert tag_files == {"bag-info.txt", "bagit.txt", "manifest-sha256.txt",
                         "manifest-sha512.txt"}, "tag files are checked through the tag manifests"
    assert_tampering_caught(footage, None, prefix="data/")


def test_bag_named_with_against_from_its_bagit_txt(footage: Path, tmp_path: Path) -> None:
    bagit = pytest.importorskip("bagit")
    bagit.make_bag(str(footage), checksums=["md5"])
    assert verify_case(footage, against=footage / "bagit.txt").ok
    (footage / "data" / FLIPPED).unlink()
    report = verify_case(footage, against=footage)
    assert not report.ok
    assert any(p.type == "MalformedRecord" and "Oxum" in p.describe() for p in report.problems)
