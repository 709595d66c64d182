"""What the demo draws on: the regions, zones, departments and industries, and its accounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.management import call_command

from cornerstone.accounts.choices import Role
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.projects.choices import (
    Milestone,
)
from cornerstone.projects.demo import names
from cornerstone.projects.lifecycle import StepRule
from cornerstone.projects.models import Stage, StepDefinition

# Demo data, documented in the README and printed by the command: one password for all.
DEMO_PASSWORD = "cornerstone-demo"  # noqa: S105
DEMO_ACTOR = "演示数据（load_demo）"
BATCH_SIZE = 2000
MIN_INVESTMENT = 5000  # 万元: the demo ledger starts at 5000万元
MAX_INVESTMENT = 3_000_000  # 万元: 300亿元
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
WAIVED_LAND = "利用现有厂区用地，不新增建设用地。"
WAIVED_PLANNING = "原址改造，不涉及新增规划许可。"
WAIVED_CAPACITY = "非生产经营性项目，无达产达效要求。"

Progress = Callable[[str], None]


# --- reference data the generator draws from ------------------------------------------


@dataclass(frozen=True)
class StepInfo:
    """A step definition with what the generator needs, in lifecycle order."""

    index: int
    id: int
    code: str
    stage_id: int
    optional: bool
    milestone: str


@dataclass
class World:
    """Regions, zones, departments, industries and the lifecycle, loaded once per run."""

    province: Region
    cities: list[Region]
    city_weights: list[float]
    counties: dict[str, list[Region]]  # city code → counties
    county_weights: dict[str, list[float]]
    regions: dict[str, Region]
    zones: dict[str, list[Zone]]
    departments: dict[str, dict[str, Department]]  # region code → key → department
    industries: dict[str, Industry]
    stages: dict[int, Stage]
    steps: list[StepInfo]
    rules: list[StepRule]
    milestone_index: dict[str, int]

    @property
    def first_stage_id(self) -> int:
        return self.steps[0].stage_id


def reference_data_ensure() -> None:
    """Load the divisions and industries when 山西省 or the industry divisions are missing."""
    if (
        not Region.objects.filter(code=names.PROVINCE_CODE).exists()
        or not Industry.objects.filter(level="division").exists()
    ):
        call_command("load_reference_data", verbosity=0, stdout=_Silent())


class _Silent:
    def write(self, *_args: object) -> None:
        return None

    def flush(self) -> None:
        return None


def short_name(region: Region) -> str:
    """小店区 → 小店, 清徐县 → 清徐; one-character names (盂县, 城区) stay whole."""
    name = region.name
    if len(name) > 2 and name[-1] in "区县市" and not name.endswith(("开发区", "示范区")):
        return name[:-1]
    return name


def _department_names(region: Region) -> list[tuple[str, str]]:
    if region.level == RegionLevel.PROVINCE:
        return [(k, region.name + s) for k, s in names.PROVINCE_DEPARTMENTS]
    if region.level == RegionLevel.CITY:
        return [(k, region.name + s) for k, s in names.CITY_DEPARTMENTS]
    if region.code.endswith("71"):
        return [(k, region.name + s) for k, s in names.ZONE_DEPARTMENTS]
    city = region.parent.name if region.parent else ""
    result = []
    for key, suffix in names.COUNTY_DEPARTMENTS:
        if key == "sthj":  # a branch of the city's bureau since the 2019 vertical reform
            result.append((key, f"{city}生态环境局{short_name(region)}分局"))
        else:
            result.append((key, region.name + suffix))
    return result


def world_build() -> World:
    """Create the demo's zones and departments (idempotent) and load what generation needs."""
    province = Region.objects.get(code=names.PROVINCE_CODE)
    regions = {
        r.code: r
        for r in Region.objects.filter(code__startswith="14")
        .select_related("parent")
        .order_by("code")
    }
    cities = [regions[c.code] for c in names.CITIES if c.code in regions]
    counties: dict[str, list[Region]] = {c.code: [] for c in cities}
    for region in regions.values():
        if region.level == RegionLevel.COUNTY and region.parent_id in counties:
            counties[region.parent_id].append(region)
    county_weights = {
        code: [names.COUNTY_WEIGHTS.get(r.code, 1.3 if r.name.endswith("区") else 1.0) for r in rs]
        for code, rs in counties.items()
    }
    Zone.objects.bulk_create(
        [
            Zone(name=name, kind=kind, region_id=code)
            for name, kind, code in names.ZONES
            if code in regions
        ],
        ignore_conflicts=True,
    )
    zone_names = {name for name, _kind, _code in names.ZONES}
    zones: dict[str, list[Zone]] = {}
    for zone in Zone.objects.filter(name__in=zone_names).order_by("region_id", "name"):
        zones.setdefault(zone.region_id, []).append(zone)
    wanted = [
        Department(name=name, region_id=region.code)
        for region in regions.values()
        for _key, name in _department_names(region)
    ]
    Department.objects.bulk_create(wanted, ignore_conflicts=True)
    by_name = {
        (d.region_id, d.name): d for d in Department.objects.filter(region__code__startswith="14")
    }
    departments = {
        region.code: {
            key: by_name[(region.code, name)]
            for key, name in _department_names(region)
            if (region.code, name) in by_name
        }
        for region in regions.values()
    }
    definitions = list(
        StepDefinition.objects.select_related("stage").order_by("stage__order", "order", "id")
    )
    if not definitions:
        raise ValueError("尚未配置生命周期阶段和环节，请先运行 migrate。")
    steps = [
        StepInfo(i, d.pk, d.code, d.stage_id, d.optional, d.milestone)
        for i, d in enumerate(definitions)
    ]
    milestone_index = {s.milestone: s.index for s in steps if s.milestone}
    if Milestone.START not in milestone_index:
        raise ValueError("生命周期中没有“开工”关键环节，无法生成演示数据。")
    return World(
        province=province,
        cities=cities,
        city_weights=[names.CITIES_BY_CODE[c.code].weight for c in cities],
        counties=counties,
        county_weights=county_weights,
        regions=regions,
        zones=zones,
        departments=departments,
        industries={i.code: i for i in Industry.objects.filter(level="division")},
        stages={s.pk: s for s in Stage.objects.all()},
        steps=steps,
        rules=[StepRule(s.id, s.stage_id, s.code, s.optional) for s in steps],
        milestone_index=milestone_index,
    )


