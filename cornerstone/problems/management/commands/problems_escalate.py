"""Escalate overdue problems (run nightly, e.g. from cron or a systemd timer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cornerstone.core.choices import AuditSource
from cornerstone.problems.escalation_services import problems_escalate


class Command(BaseCommand):
    help = "按各地升级规则，将逾期未办结的问题升级为市级或省级督办，并通知责任单位和督办管理员。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
            )
        except ValueError:
            raise CommandError(f"日期“{options['date']}”无效，应为 YYYY-MM-DD。") from None
        result = problems_escalate(today=today, source=AuditSource.COMMAND)
        self.stdout.write(
            f"{today.isoformat()}：检查逾期问题 {result.checked} 个，"
            f"升为市级督办 {result.by_level.get(1, 0)} 个、"
            f"省级督办 {result.by_level.get(2, 0)} 个，"
            f"发送通知 {result.notified} 条。"
        )
