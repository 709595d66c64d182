"""Recompute this month's lights of every project (nightly), with a progress line."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cornerstone.alerts.services import lights_recompute


class Command(BaseCommand):
    help = "重新计算本月全部项目（或指定项目）的亮灯预警及其区域预警；夜间定时运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", type=int, action="append", help="只计算这些项目")
        parser.add_argument("--date", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”格式应为YYYY-MM-DD。") from None
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\r已计算 {done:,}/{total:,} 个项目", ending="")
            self.stdout.flush()

        written = lights_recompute(project_ids=options["project"], today=today, progress=progress)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"已写入{written:,}个项目预警，用时{time.perf_counter() - started:.1f}秒。"
            )
        )
