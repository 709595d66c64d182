"""Every read of plans, milestones and schedules, already scoped to the actor."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from cornerstone.accounts.scope import scope_root
from cornerstone.geo.codes import ancestors_of, subtree_bounds
from cornerstone.geo.models import Department, Region
from cornerstone.geo.queries import departments_visible, regions_visible
from cornerstone.plans.choices import MilestoneStatus
from cornerstone.plans.milestones import milestone_status
from cornerstone.plans.models import (
    MONTHS,
    CalendarDay,
    InvestmentPlan,
    Milestone,
    MonthlyPlan,
    ScheduleTarget,
    Task,
    TaskDependency,
)
from cornerstone.plans.scheduling import (
    Dependency,
    DependencyKind,
    Schedule,
    ScheduleError,
    TaskInput,
    TaskSchedule,
    schedule_compute,
)
from cornerstone.plans.workdays import CalendarDay as CalendarDayData
from cornerstone.plans.workdays import WorkCalendar
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.models import Project, ProjectStep
from cornerstone.projects.queries import projects_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User

ZERO = Decimal(0)


def work_calendar() -> WorkCalendar:
    """The working calendar: weekends plus the configured holidays and 调休 days."""
    return WorkCalendar.from_days(
        CalendarDayData(date=d.date, kind=d.kind, name=d.name, provisional=d.provisional)
        for d in CalendarDay.objects.all()
    )


def calendar_days(*, year: int) -> QuerySet[CalendarDay]:
    """The configured exceptions of one year, in date order."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")


# Plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanYear:
    """One year of a project's plan, with its twelve months (zeros where none is set)."""

    year: int
    plan: InvestmentPlan | None
    months: list[Decimal]

    @property
    def annual(self) -> Decimal:
        return self.plan.annual_amount if self.plan else ZERO


def rolling_years(today: dt.date) -> list[int]:
    """This year, next year and the year after (抓当年、谋明年、想三年)."""
    return [today.year, today.year + 1, today.year + 2]


def project_plans(*, project: Project) -> list[InvestmentPlan]:
    """Every year's plan of a project, months prefetched, oldest first."""
    return list(
        InvestmentPlan.objects.filter(project=project)
        .prefetch_related(Prefetch("months", queryset=MonthlyPlan.objects.order_by("month")))
        .order_by("year")
    )


def plan_year(plan: InvestmentPlan | None, year: int) -> PlanYear:
    """A plan (or its absence) as a year with twelve months."""
    months = [ZERO] * 12
    if plan is not None:
        for row in plan.months.all():
            months[row.month - 1] = row.amount
    return PlanYear(year=year, plan=plan, months=months)


@dataclass(frozen=True)
class ProjectRolling:
    """A project's three-year view and what is left of its total investment."""

    years: list[PlanYear]
    earlier: list[PlanYear]
    planned_from_this_year: Decimal
    completed_before_year: Decimal
    total_investment: Decimal

    @property
    def remaining(self) -> Decimal:
        """Total investment not yet done nor planned from this year on."""
        return self.total_investment - self.completed_before_year - self.planned_from_this_year


def project_rolling(*, project: Project, today: dt.date) -> ProjectRolling:
    """The project's plans: the three rolling years, later ones counted, past ones apart."""
    plans = {p.year: p for p in project_plans(project=project)}
    years = rolling_years(today)
    return ProjectRolling(
        years=[plan_year(plans.get(y), y) for y in years],
        earlier=[plan_year(p, y) for y, p in sorted(plans.items()) if y < today.year],
        planned_from_this_year=sum(
            (p.annual_amount for y, p in plans.items() if y >= today.year), ZERO
        ),
        completed_before_year=project.completed_before_year,
        total_investment=project.total_investment,
    )


@dataclass
class RollingRow:
    """A region's planned investment in each of the three years."""

    region: Region
    amounts: list[Decimal]
    projects: int = 0


@dataclass
class RegionRolling:
    """The three-year view of a region, one row per region directly below it."""

    region: Region
    years: list[int]
    rows: list[RollingRow]
    total: RollingRow


def _visible_in(actor: User | AnonymousUser, region_code: str) -> QuerySet[Project]:
    low, high = subtree_bounds(region_code)
    return projects_visible(actor=actor).filter(region_id__gte=low, region_id__lt=high)


def region_rolling(*, actor: User | AnonymousUser, region: Region, today: dt.date) -> RegionRolling:
    """Planned investment per year for the region's visible projects, by the regions below it."""
    years = rolling_years(today)
    plans = InvestmentPlan.objects.filter(
        project__in=_visible_in(actor, region.code), year__in=years
    )
    sums = plans.values("project__region_id", "year").annotate(amount=Sum("annual_amount"))
    counts = plans.values("project__region_id").annotate(n=Count("project", distinct=True))
    children = {c.code: RollingRow(region=c, amounts=[ZERO] * 3) for c in region.children.all()}
    own = RollingRow(region=region, amounts=[ZERO] * 3)
    total = RollingRow(region=region, amounts=[ZERO] * 3)

    def row_of(code: str) -> RollingRow:
        return next((row for root, row in children.items() if _within(code, root)), own)

    for entry in sums.order_by():
        index = years.index(entry["year"])
        row_of(entry["project__region_id"]).amounts[index] += entry["amount"]
        total.amounts[index] += entry["amount"]
    for entry in counts.order_by():
        row_of(entry["project__region_id"]).projects += entry["n"]
        total.projects += entry["n"]
    listed = sorted((r for r in children.values() if r.projects), key=lambda r: r.region.code)
    if own.projects:
        listed.insert(0, own)
    return RegionRolling(region=region, years=years, rows=listed, total=total)


