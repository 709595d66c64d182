"""Every write of campaigns: the event and its venues, enrolment, and confirmation.

Each write is one transaction with its audit row. Confirming completes each project's
lifecycle step through the lifecycle service, all or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects, can_edit_region, project_scope_q
from cornerstone.campaigns.choices import ACTION_MILESTONE, Action, CampaignStatus, VenueKind
from cornerstone.campaigns.models import Campaign, CampaignProject, Venue
from cornerstone.campaigns.queries import lifecycle_facts, milestone_steps
from cornerstone.campaigns.rules import action_refusal, project_label
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.geo.codes import in_subtree
from cornerstone.projects.lifecycle_services import project_step_complete
from cornerstone.projects.models import Project

CAMPAIGN_FIELDS = ["name", "kind", "date", "region", "note"]
# The organising region is fixed once created: the enrolled projects were checked against it.
CAMPAIGN_EDIT_FIELDS = ["name", "kind", "date", "note"]
VENUE_FIELDS = ["kind", "region", "name", "address"]


@dataclass(frozen=True)
class EnrolItem:
    """One project to enrol, with its action and (optionally) its venue."""

    project_id: int
    action: str
    venue_id: int | None = None
    note: str = ""


def require_organiser(actor: User) -> None:
    """Only admins organise campaigns; leaders and others only read."""
    if not can_edit_projects(actor):
        raise PermissionDenied(_("您没有组织集中活动的权限。"))


def _require_manager(actor: User, campaign: Campaign) -> None:
    require_organiser(actor)
    if not can_edit_region(actor, campaign.region_id):
        raise PermissionDenied(_("只有组织区划（%s）的管理员可以修改本次活动。") % campaign.region)


def _locked_draft(actor: User, campaign: Campaign) -> Campaign:
    """The campaign locked for the write, refused unless the actor manages it and it is a draft."""
    _require_manager(actor, campaign)
    campaign = Campaign.objects.select_for_update().select_related("region").get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError({"status": [_("活动已确认，不能再修改。")]})
    return campaign


@transaction.atomic
def campaign_create(
    *, actor: User, data: Mapping[str, Any], source: AuditSource = AuditSource.PAGE
) -> Campaign:
    """Create a draft campaign organised by a region of the actor's subtree."""
    require_organiser(actor)
    campaign = Campaign(created_by=actor, status=CampaignStatus.DRAFT)
    errors = values_apply(campaign, data, CAMPAIGN_FIELDS)
    if (
        "region" not in errors
        and campaign.region_id
        and not can_edit_region(actor, campaign.region_id)
    ):
        errors["region"] = [_("所选区划不在您的管辖范围内。")]
    full_clean_or_raise(campaign, errors)
    campaign.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=campaign,
        summary=_("新建集中活动“%s”") % campaign.name,
        changes=diff(campaign, {}, snapshot(campaign, CAMPAIGN_FIELDS)),
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    actor: User,
    campaign: Campaign,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> Campaign:
    """Change a draft campaign's name, kind, date or note."""
    campaign = _locked_draft(actor, campaign)
    before = snapshot(campaign, CAMPAIGN_EDIT_FIELDS)
    errors = values_apply(campaign, data, CAMPAIGN_EDIT_FIELDS)
    full_clean_or_raise(campaign, errors)
    campaign.save()
    changes = diff(campaign, before, snapshot(campaign, CAMPAIGN_EDIT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            obj=campaign,
            summary=_("修改集中活动“%s”") % campaign.name,
            changes=changes,
        )
    return campaign


@transaction.atomic
def venue_add(
    *,
    actor: User,
    campaign: Campaign,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> Venue:
    """Add the main venue or a branch venue in a region of the campaign's subtree."""
    campaign = _locked_draft(actor, campaign)
    venue = Venue(campaign=campaign)
    errors = values_apply(venue, data, VENUE_FIELDS)
    if (
        "region" not in errors
        and venue.region_id
        and not in_subtree(venue.region_id, campaign.region_id)
    ):
        errors["region"] = [_("会场所在区划须在活动组织区划（%s）内。") % campaign.region.name]
    if venue.kind == VenueKind.MAIN and campaign.venues.filter(kind=VenueKind.MAIN).exists():
        errors["kind"] = [_("本次活动已有主会场，只能再添加分会场。")]
    full_clean_or_raise(venue, errors)
    venue.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=venue,
        summary=_("集中活动“%(campaign)s”新增%(kind)s“%(name)s”")
        % {"campaign": campaign.name, "kind": venue.get_kind_display(), "name": venue.name},
        changes=diff(venue, {}, snapshot(venue, VENUE_FIELDS)),
    )
    return venue


@transaction.atomic
def venue_remove(
    *, actor: User, campaign: Campaign, venue_id: int, source: AuditSource = AuditSource.PAGE
) -> None:
    """Remove a venue; its projects stay enrolled, without a venue."""
    campaign = _locked_draft(actor, campaign)
    venue = campaign.venues.get(pk=venue_id)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=venue,
        summary=_("集中活动“%(campaign)s”删除会场“%(name)s”")
        % {"campaign": campaign.name, "name": venue.name},
        changes=diff(venue, snapshot(venue, VENUE_FIELDS), {}),
    )
    venue.delete()


