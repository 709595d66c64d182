"""The progress-report import: one row per project and reporting period.

Each row names a project (by code, or by name and region) and a period; it must match
that project's expected report in a reporting cycle (``period_key_parse`` reads the
period). The row's values go through ``report_save`` and, with 提交 = 是,
``report_submit``, so that scope (owners their own projects, admins their region),
validation, the optimistic version, closed cycles, review states and audit rows are
decided where the pages and the API decide them. A report already holding the row's
values is unchanged, so importing the same file twice changes nothing the second time.
An empty cell leaves its field as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.ingest.cells import (
    CellError,
    amount_parse,
    bool_parse,
    choice_parse,
    decimal_parse,
    int_parse,
    text_normalize,
)
from cornerstone.ingest.headers import FieldSpec
from cornerstone.ingest.ledger_reader import References, RowError
from cornerstone.ingest.report_period import PeriodKey, period_key_parse
from cornerstone.ingest.row_import import (
    Convert,
    Row,
    RowsResult,
    free_text,
    project_error,
    project_find,
    row_read,
    rows_run,
    service_errors,
)
from cornerstone.ingest.workbook import Sheet
from cornerstone.progress.choices import CycleStatus, ReportStatus, SiteStatus
from cornerstone.progress.models import ProgressReport
from cornerstone.progress.report_services import NULLABLE, report_save, report_submit
from cornerstone.progress.report_services import REPORT_FIELDS as SERVICE_FIELDS
from cornerstone.projects.models import Project
from cornerstone.projects.queries import projects_visible

# A two-row header may put the funds' sources under one merged 到位资金 cell.
FUNDS_PARENTS = ("本期到位资金", "到位资金", "资金到位情况")
REPORT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "项目代码", ("项目编码", "统一项目代码", "项目编号")),
    FieldSpec("name", "项目名称", ("项目",)),
    FieldSpec("region", "所在区划", ("县区", "区县", "所属县区", "县(市、区)"), kind="region"),
    FieldSpec("schedule", "调度安排", ("调度名称", "调度")),
    FieldSpec(
        "period",
        "填报期次",
        ("期次", "报告期", "填报期间", "所属期间", "统计期间", "填报月份", "月份"),
        required=True,
        kind="period",
    ),
    FieldSpec(
        "investment_this_period",
        "本期完成投资",
        ("本月完成投资", "当期完成投资", "本期完成", "本期投资", "本月完成"),
        kind="amount",
    ),
    FieldSpec("correction_reason", "调减原因", ("调减说明",)),
    FieldSpec(
        "funds_in_place",
        "本期到位资金",
        ("到位资金", "本月到位资金", "资金到位"),
        parents=FUNDS_PARENTS,
        child_synonyms=("合计",),
        kind="amount",
    ),
    FieldSpec(
        "funds_central",
        "中央预算内资金",
        ("中央资金", "中央预算内投资"),
        parents=FUNDS_PARENTS,
        kind="amount",
    ),
    FieldSpec("funds_special_bonds", "专项债券", ("专项债",), parents=FUNDS_PARENTS, kind="amount"),
    FieldSpec(
        "funds_local",
        "地方财政资金",
        ("地方资金", "市县财政资金"),
        parents=FUNDS_PARENTS,
        kind="amount",
    ),
    FieldSpec(
        "funds_market",
        "市场化及自有资金",
        ("自有资金", "企业自筹", "市场化资金"),
        parents=FUNDS_PARENTS,
        kind="amount",
    ),
    FieldSpec("site_status", "开工状态", ("建设状态",), kind="choice"),
    FieldSpec(
        "physical_progress",
        "形象进度",
        ("工程形象进度", "形象进度描述", "项目进展情况", "进展情况"),
    ),
    FieldSpec(
        "percent_complete",
        "完成百分比",
        ("完成比例", "形象进度百分比", "完成进度", "完成进度(%)", "完成百分比(%)"),
        kind="percent",
    ),
    FieldSpec("workforce_expected", "计划用工人数", ("计划用工", "预计用工人数"), kind="int"),
    FieldSpec(
        "workforce_on_site",
        "在岗人数",
        ("在岗人员", "现场用工人数", "实际用工人数", "现场人数"),
        kind="int",
    ),
    FieldSpec("next_period_plan", "下期计划", ("下月计划", "下期工作计划", "下步计划")),
    FieldSpec(
        "coordination_needed",
        "需协调事项",
        ("需协调解决的问题", "需协调解决事项", "存在问题及需协调事项", "协调事项"),
    ),
    FieldSpec("submit", "提交", ("是否提交", "提交审核"), kind="bool"),
)
# The report's own fields, as the service takes them.
VALUE_KEYS = tuple(SERVICE_FIELDS)
IN_REVIEW = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
PERCENT_SUFFIXES = ("%",)


@dataclass
class ReportResult(RowsResult):
    """What the report rows did (or would do); ``submitted`` counts those submitted too."""

    submitted: int = 0


def _convert(refs: References) -> Convert:
    def convert(spec: FieldSpec, raw: object, multiplier: Decimal) -> Any:
        kind = spec.kind
        if kind == "amount":
            return amount_parse(raw, multiplier=multiplier)
        if kind == "percent":
            return decimal_parse(raw, places=2, suffixes=PERCENT_SUFFIXES)
        if kind == "int":
            return int_parse(raw)
        if kind == "bool":
            return bool_parse(raw)
        if kind == "period":
            return period_key_parse(raw)
        if kind == "choice":
            return choice_parse(raw, SiteStatus.choices)
        if kind == "region":
            text = text_normalize(raw)
            return refs.region(text) if text else None
        if spec.key == "code":
            return text_normalize(raw) or None
        return free_text(raw)

    return convert


def _labels(reports: list[ProgressReport]) -> str:
    return "、".join(dict.fromkeys(r.cycle.label for r in reports)) or _("（无）")


def report_match(project: Project, key: PeriodKey, schedule: str | None) -> ProgressReport:
    """The project's expected report of the period (and schedule, where given)."""
    reports = list(
        ProgressReport.objects.filter(project=project)
        .select_related("cycle", "cycle__schedule", "project")
        .order_by("-cycle__period_start", "cycle__schedule_id")
    )
    found = [
        r for r in reports if key.matches(r.cycle.label, r.cycle.period_start, r.cycle.period_end)
    ]
    if schedule:
        found = [r for r in found if r.cycle.schedule.name == schedule]
    if not found:
        open_ones = [r for r in reports if r.cycle.status == CycleStatus.OPEN]
        raise CellError(
            _("该项目没有“%(period)s”的应报报告（该项目正在填报的期次：%(open)s）。")
            % {"period": key, "open": _labels(open_ones)}
        )
    if len(found) > 1:
        open_ones = [r for r in found if r.cycle.status == CycleStatus.OPEN]
        if len(open_ones) == 1:
            return open_ones[0]
        names = "、".join(r.cycle.schedule.name for r in found)
        raise CellError(
            _("该项目在“%(period)s”有多个填报期次（%(names)s），请在“调度安排”列写明是哪一个。")
            % {"period": key, "names": names}
        )
    return found[0]


