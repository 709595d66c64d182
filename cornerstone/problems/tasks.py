"""Background work of the problems app: the nightly escalation."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from cornerstone.core.choices import AuditSource
from cornerstone.problems.escalation_services import problems_escalate


@task()
def problems_escalate_task(today: str | None = None) -> dict[str, int]:
    """Escalate the overdue problems as of ``today`` (ISO date; the local date if omitted)."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    result = problems_escalate(today=day, source=AuditSource.SYSTEM)
    return {
        "checked": result.checked,
        "city": result.by_level.get(1, 0),
        "province": result.by_level.get(2, 0),
        "notified": result.notified,
    }
