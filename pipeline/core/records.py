"""A returned file's record: what became of each file found in a month's folder.

Intake makes them, the checks fill in their row counts, the ledger stores them, and the reports
and the year end read them back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ACCEPTED = "accepted"
SUPERSEDED = "superseded"
REJECTED = "rejected"
SKIPPED = "skipped"
FATES = (ACCEPTED, SUPERSEDED, REJECTED, SKIPPED)


@dataclass
class FileRecord:
    """One file found in the month's folder and what became of it.

    Attributes:
        path: path relative to the month's folder, with forward slashes.
        sha256: hex digest of the file's bytes.
        size: bytes.
        modified: modification time (POSIX seconds).
        fate: one of FATES.
        reason: Chinese, why the file was superseded, rejected or skipped ('' when accepted).
        unit_code, unit_name: the unit the form belongs to ('' when not identified).
        month: 报送月份 as read from the header ('' when missing).
        fill_date: 填报日期 from the header, when it could be parsed.
        header: the header block as read (label -> text), e.g. 信息员, 联系电话, 单位负责人.
        template_version: the form template's stamp ('' when absent).
        rows_read: data rows found in the file's table (stub and blank rows excluded).
        rows_accepted, rows_rejected: filled in by the checks; for files not accepted all rows read
            are rejected.
    """

    path: str
    sha256: str
    size: int
    modified: float
    fate: str = ACCEPTED
    reason: str = ""
    unit_code: str = ""
    unit_name: str = ""
    month: str = ""
    fill_date: dt.date | None = None
    header: dict[str, str] = field(default_factory=dict)
    template_version: str = ""
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
