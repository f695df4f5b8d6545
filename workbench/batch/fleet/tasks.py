"""The fleet audit: every case folder of an evidence store audited as one Dask task.

`verify_case` runs in the worker, which writes that case folder's own audit record (custody
line, MHL generation) as a local audit does; only a small `FleetRow` travels back. Case
folders are named by absolute path, so workers on other machines must see the store under
the same path. Dask (`dask.distributed`) is imported here only, on first use: it is the
optional `[cluster]` extra.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench.batch.fleet.discovery import Store, find_case_folders
from workbench.batch.fleet.types import FleetProgress, FleetReport, FleetRow
from workbench.errors import (
    BatchError,
    Cancelled,
    FieldProblem,
    MissingDependency,
    SchedulerUnavailable,
    TaskFailed,
    ValidationError,
    WorkbenchError,
    WorkerDied,
    payload_from_os_error,
)
from workbench.events import CancelToken
from workbench.evidence.audit import verify_case

Client = Any
"""A `distributed.Client` (Dask is optional: typed loosely here)."""
Future = Any
"""A `distributed.Future`."""

INSTALL = 'pip install -e ".[cluster]" (from the clone) or pip install "dask[distributed]"'
"""The commands that install Dask for the fleet audit (the package is installed from a
clone, not from PyPI)."""
CONNECT_TIMEOUT_S = 30.0
"""Seconds to reach a scheduler and for its first worker to join."""
POLL_S = 0.05
"""Seconds between two looks for finished tasks (and at the cancel token)."""

FleetProgressCallback = Callable[[FleetProgress], None]
"""Receives a `FleetProgress` after each case folder finishes."""


def audit_one(case_folder: str) -> FleetRow:
    """The task: audit one case folder where it is (in a worker process); never raises for
    an expected failure, which becomes the row's typed error."""
    started = datetime.now(timezone.utc)
    worker = _worker_name()
    try:
        return FleetRow.of_report(verify_case(case_folder), worker)
    except WorkbenchError as exc:
        payload = exc.payload
    except OSError as exc:
        payload = payload_from_os_error(exc, case_folder, "audit")
    seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return FleetRow(case_folder=Path(case_folder), ok=False, worker=worker, error=payload,
                    duration_s=round(seconds, 3))


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):  # not inside a Dask worker
        return f"{socket.gethostname()}:{os.getpid()}"


class FleetAudit:
    """A submitted fleet audit: `.futures` (one per case folder, for Dask's own progress
    display) and `.result()`, which waits for them and builds the report."""

    def __init__(self, store: Store, client: Client | None, owns_cluster: bool) -> None:
        """`client` is None only when the store has no case folder (nothing to send)."""
        self.store, self.client, self.owns_cluster = store, client, owns_cluster
        self.started = datetime.now(timezone.utc)
        self.scheduler = str(client.scheduler.address) if client is not None else ""
        self.workers = len(client.scheduler_info().get("workers", {})) if client else 0
        folders = [str(folder) for folder in store.case_folders]
        self.futures: list[Future] = (
            client.map(audit_one, folders, pure=False) if client is not None else [])

    def result(self, *, on_progress: FleetProgressCallback | None = None,
               cancel: CancelToken | None = None) -> FleetReport:
        """Wait for every task; each case folder becomes a row (a dead worker or a task that
        failed a typed one); a cancel makes the case folders it stopped `Cancelled` rows and
        the report's outcome `cancelled`. Closes the cluster if this audit started it."""
        cancel = cancel or CancelToken()
        try:
            rows = self._collect(on_progress, cancel)
        finally:
            self.close()
        rows += [FleetRow(case_folder=folder, ok=False, error=payload)
                 for folder, payload in self.store.unreadable]
        return FleetReport(
            roots=self.store.roots, scheduler=self.scheduler, workers=self.workers,
            rows=sorted(rows, key=lambda row: str(row.case_folder)),
            started=self.started, finished=datetime.now(timezone.utc),
            outcome="cancelled" if any(isinstance(row.error, Cancelled) for row in rows)
            else "completed",
        )

    def _collect(self, on_progress: FleetProgressCallback | None, cancel: CancelToken
                 ) -> list[FleetRow]:
        if self.client is None:
            return []
        folder_of = {future.key: folder for future, folder in
                     zip(self.futures, self.store.case_folders, strict=True)}
        rows: list[FleetRow] = []
        finished = _distributed().as_completed(self.futures, loop=self.client.loop)
        cancelling = False
        while not finished.is_empty():
            if cancel.cancelled and not cancelling:
                cancelling = True  # cancelled tasks come back as `cancelled` futures
                self.client.cancel([f for f in self.futures if f.status == "pending"])
            batch = finished.next_batch(block=False)
            if not batch:
                time.sleep(POLL_S)
            for future in batch:
                row = _row_of(future, folder_of[future.key])
                rows.append(row)
                if on_progress is not None:
                    on_progress(FleetProgress(
                        cases_done=len(rows), cases_total=len(self.futures),
                        failed=sum(not r.ok for r in rows), current=row.case_folder,
                    ))
        return rows

    def close(self) -> None:
        """Release the client (and the local cluster, when this audit started one)."""
        if self.owns_cluster and self.client is not None:
            _release(self.client)


