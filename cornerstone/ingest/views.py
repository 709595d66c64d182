"""Import pages: upload, the check's findings with a progress bar, the import itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects
from cornerstone.core.downloads import xlsx_download
from cornerstone.geo.queries import regions_visible
from cornerstone.ingest import services
from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.ingest.error_workbook import error_workbook_write
from cornerstone.ingest.ledger_export import ledger_rows, ledger_workbook_write
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.template_workbook import plan_template_write, template_workbook_write
from cornerstone.ingest.workbook import workbook_open
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.queries import projects_visible

ERRORS_SHOWN = 200


def _importer(request: HttpRequest) -> User:
    if not can_edit_projects(request.user):
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
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的文件。"))
        else:
            kind = request.POST.get("kind", ImportKind.LEDGER)
            try:
                job = services.import_job_create(
                    actor=actor,
                    upload=upload,
                    kind=ImportKind(kind) if kind in ImportKind.values else ImportKind.LEDGER,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return redirect("ingest:job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=actor).order_by("-created_at")[:50]
    return render(
        request,
        "ingest/imports.html",
        {"jobs": jobs, "kinds": ImportKind.choices, "nav": "imports"},
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
def ledger_template(request: HttpRequest) -> FileResponse:
    """The blank ledger template, its region list limited to the user's regions."""
    _importer(request)
    regions = regions_visible(actor=request.user)
    if request.GET.get("kind") == ImportKind.PLANS:
        return xlsx_download(lambda out: plan_template_write(out=out), "投资计划导入模板.xlsx")
    return xlsx_download(
        lambda out: template_workbook_write(out=out, regions=regions), "项目台账导入模板.xlsx"
    )
