"""`workbench`: the headless entry point. Bad input prints one clear line and exits non-zero."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from workbench.cli import (
    auditing,
    batches,
    converting,
    copying,
    demo,
    exporting,
    footage,
    system,
    templates,
)
from workbench.cli.console import error_line, exit_code
from workbench.cli.demo import DEMO_CASE
from workbench.errors import WorkbenchError
from workbench.version import __version__

__all__ = ["DEMO_CASE", "main", "parser"]

VERB_GROUPS = (templates, copying, auditing, exporting, batches, footage, converting, system,
               demo)
"""Each module adds its verbs (`register`); `workbench --help` lists them in this order."""


def parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    top = argparse.ArgumentParser(prog="workbench", description=__doc__)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = top.add_subparsers(dest="command", required=True)
    for group in VERB_GROUPS:
        group.register(verbs)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; a typed error becomes one line on stderr and its exit code (2 for
    bad input, 130 for a cancel, 1 for a failure: `EXIT_BY_KIND`)."""
    args = parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except WorkbenchError as exc:
        print(error_line(exc), file=sys.stderr)
        return exit_code(exc)
    return code
