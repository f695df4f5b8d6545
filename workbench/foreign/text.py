"""Reading an untrusted record's lines: bounded in length, memory flat, encodings noted.

File names in checksum lists are bytes. A name that is not UTF-8 is kept as those bytes
(`surrogateescape`), so it still matches the same bytes on disk; but a record that mixes
UTF-8 names with names in another encoding was written by more than one system (or edited),
and that is a typed problem.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import MalformedRecord

MAX_LINE = 64 << 10
"""Longest line a record may have (a path is at most 4 KiB on Linux, plus digests)."""


@dataclass
class EncodingWatch:
    """Tells names apart by encoding: UTF-8 with non-ASCII, or not UTF-8 at all."""

    record: str
    utf8_line: int | None = None
    other_line: int | None = None

    def decode(self, data: bytes, line: int) -> str:
        """`data` as text: UTF-8 when it is, else its bytes kept as surrogates."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.other_line = self.other_line or line
            return os.fsdecode(data)
        if self.utf8_line is None and not text.isascii():
            self.utf8_line = line
        return text

    def problem(self) -> MalformedRecord | None:
        """A problem when the record mixes UTF-8 names with names in another encoding."""
        if self.utf8_line is None or self.other_line is None:
            return None
        return MalformedRecord(
            record=self.record, problem="encoding", line=self.other_line,
            detail=f"names in UTF-8 (line {self.utf8_line}) and in another encoding (line "
                   f"{self.other_line}) are mixed; such names were matched as raw bytes",
        )


@dataclass
class RecordLines:
    """The lines of a record file, without their line ends; over-long lines become problems."""

    path: Path
    problems: list[MalformedRecord] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        """(line number from 1, line bytes) for every line that is not too long."""
        with self.path.open("rb") as stream:
            head = stream.read(4)
            stream.seek(0)
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                yield from self._utf16(stream.read())
                return
            if head.startswith(codecs.BOM_UTF8):
                stream.seek(len(codecs.BOM_UTF8))
            number = 0
            while True:
                line = stream.readline(MAX_LINE + 1)
                if not line:
                    return
                number += 1
                if len(line) > MAX_LINE and not line.endswith(b"\n"):
                    self._too_long(number)
                    while line and not line.endswith(b"\n"):
                        line = stream.readline(MAX_LINE)
                    continue
                yield number, line.removesuffix(b"\n").removesuffix(b"\r")

    def _utf16(self, data: bytes) -> Iterator[tuple[int, bytes]]:
        """A UTF-16 record (PowerShell writes them) as UTF-8 lines."""
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            self.problems.append(MalformedRecord(
                record=str(self.path), problem="encoding", detail=f"not valid UTF-16 ({exc})",
            ))
            return
        for number, line in enumerate(text.split("\n"), start=1):
            if len(line) > MAX_LINE:
                self._too_long(number)
                continue
            yield number, line.removesuffix("\r").encode("utf-8", "surrogateescape")

    def _too_long(self, number: int) -> None:
        self.problems.append(MalformedRecord(
            record=str(self.path), problem="too_long", line=number,
            detail=f"the line is longer than {MAX_LINE:,} bytes and was skipped",
        ))


class RecordText:
    """A record file's lines with the names on them decoded, and what was wrong with either."""

    def __init__(self, path: Path, *, skip_comments: bool = True) -> None:
        self.lines = RecordLines(path)
        self.names = EncodingWatch(str(path))
        self.skip_comments = skip_comments

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        """(line number, line) of every line that is not blank (nor a `#` comment)."""
        for number, line in self.lines:
            if line.strip() and not (self.skip_comments and line.startswith(b"#")):
                yield number, line

    def decode(self, name: bytes, line: int) -> str:
        """A name on line `line` as text (see `EncodingWatch.decode`)."""
        return self.names.decode(name, line)

    def problems(self) -> list[MalformedRecord]:
        """Over-long lines and mixed encodings found so far."""
        mixed = self.names.problem()
        return [*self.lines.problems, *([mixed] if mixed is not None else [])]
