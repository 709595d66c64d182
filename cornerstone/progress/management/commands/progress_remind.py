"""``manage.py progress_remind``: send today's reminders of reports still to submit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cornerstone.progress.reminders import reminders_send


class Command(BaseCommand):
    help = "发送进度填报提醒（截止前与逾期），同一天重复运行不会重复发送。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders_send(today=timezone.localdate())
        self.stdout.write(f"提醒了 {result.cycles} 个期次，发出 {result.notifications} 条通知。")
