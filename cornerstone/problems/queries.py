"""Reads of problems and supervision orders, each scoped to the actor.

Admins and leaders see the problems of projects in their region subtree; a department
user sees the problems assigned to their department and, read-only, those of projects
in their region; an owner sees the problems of their own projects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from cornerstone.accounts.choices import Role
from cornerstone.accounts.scope import NOTHING, can_edit_region, project_scope_q
from cornerstone.geo.codes import ancestors_of
from cornerstone.geo.models import Department, Region
from cornerstone.problems import escalation, workflow
from cornerstone.problems.choices import ProblemStatus, Recipient, SupervisionStatus
from cornerstone.problems.models import EscalationPolicy, Problem, ProblemEvent, SupervisionOrder
from cornerstone.projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User

UNRESOLVED = [ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS]


def _projects_q(actor: User | AnonymousUser) -> Q:
    return Q(project__in=Project.objects.filter(project_scope_q(actor)).values("pk"))


def problem_scope_q(actor: User | AnonymousUser) -> Q:
    """Filter on Problem selecting what the actor may see."""
    if not actor.is_authenticated or not actor.is_active:
        return NOTHING
    if actor.is_superuser:
        return Q()
    department_id = getattr(actor, "department_id", None)
    if actor.role == Role.DEPARTMENT and department_id:
        return Q(department_id=department_id) | _projects_q(actor)
    return _projects_q(actor)


def problems_visible(*, actor: User | AnonymousUser) -> QuerySet[Problem]:
    """Every problem the actor may see."""
    return Problem.objects.filter(problem_scope_q(actor))


def problem_rows(queryset: QuerySet[Problem]) -> QuerySet[Problem]:
    """The columns a problem list shows, joined in one query."""
    return queryset.select_related("project", "project__region", "department")


def problem_get(*, actor: User | AnonymousUser, pk: int) -> Problem:
    """One visible problem with its project and department; DoesNotExist outside scope."""
    return problem_rows(problems_visible(actor=actor)).select_related("raised_by").get(pk=pk)


def problem_events(*, problem: Problem) -> QuerySet[ProblemEvent]:
    """The problem's steps, oldest first, with who took them."""
    return problem.events.select_related("actor").order_by("at", "id")


def problem_actors(*, actor: User | AnonymousUser, problem: Problem) -> frozenset[workflow.Actor]:
    """In which capacities the actor may act on this problem (none for readers)."""
    if not actor.is_authenticated or not actor.is_active:
        return frozenset()
    found = set()
    if actor.is_superuser or (
        actor.role == Role.ADMIN and can_edit_region(actor, problem.project.region_id)
    ):
        found.add(workflow.Actor.ADMIN)
    if (
        actor.role == Role.DEPARTMENT
        and problem.department_id is not None
        and getattr(actor, "department_id", None) == problem.department_id
    ):
        found.add(workflow.Actor.DEPARTMENT)
    return frozenset(found)


def can_raise_problem(*, actor: User | AnonymousUser, project: Project) -> bool:
    """Admins in scope and the project's owners raise problems; readers do not."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if actor.role == Role.ADMIN:
        return can_edit_region(actor, project.region_id)
    if actor.role == Role.OWNER:
        return project.owner_users.filter(pk=actor.pk).exists()
    return False


def project_departments(*, project: Project) -> QuerySet[Department]:
    """The departments a problem of this project may be assigned to: its region chain's."""
    return (
        Department.objects.filter(region_id__in=ancestors_of(project.region_id))
        .select_related("region")
        .order_by("-region_id", "name")
    )


@dataclass(frozen=True)
class StatusCounts:
    """How many of the listed problems are in each status, and how many are overdue."""

    by_status: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def status_counts(queryset: QuerySet[Problem], *, today: dt.date) -> StatusCounts:
    """Counts by status and overdue in one query."""
    aggregates = {
        status: Count("pk", filter=Q(status=status)) for status in ProblemStatus.values
    } | {"overdue": Count("pk", filter=Q(status__in=UNRESOLVED, deadline__lt=today))}
    row = queryset.order_by().aggregate(**aggregates)
    overdue = row.pop("overdue")
    return StatusCounts(by_status=row, overdue=overdue)


# ---------------------------------------------------------------- task and responsibility lists


@dataclass
class ListGroup:
    """One department's (or person's) open problems, overdue first."""

    key: str
    name: str
    region: str
    problems: list[Problem] = field(default_factory=list)
    overdue: int = 0
    escalated: int = 0


def _open_problems(actor: User | AnonymousUser) -> QuerySet[Problem]:
    return problem_rows(problems_visible(actor=actor).filter(status__in=UNRESOLVED)).order_by(
        "deadline", "id"
    )


def task_list(
    *, actor: User | AnonymousUser, today: dt.date, department_id: int | None = None
) -> list[ListGroup]:
    """任务清单: the open problems per department, the most overdue departments first."""
    problems = _open_problems(actor)
    if department_id is not None:
        problems = problems.filter(department_id=department_id)
    groups: dict[str, ListGroup] = {}
    for problem in problems:
        department = problem.department
        key = str(department.pk) if department else ""
        group = groups.get(key)
        if group is None:
            group = groups[key] = ListGroup(
                key=key,
                name=department.name if department else "",
                region=department.region_id if department else "",
            )
        _add(group, problem, today)
    return sorted(groups.values(), key=lambda g: (-g.overdue, -len(g.problems), g.name))


