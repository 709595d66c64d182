"""Demo reporting: a monthly schedule of 山西省, its cycles of this year, reports and actuals.

Written with ``bulk_create`` like the rest of the demo (a service call per report would
take minutes), keeping the services' rules: an accepted report's amount is its month's
actual, year-to-date and since-start figures follow the rule of ``report_services``,
nothing exceeds a project's total investment. Each project gets a steady pace against its
monthly plan (most near the plan, some lagging), so that warnings have realistic lag.

Funds in place are 80–115% of each reported amount, split over the sources in the shares
of the project's funding mix; they come from a random stream of their own (derived from
the seed), so adding them left every other demo figure as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.geo.models import Region
from cornerstone.plans.models import MonthlyPlan
from cornerstone.progress import periods
from cornerstone.progress.choices import CycleStatus, ReportStatus, SiteStatus
from cornerstone.progress.models import (
    InvestmentActual,
    ProgressReport,
    ReportingCycle,
    ReportingSchedule,
    ReportTransition,
)
from cornerstone.progress.services import schedule_projects
from cornerstone.projects.models import Project

PROVINCE = "140000"
SCHEDULE_NAME = "山西省重点项目月度调度"
CENT = Decimal("0.01")
ZONE = ZoneInfo("Asia/Shanghai")
# A project's pace against its plan: most keep up, some lag (yellow), a few lag badly (red).
PACES = [(Decimal("1.00"), 55), (Decimal("0.85"), 25), (Decimal("0.65"), 12), (Decimal("0.40"), 8)]
PROGRESS_TEXT = [
    "场地平整完成，正在进行基础施工",
    "主体结构施工中，已完成{n}层",
    "主体结构封顶，正在进行二次结构及机电安装",
    "主要设备已进场，正在安装调试",
    "室外配套工程施工中",
]
# The report's sources of funds and the ledger's funding mix they follow, in step.
SOURCES = ("funds_central", "funds_special_bonds", "funds_local", "funds_market")
MIX = ("fund_central", "fund_special_bonds", "fund_local", "fund_market")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _plans(project_ids: list[int], year: int) -> dict[int, list[Decimal]]:
    found: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 12)
    rows = MonthlyPlan.objects.filter(plan__year=year, plan__project_id__in=project_ids)
    for project_id, month, amount in rows.values_list("plan__project_id", "month", "amount"):
        found[project_id][month - 1] = amount
    return found


def _funds_of(amount: Decimal, ceiling: Decimal, rng: random.Random) -> Decimal:
    """Funds in place beside a completed amount: 80–115% of it, never above ``ceiling``."""
    return min(_money(amount * Decimal(rng.randint(80, 115)) / 100), ceiling)


def _funds_split(funds: Decimal, mix: tuple[Decimal, ...]) -> dict[str, Decimal | None]:
    """Share funds over the sources as the funding mix does; the largest takes the rest."""
    planned = sum(mix, Decimal(0))
    if funds <= 0 or planned <= 0:
        return dict.fromkeys(SOURCES)
    largest = SOURCES[mix.index(max(mix))]
    # Rounded down, so what is left for the largest source is never negative.
    parts: dict[str, Decimal | None] = {
        name: (funds * share / planned).quantize(CENT, rounding=ROUND_DOWN) if share > 0 else None
        for name, share in zip(SOURCES, mix, strict=True)
        if name != largest
    }
    parts[largest] = funds - sum((v for v in parts.values() if v is not None), Decimal(0))
    return {name: parts.get(name) for name in SOURCES}


def _previous_year_actuals(
    projects: list[tuple[int, Decimal, Decimal]],
    year: int,
    rng: random.Random,
    funds_rng: random.Random,
) -> list[InvestmentActual]:
    """Last year's months: about half of what was completed before this year, unevenly."""
    rows = []
    weights = [Decimal(w) for w in (3, 4, 8, 9, 10, 10, 10, 10, 10, 10, 9, 7)]
    for project_id, total, before in projects:
        if before <= 0:
            continue
        share = before * Decimal(rng.choice((40, 50, 60))) / 100
        amounts = [_money(share * w / sum(weights)) for w in weights]
        amounts[-1] += share.quantize(CENT) - sum(amounts)
        rows.extend(
            InvestmentActual(
                project_id=project_id,
                year=year,
                month=m,
                amount=a,
                funds_in_place=_funds_of(a, total, funds_rng),
            )
            for m, a in enumerate(amounts, start=1)
            if a > 0
        )
    return rows


def _current_status(rng: random.Random) -> str:
    return rng.choices(
        [ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT],
        weights=[25, 35, 5, 35],
    )[0]


