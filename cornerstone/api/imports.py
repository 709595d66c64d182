"""Ledger import and export through the API: the same jobs, checks and scope as the pages.

An import is two calls, as on the page: upload (the check runs as a task; poll the job
until its status is no longer ``checking``), then commit a job whose check passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from cornerstone.accounts.scope import can_edit_projects
from cornerstone.api.auth import actor
from cornerstone.api.schemas import ERRORS
from cornerstone.core.choices import AuditSource
from cornerstone.core.downloads import xlsx_download
from cornerstone.ingest import services
from cornerstone.ingest.ledger_export import ledger_rows, ledger_workbook_write
from cornerstone.ingest.models import ImportJob
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.queries import projects_visible

router = Router(tags=["导入导出"])
ERRORS_SHOWN = 200


class ImportErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    file_name: str
    sha256: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    total_rows: int
    processed_rows: int
    to_create: int
    to_update: int
    unchanged: int
    error_count: int
    errors: list[ImportErrorOut]
    ignored_columns: list[str]
    message: str


def _out(job: ImportJob) -> dict[str, Any]:
    return {
        **{name: getattr(job, name) for name in ImportJobOut.model_fields if hasattr(job, name)},
        "status_label": job.get_status_display(),
        "errors": job.errors[:ERRORS_SHOWN],
    }


def _own_job(request: HttpRequest, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, created_by_id=actor(request).pk).first()
    if job is None:
        raise Http404
    return job


@router.post(
    "/imports",
    response={201: ImportJobOut, **ERRORS},
    url_name="import-create",
    summary="上传台账工作簿并校验（不写入）",
)
def import_create(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way of declaring an upload
) -> tuple[int, dict[str, Any]]:
    """Store the workbook and run its check; the job says what an import would do."""
    user = actor(request)
    if not can_edit_projects(user):
        raise PermissionDenied(_("您没有导入台账的权限。"))
    job = services.import_job_create(actor=user, upload=file, source=AuditSource.API)
    job.refresh_from_db()
    return 201, _out(job)


@router.get(
    "/imports/{job_id}",
    response={200: ImportJobOut, **ERRORS},
    url_name="import-get",
    summary="导入任务的状态、计数和错误",
)
def import_get(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """One of the caller's own import jobs."""
    return _out(_own_job(request, job_id))


@router.post(
    "/imports/{job_id}/commit",
    response={202: ImportJobOut, **ERRORS},
    url_name="import-commit",
    summary="确认导入校验通过的工作簿（全部写入或全部不写入）",
)
def import_commit(request: HttpRequest, job_id: int) -> tuple[int, dict[str, Any]]:
    """Queue the import of a checked job."""
    job = _own_job(request, job_id)
    job = services.import_job_commit(actor=actor(request), job=job, source=AuditSource.API)
    job.refresh_from_db()
    return 202, _out(job)


@router.get(
    "/ledger.xlsx",
    url_name="ledger-xlsx",
    summary="导出台账（与项目列表相同的筛选和范围）",
    response={200: None, **ERRORS},
)
def ledger_xlsx(request: HttpRequest) -> FileResponse:
    """The ledger the caller sees, filtered like ``GET /projects``, as a workbook."""
    filterset = ProjectFilterSet(request.GET, queryset=projects_visible(actor=actor(request)))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return xlsx_download(
        lambda out: ledger_workbook_write(out=out, projects=ledger_rows(filterset.qs)),
        f"项目台账-{timezone.localdate():%Y%m%d}.xlsx",
    )
