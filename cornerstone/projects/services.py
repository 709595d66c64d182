"""Every write to the ledger: one transaction each, validated, with its audit row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import (
    can_edit_projects,
    can_edit_region,
    project_scope_q,
    region_scope_q,
)
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.geo.models import Department, Region
from cornerstone.projects.choices import Milestone
from cornerstone.projects.codes import LOCAL_CODE, local_code
from cornerstone.projects.models import (
    Project,
    Stage,
    StepEvidence,
)
from cornerstone.stats.rollups import keeps_rollups, rollups_refreshed

# Fields a person edits on the project form and the API; dates that steps set are not here.
EDITABLE_FIELDS = [
    "code",
    "name",
    "parent",
    "region",
    "zone",
    "site_address",
    "longitude",
    "latitude",
    "tier",
    "category",
    "kind",
    "construction_nature",
    "industry",
    "tags",
    "scale_content",
    "new_capacity",
    "owner_org",
    "owner_legal_rep",
    "owner_contact",
    "owner_phone",
    "responsible_unit",
    "responsible_contact",
    "leader_name",
    "leader_title",
    "total_investment",
    "fund_central",
    "fund_special_bonds",
    "fund_local",
    "fund_market",
    "completed_before_year",
    "construction_start_year",
    "construction_end_year",
    "planned_start_date",
    "planned_completion_date",
    "planned_production_date",
    "approval_doc_no",
    "feasibility_doc_no",
    "design_doc_no",
    "land_use_type",
    "land_area_mu",
    "floor_area_m2",
    "expected_annual_output",
    "stats_inclusion",
    "stats_inclusion_date",
    "accepted",
    "acceptance_date",
]
AUDITED_FIELDS = [
    *EDITABLE_FIELDS,
    "stage",
    "signed_date",
    "actual_start_date",
    "actual_completion_date",
    "actual_production_date",
    "capacity_reached_date",
]
MILESTONE_FIELDS = {
    Milestone.SIGNING: "signed_date",
    Milestone.START: "actual_start_date",
    Milestone.COMPLETION: "actual_completion_date",
    Milestone.PRODUCTION: "actual_production_date",
    Milestone.CAPACITY: "capacity_reached_date",
}


def require_editor(actor: User, project: Project | None = None) -> None:
    """Refuse actors who may not write; a project outside scope is reported as missing."""
    if (
        project is not None
        and not Project.objects.filter(project_scope_q(actor), pk=project.pk).exists()
    ):
        raise Project.DoesNotExist
    if not can_edit_projects(actor):
        raise PermissionDenied(_("您没有修改项目的权限。"))


def _require_region(actor: User, region_code: str | None) -> None:
    if region_code is not None and not can_edit_region(actor, region_code):
        raise ValidationError({"region": _("所选区划不在您的管辖范围内。")})


def _related_scope_errors(
    actor: User, project: Project, errors: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """The linked department and bundle must be ones the actor may see, too."""
    found: dict[str, list[str]] = {}
    unit = project.responsible_unit_id
    if (
        unit is not None
        and "responsible_unit" not in errors
        and not Department.objects.filter(region_scope_q(actor, "region_id"), pk=unit).exists()
    ):
        found["responsible_unit"] = [_("所选责任单位不在您的管辖范围内。")]
    parent = project.parent_id
    if (
        parent is not None
        and "parent" not in errors
        and not Project.objects.filter(project_scope_q(actor), pk=parent).exists()
    ):
        found["parent"] = [_("所选打包项目不在您的管辖范围内。")]
    return found


def _next_local_code(region_code: str, year: int) -> str:
    """The next free local code for a region and year."""
    prefix = f"{year:04d}-{region_code}-L"
    # Two creations in one region at the same moment would pick the same number; locking
    # the region's row makes the second wait for the first (SQLite serialises writes anyway).
    Region.objects.select_for_update().filter(code=region_code).first()
    last = Project.objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"]
    sequence = 1
    if last and (match := LOCAL_CODE.match(last)):
        sequence = int(match["seq"]) + 1
    return local_code(year=year, region=region_code, sequence=sequence)


@transaction.atomic
def project_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    owner_users: Iterable[User] = (),
    source: AuditSource = AuditSource.PAGE,
) -> Project:
    """Create a project in the first lifecycle stage; a blank code gets a local code."""
    require_editor(actor)
    owner_users = list(owner_users)
    project = Project()
    errors = values_apply(project, data, EDITABLE_FIELDS)
    _require_region(actor, project.region_id)
    errors.update(_related_scope_errors(actor, project, errors))
    if not project.code and "code" not in errors and project.region_id:
        project.code = _next_local_code(project.region_id, timezone.localdate().year)
    first_stage = Stage.objects.order_by("order", "id").first()
    if first_stage is None:
        raise ValidationError(_("尚未配置生命周期阶段。"))
    project.stage = first_stage
    full_clean_or_raise(project, errors)
    with rollups_refreshed() as refresh:
        project.save()
        refresh.created([project.pk])
    project.owner_users.set(owner_users)
    after = snapshot(project, AUDITED_FIELDS)
    if owners := _owner_names(owner_users):
        after["owner_users"] = owners
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=project,
        summary=_("新建项目“%(name)s”（%(code)s）") % {"name": project.name, "code": project.code},
        changes=diff(project, {}, after),
        project_id=project.pk,
    )
    return project


@transaction.atomic
@keeps_rollups(lambda kw: [kw["project"].pk])
def project_update(
    *,
    actor: User,
    project: Project,
    data: Mapping[str, Any],
    owner_users: Iterable[User] | None = None,
    source: AuditSource = AuditSource.PAGE,
) -> Project:
    """Change editable fields (and, when given, the owner accounts); audits each change."""
    require_editor(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = snapshot(project, AUDITED_FIELDS)
    errors = values_apply(project, data, EDITABLE_FIELDS)
    _require_region(actor, project.region_id)
    errors.update(_related_scope_errors(actor, project, errors))
    full_clean_or_raise(project, errors)
    changes = diff(project, before, snapshot(project, AUDITED_FIELDS))
    if owner_users is not None:
        owner_users = list(owner_users)
        owners_before = _owner_names(project.owner_users.all())
        owners_after = _owner_names(owner_users)
        if owners_before != owners_after:
            project.owner_users.set(owner_users)
            changes["owner_users"] = {
                "label": str(_("业主账号")),
                "before": owners_before or None,
                "after": owners_after or None,
            }
    if not changes:
        return project
    project.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=project,
        summary=_("修改项目：%s") % "、".join(str(c["label"]) for c in changes.values()),
        changes=changes,
        project_id=project.pk,
    )
    return project


def _owner_names(users: Iterable[User]) -> str:
    return "、".join(sorted(user.username for user in users))


@transaction.atomic
@keeps_rollups(lambda kw: [kw["project"].pk])
def project_delete(
    *, actor: User, project: Project, source: AuditSource = AuditSource.PAGE
) -> None:
    """Delete a project; its audit trail stays, its evidence files go after commit."""
    require_editor(actor, project)
    if project.children.exists():
        raise ValidationError(_("该项目下还有子项目，不能删除。"))
    files = [e.file for e in StepEvidence.objects.filter(step__project=project)]
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=project,
        summary=_("删除项目“%(name)s”（%(code)s）") % {"name": project.name, "code": project.code},
        changes=diff(project, snapshot(project, AUDITED_FIELDS), {}),
        project_id=project.pk,
    )
    project.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])
