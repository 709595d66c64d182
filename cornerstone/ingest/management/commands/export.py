"""Export what a user sees to a workbook: the ledger (filtered as on its page), or a
cycle's progress reports (filtered as on the cycle's page)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from django.utils import timezone

from cornerstone.accounts.models import User
from cornerstone.ingest.ledger_export import ledger_rows, ledger_workbook_write
from cornerstone.ingest.progress import progress_bar
from cornerstone.ingest.report_export import (
    cycle_reports_filtered,
    report_rows_iter,
    reports_workbook_write,
)
from cornerstone.progress.models import ReportingCycle
from cornerstone.progress.queries import cycle_get
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.queries import projects_visible

Writer = Callable[[BinaryIO, Callable[[int], None]], int]


class Command(BaseCommand):
    help = (
        "Write the ledger (--kind ledger) or a cycle's progress reports (--kind reports "
        "--cycle ID) a user may see to an xlsx file; --filter takes the page's query string."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="whose view to export")
        parser.add_argument("--kind", choices=("ledger", "reports"), default="ledger")
        parser.add_argument("--cycle", type=int, help="the reporting cycle (--kind reports)")
        parser.add_argument(
            "--filter",
            default="",
            help="e.g. 'tier=provincial&stage=build'; for reports 'status=submitted&region=140105'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"找不到用户：{options['user']}") from None
        params = QueryDict(options["filter"])
        if options["kind"] == "reports":
            total, write, what = self._reports(actor, options["cycle"], params)
        else:
            total, write, what = self._ledger(actor, params)
        bar = progress_bar("导出")
        with options["path"].open("wb") as out:
            written = write(out, lambda n: bar(n, total))
        bar(total, total)
        self.stdout.write(f"已导出 {written} 个{what}到 {options['path']}。")

    def _ledger(self, actor: User, params: QueryDict) -> tuple[int, Writer, str]:
        filterset = ProjectFilterSet(params, queryset=projects_visible(actor=actor))
        if not filterset.is_valid():
            raise CommandError(f"筛选条件无效：{filterset.errors.as_text()}")
        queryset = filterset.qs

        def write(out: BinaryIO, progress: Callable[[int], None]) -> int:
            return ledger_workbook_write(out=out, projects=ledger_rows(queryset), progress=progress)

        return queryset.count(), write, "项目"

    def _reports(
        self, actor: User, cycle_id: int | None, params: QueryDict
    ) -> tuple[int, Writer, str]:
        if cycle_id is None:
            raise CommandError("导出进度报告时请用 --cycle 指定填报期次。")
        try:
            cycle = cycle_get(actor=actor, pk=cycle_id)
        except ReportingCycle.DoesNotExist:
            raise CommandError(f"找不到填报期次 {cycle_id}，或不在该用户的范围内。") from None
        try:
            reports = cycle_reports_filtered(actor=actor, cycle=cycle, params=params)
        except ValidationError as exc:
            raise CommandError(f"筛选条件无效：{' '.join(exc.messages)}") from None
        today = timezone.localdate()

        def write(out: BinaryIO, progress: Callable[[int], None]) -> int:
            return reports_workbook_write(
                out=out, reports=report_rows_iter(reports), today=today, progress=progress
            )

        return reports.count(), write, f"进度报告（{cycle.label}）"
