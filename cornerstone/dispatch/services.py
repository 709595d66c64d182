"""Writes of dispatch: meetings, their agenda and decisions, and briefing requests.

Each write is one transaction with its audit row; generating a briefing's files is
the task in ``tasks.py``, started once the request is committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects, can_edit_region
from cornerstone.alerts.choices import Light
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.dispatch.briefing_data import scope_label
from cornerstone.dispatch.choices import (
    AgendaKind,
    BriefingStatus,
    DecisionOutcome,
    MeetingStatus,
)
from cornerstone.dispatch.models import AgendaItem, Briefing, Decision, DispatchMeeting
from cornerstone.dispatch.queries import (
    agenda_lights,
    agenda_problems,
    decision_projects,
    latest_light_month,
)
from cornerstone.dispatch.summary import area_word
from cornerstone.dispatch.tasks import briefing_generate
from cornerstone.geo.models import Department, Region
from cornerstone.plans.queries import task_departments, work_calendar
from cornerstone.plans.task_services import task_create
from cornerstone.problems.choices import EscalationLevel, ProblemCategory
from cornerstone.problems.services import problem_raise

MEETING_FIELDS = ["title", "region", "tier", "category", "date", "location"]
MEETING_EDIT_FIELDS = ["title", "date", "location", "minutes"]
BRIEFING_FIELDS = ["title", "issuing_body", "number", "region", "tier", "category", "year", "month"]
# Allowed moves of a meeting: planned → held → closed (a held meeting may be reopened).
MEETING_MOVES = {
    MeetingStatus.PLANNED: {MeetingStatus.HELD},
    MeetingStatus.HELD: {MeetingStatus.CLOSED, MeetingStatus.PLANNED},
    MeetingStatus.CLOSED: set(),
}


def require_dispatcher(actor: User) -> None:
    """Only admins run meetings and publish briefings; leaders and others only read."""
    if not can_edit_projects(actor):
        raise PermissionDenied(_("您没有组织调度会或发布通报的权限。"))


def _region_errors(actor: User, instance: DispatchMeeting | Briefing) -> dict[str, list[str]]:
    if instance.region_id and not can_edit_region(actor, instance.region_id):
        return {"region": [_("所选区划不在您的管辖范围内。")]}
    return {}


def _require_in_scope(actor: User, meeting: DispatchMeeting) -> None:
    """A meeting outside the actor's subtree is reported as missing."""
    require_dispatcher(actor)
    if not can_edit_region(actor, meeting.region_id):
        raise DispatchMeeting.DoesNotExist


