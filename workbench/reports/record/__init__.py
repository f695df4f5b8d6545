"""A case folder's whole record read back as one object (case data, custody log, runs,
manifests, ASC MHL history): what the printable report is made from. It only reads."""

from workbench.reports.record.case_record import (
    FAILED_STATUSES,
    CaseRecord,
    FolderInfo,
    LatestRuns,
    ManifestInfo,
    custody_log,
    file_status,
    folders,
    latest_case,
    manifests_of,
    read_case_record,
)

__all__ = [
    "FAILED_STATUSES",
    "CaseRecord",
    "FolderInfo",
    "LatestRuns",
    "ManifestInfo",
    "custody_log",
    "file_status",
    "folders",
    "latest_case",
    "manifests_of",
    "read_case_record",
]
