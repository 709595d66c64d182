"""Writes of the problems app: raising and moving problems, escalation, supervision orders."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from cornerstone.core.audit import audit_record
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise
from cornerstone.problems.choices import ProblemAction, ProblemStatus
from cornerstone.problems.models import Problem, ProblemEvent

if TYPE_CHECKING:
    from cornerstone.accounts.models import User
    from cornerstone.geo.models import Department
    from cornerstone.progress.models import ProgressReport
    from cornerstone.projects.models import Project


@transaction.atomic
def problem_raise(
    *,
    project: Project,
    category: str,
    description: str,
    department: Department | None = None,
    person: str = "",
    deadline: dt.date | None = None,
    source_report: ProgressReport | None = None,
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> Problem:
    """Record a new problem on a project, assigned to a department with a deadline."""
    problem = Problem(
        project=project,
        category=category,
        description=description.strip(),
        department=department,
        person=person.strip(),
        deadline=deadline,
        source_report=source_report,
        raised_by=actor,
        status=ProblemStatus.OPEN,
    )
    full_clean_or_raise(problem, {})
    problem.save()
    ProblemEvent.objects.create(
        problem=problem,
        action=ProblemAction.RAISE,
        to_status=ProblemStatus.OPEN,
        comment=problem.description[:1000],
        actor=actor,
    )
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=problem,
        summary=_("提出问题：%s") % problem.description[:100],
        project_id=project.pk,
    )
    return problem
