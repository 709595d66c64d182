"""The import templates (ledger, plans, progress reports): the import's headers, a note on
each column, and dropdowns where a field is a choice.

Dropdown lists live on a hidden 选项 sheet (a validation's inline list is capped at 255
characters). Lists of things the user may also type (regions, industries, periods) only
inform on a value outside the list; fixed choices stop it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xlsxwriter.utility import xl_col_to_name

from cornerstone.accounts.models import User
from cornerstone.core.xlsx import HEADER, XlsxSheet, xlsx_book
from cornerstone.geo.models import Industry, Region
from cornerstone.geo.queries import regions_visible
from cornerstone.ingest.choices import ImportKind
from cornerstone.ingest.headers import FieldSpec
from cornerstone.ingest.ledger_export import export_header, export_specs
from cornerstone.progress import queries as progress_queries
from cornerstone.progress.choices import SiteStatus
from cornerstone.progress.models import ProgressReport
from cornerstone.progress.report_amounts import FUND_PARTS
from cornerstone.projects.models import Project

# Rows the dropdowns cover: far more than a ledger has.
DROPDOWN_ROWS = 5000
NOTES = {
    "amount": gettext_lazy("金额，单位万元；也可写“1.2亿元”。"),
    "date": gettext_lazy("日期，如2024-03-15、2024/3/15、2024年3月。"),
    "region": gettext_lazy("从下拉列表选择，或写区划代码/名称，如“太原市清徐县”。"),
    "industry": gettext_lazy("从下拉列表选择，或写国民经济行业代码/名称。"),
    "choice": gettext_lazy("从下拉列表选择。"),
    "bool": gettext_lazy("填“是”或“否”。"),
    "year": gettext_lazy("年份，如2026。"),
    "int": gettext_lazy("整数（人）。"),
    "percent": gettext_lazy("0—100的数字，如45或45%。"),
}
# What a column of the plan and report templates means, beyond its kind.
FIELD_NOTES = {
    "code": gettext_lazy("填项目代码；没有代码的项目填项目名称和所在区划。"),
    "name": gettext_lazy("没有项目代码时必填，与所在区划一起确定项目。"),
    "annual_amount": gettext_lazy("各月之和须等于年度计划；各月都不填时按施工月份自动分月。"),
    "override_reason": gettext_lazy("年度计划累计超过项目总投资时必填。"),
    "schedule": gettext_lazy("同一项目同一期次有多个调度安排时填写调度安排名称，否则可留空。"),
    "period": gettext_lazy(
        "写期次名称（如2026年11月、2026年11月上半月、2026年第47周）或期间内的日期；"
        "下拉列表是正在填报的期次。"
    ),
    "investment_this_period": gettext_lazy("调减以前期次时填负数，并填写调减原因。"),
    "correction_reason": gettext_lazy("本期完成投资为负数时必填。"),
    "funds_in_place": gettext_lazy("填了各来源时须等于各来源之和；留空则按各来源之和。"),
    "physical_progress": gettext_lazy("提交时必填。"),
    "submit": gettext_lazy("填“是”则导入后提交审核；留空或填“否”只保存。"),
}
BLANK_NOTE = gettext_lazy("留空的格不修改已填的内容。")


@dataclass(frozen=True)
class TemplateColumn:
    """A template column: header, note, the dropdown's values (if any) and whether the
    dropdown refuses other values."""

    header: str
    note: str
    values: Sequence[str] = ()
    strict: bool = True
    width: float = 16.0


def _note(spec: FieldSpec, *, blank_note: bool = False) -> str:
    parts = [str(FIELD_NOTES.get(spec.key, "")), str(NOTES.get(spec.kind, ""))]
    if spec.required:
        parts.insert(0, str(_("必填。")))
    if spec.synonyms:
        parts.append(str(_("也可用表头：%s")) % "、".join(spec.synonyms[:5]))
    if blank_note:
        parts.append(str(BLANK_NOTE))
    return "".join(p for p in parts if p)


def _template_write(
    out: BinaryIO,
    *,
    sheet_name: str,
    columns: Sequence[TemplateColumn],
    rows: Iterable[Sequence[Any]] = (),
) -> None:
    """One sheet of headers with notes and dropdowns, then any rows given (text or numbers)."""
    book = xlsx_book(out)
    sheet = XlsxSheet(book, sheet_name, {})
    lists = book.add_worksheet(_("选项"))
    list_col = 0
    for col, column in enumerate(columns):
        sheet.text(0, col, column.header, HEADER)
        sheet.sheet.write_comment(0, col, column.note, {"x_scale": 2})
        sheet.sheet.set_column(col, col, column.width)
        if not column.values:
            continue
        for row, value in enumerate(column.values):
            lists.write_string(row, list_col, value)
        letter = xl_col_to_name(list_col)
        validation: dict[str, Any] = {
            "validate": "list",
            "source": f"='{lists.name}'!${letter}$1:${letter}${len(column.values)}",
            "error_type": "stop" if column.strict else "information",
        }
        sheet.sheet.data_validation(1, col, DROPDOWN_ROWS, col, validation)
        list_col += 1
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if isinstance(value, Decimal):
                sheet.money(r, c, value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.number(r, c, value)
            else:
                sheet.text(r, c, value)
    sheet.sheet.freeze_panes(1, 2)
    lists.hide()
    book.close()


def _choices(spec: FieldSpec) -> list[str]:
    field = Project._meta.get_field(spec.key)
    assert isinstance(field, models.Field)
    return [str(label) for value, label in field.flatchoices if value != ""]


def _region_names(regions: Iterable[Region]) -> list[str]:
    return [r.full_name for r in regions]


def template_workbook_write(*, out: BinaryIO, regions: Iterable[Region]) -> None:
    """The ledger template; the region list holds the regions the user may import into."""
    lists: dict[str, list[str]] = {
        "region": _region_names(regions),
        "industry": [f"{i.code} {i.name}" for i in Industry.objects.order_by("code")],
    }
    columns = []
    for spec in export_specs():
        values = _choices(spec) if spec.kind == "choice" else lists.get(spec.kind, [])
        columns.append(
            TemplateColumn(
                export_header(spec),
                _note(spec),
                values,
                strict=spec.kind not in ("region", "industry"),
            )
        )
    _template_write(out, sheet_name=_("项目台账"), columns=columns)


def plan_template_write(*, out: BinaryIO, regions: Iterable[Region]) -> None:
    """The plan template: the project, the year, the annual plan and its twelve months."""
    from cornerstone.ingest.plan_import import PLAN_FIELDS

    names = _region_names(regions)
    columns = [
        TemplateColumn(
            export_header(spec),
            _note(spec),
            names if spec.kind == "region" else (),
            strict=False,
            width=24 if spec.key in ("name", "override_reason") else 12,
        )
        for spec in PLAN_FIELDS
    ]
    _template_write(out, sheet_name=_("投资计划"), columns=columns)


def _report_cells(report: ProgressReport, keys: Sequence[str]) -> list[Any]:
    """A pending report as a template row: who and which period, and what is filled in."""
    project = report.project
    known: dict[str, Any] = {
        "code": project.code,
        "name": project.name,
        "region": project.region.full_name,
        "schedule": report.cycle.schedule.name,
        "period": report.cycle.label,
        "site_status": report.get_site_status_display() if report.site_status else None,
        "submit": None,
    }
    return [known[key] if key in known else getattr(report, key, None) for key in keys]


def _report_header(spec: FieldSpec) -> str:
    """The funds' sources read as parts of the total beside them (其中：专项债券)."""
    header = export_header(spec)
    return _("其中：%s") % header if spec.key in FUND_PARTS else header