def _stored(report: ProgressReport, key: str) -> Any:
    value = getattr(report, key)
    return "" if value is None and key not in NULLABLE else value


def report_changes(report: ProgressReport, data: dict[str, Any]) -> dict[str, Any]:
    """The row's values that differ from the report's (what saving the row would change)."""
    given = {key: data[key] for key in VALUE_KEYS if key in data}
    amount = given.get("investment_this_period", report.investment_this_period)
    if amount is not None and amount >= 0:
        # The service keeps a reason only for a lowering: one given beside a rise is moot.
        given.pop("correction_reason", None)
    return {key: value for key, value in given.items() if _stored(report, key) != value}


def _batch_name(report: ProgressReport, actor: User, since: int, batch: str) -> None:
    """Name the import in the audit rows the services just wrote for this report."""
    if not batch:
        return
    suffix = _("（导入%s）") % batch
    events = list(
        AuditEvent.objects.filter(
            pk__gt=since, project_id=report.project_id, actor=actor, source=AuditSource.IMPORT
        )
    )
    for event in events:
        event.summary = (event.summary + suffix)[:300]
    AuditEvent.objects.bulk_update(events, ["summary"])


def _row_save(
    actor: User, report: ProgressReport, row: Row, result: ReportResult, batch: str
) -> None:
    changes = report_changes(report, row.data)
    submit = row.data.get("submit") is True and report.status not in IN_REVIEW
    if not changes and not submit:
        result.unchanged += 1
        return
    since = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    try:
        with transaction.atomic():
            if changes:
                report = report_save(
                    report=report,
                    data=changes,
                    version=report.version,
                    actor=actor,
                    source=AuditSource.IMPORT,
                )
            if submit:
                report = report_submit(
                    report=report, actor=actor, version=report.version, source=AuditSource.IMPORT
                )
            _batch_name(report, actor, since, batch)
    except (ValidationError, PermissionDenied) as exc:
        headers = result.headers
        # A reason asked for where the sheet has no reason column: say it beside the amount.
        reason = headers.get("correction_reason") or headers.get("investment_this_period", "")
        result.errors.extend(
            service_errors(exc, row, headers, "period", {"correction_reason": reason})
        )
        return
    result.updated += 1
    result.submitted += submit


def report_run(
    *,
    actor: User,
    sheet: Sheet,
    commit: bool,
    batch: str = "",
    progress: Callable[[int], None] | None = None,
) -> ReportResult:
    """Save (and submit) every row's report; keep it only if ``commit`` and no errors."""
    convert = _convert(References())
    visible = projects_visible(actor=actor)
    seen: dict[int, int] = {}

    def handle(cells: list[object], number: int, result: RowsResult) -> None:
        assert isinstance(result, ReportResult)
        row, errors = row_read(cells, number, result.match, convert)
        if errors:
            result.errors.extend(errors)
            return
        try:
            project = project_find(row.data, visible)
        except CellError as exc:
            result.errors.append(project_error(row, result.headers, exc.message))
            return
        period = row.data.get("period")
        where, shown = result.headers["period"], row.shown.get("period", "")
        if period is None:
            result.errors.append(RowError(number, where, "", _("请填写填报期次，如2026年10月。")))
            return
        try:
            report = report_match(project, period, row.data.get("schedule"))
        except CellError as exc:
            result.errors.append(RowError(number, where, shown, exc.message))
            return
        if (first := seen.setdefault(report.pk, number)) != number:
            result.errors.append(
                RowError(
                    number,
                    where,
                    shown,
                    _("与第%(row)d行是同一项目同一期次的报告，每份报告只能有一行。")
                    % {"row": first},
                )
            )
            return
        _row_save(actor, report, row, result, batch)

    return rows_run(
        sheet=sheet,
        specs=REPORT_FIELDS,
        result_type=ReportResult,
        handle=handle,
        commit=commit,
        progress=progress,
    )
