"""`templates` and `resolve`: folder templates and the case folder one makes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli.console import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    add_case_file,
    read_case,
    tree_lines,
)
from workbench.templates import get_template, resolve_path, scan_templates
from workbench.templates.exchange import ON_CONFLICT, export_templates, import_templates


def check_names(args: argparse.Namespace) -> str | None:
    """What the `templates` action lacks among its arguments, or None when it has them."""
    needs = {"show": (len(args.names) == 1, "templates show needs one template id"),
             "import": (len(args.names) == 1, "templates import needs one file"),
             "export": (bool(args.names) and args.out is not None,
                        "templates export needs template ids and --out FILE")}
    ok, problem = needs.get(args.action, (True, ""))
    return None if ok else problem


def cmd_templates(args: argparse.Namespace) -> int:
    lacking = check_names(args)
    if lacking is not None:
        print(f"error: {lacking}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.action == "show":
        print(get_template(args.names[0]).model_dump_json(indent=2))
        return EXIT_OK
    if args.action == "import":
        report = import_templates(args.names[0], args.on_conflict)
        for item in report.templates:
            print(f"{item.action:<9} {item.id:<24} {item.name}")
            for note in item.unmapped:
                print(f"          not carried over: {note}")
        for note in report.unmapped:
            print(f"not carried over: {note}")
        return EXIT_OK
    if args.action == "export":
        print(export_templates(args.names, args.out))
        return EXIT_OK
    scan = scan_templates()
    for template in scan.templates:
        print(f"{template.id:<20} {template.name}")
    for problem in scan.problems:
        print(f"warning: {problem.describe()}", file=sys.stderr)
    return EXIT_FAILED if scan.problems else EXIT_OK


def cmd_resolve(args: argparse.Namespace) -> int:
    resolved = resolve_path(get_template(args.template), read_case(args))
    print("\n".join(tree_lines(resolved)))
    return EXIT_OK


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `templates` and `resolve`."""
    templates = verbs.add_parser(
        "templates", help="list, show, import or export folder templates",
        description="list; show ID; import FILE (this workbench's export, one template file, "
        "or the desktop app's folder_templates.json); export ID... --out FILE")
    templates.add_argument("action", choices=["list", "show", "import", "export"])
    templates.add_argument("names", nargs="*", metavar="ID|FILE",
                           help="template id (show), ids (export) or a file (import)")
    templates.add_argument("--on-conflict", choices=ON_CONFLICT, default="skip",
                           help="import: what to do with a template whose id is taken")
    templates.add_argument("--out", type=Path, help="export: the file to write")
    templates.set_defaults(run=cmd_templates)

    resolve = verbs.add_parser("resolve", help="print the case folder a template makes")
    add_case_file(resolve)
    resolve.add_argument("--template", default="default", help="template id")
    resolve.set_defaults(run=cmd_resolve)
