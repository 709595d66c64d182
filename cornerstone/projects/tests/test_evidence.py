"""Evidence files: what is accepted, and that a refused or failed upload leaves nothing."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cornerstone.core.choices import AuditAction
from cornerstone.core.models import AuditEvent
from cornerstone.projects import lifecycle_services
from cornerstone.projects.evidence import evidence_check
from cornerstone.projects.lifecycle_services import step_evidence_add
from cornerstone.projects.models import Project, ProjectStep, StepDefinition, StepEvidence
from cornerstone.projects.queries import evidence_get
from cornerstone.projects.services import project_delete

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# The check itself (pure apart from the size limit in settings)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("立项批复.pdf", PDF, "application/pdf"),
        ("SCAN.PDF", PDF, "application/pdf"),
        ("现场.jpg", JPEG, "image/jpeg"),
        ("现场.jpeg", JPEG, "image/jpeg"),
        ("现场.png", PNG, "image/png"),
        (
            "报告.docx",
            ZIP,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("台账.xlsx", ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("报告.doc", OLE, "application/msword"),
        ("台账.xls", OLE, "application/vnd.ms-excel"),
        ("电子公文.ofd", ZIP, "application/ofd"),
    ],
)
def test_allowed_files_are_accepted_with_their_content_type(name, content, content_type):
    file = upload(name, content)
    assert evidence_check(file) == content_type
    assert file.read(4) == content[:4]  # left at the start for whoever saves it


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("脚本.exe", b"MZ" + b"\x00" * 30, "不支持的文件类型“.exe”"),
        ("页面.html", b"<html>", "“.html”"),
        ("无扩展名", PDF, "“无扩展名”"),
        ("批复.pdf.exe", PDF, ".exe"),
        ("伪装.pdf", b"<html><script>", "与扩展名“.pdf”不符"),
        ("伪装.png", JPEG, "与扩展名“.png”不符"),
        ("伪装.docx", OLE, "与扩展名“.docx”不符"),
        ("空.pdf", b"", "文件为空"),
    ],
)
def test_wrong_or_disguised_files_are_refused_naming_the_file_field(name, content, words):
    with pytest.raises(ValidationError) as excinfo:
        evidence_check(upload(name, content))
    assert words in excinfo.value.message_dict["file"][0]


def test_an_oversized_file_is_refused_with_the_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 1048576
    evidence_check(upload("刚好.pdf", PDF.ljust(2 * 1048576, b" ")))
    with pytest.raises(ValidationError) as excinfo:
        evidence_check(upload("过大.pdf", PDF.ljust(2 * 1048576 + 1, b" ")))
    message = excinfo.value.message_dict["file"][0]
    assert "文件过大（2.0 MB）" in message and "上限为 2 MB" in message


# Uploading through the service


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def land():
    return StepDefinition.objects.get(code="land")


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.mark.django_db
def test_an_upload_is_stored_under_its_project_and_step_and_audited(cast, ledger, land, media):
    evidence = step_evidence_add(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        definition=land,
        upload=upload("用地预审意见.pdf", PDF),
    )
    evidence.refresh_from_db()
    assert (evidence.original_name, evidence.size, evidence.content_type) == (
        "用地预审意见.pdf",
        len(PDF),
        "application/pdf",
    )
    assert evidence.uploaded_by == cast.xiaodian_admin
    assert evidence.step.project == ledger.xiaodian and evidence.step.definition == land
    [path] = stored_files(media)
    assert path.read_bytes() == PDF
    assert path.relative_to(media).parts[:3] == ("evidence", str(ledger.xiaodian.pk), str(land.pk))
    [event] = AuditEvent.objects.all()
    assert (event.action, event.object_type, event.project_id) == (
        AuditAction.CREATE,
        "projects.stepevidence",
        ledger.xiaodian.pk,
    )
    assert "用地预审意见.pdf" in event.summary


@pytest.mark.django_db
def test_two_files_of_the_same_name_are_both_kept(cast, ledger, land, media):
    for content in (PDF, PDF + b"%v2"):
        step_evidence_add(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            definition=land,
            upload=upload("批复.pdf", content),
        )
    assert {p.read_bytes() for p in stored_files(media)} == {PDF, PDF + b"%v2"}
    assert len({e.file.name for e in StepEvidence.objects.all()}) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("病毒.exe", b"MZ"), ("伪装.pdf", b"<html>"), ("空.png", b""), ("过大.pdf", PDF * 40000)],
)
def test_a_refused_upload_leaves_no_row_and_no_file(
    cast, ledger, land, media, settings, name, content
):
    settings.EVIDENCE_MAX_BYTES = 1048576
    with pytest.raises(ValidationError) as excinfo:
        step_evidence_add(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            definition=land,
            upload=upload(name, content),
        )
    assert "file" in excinfo.value.message_dict
    assert not StepEvidence.objects.exists()
    assert not ProjectStep.objects.exists()
    assert not AuditEvent.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_failed_audit_insert_after_the_file_was_written_leaves_no_file(
    cast, ledger, land, media, monkeypatch
):
    written = []
    real = lifecycle_services.audit_record

    def fail_after_the_write(**kwargs):
        written.extend(stored_files(media))
        real(**kwargs)
        raise RuntimeError("audit insert failed")

    monkeypatch.setattr(lifecycle_services, "audit_record", fail_after_the_write)
    with pytest.raises(RuntimeError):
        step_evidence_add(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            definition=land,
            upload=upload("批复.pdf", PDF),
        )
    assert len(written) == 1  # the file had been stored before the failure
    assert stored_files(media) == []
    assert not StepEvidence.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_failed_row_insert_leaves_no_file(cast, ledger, land, media, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("insert failed")

    monkeypatch.setattr(StepEvidence, "save", refuse)
    with pytest.raises(RuntimeError):
        step_evidence_add(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            definition=land,
            upload=upload("批复.pdf", PDF),
        )
    assert stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("yingze_admin", Project.DoesNotExist),
        ("hebei_admin", Project.DoesNotExist),
        ("taiyuan_leader", PermissionDenied),
        ("owner", PermissionDenied),
        ("xiaodian_dept", PermissionDenied),
    ],
)
def test_only_an_editor_in_scope_uploads(cast, ledger, land, media, who, error):
    with pytest.raises(error):
        step_evidence_add(
            actor=getattr(cast, who),
            project=ledger.xiaodian,
            definition=land,
            upload=upload("批复.pdf", PDF),
        )
    assert stored_files(media) == []
    assert not StepEvidence.objects.exists()


@pytest.mark.django_db
def test_evidence_is_read_only_within_scope(cast, ledger, land, media):
    evidence = step_evidence_add(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        definition=land,
        upload=upload("批复.pdf", PDF),
    )
    for who in ("owner", "taiyuan_leader", "province_admin", "xiaodian_dept"):
        assert evidence_get(actor=getattr(cast, who), pk=evidence.pk) == evidence
    for who in ("yingze_admin", "datong_admin", "hebei_admin"):
        with pytest.raises(StepEvidence.DoesNotExist):
            evidence_get(actor=getattr(cast, who), pk=evidence.pk)


@pytest.mark.django_db
def test_deleting_a_project_removes_its_files_once_committed(
    cast, ledger, land, media, django_capture_on_commit_callbacks
):
    step_evidence_add(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        definition=land,
        upload=upload("批复.pdf", PDF),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project_delete(actor=cast.xiaodian_admin, project=ledger.xiaodian)
    assert len(stored_files(media)) == 1  # still there until the deletion commits
    for callback in callbacks:
        callback()
    assert stored_files(media) == []
    assert not StepEvidence.objects.exists()
