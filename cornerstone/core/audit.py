"""Writing audit records; called explicitly by services inside their transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent

if TYPE_CHECKING:
    from cornerstone.accounts.models import User


def display_value(instance: models.Model, field: models.Field[Any, Any]) -> str | None:
    """Return a field's value as a person reads it (choice label, related name, ISO date)."""
    if isinstance(field, models.ForeignKey):
        related_id = getattr(instance, field.attname)
        if related_id is None:
            return None
        return str(getattr(instance, field.name))
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def snapshot(instance: models.Model, field_names: list[str]) -> dict[str, str | None]:
    """Capture the display values of the named fields."""
    meta = instance._meta
    return {name: display_value(instance, meta.get_field(name)) for name in field_names}  # type: ignore[arg-type]


def diff(
    instance: models.Model, before: dict[str, str | None], after: dict[str, str | None]
) -> dict[str, dict[str, str | None]]:
    """Return ``{field: {label, before, after}}`` for the fields whose value changed."""
    meta = instance._meta
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            label = str(meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            changes[name] = {"label": label, "before": old, "after": new}
    return changes


def audit_record(
    *,
    actor: User | None,
    source: AuditSource,
    action: AuditAction,
    obj: models.Model,
    summary: str,
    changes: dict[str, Any] | None = None,
    project_id: int | None = None,
) -> AuditEvent:
    """Write one audit row; must be called inside the transaction that made the change."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_full_name() or actor.username) if actor is not None else "",
        source=source,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        project_id=project_id,
        summary=summary[:300],
        changes=changes or {},
    )
