"""Import a workbook (ledger, plans or progress reports) from the command line, with a bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditSource
from cornerstone.ingest import services
from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.ingest.progress import progress_bar
from cornerstone.ingest.tasks import job_check, job_commit


class Command(BaseCommand):
    help = (
        "Check a workbook (--kind ledger, plans or reports) and, unless --dry-run, "
        "import it all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="the importing user's username")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            default=ImportKind.LEDGER.value,
            help="ledger (项目台账), plans (投资计划) or reports (进度报告)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"找不到用户：{options['user']}") from None
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            job = services.import_job_create(
                actor=actor,
                upload=upload,
                kind=options["kind"],
                source=AuditSource.COMMAND,
                queue=False,
            )
        except (PermissionDenied, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from None
        job_check(job, progress_bar("校验"))
        job.refresh_from_db()
        self._report(job)
        if job.status != ImportStatus.CHECKED:
            raise CommandError(job.message or f"校验发现 {job.error_count} 个错误，未导入。")
        if options["dry_run"] or not (job.to_create or job.to_update):
            return
        job = services.import_job_commit(
            actor=actor, job=job, source=AuditSource.COMMAND, queue=False
        )
        job_commit(job, progress_bar("导入"))
        job.refresh_from_db()
        if job.status != ImportStatus.DONE:
            raise CommandError(job.message or job.get_status_display())
        self.stdout.write(
            f"已导入（批次#{job.pk}）：新增 {job.to_create} 个，更新 {job.to_update} 个。"
            + job.message
        )

    def _report(self, job: Any) -> None:
        self.stdout.write(
            f"批次#{job.pk}：将新增 {job.to_create}，更新 {job.to_update}，"
            f"无变化 {job.unchanged}，错误 {job.error_count}。{job.message}"
        )
        for error in job.errors[:50]:
            self.stdout.write(
                f"  第{error['row']}行 {error['column']}“{error['value']}”：{error['message']}"
            )
