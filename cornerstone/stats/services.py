"""Writes of the statistics module: a region's 开复工 target for a year."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_region
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.geo.models import Region
from cornerstone.stats.models import StartTarget

FIELDS = ["projects"]


@transaction.atomic
def start_target_set(
    *,
    actor: User,
    region_code: str,
    year: int,
    projects: int | None,
    source: AuditSource = AuditSource.PAGE,
) -> StartTarget | None:
    """Set (or with ``projects=None`` remove) a region's 开复工 target for a year."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ValidationError({"region": _("区划“%(code)s”不存在。") % {"code": region_code}})
    if not can_edit_region(actor, region.code):
        raise PermissionDenied(_("只有该区划或上级的管理员可以设置开复工目标。"))
    target = StartTarget.objects.select_for_update().filter(region=region, year=year).first()
    before = snapshot(target, FIELDS) if target else {}
    if projects is None:
        if target is None:
            return None
        removed_pk = target.pk
        target.delete()
        target.pk = removed_pk  # the audit row names the target it removed
        action, after = AuditAction.DELETE, {}
    else:
        target = target or StartTarget(region=region, year=year)
        target.projects = projects
        target.updated_by = actor
        target.full_clean()
        target.save()
        action = AuditAction.UPDATE if before else AuditAction.CREATE
        after = snapshot(target, FIELDS)
    changes = diff(target, before, after)
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=action,
            obj=target,
            summary=_("%(region)s%(year)s年开复工目标：%(before)s → %(after)s")
            % {
                "region": region.name,
                "year": year,
                "before": before.get("projects") or "—",
                "after": after.get("projects") or "—",
            },
            changes=changes,
        )
    return target if projects is not None else None
