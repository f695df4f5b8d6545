"""The one registry of record readers: every format detected and read through the same two
calls, and every place that names the formats reads them from it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.foreign import READERS, RECORD_KINDS, find_records, open_record
from workbench.ui.review.audit_panel import AuditPanel


def test_each_kind_is_registered_once_and_named_in_words() -> None:
    kinds = [reader.kind for reader in READERS]
    assert len(set(kinds)) == len(kinds) and "workbench" not in kinds  # ours is no reader's
    for reader in READERS:
        assert reader.label in RECORD_KINDS
    whole = [reader.whole_folder for reader in READERS]
    assert whole == sorted(whole, reverse=True)  # folder records are tried first


def test_the_cli_help_and_the_audit_panel_read_the_registry(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    assert " ".join(RECORD_KINDS.split()) in " ".join(capsys.readouterr().out.split())
    panel = AuditPanel()
    try:
        assert RECORD_KINDS in panel.record.placeholder
    finally:
        panel.close()


@pytest.mark.parametrize("tool", ["sha256sum", "md5sum", "b3sum"])
def test_a_list_is_detected_and_read_by_one_signature(tmp_path: Path, tool: str) -> None:
    (tmp_path / "a.dav").write_bytes(b"evidence")
    listed = subprocess.run([tool, "a.dav"], cwd=tmp_path, capture_output=True, check=True)
    name = {"sha256sum": "SHA256SUMS", "md5sum": "list.md5", "b3sum": "clips.b3"}[tool]
    (tmp_path / name).write_bytes(listed.stdout)
    found = find_records(tmp_path)
    assert found is not None and [entry.path.as_posix() for entry in found.entries] == ["a.dav"]
    opened = open_record(tmp_path / name, tmp_path)
    assert opened.entries == found.entries and opened.records[0].kind == "checksums"
