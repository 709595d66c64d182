"""A region's 开复工 target: set by its admins, read by 计划完成率 on the whole region only."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.accounts.services import api_token_create
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.projects.choices import Kind, Tier
from cornerstone.stats.filters import StatsFilter
from cornerstone.stats.models import StartTarget
from cornerstone.stats.queries import dashboard
from cornerstone.stats.rollups import rollups_rebuild
from cornerstone.stats.services import start_target_set

pytestmark = pytest.mark.django_db


def _target_rate(actor: Any, **filters: Any) -> Any:
    board = dashboard(actor=actor, filters=StatsFilter(year=2024, month=6, **filters))
    return {f.kpi.code: f.value for f in board.kpis}["kaifugong_target_rate"]


def _started(geo: Any, n: int) -> None:
    for i in range(n):
        ProjectFactory(
            region=geo.xiaodian if i % 2 else geo.pingcheng,
            kind=Kind.NEW_START,
            tier=Tier.PROVINCIAL if i < 100 else Tier.CITY,
            planned_start_date=dt.date(2024, i % 6 + 1, 1),
            actual_start_date=dt.date(2024, i % 6 + 1, 10),
        )
    rollups_rebuild()


def test_changchun_new_area_141_against_125_through_the_dashboard(geo, cast):
    # 长春新区: 开复工141个, 计划125个, 计划完成率112.8%.
    _started(geo, 141)
    assert _target_rate(cast.province_admin) is None  # no target yet
    start_target_set(actor=cast.province_admin, region_code="140000", year=2024, projects=125)
    assert _target_rate(cast.province_admin) == Decimal("112.80")
    # The target counts the whole province: a sub-region or one tier has none of its own.
    assert _target_rate(cast.province_admin, region="140100") is None
    assert _target_rate(cast.province_admin, tier=Tier.PROVINCIAL) is None
    # Another year's target is not this year's.
    start_target_set(actor=cast.province_admin, region_code="140000", year=2024, projects=None)
    start_target_set(actor=cast.province_admin, region_code="140000", year=2025, projects=125)
    assert _target_rate(cast.province_admin) is None


def test_setting_changing_and_clearing_are_audited_and_a_repeat_writes_nothing(geo, cast):
    admin = cast.taiyuan_admin
    start_target_set(actor=admin, region_code="140100", year=2024, projects=80)
    start_target_set(actor=admin, region_code="140100", year=2024, projects=80)
    start_target_set(actor=admin, region_code="140100", year=2024, projects=90)
    assert StartTarget.objects.get(region_id="140100", year=2024).projects == 90
    assert start_target_set(actor=admin, region_code="140100", year=2024, projects=None) is None
    assert not StartTarget.objects.exists()
    rows = AuditEvent.objects.filter(object_type="stats.starttarget").order_by("pk")
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert [r.changes["projects"]["after"] for r in rows] == ["80", "90", None]
    assert "太原市2024年开复工目标：80 → 90" in rows[1].summary


@pytest.mark.parametrize(
    ("who", "region"),
    [
        ("taiyuan_leader", "140100"),  # reads only
        ("xiaodian_admin", "140100"),  # the city is above a county admin
        ("hebei_admin", "140000"),  # another province
        ("owner", "140105"),
        ("evaluator", "140100"),
    ],
)
def test_only_admins_of_the_region_or_above_may_set_it(geo, cast, who, region):
    with pytest.raises(PermissionDenied):
        start_target_set(actor=getattr(cast, who), region_code=region, year=2024, projects=5)
    assert not StartTarget.objects.exists()
    assert not AuditEvent.objects.filter(object_type="stats.starttarget").exists()


def test_a_bad_target_is_refused_with_the_field_and_nothing_changes(geo, cast):
    start_target_set(actor=cast.taiyuan_admin, region_code="140100", year=2024, projects=80)
    with pytest.raises(ValidationError) as refused:
        start_target_set(actor=cast.taiyuan_admin, region_code="140100", year=2024, projects=0)
    assert "projects" in refused.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        start_target_set(actor=cast.province_admin, region_code="149999", year=2024, projects=3)
    assert "149999" in unknown.value.message_dict["region"][0]
    assert StartTarget.objects.get().projects == 80
    assert AuditEvent.objects.filter(object_type="stats.starttarget").count() == 1


def test_the_overview_form_sets_the_target_for_its_admins_only(client, geo, cast):
    _started(geo, 12)
    client.force_login(cast.taiyuan_admin)
    page = client.get("/stats/", {"year": 2024, "month": 6})
    assert b'data-testid="start-target-form"' in page.content
    # One tier's figures are not the region's: no target to set there.
    tiered = client.get("/stats/", {"year": 2024, "month": 6, "tier": Tier.PROVINCIAL})
    assert b'data-testid="start-target-form"' not in tiered.content
    back = "/stats/?year=2024&month=6"
    answer = client.post(
        "/stats/start-target/",
        {"region": "140100", "year": "2024", "projects": "10", "next": back},
        follow=True,
    )
    assert answer.redirect_chain[-1][0] == back
    assert StartTarget.objects.get(region_id="140100", year=2024).projects == 10
    assert "开复工目标已保存" in answer.content.decode()
    bad = client.post(
        "/stats/start-target/",
        {"region": "140100", "year": "2024", "projects": "十个", "next": back},
        follow=True,
    )
    assert "十个" in bad.content.decode()
    assert StartTarget.objects.get().projects == 10
    # An outside address is not followed back.
    away = client.post(
        "/stats/start-target/",
        {"region": "140100", "year": "2024", "projects": "11", "next": "https://evil.example/"},
    )
    assert away.url == "/stats/"

    client.force_login(cast.taiyuan_leader)
    page = client.get("/stats/", {"year": 2024, "month": 6})
    assert b'data-testid="start-target-form"' not in page.content
    denied = client.post(
        "/stats/start-target/", {"region": "140100", "year": "2024", "projects": "99"}
    )
    assert denied.status_code == 403
    assert StartTarget.objects.get().projects == 11


def test_the_api_sets_the_target_and_refuses_outside_scope(client, geo, cast):
    def put(user: Any, path: str, body: dict[str, Any]) -> Any:
        __, raw = api_token_create(actor=user, name="test")
        return client.put(
            f"/api/v1/stats/start-targets/{path}",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    ok = put(cast.province_admin, "140000/2024", {"projects": 125})
    assert ok.status_code == 200, ok.content
    assert ok.json() == {"region": "140000", "year": 2024, "projects": 125}
    assert AuditEvent.objects.get(object_type="stats.starttarget").source == "api"
    assert put(cast.hebei_admin, "140000/2024", {"projects": 1}).status_code == 403
    bad = put(cast.province_admin, "140000/2024", {"projects": 0})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "projects"
    assert StartTarget.objects.get().projects == 125
    cleared = put(cast.province_admin, "140000/2024", {"projects": None})
    assert cleared.json()["projects"] is None and not StartTarget.objects.exists()
