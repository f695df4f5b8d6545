"""Hostile records bounded (#19 item 6): every reader typed on every malformed value, and the
case folder's own manifest refuses a 100 MB line without holding it (memory measured)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_hostile import problem_types, write_history

from workbench.evidence import verify_case


def test_an_mhl_size_that_is_a_superscript_digit_is_typed(footage: Path) -> None:
    generation = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<hashlist version="2.0" '
        b'xmlns="urn:ASC:MHL:v2.0"><hashes><hash><path size="\xc2\xb3">a.mov</path>'
        b'<md5 action="original">900150983cd24fb0d6963f7d28e17f72</md5></hash></hashes>'
        b"</hashlist>\n")
    write_history(footage, generation)
    report = verify_case(footage)  # no ValueError
    assert not report.ok


def test_a_hash_csv_with_a_240_kb_field_is_typed(footage: Path) -> None:
    field = "\n".join(["x" * 60_000] * 4)  # one quoted field over many lines: 240 KB
    (footage / "Hash_Verification.csv").write_text(
        "Filename,Source Path,Destination Path,Source Hash,Destination Hash,"
        f'Verification Status\na,"{field}",b,c,d,e\n')
    report = verify_case(footage, against=footage / "Hash_Verification.csv")
    assert ("MalformedRecord", "syntax") in problem_types(report)
    assert not report.ok


def test_a_latin1_bag_info_is_typed(footage: Path, tmp_path: Path) -> None:
    bag = tmp_path / "bag"
    (bag / "data").mkdir(parents=True)
    (bag / "data" / "a.mov").write_bytes(b"abc")
    (bag / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
    (bag / "bag-info.txt").write_bytes("Contact-Name: Ren\xe9e M\xfcller\n".encode("latin-1"))
    (bag / "manifest-md5.txt").write_text("900150983cd24fb0d6963f7d28e17f72  data/a.mov\n")
    report = verify_case(bag)  # no UnicodeDecodeError
    assert not report.ok
    assert any(problem.type == "MalformedRecord" for problem in report.problems)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_a_100_mb_line_in_the_own_manifest_is_refused_without_holding_it(
        tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    evidence = case_dir / "_evidence"
    evidence.mkdir(parents=True)
    with (evidence / "manifest.blake3").open("wb") as handle:
        handle.write(b"0" * 64 + b"  ")
        for _ in range(100):
            handle.write(b"a" * (1 << 20))
        handle.write(b"\n")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from workbench.errors import WorkbenchError
        from workbench.evidence.manifest import read_manifest
        try:
            read_manifest(Path({str(case_dir)!r}), "blake3")
        except WorkbenchError as exc:
            print(exc.payload.type, exc.payload.detail)
        # VmHWM, not ru_maxrss: that keeps the forking pytest's peak across the exec
        status = Path("/proc/self/status").read_text()
        print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    kind, peak = done.stdout.strip().splitlines()
    assert kind.startswith("CorruptFile") and "longer than" in kind, done.stderr
    assert int(peak) < 150, f"peak {peak} MiB: the line was held"
