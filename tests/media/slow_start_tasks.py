"""A worker-pool task whose module takes long to import (a worker that is slow to start)."""

from __future__ import annotations

import time

time.sleep(30)


def echo(item: str) -> str:
    """`item`, unchanged."""
    return item
