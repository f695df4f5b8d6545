"""Every digest the workbench computes equals the reference implementation's, in any grouping."""

from __future__ import annotations

import hashlib
import os

import blake3
import pytest
import xxhash

from workbench.errors import ProcessingError
from workbench.hashing import ALGORITHMS, normalise_algorithms
from workbench.hashing.digests import digest_groups, merged_hexdigests, new_digest

DATA = os.urandom(3 * 1024 * 1024 + 17)
REFERENCE = {
    "blake3": lambda data: blake3.blake3(data).hexdigest(),
    "xxh128": lambda data: xxhash.xxh128(data).hexdigest(),
    "xxh64": lambda data: xxhash.xxh64(data).hexdigest(),
    "xxh3": lambda data: xxhash.xxh3_64(data).hexdigest(),
    "md5": lambda data: hashlib.md5(data).hexdigest(),
    "sha1": lambda data: hashlib.sha1(data).hexdigest(),
    "sha256": lambda data: hashlib.sha256(data).hexdigest(),
    "sha512": lambda data: hashlib.sha512(data).hexdigest(),
}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_each_digest_matches_its_reference_fed_in_chunks(algorithm: str) -> None:
    digest = new_digest(algorithm)  # type: ignore[arg-type]
    view = memoryview(DATA)
    for start in range(0, len(DATA), 1 << 20):
        digest.update(view[start:start + (1 << 20)])
    assert digest.hexdigest() == REFERENCE[algorithm](DATA)


def test_groups_compute_every_algorithm_once_blake3_first() -> None:
    groups = digest_groups(ALGORITHMS)
    for group in groups:
        group.update(memoryview(DATA))
    digests = merged_hexdigests(groups)
    assert next(iter(digests)) == "blake3"
    assert digests == {name: REFERENCE[name](DATA) for name in ALGORITHMS}


def test_normalise_puts_blake3_first_and_refuses_unknown_names() -> None:
    assert normalise_algorithms(["SHA512", "xxh64", "sha512"]) == ["blake3", "sha512", "xxh64"]
    with pytest.raises(ProcessingError) as caught:
        normalise_algorithms(["crc32"])
    assert caught.value.payload.type == "ValidationError"
