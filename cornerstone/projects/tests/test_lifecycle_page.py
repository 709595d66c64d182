"""The lifecycle settings page drives the definition services; only a province admin may."""

import pytest
from django.urls import reverse

from cornerstone.core.models import AuditEvent
from cornerstone.projects.models import Stage, StepDefinition


def edit_url(kind, pk, action):
    return reverse("projects:lifecycle-edit", args=[kind, pk, action])


@pytest.fixture
def permits():
    return Stage.objects.get(code="permits")


@pytest.mark.django_db
def test_province_admin_renames_adds_reorders_and_marks_optional(client, cast, permits):
    client.force_login(cast.province_admin)
    client.post(edit_url("stage", permits.pk, "rename"), {"name": "要件办理"})
    permits.refresh_from_db()
    assert permits.name == "要件办理"

    client.post(
        edit_url("stage", permits.pk, "add-step"), {"name": "水土保持方案", "optional": "on"}
    )
    added = StepDefinition.objects.get(name="水土保持方案")
    assert added.stage == permits and added.optional
    assert (
        list(permits.steps.order_by("order").values_list("name", flat=True))[-1] == "水土保持方案"
    )

    client.post(edit_url("step", added.pk, "move"), {"direction": "up"})
    names = list(permits.steps.order_by("order").values_list("name", flat=True))
    assert names[-2:] == ["水土保持方案", "施工许可"]

    land = StepDefinition.objects.get(code="land")
    client.post(edit_url("step", land.pk, "update"), {"name": "用地预审与规划选址"})
    land.refresh_from_db()
    assert land.name == "用地预审与规划选址" and not land.optional

    response = client.get(reverse("projects:lifecycle"))
    content = response.content.decode()
    assert "要件办理" in content and "水土保持方案" in content and "用地预审与规划选址" in content
    assert AuditEvent.objects.filter(object_type__startswith="projects.st").count() >= 4


@pytest.mark.django_db
def test_a_duplicate_step_name_is_refused_with_a_message(client, cast, permits):
    client.force_login(cast.province_admin)
    response = client.post(
        edit_url("stage", permits.pk, "add-step"), {"name": "施工许可"}, follow=True
    )
    assert "已存在" in response.content.decode()
    assert permits.steps.filter(name="施工许可").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["taiyuan_admin", "xiaodian_admin", "taiyuan_leader", "owner"])
def test_others_cannot_edit_the_lifecycle(client, cast, permits, user):
    client.force_login(getattr(cast, user))
    response = client.post(edit_url("stage", permits.pk, "rename"), {"name": "改名"})
    assert response.status_code == 403
    permits.refresh_from_db()
    assert permits.name == "要件审批"


@pytest.mark.django_db
def test_unknown_definition_or_action_is_404(client, cast, permits):
    client.force_login(cast.province_admin)
    assert client.post(edit_url("stage", 99999, "rename"), {"name": "x"}).status_code == 404
    assert client.post(edit_url("stage", permits.pk, "explode"), {}).status_code == 404
    assert client.post(edit_url("galaxy", permits.pk, "rename"), {}).status_code == 404
