"""The long work of an import, run by the task worker (or inline, with the immediate backend)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.ingest.headers import HeaderError
from cornerstone.ingest.ledger_import import ImportConflict, RowError, ledger_check, ledger_commit
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.plan_import import plan_run
from cornerstone.ingest.report_import import ReportResult, report_run
from cornerstone.ingest.workbook import Sheet, WorkbookError, WorkbookLimits, workbook_open
from cornerstone.stats.tasks import rollups_rebuild_enqueue

# The job keeps this many errors for the page and the error workbook.
STORED_ERRORS = 10_000
Progress = Callable[[int, int], None]


def _limits() -> WorkbookLimits:
    return WorkbookLimits(
        max_bytes=int(settings.IMPORT_MAX_MB) * 1024 * 1024,
        max_rows=int(settings.IMPORT_MAX_ROWS),
    )


def _progress(job: ImportJob, also: Progress | None) -> Callable[[int], None]:
    """Record progress on the job (for the page), and pass it on (for the command)."""

    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)
        if also is not None:
            also(done, job.total_rows)

    return report


def _finish(job: ImportJob, status: ImportStatus, message: str = "") -> None:
    job.status = status
    job.message = message[:500]
    job.finished_at = timezone.now()
    job.processed_rows = job.total_rows
    job.save()


def _batch(job: ImportJob) -> str:
    return _("批次#%(id)d %(name)s") % {"id": job.pk, "name": job.file_name}


def _record(
    job: ImportJob,
    *,
    created: int,
    updated: int,
    unchanged: int,
    errors: list[RowError],
    ignored: list[str],
) -> None:
    job.to_create, job.to_update, job.unchanged = created, updated, unchanged
    job.error_count = len(errors)
    job.errors = [e.as_dict() for e in errors[:STORED_ERRORS]]
    job.ignored_columns = ignored


def _rows_kind(
    job: ImportJob, sheet: Sheet, *, commit: bool, report: Callable[[int], None]
) -> None:
    """Plans and progress reports: every row through its app's service, all or nothing."""
    run = report_run if job.kind == ImportKind.REPORTS else plan_run
    result = run(
        actor=job.created_by, sheet=sheet, commit=commit, batch=_batch(job), progress=report
    )
    _record(
        job,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        errors=result.errors,
        ignored=list(result.match.unmatched),
    )
    message = ""
    if isinstance(result, ReportResult) and result.submitted and not result.errors:
        message = (
            _("其中提交审核%d份。") if commit else _("其中将提交审核%d份。")
        ) % result.submitted
    if result.errors:
        status = ImportStatus.INVALID
        message = _("数据已变化，重新校验发现错误，未导入。") if commit else ""
    else:
        status = ImportStatus.DONE if commit else ImportStatus.CHECKED
    _finish(job, status, message)


def _run_kind(job: ImportJob, sheet: Sheet, *, commit: bool, progress: Progress | None) -> None:
    """Check (and with ``commit``, import) a sheet of the job's kind; record the outcome."""
    report = _progress(job, progress)
    if job.kind in (ImportKind.PLANS, ImportKind.REPORTS):
        _rows_kind(job, sheet, commit=commit, report=report)
        return
    result = ledger_check(actor=job.created_by, sheet=sheet, progress=report)
    _record(
        job,
        created=len(result.creates),
        updated=len(result.updates),
        unchanged=result.unchanged,
        errors=result.errors,
        ignored=list(result.match.unmatched),
    )
    if result.errors:
        message = _("数据已变化，重新校验发现错误，未导入。") if commit else ""
        _finish(job, ImportStatus.INVALID, message)
        return
    if not commit:
        _finish(job, ImportStatus.CHECKED)
        return
    try:
        created, updated = ledger_commit(actor=job.created_by, result=result, batch=_batch(job))
    except (ImportConflict, ValidationError) as exc:
        _finish(job, ImportStatus.FAILED, str(exc.args[0] if exc.args else exc))
        return
    job.to_create, job.to_update = created, updated
    rollups_rebuild_enqueue()  # a bulk write: the statistics are rebuilt, not adjusted
    _finish(job, ImportStatus.DONE)


def _process(job: ImportJob, *, commit: bool, progress: Progress | None) -> None:
    try:
        with job.file.open("rb") as handle:
            workbook = workbook_open(handle.read(), limits=_limits())
        sheet = workbook.sheet(0)
        job.sheet_name, job.total_rows = sheet.name, sheet.total_rows
        ImportJob.objects.filter(pk=job.pk).update(
            sheet_name=sheet.name, total_rows=sheet.total_rows
        )
        _run_kind(job, sheet, commit=commit, progress=progress)
    except (WorkbookError, HeaderError) as exc:
        _finish(job, ImportStatus.INVALID, message=str(getattr(exc, "message", exc)))


def job_check(job: ImportJob, progress: Progress | None = None) -> None:
    """Dry run: what the workbook would create and change, and every error in it."""
    _process(job, commit=False, progress=progress)


def job_commit(job: ImportJob, progress: Progress | None = None) -> None:
    """Check the workbook again against the data as it is now, then write it all or nothing."""
    _process(job, commit=True, progress=progress)


def _run(step: Callable[[ImportJob], None], job_id: int) -> None:
    """Run a step; an unexpected failure still ends the job, so no page waits for ever."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        step(job)
    except Exception:
        _finish(job, ImportStatus.FAILED, _("导入时发生内部错误，未写入任何数据，请联系管理员。"))
        raise


@task()
def import_check(job_id: int) -> None:
    """The check of a job, as a task."""
    _run(job_check, job_id)


@task()
def import_commit(job_id: int) -> None:
    """The import of a checked job, as a task."""
    _run(job_commit, job_id)
