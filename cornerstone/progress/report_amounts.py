"""Reading a report's money as typed: the period's investment and the funds in place.

Both accept 万元 with commas and a 万 / 亿 unit (``parse_wan``) and refuse more than two
decimal places. The investment may be negative (a correction with a reason); funds in
place never are. Funds are a total (本期到位资金) and optionally its four sources, the
same as the ledger's funding mix: the parts given must add up to the total, and a blank
total with parts given becomes their sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cornerstone.core.money import format_wan, parse_wan
from cornerstone.progress import periods
from cornerstone.progress.models import FUND_SOURCES, InvestmentActual, ProgressReport

FUND_PARTS = tuple(FUND_SOURCES)
FUND_FIELDS = ("funds_in_place", *FUND_PARTS)
FUND_LABELS = {"funds_in_place": gettext_lazy("本期到位资金"), **FUND_SOURCES}
CENT = Decimal("0.01")


def year_to_date(project_id: int, year: int, month: int) -> Decimal:
    """The project's accepted actuals of a year through a month."""
    total = InvestmentActual.objects.filter(
        project_id=project_id, year=year, month__lte=month
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def _too_precise(raw: Any) -> bool:
    try:
        exact = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        return False  # not a plain number: parse_wan judges it
    return exact.is_finite() and exact != exact.quantize(CENT)


def amount_read(report: ProgressReport, raw: Any, reason: str, errors: dict[str, list[str]]) -> Any:
    """The period amount as a Decimal (or the raw value, for the field's own message)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if _too_precise(raw):
        errors["investment_this_period"] = [_("本期完成投资最多保留两位小数。")]
        return None
    try:
        amount = parse_wan(raw)
    except ValueError:
        errors["investment_this_period"] = [_("本期完成投资“%s”不是有效的金额。") % raw]
        return None
    if amount is None:
        return None
    project = report.project
    if amount > project.total_investment:
        errors["investment_this_period"] = [
            _("本期完成投资%(amount)s超过项目总投资%(total)s，请核对单位（万元）。")
            % {"amount": format_wan(amount), "total": format_wan(project.total_investment)}
        ]
    elif amount < 0:
        if not reason.strip():
            errors["correction_reason"] = [
                _("本期完成投资为负数（调减以前期次），请填写调减原因。")
            ]
        year, month = periods.month_of(report.cycle.period_end)
        so_far = year_to_date(project.pk, year, month)
        if so_far + amount < 0:
            errors["investment_this_period"] = [
                _("调减%(amount)s超过本年已确认的累计完成投资%(done)s。")
                % {"amount": format_wan(-amount), "done": format_wan(so_far)}
            ]
    return amount


def _fund_read(name: str, raw: Any, errors: dict[str, list[str]]) -> Decimal | None:
    label = FUND_LABELS[name]
    if _too_precise(raw):
        errors[name] = [_("%s最多保留两位小数。") % label]
        return None
    try:
        value = parse_wan(raw)
    except ValueError:
        errors[name] = [_("%(field)s“%(value)s”不是有效的金额。") % {"field": label, "value": raw}]
        return None
    if value is not None and value < 0:
        errors[name] = [
            _("%s不能为负数：到位资金只填本期实际到位的金额，没有请填 0 或留空。") % label
        ]
        return None
    return value


def funds_read(
    report: ProgressReport, values: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Decimal | None]:
    """The funds fields among ``values`` parsed and checked, the total filled from its parts."""
    found = {name: _fund_read(name, values[name], errors) for name in FUND_FIELDS if name in values}
    if not found or any(name in errors for name in FUND_FIELDS):
        return found
    # The rule holds for the report as it will be saved: sent values over stored ones.
    after: dict[str, Decimal | None] = {
        name: found[name] if name in found else getattr(report, name) for name in FUND_FIELDS
    }
    parts = [value for name in FUND_PARTS if (value := after[name]) is not None]
    total = after["funds_in_place"]
    if parts:
        summed = sum(parts, Decimal(0))
        if total is None:
            found["funds_in_place"] = total = summed
        elif total != summed:
            errors["funds_in_place"] = [
                _("本期到位资金%(total)s与各来源之和%(sum)s不一致，请核对。")
                % {"total": format_wan(total), "sum": format_wan(summed)}
            ]
            return found
    if total is not None and total > report.project.total_investment:
        errors["funds_in_place"] = [
            _("本期到位资金%(amount)s超过项目总投资%(total)s，请核对单位（万元）。")
            % {"amount": format_wan(total), "total": format_wan(report.project.total_investment)}
        ]
    return found