def _require_open(meeting: DispatchMeeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError({"status": [_("会议已归档，不能再修改。")]})


@transaction.atomic
def meeting_create(
    *, actor: User, data: Mapping[str, Any], source: AuditSource = AuditSource.PAGE
) -> DispatchMeeting:
    """Plan a meeting for a region of the actor's subtree (optionally one tier and category)."""
    require_dispatcher(actor)
    meeting = DispatchMeeting(created_by=actor, status=MeetingStatus.PLANNED)
    errors = values_apply(meeting, data, MEETING_FIELDS)
    if "region" not in errors:
        errors.update(_region_errors(actor, meeting))
    full_clean_or_raise(meeting, errors)
    meeting.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=meeting,
        summary=_("新建调度会“%s”") % meeting.title,
        changes=diff(meeting, {}, snapshot(meeting, MEETING_FIELDS)),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: DispatchMeeting,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> DispatchMeeting:
    """Change a meeting's title, date, place or minutes (not once it is closed)."""
    _require_in_scope(actor, meeting)
    meeting = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open(meeting)
    before = snapshot(meeting, MEETING_EDIT_FIELDS)
    errors = values_apply(meeting, data, MEETING_EDIT_FIELDS)
    full_clean_or_raise(meeting, errors)
    meeting.save()
    changes = diff(meeting, before, snapshot(meeting, MEETING_EDIT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            obj=meeting,
            summary=_("修改调度会“%s”") % meeting.title,
            changes=changes,
        )
    return meeting


@transaction.atomic
def meeting_move(
    *,
    actor: User,
    meeting: DispatchMeeting,
    status: str,
    source: AuditSource = AuditSource.PAGE,
) -> DispatchMeeting:
    """Mark a meeting held or closed (or back to planned from held)."""
    _require_in_scope(actor, meeting)
    meeting = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    if status not in MeetingStatus.values:
        raise ValidationError({"status": [_("未知的会议状态“%s”。") % status]})
    target = MeetingStatus(status)
    if target not in MEETING_MOVES[MeetingStatus(meeting.status)]:
        raise ValidationError(
            {
                "status": [
                    _("会议当前为“%(now)s”，不能改为“%(to)s”。")
                    % {"now": meeting.get_status_display(), "to": target.label}
                ]
            }
        )
    before = snapshot(meeting, ["status"])
    meeting.status = target
    meeting.save(update_fields=["status"])
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=meeting,
        summary=_("调度会“%(title)s”改为%(status)s")
        % {"title": meeting.title, "status": target.label},
        changes=diff(meeting, before, snapshot(meeting, ["status"])),
    )
    return meeting


def _light_reason(reasons: Any, colour: str) -> str:
    texts = [
        str(r.get("text"))
        for r in (reasons or [])
        if isinstance(r, dict) and r.get("text") and not r.get("suppressed")
    ]
    label = str(Light(colour).label) if colour in Light.values else colour
    return (f"{label}：" + "；".join(texts) if texts else label)[:500]


@transaction.atomic
def agenda_assemble(
    *, actor: User, meeting: DispatchMeeting, source: AuditSource = AuditSource.PAGE
) -> list[AgendaItem]:
    """Snapshot the agenda: red then yellow projects of the latest month, then escalated
    open problems, each with its reason; replaces an agenda no decision was taken on."""
    _require_in_scope(actor, meeting)
    meeting = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open(meeting)
    if meeting.decisions.exists():
        raise ValidationError({"agenda": [_("会议已有议定事项，议题不能重新生成。")]})
    items: list[AgendaItem] = []
    period = latest_light_month(meeting=meeting)
    if period is not None:
        for light in agenda_lights(meeting=meeting, year=period[0], month=period[1]):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    kind=AgendaKind.PROJECT,
                    project_id=light.project_id,
                    colour=light.colour,
                    reason=_light_reason(light.reasons, light.colour),
                )
            )
    for problem in agenda_problems(meeting=meeting):
        level = EscalationLevel(problem.escalation_level).label
        deadline = _("，办结时限%s") % problem.deadline.isoformat() if problem.deadline else ""
        items.append(
            AgendaItem(
                meeting=meeting,
                kind=AgendaKind.PROBLEM,
                project_id=problem.project_id,
                problem=problem,
                reason=(
                    f"{level}【{ProblemCategory(problem.category).label}】"
                    f"{problem.description}{deadline}"
                )[:500],
            )
        )
    for position, item in enumerate(items, start=1):
        item.position = position
    removed = meeting.agenda.count()
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(items)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=meeting,
        summary=_("生成调度会“%(title)s”议题%(count)d项")
        % {"title": meeting.title, "count": len(items)},
        changes={
            "agenda": {
                "label": str(_("议题")),
                "before": str(removed) if removed else None,
                "after": str(len(items)),
            }
        },
    )
    return list(meeting.agenda.order_by("position"))


