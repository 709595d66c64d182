"""Seed the working calendar with the shipped Chinese public holidays and 调休 days.

The file is read as it is when the migration runs; later years are added by
``load_reference_data`` (which keeps days an admin has changed).
"""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays_cn.csv"


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("plans", "CalendarDay")
    with HOLIDAYS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=dt.date.fromisoformat(row["date"]),
                kind=row["kind"],
                name=row["name"],
                provisional=row["provisional"].strip().lower() == "true",
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_plans")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
