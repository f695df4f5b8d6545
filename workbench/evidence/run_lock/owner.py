"""The run record: which run holds (or held) a case folder's run lock, the files it may leave
unfinished, and whether its process is proven gone."""

from __future__ import annotations

import json
import logging
import socket
from datetime import datetime
from pathlib import Path

import psutil
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from workbench.atomic import write_atomic

log = logging.getLogger(__name__)

_START_SLACK_S = 1.0
"""A process started later than the record (by more than this) is not its writer."""


class RunOwner(BaseModel):
    """The run that holds (or held) a case folder's run lock. Its files are named relative to
    the case folder, or absolute when outside it (derived files given an `out` folder)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    pid: int
    """Process id of the run."""
    host: str
    """Host name of the machine it ran on."""
    user: str
    """Operating-system user who ran it."""
    started: datetime
    """When it took the lock (UTC)."""
    partials: list[str]
    """The files it may leave as `.partial` (their final names)."""
    temps: list[str] = []
    """The files it may leave an atomic write's temp file beside (`atomic.temp_files`)."""
    ended: bool = False
    """True once the run ended (not killed) leaving these partials it could not remove."""

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started:%Y-%m-%d %H:%M:%S} UTC"

    def gone(self) -> bool:
        """True when its process is proven not to run any more (on this host)."""
        if self.host != socket.gethostname():
            return False
        try:
            process = psutil.Process(self.pid)
            if process.status() == psutil.STATUS_ZOMBIE:
                return True
            started = process.create_time()
        except psutil.NoSuchProcess:
            return True
        except psutil.Error:
            return False
        return started > self.started.timestamp() + _START_SLACK_S  # a later process, same pid


def read_owner(path: Path) -> RunOwner | None:
    """The run record at `path`; None when there is none or it cannot be read (its partials
    then stay conflicts)."""
    try:
        return RunOwner.model_validate(json.loads(path.read_bytes()))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError, PydanticValidationError):
        log.warning("unreadable run record %s: its partials stay conflicts", path, exc_info=True)
        return None


def write_owner(path: Path, owner: RunOwner) -> None:
    """Write the run record atomically. Raises OSError."""
    # json.dumps keeps a name that is not UTF-8 as an escaped surrogate, and back
    write_atomic(path, json.dumps(owner.model_dump(mode="json")).encode())


__all__ = ["RunOwner", "read_owner", "write_owner"]
