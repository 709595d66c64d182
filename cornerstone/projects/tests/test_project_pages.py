"""A project's page, create and edit, step actions and evidence: happy paths and denials."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import project_form_data
from cornerstone.projects.forms import FORM_FIELDS
from cornerstone.projects.models import Project, ProjectStep, StepDefinition
from cornerstone.projects.services import EDITABLE_FIELDS

TODAY = dt.date(2026, 11, 24)


def detail(project):
    return reverse("projects:detail", args=[project.pk])


def step_url(project, code, action):
    definition = StepDefinition.objects.get(code=code)
    return reverse("projects:step-action", args=[project.pk, definition.pk, action])


@pytest.mark.django_db
def test_detail_shows_attributes_timeline_and_history(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    response = client.get(detail(ledger.xiaodian))
    content = response.content.decode()
    assert response.status_code == 200
    assert ledger.xiaodian.name in content
    # 150,000万元 shows its 亿元 figure as well.
    assert "15.00亿元（150,000.00万元）" in content
    assert "山西省太原市小店区" in content
    for stage in ("谋划储备", "立项", "要件审批", "实施建设", "投产运营"):
        assert stage in content
    assert content.count('data-testid="step-') >= 13


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["yingze_admin", "datong_admin", "pingcheng_admin", "hebei_admin"])
def test_out_of_scope_project_is_404_on_every_page(client, cast, ledger, user):
    client.force_login(getattr(cast, user))
    project = ledger.xiaodian
    for url in (
        detail(project),
        reverse("projects:edit", args=[project.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("projects:edit", args=[project.pk]),
        reverse("projects:delete", args=[project.pk]),
        step_url(project, "conception", "complete"),
        step_url(project, "conception", "waive"),
    ):
        assert client.post(url, {"actual_date": "2026-01-01", "reason": "x"}).status_code == 404
    assert Project.objects.filter(pk=project.pk).exists()
    assert not ProjectStep.objects.filter(project=project).exists()


@pytest.mark.django_db
def test_owner_reads_own_project_and_not_others(client, cast, ledger):
    client.force_login(cast.owner)
    assert client.get(detail(ledger.xiaodian)).status_code == 200
    assert client.get(detail(ledger.yingze)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["taiyuan_leader", "xiaodian_dept", "evaluator", "owner"])
def test_readers_cannot_write(client, cast, ledger, geo, user):
    client.force_login(getattr(cast, user))
    project = ledger.xiaodian
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.post(reverse("projects:create"), project_form_data(geo)).status_code == 403
    assert (
        client.post(reverse("projects:edit", args=[project.pk]), project_form_data(geo)).status_code
        == 403
    )
    response = client.post(
        step_url(project, "conception", "complete"), {"actual_date": "2026-01-01"}
    )
    assert response.status_code == 403
    assert client.post(reverse("projects:delete", args=[project.pk])).status_code == 403
    assert not ProjectStep.objects.filter(project=project).exists()
    assert Project.objects.count() == 4
    content = client.get(detail(project)).content.decode()
    assert "完成环节" not in content
    assert reverse("projects:edit", args=[project.pk]) not in content


@pytest.mark.django_db
def test_create_project_gets_a_local_code_and_an_audit_row(client, cast, geo):
    client.force_login(cast.xiaodian_admin)
    response = client.post(reverse("projects:create"), project_form_data(geo))
    project = Project.objects.get(name="半导体硅材料产业园项目")
    assert response.status_code == 302
    assert response.url == detail(project)
    assert project.code.startswith("2026-140105-L")
    assert project.stage.code == "planning"
    event = AuditEvent.objects.get(project_id=project.pk)
    assert event.action == "create"
    assert event.source == "page"
    assert event.actor == cast.xiaodian_admin
    assert event.changes["total_investment"]["after"] == "250000"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"total_investment": "-5"}, "total_investment", "不能为负数"),
        ({"total_investment": "很多"}, "total_investment", "数"),
        (
            {"planned_start_date": "2028-01-01", "planned_completion_date": "2027-01-01"},
            "planned_completion_date",
            "不能早于计划开工日期",
        ),
        ({"code": "2024-999999-39-01-000001"}, "code", "不是已知的行政区划"),
        ({"code": "bad-code"}, "code", "格式不正确"),
        ({"region": "140213"}, "region", ""),
        ({"parent_code": "2024-140105-L99999"}, "parent_code", "未找到"),
    ],
)
def test_create_rejects_bad_input_naming_the_field(
    client, cast, geo, ledger, overrides, field, message
):
    client.force_login(cast.xiaodian_admin)
    before = (Project.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("projects:create"), project_form_data(geo, **overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert (Project.objects.count(), AuditEvent.objects.count()) == before
    assert "请更正以下问题后再保存" in response.content.decode()


@pytest.mark.django_db
def test_duplicate_code_is_refused(client, cast, geo, ledger):
    client.force_login(cast.province_admin)
    response = client.post(
        reverse("projects:create"), project_form_data(geo, code=ledger.yingze.code)
    )
    assert response.status_code == 400
    assert "项目代码已存在" in " ".join(response.context["form"].errors["code"])


@pytest.mark.django_db
def test_edit_records_before_and_after(client, cast, geo, ledger):
    project = ledger.xiaodian
    client.force_login(cast.taiyuan_admin)
    form = project_form_data(geo, code=project.code, name=project.name, total_investment="160000")
    response = client.post(reverse("projects:edit", args=[project.pk]), form)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.total_investment == Decimal("160000")
    event = AuditEvent.objects.filter(project_id=project.pk, action="update").get()
    assert event.changes["total_investment"] == {
        "label": "总投资（万元）",
        "before": "150000",
        "after": "160000",
    }
    history = client.get(detail(project)).content.decode()
    assert "总投资（万元）" in history and "160000" in history


@pytest.mark.django_db
def test_edit_cannot_move_a_project_out_of_scope(client, cast, geo, ledger):
    project = ledger.xiaodian
    client.force_login(cast.xiaodian_admin)
    form = project_form_data(geo, code=project.code, name=project.name, region=geo.yingze.code)
    response = client.post(reverse("projects:edit", args=[project.pk]), form)
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.region_id == geo.xiaodian.code


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 24, 10, 0), tick=False)
def test_step_completion_in_order_moves_stage_and_is_audited(client, cast, ledger):
    project = ledger.xiaodian
    client.force_login(cast.xiaodian_admin)
    response = client.post(step_url(project, "reserve", "complete"), {"actual_date": "2026-03-01"})
    assert response.status_code == 302
    assert not ProjectStep.objects.filter(project=project, status="done").exists()
    follow = client.get(detail(project)).content.decode()
    assert "请先完成或豁免前序必经环节：项目谋划" in follow

    client.post(step_url(project, "conception", "complete"), {"actual_date": "2026-02-01"})
    client.post(step_url(project, "reserve", "complete"), {"actual_date": "2026-03-01"})
    client.post(step_url(project, "signing", "waive"), {"reason": "政府投资项目，无需签约"})
    project.refresh_from_db()
    assert project.stage.code == "establishment"
    assert AuditEvent.objects.filter(project_id=project.pk, action="transition").count() == 3

    future = client.post(
        step_url(project, "feasibility", "complete"), {"actual_date": "2026-12-01"}
    )
    assert future.status_code == 302
    assert "不能晚于今天" in client.get(detail(project)).content.decode()
    assert (
        not ProjectStep.objects.filter(project=project, definition__code="feasibility")
        .exclude(status="pending")
        .exists()
    )


@pytest.mark.django_db
def test_evidence_upload_and_scoped_download(client, cast, ledger, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ledger.xiaodian
    client.force_login(cast.xiaodian_admin)
    pdf = SimpleUploadedFile("批复.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(step_url(project, "conception", "evidence"), {"file": pdf})
    evidence = ProjectStep.objects.get(project=project).evidence.get()
    url = reverse("projects:evidence", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"

    client.force_login(cast.yingze_admin)
    assert client.get(url).status_code == 404

    client.force_login(cast.xiaodian_admin)
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 not a png", content_type="image/png")
    client.post(step_url(project, "conception", "evidence"), {"file": fake})
    assert "文件内容与扩展名" in client.get(detail(project)).content.decode()
    assert ProjectStep.objects.get(project=project).evidence.count() == 1


@pytest.mark.django_db
def test_lifecycle_settings_only_for_province_admin(client, cast):
    url = reverse("projects:lifecycle")
    for user in ("taiyuan_admin", "xiaodian_admin", "taiyuan_leader", "owner"):
        client.force_login(getattr(cast, user))
        assert client.get(url).status_code == 403
    client.force_login(cast.province_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert "施工许可" in response.content.decode()


@pytest.mark.django_db
def test_detail_query_count_is_bounded(client, cast, ledger, django_assert_max_num_queries):
    client.force_login(cast.xiaodian_admin)
    with django_assert_max_num_queries(12):
        client.get(detail(ledger.xiaodian))


@pytest.mark.django_db
def test_admin_gives_an_owner_account_its_project(client, cast, geo, ledger):
    project = ledger.yingze
    client.force_login(cast.owner)
    assert client.get(detail(project)).status_code == 404

    client.force_login(cast.taiyuan_admin)
    form = project_form_data(geo, code=project.code, name=project.name, region=geo.yingze.code)
    form["total_investment"] = str(project.total_investment)
    form["owner_usernames"] = "owner"
    assert client.post(reverse("projects:edit", args=[project.pk]), form).status_code == 302
    event = AuditEvent.objects.filter(project_id=project.pk, action="update").latest("id")
    assert event.changes["owner_users"] == {"label": "业主账号", "before": None, "after": "owner"}

    client.force_login(cast.owner)
    assert client.get(detail(project)).status_code == 200


@pytest.mark.django_db
def test_owner_accounts_must_be_existing_owners(client, cast, geo, ledger):
    project = ledger.yingze
    client.force_login(cast.taiyuan_admin)
    form = project_form_data(geo, code=project.code, name=project.name, region=geo.yingze.code)
    form["owner_usernames"] = "owner, taiyuan_leader、nobody"
    response = client.post(reverse("projects:edit", args=[project.pk]), form)
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["owner_usernames"])
    assert "nobody" in message and "taiyuan_leader" in message and "owner、" not in message
    assert not project.owner_users.exists()


def test_the_form_sections_list_every_editable_field_once():
    # The form's fields come from its sections; one the service accepts but no section
    # lists would never be shown or saved.
    assert sorted(FORM_FIELDS) == sorted(f for f in EDITABLE_FIELDS if f != "parent")
