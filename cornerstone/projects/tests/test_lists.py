"""The six lists (六张清单): which projects each one holds."""

import datetime as dt

import pytest

from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.projects.choices import Kind
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.lists import LISTS_BY_KEY, SIX_LISTS
from cornerstone.projects.models import Project, Stage

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)
D = dt.date


@pytest.fixture
def projects(geo):
    """One project per situation, named after it."""
    later = Stage.objects.get(code="construction")

    def make(name, **fields):
        return ProjectFactory(name=name, region=geo.xiaodian, **fields)

    make("储备中", kind=Kind.RESERVE)
    make("已签约", kind=Kind.RESERVE, signed_date=D(2026, 3, 1))
    make("新开工未开工", kind=Kind.NEW_START, stage=later)
    make("新开工已开工", kind=Kind.NEW_START, stage=later, actual_start_date=D(2026, 4, 1))
    make(
        "续建已竣工",
        kind=Kind.CONTINUING,
        stage=later,
        actual_start_date=D(2024, 4, 1),
        actual_completion_date=D(2026, 6, 1),
    )
    make(
        "年底投产",
        kind=Kind.CONTINUING,
        stage=later,
        actual_start_date=D(2025, 4, 1),
        planned_production_date=D(2026, 12, 31),
    )
    make(
        "逾期未投产",
        kind=Kind.CONTINUING,
        stage=later,
        actual_start_date=D(2024, 4, 1),
        planned_production_date=D(2025, 6, 30),
    )
    make(
        "明年投产",
        kind=Kind.CONTINUING,
        stage=later,
        actual_start_date=D(2025, 4, 1),
        planned_production_date=D(2027, 1, 1),
    )
    make(
        "已投产未达产",
        kind=Kind.CONTINUING,
        stage=later,
        actual_start_date=D(2024, 4, 1),
        actual_completion_date=D(2025, 4, 1),
        planned_production_date=D(2025, 5, 1),
        actual_production_date=D(2025, 5, 1),
    )
    make(
        "已达产",
        kind=Kind.CONTINUING,
        stage=later,
        actual_start_date=D(2024, 4, 1),
        actual_completion_date=D(2025, 4, 1),
        actual_production_date=D(2025, 5, 1),
        capacity_reached_date=D(2026, 5, 1),
    )
    make("技改项目", kind=Kind.RENOVATION, stage=later)


def listed(key: str, today: dt.date = TODAY) -> set[str]:
    condition = LISTS_BY_KEY[key].condition(today)
    return set(Project.objects.filter(condition).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("attract", {"储备中"}),
        ("start", {"新开工未开工"}),
        ("build", {"新开工已开工", "年底投产", "逾期未投产", "明年投产"}),
        ("produce", {"年底投产", "逾期未投产"}),
        ("capacity", {"已投产未达产"}),
        ("renovate", {"技改项目"}),
    ],
)
def test_each_list_holds_the_projects_in_its_situation(projects, key, expected):
    assert listed(key) == expected


def test_the_production_list_looks_at_the_current_year(projects):
    assert "明年投产" in listed("produce", today=D(2027, 1, 1))
    assert "年底投产" not in listed("produce", today=D(2025, 12, 31))


def test_there_are_six_lists_with_distinct_keys_and_labels():
    assert len(SIX_LISTS) == 6
    assert len({s.key for s in SIX_LISTS}) == 6
    assert len({str(s.label) for s in SIX_LISTS}) == 6
    assert str(LISTS_BY_KEY["produce"].label) == "投产清单"


def test_the_filter_uses_the_local_date(geo, projects, time_machine):
    # 2026-12-31 16:30 UTC is New Year's Day 2027 in China: next year's plans now count.
    time_machine.move_to(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False)
    filterset = ProjectFilterSet({"list": "produce"}, queryset=Project.objects.all())
    assert "明年投产" in set(filterset.qs.values_list("name", flat=True))
