"""The meeting and briefing pages: scope, roles, forms and downloads."""

import datetime as dt

from django.urls import reverse

from cornerstone.dispatch.choices import BriefingStatus
from cornerstone.dispatch.models import Briefing, Decision, DispatchMeeting
from cornerstone.plans.models import Task


def _meetings(geo, cast, n):
    for i in range(n):
        DispatchMeeting.objects.create(
            title=f"调度会{i}",
            region=geo.taiyuan,
            date=dt.date(2026, 1 + i % 12, 1),
            created_by=cast.taiyuan_admin,
        )


def test_meeting_list_is_scoped_paginated_and_bounded(
    client, geo, cast, frozen_today, django_assert_max_num_queries
):
    _meetings(geo, cast, 30)
    DispatchMeeting.objects.create(
        title="大同调度会",
        region=geo.datong,
        date=dt.date(2026, 11, 1),
        created_by=cast.datong_admin,
    )
    client.force_login(cast.taiyuan_leader)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("dispatch:meetings"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "大同调度会" not in body
    assert "共 30 条" in body
    assert "新建调度会" not in body  # a leader reads only
    client.force_login(cast.province_admin)
    body = client.get(reverse("dispatch:meetings"), {"q": "大同"}).content.decode()
    assert "大同调度会" in body and "调度会1<" not in body


def test_meeting_list_empty_state(client, cast, geo, frozen_today):
    client.force_login(cast.xiaodian_admin)
    assert "暂无调度会" in client.get(reverse("dispatch:meetings")).content.decode()


def test_meeting_pages_deny_other_regions_and_leaders(client, cast, scene, taiyuan_meeting):
    url = reverse("dispatch:meeting", args=[taiyuan_meeting.pk])
    for outsider in (cast.datong_admin, cast.hebei_admin, cast.owner):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert (
            client.post(reverse("dispatch:meeting-assemble", args=[taiyuan_meeting.pk])).status_code
            == 404
        )
    client.force_login(cast.taiyuan_leader)
    assert client.get(url).status_code == 200
    assert client.get(reverse("dispatch:meeting-create")).status_code == 403
    client.post(reverse("dispatch:meeting-assemble", args=[taiyuan_meeting.pk]))
    assert not taiyuan_meeting.agenda.exists()


def test_create_meeting_through_the_page(client, cast, geo, frozen_today):
    client.force_login(cast.taiyuan_admin)
    response = client.post(
        reverse("dispatch:meeting-create"),
        {"title": "", "region": geo.datong.code, "date": "2026-11-30"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "这个字段是必填项" in body or "必填" in body
    assert not DispatchMeeting.objects.exists()
    response = client.post(
        reverse("dispatch:meeting-create"),
        {"title": "太原市12月调度会", "region": geo.taiyuan.code, "date": "2026-12-01"},
    )
    meeting = DispatchMeeting.objects.get()
    assert response.url == reverse("dispatch:meeting", args=[meeting.pk])


def test_assemble_and_decide_on_the_meeting_page(client, cast, scene, taiyuan_meeting, ledger):
    client.force_login(cast.taiyuan_admin)
    client.post(reverse("dispatch:meeting-assemble", args=[taiyuan_meeting.pk]))
    page = client.get(reverse("dispatch:meeting", args=[taiyuan_meeting.pk])).content.decode()
    assert page.index("年产10万吨高端电子新材料项目") < page.index("迎泽区老旧小区改造项目")
    item = taiyuan_meeting.agenda.get(position=1)
    response = client.post(
        reverse("dispatch:decision-add", args=[taiyuan_meeting.pk]),
        {"agenda_item": item.pk, "text": "", "outcome": "task", "deadline": ""},
    )
    assert response.status_code == 400
    assert "请填写议定事项" in response.content.decode()
    response = client.post(
        reverse("dispatch:decision-add", args=[taiyuan_meeting.pk]),
        {
            "agenda_item": item.pk,
            "text": "月底前完成设备安装",
            "outcome": "task",
            "person": "张伟",
            "deadline": "2026-12-20",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    page = client.get(reverse("dispatch:meeting", args=[taiyuan_meeting.pk])).content.decode()
    assert reverse("plans:task-edit", args=[ledger.xiaodian.pk, decision.task_id]) in page
    assert Task.objects.get().person == "张伟"


def test_briefing_from_meeting_page_and_download(
    client, cast, geo, scene, taiyuan_meeting, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.taiyuan_admin)
    form = client.get(reverse("dispatch:briefing-create"), {"meeting": taiyuan_meeting.pk})
    assert f'value="{geo.taiyuan.code}" selected' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dispatch:briefing-create"),
            {
                "meeting": taiyuan_meeting.pk,
                "issuing_body": "太原市发展和改革委员会",
                "region": geo.taiyuan.code,
                "year": "2026",
                "month": "10",
            },
        )
    briefing = Briefing.objects.get()
    assert response.url == reverse("dispatch:briefing", args=[briefing.pk])
    assert briefing.meeting == taiyuan_meeting
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE
    page = client.get(response.url).content.decode()
    assert "截至10月底，全市纳入调度的重点项目2个" in page
    docx = client.get(reverse("dispatch:briefing-download", args=[briefing.pk, "docx"]))
    assert docx.status_code == 200
    assert docx["Cache-Control"] == "private, no-store"
    assert b"".join(docx.streaming_content)[:2] == b"PK"
    for outsider in (cast.datong_admin, cast.hebei_admin, cast.owner):
        client.force_login(outsider)
        assert (
            client.get(reverse("dispatch:briefing-download", args=[briefing.pk, "pdf"])).status_code
            == 404
        )
        assert client.get(reverse("dispatch:briefing", args=[briefing.pk])).status_code == 404
    client.force_login(cast.taiyuan_leader)
    assert (
        client.get(reverse("dispatch:briefing-download", args=[briefing.pk, "pdf"])).status_code
        == 200
    )


def test_running_briefing_polls_with_a_progress_bar(client, cast, geo, frozen_today):
    briefing = Briefing.objects.create(
        title="通报",
        issuing_body="太原市发改委",
        region=geo.taiyuan,
        year=2026,
        month=10,
        status=BriefingStatus.RUNNING,
        progress=40,
        created_by=cast.taiyuan_admin,
    )
    client.force_login(cast.taiyuan_admin)
    response = client.get(reverse("dispatch:briefing", args=[briefing.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-width="40"' in body and "hx-trigger" in body
    assert "<html" not in body  # only the partial


def test_briefing_form_errors_name_fields(client, cast, geo, frozen_today):
    client.force_login(cast.taiyuan_admin)
    response = client.post(
        reverse("dispatch:briefing-create"),
        {"issuing_body": "太原市发改委", "region": geo.taiyuan.code, "year": "2026", "month": "12"},
    )
    assert "不能为尚未开始的月份生成通报" in response.content.decode()
    assert not Briefing.objects.exists()
    client.force_login(cast.taiyuan_leader)
    assert client.get(reverse("dispatch:briefing-create")).status_code == 403