def responsibility_list(
    *, actor: User | AnonymousUser, today: dt.date, person: str = ""
) -> list[ListGroup]:
    """责任清单: the open problems per responsible person (and department)."""
    problems = _open_problems(actor)
    if person.strip():
        problems = problems.filter(person__icontains=person.strip())
    groups: dict[str, ListGroup] = {}
    for problem in problems:
        department = problem.department
        key = f"{problem.person}|{department.pk if department else ''}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = ListGroup(
                key=key, name=problem.person, region=department.name if department else ""
            )
        _add(group, problem, today)
    return sorted(groups.values(), key=lambda g: (-g.overdue, -len(g.problems), g.name))


def _add(group: ListGroup, problem: Problem, today: dt.date) -> None:
    group.problems.append(problem)
    if problem.deadline is not None and problem.deadline < today:
        group.overdue += 1
    if problem.escalation_level:
        group.escalated += 1


def department_tasks(*, actor: User | AnonymousUser, department: Department) -> QuerySet[Problem]:
    """A department's open problems, as the API lists them."""
    return _open_problems(actor).filter(department=department)


# ---------------------------------------------------------------- escalation policy


def policies_by_region() -> dict[str, escalation.Policy]:
    """Every region's stored policy (a few hundred rows at most), keyed by region code."""
    return {
        region_id: escalation.Policy(city, province)
        for region_id, city, province in EscalationPolicy.objects.values_list(
            "region_id", "city_after_days", "province_after_days"
        )
    }


@dataclass(frozen=True)
class PolicyView:
    """The policy that applies to a region, and where it comes from."""

    region: Region
    policy: escalation.Policy
    own: EscalationPolicy | None
    source: Region | None  # the ancestor it is inherited from; None for the defaults


def policy_view(*, region: Region) -> PolicyView:
    """The region's own policy, or the one it inherits."""
    stored = {
        p.region_id: p
        for p in EscalationPolicy.objects.filter(region_id__in=ancestors_of(region.code))
    }
    for code in ancestors_of(region.code):
        if code in stored:
            found = stored[code]
            return PolicyView(
                region=region,
                policy=escalation.Policy(found.city_after_days, found.province_after_days),
                own=found if code == region.code else None,
                source=Region.objects.get(code=code),
            )
    return PolicyView(region=region, policy=escalation.DEFAULT_POLICY, own=None, source=None)


# ---------------------------------------------------------------- supervision orders


def order_scope_q(actor: User | AnonymousUser) -> Q:
    """Filter on SupervisionOrder: orders about visible projects, and those sent to the actor."""
    if not actor.is_authenticated or not actor.is_active:
        return NOTHING
    if actor.is_superuser:
        return Q()
    department_id = getattr(actor, "department_id", None)
    if actor.role == Role.DEPARTMENT and department_id:
        return Q(department_id=department_id) | _projects_q(actor)
    if actor.role == Role.OWNER:
        return Q(recipient=Recipient.OWNER) & _projects_q(actor)
    return _projects_q(actor)


def orders_visible(*, actor: User | AnonymousUser) -> QuerySet[SupervisionOrder]:
    """Every supervision order the actor may see."""
    return SupervisionOrder.objects.filter(order_scope_q(actor))


def order_rows(queryset: QuerySet[SupervisionOrder]) -> QuerySet[SupervisionOrder]:
    """The columns an order list shows, joined in one query."""
    return queryset.select_related(
        "project", "project__region", "department", "issuing_region", "problem"
    )


def order_get(*, actor: User | AnonymousUser, pk: int) -> SupervisionOrder:
    """One visible order; DoesNotExist outside scope."""
    return (
        order_rows(orders_visible(actor=actor))
        .select_related("issued_by", "responded_by", "closed_by", "light")
        .get(pk=pk)
    )


def can_respond_order(*, actor: User | AnonymousUser, order: SupervisionOrder) -> bool:
    """The order's department's users, or the project's owners, answer it."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if order.recipient == Recipient.DEPARTMENT:
        return (
            actor.role == Role.DEPARTMENT
            and order.department_id is not None
            and getattr(actor, "department_id", None) == order.department_id
        )
    return actor.role == Role.OWNER and order.project.owner_users.filter(pk=actor.pk).exists()


def can_close_order(*, actor: User | AnonymousUser, order: SupervisionOrder) -> bool:
    """An admin whose region holds the project closes an order."""
    return actor.is_authenticated and (
        actor.is_superuser
        or (actor.role == Role.ADMIN and can_edit_region(actor, order.project.region_id))
    )


def order_counts(queryset: QuerySet[SupervisionOrder], *, today: dt.date) -> dict[str, int]:
    """Counts by status, and the unanswered ones past their response deadline."""
    aggregates = {
        status: Count("pk", filter=Q(status=status)) for status in SupervisionStatus.values
    } | {
        "overdue": Count(
            "pk", filter=Q(status=SupervisionStatus.ISSUED, response_deadline__lt=today)
        )
    }
    return queryset.order_by().aggregate(**aggregates)


def problem_orders(*, problem: Problem) -> QuerySet[SupervisionOrder]:
    """The orders issued about a problem, newest first."""
    return problem.supervision_orders.select_related("department", "issuing_region")


def departments_grouped(departments: QuerySet[Department]) -> dict[str, list[Department]]:
    """Departments by region name, for a grouped select."""
    grouped: dict[str, list[Department]] = defaultdict(list)
    for department in departments:
        grouped[department.region.name].append(department)
    return dict(grouped)
