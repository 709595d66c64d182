"""Every read of meetings, agendas and briefings, already scoped to the actor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from cornerstone.accounts.scope import project_scope_q, region_scope_q
from cornerstone.alerts.choices import Light
from cornerstone.alerts.models import ProjectLight
from cornerstone.dispatch.models import AgendaItem, Briefing, Decision, DispatchMeeting
from cornerstone.geo.codes import subtree_bounds
from cornerstone.problems.choices import ProblemStatus
from cornerstone.problems.models import Problem
from cornerstone.projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User


def meetings_visible(*, actor: User | AnonymousUser) -> QuerySet[DispatchMeeting]:
    """Meetings held for a region in the actor's subtree (owners see none)."""
    return (
        DispatchMeeting.objects.filter(region_scope_q(actor, "region_id"))
        .select_related("region", "created_by")
        .annotate(agenda_count=Count("agenda", distinct=True))
        .annotate(decision_count=Count("decisions", distinct=True))
        .order_by("-date", "-id")
    )


def meeting_get(*, actor: User | AnonymousUser, pk: int) -> DispatchMeeting:
    """One visible meeting; DoesNotExist when outside scope."""
    return (
        DispatchMeeting.objects.filter(region_scope_q(actor, "region_id"))
        .select_related("region", "created_by")
        .get(pk=pk)
    )


def meeting_agenda(*, meeting: DispatchMeeting) -> list[AgendaItem]:
    """The agenda in order, with the project, problem and the decisions taken on each item."""
    return list(
        meeting.agenda.select_related("project", "project__region", "problem")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("task", "problem"))
        )
        .order_by("position")
    )


def meeting_decisions(*, meeting: DispatchMeeting) -> list[Decision]:
    """The decisions of a meeting with what each became."""
    return list(
        meeting.decisions.select_related(
            "project",
            "agenda_item",
            "task",
            "task__department",
            "problem",
            "problem__department",
            "created_by",
        ).order_by("id")
    )


def briefings_visible(*, actor: User | AnonymousUser) -> QuerySet[Briefing]:
    """Briefings of a region in the actor's subtree (owners see none)."""
    return Briefing.objects.filter(region_scope_q(actor, "region_id")).select_related(
        "region", "created_by", "meeting"
    )


def briefing_get(*, actor: User | AnonymousUser, pk: int) -> Briefing:
    """One visible briefing; DoesNotExist when outside scope."""
    return briefings_visible(actor=actor).get(pk=pk)


def meeting_scope_projects(*, meeting: DispatchMeeting) -> Q:
    """Filter on Project for the meeting's scope: its region's subtree, tier and category."""
    low, high = subtree_bounds(meeting.region_id)
    q = Q(region_id__gte=low, region_id__lt=high)
    if meeting.tier:
        q &= Q(tier=meeting.tier)
    if meeting.category:
        q &= Q(category=meeting.category)
    return q


def latest_light_month(*, meeting: DispatchMeeting) -> tuple[int, int] | None:
    """The latest month with lights computed for the meeting's projects, up to its date."""
    month = (
        ProjectLight.objects.filter(
            project__in=Project.objects.filter(meeting_scope_projects(meeting=meeting)),
        )
        .filter(
            Q(year__lt=meeting.date.year) | Q(year=meeting.date.year, month__lte=meeting.date.month)
        )
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return month


def agenda_lights(*, meeting: DispatchMeeting, year: int, month: int) -> list[ProjectLight]:
    """Red, then yellow lights of the month in the meeting's scope, biggest projects first."""
    lights = ProjectLight.objects.filter(
        project__in=Project.objects.filter(meeting_scope_projects(meeting=meeting)),
        year=year,
        month=month,
        colour__in=[Light.RED, Light.YELLOW],
    ).select_related("project")
    return sorted(
        lights,
        key=lambda light: (
            light.colour != Light.RED,
            -light.project.total_investment,
            light.project.code,
        ),
    )


def agenda_problems(*, meeting: DispatchMeeting) -> list[Problem]:
    """Escalated problems still open in the meeting's scope, highest level and oldest first."""
    return list(
        Problem.objects.filter(
            project__in=Project.objects.filter(meeting_scope_projects(meeting=meeting)),
            escalation_level__gt=0,
            status__in=[ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS],
        )
        .select_related("project", "department")
        .order_by("-escalation_level", "deadline", "id")
    )


def decision_projects(
    *, actor: User | AnonymousUser, meeting: DispatchMeeting
) -> QuerySet[Project]:
    """Projects a decision of this meeting may be about: in its scope and visible to the actor."""
    return Project.objects.filter(project_scope_q(actor)).filter(
        meeting_scope_projects(meeting=meeting)
    )