def _enrol_errors(
    actor: User, campaign: Campaign, items: Sequence[EnrolItem]
) -> tuple[list[str], dict[int, Project]]:
    """Every reason the batch cannot be enrolled, each naming its project."""
    ids = [item.project_id for item in items]
    projects = {p.pk: p for p in Project.objects.filter(project_scope_q(actor), pk__in=ids)}
    facts = lifecycle_facts(project_ids=list(projects))
    enrolled = dict(campaign.entries.filter(project_id__in=ids).values_list("project_id", "action"))
    venues = set(campaign.venues.values_list("pk", flat=True))
    seen: set[int] = set()
    errors: list[str] = []
    for position, item in enumerate(items, start=1):
        project = projects.get(item.project_id)
        if project is None:
            errors.append(
                _("第%(n)d项：项目编号“%(id)s”不存在或不在您的管辖范围内。")
                % {"n": position, "id": item.project_id}
            )
            continue
        label = project_label(project.name, project.code)
        if item.project_id in seen:
            errors.append(_("%s在本次提交中重复出现。") % label)
            continue
        seen.add(item.project_id)
        if item.project_id in enrolled:
            errors.append(
                _("%(project)s已在本次活动中（%(action)s），不能重复加入。")
                % {"project": label, "action": Action(enrolled[item.project_id]).label}
            )
            continue
        if not in_subtree(project.region_id, campaign.region_id):
            errors.append(
                _("%(project)s不在本次活动的组织区划（%(region)s）内。")
                % {"project": label, "region": campaign.region.name}
            )
            continue
        if item.venue_id is not None and item.venue_id not in venues:
            errors.append(_("%(project)s：所选会场不属于本次活动。") % {"project": label})
            continue
        refusal = action_refusal(item.action, facts[project.pk])
        if refusal:
            errors.append(_("%(project)s：%(reason)s") % {"project": label, "reason": refusal})
    return errors, projects


@transaction.atomic
def campaign_projects_enrol(
    *,
    actor: User,
    campaign: Campaign,
    items: Sequence[EnrolItem],
    source: AuditSource = AuditSource.PAGE,
) -> list[CampaignProject]:
    """Enrol projects with their actions, all or none; every refusal names its project."""
    campaign = _locked_draft(actor, campaign)
    if not items:
        raise ValidationError({"projects": [_("请至少选择一个项目。")]})
    errors, projects = _enrol_errors(actor, campaign, items)
    if errors:
        raise ValidationError({"projects": errors})
    entries = []
    for item in items:
        project = projects[item.project_id]
        entry = CampaignProject(
            campaign=campaign,
            project=project,
            action=item.action,
            venue_id=item.venue_id,
            note=item.note.strip(),
        )
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.CREATE,
            obj=entry,
            summary=_("加入集中活动“%(campaign)s”（%(action)s）")
            % {"campaign": campaign.name, "action": entry.get_action_display()},
            changes=diff(entry, {}, snapshot(entry, ["action", "venue", "note"])),
            project_id=project.pk,
        )
        entries.append(entry)
    return entries


