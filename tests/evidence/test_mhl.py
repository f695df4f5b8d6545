"""ASC MHL history: checked by the reference implementation (`ascmhl`) and its XSDs."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

import blake3
import pytest
import xxhash

from workbench.cases import CaseData
from workbench.errors import ProcessingError
from workbench.evidence import mhl, verify_case
from workbench.hashing import DEFAULT_ALGORITHMS, MHL_ALGORITHMS
from workbench.hashing.algorithms import ALGORITHMS, with_mhl_digest
from workbench.hashing.c4 import c4_id
from workbench.processing import CopyPlan, run_copy

ascmhl_commands = pytest.importorskip("ascmhl.commands")
click_testing = pytest.importorskip("click.testing")

XSD_DIR = Path(__file__).parent / "ascmhl_xsd"
CASE = CaseData(
    occurrence="2026-004512", business="Corner Store", location="123 Main St",
    technician="Jane Doe", badge_number="4471",
)
STARTED = datetime(2026, 11, 20, 14, 0, 0, tzinfo=timezone.utc)
FILES = {
    "Export/cam 1/clip&001.avi": b"first clip bytes" * 100,
    "Export/cam2/clip_002.avi": b"second clip",
    "Export/Ñandú_ä.txt": b"non-ascii name",
    "player.exe": b"MZ player",
}


def reference(command: str, *args: str | Path) -> int:
    """Run one `ascmhl-debug` command in-process (the CLI module itself asks GitHub for updates)."""
    result = click_testing.CliRunner().invoke(
        getattr(ascmhl_commands, command), [str(arg) for arg in args]
    )
    return int(result.exit_code)


def digest(name: str, data: bytes) -> str:
    if name == "xxh128":
        return str(xxhash.xxh128_hexdigest(data))
    if name == "blake3":
        return str(blake3.blake3(data).hexdigest())
    return hashlib.new(name, data).hexdigest()


def entries_for(
    case_dir: Path, action: mhl.MhlAction, algorithms: tuple[str, ...] = ("xxh128",)
) -> list[mhl.MhlEntry]:
    entries = []
    for relative in FILES:
        data = (case_dir / relative).read_bytes()
        hashes = {name: digest(name, data) for name in ("blake3", *algorithms)}
        entries.append(
            mhl.MhlEntry(
                relative=PurePosixPath(relative), size=len(data), hashes=hashes, action=action,
                mtime=datetime.fromtimestamp((case_dir / relative).stat().st_mtime, timezone.utc),
            )
        )
    return entries


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "2026-004512_Corner Store"
    for relative, data in FILES.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    (folder / "_evidence").mkdir()
    (folder / "_evidence" / "manifest.blake3").write_text("not part of the history\n")
    return folder


def append(case_dir: Path, entries: list[mhl.MhlEntry], process: mhl.MhlProcess = "transfer",
           finished: datetime = STARTED + timedelta(minutes=5)) -> Path:
    path = mhl.append_generation(
        case_dir, entries, process=process, case=CASE, started=STARTED, finished=finished,
    )
    assert path is not None
    return path


def test_reference_tool_verifies_the_history_and_catches_an_altered_file(case_dir: Path) -> None:
    generation = append(case_dir, entries_for(case_dir, "original"))

    assert generation.name == "0001_2026-004512_Corner Store_2026-11-20_140500Z.mhl"
    assert reference("verify", case_dir) == 0
    (case_dir / "Export/cam2/clip_002.avi").write_bytes(b"second clip, altered")
    assert reference("verify", case_dir) != 0


def test_reference_tool_reports_a_file_missing_from_the_case(case_dir: Path) -> None:
    append(case_dir, entries_for(case_dir, "original"))
    (case_dir / "player.exe").unlink()

    assert reference("verify", case_dir) != 0


def test_generations_and_chain_pass_the_schema(case_dir: Path) -> None:
    append(case_dir, entries_for(case_dir, "original", ("md5", "sha1", "sha256", "xxh128")))
    append(case_dir, entries_for(case_dir, "verified"), "in-place", STARTED + timedelta(hours=1))

    mhl_dir = case_dir / mhl.MHL_DIR
    generations = sorted(mhl_dir.glob("*.mhl"))
    assert len(generations) == 2
    for generation in generations:
        assert reference("xsd_schema_check", "-xsd", XSD_DIR / "ASCMHL.xsd", generation) == 0
    combined = XSD_DIR / "ASCMHLDirectory__combined.xsd"
    assert reference("xsd_schema_check", "-df", "-xsd", combined, mhl_dir / mhl.CHAIN_FILE) == 0


def test_generation_carries_case_creator_and_every_digest(case_dir: Path) -> None:
    entries = entries_for(case_dir, "original", ("md5", "sha256", "xxh128"))
    text = append(case_dir, entries).read_text()

    assert '<author role="badge 4471">Jane Doe</author>' in text
    assert "<location>123 Main St</location>" in text
    assert "Occurrence 2026-004512" in text
    assert "<process>transfer</process>" in text
    for pattern in (".DS_Store", "ascmhl", "ascmhl/", "_evidence", "_evidence/"):
        assert f"<pattern>{pattern}</pattern>" in text
    assert "clip&amp;001.avi" in text
    data = FILES["Export/cam2/clip_002.avi"]
    assert f'>{hashlib.md5(data).hexdigest()}</md5>' in text
    assert f'>{xxhash.xxh128_hexdigest(data)}</xxh128>' in text
    assert 'algorithm="blake3" action="original"' in text
    assert f">{blake3.blake3(data).hexdigest()}</wb:digest>" in text
    assert f">{hashlib.sha256(data).hexdigest()}</wb:digest>" in text


def test_second_generation_chains_and_leaves_the_first_untouched(case_dir: Path) -> None:
    first = append(case_dir, entries_for(case_dir, "original"))
    first_bytes = first.read_bytes()
    later = STARTED + timedelta(hours=1)
    second = append(case_dir, entries_for(case_dir, "verified"), "in-place", later)

    assert second.name.startswith("0002_")
    assert first.read_bytes() == first_bytes
    assert not first.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    chain = mhl.read_chain(case_dir)
    assert [(link.number, link.name, link.intact) for link in chain] == [
        (1, first.name, True), (2, second.name, True),
    ]
    assert chain[1].c4 == c4_id(second.read_bytes())
    assert "<process>in-place</process>" in second.read_text()
    assert reference("verify", case_dir) == 0
    assert sorted(p.name for p in (case_dir / mhl.MHL_DIR).iterdir()) == sorted(
        [first.name, second.name, mhl.CHAIN_FILE]
    ), "no temp file may be left behind (the lock is in _evidence, not in the history)"


def test_c4_matches_the_reference_implementation() -> None:
    hasher = pytest.importorskip("ascmhl.hasher")
    for data in (b"", b"a", b"\x00" * 64, bytes(range(256)) * 40):
        assert c4_id(data) == hasher.hash_data(data, "c4")
        assert len(c4_id(data)) == 90


def test_generations_missing_from_the_chain_no_crash_leaves_block_the_next(
        case_dir: Path) -> None:
    entries = entries_for(case_dir, "original")
    first = append(case_dir, entries)
    second = append(case_dir, entries, "in-place", STARTED + timedelta(hours=1))
    (case_dir / mhl.MHL_DIR / mhl.CHAIN_FILE).unlink()  # two strays: not one dead run's
    before = first.read_bytes(), second.read_bytes()

    with pytest.raises(ProcessingError) as caught:
        append(case_dir, entries, "in-place", STARTED + timedelta(hours=2))

    assert caught.value.type == "CorruptFile" and first.name in str(caught.value)
    assert (first.read_bytes(), second.read_bytes()) == before
    assert sorted(p.name for p in (case_dir / mhl.MHL_DIR).iterdir()) == [first.name, second.name]


def die_before_chaining(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next append publishes its generation, then fails as if killed before the chain."""
    def killed(path: Path, data: bytes, mode: int = 0o644) -> None:
        raise OSError(5, "killed before the chain was written", str(path))

    monkeypatch.setattr(mhl, "write_atomic", killed)


