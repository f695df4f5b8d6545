"""The one table of hash algorithms, walked entry by entry against the real tools that name
each algorithm (coreutils, b3sum, hashdeep), so a new entry is checked the day it is added."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from workbench.evidence.mhl_format.xml_io import MHL_HASH_FORMATS
from workbench.foreign.checksums import algorithm_of, read_checksum_list
from workbench.foreign.hashdeep import read_hashdeep
from workbench.foreign.types import RecordSet
from workbench.hashing.algorithms import ALGORITHMS, SPECS, HashAlgorithm, names_in
from workbench.hashing.digests import MultiDigest, digest_groups, merged_hexdigests, new_digest

DATA = b"case workbench \x00\xff" * 1000
TOOLS = {"md5": "md5sum", "sha1": "sha1sum", "sha256": "sha256sum", "sha512": "sha512sum",
         "blake3": "b3sum"}
"""The command-line tool that writes each algorithm's checksum lists."""


def test_the_table_holds_every_algorithm_once_in_order() -> None:
    assert tuple(SPECS) == ALGORITHMS and ALGORITHMS[0] == "blake3"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_each_entry_makes_digests_of_its_length(algorithm: HashAlgorithm) -> None:
    digest = new_digest(algorithm)
    digest.update(memoryview(DATA))
    assert len(digest.hexdigest()) == SPECS[algorithm].hex_length
    grouped = merged_hexdigests(_fed(digest_groups(["blake3", algorithm])))
    assert grouped[algorithm] == digest.hexdigest()


@pytest.mark.parametrize("algorithm", [name for name in ALGORITHMS if SPECS[name].coreutils])
def test_checksum_list_names_match_the_tool(tmp_path: Path, algorithm: HashAlgorithm) -> None:
    tool = TOOLS[algorithm]
    (tmp_path / "a.bin").write_bytes(DATA)
    listed = subprocess.run([tool, "a.bin"], cwd=tmp_path, capture_output=True, check=True)
    expected = listed.stdout.split()[0].decode()
    digest = new_digest(algorithm)
    digest.update(memoryview(DATA))
    assert digest.hexdigest() == expected
    for name in SPECS[algorithm].coreutils:
        assert algorithm_of(f"clips.{name}") == algorithm
        path = tmp_path / f"list.{name}"
        path.write_bytes(listed.stdout)
        assert _digest_of(read_checksum_list(path), algorithm) == expected
    tagged = subprocess.run([tool, "--tag", "a.bin"], cwd=tmp_path, capture_output=True,
                            check=False)
    if tagged.returncode:  # this b3sum has no --tag: only coreutils' tagged form is checked
        return
    (tmp_path / "tagged.txt").write_bytes(tagged.stdout)
    assert _digest_of(read_checksum_list(tmp_path / "tagged.txt"), algorithm) == expected


@pytest.mark.skipif(shutil.which("hashdeep") is None, reason="hashdeep is installed by .ci/run")
def test_hashdeep_columns_match_the_tool(tmp_path: Path) -> None:
    columns = names_in("hashdeep")
    (tmp_path / "a.bin").write_bytes(DATA)
    known = subprocess.run(["hashdeep", "-c", ",".join(columns), "-l", "a.bin"], cwd=tmp_path,
                           capture_output=True, check=True)
    (tmp_path / "known.txt").write_bytes(known.stdout)
    record = read_hashdeep(tmp_path / "known.txt")
    for column, algorithm in columns.items():
        digest = new_digest(algorithm)
        digest.update(memoryview(DATA))
        assert _digest_of(record, algorithm) == digest.hexdigest(), column


def test_record_names_are_lookups_into_the_table() -> None:
    assert names_in("bagit") == {"md5": "md5", "sha1": "sha1", "sha256": "sha256",
                                 "sha512": "sha512"}
    assert names_in("mhl")["c4"] == "sha512"
    assert set(MHL_HASH_FORMATS) == {name for name, spec in SPECS.items() if spec.mhl == name}
    assert names_in("coreutils")["b3"] == "blake3"


def _fed(groups: list[MultiDigest]) -> list[MultiDigest]:
    for group in groups:
        group.update(memoryview(DATA))
    return groups


def _digest_of(record: RecordSet, algorithm: HashAlgorithm) -> str:
    entries = {entry.path: entry for entry in record.entries}
    return entries[PurePosixPath("a.bin")].digests[algorithm]
