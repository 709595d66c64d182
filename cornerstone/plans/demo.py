"""Demo plans: yearly plans for the larger projects, and a task network for some of them.

Written with ``bulk_create`` like the rest of the demo (a service call per row would
take minutes), keeping the services' rules: months add up to the year, plans stay
within the total investment, links stay within one project and never form a cycle.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from cornerstone.geo.models import Department
from cornerstone.plans.choices import DependencyType, SplitMethod
from cornerstone.plans.models import (
    MONTHS,
    InvestmentPlan,
    Milestone,
    MonthlyPlan,
    ScheduleTarget,
    Task,
    TaskDependency,
)
from cornerstone.plans.splitting import split_weighted
from cornerstone.projects.demo import names
from cornerstone.projects.models import Project

PLANNED_PROJECTS = 3000
SCHEDULED_PROJECTS = 300
FS, SS = DependencyType.FINISH_TO_START, DependencyType.START_TO_START

# name, working days, department (a word of its name), predecessors (index, type, lag)
NETWORK: list[tuple[str, int, str, list[tuple[int, str, int]]]] = [
    ("土地征收及供地", 25, "自然资源", []),
    ("规划设计方案审查", 15, "自然资源", [(0, FS, 0)]),
    ("环境影响评价批复", 20, "生态环境", [(0, SS, 5)]),
    ("施工图审查", 15, "住房和城乡建设", [(1, FS, 0)]),
    ("施工许可办理", 10, "住房和城乡建设", [(3, FS, 0), (2, FS, 0)]),
    ("场地平整及临时设施", 10, "住房和城乡建设", [(4, SS, 2)]),
    ("基础工程施工", 40, "住房和城乡建设", [(4, FS, 0), (5, FS, 0)]),
    ("主体结构施工", 80, "住房和城乡建设", [(6, FS, 0)]),
    ("主要设备采购", 60, "工业和信息化", [(6, SS, 10)]),
    ("设备安装调试", 40, "工业和信息化", [(7, FS, 0), (8, FS, 0)]),
    ("竣工验收", 15, "住房和城乡建设", [(9, FS, 0)]),
]
MILESTONES = [(4, "取得施工许可"), (7, "主体结构封顶"), (10, "竣工验收")]


def _department_lookup() -> dict[str, list[Department]]:
    found: dict[str, list[Department]] = defaultdict(list)
    for department in Department.objects.all():
        found[department.region_id].append(department)
    return found


def _pick(departments: list[Department], word: str) -> Department | None:
    return next((d for d in departments if word in d.name), None)


def _plans_for(project: Project, today: dt.date, rng: random.Random) -> list[InvestmentPlan]:
    remaining = project.total_investment - project.completed_before_year
    plans = []
    for year in (today.year, today.year + 1):
        if remaining <= 0:
            break
        share = Decimal(rng.choice((30, 40, 50, 60))) / 100
        amount = min(remaining, (project.total_investment * share).quantize(Decimal(1)))
        remaining -= amount
        plans.append(
            InvestmentPlan(
                project=project,
                year=year,
                annual_amount=amount,
                split_method=SplitMethod.WEIGHTED,
            )
        )
    return plans


def _months_for(plan: InvestmentPlan, project: Project) -> list[MonthlyPlan]:
    months = split_weighted(
        plan.annual_amount,
        year=plan.year,
        start=project.actual_start_date or project.planned_start_date,
        finish=project.actual_completion_date or project.planned_completion_date,
    )
    return [MonthlyPlan(plan=plan, month=m, amount=a) for m, a in zip(MONTHS, months, strict=True)]


def _person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + "".join(
        rng.choices(names.GIVEN_CHARS, k=rng.choice((1, 2)))
    )


def _network_for(
    project: Project, today: dt.date, departments: list[Department], rng: random.Random
) -> tuple[list[Task], list[tuple[int, int, str, int]]]:
    """The template network, its early tasks done where the project has already started."""
    started = project.actual_start_date
    # Tasks before the permit were done before the start; the rest run one after another.
    cursor = (started - dt.timedelta(days=180)) if started else None
    tasks = []
    for name, days, word, _links in NETWORK:
        task = Task(
            project=project,
            name=name,
            duration=days,
            department=_pick(departments, word),
            person=_person(rng),
        )
        if cursor is not None:
            finish = cursor + dt.timedelta(days=days * 7 // 5)
            if cursor <= today:
                task.actual_start = cursor
                if finish < today:
                    task.actual_finish = finish
            cursor = finish + dt.timedelta(days=1) if task.actual_finish else None
        tasks.append(task)
    links = [
        (index, predecessor, kind, lag)
        for index, (_n, _d, _w, preds) in enumerate(NETWORK)
        for predecessor, kind, lag in preds
    ]
    return tasks, links


@transaction.atomic
def demo_plans_load(*, today: dt.date, seed: int = 2026) -> tuple[int, int]:
    """Plans for the largest projects under way, networks for some; returns both counts."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    candidates = list(
        Project.objects.filter(planned_start_date__isnull=False)
        .exclude(kind="reserve")
        .filter(actual_production_date__isnull=True)
        .order_by("-total_investment", "id")[:PLANNED_PROJECTS]
    )
    plans = [plan for project in candidates for plan in _plans_for(project, today, rng)]
    InvestmentPlan.objects.bulk_create(plans, batch_size=1000)
    by_id = {p.pk: p for p in candidates}
    MonthlyPlan.objects.bulk_create(
        [m for plan in plans for m in _months_for(plan, by_id[plan.project_id])], batch_size=2000
    )
    departments = _department_lookup()
    scheduled = candidates[:SCHEDULED_PROJECTS]
    all_tasks: list[Task] = []
    pending_links = []
    targets, milestones = [], []
    for project in scheduled:
        tasks, links = _network_for(project, today, departments.get(project.region_id, []), rng)
        all_tasks.extend(tasks)
        pending_links.append((tasks, links))
        deadline = project.planned_completion_date or today + dt.timedelta(days=540)
        targets.append(ScheduleTarget(project=project, label="竣工", deadline=deadline))
        span = max(30, (deadline - today).days)
        for position, (index, name) in enumerate(MILESTONES, start=1):
            target = today + dt.timedelta(days=span * position // len(MILESTONES))
            done = tasks[index].actual_finish
            milestones.append(
                Milestone(
                    project=project, name=name, target_date=done or target, achieved_date=done
                )
            )
    Task.objects.bulk_create(all_tasks, batch_size=1000)
    TaskDependency.objects.bulk_create(
        [
            TaskDependency(task=tasks[i], predecessor=tasks[p], kind=kind, lag=lag)
            for tasks, links in pending_links
            for i, p, kind, lag in links
        ],
        batch_size=2000,
    )
    ScheduleTarget.objects.bulk_create(targets)
    Milestone.objects.bulk_create(milestones)
    return len(plans), len(scheduled)
