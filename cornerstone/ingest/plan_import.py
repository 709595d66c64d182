"""The plan import: one row per project and year, with the annual figure and its months.

Plans are few beside projects (one row per project-year), so each row goes through the
plans service itself, with its validation, its cap on the total and its audit row. All
rows run in one transaction; a dry run, or any error, rolls the whole of it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditSource
from cornerstone.ingest.cells import CellError, amount_parse, text_normalize, year_parse
from cornerstone.ingest.headers import FieldSpec, HeaderMatch, header_locate
from cornerstone.ingest.ledger_import import References, RowError
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
HEADER_SCAN_ROWS = 10


@dataclass
class PlanResult:
    """What the plan rows did (or, in a dry run, would do)."""

    match: HeaderMatch
    total_rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Rollback(Exception):
    """Leave the transaction without writing: a dry run, or a run with errors."""


def _months_of(plan: InvestmentPlan | None) -> tuple[Decimal, list[Decimal]] | None:
    if plan is None:
        return None
    return plan.annual_amount, [m.amount for m in plan.months.order_by("month")]


def _project(data: dict[str, Any], visible: QuerySet[Project]) -> Project:
    """The visible project a row names, by code or by name and region."""
    if data.get("code"):
        found = list(visible.filter(code=data["code"]))
    elif data.get("name") and data.get("region"):
        found = list(visible.filter(name=data["name"], region_id=data["region"]))
    else:
        raise CellError(_("请填写项目代码，或项目名称加所在区划。"))
    if len(found) != 1:
        raise CellError(_("在您的管辖范围内找不到这个项目。"))
    return found[0]


def plan_run(
    *,
    actor: User,
    sheet: Sheet,
    commit: bool,
    batch: str = "",
    progress: Callable[[int], None] | None = None,
) -> PlanResult:
    """Save every row's plan through the service; keep it only if ``commit`` and no errors."""
    rows: Iterator[list[object]] = iter(sheet.rows)
    head = list(islice(rows, HEADER_SCAN_ROWS))
    match = header_locate(head, PLAN_FIELDS)
    headers = {c.spec.key: c.header for c in match.columns}
    result = PlanResult(match=match, total_rows=max(0, sheet.total_rows - match.data_start))
    refs = References()
    visible = projects_visible(actor=actor)
    try:
        with transaction.atomic():
            for offset, cells in enumerate(chain(head[match.data_start :], rows)):
                number = match.data_start + offset + 1
                if all(text_normalize(c) == "" for c in cells):
                    continue
                _row_save(actor, cells, number, match, headers, refs, visible, result, batch)
                if progress and offset % 200 == 0:
                    progress(offset)
            if result.errors or not commit:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _row_save(
    actor: User,
    cells: list[object],
    number: int,
    match: HeaderMatch,
    headers: dict[str, str],
    refs: References,
    visible: QuerySet[Project],
    result: PlanResult,
    batch: str,
) -> None:
    data: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in sorted(match.columns, key=lambda c: c.spec.kind != "region"):
        raw = cells[column.index] if column.index < len(cells) else ""
        try:
            if column.spec.kind == "amount":
                value: Any = amount_parse(raw, multiplier=column.multiplier)
            elif column.spec.kind == "year":
                value = year_parse(raw)
            elif column.spec.kind == "region":
                text = text_normalize(raw)
                value = refs.region(text) if text else None
            else:
                value = text_normalize(raw) or None
        except CellError as exc:
            errors.append(RowError(number, column.header, text_normalize(raw), exc.message))
            continue
        if value is not None:
            data[column.spec.key] = value
    project = None
    if not errors:
        try:
            project = _project(data, visible)
        except CellError as exc:
            where = headers.get("code") or headers.get("name", "")
            shown = str(data.get("code") or data.get("name", ""))
            errors.append(RowError(number, where, shown, exc.message))
    if errors or project is None:
        result.errors.extend(errors)
        return
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
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            where = headers.get(name) or headers.get("annual_amount", "")
            if name == "months":
                where = "、".join(headers[f"month_{m}"] for m in MONTHS if f"month_{m}" in headers)
            result.errors.append(RowError(number, where, "", " ".join(messages)))
        return
    after = _months_of(plan)
    if before is None:
        result.created += 1
    elif before != after:
        result.updated += 1
    else:
        result.unchanged += 1
