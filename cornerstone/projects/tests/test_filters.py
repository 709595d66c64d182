"""The ledger's filters, as the list page, the API and exports share them."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.projects.choices import Kind, Tier
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.models import Project, Stage

pytestmark = pytest.mark.django_db


def names(query: str | None) -> list[str]:
    """The names the ledger lists for a query string, in the order shown."""
    data = None if query is None else QueryDict(query)
    filterset = ProjectFilterSet(data, queryset=Project.objects.all())
    return list(filterset.qs.values_list("name", flat=True))


@pytest.fixture
def more(geo, ledger):
    """Two more projects in 小店区 with distinct attributes to filter on."""
    bonds = ProjectFactory(
        name="小店区市政道路工程",
        region=geo.xiaodian,
        tier=Tier.COUNTY,
        kind=Kind.RENOVATION,
        total_investment=Decimal("4999.99"),
        owner_org="太原市政建设集团",
        planned_start_date=dt.date(2027, 3, 1),
    )
    pharma = ProjectFactory(
        name="生物医药孵化器",
        region=geo.yingze,
        tier=Tier.PROVINCIAL,
        kind=Kind.CONTINUING,
        total_investment=Decimal("10000"),
        industry=geo.electronics,
        planned_start_date=dt.date(2026, 5, 1),
    )
    return bonds, pharma


def test_without_any_query_the_ledger_lists_everything_by_investment(ledger, more):
    expected = [
        "年产10万吨高端电子新材料项目",  # 150000
        "长安区智慧物流园项目",  # 12000 (factory default), the later id first
        "平城区热电联产项目",  # 12000
        "生物医药孵化器",  # 10000
        "迎泽区老旧小区改造项目",  # 8000
        "小店区市政道路工程",  # 4999.99
    ]
    assert names(None) == expected  # an unbound filter set
    assert names("") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=热电", {"平城区热电联产项目"}),
        ("q=+市政+", {"小店区市政道路工程"}),
        ("q=太原市政", {"小店区市政道路工程"}),  # the owner's name
        ("q=+", None),
        ("region=140106", {"生物医药孵化器", "迎泽区老旧小区改造项目"}),
        ("region=140200", {"平城区热电联产项目"}),
        ("region=140000", None),
        ("region=140100", None),
        ("region=140105", {"年产10万吨高端电子新材料项目", "小店区市政道路工程"}),
        ("region=999999", set()),
        ("region=abc", set()),
        ("region=１４０１０５", set()),
        ("tier=provincial&tier=county", {"生物医药孵化器", "小店区市政道路工程"}),
        ("kind=renovation", {"小店区市政道路工程"}),
        ("industry=39", {"年产10万吨高端电子新材料项目", "生物医药孵化器"}),
        ("industry=c", {"年产10万吨高端电子新材料项目", "生物医药孵化器"}),
        ("industry=D", {"平城区热电联产项目"}),
        ("industry=44", {"平城区热电联产项目"}),
        ("threshold=5000", None),
        ("threshold=10000", None),
        ("min_investment=8000&max_investment=12000", None),
    ],
)
def test_each_filter_selects_what_it_says(geo, ledger, more, query, expected):
    everything = set(names(None))
    if expected is None:
        expected = {
            "q=+": everything,
            "region=140100": everything - {"平城区热电联产项目", "长安区智慧物流园项目"},
            "region=140000": everything - {"长安区智慧物流园项目"},
            "threshold=5000": everything - {"小店区市政道路工程"},
            "threshold=10000": {
                "年产10万吨高端电子新材料项目",
                "平城区热电联产项目",
                "长安区智慧物流园项目",
                "生物医药孵化器",
            },
            "min_investment=8000&max_investment=12000": {
                "平城区热电联产项目",
                "长安区智慧物流园项目",
                "生物医药孵化器",
                "迎泽区老旧小区改造项目",
            },
        }[query]
    assert set(names(query)) == expected


def test_the_zone_and_stage_filters(geo, ledger, more):
    assert names(f"zone={geo.xiaodian_zone.pk}") == ["年产10万吨高端电子新材料项目"]
    later = Stage.objects.get(code="establishment")
    Project.objects.filter(pk=ledger.yingze.pk).update(stage=later)
    assert names(f"stage={later.pk}") == ["迎泽区老旧小区改造项目"]


def test_a_saved_list_is_a_filter(time_machine, ledger, more):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert names("list=renovate") == ["小店区市政道路工程"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("invest", ["小店区市政道路工程", "迎泽区老旧小区改造项目", "生物医药孵化器"]),
        ("-invest", ["年产10万吨高端电子新材料项目", "长安区智慧物流园项目", "平城区热电联产项目"]),
        # Projects without a planned start come last in both directions, on every engine.
        ("start", ["生物医药孵化器", "小店区市政道路工程", "年产10万吨高端电子新材料项目"]),
        ("-start", ["小店区市政道路工程", "生物医药孵化器", "长安区智慧物流园项目"]),
    ],
)
def test_sorting(ledger, more, sort, expected):
    assert names(f"sort={sort}")[:3] == expected


def test_sorting_by_name_and_by_last_update(ledger, more):
    listed = names("sort=name")
    assert listed == sorted(listed) and len(listed) == 6
    Project.objects.filter(pk=ledger.yingze.pk).update(
        updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    assert names("sort=-updated")[0] == "迎泽区老旧小区改造项目"


def test_sorting_by_stage_follows_the_stage_order(ledger, more):
    Project.objects.filter(pk=ledger.changan.pk).update(stage=Stage.objects.get(code="operation"))
    assert names("sort=stage")[-1] == "长安区智慧物流园项目"


def test_invalid_values_are_ignored_rather_than_failing(ledger, more):
    everything = names(None)
    assert names("sort=bogus") == everything
    assert names("tier=national") == everything
    assert names("min_investment=lots") == everything


def test_filters_combine(geo, ledger, more):
    assert names("region=140100&tier=provincial&q=生物") == ["生物医药孵化器"]
    assert names("region=140105&kind=continuing") == []


TEXT_CASES = ["电子新材料", "新材料", "电子", "硅", "L0", "2024-1401", "有限公司", 'a"b', "%", "_"]


@pytest.mark.django_db
@pytest.mark.parametrize("term", TEXT_CASES)
def test_text_search_finds_exactly_what_a_substring_match_finds(geo, term):
    ProjectFactory(
        name="年产10万吨高端电子新材料项目", region=geo.xiaodian, owner_org="山西新材料有限公司"
    )
    ProjectFactory(name="半导体硅材料产业园项目", region=geo.yingze)
    ProjectFactory(name="100%绿色电力_示范项目", region=geo.yingze, owner_org='引号"a"b"公司')
    ProjectFactory(name="老旧小区改造", region=geo.yingze, owner_org="太原城建集团")
    expected = {
        p.pk
        for p in Project.objects.all()
        if any(term.lower() in value.lower() for value in (p.name, p.code, p.owner_org))
    }
    found = set(
        ProjectFilterSet({"q": term}, queryset=Project.objects.all()).qs.values_list(
            "pk", flat=True
        )
    )
    assert found == expected


@pytest.mark.django_db
def test_text_search_index_follows_every_change(geo):
    # On SQLite the index is an FTS5 table kept by triggers; a migration that rebuilds the
    # project table would drop them silently. Creating, renaming and deleting must show.
    def found(term):
        return set(ProjectFilterSet({"q": term}, queryset=Project.objects.all()).qs)

    project = ProjectFactory(name="高端装备制造产业园", region=geo.xiaodian, owner_org="晋阳重工")
    assert found("装备制造") == {project}
    project.name = "现代物流园"
    project.save()
    assert found("装备制造") == set()
    assert found("物流园") == {project}
    Project.objects.filter(pk=project.pk).update(owner_org="晋中储运")
    assert found("晋中储运") == {project}
    project.delete()
    assert found("物流园") == set()
