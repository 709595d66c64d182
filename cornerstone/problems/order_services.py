"""Writes of supervision orders (督办单): issue, respond, close.

An order follows a red light or an escalated problem, goes to a department or to the
project's owner with a response deadline, and is numbered 督〔2026〕12号 per issuing
region and year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.scope import can_edit_region
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.notifications import notification_send
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.geo.models import Region
from cornerstone.problems.choices import EscalationLevel, Recipient, SupervisionStatus
from cornerstone.problems.models import Problem, SupervisionOrder
from cornerstone.problems.queries import can_close_order, can_respond_order
from cornerstone.problems.services import _department_errors, _department_users

if TYPE_CHECKING:
    from cornerstone.accounts.models import User
    from cornerstone.alerts.models import ProjectLight
    from cornerstone.projects.models import Project

ORDER_FIELDS = ["kind", "recipient", "department", "subject", "content", "response_deadline"]
TEXT_MAX = 5000


def order_number(year: int, serial: int) -> str:
    """The document number, e.g. 督〔2026〕12号."""
    return f"督〔{year}〕{serial}号"


def _issuer_region(actor: User, project: Project) -> Region:
    """The admin's own region issues; a superuser issues in the project's region."""
    code = project.region_id if actor.is_superuser or actor.region_id is None else actor.region_id
    # Locking the issuing region serialises numbering within it.
    return Region.objects.select_for_update().get(code=code)


def _recipients(order: SupervisionOrder) -> list[User]:
    if order.recipient == Recipient.DEPARTMENT:
        return _department_users(order.department_id)
    return list(order.project.owner_users.filter(is_active=True))


def _order_url(order: SupervisionOrder) -> str:
    return reverse("problems:order_detail", args=[order.pk])


@transaction.atomic
def order_issue(
    *,
    project: Project,
    data: Mapping[str, Any],
    problem: Problem | None = None,
    light: ProjectLight | None = None,
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> SupervisionOrder:
    """Issue an order about an escalated problem or a red light of the project."""
    if not (actor.is_superuser or can_edit_region(actor, project.region_id)):
        raise PermissionDenied(_("您无权对该项目下发督办单。"))
    if problem is not None:
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        if problem.project_id != project.pk:
            raise ValidationError({"problem": _("该问题不属于此项目。")})
        if problem.escalation_level == EscalationLevel.NORMAL:
            raise ValidationError(
                {"problem": _("只有已升级督办（市级或省级）的问题才能下发督办单。")}
            )
    if light is not None:
        if light.project_id != project.pk:
            raise ValidationError({"light": _("该预警不属于此项目。")})
        if light.colour != "red":
            raise ValidationError({"light": _("只有亮红灯的预警才能下发督办单。")})
    if problem is None and light is None:
        raise ValidationError({"__all__": _("督办单须由已升级的问题或红灯预警发起。")})
    today = timezone.localdate()
    order = SupervisionOrder(
        project=project, problem=problem, light=light, issued_by=actor, year=today.year
    )
    given = dict(data)
    given.setdefault("subject", "")
    given.setdefault("content", "")
    errors = values_apply(order, given, ORDER_FIELDS)
    if order.recipient == Recipient.DEPARTMENT:
        if order.department_id is None and "department" not in errors:
            errors["department"] = [_("督办对象为责任单位时须选择责任单位。")]
        elif "department" not in errors:
            errors.update(_department_errors(project, order.department_id))
    elif order.recipient == Recipient.OWNER:
        order.department = None
        if not project.owner_users.exists():
            errors["recipient"] = [_("该项目没有业主单位账号，无法督办业主单位。")]
    if (
        "response_deadline" not in errors
        and order.response_deadline is not None
        and order.response_deadline < today
    ):
        errors["response_deadline"] = [_("反馈时限不能早于今天（%s）。") % today.isoformat()]
    if len(order.content or "") > TEXT_MAX:
        errors["content"] = [_("督办要求最多%d个字。") % TEXT_MAX]
    region = _issuer_region(actor, project)
    order.issuing_region = region
    last = SupervisionOrder.objects.filter(issuing_region=region, year=today.year).aggregate(
        Max("serial")
    )["serial__max"]
    order.serial = (last or 0) + 1
    order.number = order_number(today.year, order.serial)
    full_clean_or_raise(order, errors)
    order.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=order,
        summary=_("下发督办单%(number)s：%(subject)s")
        % {"number": order.number, "subject": order.subject},
        changes=diff(order, {}, snapshot(order, ORDER_FIELDS)),
        project_id=project.pk,
    )
    users = _recipients(order)
    if users:
        title = _("督办单%(number)s：%(subject)s") % {
            "number": order.number,
            "subject": order.subject,
        }
        body = _("请于%(date)s前反馈办理情况。") % {"date": order.response_deadline.isoformat()}
        transaction.on_commit(
            lambda: notification_send(users=users, title=title, body=body, url=_order_url(order))
        )
    return order


def _locked(order: SupervisionOrder) -> SupervisionOrder:
    return SupervisionOrder.objects.select_for_update().select_related("project").get(pk=order.pk)


def _text(value: str, field: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("请填写%s。") % label})
    if len(text) > limit:
        raise ValidationError(
            {field: _("%(label)s最多%(limit)d个字。") % {"label": label, "limit": limit}}
        )
    return text


@transaction.atomic
def order_respond(
    *,
    order: SupervisionOrder,
    response: str,
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> SupervisionOrder:
    """The recipient reports what was done; the order waits for the issuer to close it."""
    order = _locked(order)
    if not can_respond_order(actor=actor, order=order):
        raise PermissionDenied(_("只有督办对象才能反馈该督办单。"))
    if order.status != SupervisionStatus.ISSUED:
        raise ValidationError(
            {
                "status": _("督办单当前状态为“%s”，不能再反馈。")
                % SupervisionStatus(order.status).label
            }
        )
    order.response = _text(response, "response", str(_("反馈内容")), TEXT_MAX)
    order.responded_by = actor
    order.responded_at = timezone.now()
    order.status = SupervisionStatus.ANSWERED
    order.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=order,
        summary=_("反馈督办单%s") % order.number,
        changes={
            "status": {
                "label": str(_("状态")),
                "before": str(SupervisionStatus.ISSUED.label),
                "after": str(SupervisionStatus.ANSWERED.label),
            }
        },
        project_id=order.project_id,
    )
    issuer = order.issued_by
    transaction.on_commit(
        lambda: notification_send(
            users=[issuer],
            title=_("督办单%s已反馈") % order.number,
            body=order.response[:200],
            url=_order_url(order),
        )
    )
    return order


@transaction.atomic
def order_close(
    *,
    order: SupervisionOrder,
    note: str,
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> SupervisionOrder:
    """An admin in scope closes an answered order with a closing note."""
    order = _locked(order)
    if not can_close_order(actor=actor, order=order):
        raise PermissionDenied(_("您无权办结该督办单。"))
    if order.status != SupervisionStatus.ANSWERED:
        raise ValidationError(
            {
                "status": _("督办单当前状态为“%s”，须先由督办对象反馈后才能办结。")
                % SupervisionStatus(order.status).label
            }
        )
    order.closing_note = _text(note, "closing_note", str(_("办结意见")), 500)
    order.closed_by = actor
    order.closed_at = timezone.now()
    order.status = SupervisionStatus.CLOSED
    order.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=order,
        summary=_("办结督办单%s") % order.number,
        changes={
            "status": {
                "label": str(_("状态")),
                "before": str(SupervisionStatus.ANSWERED.label),
                "after": str(SupervisionStatus.CLOSED.label),
            }
        },
        project_id=order.project_id,
    )
    return order
