"""Recomputing the month's lights in bulk: a few aggregate reads per chunk, one upsert.

No ORM object is built per project: each chunk of projects (by id range) is read with
``values_list`` from plans, actuals, milestones, problems, reports and justifications,
turned into ``rules.ProjectFacts``, judged, and written with one ``bulk_create`` that
updates the month's row in place (supervision orders point at it).

A project gets the rule set of its nearest region (county, city, province) — at each
level one for its tier first, then one for all tiers. A project under no rule set gets
no light; a row of this month left from an earlier rule set is removed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from cornerstone.alerts import rules
from cornerstone.alerts.choices import JustificationStatus
from cornerstone.alerts.models import Justification, ProjectLight, RegionLight, RuleSet
from cornerstone.geo.codes import ancestors_of, in_subtree, subtree_bounds
from cornerstone.geo.models import Region
from cornerstone.plans.models import InvestmentPlan, Milestone, MonthlyPlan
from cornerstone.problems.choices import EscalationLevel, ProblemStatus
from cornerstone.problems.models import Problem
from cornerstone.progress.choices import ReportStatus
from cornerstone.progress.models import InvestmentActual, ProgressReport, ReportingCycle
from cornerstone.projects.choices import StatsInclusion
from cornerstone.projects.models import Project, ProjectStep

CHUNK = 5000
ZERO = Decimal(0)
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
CLOSED_PROBLEMS = (ProblemStatus.RESOLVED, ProblemStatus.VERIFIED)
LEVEL_LABELS = {
    EscalationLevel.CITY.value: "市级督办",
    EscalationLevel.PROVINCE.value: "省级督办",
}


@dataclass(frozen=True)
class RuleSets:
    """Active rule sets by (region, tier); tier "" applies to every tier."""

    by_scope: dict[tuple[str, str], tuple[int, dict[str, Any]]]

    @classmethod
    def load(cls) -> RuleSets:
        rows = RuleSet.objects.filter(active=True).values_list("id", "region_id", "tier", "params")
        return cls({(region, tier): (pk, params) for pk, region, tier, params in rows})

    def for_project(self, region: str, tier: str) -> tuple[int, dict[str, Any]] | None:
        """The nearest region's rule set, its tier's before its all-tier one."""
        for code in ancestors_of(region):
            found = self.by_scope.get((code, tier)) or self.by_scope.get((code, ""))
            if found:
                return found
        return None

    def for_region(self, region: str) -> tuple[int, dict[str, Any]] | None:
        """The nearest all-tier rule set of a region or its ancestors."""
        for code in ancestors_of(region):
            found = self.by_scope.get((code, ""))
            if found:
                return found
        return None


def _twelve(rows: Iterable[tuple[int, int, Decimal]]) -> dict[int, list[Decimal]]:
    months: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
    for key, month, amount in rows:
        months[key][month - 1] += amount
    return months


@dataclass
class _Cycles:
    """Past-deadline cycles per active schedule, newest first, with their scope."""

    schedules: list[tuple[str, str, str, list[tuple[int, str, dt.date]]]]

    @classmethod
    def load(cls, today: dt.date, depth: int) -> _Cycles:
        by_schedule: dict[int, list[tuple[int, str, dt.date]]] = defaultdict(list)
        scope: dict[int, tuple[str, str, str]] = {}
        rows = (
            ReportingCycle.objects.filter(deadline__lt=today, schedule__active=True)
            .order_by("schedule_id", "-deadline")
            .values_list(
                "id",
                "schedule_id",
                "label",
                "period_end",
                "schedule__region_id",
                "schedule__tier",
                "schedule__category",
            )
        )
        for pk, schedule, label, period_end, region, tier, category in rows:
            if len(by_schedule[schedule]) < depth:
                by_schedule[schedule].append((pk, label, period_end))
                scope[schedule] = (region, tier, category)
        return cls([(*scope[s], cycles) for s, cycles in by_schedule.items()])

    def cycle_ids(self) -> list[int]:
        return [pk for *__, cycles in self.schedules for pk, __label, __end in cycles]

    def expected(
        self, region: str, tier: str, category: str, since: dt.date
    ) -> list[tuple[int, str, dt.date]]:
        """Cycles that expected a report of such a project, newest first."""
        found: list[tuple[int, str, dt.date]] = []
        for root, s_tier, s_category, cycles in self.schedules:
            if (s_tier and s_tier != tier) or (s_category and s_category != category):
                continue
            if not in_subtree(region, root):
                continue
            found.extend(c for c in cycles if c[2] >= since)
        found.sort(key=lambda c: c[2], reverse=True)
        return found


@dataclass(frozen=True)
class Chunk:
    """A set of projects: listed ids, or an id range (a full run reads by range)."""

    ids: Sequence[int] | None = None
    low: int = 0
    high: int = 0

    def q(self, field: str = "project_id") -> Q:
        """The chunk as a filter on ``field`` (a project id path)."""
        if self.ids is not None:
            return Q(**{f"{field}__in": self.ids})
        return Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})


def _chunks(project_ids: Sequence[int] | None) -> Iterable[Chunk]:
    if project_ids is not None:
        ids = sorted(set(project_ids))
        for i in range(0, len(ids), CHUNK):
            yield Chunk(ids=ids[i : i + CHUNK])
        return
    last = 0
    while True:
        ids = list(
            Project.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:CHUNK]
        )
        if not ids:
            return
        yield Chunk(low=ids[0], high=ids[-1])
        last = ids[-1]


def _project_chunk(
    chunk: Chunk,
    *,
    year: int,
    month: int,
    today: dt.date,
    rule_sets: RuleSets,
    cycles: _Cycles,
    now: dt.datetime,
) -> tuple[list[ProjectLight], list[int], set[str]]:
    """Judge one chunk; returns the light rows, the projects with no rule set, their regions."""
    projects = list(
        Project.objects.filter(chunk.q("id")).values_list(
            "id",
            "region_id",
            "tier",
            "category",
            "total_investment",
            "planned_start_date",
            "actual_start_date",
            "stats_inclusion",
            "stats_inclusion_date",
            "created_at",
        )
    )
    annual = dict(
        InvestmentPlan.objects.filter(chunk.q(), year=year).values_list(
            "project_id", "annual_amount"
        )
    )
    monthly = _twelve(
        MonthlyPlan.objects.filter(chunk.q("plan__project_id"), plan__year=year).values_list(
            "plan__project_id", "month", "amount"
        )
    )
    actuals = _twelve(
        InvestmentActual.objects.filter(chunk.q(), year=year, month__lte=month).values_list(
            "project_id", "month", "amount"
        )
    )
    milestones = _overdue_milestones(chunk.q(), today)
    problems: dict[int, list[tuple[str, dt.date, str]]] = defaultdict(list)
    for pid, text, deadline, level in (
        Problem.objects.filter(chunk.q(), escalation_level__gt=0, deadline__lt=today)
        .exclude(status__in=CLOSED_PROBLEMS)
        .values_list("project_id", "description", "deadline", "escalation_level")
    ):
        if deadline is not None:  # the filter on deadline already excludes none
            problems[pid].append((text, deadline, LEVEL_LABELS.get(level, "督办")))
    reported = (
        set(
            ProgressReport.objects.filter(
                chunk.q(), cycle_id__in=cycles.cycle_ids(), status__in=REPORTED
            ).values_list("cycle_id", "project_id")
        )
        if cycles.schedules
        else set()
    )
    justified: dict[int, dict[str, str]] = defaultdict(dict)
    for pid, rule, reason in (
        Justification.objects.filter(chunk.q(), status=JustificationStatus.ACCEPTED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("project_id", "rule", "reason")
    ):
        justified[pid][rule] = reason

    lights, unruled, regions = [], [], set()
    for (
        pid,
        region,
        tier,
        category,
        total,
        planned_start,
        actual_start,
        inclusion,
        inclusion_date,
        created_at,
    ) in projects:
        found = rule_sets.for_project(region, tier)
        if found is None:
            unruled.append(pid)
            continue
        rule_set_id, params = found
        regions.add(region)
        missed: list[str] = []
        if cycles.schedules and params.get("reports", {}).get("enabled"):
            for cycle_id, label, __end in cycles.expected(
                region, tier, category, created_at.date()
            ):
                if (cycle_id, pid) in reported:
                    break
                missed.append(label)
        included_on = None
        if inclusion == StatsInclusion.INCLUDED:
            included_on = inclusion_date or dt.date(1900, 1, 1)
        facts = rules.ProjectFacts(
            year=year,
            month=month,
            today=today,
            annual_plan=annual.get(pid),
            monthly_plans=monthly.get(pid, ()),
            actuals=actuals.get(pid, ()),
            total_investment=total,
            planned_start=planned_start,
            actual_start=actual_start,
            included_on=included_on,
            overdue_milestones=milestones.get(pid, ()),
            missed_cycles=missed,
            overdue_problems=problems.get(pid, ()),
            justified=justified.get(pid, {}),
        )
        verdict = rules.project_light(facts, params)
        lights.append(
            ProjectLight(
                project_id=pid,
                year=year,
                month=month,
                colour=verdict.colour,
                reasons=[r.as_dict() for r in verdict.reasons],
                rule_set_id=rule_set_id,
                computed_at=now,
            )
        )
    return lights, unruled, regions


def _overdue_milestones(where: Q, today: dt.date) -> dict[int, list[tuple[str, dt.date]]]:
    """Milestones past their date and not achieved (a tied step's actual date counts)."""
    rows = list(
        Milestone.objects.filter(
            where, target_date__lt=today, achieved_date__isnull=True
        ).values_list("project_id", "name", "target_date", "step_id")
    )
    tied = {(pid, step) for pid, __name, __date, step in rows if step is not None}
    done: set[tuple[int, int]] = set()
    if tied:
        done = set(
            ProjectStep.objects.filter(
                project_id__in={pid for pid, __step in tied},
                definition_id__in={step for __pid, step in tied},
                actual_date__isnull=False,
                actual_date__lte=today,
            ).values_list("project_id", "definition_id")
        )
    found: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for pid, name, target, step in rows:
        if step is None or (pid, step) not in done:
            found[pid].append((name, target))
    return found


def _region_sums(
    roots: set[str], year: int, month: int
) -> tuple[dict[str, list[Decimal]], dict[str, list[Decimal]], dict[str, list[Decimal]]]:
    """Monthly plans, actuals and last year's actuals summed up each region's chain."""
    provinces = {code[:2] for code in roots}

    def within(path: str) -> Q:
        # Peers and parents need their whole province, not only the recomputed projects.
        found = Q(pk__in=[])
        for province in provinces:
            low, high = subtree_bounds(province + "0000")
            found |= Q(**{f"{path}__gte": low, f"{path}__lt": high})
        return found

    def rolled(rows: Iterable[tuple[str, int, Decimal | None]]) -> dict[str, list[Decimal]]:
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
        for region, m, amount in rows:
            for code in ancestors_of(region):
                sums[code][m - 1] += amount or ZERO
        return sums

    plans = rolled(
        MonthlyPlan.objects.filter(within("plan__project__region"), plan__year=year)
        .values_list("plan__project__region_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    actuals = rolled(
        InvestmentActual.objects.filter(within("project__region"), year=year, month__lte=month)
        .values_list("project__region_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    last = rolled(
        InvestmentActual.objects.filter(within("project__region"), year=year - 1, month__lte=month)
        .values_list("project__region_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return plans, actuals, last


def regions_recompute(
    *, region_codes: Iterable[str], year: int, month: int, rule_sets: RuleSets, now: dt.datetime
) -> int:
    """Recompute the lights of these regions and their ancestors; returns rows written."""
    chain = {code for region in region_codes for code in ancestors_of(region)}
    if not chain:
        return 0
    plans, actuals, last = _region_sums(chain, year, month)
    names = dict(Region.objects.filter(code__in=chain).values_list("code", "name"))
    parents = dict(Region.objects.filter(code__in=chain).values_list("code", "parent_id"))
    rows = []
    for code in sorted(chain):
        found = rule_sets.for_region(code)
        if found is None or code not in names:
            continue
        rule_set_id, params = found
        parent = parents.get(code)
        peer = None
        if parent:
            m_parent = month
            peer = rules.growth_percent(
                sum(actuals.get(parent, [ZERO] * 12)[:m_parent], ZERO),
                sum(last.get(parent, [ZERO] * 12)[:m_parent], ZERO),
            )
        facts = rules.RegionFacts(
            year=year,
            month=month,
            name=names[code],
            plans=plans.get(code, [ZERO] * 12),
            actuals=actuals.get(code, [ZERO] * 12),
            last_year=last.get(code, [ZERO] * 12),
            peer_growth=peer,
        )
        verdict = rules.region_light(facts, params)
        if verdict is None:
            continue
        rows.append(
            RegionLight(
                region_id=code,
                year=year,
                month=month,
                colour=verdict.colour,
                reasons=[r.as_dict() for r in verdict.reasons],
                rule_set_id=rule_set_id,
                computed_at=now,
            )
        )
    RegionLight.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["region", "year", "month"],
        update_fields=["colour", "reasons", "rule_set", "computed_at"],
    )
    return len(rows)


def lights_compute(
    *,
    project_ids: Sequence[int] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the lights of ``today``'s month (all projects when None), then their regions.

    Returns the number of project lights written; ``progress(done, total)`` is called
    after each chunk.
    """
    today = today or timezone.localdate()
    year, month = today.year, today.month
    now = timezone.now()
    rule_sets = RuleSets.load()
    depth = max(
        (p.get("reports", {}).get("red_cycles", 2) for __pk, p in rule_sets.by_scope.values()),
        default=2,
    )
    cycles = _Cycles.load(today, depth)
    total = len(set(project_ids)) if project_ids is not None else Project.objects.count()
    written, done = 0, 0
    regions: set[str] = set()
    for chunk in _chunks(project_ids):
        lights, unruled, chunk_regions = _project_chunk(
            chunk,
            year=year,
            month=month,
            today=today,
            rule_sets=rule_sets,
            cycles=cycles,
            now=now,
        )
        ProjectLight.objects.bulk_create(
            lights,
            update_conflicts=True,
            unique_fields=["project", "year", "month"],
            update_fields=["colour", "reasons", "rule_set", "computed_at"],
        )
        if unruled:
            ProjectLight.objects.filter(project_id__in=unruled, year=year, month=month).delete()
        regions |= chunk_regions
        written += len(lights)
        done += len(lights) + len(unruled)
        if progress is not None:
            progress(done, total)
    regions_recompute(region_codes=regions, year=year, month=month, rule_sets=rule_sets, now=now)
    return written
