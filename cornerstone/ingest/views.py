"""Import pages: upload, the check's findings with a progress bar, the import itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.core.downloads import xlsx_download
from cornerstone.ingest import services
from cornerstone.ingest.access import can_import, import_kinds
from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.ingest.error_workbook import error_workbook_write
from cornerstone.ingest.ledger_export import ledger_rows, ledger_workbook_write
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.report_export import (
    cycle_reports_filtered,
    report_rows_iter,
    reports_workbook_write,
)
from cornerstone.ingest.template_workbook import template_name, template_writer
from cornerstone.ingest.workbook import workbook_open
from cornerstone.progress import queries as progress_queries
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.queries import projects_visible

ERRORS_SHOWN = 200


def _importer(request: HttpRequest) -> User:
    """A user who may import something (which kinds: ``import_kinds``)."""
    if not import_kinds(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _job(request: HttpRequest, pk: int) -> ImportJob:
    """A job of the user's own; anyone else's is missing."""
    job = ImportJob.objects.filter(pk=pk, created_by_id=request.user.pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """The user's imports, newest first, and the upload form."""
    actor = _importer(request)
    kinds = import_kinds(actor)
    allowed = [value for value, __ in kinds]
    kind = request.POST.get("kind") or request.GET.get("kind") or allowed[0]
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的文件。"))
        elif kind not in allowed:
            messages.error(request, _("请选择导入内容。"))
        else:
            try:
                job = services.import_job_create(actor=actor, upload=upload, kind=ImportKind(kind))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return redirect("ingest:job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=actor).order_by("-created_at")[:50]
    return render(
        request,
        "ingest/imports.html",
        {"jobs": jobs, "kinds": kinds, "kind": kind, "nav": "imports"},
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: progress while it runs, then the counts and errors, and the import button."""
    _importer(request)
    job = _job(request, pk)
    running = job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
    context = {
        "job": job,
        "running": running,
        "errors": job.errors[:ERRORS_SHOWN],
        "more_errors": max(0, job.error_count - ERRORS_SHOWN),
        "status_colour": ImportStatus.colour(job.status),
        "nav": "imports",
    }
    template = "ingest/job.html#status" if request.htmx else "ingest/job.html"
    return render(request, template, context)


@login_required
@require_POST
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the import of a checked workbook."""
    actor = _importer(request)
    job = _job(request, pk)
    try:
        services.import_job_commit(actor=actor, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("ingest:job", pk=job.pk)


@login_required
def ledger_xlsx(request: HttpRequest) -> FileResponse:
    """The ledger as the page shows it (same scope, same filters) as a workbook."""
    filterset = ProjectFilterSet(request.GET, queryset=projects_visible(actor=request.user))
    if not filterset.is_valid():
        raise Http404
    return xlsx_download(
        lambda out: ledger_workbook_write(out=out, projects=ledger_rows(filterset.qs)),
        f"项目台账-{timezone.localdate():%Y%m%d}.xlsx",
    )


@login_required
def job_errors_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded sheet with each row's errors beside it."""
    _importer(request)
    job = _job(request, pk)
    if not job.errors:
        raise Http404
    with job.file.open("rb") as handle:
        sheet = workbook_open(handle.read()).sheet(0)
    return xlsx_download(
        lambda out: error_workbook_write(out=out, sheet=sheet, errors=job.errors),
        f"错误-{job.file_name}",
    )


@login_required
def template(request: HttpRequest) -> FileResponse:
    """A blank import template of a kind (``?kind=``); its lists are limited to the user's
    regions, and the report template lists the reports the user still has to fill in."""
    kind = request.GET.get("kind") or ImportKind.LEDGER
    if kind not in ImportKind.values:
        raise Http404
    if not can_import(request.user, kind):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return xlsx_download(template_writer(kind, actor=request.user), template_name(kind))


@login_required
def reports_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """A cycle's reports as the cycle's page lists them (same scope, same filters)."""
    try:
        cycle = progress_queries.cycle_get(actor=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    try:
        reports = cycle_reports_filtered(actor=request.user, cycle=cycle, params=request.GET)
    except ValidationError:
        raise Http404 from None
    today = timezone.localdate()
    return xlsx_download(
        lambda out: reports_workbook_write(out=out, reports=report_rows_iter(reports), today=today),
        f"进度报告-{cycle.label}-{today:%Y%m%d}.xlsx",
    )
