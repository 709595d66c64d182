"""Demo problems: a few hundred across the demo projects, with their histories, some overdue
and escalated, and a handful of supervision orders.

Written with ``bulk_create`` like the rest of the demo, keeping the services' rules: a
problem goes to a department of its project's region chain, its history follows the
allowed steps, its level is what the escalation rule gives today, and orders follow
escalated problems only and are numbered per issuing region and year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.geo.codes import ancestors_of, subtree_bounds
from cornerstone.geo.models import Department
from cornerstone.problems import escalation
from cornerstone.problems.choices import (
    EscalationLevel,
    LetterKind,
    ProblemAction,
    ProblemStatus,
    Recipient,
    SupervisionStatus,
)
from cornerstone.problems.models import Problem, ProblemEvent, SupervisionOrder
from cornerstone.projects.models import Project

PROBLEMS = 300
ORDERS = 8

# category, department key, description, what was done
TEMPLATES: list[tuple[str, str, str, str]] = [
    ("land", "zrzy", "项目用地指标尚未落实，影响按期开工。", "已协调调剂用地指标并完成组卷报批。"),
    ("land", "zrzy", "部分地块征地拆迁未完成，施工场地无法全面展开。", "已完成剩余地块征收补偿。"),
    (
        "funds",
        "fgj",
        "申报的中央预算内资金尚未下达，资金缺口较大。",
        "资金已下达并拨付到项目单位。",
    ),
    ("funds", "fgj", "专项债券资金到位滞后，影响设备采购。", "专项债券资金已拨付到位。"),
    ("energy", "fgj", "项目节能审查意见尚未取得，能耗指标缺口待解决。", "已出具节能审查意见。"),
    ("environment", "sthj", "环境影响评价报告书尚未批复。", "环评报告书已批复。"),
    (
        "labour",
        "swj",
        "技术工人和特种作业人员招聘困难，用工缺口约百人。",
        "已组织专场招聘会补充用工。",
    ),
    ("utilities", "zjj", "施工用电和供水管网接入未完成。", "临时用电和供水已接通。"),
    ("utilities", "zjj", "燃气管线迁改方案未确定。", "管线迁改方案已审定并实施。"),
    ("approval", "zjj", "施工许可证办理进度滞后。", "施工许可证已核发。"),
    ("approval", "zrzy", "建设工程规划许可证尚未办理。", "规划许可证已核发。"),
    ("other", "jtj", "进场道路未建成，大型设备无法运输进场。", "进场道路已完成硬化。"),
]


def _at(day: dt.date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _person(rng: random.Random) -> str:
    # Imported here: the projects demo package imports this module when it loads.
    from cornerstone.projects.demo import names

    return rng.choice(names.SURNAMES) + "".join(
        rng.choices(names.GIVEN_CHARS, k=rng.choice((1, 2)))
    )


def _departments() -> dict[str, list[Department]]:
    found: dict[str, list[Department]] = defaultdict(list)
    for department in Department.objects.all():
        found[department.region_id].append(department)
    return found


def _department_for(
    project: Project, key: str, by_region: dict[str, list[Department]], rng: random.Random
) -> Department | None:
    """A department of the project's region (or, one time in five, the city's) by its kind."""
    chain = ancestors_of(project.region_id)
    if len(chain) > 1 and rng.random() < 0.2:
        chain = chain[1:]
    words = {
        "zrzy": "自然资源",
        "fgj": "发展和改革",
        "sthj": "生态环境",
        "swj": "商务",
        "zjj": "住房和城乡建设",
        "jtj": "交通运输",
    }
    for code in chain:
        candidates = by_region.get(code, [])
        found = [d for d in candidates if words[key] in d.name]
        if found:
            return found[0]
        if candidates:
            return rng.choice(candidates)
    return None


def _staffed(projects: list[Project]) -> list[tuple[Department, list[Project]]]:
    """Departments with active accounts, each with the demo projects in its region subtree."""
    departments = (
        Department.objects.filter(users__role=Role.DEPARTMENT, users__is_active=True)
        .distinct()
        .order_by("pk")
    )
    found = []
    for department in departments:
        low, high = subtree_bounds(department.region_id)
        inside = [p for p in projects if low <= p.region_id < high]
        if inside:
            found.append((department, inside))
    return found


def _history(
    problem: Problem, raised: dt.date, today: dt.date, done: str, rng: random.Random
) -> list[ProblemEvent]:
    """The steps that led the problem to its status, each on a plausible day."""
    events = [
        ProblemEvent(
            problem=problem,
            action=ProblemAction.RAISE,
            to_status=ProblemStatus.OPEN,
            comment=problem.description,
            actor=problem.raised_by,
            at=_at(raised, 9),
        )
    ]
    status = problem.status
    if status == ProblemStatus.OPEN:
        return events
    started = min(today, raised + dt.timedelta(days=rng.randint(1, 5)))
    events.append(
        ProblemEvent(
            problem=problem,
            action=ProblemAction.START,
            from_status=ProblemStatus.OPEN,
            to_status=ProblemStatus.IN_PROGRESS,
            comment="已安排专人对接推进。",
            at=_at(started, 10),
        )
    )
    if status == ProblemStatus.IN_PROGRESS:
        return events
    resolved = min(today, started + dt.timedelta(days=rng.randint(3, 20)))
    problem.resolved_at = _at(resolved, 15)
    events.append(
        ProblemEvent(
            problem=problem,
            action=ProblemAction.RESOLVE,
            from_status=ProblemStatus.IN_PROGRESS,
            to_status=ProblemStatus.RESOLVED,
            comment=done,
            at=problem.resolved_at,
        )
    )
    if status == ProblemStatus.VERIFIED:
        verified = min(today, resolved + dt.timedelta(days=rng.randint(1, 7)))
        problem.verified_at = _at(verified, 16)
        events.append(
            ProblemEvent(
                problem=problem,
                action=ProblemAction.VERIFY,
                from_status=ProblemStatus.RESOLVED,
                to_status=ProblemStatus.VERIFIED,
                comment="经核实，问题已解决，予以销号。",
                at=problem.verified_at,
            )
        )
    return events


@transaction.atomic
def demo_problems_load(*, today: dt.date, seed: int) -> int:
    """Create the demo problems and orders; return how many problems were written."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    projects = list(Project.objects.only("pk", "region_id", "name").order_by("pk")[: PROBLEMS * 3])
    if not projects:
        return 0
    by_region = _departments()
    staffed = _staffed(projects)
    admins = {u.region_id: u for u in User.objects.filter(role=Role.ADMIN).order_by("pk")}
    drafts: list[tuple[Problem, dt.date, str]] = []
    for index in range(PROBLEMS):
        category, key, description, done = rng.choice(TEMPLATES)
        # Every fourth problem goes to a department that has demo accounts, so that their
        # users find work waiting when they log in.
        assigned = staffed[index // 4 % len(staffed)] if staffed and index % 4 == 0 else None
        project = rng.choice(assigned[1] if assigned else projects)
        raised = today - dt.timedelta(days=rng.randint(3, 120))
        deadline = raised + dt.timedelta(days=rng.choice((15, 30, 45, 60, 90)))
        status = rng.choices(
            [
                ProblemStatus.OPEN,
                ProblemStatus.IN_PROGRESS,
                ProblemStatus.RESOLVED,
                ProblemStatus.VERIFIED,
            ],
            weights=(25, 35, 15, 25),
        )[0]
        problem = Problem(
            project=project,
            category=category,
            description=description,
            department=assigned[0] if assigned else _department_for(project, key, by_region, rng),
            person=_person(rng),
            deadline=deadline,
            status=status,
            # The nearest admin above the project raised it (the demo has no owner input).
            raised_by=next(
                (admins[c] for c in ancestors_of(project.region_id) if c in admins), None
            ),
        )
        if status in (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS):
            problem.escalation_level = escalation.escalation_target(
                deadline=deadline, today=today, current=0, policy=escalation.DEFAULT_POLICY
            )
        drafts.append((problem, raised, done))
    events: list[ProblemEvent] = []
    for problem, raised, done in drafts:
        history = _history(problem, raised, today, done, rng)
        if problem.escalation_level:
            assert problem.deadline is not None
            days = (
                escalation.DEFAULT_CITY_DAYS
                if problem.escalation_level == EscalationLevel.CITY
                else escalation.DEFAULT_PROVINCE_DAYS
            )
            problem.escalated_at = _at(problem.deadline + dt.timedelta(days=days), 2)
            history.append(
                ProblemEvent(
                    problem=problem,
                    action=ProblemAction.ESCALATE,
                    from_status=problem.status,
                    to_status=problem.status,
                    comment=f"逾期未办结，升级为{EscalationLevel(problem.escalation_level).label}。",
                    at=problem.escalated_at,
                )
            )
        problem.version = len(history)  # the raise is version 1, each step one more
        events += history
    problems = Problem.objects.bulk_create([d[0] for d in drafts], batch_size=500)
    # bulk_create stamps "now" on auto_now_add columns; the history's own days replace it.
    for problem, raised, _done in drafts:
        problem.created_at = _at(raised, 9)
    Problem.objects.bulk_update(problems, ["created_at"], batch_size=500)
    moments = [event.at for event in events]
    for event in events:
        event.problem_id = event.problem.pk
    stamped = ProblemEvent.objects.bulk_create(events, batch_size=500)
    for event, moment in zip(stamped, moments, strict=True):
        event.at = moment
    ProblemEvent.objects.bulk_update(stamped, ["at"], batch_size=500)
    _orders(problems, today, rng)
    return len(problems)


def _orders(problems: list[Problem], today: dt.date, rng: random.Random) -> None:
    """A handful of orders on escalated problems, issued by the supervising city's admin."""
    escalated = [p for p in problems if p.escalation_level and p.department_id is not None]
    rng.shuffle(escalated)
    admins = {user.region_id: user for user in User.objects.filter(role=Role.ADMIN).order_by("pk")}
    serials: dict[str, int] = defaultdict(int)
    orders = []
    for problem in escalated[:ORDERS]:
        region = escalation.supervising_region(problem.project.region_id, problem.escalation_level)
        issuer = admins.get(region)
        if issuer is None:
            continue
        serials[region] += 1
        issued = today - dt.timedelta(days=rng.randint(1, 20))
        status = rng.choice(list(SupervisionStatus))
        order = SupervisionOrder(
            number=f"督〔{today.year}〕{serials[region]}号",
            issuing_region_id=region,
            year=today.year,
            serial=serials[region],
            kind=LetterKind.SUPERVISION,
            project=problem.project,
            problem=problem,
            recipient=Recipient.DEPARTMENT,
            department_id=problem.department_id,
            subject=f"关于{problem.project.name}{problem.get_category_display()}问题的督办",
            content=f"{problem.description}请于反馈时限前办结并书面反馈。",
            response_deadline=issued + dt.timedelta(days=7),
            status=status,
            issued_by=issuer,
        )
        if status != SupervisionStatus.ISSUED:
            order.response = "已成立专班推进，预计两周内解决。"
            order.responded_at = _at(min(today, issued + dt.timedelta(days=5)), 11)
        if status == SupervisionStatus.CLOSED:
            order.closing_note = "反馈情况属实，同意办结。"
            order.closed_by = issuer
            order.closed_at = _at(min(today, issued + dt.timedelta(days=8)), 17)
        orders.append((order, issued))
    created = SupervisionOrder.objects.bulk_create([o for o, _issued in orders])
    for order, issued in orders:
        order.issued_at = _at(issued, 9)
    SupervisionOrder.objects.bulk_update(created, ["issued_at"])
