"""Export the ledger a user sees (optionally filtered as on the page) to a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from cornerstone.accounts.models import User
from cornerstone.ingest.ledger_export import ledger_rows, ledger_workbook_write
from cornerstone.ingest.progress import progress_bar
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.queries import projects_visible


class Command(BaseCommand):
    help = (
        "Write the ledger a user may see to an xlsx file; --filter takes the page's query string."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="whose view of the ledger to export")
        parser.add_argument("--filter", default="", help="e.g. 'tier=provincial&stage=build'")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"找不到用户：{options['user']}") from None
        filterset = ProjectFilterSet(
            QueryDict(options["filter"]), queryset=projects_visible(actor=actor)
        )
        if not filterset.is_valid():
            raise CommandError(f"筛选条件无效：{filterset.errors.as_text()}")
        queryset = filterset.qs
        total = queryset.count()
        bar = progress_bar("导出")
        with options["path"].open("wb") as out:
            written = ledger_workbook_write(
                out=out, projects=ledger_rows(queryset), progress=lambda n: bar(n, total)
            )
        bar(total, total)
        self.stdout.write(f"已导出 {written} 个项目到 {options['path']}。")
