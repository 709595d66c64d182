"""Meetings and briefings through the API: same services, scope and audit as the pages."""

import json

import pytest
from django.test import Client

from cornerstone.accounts.services import api_token_create
from cornerstone.core.models import AuditEvent
from cornerstone.dispatch.models import Briefing, DispatchMeeting


@pytest.fixture
def api(cast):
    """``api(user).get(path)`` with the user's own bearer token."""
    tokens = {}
    for user in vars(cast).values():
        __, raw = api_token_create(actor=user, name="测试")
        tokens[user.pk] = raw

    class Caller:
        def __init__(self, user):
            self.client, self.headers = (
                Client(),
                {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"},
            )

        def get(self, path, params=None):
            return self.client.get("/api/v1" + path, params or {}, **self.headers)

        def post(self, path, body=None):
            return self.client.post(
                "/api/v1" + path,
                json.dumps(body or {}),
                content_type="application/json",
                **self.headers,
            )

    return Caller


def test_meeting_flow_through_the_api(api, cast, geo, scene, ledger):
    admin = api(cast.taiyuan_admin)
    response = admin.post(
        "/meetings", {"title": "太原市11月调度会", "region": geo.taiyuan.code, "date": "2026-11-24"}
    )
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    assert AuditEvent.objects.filter(object_type="dispatch.dispatchmeeting", source="api").exists()
    agenda = admin.post(f"/meetings/{meeting_id}/agenda").json()["agenda"]
    assert [(a["kind"], a["colour"]) for a in agenda] == [
        ("project", "red"),
        ("project", "yellow"),
        ("problem", ""),
        ("problem", ""),
    ]
    response = admin.post(
        f"/meetings/{meeting_id}/decisions",
        {
            "agenda_item": agenda[1]["id"],
            "text": "协调用工问题",
            "outcome": "problem",
            "category": "labour",
            "person": "赵六",
            "deadline": "2026-12-10",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["problem_id"] and response.json()["project_id"] == ledger.yingze.pk
    detail = admin.get(f"/meetings/{meeting_id}").json()
    assert len(detail["decisions"]) == 1


def test_meeting_api_errors_and_scope(api, cast, geo, scene, taiyuan_meeting):
    response = api(cast.taiyuan_admin).post(
        "/meetings", {"title": "", "region": geo.datong.code, "date": "2026-11-24"}
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"title", "region"} <= fields
    for outsider in (cast.datong_admin, cast.hebei_admin, cast.owner):
        assert api(outsider).get(f"/meetings/{taiyuan_meeting.pk}").status_code == 404
        assert api(outsider).post(f"/meetings/{taiyuan_meeting.pk}/agenda").status_code == 404
    leader = api(cast.taiyuan_leader)
    assert leader.get(f"/meetings/{taiyuan_meeting.pk}").status_code == 200
    assert leader.post(f"/meetings/{taiyuan_meeting.pk}/agenda").status_code == 403
    response = api(cast.taiyuan_admin).post(
        f"/meetings/{taiyuan_meeting.pk}/decisions", {"text": "x", "outcome": "task"}
    )
    assert response.status_code == 400
    assert {"project", "deadline"} <= {e["field"] for e in response.json()["errors"]}
    assert DispatchMeeting.objects.count() == 1


def test_meeting_list_api_is_scoped_and_bounded(
    api, cast, geo, taiyuan_meeting, django_assert_max_num_queries
):
    DispatchMeeting.objects.create(
        title="大同会", region=geo.datong, date=taiyuan_meeting.date, created_by=cast.datong_admin
    )
    with django_assert_max_num_queries(6):
        body = api(cast.taiyuan_leader).get("/meetings", {"page_size": 10}).json()
    assert [m["title"] for m in body["results"]] == [taiyuan_meeting.title]
    assert body["count"] == 1
    assert api(cast.province_admin).get("/meetings").json()["count"] == 2
    assert api(cast.hebei_admin).get("/meetings").json()["count"] == 0


def test_briefing_through_the_api(api, cast, geo, scene, media, django_capture_on_commit_callbacks):
    admin = api(cast.province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/briefings",
            {
                "issuing_body": "山西省发展和改革委员会",
                "region": geo.shanxi.code,
                "year": 2026,
                "month": 10,
            },
        )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    briefing_id = response.json()["id"]
    body = admin.get(f"/briefings/{briefing_id}").json()
    assert body["status"] == "done" and body["progress"] == 100
    assert body["summary"].startswith("截至10月底，全省")
    pdf = admin.get(f"/briefings/{briefing_id}/pdf")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert api(cast.taiyuan_admin).get(f"/briefings/{briefing_id}").status_code == 404
    assert api(cast.taiyuan_admin).get(f"/briefings/{briefing_id}/docx").status_code == 404
    assert api(cast.taiyuan_admin).get("/briefings").json()["count"] == 0
    assert api(cast.province_admin).get("/briefings", {"year": 2026}).json()["count"] == 1
    response = api(cast.taiyuan_leader).post(
        "/briefings", {"issuing_body": "x", "region": geo.taiyuan.code, "year": 2026, "month": 10}
    )
    assert response.status_code == 403
    response = admin.post(
        "/briefings", {"issuing_body": "", "region": geo.hebei.code, "year": 2026, "month": 10}
    )
    assert response.status_code == 400
    assert {"issuing_body", "region"} <= {e["field"] for e in response.json()["errors"]}
    assert Briefing.objects.count() == 1
