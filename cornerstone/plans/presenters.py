"""What the wall chart's script draws, as one JSON-ready dictionary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cornerstone.plans.queries import MilestoneRow, ProjectSchedule, SCurve


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def wallchart_labels() -> dict[str, str]:
    """The chart's words, translated on the server so the script holds none."""
    return {
        "planned": _("计划"),
        "actual": _("实际"),
        "actual_suffix": _("（实际）"),
        "separator": pgettext("label separator", "："),
        "critical": _("关键路径"),
        "milestone": pgettext("wall chart", "节点"),
        "today": _("今天"),
        "deadline": _("完成时限"),
        "plan_cumulative": _("累计计划投资"),
        "actual_cumulative": _("累计完成投资"),
        "unit": _("万元"),
        "float": _("总时差"),
        "late": _("逾期或应开未开"),
        "days": _("个工作日"),
        "view_day": pgettext("gantt scale", "日"),
        "view_week": pgettext("gantt scale", "周"),
        "view_month": pgettext("gantt scale", "月"),
    }


def wallchart_payload(
    *,
    schedule: ProjectSchedule,
    milestones: list[MilestoneRow],
    scurve: SCurve,
    today: dt.date,
) -> dict[str, Any]:
    """Tasks with their scheduled and actual dates, milestones and the S-curve."""
    tasks = []
    for row in schedule.rows:
        scheduled = row.scheduled
        if scheduled is None:
            continue
        task = row.task
        tasks.append(
            {
                "id": f"t{task.pk}",
                "name": task.name,
                "start": _iso(scheduled.early_start),
                "finish": _iso(scheduled.early_finish),
                "actual_start": _iso(task.actual_start),
                "actual_finish": _iso(task.actual_finish),
                "critical": scheduled.critical,
                "dependencies": [f"t{link.predecessor_id}" for link in row.predecessors],
                "float": scheduled.total_float,
                "late": scheduled.overdue or scheduled.late_start_passed,
                "department": task.department.name if task.department else "",
                "person": task.person,
            }
        )
    return {
        "today": today.isoformat(),
        "deadline": _iso(schedule.target.deadline) if schedule.target else None,
        "labels": wallchart_labels(),
        "tasks": tasks,
        "milestones": [
            {
                "id": f"m{row.milestone.pk}",
                "name": row.milestone.name,
                "date": row.milestone.target_date.isoformat(),
                "status": str(row.status),
                "status_label": str(row.status.label),
            }
            for row in milestones
        ],
        "scurve": {
            "months": scurve.months,
            "plan": [float(v) for v in scurve.plan],
            "actual": [None if v is None else float(v) for v in scurve.actual],
        },
    }
