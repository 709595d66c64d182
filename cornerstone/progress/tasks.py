"""Periodic work of reporting, run by the task worker (or inline in tests)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def progress_remind() -> int:
    """Send today's reminders; returns how many notifications went out."""
    from cornerstone.progress.reminders import reminders_send

    return reminders_send(today=timezone.localdate()).notifications


@task()
def progress_open_cycles() -> int:
    """Open today's cycles of every active schedule; returns how many were opened."""
    from cornerstone.progress.services import cycles_open_due

    return cycles_open_due(today=timezone.localdate())
