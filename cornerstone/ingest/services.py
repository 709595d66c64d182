"""Writes of the ingest app: accepting an upload, and starting its check and its import.

The work itself runs as tasks (``tasks.py``); each service records the job and queues
the task in the same transaction, so a queued task always finds its job.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.audit import audit_record
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.ingest.access import can_import
from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.ingest.models import ImportJob


def import_max_bytes() -> int:
    """The largest workbook accepted, from the settings."""
    return int(settings.IMPORT_MAX_MB) * 1024 * 1024


@transaction.atomic
def import_job_create(
    *,
    actor: User,
    upload: UploadedFile,
    kind: ImportKind | str = ImportKind.LEDGER,
    source: AuditSource = AuditSource.PAGE,
    queue: bool = True,
) -> ImportJob:
    """Store an uploaded workbook under its hash and queue its check (a dry run).

    With ``queue`` off the caller runs the check itself (the command does, to show
    its own progress).
    """
    from cornerstone.ingest.tasks import import_check

    if kind not in ImportKind.values:
        raise ValidationError(
            {
                "kind": [
                    _("未知的导入类型“%(kind)s”（可选：%(allowed)s）。")
                    % {"kind": kind, "allowed": "、".join(ImportKind.values)}
                ]
            }
        )
    if not can_import(actor, kind):
        raise PermissionDenied(_("您没有导入%(kind)s的权限。") % {"kind": ImportKind(kind).label})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": [_("文件是空的。")]})
    if size > import_max_bytes():
        raise ValidationError({"file": [_("文件超过%d MB，请分批导入。") % settings.IMPORT_MAX_MB]})
    digest = hashlib.sha256()
    content = b"".join(upload.chunks())
    digest.update(content)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        file_name=(upload.name or "upload.xlsx")[:255],
        sha256=digest.hexdigest(),
        status=ImportStatus.CHECKING,
    )
    job.file.save(f"{job.sha256}.xlsx", ContentFile(content), save=False)
    job.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=job,
        summary=_("上传导入文件“%(name)s”（批次#%(id)d）") % {"name": job.file_name, "id": job.pk},
    )
    if queue:
        import_check.enqueue(job.pk)
    return job


@transaction.atomic
def import_job_commit(
    *,
    actor: User,
    job: ImportJob,
    source: AuditSource = AuditSource.PAGE,
    queue: bool = True,
) -> ImportJob:
    """Queue the import of a workbook whose check found no errors."""
    from cornerstone.ingest.tasks import import_commit

    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk or not can_import(actor, job.kind):
        raise PermissionDenied(_("只有上传人可以确认导入。"))
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(
            _("只有校验通过的文件可以导入（当前状态：%s）。") % job.get_status_display()
        )
    job.status = ImportStatus.IMPORTING
    job.processed_rows = 0
    job.save(update_fields=["status", "processed_rows"])
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=job,
        summary=_("确认导入“%(name)s”（批次#%(id)d）") % {"name": job.file_name, "id": job.pk},
    )
    if queue:
        import_commit.enqueue(job.pk)
    return job
