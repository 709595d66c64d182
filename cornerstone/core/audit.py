"""Writing audit records; called explicitly by services inside their transaction."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils.translation import get_language

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
        shown = str(getattr(instance, field.name))
        # Names repeat (城区, 发展和改革局 in every county): the key keeps two objects apart,
        # so that a change between same-named objects is seen and recorded. A label that
        # already leads with its key (an industry's "39 计算机…") needs it only once.
        key = str(related_id)
        return shown if shown.startswith(f"{key} ") else f"{shown}（{key}）"
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


@functools.cache
def _label(model: str, name: str, language: str | None) -> str:
    """A field's label in a language, worked out once (an import diffs thousands of rows)."""
    field = apps.get_model(model)._meta.get_field(name)
    return str(field.verbose_name)


def diff(
    instance: models.Model, before: dict[str, str | None], after: dict[str, str | None]
) -> dict[str, dict[str, str | None]]:
    """Return ``{field: {label, before, after}}`` for the fields whose value changed.

    A field missing on one side counts as empty there (a creation has no before, a
    deletion no after).
    """
    meta = instance._meta
    changes = {}
    for name in [*after, *(name for name in before if name not in after)]:
        old, new = before.get(name), after.get(name)
        if old != new:
            label = _label(meta.label_lower, name, get_language())
            changes[name] = {"label": label, "before": old, "after": new}
    return changes


def audit_event(
    *,
    actor: User | None,
    source: AuditSource,
    action: AuditAction,
    obj: models.Model,
    summary: str,
    changes: dict[str, Any] | None = None,
    project_id: int | None = None,
) -> AuditEvent:
    """Build one unsaved audit row, for services that write many at once (bulk_create)."""
    return AuditEvent(
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
    event = audit_event(
        actor=actor,
        source=source,
        action=action,
        obj=obj,
        summary=summary,
        changes=changes,
        project_id=project_id,
    )
    event.save()
    return event
