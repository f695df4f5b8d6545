"""`schema` and `volumes`: the JSON Schemas, and the drives this machine sees."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.console import EXIT_OK, print_source_volumes
from workbench.evidence import list_volumes, source_volume
from workbench.schema import export_schemas


def cmd_schema(args: argparse.Namespace) -> int:
    for path in export_schemas(args.out):
        print(path)
    return EXIT_OK


def cmd_volumes(args: argparse.Namespace) -> int:
    if args.paths:
        print_source_volumes([source_volume(path) for path in args.paths])
        return EXIT_OK
    for volume in list_volumes():
        print(volume.summary())
    return EXIT_OK


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `schema` and `volumes`."""
    schema = verbs.add_parser("schema", help="write the JSON Schema of every public model")
    schema.add_argument("--out", type=Path, default=Path("schemas"))
    schema.set_defaults(run=cmd_schema)

    volumes = verbs.add_parser("volumes", help="list mounted drives, or the volume of each PATH")
    volumes.add_argument("paths", type=Path, nargs="*", help="sources to identify")
    volumes.set_defaults(run=cmd_volumes)
