"""Fixtures for records made by other tools: the footage folder and the reference ASC MHL
tool, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from footage_helpers import make_footage


@pytest.fixture
def footage(tmp_path: Path) -> Path:
    return make_footage(tmp_path / "A002R2EC")


@pytest.fixture
def ascmhl_create() -> object:
    """`ascmhl_create(folder, algorithm, *options)`: the reference tool's `create`, in-process
    (importing its CLI module would ask GitHub for updates)."""
    commands = pytest.importorskip("ascmhl.commands")
    testing = pytest.importorskip("click.testing")

    def create(folder: Path, algorithm: str, *options: str) -> None:
        result = testing.CliRunner().invoke(commands.create,
                                            [str(folder), "-h", algorithm, *options])
        assert result.exit_code == 0, result.output

    return create


@pytest.fixture
def ascmhl_verify() -> object:
    """`ascmhl_verify(folder)`: the reference tool's `verify` exit code, in-process."""
    commands = pytest.importorskip("ascmhl.commands")
    testing = pytest.importorskip("click.testing")

    def verify(folder: Path) -> int:
        return int(testing.CliRunner().invoke(commands.verify, [str(folder)]).exit_code)

    return verify
