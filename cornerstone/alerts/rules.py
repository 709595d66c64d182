"""The warning rule engine: facts about one project (or region) in, a light and its reasons out.

Pure: no Django, no database. Money is in 万元 (Decimal); the sentences are Chinese, as
the published rules are, and are stored with the light so that history reads as it did.

Progress is judged against the time-proportional plan (序时进度): the monthly plans
summed up to the period, or the annual plan × elapsed months / 12 where a project has no
monthly plans. ``params`` is the dict shape defined and validated in ``presets``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

GREEN = "green"
YELLOW = "yellow"
RED = "red"
SEVERITY = {GREEN: 0, YELLOW: 1, RED: 2}

# Rule keys: stored in reasons and in justifications.
START = "start"
PROGRESS = "progress"
INCLUSION = "inclusion"
MILESTONE = "milestone"
REPORTS = "reports"
PROBLEMS = "problems"
REGION_TASK = "region_task"
REGION_GROWTH = "region_growth"
PROJECT_RULES = (START, PROGRESS, INCLUSION, MILESTONE, REPORTS, PROBLEMS)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
WAN_PER_YI = Decimal(10000)


# --------------------------------------------------------------------------- formatting


def _trim(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def money_text(value: Decimal) -> str:
    """An amount in 万元 as a Chinese reader writes it: 1,200万元, 1.2亿元."""
    if abs(value) >= WAN_PER_YI:
        return f"{_trim(value / WAN_PER_YI, 2)}亿元"
    return f"{_trim(value, 2)}万元"


def number_text(value: Decimal | float) -> str:
    """A percentage or point figure with at most one decimal: 42, 12.5."""
    return _trim(Decimal(str(value)), 1)


def month_index(year: int, month: int) -> int:
    """Months since year 0, so that month differences are a subtraction."""
    return year * 12 + month - 1


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ProjectFacts:
    """What the rules need to know about one project for one month."""

    year: int
    month: int
    today: dt.date
    annual_plan: Decimal | None = None
    # Twelve monthly plans of the year; empty when the plan has no months.
    monthly_plans: Sequence[Decimal] = ()
    # Twelve months of completed investment of the year (zeros where none was reported).
    actuals: Sequence[Decimal] = ()
    total_investment: Decimal = ZERO
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    included_on: dt.date | None = None  # statistical inclusion (入库) date, None if not
    # (name, target date) of milestones past their date and not achieved.
    overdue_milestones: Sequence[tuple[str, dt.date]] = ()
    # Labels of the most recent past-deadline cycles missed in a row, newest first.
    missed_cycles: Sequence[str] = ()
    # (description, deadline, escalation label) of escalated problems past deadline.
    overdue_problems: Sequence[tuple[str, dt.date, str]] = ()
    # Rule key -> the accepted justification's text, for rules it suppresses this month.
    justified: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RegionFacts:
    """A region's sums for one month: monthly plans and actuals, this year and last."""

    year: int
    month: int
    name: str
    plans: Sequence[Decimal]  # twelve months of this year's plans
    actuals: Sequence[Decimal]  # twelve months of this year's actuals
    last_year: Sequence[Decimal]  # twelve months of last year's actuals
    # The parent region's cumulative growth in percent (the "city average"), if any.
    peer_growth: Decimal | None = None
    justified: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reason:
    """Why a light has its colour: a rule, its colour, a sentence, and a suppression note."""

    rule: str
    colour: str
    text: str
    suppressed: str = ""

    def as_dict(self) -> dict[str, str]:
        """The stored form (JSON)."""
        shown = {"rule": self.rule, "colour": self.colour, "text": self.text}
        if self.suppressed:
            shown["suppressed"] = self.suppressed
        return shown


@dataclass(frozen=True)
class Verdict:
    """A light: the worst colour of the reasons not suppressed, and every reason."""

    colour: str
    reasons: list[Reason]


def worst(colours: Iterable[str]) -> str:
    """The most severe colour; green when there is none."""
    return max(colours, key=SEVERITY.__getitem__, default=GREEN)


def _grade(gap: Decimal, yellow: Any, red: Any) -> str:
    """Red above the red threshold, yellow from the yellow one; gaps of zero or less are green."""
    if gap <= 0:
        return GREEN
    if red is not None and gap > Decimal(str(red)):
        return RED
    if yellow is not None and gap >= Decimal(str(yellow)):
        return YELLOW
    return GREEN