def custody(case_dir: Path) -> list[dict[str, object]]:
    lines = (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("earlier", [0, 1], ids=["first generation", "second generation"])
def test_a_generation_a_dead_run_left_out_of_the_chain_is_completed_into_it(
        case_dir: Path, monkeypatch: pytest.MonkeyPatch, earlier: int) -> None:
    entries = entries_for(case_dir, "original")
    for hour in range(earlier):
        append(case_dir, entries, "in-place", STARTED + timedelta(hours=hour + 1))
    with monkeypatch.context() as patch:
        die_before_chaining(patch)
        with pytest.raises(ProcessingError):
            append(case_dir, entries, "in-place", STARTED + timedelta(hours=3))
    orphan = max((case_dir / mhl.MHL_DIR).glob("*.mhl"))
    assert orphan.name not in {link.name for link in mhl.read_chain(case_dir)}

    later = append(case_dir, entries, "in-place", STARTED + timedelta(hours=4))

    chain = mhl.read_chain(case_dir)
    assert [link.name for link in chain][-2:] == [orphan.name, later.name]
    assert [link.number for link in chain] == list(range(1, earlier + 3))
    assert all(link.intact for link in chain)
    assert reference("verify", case_dir) == 0
    [repair] = custody(case_dir)
    assert repair["event"] == "record repair" and repair["file"] == f"ascmhl/{orphan.name}"
    assert "completed into the ASC MHL chain" in str(repair["outcome"])
    assert not (case_dir / "_evidence" / "mhl-pending.json").exists()


@pytest.mark.parametrize("proof", ["altered after publishing", "no note"])
def test_an_unprovable_orphan_is_moved_aside_and_reported(
        case_dir: Path, monkeypatch: pytest.MonkeyPatch, proof: str) -> None:
    entries = entries_for(case_dir, "original")
    with monkeypatch.context() as patch:
        die_before_chaining(patch)
        with pytest.raises(ProcessingError):
            append(case_dir, entries)
    [orphan] = (case_dir / mhl.MHL_DIR).glob("*.mhl")
    if proof == "no note":
        (case_dir / "_evidence" / "mhl-pending.json").unlink()
    else:
        orphan.chmod(0o644)
        orphan.write_bytes(orphan.read_bytes().replace(b"Jane Doe", b"John Roe"))
    kept_bytes = orphan.read_bytes()

    later = append(case_dir, entries, "in-place", STARTED + timedelta(hours=1))

    kept = case_dir / "_evidence" / "orphaned-mhl" / orphan.name
    assert kept.read_bytes() == kept_bytes
    assert [link.name for link in mhl.read_chain(case_dir)] == [later.name]
    assert reference("verify", case_dir) == 0
    [repair] = custody(case_dir)
    assert "moved aside to _evidence/orphaned-mhl/" in str(repair["outcome"])
    assert ("C4 ID differs" if proof != "no note" else "no note") in str(repair["outcome"])


def test_a_stale_note_without_a_stray_generation_is_cleared(case_dir: Path) -> None:
    first = append(case_dir, entries_for(case_dir, "original"))
    note = case_dir / "_evidence" / "mhl-pending.json"
    note.write_text('{"number": 2, "name": "0002_never_published.mhl", "c4": "c4x"}')

    append(case_dir, entries_for(case_dir, "verified"), "in-place", STARTED + timedelta(hours=1))

    assert not note.exists()
    assert [link.number for link in mhl.read_chain(case_dir)] == [1, 2]
    assert mhl.read_chain(case_dir)[0].name == first.name
    assert not (case_dir / "_evidence" / "custody.jsonl").exists()


def test_exclusive_publish_refuses_an_existing_name(tmp_path: Path) -> None:
    target = tmp_path / "0001_x.mhl"
    target.write_bytes(b"sealed")

    with pytest.raises(ProcessingError) as caught:
        mhl._write_new(target, [b"other"])

    assert caught.value.type == "Conflict"
    assert target.read_bytes() == b"sealed"
    assert list(tmp_path.iterdir()) == [target]


def test_an_altered_generation_blocks_the_next_one(case_dir: Path) -> None:
    first = append(case_dir, entries_for(case_dir, "original"))
    first.chmod(0o644)
    first.write_bytes(first.read_bytes().replace(b"Jane Doe", b"John Roe"))

    with pytest.raises(ProcessingError) as caught:
        append(case_dir, entries_for(case_dir, "verified"), "in-place")

    assert caught.value.type == "HashMismatch"
    assert [link.intact for link in mhl.read_chain(case_dir)] == [False]
    assert len(list((case_dir / mhl.MHL_DIR).glob("*.mhl"))) == 1


def test_digests_without_an_asc_mhl_element_stay_schema_valid(case_dir: Path) -> None:
    blake3_only = entries_for(case_dir, "original", algorithms=())
    generation = append(case_dir, blake3_only)

    assert reference("xsd_schema_check", "-xsd", XSD_DIR / "ASCMHL.xsd", generation) == 0
    assert generation.read_text().count("<wb:digest") == len(FILES)


def test_names_xml_cannot_hold_are_shown_and_the_file_stays_valid(case_dir: Path) -> None:
    entry = entries_for(case_dir, "original")[0]
    odd = [entry.model_copy(update={"relative": PurePosixPath("ctl\x01 and \udcff byte.dav")})]

    generation = append(case_dir, odd)

    assert reference("xsd_schema_check", "-xsd", XSD_DIR / "ASCMHL.xsd", generation) == 0
    assert "ctl\u2401 and \\xff byte.dav" in generation.read_text()


def test_nothing_to_record_writes_nothing(case_dir: Path) -> None:
    assert mhl.append_generation(
        case_dir, [], process="in-place", case=CASE, started=STARTED, finished=STARTED
    ) is None
    assert not (case_dir / mhl.MHL_DIR).exists()


def test_a_long_case_folder_name_still_makes_a_valid_generation_name(tmp_path: Path) -> None:
    folder = tmp_path / ("Überwachung " * 30).encode()[:250].decode(errors="ignore").strip()
    folder.mkdir()
    entries = [mhl.MhlEntry(relative=PurePosixPath("a.dav"), size=1, mtime=STARTED,
                            hashes={"xxh128": "0" * 32}, action="original")]

    generation = append(folder, entries)

    assert len(generation.name.encode()) <= 255
    assert generation.name.startswith("0001_Überwachung")


def test_a_missing_case_folder_is_not_created(tmp_path: Path) -> None:
    entries = [mhl.MhlEntry(relative=PurePosixPath("a.dav"), size=1, mtime=STARTED,
                            hashes={"xxh128": "0" * 32}, action="original")]

    with pytest.raises(ProcessingError) as caught:
        append(tmp_path / "gone", entries)

    assert caught.value.type == "PathNotFound"
    assert not (tmp_path / "gone").exists()


def test_twenty_thousand_entries_make_one_complete_generation(tmp_path: Path) -> None:
    now = datetime.now(timezone.utc)
    entries = [
        mhl.MhlEntry(
            relative=PurePosixPath(f"Export/cam{i % 16}/clip_{i:05d}.avi"), size=i, mtime=now,
            hashes={"blake3": "b" * 64, "xxh128": "a" * 32}, action="original",
        )
        for i in range(20_000)
    ]
    text = append(tmp_path, entries).read_text(encoding="utf-8")
    assert text.count("<hash>") == 20_000
    assert "clip_19999.avi" in text


# A case folder made by the real engine checks out with ASC MHL and the coreutils/b3sum tools.

CHECKERS = {"blake3": "b3sum", "sha256": "sha256sum", "md5": "md5sum"}
"""Manifest algorithm → the standard tool that checks it with `--check`."""


@pytest.fixture
def engine_case(source: Path, plan_for: Callable[..., CopyPlan]) -> Path:
    report = run_copy(plan_for([source], algorithms=("blake3", "xxh128", "sha256", "md5")))
    assert report.outcome == "completed"
    return report.plan.destination


def test_engine_history_passes_the_reference_tool_after_copy_and_audit(engine_case: Path) -> None:
    first = mhl.read_chain(engine_case)
    assert [link.number for link in first] == [1]
    text = (engine_case / mhl.MHL_DIR / first[0].name).read_text()
    assert "<process>transfer</process>" in text and "<md5 " in text and "<xxh128 " in text
    assert 'algorithm="blake3"' in text and 'algorithm="sha256"' in text
    assert reference("verify", engine_case) == 0

    assert verify_case(engine_case).ok
    chain = mhl.read_chain(engine_case)
    assert [(link.number, link.intact) for link in chain] == [(1, True), (2, True)]
    assert "<process>in-place</process>" in (engine_case / mhl.MHL_DIR / chain[1].name).read_text()
    for link in chain:
        assert reference("xsd_schema_check", "-xsd", XSD_DIR / "ASCMHL.xsd",
                         engine_case / mhl.MHL_DIR / link.name) == 0
    assert reference("xsd_schema_check", "-df", "-xsd", XSD_DIR / "ASCMHLDirectory__combined.xsd",
                     engine_case / mhl.MHL_DIR / mhl.CHAIN_FILE) == 0
    assert reference("verify", engine_case) == 0

    (engine_case / "export" / "info.txt").write_bytes(b"tampered\n")
    assert reference("verify", engine_case) != 0


@pytest.mark.parametrize("algorithm", sorted(CHECKERS))
def test_manifests_check_with_the_standard_tools(engine_case: Path, algorithm: str) -> None:
    tool = shutil.which(CHECKERS[algorithm])
    if tool is None:
        pytest.skip(f"{CHECKERS[algorithm]} is not installed")
    manifest = f"_evidence/manifest.{algorithm}"

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([tool, "--check", manifest], cwd=engine_case, capture_output=True,
                              text=True, check=False)

    passed = check()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.count(": OK") == 4
    (engine_case / "export" / "CAM01" / "a.dav").write_bytes(b"B" * 5000)
    failed = check()
    assert failed.returncode != 0 and "a.dav: FAILED" in failed.stdout


SELECTIONS = [None, (), *[(name,) for name in ALGORITHMS[1:]], ("sha256", "md5", "sha1")]
"""Every way a copy's digests can be chosen: the preferences' default, blake3 alone, each
algorithm with blake3, and the three courts recognise."""


@pytest.mark.parametrize("algorithms", SELECTIONS, ids=lambda chosen: "+".join(chosen or ["-"])
                         if chosen is not None else "default")
def test_every_selection_passes_the_reference_tool(
    source: Path, plan_for: Callable[..., CopyPlan], algorithms: tuple[str, ...] | None,
) -> None:
    plan = plan_for([source], algorithms=algorithms)
    assert set(plan.algorithms) & set(MHL_ALGORITHMS), plan.algorithms
    if algorithms is None:
        assert plan.algorithms[:2] == list(DEFAULT_ALGORITHMS)
    report = run_copy(plan)
    assert report.outcome == "completed"
    assert reference("verify", report.plan.destination) == 0


def test_the_default_digests_are_blake3_and_sha256() -> None:
    assert DEFAULT_ALGORITHMS == ("blake3", "sha256")
    assert with_mhl_digest(["blake3", "sha256"]) == ["blake3", "sha256", "xxh128"]
    assert with_mhl_digest(["blake3", "md5"]) == ["blake3", "md5"]