def _decision_read(
    actor: User, meeting: DispatchMeeting, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check a submitted decision; every problem with it is named at once."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - {
        "project",
        "agenda_item",
        "text",
        "outcome",
        "department",
        "person",
        "deadline",
        "category",
        "name",
        "duration",
    }
    if unknown:
        raise ValidationError({name: _("该字段不可修改。") for name in sorted(unknown)})
    clean: dict[str, Any] = {}
    item = None
    if data.get("agenda_item") not in (None, ""):
        item = meeting.agenda.filter(pk=_int(data["agenda_item"])).first()
        if item is None:
            errors["agenda_item"] = [_("议题不属于本次会议。")]
    clean["agenda_item"] = item
    project_id = data.get("project") or (item.project_id if item else None)
    project = None
    if project_id in (None, ""):
        errors["project"] = [_("请选择项目。")]
    else:
        project = (
            decision_projects(actor=actor, meeting=meeting).filter(pk=_int(project_id)).first()
        )
        if project is None:
            errors["project"] = [_("项目不在本次会议的调度范围内。")]
        elif item is not None and item.project_id != project.pk:
            errors["project"] = [_("项目与所选议题不一致。")]
    clean["project"] = project
    text = str(data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("请填写议定事项。")]
    clean["text"] = text
    outcome = str(data.get("outcome") or "")
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = [_("请选择转为任务或问题。")]
    clean["outcome"] = outcome
    deadline = data.get("deadline")
    if isinstance(deadline, str):
        try:
            deadline = dt.date.fromisoformat(deadline.strip()) if deadline.strip() else None
        except ValueError:
            errors["deadline"] = [_("“%s”不是有效的日期。") % deadline]
            deadline = None
    if deadline is None and "deadline" not in errors:
        errors["deadline"] = [_("请填写完成时限。")]
    elif deadline is not None and deadline < meeting.date:
        errors["deadline"] = [_("完成时限不能早于会议日期。")]
    clean["deadline"] = deadline
    department = None
    if data.get("department") not in (None, ""):
        department = Department.objects.filter(pk=_int(data["department"])).first()
        if department is None or (
            project is not None
            and not task_departments(actor=actor, project=project).filter(pk=department.pk).exists()
        ):
            errors["department"] = [_("所选责任单位不在本项目所在区划或您的管辖范围内。")]
    clean["department"] = department
    clean["person"] = str(data.get("person") or "").strip()
    if department is None and not clean["person"] and "department" not in errors:
        errors["department"] = [_("请指定责任单位或责任人。")]
    category = str(data.get("category") or "")
    if outcome == DecisionOutcome.PROBLEM and category not in ProblemCategory.values:
        errors["category"] = [_("请选择问题类别。")]
    clean["category"] = category
    clean["name"] = str(data.get("name") or "").strip() or text[:100]
    clean["duration"] = data.get("duration")
    return clean, errors


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@transaction.atomic
def decision_add(
    *,
    actor: User,
    meeting: DispatchMeeting,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> Decision:
    """Record a decision and create its task or problem, all in one transaction."""
    _require_in_scope(actor, meeting)
    meeting = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open(meeting)
    clean, errors = _decision_read(actor, meeting, data)
    if errors:
        raise ValidationError(errors)
    project = clean["project"]
    decision = Decision(
        meeting=meeting,
        agenda_item=clean["agenda_item"],
        project=project,
        text=clean["text"],
        outcome=clean["outcome"],
        created_by=actor,
    )
    if clean["outcome"] == DecisionOutcome.TASK:
        duration = clean["duration"]
        if duration in (None, ""):
            # A decision names a deadline, not a duration: the working days left until it.
            duration = max(1, work_calendar().working_days_between(meeting.date, clean["deadline"]))
        decision.task = task_create(
            actor=actor,
            project=project,
            data={
                "name": clean["name"],
                "department": clean["department"],
                "person": clean["person"],
                "duration": duration,
                "deadline": clean["deadline"],
                "note": (_("调度会“%s”议定") % meeting.title)[:500],
            },
            source=source,
        )
    else:
        decision.problem = problem_raise(
            project=project,
            category=clean["category"],
            description=clean["text"],
            department=clean["department"],
            person=clean["person"],
            deadline=clean["deadline"],
            actor=actor,
            source=source,
        )
    full_clean_or_raise(decision, {})
    decision.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=decision,
        summary=_("调度会“%(title)s”议定：%(text)s")
        % {"title": meeting.title, "text": decision.text[:100]},
        project_id=project.pk,
    )
    return decision


def briefing_default_title(region: Region, year: int, month: int, tier: str, category: str) -> str:
    """关于2026年10月全省重点项目建设情况的通报."""
    return (
        f"关于{year}年{month}月{area_word(region.name, region.level)}"
        f"{scope_label(tier, category)}建设情况的通报"
    )


@transaction.atomic
def briefing_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    meeting: DispatchMeeting | None = None,
    source: AuditSource = AuditSource.PAGE,
) -> Briefing:
    """Request a briefing for a scope and month; its files are generated in the background."""
    require_dispatcher(actor)
    if meeting is not None and not can_edit_region(actor, meeting.region_id):
        raise DispatchMeeting.DoesNotExist
    briefing = Briefing(created_by=actor, meeting=meeting, status=BriefingStatus.QUEUED)
    given = dict(data)
    given.setdefault("title", "")
    errors = values_apply(briefing, given, BRIEFING_FIELDS)
    if "region" not in errors:
        errors.update(_region_errors(actor, briefing))
    today = timezone.localdate()
    if "month" not in errors and briefing.month is not None and not 1 <= briefing.month <= 12:
        errors["month"] = [_("月份应在1到12之间。")]
    elif (
        "year" not in errors
        and "month" not in errors
        and briefing.year is not None
        and briefing.month is not None
    ):
        if (briefing.year, briefing.month) > (today.year, today.month):
            errors["month"] = [_("不能为尚未开始的月份生成通报。")]
        elif briefing.year < 2000:
            errors["year"] = [_("年度应不早于2000年。")]
    if not briefing.title and not errors and briefing.region_id:
        briefing.title = briefing_default_title(
            briefing.region, briefing.year, briefing.month, briefing.tier, briefing.category
        )
    full_clean_or_raise(briefing, errors)
    briefing.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=briefing,
        summary=_("生成通报“%s”") % briefing.title,
        changes=diff(briefing, {}, snapshot(briefing, BRIEFING_FIELDS)),
    )
    pk = briefing.pk
    transaction.on_commit(lambda: briefing_generate.enqueue(pk))
    return briefing
