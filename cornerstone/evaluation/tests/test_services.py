"""Rounds end to end: assignment, sheets within limits, closing, ranks, scope and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.evaluation import entry_services, queries, scheme_services, services
from cornerstone.evaluation.choices import RoundStatus, SheetStatus
from cornerstone.evaluation.models import (
    EvaluationRound,
    RoundResult,
    ScoreEntry,
    ScoreSheet,
)
from cornerstone.evaluation.presets import AWARD_2020, JINAN_OBSERVATION
from cornerstone.evaluation.tests.conftest import Tour, round_new
from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
from cornerstone.progress.models import InvestmentActual

D = Decimal
pytestmark = pytest.mark.django_db


def submit(tour: Tour, user: Any, unit: Any, site: str) -> None:
    entry_services.score_sheet_submit(
        actor=user, round_=tour.round, unit=unit, scores={"site": site}
    )


def counts() -> tuple[int, int, int]:
    return ScoreSheet.objects.count(), ScoreEntry.objects.count(), AuditEvent.objects.count()


def test_a_whole_round(tour: Tour, cast: Any) -> None:
    admin = cast.taiyuan_admin
    entry_services.daily_score_add(
        actor=admin, round_=tour.round, unit=tour.xiaodian, criterion_code="daily",
        value="80", basis="季度考核",
    )  # fmt: skip
    entry_services.daily_score_add(
        actor=admin, round_=tour.round, unit=tour.yingze, criterion_code="daily",
        value="90", basis="季度考核",
    )  # fmt: skip
    entry_services.self_assessment_submit(
        actor=cast.xiaodian_admin,
        round_=tour.round,
        unit=tour.xiaodian,
        score="95",
        basis="完成全年目标",
    )
    services.round_open(actor=admin, round_=tour.round)
    submit(tour, tour.evaluator, tour.xiaodian, "90")
    submit(tour, tour.second, tour.xiaodian, "80")
    submit(tour, tour.third, tour.xiaodian, "70")
    submit(tour, tour.evaluator, tour.yingze, "85")
    # The second evaluator's sheet for 迎泽区 stays a draft: it does not count.
    entry_services.score_sheet_save(
        actor=tour.second, round_=tour.round, unit=tour.yingze, scores={"site": "10"}
    )
    # Before closing, nobody sees results, not even the organiser.
    assert not queries.round_results(actor=admin, round_=tour.round).exists()
    tour.round = services.round_close(actor=admin, round_=tour.round)
    results = {r.unit.name: r for r in queries.round_results(actor=admin, round_=tour.round)}
    # 小店区: site (90 + 80 + 70) / 3 = 80 (3 < 5 evaluators: no trimming), rank 2 → 100
    #   80 × 0.5 + 80 × 0.3 + 100 × 0.2 = 40 + 24 + 20 = 84
    # 迎泽区: site 85 (the draft not counted), rank 1 → 100: 42.5 + 27 + 20 = 89.5
    assert results["小店区"].total == D(84) and results["小店区"].rank == 2
    assert results["迎泽区"].total == D("89.5") and results["迎泽区"].rank == 1
    assert results["小店区"].self_score == D(95)
    assert results["小店区"].breakdown[0]["text"] == "现场观摩评价：评委3人，平均80分"
    assert "未计入" in results["迎泽区"].notes[-1]
    # Closed: the organiser sees results, the unit's own admin not until published.
    assert not queries.round_results(actor=cast.xiaodian_admin, round_=tour.round).exists()
    tour.round = services.round_publish(actor=admin, round_=tour.round)
    own = list(queries.round_results(actor=cast.xiaodian_admin, round_=tour.round))
    assert [r.unit.name for r in own] == ["小店区"]
    assert AuditEvent.objects.filter(object_type="evaluation.evaluationround").count() >= 4


def test_score_outside_limits_is_refused_and_nothing_saved(tour: Tour, cast: Any) -> None:
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        submit(tour, tour.evaluator, tour.xiaodian, "101")
    assert refused.value.message_dict["site"] == ["“现场观摩评价”的分值须在0—100分之间，现为101。"]
    with pytest.raises(ValidationError) as refused:
        submit(tour, tour.evaluator, tour.xiaodian, "abc")
    assert "不是数字" in refused.value.message_dict["site"][0]
    with pytest.raises(ValidationError, match="未评分"):
        entry_services.score_sheet_submit(
            actor=tour.evaluator, round_=tour.round, unit=tour.xiaodian, scores={}
        )
    assert counts() == before


def test_a_sheet_submitted_twice_is_refused(tour: Tour, cast: Any) -> None:
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    submit(tour, tour.evaluator, tour.xiaodian, "90")
    before = counts()
    with pytest.raises(ValidationError) as refused:
        submit(tour, tour.evaluator, tour.xiaodian, "60")
    assert "已于" in refused.value.message_dict["sheet"][0]
    assert counts() == before
    assert ScoreEntry.objects.get().score == D(90)


def test_an_evaluator_cannot_score_a_unit_not_assigned(tour: Tour, cast: Any) -> None:
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    before = counts()
    with pytest.raises(PermissionDenied, match="迎泽区"):
        submit(tour, tour.third, tour.yingze, "90")
    with pytest.raises(PermissionDenied):
        submit(tour, cast.taiyuan_admin, tour.yingze, "90")
    assert counts() == before


def test_sheets_only_while_open(tour: Tour) -> None:
    with pytest.raises(ValidationError, match="筹备中"):
        submit(tour, tour.evaluator, tour.xiaodian, "90")
    assert not ScoreSheet.objects.exists()


def test_evaluators_see_only_their_own_sheets(tour: Tour, cast: Any) -> None:
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    submit(tour, tour.evaluator, tour.xiaodian, "90")
    entry_services.score_sheet_save(
        actor=tour.second, round_=tour.round, unit=tour.xiaodian, scores={"site": "70"}
    )
    mine = list(queries.my_sheets(actor=tour.evaluator, round_=tour.round))
    assert [(s.unit.name, s.status) for s in mine] == [("小店区", SheetStatus.SUBMITTED)]
    assert [s.entries.get().score for s in mine] == [D(90)]
    # The organiser sees progress counts, never scores.
    progress = {
        p.username: p for p in queries.sheet_progress(actor=cast.taiyuan_admin, round_=tour.round)
    }
    assert (progress["evaluator"].submitted, progress["evaluator"].drafts) == (1, 0)
    assert (progress["evaluator2"].submitted, progress["evaluator2"].drafts) == (0, 1)
    assert queries.sheet_progress(actor=tour.evaluator, round_=tour.round) == []
    # Audit rows of sheets carry no scores.
    assert (
        not AuditEvent.objects.filter(object_type="evaluation.scoresheet")
        .exclude(changes={})
        .exists()
    )


def test_scope_of_rounds(tour: Tour, cast: Any) -> None:
    visible = lambda user: set(queries.rounds_visible(actor=user).values_list("pk", flat=True))  # noqa: E731
    assert visible(cast.taiyuan_admin) == {tour.round.pk}
    assert visible(cast.province_admin) == {tour.round.pk}
    assert visible(cast.taiyuan_leader) == {tour.round.pk}
    assert visible(cast.xiaodian_admin) == {tour.round.pk}  # a unit of theirs is in it
    assert visible(cast.evaluator) == {tour.round.pk}
    assert visible(cast.hebei_admin) == set()
    assert visible(cast.datong_admin) == set()
    assert visible(cast.owner) == set()
    with pytest.raises(EvaluationRound.DoesNotExist):
        queries.round_get(actor=cast.hebei_admin, pk=tour.round.pk)
    units = lambda user: [u.name for u in queries.units_visible(actor=user, round_=tour.round)]  # noqa: E731
    assert units(cast.taiyuan_admin) == ["小店区", "迎泽区"]
    assert units(cast.xiaodian_admin) == ["小店区"]
    assert units(tour.third) == ["小店区"]


def test_only_the_organisers_region_runs_the_round(tour: Tour, cast: Any) -> None:
    for user in (cast.xiaodian_admin, cast.taiyuan_leader, cast.hebei_admin, cast.evaluator):
        with pytest.raises(PermissionDenied):
            services.round_open(actor=user, round_=tour.round)
    tour.round.refresh_from_db()
    assert tour.round.status == RoundStatus.DRAFT
    with pytest.raises(PermissionDenied):
        entry_services.self_assessment_submit(
            actor=cast.yingze_admin, round_=tour.round, unit=tour.xiaodian, score="90", basis="x"
        )


def test_units_and_evaluators_must_be_in_scope(tour: Tour, cast: Any, geo: Any) -> None:
    with pytest.raises(ValidationError, match="平城区"):
        services.round_units_add(
            actor=cast.taiyuan_admin, round_=tour.round, regions=[geo.pingcheng]
        )
    with pytest.raises(ValidationError, match="已是参评单位"):
        services.round_units_add(
            actor=cast.taiyuan_admin, round_=tour.round, regions=[geo.xiaodian]
        )
    with pytest.raises(ValidationError, match="不能担任评委"):
        services.round_evaluator_assign(
            actor=cast.taiyuan_admin, round_=tour.round, user=cast.owner
        )
    with pytest.raises(ValidationError, match="管辖范围"):
        services.round_evaluator_assign(
            actor=cast.taiyuan_admin, round_=tour.round, user=cast.datong_admin
        )
    assert tour.round.units.count() == 2


def test_zone_units(cast: Any, geo: Any) -> None:
    round_ = round_new(cast, geo, preset=JINAN_OBSERVATION, name="园区观摩")
    [zone] = services.round_units_add(
        actor=cast.taiyuan_admin, round_=round_, zones=[geo.xiaodian_zone]
    )
    assert zone.scope_region_id == geo.xiaodian.code
    assert [u.name for u in queries.units_visible(actor=cast.xiaodian_admin, round_=round_)] == [
        "小店区",
        "山西转型综合改革示范区",
    ]


def test_daily_entries_within_limits(tour: Tour, cast: Any) -> None:
    entry_services.daily_score_add(
        actor=cast.taiyuan_admin, round_=tour.round, unit=tour.xiaodian, criterion_code="daily",
        value="60", basis="上半年",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="录入后为110"):
        entry_services.daily_score_add(
            actor=cast.taiyuan_admin, round_=tour.round, unit=tour.xiaodian, criterion_code="daily",
            value="50", basis="下半年",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="site"):
        entry_services.daily_score_add(
            actor=cast.taiyuan_admin, round_=tour.round, unit=tour.xiaodian, criterion_code="site",
            value="5", basis="x",
        )  # fmt: skip
    assert tour.round.daily.count() == 1


def test_open_needs_evaluators_for_evaluator_criteria(cast: Any, geo: Any) -> None:
    round_ = round_new(cast, geo, preset=JINAN_OBSERVATION, name="无评委")
    with pytest.raises(ValidationError, match="评委"):
        services.round_open(actor=cast.taiyuan_admin, round_=round_)


def test_criterion_save_checks_the_whole_scheme(tour: Tour, cast: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        scheme_services.criterion_save(
            actor=cast.taiyuan_admin, scheme=tour.scheme, code="site",
            data={"rule": {"type": "evaluator_mean", "max": -1}},
        )  # fmt: skip
    assert refused.value.message_dict == {"rule": ["site.rule.max：须大于0。"]}
    changed = scheme_services.criterion_save(
        actor=cast.taiyuan_admin, scheme=tour.scheme, code="site",
        data={"rule": {"type": "evaluator_mean", "max": 50}},
    )  # fmt: skip
    assert changed.rule["max"] == 50
    assert AuditEvent.objects.filter(object_type="evaluation.criterion").exists()


def _ledger_year(project: Any, *, plan: str, done: str, year: int = 2024) -> None:
    annual = InvestmentPlan.objects.create(project=project, year=year, annual_amount=D(plan))
    MonthlyPlan.objects.create(plan=annual, month=3, amount=D(plan))
    InvestmentActual.objects.create(project=project, year=year, month=4, amount=D(done))


def test_award_sheet_from_the_ledger(cast: Any, geo: Any) -> None:
    round_ = round_new(cast, geo, preset=AWARD_2020, name="2024年度重点项目奖励评比")
    # 小店区: plan 1000, completed 1120 → 112% → 27.4; two new starts in 2024 → +2
    for _n in range(2):
        p = ProjectFactory(region=geo.xiaodian, actual_start_date=dt.date(2024, 3, 1))
        _ledger_year(p, plan="500", done="560")
    # 迎泽区: plan 1000, completed 850 → 85% → 23.5; one project due to start, not started → −3
    p = ProjectFactory(region=geo.yingze, planned_start_date=dt.date(2024, 2, 1))
    _ledger_year(p, plan="1000", done="850")
    services.round_open(actor=cast.taiyuan_admin, round_=round_)
    services.round_close(actor=cast.taiyuan_admin, round_=round_)
    results = {r.unit.name: r for r in RoundResult.objects.filter(round=round_)}
    xiaodian = {line["criterion"]: line for line in results["小店区"].breakdown}
    yingze = {line["criterion"]: line for line in results["迎泽区"].breakdown}
    assert xiaodian["plan_completion"]["text"] == "年度计划完成率112%：25+2.4=27.4分"
    assert yingze["plan_completion"]["score"] == "23.5"
    # Half-year (January–June) rates are the same here: 112% ranks 1st, 85% 2nd → 7 each.
    assert xiaodian["half_year_rank"]["score"] == "7" == yingze["half_year_rank"]["score"]
    assert xiaodian["new_starts"]["score"] == "2"
    assert yingze["late_starts"]["score"] == "-3"
    # 27.4 + 7 + 2 + 0 + 0 = 36.4; 23.5 + 7 + 0 + 0 − 3 = 27.5
    assert (results["小店区"].total, results["小店区"].rank) == (D("36.4"), 1)
    assert (results["迎泽区"].total, results["迎泽区"].rank) == (D("27.5"), 2)


def test_rank_movement_across_rounds(cast: Any, geo: Any) -> None:
    scheme = None
    boards = []
    for year, (x, y) in ((2023, ("90", "80")), (2024, ("70", "80"))):
        round_ = round_new(
            cast, geo, preset=JINAN_OBSERVATION, name=f"{year}年度观摩", year=year, scheme=scheme
        )
        scheme = round_.scheme
        services.round_evaluator_assign(
            actor=cast.taiyuan_admin, round_=round_, user=cast.evaluator
        )
        services.round_open(actor=cast.taiyuan_admin, round_=round_)
        for unit, score in zip(round_.units.order_by("name"), (x, y), strict=True):
            entry_services.score_sheet_submit(
                actor=cast.evaluator, round_=round_, unit=unit, scores={"site": score}
            )
        services.round_close(actor=cast.taiyuan_admin, round_=round_)
        round_ = services.round_publish(actor=cast.taiyuan_admin, round_=round_)
        boards.append(queries.leaderboard(actor=cast.taiyuan_admin, round_=round_))
    assert [(row.result.unit.name, row.movement) for row in boards[0]] == [
        ("小店区", None),
        ("迎泽区", None),
    ]
    # 2024: 迎泽区 climbs from 2nd to 1st (+1), 小店区 drops from 1st to 2nd (−1).
    assert [(row.result.unit.name, row.movement) for row in boards[1]] == [
        ("迎泽区", 1),
        ("小店区", -1),
    ]