def _within(code: str, root: str) -> bool:
    low, high = subtree_bounds(root)
    return low <= code < high


def region_monthly_plans(
    *, actor: User | AnonymousUser, region: Region, year: int
) -> QuerySet[InvestmentPlan]:
    """The year's plans of the region's visible projects, each with ``m1``…``m12`` annotated."""
    months = {
        f"m{m}": Sum("months__amount", filter=Q(months__month=m), default=ZERO) for m in MONTHS
    }
    return (
        InvestmentPlan.objects.filter(project__in=_visible_in(actor, region.code), year=year)
        .select_related("project", "project__region")
        .annotate(**months)
        .order_by("project__region_id", "-annual_amount", "project_id")
    )


def region_monthly_totals(
    *, actor: User | AnonymousUser, region: Region, year: int
) -> list[Decimal]:
    """The region's planned investment of each month of the year, summed."""
    totals = [ZERO] * 12
    rows = (
        MonthlyPlan.objects.filter(
            plan__project__in=_visible_in(actor, region.code), plan__year=year
        )
        .values("month")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in rows:
        totals[row["month"] - 1] = row["amount"]
    return totals


# Milestones ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone with its achieved date (its own, or its step's) and derived status."""

    milestone: Milestone
    achieved: dt.date | None
    status: MilestoneStatus

    @property
    def status_colour(self) -> str:
        return MilestoneStatus.colour(self.status)


def project_milestones(*, project: Project, today: dt.date) -> list[MilestoneRow]:
    """A project's milestones in date order, completed by their tied steps where tied."""
    milestones = list(
        Milestone.objects.filter(project=project)
        .select_related("step")
        .order_by("target_date", "id")
    )
    done = dict(
        ProjectStep.objects.filter(
            project=project,
            status=StepStatus.DONE,
            definition_id__in=[m.step_id for m in milestones if m.step_id],
        ).values_list("definition_id", "actual_date")
    )
    rows = []
    for milestone in milestones:
        achieved = done.get(milestone.step_id) if milestone.step_id else milestone.achieved_date
        status = milestone_status(target=milestone.target_date, achieved=achieved, today=today)
        rows.append(MilestoneRow(milestone=milestone, achieved=achieved, status=status))
    return rows


# Schedules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    """A stored task with its links and, when the network could be scheduled, its dates."""

    task: Task
    predecessors: list[TaskDependency]
    scheduled: TaskSchedule | None


@dataclass(frozen=True)
class ProjectSchedule:
    """A project's network as scheduled today against its deadline."""

    target: ScheduleTarget | None
    rows: list[TaskRow]
    result: Schedule | None
    error: str | None
    # A deadline already past for a project that has not started: allowed, but flagged.
    deadline_passed_unstarted: bool = False


def _task_inputs(tasks: list[Task], links: dict[int, list[TaskDependency]]) -> list[TaskInput]:
    return [
        TaskInput(
            key=task.pk,
            name=task.name,
            duration=task.duration,
            predecessors=tuple(
                Dependency(link.predecessor_id, DependencyKind(link.kind), link.lag)
                for link in links.get(task.pk, [])
            ),
            deadline=task.deadline,
            actual_start=task.actual_start,
            actual_finish=task.actual_finish,
        )
        for task in tasks
    ]


def project_schedule(
    *, project: Project, today: dt.date, calendar: WorkCalendar | None = None
) -> ProjectSchedule:
    """Schedule the project's tasks from today back from its deadline (倒排工期)."""
    target = ScheduleTarget.objects.filter(project=project).first()
    tasks = list(Task.objects.filter(project=project).select_related("department").order_by("id"))
    links: dict[int, list[TaskDependency]] = defaultdict(list)
    for link in TaskDependency.objects.filter(task__project=project).select_related("predecessor"):
        links[link.task_id].append(link)
    deadline = target.deadline if target else None
    result: Schedule | None = None
    error = None
    if tasks:
        try:
            result = schedule_compute(
                tasks=_task_inputs(tasks, links),
                deadline=deadline,
                today=today,
                calendar=calendar or work_calendar(),
            )
        except ScheduleError as exc:
            error = str(exc)
    rows = [
        TaskRow(
            task=task,
            predecessors=links.get(task.pk, []),
            scheduled=result.tasks.get(task.pk) if result else None,
        )
        for task in tasks
    ]
    started = project.actual_start_date is not None or any(t.actual_start for t in tasks)
    return ProjectSchedule(
        target=target,
        rows=rows,
        result=result,
        error=error,
        deadline_passed_unstarted=deadline is not None and deadline < today and not started,
    )


# This week's tasks ---------------------------------------------------------------------


@dataclass(frozen=True)
class WeekTask:
    """A task due this week, or overdue, with its project and computed dates."""

    task: Task
    scheduled: TaskSchedule

    @property
    def overdue(self) -> bool:
        return self.scheduled.overdue

    @property
    def late_start(self) -> bool:
        return self.scheduled.late_start_passed


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding ``today``."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def week_tasks(
    *,
    actor: User | AnonymousUser,
    today: dt.date,
    department_id: int | None = None,
    person: str = "",
) -> list[WeekTask]:
    """This week's tasks (本周任务) of the visible projects: overdue first, then by start.

    A task is listed while unfinished when its scheduled dates touch this week, when it
    is overdue, or when its latest start has passed; and when it finished this week.
    """
    monday, sunday = week_bounds(today)
    wanted = Task.objects.filter(project__in=projects_visible(actor=actor)).filter(
        Q(actual_finish__isnull=True) | Q(actual_finish__gte=monday)
    )
    if department_id is not None:
        wanted = wanted.filter(department_id=department_id)
    if person:
        wanted = wanted.filter(person=person)
    project_ids = set(wanted.values_list("project_id", flat=True))
    if not project_ids:
        return []
    wanted_ids = set(wanted.values_list("pk", flat=True))
    calendar = work_calendar()
    by_project: dict[int, list[Task]] = defaultdict(list)
    for task in (
        Task.objects.filter(project_id__in=project_ids)
        .select_related("project", "project__region", "department")
        .order_by("project_id", "id")
    ):
        by_project[task.project_id].append(task)
    links: dict[int, list[TaskDependency]] = defaultdict(list)
    for link in TaskDependency.objects.filter(task__project_id__in=project_ids):
        links[link.task_id].append(link)
    deadlines = dict(
        ScheduleTarget.objects.filter(project_id__in=project_ids).values_list(
            "project_id", "deadline"
        )
    )
    found: list[WeekTask] = []
    for project_id, tasks in by_project.items():
        try:
            result = schedule_compute(
                tasks=_task_inputs(tasks, links),
                deadline=deadlines.get(project_id),
                today=today,
                calendar=calendar,
            )
        except ScheduleError:
            continue  # a network that cannot be scheduled shows its error on its own page
        for task in tasks:
            scheduled = result.tasks[task.pk]
            if task.pk not in wanted_ids:
                continue
            this_week = scheduled.early_start <= sunday and scheduled.early_finish >= monday
            if (
                task.actual_finish is not None
                or this_week
                or scheduled.overdue
                or scheduled.late_start_passed
            ):
                found.append(WeekTask(task=task, scheduled=scheduled))
    found.sort(
        key=lambda w: (
            w.task.actual_finish is not None,
            not w.overdue,
            not w.late_start,
            w.scheduled.early_start,
            w.task.pk,
        )
    )
    return found


