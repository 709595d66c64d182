"""``manage.py progress_open_cycles``: open today's cycle of every active schedule."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cornerstone.progress.services import cycles_open_due


class Command(BaseCommand):
    help = "为每个启用的调度安排开启包含今天的填报期次；已开启的不重复开启。"

    def handle(self, *args: Any, **options: Any) -> None:
        opened = cycles_open_due(today=timezone.localdate())
        self.stdout.write(f"开启了 {opened} 个期次。")
