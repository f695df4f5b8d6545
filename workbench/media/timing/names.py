"""What the name patterns (and the fallback) read from one file name: the tester behind
`wb.match_name`, `workbench patterns test` and the Footage tab."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePosixPath
from typing import ClassVar

from pydantic import Field

from workbench.errors import MediaError
from workbench.media.timing.fallback import FALLBACK, read_fallback
from workbench.media.timing.patterns import DvrPattern, match_patterns
from workbench.media.timing.times import camera_name
from workbench.model import Contract


class NameReading(Contract):
    """Which pattern read a name, and what it read (recorder clock)."""

    error_class: ClassVar = MediaError

    name: str
    """The name (or relative path) tested."""
    pattern: str | None = None
    """The pattern that matched (`fallback`: date and time found apart); None: none."""
    family: str | None = None
    """The pattern's vendor family."""
    start: datetime | None = None
    """The start it read."""
    end: datetime | None = None
    """The end it read, if the name has one."""
    camera: str | None = None
    """The camera (and channel) it read."""
    zone: str | None = None
    """The zone the scheme writes times in, when it defines one."""
    confidence: float = 0.0
    """1 for a pattern, the fallback's 0-1, 0 when nothing was read."""
    ambiguous: list[date] = Field(default_factory=list)
    """The dates a day-month order reads as (no time is guessed from such a name)."""
    timed_out: list[str] = Field(default_factory=list)
    """Patterns stopped at their time limit on this name (skipped)."""

    def describe(self) -> str:
        """One line for the CLI and the tester."""
        stopped = f" (stopped: {', '.join(self.timed_out)})" if self.timed_out else ""
        if self.ambiguous:
            readings = " or ".join(f"{day:%Y-%m-%d}" for day in self.ambiguous)
            return f"{self.name}: ambiguous date, {readings}: no time read{stopped}"
        if self.start is None:
            return f"{self.name}: no pattern matches and no date and time found{stopped}"
        end = f" – {self.end:%Y-%m-%d %H:%M:%S}" if self.end else ""
        zone = f" {self.zone}" if self.zone else ""
        camera = f", camera {self.camera}" if self.camera else ""
        return (f"{self.name}: {self.pattern} ({self.family or 'fallback'}, confidence "
                f"{self.confidence:.1f}): {self.start:%Y-%m-%d %H:%M:%S}{end}{zone}{camera}"
                f"{stopped}")


def read_name(name: str, patterns: list[DvrPattern]) -> NameReading:
    """What `patterns` (first match), else the fallback, read from `name`."""
    relative = PurePosixPath(name.replace("\\", "/") or ".")
    named, stopped = match_patterns(relative, patterns)
    if named is not None:
        family = next((p.family for p in patterns if p.id == named.pattern), None)
        return NameReading(name=name, pattern=named.pattern, family=family or None,
                           start=named.start, end=named.end,
                           camera=camera_name(named.camera, named.channel), zone=named.zone,
                           confidence=named.confidence, timed_out=stopped)
    guessed = read_fallback(relative)
    if guessed is None:
        return NameReading(name=name, timed_out=stopped)
    return NameReading(name=name, pattern=FALLBACK if guessed.start else None,
                       start=guessed.start, confidence=guessed.confidence,
                       ambiguous=list(guessed.ambiguous), timed_out=stopped)


__all__ = ["NameReading", "read_name"]