def _release(client: Client) -> None:
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


def _row_of(future: Future, folder: Path) -> FleetRow:
    """A finished future as a row; a task that raised is a typed error, never an exception.

    A result held by a worker that died since is computed again: `result()` waits for it.
    """
    cancelled = FleetRow(case_folder=folder, ok=False,
                         error=Cancelled(detail="the fleet audit was cancelled"))
    if future.status == "cancelled":
        return cancelled
    try:
        row: FleetRow = future.result()
    except CancelledError:
        return cancelled
    except _distributed().scheduler.KilledWorker as exc:
        last = getattr(exc, "last_worker", None)
        return FleetRow(case_folder=folder, ok=False, error=WorkerDied(
            path=str(folder), worker=getattr(last, "address", None),
            detail="its worker process died while auditing it, on every attempt",
        ))
    except Exception as exc:  # a task that raised what `audit_one` does not expect
        return FleetRow(case_folder=folder, ok=False, error=TaskFailed(
            path=str(folder), exception=type(exc).__name__, detail=str(exc)))
    return row


def submit_audit(roots: Sequence[str | os.PathLike[str]], *, client: Any = None,
                 pattern: str | None = None) -> FleetAudit:
    """Find the case folders under `roots` and send one audit task per folder to Dask:
    `client` is a `distributed.Client`, a scheduler address, or None for a `LocalCluster`
    of worker processes sized to this machine."""
    distributed = _distributed()
    store = find_case_folders(roots, pattern)
    if not store.case_folders:
        return FleetAudit(store, None, False)
    connected, owns = _connect(distributed, client)
    try:
        return FleetAudit(store, connected, owns)
    except BaseException:
        if owns:
            _release(connected)
        raise


def _distributed() -> Any:
    """The `distributed` package, or the typed error that says how to install it."""
    try:
        import distributed
        import distributed.scheduler
    except ImportError:
        raise BatchError(MissingDependency(
            feature="the fleet audit", package="dask[distributed]", install=INSTALL,
        )) from None
    return distributed


def _connect(distributed: Any, client: Any) -> tuple[Client, bool]:
    if isinstance(client, distributed.Client):
        return client, False
    if client is None:
        cluster = distributed.LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
            # its HTTP routes (health, metrics) on a free port: another cluster may hold 8787
            scheduler_kwargs={"dashboard_address": ":0"},
        )
        return distributed.Client(cluster, set_as_default=False), True
    if not isinstance(client, str) or not client.strip():
        raise BatchError(ValidationError.of([FieldProblem(
            field="client", message="give a distributed.Client, a scheduler address or None",
        )], actual=type(client).__name__))
    address = client.strip()
    try:
        connected = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise BatchError(SchedulerUnavailable(address=address, detail=str(exc) or
                                              type(exc).__name__)) from None
    try:
        connected.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError):
        connected.close()
        raise BatchError(SchedulerUnavailable(
            address=address, detail=f"no worker joined within {CONNECT_TIMEOUT_S:.0f} s",
        )) from None
    return connected, True
