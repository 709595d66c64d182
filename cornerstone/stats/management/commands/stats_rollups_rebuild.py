"""Rebuild the statistics rollups from the raw rows (after a bulk load or a settings change)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cornerstone.stats.rollups import lights_rollup_rebuild, rollups_rebuild


class Command(BaseCommand):
    help = "按原始数据重建统计汇总表（批量导入、修改达效口径等之后运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        projects = rollups_rebuild()
        today = timezone.localdate()
        lights_rollup_rebuild(year=today.year, month=today.month)
        self.stdout.write(
            self.style.SUCCESS(
                f"已按{projects:,}个项目重建统计汇总，用时{time.perf_counter() - started:.1f}秒。"
            )
        )
