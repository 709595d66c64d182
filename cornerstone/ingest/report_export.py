"""A cycle's progress reports as a workbook: the page's filtered, scoped list, streamed.

The first columns are the report import's own headers, so an exported list imports back
unchanged; the review columns after them (status, totals, submission, opinion) are read
only and the import leaves them aside as unrecognised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, BinaryIO

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.xlsx import TableColumn, xlsx_table_write
from cornerstone.geo.queries import regions_visible
from cornerstone.ingest.ledger_export import export_header
from cornerstone.ingest.report_import import REPORT_FIELDS
from cornerstone.progress import queries as progress_queries
from cornerstone.progress.choices import ReportStatus
from cornerstone.progress.filters import CycleReportFilter
from cornerstone.progress.models import ProgressReport, ReportingCycle
from cornerstone.progress.report_amounts import FUND_PARTS

CHUNK = 2000
# The import's columns that an export leaves out: the 提交 flag is an instruction, not data.
SKIPPED = ("submit",)
KINDS = {"amount": "money", "percent": "number", "int": "number"}
WIDE = ("name", "physical_progress", "next_period_plan", "coordination_needed", "schedule")


def _specs() -> list[Any]:
    return [spec for spec in REPORT_FIELDS if spec.key not in SKIPPED]


def _header(key: str, header: str) -> str:
    return _("其中：%s") % header if key in FUND_PARTS else header


def report_columns() -> list[TableColumn]:
    """The import's columns, then the review's."""
    columns = [
        TableColumn(
            _header(spec.key, export_header(spec)),
            KINDS.get(spec.kind, "text"),
            28.0 if spec.key in WIDE else 14.0,
        )
        for spec in _specs()
    ]
    return [
        *columns,
        TableColumn(str(_("状态")), "text", 10.0),
        TableColumn(str(_("本年累计完成投资（万元）")), "money", 16.0),
        TableColumn(str(_("自开工累计完成投资（万元）")), "money", 16.0),
        TableColumn(str(_("首次提交日期")), "date", 12.0),
        TableColumn(str(_("逾期")), "text", 8.0),
        TableColumn(str(_("审核意见")), "text", 28.0),
    ]


def _number(value: Decimal | int | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


def _value(report: ProgressReport, spec: Any) -> Any:
    value = getattr(report, spec.key)
    if spec.kind in KINDS:
        return _number(value)
    return value or None  # empty text is an empty cell


def _status(report: ProgressReport, today: dt.date) -> str:
    if report.status == ReportStatus.DRAFT and report.cycle.deadline < today:
        return str(_("逾期未报"))
    return str(ReportStatus(report.status).label)


def _cells(
    reports: Iterable[ProgressReport], today: dt.date, progress: Callable[[int], None] | None
) -> Iterator[list[Any]]:
    yes, no = str(_("是")), str(_("否"))
    specs = _specs()
    for written, report in enumerate(reports, start=1):
        project = report.project
        known: dict[str, Any] = {
            "code": project.code,
            "name": project.name,
            "region": project.region.full_name,
            "schedule": report.cycle.schedule.name,
            "period": report.cycle.label,
            "site_status": report.get_site_status_display() if report.site_status else None,
        }
        row = [known[s.key] if s.key in known else _value(report, s) for s in specs]
        first = report.first_submitted_at
        row += [
            _status(report, today),
            _number(report.investment_year_to_date),
            _number(report.investment_since_start),
            timezone.localdate(first) if first else None,
            yes if report.is_late else no,
            report.review_opinion or None,
        ]
        yield row
        if progress and written % CHUNK == 0:
            progress(written)


def cycle_reports_filtered(
    *, actor: User | AnonymousUser, cycle: ReportingCycle, params: Mapping[str, Any]
) -> QuerySet[ProgressReport]:
    """The cycle's reports the actor sees, filtered as on the cycle's page (status, region);
    ValidationError for a filter the page would not take."""
    filterset = CycleReportFilter(
        {"status": params.get("status", ""), "region": params.get("region", "")}
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    status, region = filterset.clean_values()
    if region and not regions_visible(actor=actor).filter(code=region).exists():
        raise ValidationError({"region": [_("区划“%s”不存在或不在您的管辖范围内。") % region]})
    return progress_queries.cycle_reports(
        actor=actor, cycle=cycle, status=status, region=region, today=timezone.localdate()
    )


def report_rows_iter(queryset: QuerySet[ProgressReport]) -> Iterable[ProgressReport]:
    """The reports with what the workbook shows joined, read a chunk at a time."""
    return queryset.select_related(
        "project", "project__region", "cycle", "cycle__schedule"
    ).iterator(chunk_size=CHUNK)


def reports_workbook_write(
    *,
    out: BinaryIO,
    reports: Iterable[ProgressReport],
    today: dt.date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the reports; return how many were written."""
    counted = 0

    def counting() -> Iterator[ProgressReport]:
        nonlocal counted
        for report in reports:
            counted += 1
            yield report

    xlsx_table_write(
        out,
        sheet=str(_("进度报告")),
        columns=report_columns(),
        rows=_cells(counting(), today, progress),
        freeze=(1, 2),
    )
    return counted
