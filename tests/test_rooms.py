"""The house in rooms: imports point one way (DESIGN.md, Layout) and never in a circle.

Every import statement of the package counts, at module level or inside a function (a lazy
import that dodges a circle is still a circle), `if TYPE_CHECKING:` blocks included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"

TIERS: tuple[tuple[str, ...], ...] = (
    ("__init__",),
    ("ui", "cli"),
    ("ui.intake", "ui.review", "ui.batch"),
    ("ui.controls",),
    ("schema", "relay"),
    ("batch",),
    ("batch.fleet",),
    ("reports",),
    ("reports.record",),
    ("reports.model",),
    ("exports",),
    ("exports.archive",),
    ("conversion",),
    ("conversion.render",),
    ("conversion.remux",),
    ("media",),
    ("media.figures", "media.keyframes"),
    ("media.timing",),
    ("media.decode",),
    ("media.workers",),
    ("media.frames",),
    ("processing",),
    ("processing.sources",),
    ("evidence.audit",),
    ("evidence.integrity",),
    ("evidence.run_lock",),
    ("evidence",),
    ("evidence.entries", "evidence.mhl_format"),
    ("foreign",),
    ("templates.exchange",),
    ("templates",),
    ("preferences",),
    ("cases",),
    ("samples",),
    ("hashing",),
    ("hashing.platform",),
    ("model",),
    ("atomic", "events", "errors", "paths", "shown_names", "version"),
)
"""Rooms from the top of the house down: a room imports only rooms of a lower tier. A sub-package
named here (`hashing.platform`) is a room of its own, apart from its parent."""
_ROOMS = {name for rooms in TIERS for name in rooms}
MAX_ROOM_LINES = 1500
"""A room past this size has two concerns (DESIGN.md)."""


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name → file, for every module of `package`."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported package module, line) for every import statement in `path`."""
    root = module.split(".")[0]
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == root:
                    yield _nearest(alias.name, known), node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base.split(".")[0] != root:
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                yield (target if target in known else _nearest(base, known)), node.lineno


def _nearest(name: str, known: dict[str, Path]) -> str:
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def room(module: str) -> str:
    """The room a module belongs to: `workbench.evidence.audit` → `evidence`."""
    parts = module.split(".")
    if len(parts) > 2 and ".".join(parts[1:3]) in _ROOMS:
        return ".".join(parts[1:3])
    return parts[1] if len(parts) > 1 else "__init__"


def tier(name: str) -> int:
    for index, rooms in enumerate(TIERS):
        if name in rooms:
            return index
    raise AssertionError(f"room {name!r} is not in the house plan (TIERS)")


def graph(package: Path) -> dict[str, dict[str, int]]:
    """Module → {imported module: first line}."""
    known = modules(package)
    edges: dict[str, dict[str, int]] = {}
    for module, path in known.items():
        targets = edges.setdefault(module, {})
        for target, line in imports(module, path, known):
            if target != module:
                targets.setdefault(target, line)
    return edges


def upward_imports(edges: dict[str, dict[str, int]]) -> list[str]:
    """Every import of a room from a room above it (or from the same tier)."""
    found = []
    for module, targets in edges.items():
        for target, line in targets.items():
            source_room, target_room = room(module), room(target)
            if module == f"workbench.{source_room}" and target_room.startswith(f"{source_room}."):
                continue  # a package's __init__ re-exports what its own sub-rooms offer
            if source_room != target_room and tier(target_room) <= tier(source_room):
                found.append(f"{module}:{line} imports {target} ({source_room} → {target_room})")
    return found


def circles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each strongly connected group of more than one module (Tarjan), as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def room_lines(package: Path) -> dict[str, int]:
    """Lines of code per room."""
    lines: dict[str, int] = {}
    for module, path in modules(package).items():
        name = room(module)
        lines[name] = lines.get(name, 0) + len(path.read_text(encoding="utf-8").splitlines())
    return lines


def test_every_room_is_in_the_plan() -> None:
    for module in modules(PACKAGE):
        tier(room(module))


def test_imports_point_down() -> None:
    assert upward_imports(graph(PACKAGE)) == []


def test_no_circle_between_modules() -> None:
    assert circles(graph(PACKAGE)) == []


def private_imports(edges: dict[str, dict[str, int]], front: str) -> list[str]:
    """Imports from the `front` room (`ui`, `cli`) of anything but another room's package."""
    rooms = {f"workbench.{name}" for name in _ROOMS}
    return [
        f"{module} imports {target}"
        for module, targets in edges.items() if room(module).split(".")[0] == front
        for target in targets
        if room(target).split(".")[0] != front and target not in rooms
    ]


@pytest.mark.parametrize("front", ["ui", "cli"])
def test_fronts_import_only_the_public_surface_of_rooms(front: str) -> None:
    """Widgets and the CLI talk to commands, types and events (a room package's re-exports),
    not services."""
    assert private_imports(graph(PACKAGE), front) == []


@pytest.mark.parametrize(("name", "lines"), sorted(room_lines(PACKAGE).items()))
def test_no_room_is_too_big(name: str, lines: int) -> None:
    assert lines <= MAX_ROOM_LINES, f"{name} has {lines} lines: split its concerns"


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / "workbench" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "workbench"


def test_checker_finds_a_lazy_circle_and_an_upward_import(tmp_path: Path) -> None:
    package = _write(tmp_path, {
        "__init__.py": "",
        "errors.py": "",
        "hashing/__init__.py": "",
        "hashing/digests.py": "from workbench.hashing import stream\n",
        "hashing/stream.py": "def f():\n    from workbench.hashing.digests import g\n",
        "evidence/__init__.py": "",
        "evidence/audit.py": "from . import layout\nfrom ..errors import x\n",
        "evidence/layout.py": "import workbench.processing.engine\n",
        "processing/__init__.py": "",
        "processing/engine.py": "from workbench.evidence.audit import verify\n",
    })
    edges = graph(package)
    assert edges["workbench.evidence.audit"] == {
        "workbench.evidence.layout": 1, "workbench.errors": 2,
    }
    assert upward_imports(edges) == [
        "workbench.evidence.layout:1 imports workbench.processing.engine "
        "(evidence → processing)"
    ]
    assert private_imports(edges, "evidence") == [
        "workbench.evidence.layout imports workbench.processing.engine"
    ]
    assert circles(edges) == [
        ["workbench.evidence.audit", "workbench.evidence.layout", "workbench.processing.engine"],
        ["workbench.hashing.digests", "workbench.hashing.stream"],
    ]
