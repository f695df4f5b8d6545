"""The fleet audit: every case folder of an evidence store audited as one Dask task each
(`dask.distributed`, the optional `[cluster]` extra, imported on first use)."""

from workbench.batch.fleet.commands import audit_cases, submit_audit, write_fleet_report
from workbench.batch.fleet.report import fleet_html
from workbench.batch.fleet.tasks import FleetAudit
from workbench.batch.fleet.types import FleetProgress, FleetReport, FleetRow

__all__ = [
    "FleetAudit",
    "FleetProgress",
    "FleetReport",
    "FleetRow",
    "audit_cases",
    "fleet_html",
    "submit_audit",
    "write_fleet_report",
]
