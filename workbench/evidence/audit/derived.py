"""The audit of a case folder's derived files (`derived/`: playable copies, timeline videos)
against that folder's own manifest: they are never evidence, and never `extra`."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from workbench.events import CancelToken
from workbench.evidence.layout import DERIVED_MANIFEST, derived_dir
from workbench.evidence.manifest import read_list
from workbench.evidence.types import VerifyRow
from workbench.hashing.tree import FileToHash, hash_files, is_regular, list_files


def audit_derived(case_dir: Path, cancel: CancelToken | None = None) -> list[VerifyRow]:
    """One row per derived file (path inside the case folder): ok / modified / missing, and
    `extra` for a file of the derived folder its manifest does not list. Empty when the case
    folder has no derived files."""
    folder = derived_dir(case_dir)
    if not folder.is_dir():
        return []
    expected = read_list(folder / DERIVED_MANIFEST)
    present = {name: info for name, info in list_files(folder).items()
               if name != DERIVED_MANIFEST and is_regular(info)}
    wanted = {name: FileToHash(folder / name, info.st_size, ("blake3",), name)
              for name, info in present.items()}
    actual = hash_files(wanted, cancel=cancel)
    rows = []
    for name in sorted(set(expected) | set(present)):
        digest = actual.get(name, {}).get("blake3")
        status = ("extra" if name not in expected else "missing" if name not in present
                  else "ok" if digest == expected[name] else "modified")
        rows.append(VerifyRow(
            path=PurePosixPath(folder.name, name), status=status, algorithm="blake3",
            expected=expected.get(name), actual=digest,
            size=present[name].st_size if name in present else None))
    return rows


__all__ = ["audit_derived"]
