"""Persistent worker processes for work on untrusted files: a crash or a hang costs one item
and one worker, never the batch (`pool.py`); each worker a fresh interpreter that imports
only its task (`worker.py`). The probe (`media.decode`) and the derived video
(`conversion`) run in them."""

from workbench.media.workers.pool import (
    Crashed,
    Failed,
    Failure,
    Task,
    TimedOut,
    WorkerPool,
    WorkerStartError,
    close_shared_pools,
    shared_pool,
    task_name,
)

__all__ = [
    "Crashed", "Failed", "Failure", "Task", "TimedOut", "WorkerPool", "WorkerStartError",
    "close_shared_pools", "shared_pool", "task_name",
]
