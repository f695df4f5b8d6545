"""ASC MHL histories read once (#23 audit): what a chain's generations say is kept in the
user's signed cache, so a later read parses only the generations written since; a cache entry
not signed by this user, or a generation altered since, is never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.foreign import ascmhl
from workbench.foreign.types import RecordSet
from workbench.preferences import workbench_home


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The generation files parsed, by name, as `read_history` parses them."""
    names: list[str] = []
    parse = ascmhl._History._read_generation

    def counted(self: ascmhl._History, path: Path) -> None:
        names.append(path.name[:4])
        parse(self, path)

    monkeypatch.setattr(ascmhl._History, "_read_generation", counted)
    return names


def summary(found: RecordSet) -> tuple[object, ...]:
    entries = found.entries
    return (list(entries.names), [entries.digests[i] for i in range(len(entries))],
            [problem.describe() for problem in found.problems], found.ignore, found.records)


def cache_entries() -> list[Path]:
    return sorted((workbench_home() / "cache" / ascmhl._CACHE).iterdir())


def test_a_second_read_parses_only_the_generation_written_since(
        footage: Path, ascmhl_create, parsed: list[str]) -> None:
    ascmhl_create(footage, "xxh64")
    first = ascmhl.read_history(footage)
    again = ascmhl.read_history(footage)
    assert parsed == ["0001"], "the second read came from the cache"
    assert summary(again) == summary(first)

    (footage / "late.mov").write_bytes(b"late footage")
    ascmhl_create(footage, "md5")
    grown = ascmhl.read_history(footage)

    assert parsed == ["0001", "0002"]
    assert "late.mov" in grown.entries.names
    assert grown.records[0].algorithms == ["xxh64", "md5"]
    assert len(cache_entries()) == 1, "the longer chain's entry replaces the shorter one's"
    parsed.clear()
    assert summary(grown) == summary(ascmhl.read_history(footage)) and parsed == []


def test_an_entry_not_signed_by_this_user_is_not_used(
        footage: Path, ascmhl_create, parsed: list[str]) -> None:
    ascmhl_create(footage, "xxh64")
    first = summary(ascmhl.read_history(footage))
    (entry,) = cache_entries()
    data = bytearray(entry.read_bytes())
    data[-40] ^= 0x01  # a byte of the pickled entries changed, the signature kept
    entry.write_bytes(bytes(data))

    assert summary(ascmhl.read_history(footage)) == first
    assert parsed == ["0001", "0001"], "the altered entry was parsed again, not trusted"
    (workbench_home() / "cache" / "key").write_bytes(bytes(32))  # another user's key
    assert summary(ascmhl.read_history(footage)) == first
    assert parsed == ["0001", "0001", "0001"]


def test_a_generation_altered_after_it_was_cached_is_still_a_problem(
        footage: Path, ascmhl_create, parsed: list[str]) -> None:
    ascmhl_create(footage, "md5")
    assert not ascmhl.read_history(footage).problems
    generation = next((footage / "ascmhl").glob("0001_*.mhl"))
    generation.write_bytes(generation.read_bytes().replace(b"<hashes>", b"<hashes> "))

    found = ascmhl.read_history(footage)

    assert "altered" in found.problems[0].describe()
    assert len(found.entries) == 0, "an altered generation's entries are not used, cached or not"
    assert parsed == ["0001"]


def test_a_generation_cut_short_says_nothing_not_even_its_first_entries(
        footage: Path, ascmhl_create) -> None:
    ascmhl_create(footage, "xxh64")
    (footage / "late.mov").write_bytes(b"late footage")
    ascmhl_create(footage, "md5")
    (footage / "ascmhl" / "ascmhl_chain.xml").unlink()  # so the cut generation is parsed
    second = next((footage / "ascmhl").glob("0002_*.mhl"))
    data = second.read_bytes()
    second.write_bytes(data[:data.rindex(b"</hash>")])  # every <hash> but the last is whole

    found = ascmhl.read_history(footage)

    assert [p.problem for p in found.problems] == ["validation", "syntax"]
    assert found.records[0].algorithms == ["xxh64"], "no md5 of the cut generation counts"
    assert "late.mov" not in found.entries.names
