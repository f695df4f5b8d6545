"""The panels for many cases: a batch of intakes, and the fleet audit of the evidence store."""

from workbench.ui.batch.batch_panel import BatchPanel
from workbench.ui.batch.fleet_panel import FleetPanel

__all__ = ["BatchPanel", "FleetPanel"]
