"""Load administrative divisions and industry classification from data/reference/."""

from typing import Any

from django.core.management.base import BaseCommand

from cornerstone.geo.loaders import industries_load, regions_load
from cornerstone.plans.loaders import calendar_days_load


class Command(BaseCommand):
    help = (
        "Load GB/T 2260 divisions, GB/T 4754-2017 sections and divisions and the holiday "
        "calendar (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        regions = regions_load()
        industries = industries_load()
        days = calendar_days_load()
        self.stdout.write(
            f"区划 {regions} 条，行业 {industries} 条已载入；工作日历新增 {days} 天。"
        )