def report_template_write(
    *, out: BinaryIO, regions: Iterable[Region], reports: Iterable[ProgressReport]
) -> None:
    """The progress-report template, one row per report the user still has to fill in."""
    from cornerstone.ingest.report_import import REPORT_FIELDS

    pending = list(reports)
    lists: dict[str, Sequence[str]] = {
        "region": _region_names(regions),
        "period": list(dict.fromkeys(r.cycle.label for r in pending)),
        "choice": [str(label) for __, label in SiteStatus.choices],
        "bool": [str(_("是")), str(_("否"))],
    }
    wide = ("name", "physical_progress", "next_period_plan", "coordination_needed", "schedule")
    columns = [
        TemplateColumn(
            _report_header(spec),
            _note(spec, blank_note=spec.key not in ("code", "name", "region", "period")),
            lists.get(spec.kind, ()),
            strict=spec.kind in ("choice", "bool"),
            width=28 if spec.key in wide else 14,
        )
        for spec in REPORT_FIELDS
    ]
    keys = [spec.key for spec in REPORT_FIELDS]
    rows = (_report_cells(r, keys) for r in pending[:DROPDOWN_ROWS])
    _template_write(out, sheet_name=str(_("进度报告")), columns=columns, rows=rows)


def template_writer(kind: str, *, actor: User) -> Callable[[BinaryIO], None]:
    """What writes the template of a kind for this user (their regions, their reports)."""
    regions = regions_visible(actor=actor)
    if kind == ImportKind.PLANS:
        return lambda out: plan_template_write(out=out, regions=regions)
    if kind == ImportKind.REPORTS:
        reports = progress_queries.reports_to_fill(actor=actor)
        return lambda out: report_template_write(out=out, regions=regions, reports=reports)
    return lambda out: template_workbook_write(out=out, regions=regions)


def template_name(kind: str) -> str:
    """The file name a template of this kind is downloaded as."""
    names = {
        "ledger": _("项目台账导入模板"),
        "plans": _("投资计划导入模板"),
        "reports": _("进度报告导入模板"),
    }
    return f"{names.get(kind, names['ledger'])}-{timezone.localdate():%Y%m%d}.xlsx"
