"""Imports and exports through the API: the same jobs, checks, templates and scope as the pages.

An import is two calls, as on the page: upload with its ``kind`` (ledger, plans or
reports; the check runs as a task: poll the job until its status is no longer
``checking``), then commit a job whose check passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from cornerstone.api.auth import actor
from cornerstone.api.schemas import ERRORS
from cornerstone.core.choices import AuditSource
from cornerstone.core.downloads import xlsx_download
from cornerstone.ingest import services
from cornerstone.ingest.access import can_import
from cornerstone.ingest.choices import ImportKind
from cornerstone.ingest.ledger_export import ledger_rows, ledger_workbook_write
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.report_export import (
    cycle_reports_filtered,
    report_rows_iter,
    reports_workbook_write,
)
from cornerstone.ingest.template_workbook import template_name, template_writer
from cornerstone.progress import queries as progress_queries
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
    summary="上传工作簿并校验（不写入）：台账、投资计划或进度报告",
)
def import_create(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way of declaring an upload
    kind: str = Form(
        ImportKind.LEDGER.value,
        description="ledger（台账）/ plans（投资计划）/ reports（进度报告）",
    ),
) -> tuple[int, dict[str, Any]]:
    """Store the workbook and run its check; the job says what an import would do."""
    job = services.import_job_create(
        actor=actor(request), upload=file, kind=kind, source=AuditSource.API
    )
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


@router.get(
    "/imports/templates/{kind}",
    url_name="import-template",
    summary="下载导入模板（ledger / plans / reports；进度报告模板列出待填报的报告）",
    response={200: None, **ERRORS},
)
def import_template(request: HttpRequest, kind: str) -> FileResponse:
    """The template of an import kind, its lists limited to the caller's regions."""
    user = actor(request)
    if kind not in ImportKind.values:
        raise Http404
    if not can_import(user, kind):
        raise PermissionDenied(_("您没有导入%(kind)s的权限。") % {"kind": ImportKind(kind).label})
    return xlsx_download(template_writer(kind, actor=user), template_name(kind))


class ReportExportParams(Schema):
    status: str | None = Field(
        None, description="draft / submitted / returned / accepted / missing / late"
    )
    region: str | None = Field(None, description="区划代码（含下级）")


@router.get(
    "/progress/cycles/{cycle_id}/reports.xlsx",
    url_name="progress-cycle-reports-xlsx",
    summary="导出某期次的报告（与期次报告列表相同的筛选和范围）",
    response={200: None, **ERRORS},
)
def cycle_reports_xlsx(
    request: HttpRequest,
    cycle_id: int,
    params: Query[ReportExportParams],
) -> FileResponse:
    """The cycle's reports the caller sees, filtered like ``GET .../reports``, as a workbook."""
    user = actor(request)
    cycle = progress_queries.cycle_get(actor=user, pk=cycle_id)
    reports = cycle_reports_filtered(
        actor=user,
        cycle=cycle,
        params={"status": params.status or "", "region": params.region or ""},
    )
    today = timezone.localdate()
    return xlsx_download(
        lambda out: reports_workbook_write(out=out, reports=report_rows_iter(reports), today=today),
        f"进度报告-{cycle.label}-{today:%Y%m%d}.xlsx",
    )
