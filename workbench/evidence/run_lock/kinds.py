"""The kinds of run that hold a case folder's run lock (the one table of them)."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import ConversionError, ProcessingError, WorkbenchError
from workbench.evidence.layout import DERIVED_LOCK, DERIVED_RUN_FILE, RUN_FILE, RUN_LOCK


@dataclass(frozen=True)
class RunKind:
    """One kind of run: its lock and run record (in the evidence record, or where it is
    told), how a person is told it is running or was interrupted, its error type."""

    lock: str
    """File name of its advisory lock."""
    record: str
    """File name of its run record (who holds the lock, which partials it may leave)."""
    busy: str
    """What it does, said of a case folder while it runs ("a copy is writing into it")."""
    interrupted: str
    """What it was, said of its leftovers ("an interrupted copy")."""
    redo: str
    """What becomes of the files whose partials are removed."""
    error: type[WorkbenchError]
    """The error its callers raise (with the payload saying why)."""


COPY_RUN = RunKind(lock=RUN_LOCK, record=RUN_FILE, busy="a copy is writing into it right now",
                   interrupted="an interrupted copy", redo="they are copied again",
                   error=ProcessingError)
"""A verified copy into the case folder."""
DERIVED_RUN = RunKind(lock=DERIVED_LOCK, record=DERIVED_RUN_FILE,
                      busy="derived files are being made for it right now",
                      interrupted="an interrupted run making derived files",
                      redo="they are made again", error=ConversionError)
"""Playable copies or a timeline video made from the case folder (they may share an `out`
folder, its partials and its manifest: one lock for both)."""

__all__ = ["COPY_RUN", "DERIVED_RUN", "RunKind"]
