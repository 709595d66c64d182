"""Fixtures of the problems tests: a frozen day, a department user of 迎泽区, problems."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cornerstone.accounts.choices import Role

# The API tests use the API app's token client.
from cornerstone.api.tests.conftest import api_as  # noqa: F401
from cornerstone.core.testing.factories import DepartmentFactory, UserFactory
from cornerstone.problems.services import problem_raise

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return TODAY


@pytest.fixture
def taiyuan_dept(geo):
    """A city-level department (太原市自然资源局), in the chain of every 太原 county."""
    return DepartmentFactory(name="太原市规划和自然资源局", region=geo.taiyuan)


@pytest.fixture
def yingze_dept(geo):
    return DepartmentFactory(name="迎泽区住房和城乡建设局", region=geo.yingze)


@pytest.fixture
def yingze_dept_user(yingze_dept, geo):
    return UserFactory(
        username="yingze_dept", role=Role.DEPARTMENT, region=geo.yingze, department=yingze_dept
    )


@pytest.fixture
def problem(frozen_today, cast, ledger, geo):
    """An open land problem on the 小店 project, assigned to 小店区发改局, due in a week."""
    return problem_raise(
        project=ledger.xiaodian,
        category="land",
        description="用地指标尚未落实，影响开工。",
        department=geo.xiaodian_dept,
        person="王明",
        deadline=TODAY + dt.timedelta(days=7),
        actor=cast.xiaodian_admin,
    )