# --- users --------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: Role
    region_code: str | None
    department_key: str | None = None
    organisation: str = ""


@dataclass
class Credential:
    """One printed line of the credentials table."""

    username: str
    password: str
    role: str
    scope: str
    sees: str


def user_specs() -> list[UserSpec]:
    """Every demo account except owners: admins, leaders, department users, an evaluator."""
    specs = [UserSpec(f"admin_{names.PROVINCE_PINYIN}", Role.ADMIN, names.PROVINCE_CODE)]
    specs += [UserSpec(f"admin_{c.pinyin}", Role.ADMIN, c.code) for c in names.CITIES]
    specs += [UserSpec(f"admin_{p}", Role.ADMIN, code) for code, p in names.COUNTY_ADMINS]
    specs += [
        UserSpec(f"leader_{names.PROVINCE_PINYIN}", Role.LEADER, names.PROVINCE_CODE),
        UserSpec("leader_taiyuan", Role.LEADER, "140100"),
        UserSpec(f"dept_{names.PROVINCE_PINYIN}_fgw", Role.DEPARTMENT, "140000", "fgw"),
        UserSpec("dept_taiyuan_zrzy", Role.DEPARTMENT, "140100", "zrzy"),
        UserSpec("dept_xiaodian_fgj", Role.DEPARTMENT, "140105", "fgj"),
        UserSpec("dept_zonggai_sthj", Role.DEPARTMENT, "140171", "sthj"),
        UserSpec("evaluator_taiyuan", Role.EVALUATOR, "140100"),
    ]
    return specs


OWNER_COUNT = 5
OWNER_FAMILIES = ("materials", "equipment", "electronics", "medicine", "food")


def demo_usernames() -> list[str]:
    """Every username the demo creates (what --reset deletes)."""
    return [s.username for s in user_specs()] + [f"owner_{i}" for i in range(1, OWNER_COUNT + 1)]
