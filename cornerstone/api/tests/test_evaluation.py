"""The evaluation API: rounds, own sheets, submitting within limits, results, export, scope."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from cornerstone.accounts.services import api_token_create
from cornerstone.api.tests.conftest import Api, assert_error, message_for
from cornerstone.core.models import AuditEvent
from cornerstone.evaluation import entry_services, services
from cornerstone.evaluation.models import ScoreEntry, ScoreSheet
from cornerstone.evaluation.tests.conftest import Tour, tour_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(cast: Any, geo: Any, api_as: Callable[[Any], Api]) -> Tour:
    # api_as first: the tokens' audit rows are written before the round's.
    return tour_build(cast, geo)


def api_of(user: Any) -> Api:
    _token, raw = api_token_create(actor=user, name="测试")
    return Api(Client(), raw)


def sheets_state() -> tuple[int, int, int]:
    return ScoreSheet.objects.count(), ScoreEntry.objects.count(), AuditEvent.objects.count()


def test_rounds_list_and_detail_are_scoped(
    tour: Tour, cast: Any, api_as: Callable[[Any], Api]
) -> None:
    body = api_as(cast.taiyuan_admin).get("/evaluation/rounds").json()
    assert body["count"] == 1 and body["results"][0]["units"] == 2
    assert api_as(cast.hebei_admin).get("/evaluation/rounds").json()["count"] == 0
    assert_error(api_as(cast.hebei_admin).get(f"/evaluation/rounds/{tour.round.pk}"), 404)
    own = api_as(cast.xiaodian_admin).get(f"/evaluation/rounds/{tour.round.pk}").json()
    assert [u["name"] for u in own["unit_list"]] == ["小店区"]
    assert own["progress"] == []
    mine = api_as(tour.evaluator)
    detail = mine.get(f"/evaluation/rounds/{tour.round.pk}").json()
    assert [u["name"] for u in detail["my_units"]] == ["小店区", "迎泽区"]
    assert [c["code"] for c in detail["criteria"]] == ["site", "daily", "ranking"]


def test_submit_a_sheet_and_the_refusals(
    tour: Tour, cast: Any, api_as: Callable[[Any], Api]
) -> None:
    admin = api_as(cast.taiyuan_admin)
    assert (
        admin.post(f"/evaluation/rounds/{tour.round.pk}/transition", {"action": "open"}).status_code
        == 200
    )
    me = api_as(tour.evaluator)
    third = api_of(tour.third)
    url = f"/evaluation/rounds/{tour.round.pk}/sheets/{tour.xiaodian.pk}"
    before = sheets_state()
    body = assert_error(me.post(url, {"scores": {"site": "100.5"}, "submit": True}), 400, "site")
    assert message_for(body, "site") == "“现场观摩评价”的分值须在0—100分之间，现为100.5。"
    assert sheets_state() == before
    saved = me.post(url, {"scores": {"site": "92"}, "submit": True})
    assert saved.status_code == 200 and saved.json()["status"] == "submitted"
    assert AuditEvent.objects.filter(object_type="evaluation.scoresheet", source="api").count() == 1
    before = sheets_state()
    assert_error(me.post(url, {"scores": {"site": "10"}, "submit": True}), 400, "sheet")
    assert sheets_state() == before
    # The third evaluator scores 小店区 only.
    other = f"/evaluation/rounds/{tour.round.pk}/sheets/{tour.yingze.pk}"
    assert_error(third.post(other, {"scores": {"site": "80"}}), 404)
    third_xiaodian = third.get(f"/evaluation/rounds/{tour.round.pk}/sheets").json()
    assert third_xiaodian == []
    assert [
        s["entries"][0]["score"]
        for s in me.get(f"/evaluation/rounds/{tour.round.pk}/sheets").json()
    ] == ["92.00"]
    # An unknown field in the body is refused by the schema.
    assert_error(me.post(url, {"scores": {}, "extra": 1}), 400)


def test_results_and_export(tour: Tour, cast: Any, api_as: Callable[[Any], Api]) -> None:
    admin = api_as(cast.taiyuan_admin)
    results_url = f"/evaluation/rounds/{tour.round.pk}/results"
    assert_error(admin.get(results_url), 403)
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    for user, unit, score in (
        (tour.evaluator, tour.xiaodian, "90"),
        (tour.evaluator, tour.yingze, "95"),
    ):
        entry_services.score_sheet_submit(
            actor=user, round_=tour.round, unit=unit, scores={"site": score}
        )
    assert_error(
        api_as(cast.xiaodian_admin).post(
            f"/evaluation/rounds/{tour.round.pk}/transition", {"action": "close"}
        ),
        403,
    )
    assert (
        admin.post(
            f"/evaluation/rounds/{tour.round.pk}/transition", {"action": "close"}
        ).status_code
        == 200
    )
    # Closed, not published: the organiser sees the results, the county not yet.
    body = admin.get(results_url).json()
    # Daily scores missing (0, flagged); 迎泽区 95 × 0.5 + 0 + 100 × 0.2 = 67.5; 小店区 45 + 20 = 65
    assert [(r["unit"]["name"], r["rank"], r["total"]) for r in body["results"]] == [
        ("迎泽区", 1, "67.50"),
        ("小店区", 2, "65.00"),
    ]
    assert body["results"][0]["breakdown"][1]["flagged"] is True
    assert_error(api_as(cast.xiaodian_admin).get(results_url), 403)
    admin.post(f"/evaluation/rounds/{tour.round.pk}/transition", {"action": "publish"})
    own = api_as(cast.xiaodian_admin).get(results_url).json()
    assert [r["unit"]["name"] for r in own["results"]] == ["小店区"]
    xlsx = admin.get(results_url + ".xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    assert [r[1] for r in sheet.iter_rows(min_row=4, values_only=True)] == ["迎泽区", "小店区"]
    assert_error(api_as(cast.hebei_admin).get(results_url + ".xlsx"), 404)
