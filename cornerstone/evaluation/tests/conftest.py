"""A round of 太原市 over 小店区 and 迎泽区, with the cast's evaluator and a second one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.core.testing.factories import UserFactory
from cornerstone.evaluation import scheme_services, services
from cornerstone.evaluation.models import EvaluationRound, EvaluationScheme, RoundUnit
from cornerstone.evaluation.presets import JINAN_OBSERVATION

D = Decimal


@dataclass
class Tour:
    scheme: EvaluationScheme
    round: EvaluationRound
    xiaodian: RoundUnit
    yingze: RoundUnit
    evaluator: User
    second: User
    third: User


def round_new(
    cast: Any,
    geo: Any,
    *,
    preset: str,
    name: str = "2024年度重大项目现场观摩",
    year: int = 2024,
    scheme: EvaluationScheme | None = None,
) -> EvaluationRound:
    scheme = scheme or scheme_services.scheme_create_from_preset(
        actor=cast.taiyuan_admin, preset=preset, region=geo.taiyuan
    )
    round_ = services.round_create(
        actor=cast.taiyuan_admin,
        data={
            "name": name,
            "year": year,
            "period_start": dt.date(year, 1, 1),
            "period_end": dt.date(year, 12, 31),
            "scheme": scheme,
            "region": geo.taiyuan,
        },
    )
    services.round_units_add(
        actor=cast.taiyuan_admin, round_=round_, regions=[geo.xiaodian, geo.yingze]
    )
    return round_


@pytest.fixture
def tour(cast: Any, geo: Any) -> Tour:
    return tour_build(cast, geo)


def tour_build(cast: Any, geo: Any) -> Tour:
    """The 太原市 round under the Jinan-style preset, three evaluators assigned, in draft."""
    round_ = round_new(cast, geo, preset=JINAN_OBSERVATION)
    second = UserFactory(username="evaluator2", role=Role.EVALUATOR, region=geo.taiyuan)
    third = UserFactory(username="evaluator3", role=Role.EVALUATOR, region=geo.xiaodian)
    xiaodian = round_.units.get(region=geo.xiaodian)
    yingze = round_.units.get(region=geo.yingze)
    services.round_evaluator_assign(actor=cast.taiyuan_admin, round_=round_, user=cast.evaluator)
    services.round_evaluator_assign(actor=cast.taiyuan_admin, round_=round_, user=second)
    services.round_evaluator_assign(
        actor=cast.taiyuan_admin, round_=round_, user=third, units=[xiaodian]
    )
    round_.refresh_from_db()
    return Tour(round_.scheme, round_, xiaodian, yingze, cast.evaluator, second, third)
