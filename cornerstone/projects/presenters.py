"""How a project's attributes read on its page: grouped, labelled and formatted for a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from cornerstone.core.money import format_money, group_digits
from cornerstone.projects.forms import SECTIONS
from cornerstone.projects.models import Project

KEY_DATES = [
    "signed_date",
    "actual_start_date",
    "actual_completion_date",
    "actual_production_date",
    "capacity_reached_date",
]
MONEY_FIELDS = {
    f.name
    for f in Project._meta.get_fields()
    if isinstance(f, models.DecimalField)
    and f.name.startswith(("fund_", "total_", "completed_", "expected_"))
}


@dataclass(frozen=True)
class Attribute:
    name: str
    label: str
    value: str


def _display(project: Project, name: str) -> str:
    field = Project._meta.get_field(name)
    if name == "region":
        return project.region.full_name
    if isinstance(field, models.ForeignKey):
        related = getattr(project, name)
        return str(related) if related is not None else ""
    value = getattr(project, name)
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return str(getattr(project, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if name in MONEY_FIELDS:
        return format_money(value)
    if isinstance(value, Decimal):
        return group_digits(value, 6 if name in ("longitude", "latitude") else 2)
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def attribute_sections(project: Project) -> list[tuple[str, list[Attribute]]]:
    """Every attribute of the project, in the sections of the edit form plus the key dates."""
    sections = []
    for title, names in [*SECTIONS, (_("实际关键日期"), KEY_DATES)]:
        rows = []
        for name in names:
            label = str(Project._meta.get_field(name).verbose_name)
            rows.append(Attribute(name, label, _display(project, name)))
        if title == SECTIONS[3][0]:
            owners = "、".join(sorted(u.username for u in project.owner_users.all()))
            rows.append(Attribute("owner_users", _("业主账号"), owners))
        if title == SECTIONS[0][0]:
            parent = project.parent
            rows.append(
                Attribute(
                    "parent", _("所属打包项目"), f"{parent.name}（{parent.code}）" if parent else ""
                )
            )
        sections.append((str(title), rows))
    return sections
