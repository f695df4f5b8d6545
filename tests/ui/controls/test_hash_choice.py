"""The digests of a copy as tick boxes: blake3 always on, `.value` a trait like before."""

from __future__ import annotations

from typing import Any

from workbench.hashing import ALGORITHMS, DEFAULT_ALGORITHMS
from workbench.ui import CopyPanel
from workbench.ui.controls import HashChoice


def test_ticking_a_box_chooses_it_and_blake3_stays() -> None:
    choice = HashChoice()
    assert choice.value == DEFAULT_ALGORITHMS
    assert list(choice.boxes) == list(ALGORITHMS) and choice.boxes["blake3"].disabled
    seen: list[Any] = []
    choice.observe(lambda change: seen.append(change["new"]), names="value")
    choice.boxes["md5"].value = True
    assert choice.value == ("blake3", "md5", "sha256") and seen[-1] == choice.value
    choice.value = ("xxh128",)
    assert choice.value == ("blake3", "xxh128")
    assert [name for name, box in choice.boxes.items() if box.value] == ["blake3", "xxh128"]


def test_the_copy_tab_plans_with_the_ticked_hashes() -> None:
    panel = CopyPanel()
    panel.algorithms.boxes["sha1"].value = True
    assert panel.request().algorithms == ["blake3", "sha1", "sha256"]
