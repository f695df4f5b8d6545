"""Many cases: batch intake from a table of cases (resumable from its journal), and the
fleet audit of a whole evidence store on Dask (`batch.fleet`)."""

from workbench.batch.commands import check_batch, run_batch
from workbench.batch.fleet import (
    FleetAudit,
    FleetProgress,
    FleetReport,
    FleetRow,
    audit_cases,
    fleet_html,
    submit_audit,
    write_fleet_report,
)
from workbench.batch.table import COLUMNS as BATCH_COLUMNS
from workbench.batch.types import BatchCheck, BatchJob, BatchProgress, BatchReport, BatchRow

__all__ = [
    "BATCH_COLUMNS",
    "BatchCheck",
    "BatchJob",
    "BatchProgress",
    "BatchReport",
    "BatchRow",
    "FleetAudit",
    "FleetProgress",
    "FleetReport",
    "FleetRow",
    "audit_cases",
    "check_batch",
    "fleet_html",
    "run_batch",
    "submit_audit",
    "write_fleet_report",
]