def week_task_groups(rows: list[WeekTask], *, by: str) -> Iterator[tuple[str, list[WeekTask]]]:
    """Group this week's tasks by department or by person, keeping each group's order."""
    groups: dict[str, list[WeekTask]] = defaultdict(list)
    for row in rows:
        if by == "person":
            key = row.task.person or "—"
        else:
            key = row.task.department.name if row.task.department else "—"
        groups[key].append(row)
    yield from sorted(groups.items(), key=lambda item: (-sum(w.overdue for w in item[1]), item[0]))


# The investment S-curve ----------------------------------------------------------------


@dataclass(frozen=True)
class SCurve:
    """Cumulative monthly plan against cumulative actual completion for one year."""

    year: int
    months: list[str]
    plan: list[Decimal]
    actual: list[Decimal | None]


def project_scurve(*, project: Project, year: int) -> SCurve:
    """The year's S-curve; actuals come from progress reports, none of which exist yet."""
    plan = InvestmentPlan.objects.filter(project=project, year=year).first()
    months = plan_year(plan, year).months
    cumulative: list[Decimal] = []
    running = ZERO
    for amount in months:
        running += amount
        cumulative.append(running)
    return SCurve(
        year=year,
        months=[f"{year}-{m:02d}" for m in MONTHS],
        plan=cumulative,
        actual=[None] * 12,
    )


def region_for(*, actor: User | AnonymousUser, code: str | None) -> Region:
    """The region asked for if the actor may see it, else their own; DoesNotExist outside scope."""
    regions = regions_visible(actor=actor)
    if code:
        return regions.get(code=code)
    root = scope_root(actor)
    if root is not None:
        return regions.get(code=root)
    first = regions.filter(parent__isnull=True).order_by("code").first()
    if first is None:
        raise Region.DoesNotExist
    return first


def task_departments(*, actor: User | AnonymousUser, project: Project) -> QuerySet[Department]:
    """The departments a task may name: the project's region and those above it, or the
    actor's own (the rule ``task_services`` checks)."""
    return (
        (
            Department.objects.filter(region_id__in=ancestors_of(project.region_id))
            | departments_visible(actor=actor)
        )
        .select_related("region")
        .order_by("region_id", "name")
    )
