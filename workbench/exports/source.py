"""The case folder an export packages: its case data, its files, and their names in a package.

A package name is `<case folder>/<path in the case folder>` with `/` between parts; it can
never hold an empty, `.` or `..` part, a backslash (a separator on Windows) or a drive
letter, and it is UTF-8. A file whose name cannot be packaged as it is is refused with a
typed `UnsafeName`: evidence is never renamed on its way out.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from workbench.cases import CaseData
from workbench.errors import (
    ExportError,
    FieldProblem,
    NotACaseFolder,
    NotFound,
    PathNotFound,
    UnsafeName,
    Unsupported,
    ValidationError,
    WorkbenchError,
)
from workbench.evidence.layout import EVIDENCE_DIR, LOCKS, RECORD_DIRS, manifest_path
from workbench.evidence.manifest import read_manifest
from workbench.evidence.record import last_copy
from workbench.exports.types import MemberKind
from workbench.hashing.tree import list_files
from workbench.paths import absolute
from workbench.templates import get_template, resolve_archive_name
from workbench.templates.types import ARCHIVE_SUFFIX, Template

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class SourceFile:
    """One regular file of the case folder and its name in the package."""

    relative: str
    """POSIX path in the case folder."""
    path: Path
    size: int
    mtime_ns: int
    mode: int
    kind: MemberKind


@dataclass(frozen=True)
class CaseSource:
    """A case folder ready to export: its case, its manifest and its evidence files."""

    case_dir: Path
    case: CaseData
    template_id: str | None
    expected: dict[str, str]
    """The case manifest: path → blake3."""
    evidence: list[SourceFile]
    """Every file outside the record folders, sorted by path."""

    @property
    def sizes(self) -> dict[str, int]:
        """Path → bytes of every evidence file present."""
        return {item.relative: item.size for item in self.evidence}

    def package_name(self, relative: str) -> str:
        """The file's name in a package: the case folder's name, then its path."""
        return f"{self.case_dir.name}/{relative}"

    def record_files(self) -> list[SourceFile]:
        """Every file of the case's record folders as they are now, sorted by path."""
        found: list[SourceFile] = []
        for folder in sorted(RECORD_DIRS):
            if (self.case_dir / folder).is_dir():
                listed = list_files(self.case_dir / folder)
                for lock in LOCKS if folder == EVIDENCE_DIR else ():
                    listed.pop(lock, None)
                found += _files(self.case_dir, listed, f"{folder}/", "record")
        return found

    def archive_name(self) -> tuple[str, str]:
        """The ZIP's file name from the case's template, and where the name came from."""
        template: Template | None = None
        origin = "the default archive name (the case records no template)"
        if self.template_id is not None:
            try:
                template = get_template(self.template_id)
                origin = f"template {self.template_id!r}"
            except WorkbenchError:
                origin = f"the default archive name (template {self.template_id!r} is gone)"
        return resolve_archive_name(template, self.case), origin

    def bag_name(self) -> tuple[str, str]:
        """The bag folder's name: the archive name without `.zip`."""
        name, origin = self.archive_name()
        return name[: -len(ARCHIVE_SUFFIX)] or name, origin


def open_case(case_dir: str | os.PathLike[str]) -> CaseSource:
    """The case folder `case_dir` as an export source; typed errors when it is not one."""
    folder = absolute(case_dir)
    if not folder.is_dir():
        raise ExportError(PathNotFound(path=str(folder)))
    manifest = manifest_path(folder, "blake3")
    if not manifest.is_file():
        raise ExportError(NotACaseFolder(
            path=str(folder), looked_for=f"evidence record ({manifest.relative_to(folder)})"))
    entry = last_copy(folder)
    if entry is None:
        raise ExportError(NotFound(kind="case data", id="a copy in _evidence/custody.jsonl",
                                   path=str(folder)))
    return CaseSource(
        case_dir=folder, case=CaseData.from_record(entry.case), template_id=entry.template_id,
        expected=read_manifest(folder, "blake3"),
        evidence=_files(folder, list_files(folder, RECORD_DIRS), "", "evidence"),
    )


def _files(root: Path, found: dict[str, os.stat_result], prefix: str, kind: MemberKind
           ) -> list[SourceFile]:
    files = []
    for name, info in sorted(found.items()):
        relative = prefix + name
        if not stat.S_ISREG(info.st_mode):
            kind_name = "symlink" if stat.S_ISLNK(info.st_mode) else "special file"
            raise ExportError(Unsupported(path=str(root / relative), kind=kind_name))
        files.append(SourceFile(relative, root / relative, info.st_size, info.st_mtime_ns,
                                stat.S_IMODE(info.st_mode), kind))
    return files


def check_name(path: Path, name: str) -> str:
    """`name` if it is safe in a package (see the module), else `UnsafeName` for `path`."""
    reason = unsafe_reason(name)
    if reason is not None:
        raise ExportError(UnsafeName(path=str(path), reason=reason))
    return name


def unsafe_reason(name: str) -> str | None:
    """Why `name` cannot be a package member's name, or None when it can."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "its name would hold an empty, '.' or '..' part (or start with '/')"
    if "\\" in name:
        return "its name holds a backslash, which Windows reads as a folder separator"
    if any(_DRIVE.match(part) for part in parts):
        return "a part of its name starts like a drive letter ('C:')"
    return None


def check_out_dir(source: CaseSource, out_dir: str | os.PathLike[str]) -> Path:
    """The output folder, absolute; never the case folder or inside it."""
    folder = absolute(out_dir)
    real_out, real_case = Path(os.path.realpath(folder)), Path(os.path.realpath(source.case_dir))
    if real_out.is_relative_to(real_case):
        raise ExportError(ValidationError.of([FieldProblem(
            field="out_dir", message=f"is inside the case folder {source.case_dir}; an export "
            "never writes into the evidence")], actual=str(folder)))
    return folder
