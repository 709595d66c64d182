"""Writes of the problems app: raising and moving problems, and the escalation policy.

Supervision orders are written by ``order_services``; the nightly escalation by
``escalation_services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.choices import Role
from cornerstone.accounts.scope import can_edit_region
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.notifications import notification_send
from cornerstone.core.validation import StaleVersion, full_clean_or_raise, values_apply
from cornerstone.geo.codes import ancestors_of
from cornerstone.geo.models import Department, Region
from cornerstone.problems import workflow
from cornerstone.problems.choices import ProblemAction, ProblemStatus
from cornerstone.problems.models import EscalationPolicy, Problem, ProblemEvent
from cornerstone.problems.queries import can_raise_problem, problem_actors

if TYPE_CHECKING:
    from cornerstone.accounts.models import User
    from cornerstone.progress.models import ProgressReport
    from cornerstone.projects.models import Project

REASSIGN_FIELDS = ["department", "person", "deadline"]
COMMENT_MAX = 1000


def _department_errors(project: Project, department_id: int | None) -> dict[str, list[str]]:
    """A problem goes to a department of the project's region or of a region above it."""
    if department_id is None:
        return {}
    region_id = (
        Department.objects.filter(pk=department_id).values_list("region_id", flat=True).first()
    )
    if region_id is None or region_id not in ancestors_of(project.region_id):
        return {
            "department": [
                _("所选责任单位不属于项目所在区划（%s）或其上级区划。") % project.region_id
            ]
        }
    return {}


def _deadline_errors(deadline: dt.date | None, today: dt.date) -> dict[str, list[str]]:
    if deadline is not None and deadline < today:
        return {"deadline": [_("办结时限不能早于今天（%s）。") % today.isoformat()]}
    return {}


def _comment(comment: str) -> str:
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise ValidationError({"comment": _("办理意见最多%d个字。") % COMMENT_MAX})
    return text


def _department_users(department_id: int | None) -> list[User]:
    from cornerstone.accounts.models import User

    if department_id is None:
        return []
    return list(User.objects.filter(department_id=department_id, is_active=True))


def _problem_url(problem: Problem) -> str:
    return reverse("problems:detail", args=[problem.pk])


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
    if not can_raise_problem(actor=actor, project=project):
        raise PermissionDenied(_("您无权对该项目提出问题。"))
    problem = Problem(
        project=project,
        source_report=source_report,
        raised_by=actor,
        status=ProblemStatus.OPEN,
    )
    errors = values_apply(
        problem,
        {
            "category": category,
            "description": (description or "").strip(),
            "department": department,
            "person": (person or "").strip(),
            "deadline": deadline,
        },
        ["category", "description", "department", "person", "deadline"],
    )
    if "department" not in errors:
        errors.update(_department_errors(project, problem.department_id))
    if "deadline" not in errors:
        errors.update(_deadline_errors(problem.deadline, timezone.localdate()))
    full_clean_or_raise(problem, errors)
    problem.save()
    ProblemEvent.objects.create(
        problem=problem,
        action=ProblemAction.RAISE,
        to_status=ProblemStatus.OPEN,
        comment=problem.description[:COMMENT_MAX],
        actor=actor,
    )
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=problem,
        summary=_("提出问题：%s") % problem.description[:100],
        changes=diff(problem, {}, snapshot(problem, ["category", *REASSIGN_FIELDS])),
        project_id=project.pk,
    )
    users = _department_users(problem.department_id)
    if users:
        transaction.on_commit(
            lambda: notification_send(
                users=users,
                title=_("新交办问题：%s") % project.name,
                body=problem.description[:200],
                url=_problem_url(problem),
            )
        )
    return problem


def _locked(problem: Problem, version: int | None) -> Problem:
    """The problem re-read under a lock; a stale version is refused."""
    current = Problem.objects.select_for_update().select_related("project").get(pk=problem.pk)
    if version is not None and int(version) != current.version:
        raise StaleVersion(
            _("该问题已被他人更新（当前为第%d版），请刷新页面后重试。") % current.version
        )
    return current


def _check(actor: User, problem: Problem, action: str, comment: str) -> workflow.Step:
    try:
        return workflow.step_check(
            action=action,
            status=problem.status,
            actors=problem_actors(actor=actor, problem=problem),
            comment=comment,
        )
    except workflow.TransitionForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except workflow.CommentRequired as exc:
        raise ValidationError({"comment": str(exc)}) from None
    except workflow.TransitionError as exc:
        raise ValidationError({"action": str(exc)}) from None


@transaction.atomic
def problem_transition(
    *,
    problem: Problem,
    action: str,
    comment: str = "",
    version: int | None = None,
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> Problem:
    """Take one step (start, resolve, verify, reopen, comment), keeping its comment."""
    text = _comment(comment)
    if action == "reassign":
        raise ValidationError({"action": _("改派请填写新的责任单位、责任人或时限。")})
    problem = _locked(problem, version)
    step = _check(actor, problem, action, text)
    before = problem.status
    now = timezone.now()
    if step.target is not None:
        problem.status = step.target
    if step.action == "resolve":
        problem.resolved_at = now
    elif step.action == "verify":
        problem.verified_at = now
    elif step.action == "reopen":
        problem.resolved_at = None
        problem.verified_at = None
    problem.version += 1
    problem.save()
    ProblemEvent.objects.create(
        problem=problem,
        action=step.action,
        from_status=before,
        to_status=problem.status,
        comment=text,
        actor=actor,
    )
    changes = {}
    if before != problem.status:
        changes["status"] = {
            "label": str(_("状态")),
            "before": str(ProblemStatus(before).label),
            "after": str(ProblemStatus(problem.status).label),
        }
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION if changes else AuditAction.UPDATE,
        obj=problem,
        summary=_("问题%(action)s：%(text)s")
        % {"action": step.name, "text": text[:80] or problem.description[:80]},
        changes=changes,
        project_id=problem.project_id,
    )
    _notify_step(problem, step, text, actor)
    return problem


