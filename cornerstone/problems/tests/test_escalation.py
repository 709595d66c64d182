"""The escalation rule, without a database."""

import datetime as dt

import pytest

from cornerstone.problems.escalation import (
    CITY,
    DEFAULT_POLICY,
    NORMAL,
    PROVINCE,
    Policy,
    escalation_target,
    overdue_days,
    policy_for,
    supervising_region,
)

TODAY = dt.date(2026, 11, 24)


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [
        (-3, NORMAL),
        (0, NORMAL),
        (1, NORMAL),
        (6, NORMAL),
        (7, CITY),
        (29, CITY),
        (30, PROVINCE),
        (400, PROVINCE),
    ],
)
def test_default_day_counts(overdue, expected):
    target = escalation_target(
        deadline=days_ago(overdue), today=TODAY, current=NORMAL, policy=DEFAULT_POLICY
    )
    assert target == expected


def test_a_level_once_reached_is_kept():
    assert (
        escalation_target(deadline=days_ago(2), today=TODAY, current=CITY, policy=DEFAULT_POLICY)
        == CITY
    )
    assert (
        escalation_target(deadline=None, today=TODAY, current=PROVINCE, policy=DEFAULT_POLICY)
        == PROVINCE
    )


def test_a_custom_policy_moves_the_thresholds():
    quick = Policy(city_after_days=3, province_after_days=10)
    assert (
        escalation_target(deadline=days_ago(3), today=TODAY, current=NORMAL, policy=quick) == CITY
    )
    assert (
        escalation_target(deadline=days_ago(10), today=TODAY, current=NORMAL, policy=quick)
        == PROVINCE
    )


def test_no_deadline_never_escalates():
    assert overdue_days(None, TODAY) == 0
    assert (
        escalation_target(deadline=None, today=TODAY, current=NORMAL, policy=DEFAULT_POLICY)
        == NORMAL
    )


def test_the_nearest_ancestor_policy_applies():
    city = Policy(5, 20)
    province = Policy(10, 40)
    policies = {"140100": city, "140000": province}
    assert policy_for("140105", policies) is city
    assert policy_for("140213", policies) is province
    assert policy_for("130102", policies) == DEFAULT_POLICY
    assert policy_for("140105", {"140105": Policy(1, 2), **policies}) == Policy(1, 2)


def test_supervising_region():
    assert supervising_region("140105", CITY) == "140100"
    assert supervising_region("140105", PROVINCE) == "140000"
    assert supervising_region("140100", CITY) == "140100"
