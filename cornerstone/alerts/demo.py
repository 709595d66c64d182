"""Demo warnings: the province on the Yinchuan preset, one city on Sanya, lights by month."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter

from cornerstone.alerts.models import RuleSet
from cornerstone.alerts.presets import preset_params
from cornerstone.alerts.services import lights_recompute
from cornerstone.geo.models import Region
from cornerstone.projects.models import Project


def demo_alerts_load(*, today: dt.date, seed: int) -> int:
    """Create the rule sets and compute each past month of the year and this month.

    Returns the number of project lights written for the current month. ``seed`` is
    kept for the demo loaders' common signature (nothing here is random).
    """
    codes = Counter(Project.objects.values_list("region_id", flat=True))
    if not codes:
        return 0
    # The province and, inside it, the city with the most projects.
    provinces = Counter({c[:2]: 0 for c in codes})
    for code, n in codes.items():
        provinces[code[:2]] += n
    prefix = provinces.most_common(1)[0][0]
    province = Region.objects.get(code=prefix + "0000")
    cities = Counter()
    for code, n in codes.items():
        if code.startswith(prefix):
            cities[code[:4] + "00"] += n
    RuleSet.objects.update_or_create(
        region=province,
        tier="",
        defaults={
            "name": f"{province.name}重点项目亮灯预警（银川2025）",
            "preset": "yinchuan_2025",
            "params": preset_params("yinchuan_2025"),
        },
    )
    city = Region.objects.filter(parent=province).order_by("code").first()
    if city is not None:
        RuleSet.objects.update_or_create(
            region=city,
            tier="",
            defaults={
                "name": f"{city.name}重点项目亮灯预警（三亚2022）",
                "preset": "sanya_2022",
                "params": preset_params("sanya_2022"),
            },
        )
    for month in range(1, today.month):
        last = calendar.monthrange(today.year, month)[1]
        lights_recompute(today=dt.date(today.year, month, last))
    return lights_recompute(today=today)