@transaction.atomic
def demo_progress_load(*, today: dt.date, seed: int = 2026) -> int:
    """The province's monthly schedule with this year's cycles; returns the reports written."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    funds_rng = random.Random(f"funds-{seed}")  # noqa: S311 - its own stream, see above
    admin = User.objects.filter(role=Role.ADMIN, region_id=PROVINCE).order_by("id").first()
    if admin is None or not Region.objects.filter(code=PROVINCE).exists():
        return 0
    if ReportingSchedule.objects.filter(region_id=PROVINCE, name=SCHEDULE_NAME).exists():
        return 0  # already loaded
    schedule = ReportingSchedule.objects.create(
        name=SCHEDULE_NAME,
        region_id=PROVINCE,
        frequency=periods.MONTHLY,
        deadline_day=25,
        remind_days_before=3,
        created_by=admin,
    )
    year = today.year
    projects = list(
        schedule_projects(schedule, dt.date(year, 1, 1)).values_list(
            "pk", "total_investment", "completed_before_year"
        )
    )
    ids = [p[0] for p in projects]
    mixes = {
        pk: tuple(v or Decimal(0) for v in mix)
        for pk, *mix in Project.objects.filter(pk__in=ids).values_list("pk", *MIX)
    }
    plans = _plans(ids, year)
    pace = {
        pk: rng.choices([p for p, __ in PACES], weights=[w for __, w in PACES])[0] for pk in ids
    }
    InvestmentActual.objects.bulk_create(
        _previous_year_actuals(projects, year - 1, rng, funds_rng), batch_size=2000
    )

    current = periods.period_containing(periods.MONTHLY, today)
    period = periods.period_containing(periods.MONTHLY, dt.date(year, 1, 1))
    cycles: list[ReportingCycle] = []
    while period.start <= current.start:
        cycles.append(
            ReportingCycle(
                schedule=schedule,
                label=period.label,
                period_start=period.start,
                period_end=period.end,
                deadline=periods.deadline_for(periods.MONTHLY, 25, period),
                status=CycleStatus.OPEN if period == current else CycleStatus.CLOSED,
                opened_by=admin,
                closed_at=None if period == current else _at(period.end, 18),
            )
        )
        period = periods.period_next(periods.MONTHLY, period)
    ReportingCycle.objects.bulk_create(cycles)

    year_to_date: dict[int, Decimal] = defaultdict(Decimal)
    reports: list[ProgressReport] = []
    actuals: list[InvestmentActual] = []
    steps: list[tuple[int, str, str, str, dt.datetime]] = []  # index, from, to, comment, at
    for cycle in cycles:
        month = cycle.period_start.month
        is_current = cycle.status == CycleStatus.OPEN
        for project_id, total, before in projects:
            planned = plans[project_id][month - 1] if project_id in plans else Decimal(0)
            status = _current_status(rng) if is_current else ReportStatus.ACCEPTED
            if not is_current and rng.random() < 0.04:
                status = ReportStatus.DRAFT  # never reported: a missing report
            report = ProgressReport(cycle=cycle, project_id=project_id, status=status)
            reports.append(report)
            if status == ReportStatus.DRAFT:
                continue
            noise = Decimal(rng.randint(85, 115)) / 100
            amount = _money(planned * pace[project_id] * noise)
            room = total - before - year_to_date[project_id]
            amount = max(Decimal(0), min(amount, room))
            late = rng.random() < 0.08
            submitted = _at(
                cycle.deadline
                + dt.timedelta(days=rng.randint(1, 4) if late else -rng.randint(0, 6)),
                10,
            )
            report.investment_this_period = amount
            report.funds_in_place = _funds_of(amount, total, funds_rng)
            for name, part in _funds_split(report.funds_in_place, mixes[project_id]).items():
                setattr(report, name, part)
            report.site_status = SiteStatus.UNDER_WAY
            report.physical_progress = rng.choice(PROGRESS_TEXT).format(n=rng.randint(2, 18))
            report.percent_complete = Decimal(rng.randint(5, 95))
            report.workforce_expected = rng.randint(50, 400)
            report.workforce_on_site = int(report.workforce_expected * rng.uniform(0.6, 1.05))
            report.submitted_by = admin
            report.submitted_at = report.first_submitted_at = submitted
            report.version = 2
            index = len(reports) - 1
            steps.append((index, ReportStatus.DRAFT, ReportStatus.SUBMITTED, "", submitted))
            if status == ReportStatus.ACCEPTED:
                year_to_date[project_id] += amount
                actuals.append(
                    InvestmentActual(
                        project_id=project_id,
                        year=year,
                        month=month,
                        amount=amount,
                        funds_in_place=report.funds_in_place,
                    )
                )
                report.investment_year_to_date = year_to_date[project_id]
                report.investment_since_start = before + year_to_date[project_id]
                report.reviewed_by = admin
                report.reviewed_at = submitted + dt.timedelta(days=1)
                report.version = 3
                steps.append(
                    (index, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, "", report.reviewed_at)
                )
            elif status == ReportStatus.RETURNED:
                report.reviewed_by = admin
                report.reviewed_at = submitted + dt.timedelta(hours=5)
                report.review_opinion = "形象进度描述过简，请补充现场照片"
                report.version = 3
                steps.append(
                    (
                        index,
                        ReportStatus.SUBMITTED,
                        ReportStatus.RETURNED,
                        report.review_opinion,
                        report.reviewed_at,
                    )
                )
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    InvestmentActual.objects.bulk_create(actuals, batch_size=2000)
    transitions = [
        ReportTransition(report=reports[i], from_status=f, to_status=t, comment=c, actor=admin)
        for i, f, t, c, __ in steps
    ]
    ReportTransition.objects.bulk_create(transitions, batch_size=2000)
    # ``at`` is stamped on insert; put each step back on the day it happened, a day at a time.
    by_day: dict[dt.datetime, list[int]] = defaultdict(list)
    for transition, (__, __f, __t, __c, at) in zip(transitions, steps, strict=True):
        by_day[at].append(transition.pk)
    for at, pks in by_day.items():
        for start in range(0, len(pks), 900):
            ReportTransition.objects.filter(pk__in=pks[start : start + 900]).update(at=at)
    return len(reports)