def expected_to_date(
    annual: Decimal | None, monthly: Sequence[Decimal], month: int
) -> Decimal | None:
    """The time-proportional plan (序时进度) up to the end of ``month``."""
    if monthly and any(monthly):
        return sum(monthly[:month], ZERO)
    if annual is None or annual <= 0:
        return None
    return (annual * month / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- project rules


def _start(facts: ProjectFacts, p: Mapping[str, Any]) -> Reason | None:
    planned = facts.planned_start
    if planned is None:
        return None
    if facts.actual_start is not None and facts.actual_start <= facts.today:
        return None
    late = month_index(facts.year, facts.month) - month_index(planned.year, planned.month)
    if late < 1:
        return None
    colour = RED if late >= p["red_months"] else YELLOW
    text = f"计划{planned.year}年{planned.month}月开工，已逾期{late}个月未开工"
    return Reason(START, colour, text)


def _progress(facts: ProjectFacts, p: Mapping[str, Any]) -> Reason | None:
    annual = facts.annual_plan
    if annual is None or annual <= 0 or annual < Decimal(str(p.get("min_annual", 0))):
        return None
    m = facts.month
    actuals = list(facts.actuals) or [ZERO] * 12
    done = sum(actuals[:m], ZERO)
    expected = expected_to_date(annual, facts.monthly_plans, m)
    if expected is None:
        return None
    measure = p["measure"]
    if measure == "month":
        return _progress_month(facts, p, actuals, done, expected)
    head = f"截至{m}月底完成投资{money_text(done)}"
    if measure == "points":
        gap = (expected - done) * HUNDRED / annual
        colour = _grade(gap, p["yellow"], p["red"])
        if gap > 0:
            return Reason(PROGRESS, colour, f"{head}，低于序时进度{number_text(gap)}个百分点")
        return Reason(PROGRESS, GREEN, f"{head}，达到序时进度")
    # shortfall: how far below the time-proportional plan, in percent of it
    if expected <= 0:
        return Reason(PROGRESS, GREEN, f"{head}，序时进度计划为0")
    gap = (expected - done) * HUNDRED / expected
    colour = _grade(gap, p["yellow"], p["red"])
    ratio = done * HUNDRED / expected
    if gap > 0:
        return Reason(
            PROGRESS,
            colour,
            f"{head}，为序时进度{money_text(expected)}的{number_text(ratio)}%，"
            f"低于序时进度{number_text(gap)}%",
        )
    return Reason(PROGRESS, GREEN, f"{head}，达到序时进度{money_text(expected)}")


def _progress_month(
    facts: ProjectFacts,
    p: Mapping[str, Any],
    actuals: list[Decimal],
    done: Decimal,
    expected: Decimal,
) -> Reason | None:
    """The month's task (月度任务): its shortfall, and optionally whether a gap was made up."""
    m = facts.month
    plans = list(facts.monthly_plans)
    if not plans or not any(plans):
        annual = facts.annual_plan or ZERO
        plans = [annual / 12] * 12
    task, did = plans[m - 1], actuals[m - 1]
    gap = (task - did) * HUNDRED / task if task > 0 else ZERO
    colour = _grade(gap, p["yellow"], p["red"])
    if p.get("made_up"):
        missed = [i + 1 for i in range(m) if plans[i] > 0 and actuals[i] < plans[i]]
        if missed and done >= expected:
            months = "、".join(f"{i}月" for i in missed)
            return Reason(
                PROGRESS,
                YELLOW,
                f"{months}月度任务未完成，截至{m}月底累计完成{money_text(done)}，已补齐序时进度",
            )
        if missed and colour == GREEN and done < expected:
            colour = RED if p["red"] is not None else YELLOW
            months = "、".join(f"{i}月" for i in missed)
            return Reason(
                PROGRESS,
                colour,
                f"{months}月度任务未完成，截至{m}月底累计完成{money_text(done)}，"
                f"低于序时进度{money_text(expected - done)}",
            )
    if task <= 0:
        return None
    text = f"{m}月计划投资{money_text(task)}，完成{money_text(did)}"
    if gap > 0:
        return Reason(
            PROGRESS, colour, f"{text}，完成月度任务的{number_text(did * HUNDRED / task)}%"
        )
    return Reason(PROGRESS, GREEN, f"{text}，完成月度任务")


def _inclusion(facts: ProjectFacts, p: Mapping[str, Any]) -> Reason | None:
    start = facts.actual_start
    if start is None or start > facts.today:
        return None
    if facts.total_investment < Decimal(str(p.get("min_total", 0))):
        return None
    period = month_index(facts.year, facts.month)
    if (
        facts.included_on is not None
        and month_index(facts.included_on.year, facts.included_on.month) <= period
    ):
        return None
    since = period - month_index(start.year, start.month)
    if since < p["yellow_months"]:
        return None
    colour = RED if since >= p["red_months"] else YELLOW
    return Reason(
        INCLUSION, colour, f"{start.year}年{start.month}月开工，开工已{since}个月未入库纳统"
    )


def _milestones(facts: ProjectFacts, p: Mapping[str, Any]) -> Reason | None:
    if not facts.overdue_milestones:
        return None
    name, target = min(facts.overdue_milestones, key=lambda m: m[1])
    days = (facts.today - target).days
    colour = RED if days > p["red_days"] else YELLOW
    more = len(facts.overdue_milestones) - 1
    text = f"节点“{name}”目标日期{target.isoformat()}，已逾期{days}天未完成"
    if more:
        text += f"（另有{more}个节点逾期）"
    return Reason(MILESTONE, colour, text)


def _reports(facts: ProjectFacts, p: Mapping[str, Any]) -> Reason | None:
    missed = len(facts.missed_cycles)
    if missed < p["yellow_cycles"]:
        return None
    colour = RED if missed >= p["red_cycles"] else YELLOW
    labels = "、".join(reversed(facts.missed_cycles))
    return Reason(REPORTS, colour, f"连续{missed}期未按时报送进度（{labels}）")


def _problems(facts: ProjectFacts, p: Mapping[str, Any]) -> Reason | None:
    if not facts.overdue_problems:
        return None
    text, deadline, level = min(facts.overdue_problems, key=lambda x: x[1])
    more = len(facts.overdue_problems) - 1
    sentence = f"{level}问题“{text[:40]}”已超过办结时限（{deadline.isoformat()}）"
    if more:
        sentence += f"（另有{more}个督办问题超期）"
    return Reason(PROBLEMS, RED, sentence)


_PROJECT_CHECKS = {
    START: _start,
    PROGRESS: _progress,
    INCLUSION: _inclusion,
    MILESTONE: _milestones,
    REPORTS: _reports,
    PROBLEMS: _problems,
}


def _verdict(reasons: list[Reason], justified: Mapping[str, str]) -> Verdict:
    """Suppress justified non-green reasons with a note; colour from what is left."""
    shown = []
    for reason in reasons:
        note = justified.get(reason.rule)
        if note is not None and reason.colour != GREEN:
            reason = Reason(reason.rule, reason.colour, reason.text, f"已认可情况说明：{note}")
        shown.append(reason)
    colour = worst(r.colour for r in shown if not r.suppressed)
    return Verdict(colour, shown)


def project_light(facts: ProjectFacts, params: Mapping[str, Any]) -> Verdict:
    """Evaluate every enabled rule of ``params`` on one project's facts."""
    reasons = []
    for key, check in _PROJECT_CHECKS.items():
        rule = params.get(key)
        if not rule or not rule.get("enabled"):
            continue
        reason = check(facts, rule)
        if reason is not None:
            reasons.append(reason)
    return _verdict(reasons, facts.justified)


# --------------------------------------------------------------------------- region rules


def growth_percent(this_year: Decimal, last_year: Decimal) -> Decimal | None:
    """Year-on-year growth in percent; None when last year had nothing to grow from."""
    if last_year <= 0:
        return None
    return (this_year - last_year) * HUNDRED / last_year


def _region_task(facts: RegionFacts, p: Mapping[str, Any]) -> Reason | None:
    m = facts.month
    task, did = facts.plans[m - 1], facts.actuals[m - 1]
    if task <= 0:
        return None
    run = 0
    for i in range(m - 1, -1, -1):
        if facts.plans[i] > 0 and facts.actuals[i] < facts.plans[i]:
            run += 1
        else:
            break
    head = f"{m}月投资任务{money_text(task)}，完成{money_text(did)}"
    if run == 0:
        return Reason(REGION_TASK, GREEN, f"{head}，完成月度任务")
    colour = RED if run >= p["red_months"] else YELLOW
    tail = f"，连续{run}个月未完成月度任务" if run > 1 else "，未完成月度任务"
    return Reason(REGION_TASK, colour, head + tail)


def _region_growth(facts: RegionFacts, p: Mapping[str, Any]) -> Reason | None:
    m = facts.month
    done = sum(facts.actuals[:m], ZERO)
    before = sum(facts.last_year[:m], ZERO)
    planned = sum(facts.plans[:m], ZERO)
    growth = growth_percent(done, before)
    if growth is None:
        return None
    head = f"1—{m}月累计完成投资{money_text(done)}，同比{'增长' if growth >= 0 else '下降'}"
    head += f"{number_text(abs(growth))}%"
    if growth < 0:
        return Reason(REGION_GROWTH, RED, head + "，负增长")
    short = []
    if done < planned:
        short.append(f"低于计划{money_text(planned)}")
    if facts.peer_growth is not None and growth < facts.peer_growth:
        short.append(f"低于平均增速{number_text(facts.peer_growth)}%")
    if short:
        return Reason(REGION_GROWTH, YELLOW, head + "，" + "、".join(short))
    return Reason(REGION_GROWTH, GREEN, head + "，达到计划和平均水平")


def region_light(facts: RegionFacts, params: Mapping[str, Any]) -> Verdict | None:
    """Evaluate the region rule of ``params``; None when the rule set has none."""
    rule = params.get("region") or {}
    mode = rule.get("mode", "none")
    if mode == "monthly_task":
        reason = _region_task(facts, rule)
    elif mode == "growth":
        reason = _region_growth(facts, rule)
    else:
        return None
    return _verdict([reason] if reason else [], facts.justified)
