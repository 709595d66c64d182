"""Photos and documents attached to a progress report, their type judged by content."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.audit import audit_record
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.progress import filetypes
from cornerstone.progress.models import ProgressReport, ReportAttachment
from cornerstone.progress.report_services import _locked, _require_fill


@transaction.atomic
def attachment_add(
    *,
    report: ProgressReport,
    name: str,
    content: bytes,
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> ReportAttachment:
    """Attach a photo or document, its type judged by content and its size limited."""
    report = _locked(report)
    _require_fill(actor, report)
    name = (name or "").strip().replace("/", "_").replace("\\", "_")[-200:] or "file"
    message = filetypes.upload_error(name=name, size=len(content), content=content)
    if message:
        raise ValidationError({"file": [message]})
    found = filetypes.sniff(content)
    assert found is not None
    attachment = ReportAttachment(
        report=report,
        kind=found.kind,
        original_name=name,
        content_type=found.content_type,
        size=len(content),
        uploaded_by=actor,
    )
    # The stored name is ours; the person's file name is kept in original_name.
    attachment.file.save(
        f"{timezone.now():%Y%m%d%H%M%S%f}.{found.extension}", ContentFile(content), save=False
    )
    attachment.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=attachment,
        summary=_("上传附件：%s") % name,
        project_id=report.project_id,
    )
    return attachment


@transaction.atomic
def attachment_delete(
    *, attachment: ReportAttachment, actor: User, source: AuditSource = AuditSource.PAGE
) -> None:
    """Remove an attachment of a report still being filled in."""
    report = _locked(attachment.report)
    _require_fill(actor, report)
    name = attachment.original_name
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=attachment,
        summary=_("删除附件：%s") % name,
        project_id=report.project_id,
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
