"""Loading the shipped holiday calendar into the database."""

from __future__ import annotations

from django.db import transaction

from cornerstone.plans.models import CalendarDay
from cornerstone.plans.workdays import shipped_calendar_days


@transaction.atomic
def calendar_days_load() -> int:
    """Add the shipped days missing from the calendar (an admin's changes stay); return how many."""
    known = set(CalendarDay.objects.values_list("date", flat=True))
    missing = [
        CalendarDay(date=d.date, kind=d.kind, name=d.name, provisional=d.provisional)
        for d in shipped_calendar_days()
        if d.date not in known
    ]
    CalendarDay.objects.bulk_create(missing)
    return len(missing)