def _notify_step(problem: Problem, step: workflow.Step, text: str, actor: User) -> None:
    """Reopened problems go back to the department; resolved ones to whoever raised them."""
    if step.action == "reopen":
        users = _department_users(problem.department_id)
    elif step.action == "resolve" and problem.raised_by_id and problem.raised_by_id != actor.pk:
        users = [problem.raised_by] if problem.raised_by else []
    else:
        return
    if users:
        title = _("问题%(action)s：%(project)s") % {
            "action": step.name,
            "project": problem.project.name,
        }
        transaction.on_commit(
            lambda: notification_send(
                users=users, title=title, body=text[:200], url=_problem_url(problem)
            )
        )


@transaction.atomic
def problem_reassign(
    *,
    problem: Problem,
    data: Mapping[str, Any],
    comment: str = "",
    version: int | None = None,
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> Problem:
    """Give the problem another department, person or deadline; a new department starts afresh."""
    text = _comment(comment)
    problem = _locked(problem, version)
    _check(actor, problem, "reassign", text)
    before = snapshot(problem, REASSIGN_FIELDS)
    old_department, old_deadline, old_status = (
        problem.department_id,
        problem.deadline,
        problem.status,
    )
    errors = values_apply(problem, data, REASSIGN_FIELDS)
    if "department" not in errors:
        errors.update(_department_errors(problem.project, problem.department_id))
    if "deadline" not in errors and problem.deadline != old_deadline:
        errors.update(_deadline_errors(problem.deadline, timezone.localdate()))
    full_clean_or_raise(problem, errors)
    changes = diff(problem, before, snapshot(problem, REASSIGN_FIELDS))
    if not changes:
        raise ValidationError({"__all__": _("责任单位、责任人和办结时限均未改变。")})
    if problem.department_id != old_department:
        problem.status = ProblemStatus.OPEN
        problem.resolved_at = None
    problem.version += 1
    problem.save()
    described = "；".join(
        f"{c['label']}：{c['before'] or '—'} → {c['after'] or '—'}" for c in changes.values()
    )
    ProblemEvent.objects.create(
        problem=problem,
        action=ProblemAction.REASSIGN,
        from_status=old_status,
        to_status=problem.status,
        comment=(f"{described}。{text}" if text else described)[:COMMENT_MAX],
        actor=actor,
    )
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=problem,
        summary=_("问题改派：%s") % described[:200],
        changes=changes,
        project_id=problem.project_id,
    )
    if problem.department_id != old_department:
        users = _department_users(problem.department_id)
        if users:
            transaction.on_commit(
                lambda: notification_send(
                    users=users,
                    title=_("新交办问题：%s") % problem.project.name,
                    body=problem.description[:200],
                    url=_problem_url(problem),
                )
            )
    return problem


# ---------------------------------------------------------------- escalation policy


def can_edit_policy(actor: User, region: Region) -> bool:
    """An admin sets the policy of their own region and of the regions below it."""
    return actor.is_superuser or (actor.role == Role.ADMIN and can_edit_region(actor, region.code))


@transaction.atomic
def escalation_policy_save(
    *,
    region: Region,
    data: Mapping[str, Any],
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> EscalationPolicy:
    """Set after how many overdue days the region's problems go to city and province level."""
    if not can_edit_policy(actor, region):
        raise PermissionDenied(_("您无权修改该区划的升级规则。"))
    policy = EscalationPolicy.objects.select_for_update().filter(
        region=region
    ).first() or EscalationPolicy(region=region)
    created = policy.pk is None
    fields = ["city_after_days", "province_after_days"]
    before = {} if created else snapshot(policy, fields)
    errors = values_apply(policy, data, fields)
    for name in fields:
        value = getattr(policy, name)
        if name not in errors and isinstance(value, int) and not 1 <= value <= 365:
            errors[name] = [_("天数应在1到365之间。")]
    if not errors and policy.province_after_days <= policy.city_after_days:
        errors["province_after_days"] = [_("升省级督办的天数须大于升市级督办的天数。")]
    full_clean_or_raise(policy, errors)
    policy.save()
    changes = diff(policy, before, snapshot(policy, fields))
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=policy,
            summary=_("%(region)s问题升级规则：逾期%(city)d天升市级、%(province)d天升省级督办")
            % {
                "region": region.name,
                "city": policy.city_after_days,
                "province": policy.province_after_days,
            },
            changes=changes,
        )
    return policy


@transaction.atomic
def escalation_policy_clear(
    *, region: Region, actor: User, source: AuditSource = AuditSource.PAGE
) -> None:
    """Drop the region's own policy: it inherits its parent's (or the defaults) again."""
    if not can_edit_policy(actor, region):
        raise PermissionDenied(_("您无权修改该区划的升级规则。"))
    policy = EscalationPolicy.objects.filter(region=region).first()
    if policy is None:
        return
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=policy,
        summary=_("%s恢复沿用上级的问题升级规则") % region.name,
        changes=diff(policy, snapshot(policy, ["city_after_days", "province_after_days"]), {}),
    )
    policy.delete()
