"""Demo evaluation: a city's observation tours of last year and this year, and this year's
award sheet computed from the ledger, all published.

Written through the services, as a person's clicks would be: the scores, the closing
(computation of totals, ranks and breakdowns) and the audit rows are real.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditSource
from cornerstone.evaluation import entry_services, scheme_services, services
from cornerstone.evaluation.models import EvaluationRound, EvaluationScheme
from cornerstone.evaluation.presets import AWARD_2020, JINAN_OBSERVATION
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.models import Region

SOURCE = AuditSource.COMMAND
BASES = (
    "完成年度目标任务，重点项目推进有力",
    "项目谋划储备充足，要素保障到位",
    "开工率、投资完成率位居前列",
)


def _city_admin() -> User | None:
    return (
        User.objects.filter(role=Role.ADMIN, is_active=True, region__level=RegionLevel.CITY)
        .order_by("region_id", "id")
        .first()
    )


def _panel(city: Region, admin: User) -> list[User]:
    others = User.objects.filter(
        is_active=True, region=city, role__in=(Role.EVALUATOR, Role.LEADER)
    ).order_by("role", "id")
    return [*others, admin]


def _observation(
    *, admin: User, city: Region, scheme_id: int | None, year: int, end: dt.date, rng: random.Random
) -> EvaluationRound:
    """One Jinan-style tour: evaluators' sheets, daily scores, self-assessments; published."""
    round_ = services.round_create(
        actor=admin,
        data={
            "name": f"{year}年度{city.name}重大项目现场观摩",
            "year": year,
            "period_start": dt.date(year, 1, 1),
            "period_end": end,
            "scheme": scheme_id,
            "region": city.code,
        },
        source=SOURCE,
    )
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    units = services.round_units_add(actor=admin, round_=round_, regions=counties, source=SOURCE)
    panel = _panel(city, admin)
    for user in panel:
        services.round_evaluator_assign(actor=admin, round_=round_, user=user, source=SOURCE)
    strength = {unit.pk: rng.uniform(70, 95) for unit in units}
    for unit in units:
        entry_services.daily_score_add(
            actor=admin,
            round_=round_,
            unit=unit,
            criterion_code="daily",
            value=Decimal(round(strength[unit.pk] + rng.uniform(-8, 4))).quantize(Decimal(1)),
            basis=f"{year}年度日常考核",
            source=SOURCE,
        )
        if rng.random() < 0.6:
            entry_services.self_assessment_submit(
                actor=admin,
                round_=round_,
                unit=unit,
                score=Decimal(min(100, round(strength[unit.pk] + rng.uniform(3, 10)))),
                basis=rng.choice(BASES),
                source=SOURCE,
            )
    services.round_open(actor=admin, round_=round_, source=SOURCE)
    for user in panel:
        for unit in units:
            score = min(100, max(50, strength[unit.pk] + rng.uniform(-6, 6)))
            entry_services.score_sheet_submit(
                actor=user,
                round_=round_,
                unit=unit,
                scores={"site": str(Decimal(score).quantize(Decimal("0.1")))},
                source=SOURCE,
            )
    services.round_close(actor=admin, round_=round_, source=SOURCE)
    return services.round_publish(actor=admin, round_=round_, source=SOURCE)


@transaction.atomic
def demo_evaluation_load(*, today: dt.date, seed: int) -> int:
    """Create the demo rounds; returns the number of results written."""
    admin = _city_admin()
    if admin is None or admin.region is None:
        return 0
    city = admin.region
    rng = random.Random(seed)  # noqa: S311 - demo scores, not secrets
    tour = scheme_services.scheme_create_from_preset(
        actor=admin, preset=JINAN_OBSERVATION, region=city, source=SOURCE
    )
    rounds = [
        _observation(
            admin=admin,
            city=city,
            scheme_id=tour.pk,
            year=year,
            end=dt.date(year, 12, 31) if year < today.year else today,
            rng=rng,
        )
        for year in (today.year - 1, today.year)
    ]
    award = scheme_services.scheme_create_from_preset(
        actor=admin, preset=AWARD_2020, region=city, source=SOURCE
    )
    sheet = services.round_create(
        actor=admin,
        data={
            "name": f"{today.year}年度{city.name}重点项目建设奖励评比",
            "year": today.year,
            "period_start": dt.date(today.year, 1, 1),
            "period_end": today,
            "scheme": award.pk,
            "region": city.code,
        },
        source=SOURCE,
    )
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    services.round_units_add(actor=admin, round_=sheet, regions=counties, source=SOURCE)
    services.round_open(actor=admin, round_=sheet, source=SOURCE)
    services.round_close(actor=admin, round_=sheet, source=SOURCE)
    rounds.append(services.round_publish(actor=admin, round_=sheet, source=SOURCE))
    return sum(r.results.count() for r in rounds)


@transaction.atomic
def demo_evaluation_reset(*, users: Iterable[User]) -> int:
    """Delete the rounds and schemes the demo accounts created (they would keep the accounts)."""
    users = list(users)
    rounds = EvaluationRound.objects.filter(created_by__in=users)
    count = rounds.count()
    rounds.delete()
    EvaluationScheme.objects.filter(created_by__in=users, rounds__isnull=True).delete()
    return count
