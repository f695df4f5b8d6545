"""The plan: what will be copied where, refused before anything is touched when it cannot run."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.errors import ProcessingError
from workbench.processing import plan_copy
from workbench.templates.types import Template


def error_type(caught: pytest.ExceptionInfo[ProcessingError]) -> str:
    return caught.value.payload.type


def test_the_plan_names_every_file_and_its_case_folder(
    tmp_path: Path, source: Path, plan_for, case: CaseData
) -> None:
    plan = plan_for([source], algorithms=["sha256"])
    assert plan.destination == tmp_path / "cases" / case.occurrence
    assert plan.algorithms == ["blake3", "sha256", "xxh128"], "xxh128 so ASC MHL checks it"
    assert plan.template_id == "by-occurrence"
    frame = plan.to_frame()
    assert list(frame.columns) == ["source", "relative", "destination", "role", "size", "action",
                                   "error"]
    assert set(frame["action"]) == {"copy"}
    assert frame["size"].sum() == 5000 + 70_000 + 0 + len(b"sample export\n")
    item = plan.items[0]
    assert item.destination == plan.destination / "export" / "CAM01" / "a.dav"
    assert item.mtime_ns == (source / "CAM01" / "a.dav").stat().st_mtime_ns
    assert not plan.destination.exists()  # planning creates nothing


def test_a_template_id_is_resolved_through_the_templates(
    tmp_path: Path, source: Path, case: CaseData
) -> None:
    plan = plan_copy([source], case, "flat", tmp_path / "cases")
    assert plan.template_id == "flat"
    assert plan.destination.parent == tmp_path / "cases"


def test_missing_source_is_path_not_found(tmp_path: Path, plan_for) -> None:
    with pytest.raises(ProcessingError) as caught:
        plan_for([tmp_path / "no-such-export"])
    assert error_type(caught) == "PathNotFound"


def test_unknown_algorithm_is_refused(source: Path, plan_for) -> None:
    with pytest.raises(ProcessingError) as caught:
        plan_for([source], algorithms=["crc32"])
    assert error_type(caught) == "ValidationError"


def test_two_sources_with_the_same_name_are_refused(tmp_path: Path, plan_for) -> None:
    for parent in ("a", "b"):
        (tmp_path / parent / "export").mkdir(parents=True)
        (tmp_path / parent / "export" / "clip.dav").write_bytes(b"x")
    with pytest.raises(ProcessingError) as caught:
        plan_for([tmp_path / "a" / "export", tmp_path / "b" / "export"])
    assert error_type(caught) == "ValidationError"
    assert "export/clip.dav" in str(caught.value)


def test_a_case_folder_inside_a_source_is_refused(source: Path, plan_for) -> None:
    with pytest.raises(ProcessingError) as caught:
        plan_for([source], root=source / "cases")
    assert error_type(caught) == "ValidationError"


def test_a_source_inside_the_case_folder_is_refused(
    tmp_path: Path, plan_for, case: CaseData
) -> None:
    inner = tmp_path / "cases" / case.occurrence / "old"
    inner.mkdir(parents=True)
    (inner / "x.dav").write_bytes(b"x")
    with pytest.raises(ProcessingError):
        plan_for([inner])


def test_a_source_named_like_the_record_folder_is_refused(tmp_path: Path, plan_for) -> None:
    (tmp_path / "_evidence").mkdir()
    (tmp_path / "_evidence" / "x").write_bytes(b"x")
    with pytest.raises(ProcessingError) as caught:
        plan_for([tmp_path / "_evidence"])
    assert error_type(caught) == "ValidationError"


def test_a_destination_root_that_cannot_be_created(source: Path, tmp_path: Path, plan_for) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    with pytest.raises(ProcessingError):
        plan_for([source], root=blocker / "cases")


def test_special_files_and_escaping_symlinks_are_refused(tmp_path: Path, plan_for) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (root / "clip.dav").write_bytes(b"clip")
    (tmp_path / "outside.txt").write_bytes(b"secret")
    os.mkfifo(root / "fifo")
    (root / "leaves").symlink_to(tmp_path / "outside.txt")
    (root / "inside").symlink_to(root / "clip.dav")
    (root / "dangling").symlink_to(root / "gone")
    (root / "loop").symlink_to(root)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(root / "sock"))
        plan = plan_for([root])
    found = {item.relative.name: (item.action, item.error.kind if item.error else None)
             for item in plan.items}
    assert found == {
        "clip.dav": ("copy", None),
        "dangling": ("refused", "dangling symlink"),
        "fifo": ("refused", "fifo"),
        "inside": ("copy", None),
        "leaves": ("refused", "symlink leaving the source"),
        "loop": ("refused", "symlink to a folder"),
        "sock": ("refused", "socket"),
    }
    inside = next(item for item in plan.items if item.relative.name == "inside")
    assert inside.size == len(b"clip")


def test_a_leftover_partial_makes_its_file_a_conflict(source: Path, plan_for) -> None:
    plan = plan_for([source / "info.txt"])
    plan.destination.mkdir(parents=True)
    (plan.destination / "info.txt.partial").write_bytes(b"half")
    again = plan_for([source / "info.txt"])
    assert again.items[0].action == "conflict"
    assert again.items[0].error is not None and ".partial" in again.items[0].error.describe()


def test_the_same_root_twice_is_refused(tmp_path: Path, source: Path, plan_for) -> None:
    with pytest.raises(ProcessingError):
        plan_for([source], also_to=[tmp_path / "cases"])


def test_planning_ten_thousand_files(
    tmp_path: Path, plan_for
) -> None:
    root = tmp_path / "many"
    for index in range(10_000):
        folder = root / f"d{index // 500:02d}"
        if index % 500 == 0:
            folder.mkdir(parents=True)
        (folder / f"f{index:05d}").touch()
    plan = plan_for([root])  # speed: bench/ (100,000 files), never timed here
    assert len(plan.items) == 10_000
    assert {item.action for item in plan.items} == {"copy"}
    assert [item.relative.name for item in plan.items] == sorted(
        item.relative.name for item in plan.items
    )


def test_template_problems_surface_as_template_errors(
    tmp_path: Path, source: Path, case: CaseData
) -> None:
    broken = Template(id="broken", name="Broken", levels=[])
    with pytest.raises(Exception) as caught:
        plan_copy([source], case, broken, tmp_path / "cases")
    assert caught.value.__class__.__name__ == "TemplateError"