@transaction.atomic
def campaign_project_remove(
    *,
    actor: User,
    campaign: Campaign,
    project_id: int,
    source: AuditSource = AuditSource.PAGE,
) -> None:
    """Take a project out of a draft campaign."""
    campaign = _locked_draft(actor, campaign)
    entry = (
        campaign.entries.filter(project__in=Project.objects.filter(project_scope_q(actor)))
        .select_related("project")
        .get(project_id=project_id)
    )
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=entry,
        summary=_("移出集中活动“%(campaign)s”（%(action)s）")
        % {"campaign": campaign.name, "action": entry.get_action_display()},
        changes=diff(entry, snapshot(entry, ["action", "venue", "note"]), {}),
        project_id=entry.project_id,
    )
    entry.delete()


@transaction.atomic
def campaign_confirm(
    *, actor: User, campaign: Campaign, source: AuditSource = AuditSource.PAGE
) -> Campaign:
    """Record the event: each project's step completed on the event date, all or nothing."""
    # The step is found by the action's milestone; the lifecycle service checks the order
    # of steps and writes each project's audit row, whose note names the campaign. The
    # announced investment is frozen on each row.
    campaign = _locked_draft(actor, campaign)
    today = timezone.localdate()
    if campaign.date > today:
        raise ValidationError(
            {
                "date": [
                    _("活动日期（%(date)s）尚未到来，须在活动当天或之后确认。")
                    % {"date": campaign.date.isoformat()}
                ]
            }
        )
    entries = list(campaign.entries.select_related("project").order_by("id"))
    if not entries:
        raise ValidationError({"projects": [_("本次活动还没有参加项目。")]})
    steps = milestone_steps()
    needed = {e.action for e in entries}
    missing = [
        str(Action(a).label) for a, m in ACTION_MILESTONE.items() if m not in steps and a in needed
    ]
    if missing:
        raise ValidationError(
            {"projects": [_("生命周期中没有对应“%s”的环节。") % "、".join(missing)]}
        )
    facts = lifecycle_facts(project_ids=[e.project_id for e in entries])
    errors: list[str] = []
    for entry in entries:
        label = project_label(entry.project.name, entry.project.code)
        refusal = action_refusal(entry.action, facts[entry.project_id])
        if refusal:
            errors.append(_("%(project)s：%(reason)s") % {"project": label, "reason": refusal})
            continue
        note = _("集中活动“%(campaign)s”（%(date)s）%(action)s") % {
            "campaign": campaign.name,
            "date": campaign.date.isoformat(),
            "action": entry.get_action_display(),
        }
        try:
            # Each completion is a savepoint: a refused one is rolled back alone, so every
            # refusal is collected; any refusal then rolls the whole confirmation back.
            project_step_complete(
                actor=actor,
                project=entry.project,
                definition=steps[ACTION_MILESTONE[Action(entry.action)]],
                actual_date=campaign.date,
                note=note,
                source=source,
            )
        except ValidationError as exc:
            errors.append(
                _("%(project)s：%(reason)s") % {"project": label, "reason": " ".join(exc.messages)}
            )
            continue
        except Project.DoesNotExist:
            errors.append(_("%s不在您的管辖范围内。") % label)
            continue
        entry.investment = Project.objects.values_list("total_investment", flat=True).get(
            pk=entry.project_id
        )
        entry.save(update_fields=["investment"])
    if errors:
        raise ValidationError({"projects": errors})
    before = snapshot(campaign, ["status", "confirmed_by"])
    campaign.status = CampaignStatus.CONFIRMED
    campaign.confirmed_at = timezone.now()
    campaign.confirmed_by = actor
    campaign.full_clean()
    campaign.save()
    counts = {a: sum(1 for e in entries if e.action == a) for a in Action}
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=campaign,
        summary=_("确认集中活动“%(campaign)s”：签约%(sign)d个、开工%(start)d个、投产%(produce)d个")
        % {
            "campaign": campaign.name,
            "sign": counts[Action.SIGN],
            "start": counts[Action.START],
            "produce": counts[Action.PRODUCE],
        },
        changes=diff(campaign, before, snapshot(campaign, ["status", "confirmed_by"])),
    )
    return campaign
