"""The plan import: one row per project and year, with the annual figure and its months.

Each row goes through the plans service itself, with its validation, its cap on the
total and its audit row; ``row_import`` runs the rows in one transaction, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditSource
from cornerstone.ingest.cells import CellError, amount_parse, text_normalize, year_parse
from cornerstone.ingest.headers import FieldSpec
from cornerstone.ingest.ledger_reader import References
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
from cornerstone.plans.choices import SplitMethod
from cornerstone.plans.models import MONTHS, InvestmentPlan
from cornerstone.plans.services import investment_plan_save
from cornerstone.projects.models import Project
from cornerstone.projects.queries import projects_visible

PLAN_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "项目代码", ("项目编码", "统一项目代码", "项目编号")),
    FieldSpec("name", "项目名称", ("项目",)),
    FieldSpec("region", "所在区划", ("县区", "区县", "所属县区", "县(市、区)"), kind="region"),
    FieldSpec("year", "年度", ("计划年度", "年份"), required=True, kind="year"),
    FieldSpec(
        "annual_amount",
        "年度计划投资",
        ("年度计划", "年度投资计划", "本年计划投资", "计划投资"),
        required=True,
        kind="amount",
    ),
    *(FieldSpec(f"month_{m}", f"{m}月", (f"{m}月份", f"{m}月计划"), kind="amount") for m in MONTHS),
    FieldSpec("override_reason", "超出总投资的理由", ("超总投资理由",)),
)


class PlanResult(RowsResult):
    """What the plan rows did (or, in a dry run, would do)."""


def _months_of(plan: InvestmentPlan | None) -> tuple[Decimal, list[Decimal]] | None:
    if plan is None:
        return None
    return plan.annual_amount, [m.amount for m in plan.months.order_by("month")]


def _convert(refs: References) -> Convert:
    def convert(spec: FieldSpec, raw: object, multiplier: Decimal) -> Any:
        if spec.kind == "amount":
            return amount_parse(raw, multiplier=multiplier)
        if spec.kind == "year":
            return year_parse(raw)
        if spec.kind == "region":
            text = text_normalize(raw)
            return refs.region(text) if text else None
        if spec.key == "code":
            return text_normalize(raw) or None
        return free_text(raw)

    return convert


def plan_run(
    *,
    actor: User,
    sheet: Sheet,
    commit: bool,
    batch: str = "",
    progress: Callable[[int], None] | None = None,
) -> PlanResult:
    """Save every row's plan through the service; keep it only if ``commit`` and no errors."""
    convert = _convert(References())
    visible = projects_visible(actor=actor)

    def handle(cells: list[object], number: int, result: RowsResult) -> None:
        assert isinstance(result, PlanResult)
        row, errors = row_read(cells, number, result.match, convert)
        if errors:
            result.errors.extend(errors)
            return
        try:
            project = project_find(row.data, visible)
        except CellError as exc:
            result.errors.append(project_error(row, result.headers, exc.message))
            return
        _row_save(actor, project, row, result, batch)

    return rows_run(
        sheet=sheet,
        specs=PLAN_FIELDS,
        result_type=PlanResult,
        handle=handle,
        commit=commit,
        progress=progress,
        progress_every=200,
    )


def _row_save(actor: User, project: Project, row: Row, result: PlanResult, batch: str) -> None:
    data, headers = row.data, result.headers
    months = [data.get(f"month_{m}") for m in MONTHS]
    given = any(m is not None for m in months)
    before = _months_of(InvestmentPlan.objects.filter(project=project, year=data["year"]).first())
    try:
        with transaction.atomic():
            plan = investment_plan_save(
                actor=actor,
                project=project,
                year=data["year"],
                annual_amount=data.get("annual_amount"),
                months=[m if m is not None else Decimal(0) for m in months] if given else None,
                split_method=SplitMethod.MANUAL if given else SplitMethod.WEIGHTED,
                override_reason=data.get("override_reason", ""),
                source=AuditSource.IMPORT,
                batch=batch,
            )
    except (ValidationError, PermissionDenied) as exc:
        months_header = "、".join(headers[f"month_{m}"] for m in MONTHS if f"month_{m}" in headers)
        result.errors.extend(
            service_errors(exc, row, headers, "annual_amount", {"months": months_header})
        )
        return
    after = _months_of(plan)
    if before is None:
        result.created += 1
    elif before != after:
        result.updated += 1
    else:
        result.unchanged += 1
