"""The desktop app's Hash_Verification.csv. The app does not run here, so its CSV is
written in the app's own columns (Filename, Source Path, Destination Path, Source Hash,
Destination Hash, Verification Status) with Windows paths, as the app writes them."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from footage_helpers import ADDED, DELETED, FILES, FLIPPED, tamper

from workbench.evidence import verify_case
from workbench.foreign.fsu_csv import COLUMNS


def write_csv(footage: Path, path: Path, *, failed: str | None = None) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for name in FILES:
            digest = hashlib.sha256((footage / name).read_bytes()).hexdigest()
            windows = name.replace("/", "\\")
            copied = "0" * 64 if name == failed else digest
            writer.writerow([name.rsplit("/", 1)[-1], f"E:\\DVR\\{windows}",
                             f"D:\\Cases\\2026-004512\\{footage.name}\\{windows}", digest, copied,
                             "FAILED" if name == failed else "PASSED"])


def test_the_csv_maps_by_the_folder_name_and_catches_tampering(footage: Path) -> None:
    write_csv(footage, footage / "Hash_Verification.csv")

    clean = verify_case(footage)

    assert [ref.kind for ref in clean.records] == ["fsu_csv"]
    assert clean.ok, (clean.mismatches(), clean.problems)
    assert {row.path.as_posix() for row in clean.rows} == set(FILES)
    tamper(footage)
    statuses = {row.path.as_posix(): row.status for row in verify_case(footage).rows}
    assert (statuses[FLIPPED], statuses[DELETED], statuses[ADDED]) == ("modified", "missing",
                                                                      "extra")


def test_a_renamed_folder_maps_by_the_common_prefix(footage: Path, tmp_path: Path) -> None:
    record = tmp_path / "Hash_Verification.csv"
    write_csv(footage, record)
    renamed = footage.rename(tmp_path / "received")

    assert verify_case(renamed, against=record).ok


def test_a_row_the_app_itself_failed_is_a_record_mismatch(footage: Path, tmp_path: Path) -> None:
    record = tmp_path / "Hash_Verification.csv"
    write_csv(footage, record, failed=FLIPPED)

    report = verify_case(footage, against=record)

    assert [(p.type, getattr(p, "file", "")) for p in report.problems] == [
        ("RecordMismatch", FLIPPED)]
    assert not report.ok


def test_a_csv_without_the_columns_is_malformed(footage: Path, tmp_path: Path) -> None:
    record = tmp_path / "Hash_Verification.csv"
    record.write_text("name,hash\na,b\n")

    report = verify_case(footage, against=record)

    assert [(p.type, getattr(p, "problem", "")) for p in report.problems] == [
        ("MalformedRecord", "syntax")]
