"""compare_folders: two trees matched by relative path, every file read once from disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import ProcessingError
from workbench.events import CancelToken
from workbench.hashing import compare_folders, readback


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Path, Path]:
    for side in ("a", "b"):
        for name, data in {"x/one.dav": b"1" * 9000, "two.txt": b"two", "empty": b""}.items():
            path = tmp_path / side / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return tmp_path / "a", tmp_path / "b"


def test_identical_trees_are_ok(twins: tuple[Path, Path]) -> None:
    comparison = compare_folders(*twins)
    assert comparison.ok
    frame = comparison.to_frame()
    assert list(frame["status"]) == ["same"] * 3
    assert list(frame.columns) == ["path", "status", "size_a", "size_b", "digest_a", "digest_b",
                                   "tool_record"]
    assert (frame["digest_a"] == frame["digest_b"]).all()


def test_each_difference_is_named(twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
                                  ) -> None:
    a, b = twins
    (b / "x" / "one.dav").write_bytes(b"1" * 8999 + b"2")
    (b / "two.txt").unlink()
    (b / "x" / "new.bin").write_bytes(b"new")
    dropped: list[Path] = []
    real = readback.open_cold

    def cold(path: Path) -> object:
        dropped.append(path)
        return real(path)

    monkeypatch.setattr(readback, "open_cold", cold)

    comparison = compare_folders(a, b, algorithm="sha256")

    assert not comparison.ok
    assert {row.path.as_posix(): row.status for row in comparison.rows} == {
        "empty": "same", "x/one.dav": "different", "two.txt": "only_in_a",
        "x/new.bin": "only_in_b",
    }
    assert comparison.summary()["different"] == 1
    assert len(comparison.differences()) == 3
    assert sorted(dropped) == sorted({*a.rglob("*"), *b.rglob("*")} - {a / "x", b / "x"}), \
        "every file is read once, from disk"


def test_bad_input_is_typed(twins: tuple[Path, Path]) -> None:
    a, b = twins
    with pytest.raises(ProcessingError) as gone:
        compare_folders(a, b / "nowhere")
    assert gone.value.type == "PathNotFound"
    with pytest.raises(ProcessingError) as same:
        compare_folders(a, a)
    assert same.value.type == "ValidationError"
    with pytest.raises(ProcessingError) as unknown:
        compare_folders(a, b, algorithm="crc32")
    assert unknown.value.type == "ValidationError"


def test_a_cancelled_comparison_says_so(twins: tuple[Path, Path]) -> None:
    token = CancelToken()
    token.cancel()
    comparison = compare_folders(*twins, cancel=token)
    assert comparison.outcome == "cancelled" and not comparison.ok


def test_sizes_stay_integers_when_a_side_is_missing(twins: tuple[Path, Path]) -> None:
    a, b = twins
    (b / "two.txt").unlink()
    frame = compare_folders(a, b).to_frame()
    assert str(frame["size_a"].dtype) == "Int64" and str(frame["size_b"].dtype) == "Int64"
    assert "9000" in frame.to_string() and "9000.0" not in frame.to_string()


def test_set_aside_folders_are_listed_apart_and_do_not_decide(twins: tuple[Path, Path]) -> None:
    a, b = twins
    for side, text in ((a, b"run 1"), (b, b"run 2")):
        (side / "_evidence").mkdir()
        (side / "_evidence" / "custody.jsonl").write_bytes(text)
    (b / "ascmhl").mkdir()
    (b / "ascmhl" / "0001.mhl").write_bytes(b"<hashlist/>")

    comparison = compare_folders(a, b, set_aside={"_evidence", "ascmhl"})

    assert comparison.ok
    records = comparison.tool_records()
    assert dict(zip(records["path"], records["status"], strict=True)) == {
        "_evidence/custody.jsonl": "different", "ascmhl/0001.mhl": "only_in_b"}
    assert comparison.summary()["tool_records_differing"] == 2
    assert comparison.summary()["files"] == 3
    assert not compare_folders(a, b).ok, "without set_aside the records count"
