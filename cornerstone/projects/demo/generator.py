"""Drawing one consistent project at a time, with its steps, dates, money and codes."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.models import Region
from cornerstone.projects.choices import (
    Category,
    ConstructionNature,
    Kind,
    Milestone,
    StatsInclusion,
    StepStatus,
    Tier,
)
from cornerstone.projects.codes import local_code
from cornerstone.projects.demo import names
from cornerstone.projects.demo.world import (
    CENT,
    MAX_INVESTMENT,
    MICRO,
    MIN_INVESTMENT,
    WAIVED_CAPACITY,
    WAIVED_LAND,
    WAIVED_PLANNING,
    StepInfo,
    World,
    short_name,
)
from cornerstone.projects.lifecycle import current_stage_id
from cornerstone.projects.models import Project, ProjectStep
from cornerstone.projects.services import MILESTONE_FIELDS

# --- the generator ------------------------------------------------------------------


STEP_GAPS = {  # days from the previous dated step: (low, high)
    "conception": (0, 0),
    "reserve": (20, 120),
    "signing": (15, 150),
    "feasibility": (30, 150),
    "approval": (10, 60),
    "land": (20, 120),
    "planning_permit": (10, 60),
    "environment": (7, 60),
    "construction_permit": (7, 45),
    "start": (5, 60),
    "production": (15, 120),
    "capacity": (90, 540),
}
DEFAULT_GAP = (20, 90)
START_YEAR_WEIGHTS = {7: 2, 6: 3, 5: 5, 4: 8, 3: 12, 2: 25, 1: 45}  # years ago → weight
START_MONTH_WEIGHTS = [0.3, 0.5, 3, 3, 2, 2, 1.5, 1.5, 1.5, 1.5, 0.7, 0.3]
PHASES = ("reserve", "preparatory", "awaiting", "started_this_year", "started_earlier")
PHASE_WEIGHTS = (12, 14, 12, 22, 40)
ROADS = (
    "长治路",
    "学府街",
    "龙城大街",
    "滨河东路",
    "南中环街",
    "晋阳街",
    "迎宾路",
    "建设路",
    "人民路",
    "开发路",
    "创业大街",
    "科技大道",
    "工业路",
    "新华街",
    "朝阳路",
    "文化路",
    "锦绣大道",
    "太行路",
)
CN_DIGITS = "零一二三四五六七八九"
NICE_MANTISSAS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)


def _chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (第十二中学)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def _nice(value: float) -> int:
    """Round to a number people put in project names (10, 12, 15, 20, 25, 30 …)."""
    if value < 1:
        return 1
    exponent = math.floor(math.log10(value))
    best = min(
        (m * 10**e for e in (exponent - 1, exponent, exponent + 1) for m in NICE_MANTISSAS),
        key=lambda c: abs(math.log(c / value)),
    )
    return max(1, round(best))


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


def _share(total: Decimal, fraction: float) -> Decimal:
    """A part of ``total``, rounded down so that parts never add up past it."""
    return (total * Decimal(str(round(fraction, 6)))).quantize(CENT, rounding=ROUND_DOWN)


@dataclass
class OwnerSlot:
    """An owner account and the projects it still has to receive."""

    username: str
    company: str
    family: str
    city_code: str
    quota: int
    user_id: int = 0


@dataclass
class Draft:
    """One project ready to insert, with the rows that hang off it."""

    project: Project
    steps: list[ProjectStep]
    owner_user_id: int | None = None


@dataclass
class Generator:
    """Draws projects one at a time from the seeded random source."""

    world: World
    rng: random.Random
    today: dt.date
    owners: list[OwnerSlot] = field(default_factory=list)
    national_codes: set[str] = field(default_factory=set)
    local_sequences: dict[tuple[int, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.family_weights = [f.weight for f in names.FAMILIES]
        self.families = {f.key: f for f in names.FAMILIES}
        steps = self.world.steps
        start = self.world.milestone_index[Milestone.START]
        self.start_index = start
        self.start_stage = steps[start].stage_id
        stage_after = {
            last: current_stage_id(
                self.world.rules, {s.id: StepStatus.DONE for s in steps[: last + 1]}
            )
            for last in range(-1, start)
        }
        first = self.world.first_stage_id
        self.reserve_lasts = [
            i for i in range(0, start) if stage_after[i] == first and not steps[i].optional
        ] or [-1]
        self.preparatory_lasts = [
            i
            for i in range(0, start)
            if stage_after[i] not in (first, self.start_stage) and not steps[i].optional
        ]
        self.awaiting_lasts = [
            i for i in range(0, start) if stage_after[i] == self.start_stage
        ] or self.preparatory_lasts[-1:]
        if not self.preparatory_lasts:
            # A lifecycle with nothing between the reserve stage and the start step.
            self.preparatory_lasts = self.reserve_lasts
        by_stage: dict[int, list[int]] = {}
        for index in self.preparatory_lasts:
            by_stage.setdefault(stage_after[index], []).append(index)
        self.preparatory_by_stage = list(by_stage.values())

    # -- small draws --

    def person(self) -> str:
        """A plausible Chinese personal name."""
        rng = self.rng
        given = rng.choice(names.GIVEN_CHARS)
        if rng.random() < 0.7:
            given += rng.choice(names.GIVEN_CHARS)
        return rng.choice(names.SURNAMES) + given

    def trade(self) -> str:
        """A two-character trade name (字号) such as 华瑞."""
        first = self.rng.choice(names.TRADE_FIRST)
        second = self.rng.choice(names.TRADE_SECOND)
        while second == first:
            second = self.rng.choice(names.TRADE_SECOND)
        return first + second

    def company(self, family: names.Family, city: Region | None, trade: str) -> str:
        """A company name fitting the family, registered in the province or the city."""
        rng = self.rng
        prefix = "山西" if city is None or rng.random() < 0.55 else city.name.removesuffix("市")
        suffix = rng.choice(family.company_suffixes or ("实业",))
        form = rng.choices(("有限公司", "股份有限公司", "集团有限公司"), (82, 10, 8))[0]
        return f"{prefix}{trade}{suffix}{form}"

    def date_between(self, low: dt.date, high: dt.date) -> dt.date:
        """A day between the two, inclusive (``low`` when the range is empty)."""
        if high <= low:
            return low
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))

    def days(self, low: int, high: int) -> dt.timedelta:
        """A random whole number of days."""
        return dt.timedelta(days=self.rng.randint(low, high))

    def gap(self, step: StepInfo, build_days: int) -> dt.timedelta:
        """The time from the previous dated step to this one."""
        if step.milestone == Milestone.COMPLETION:
            return dt.timedelta(days=build_days)
        low, high = STEP_GAPS.get(step.code, DEFAULT_GAP)
        return self.days(low, high)

    def start_date(self, this_year: bool) -> dt.date:
        """A start before today, mostly in spring (集中开工), this year or an earlier one."""
        rng = self.rng
        if this_year:
            year = self.today.year
        else:
            ago = rng.choices(list(START_YEAR_WEIGHTS), list(START_YEAR_WEIGHTS.values()))[0]
            year = self.today.year - ago
        for _attempt in range(20):
            month = rng.choices(range(1, 13), START_MONTH_WEIGHTS)[0]
            day = dt.date(year, month, rng.randint(1, 28))
            if day < self.today:
                return day
        return self.date_between(dt.date(year, 1, 2), self.today - dt.timedelta(days=1))

    # -- where --

    def region_for(self, item: names.Item) -> tuple[Region, Region | None]:
        """Pick the project's region and the city it belongs to (None for the province)."""
        rng, world = self.rng, self.world
        if item.scope == "taiyuan":
            city = world.regions["140100"]
            return city, city
        if item.scope == "province" and rng.random() < 0.7:
            return world.province, None
        city = rng.choices(world.cities, world.city_weights)[0]
        if item.scope in ("province", "city") or rng.random() < 0.08:
            return city, city
        county = rng.choices(world.counties[city.code], world.county_weights[city.code])[0]
        return county, city

    # -- one project --

    def draft(self, owner: OwnerSlot | None = None) -> Draft:
        """Draw one consistent project with its steps."""
        rng, world = self.rng, self.world
        family = self.families[owner.family] if owner else self._family()
        item = rng.choices(family.items, [i.weight for i in family.items])[0]
        scenic = ""
        if item.scenic:
            scenic, county_code = rng.choice(names.SCENIC_SPOTS)
            region = world.regions[county_code]
            city = region.parent
        elif owner:
            city = world.regions[owner.city_code]
            region = rng.choices(world.counties[city.code], world.county_weights[city.code])[0]
        else:
            region, city = self.region_for(item)
        phase = rng.choices(PHASES, PHASE_WEIGHTS)[0]
        if phase == "started_this_year" and self.today <= dt.date(self.today.year, 1, 2):
            phase = "awaiting"  # nothing can have started this year yet
        renovation = bool(family.renovation) and phase != "reserve" and rng.random() < 0.16
        low, high = item.invest or family.invest
        invest = low * (high / low) ** (rng.random() ** 1.5)
        if renovation:
            invest *= rng.uniform(0.3, 0.7)
        invest = min(max(invest, MIN_INVESTMENT), MAX_INVESTMENT)
        invest = round(invest, -2) if invest >= 20000 else round(invest, -1)
        total = _money(invest)
        build_days = int(
            (300 + 220 * math.log10(invest / MIN_INVESTMENT))
            * family.build_factor
            * rng.uniform(0.8, 1.4)
        )
        # Companies build industry projects; governments and their platforms the rest.
        if owner or family.owners == ("{enterprise}",):
            government = False
        elif "{enterprise}" in family.owners:
            enterprise_share = 0.8 if family.owners[0] == "{enterprise}" else 0.2
            government = rng.random() >= enterprise_share
        else:
            government = True
        steps, timeline = self._steps(
            phase, family, renovation, build_days, enterprise=not government
        )
        project = Project(region=region, total_investment=total)
        self._when(project, timeline, phase, build_days, family)
        year = (project.actual_start_date or project.planned_start_date or self.today).year
        trade = self.trade()
        name, capacity, division = self._name(
            family, item, region, city, scenic, year, invest, renovation, trade
        )
        project.name = name
        project.new_capacity = capacity
        project.industry = world.industries.get(division)
        project.category = family.category
        project.kind = self._kind(phase, renovation, project)
        project.stage = world.stages[
            current_stage_id(world.rules, {s.definition_id: s.status for s in steps})
        ]
        project.construction_nature = self._nature(name, renovation)
        self._who(project, family, item, region, city, government, owner, trade, invest)
        self._funding(project, government, phase)
        self._land(project, family, renovation, invest)
        self._place(project, region, city, family)
        self._code(project, timeline, phase, region, division, renovation)
        self._documents(project, timeline, region, government)
        self._statistics(project)
        project.tier = self._tier(region, invest)
        chains = names.CHAIN_TAGS.get(family.key)
        if chains and rng.random() < 0.4:
            role = (
                "链主"
                if invest >= 200000 and rng.random() < 0.4
                else rng.choice(names.CHAIN_ROLES[1:])
            )
            project.tags = f"{rng.choice(chains)},{role}"
        return Draft(project, steps, owner.user_id if owner else None)

    def _family(self) -> names.Family:
        return self.rng.choices(names.FAMILIES, self.family_weights)[0]

    # -- lifecycle --

    def _steps(
        self,
        phase: str,
        family: names.Family,
        renovation: bool,
        build_days: int,
        *,
        enterprise: bool,
    ) -> tuple[list[ProjectStep], dict[str, dt.date]]:
        """The project's step rows and a map of milestone/plan dates for the project fields."""
        rng, today, steps = self.rng, self.today, self.world.steps
        start = self.start_index
        # Which steps are settled, and how.
        status: dict[int, str] = {}
        waiver: dict[int, str] = {}
        if phase == "reserve":
            last = rng.choice(self.reserve_lasts)
        elif phase == "preparatory":
            # Stage first, then step: each pre-start stage gets its share of projects.
            last = rng.choice(rng.choice(self.preparatory_by_stage))
        elif phase == "awaiting":
            pool = self.awaiting_lasts if rng.random() < 0.6 else self.preparatory_lasts[-3:]
            last = rng.choice(pool)
        else:
            last = start  # extended below by dates
        for step in steps[: last + 1]:
            if step.optional and not (enterprise and step.milestone == Milestone.SIGNING):
                continue  # an optional step nobody took: no row
            if renovation and step.code == "land" and rng.random() < 0.7:
                status[step.index], waiver[step.index] = StepStatus.WAIVED, WAIVED_LAND
            elif renovation and step.code == "planning_permit" and rng.random() < 0.5:
                status[step.index], waiver[step.index] = StepStatus.WAIVED, WAIVED_PLANNING
            else:
                status[step.index] = StepStatus.DONE
        dated = [i for i in range(last + 1) if status.get(i) == StepStatus.DONE]
        actual: dict[int, dt.date] = {}
        planned: dict[int, dt.date] = {}
        plan: dict[str, dt.date] = {}

        def back_from(index: int, date: dt.date) -> None:
            actual[index] = date
            later = index
            for i in reversed([d for d in dated if d < index]):
                actual[i] = actual[later] - self.gap(steps[later], build_days)
                later = i

        planned_build = int(build_days * rng.uniform(0.8, 1.05))
        if phase in ("started_this_year", "started_earlier"):
            started = self.start_date(phase == "started_this_year")
            back_from(start, started)
            plan["planned_start"] = min(started - self.days(-20, 60), today)
            plan["planned_completion"] = plan["planned_start"] + dt.timedelta(days=planned_build)
            # After the start: each later step is done when its natural date has passed.
            previous = started
            chance = {Milestone.COMPLETION: 0.93, Milestone.PRODUCTION: 0.95}
            for step in steps[start + 1 :]:
                if step.optional:
                    continue
                if not family.productive and step.milestone == Milestone.CAPACITY:
                    status[step.index], waiver[step.index] = StepStatus.WAIVED, WAIVED_CAPACITY
                    last = step.index
                    continue
                natural = previous + self.gap(step, build_days)
                if natural < today and rng.random() < chance.get(step.milestone, 0.9):
                    status[step.index] = StepStatus.DONE
                    actual[step.index] = natural
                    previous = natural
                    last = step.index
                else:
                    break
            completion = self.world.milestone_index.get(Milestone.COMPLETION)
            if completion is not None and completion in actual:
                plan["planned_completion"] = min(plan["planned_completion"], actual[completion])
                plan["planned_completion"] = max(plan["planned_completion"], plan["planned_start"])
        elif phase == "reserve":
            if dated:
                back_from(dated[-1], today - self.days(15, 540))
            if rng.random() < 0.65:
                plan["planned_start"] = self.date_between(
                    dt.date(today.year + 1, 3, 1), dt.date(today.year + 2, 10, 31)
                )
        elif phase == "preparatory":
            back_from(dated[-1], today - self.days(3, 300))
            plan["planned_start"] = self.date_between(
                dt.date(today.year + 1, 3, 1), dt.date(today.year + 2, 6, 30)
            )
        else:  # awaiting a start planned this year (some already overdue)
            if rng.random() < 0.6 and today < dt.date(today.year, 12, 31):
                planned_start = self.date_between(today, dt.date(today.year, 12, 31))
            else:
                planned_start = self.date_between(dt.date(today.year, 3, 1), today)
            plan["planned_start"] = planned_start
            remaining = start - last
            newest = min(
                planned_start - self.days(5 * remaining, 40 * remaining),
                today - self.days(1, 40),
            )
            back_from(dated[-1], newest)
        if "planned_start" in plan and "planned_completion" not in plan:
            plan["planned_completion"] = plan["planned_start"] + dt.timedelta(days=planned_build)
        # Plans for the next one or two pending steps (up to the start when it is due).
        pending = [
            s
            for s in steps[last + 1 :]
            if not s.optional and (family.productive or s.milestone != Milestone.CAPACITY)
        ][: rng.choice((1, 2))]
        if phase == "awaiting":
            pending = [s for s in steps[last + 1 : start + 1] if not s.optional]
        cursor = max(actual.values()) if actual else today
        base = cursor
        if "planned_completion" in plan:
            production = plan["planned_completion"] + self.days(15, 90)
            plan["planned_production"] = production
        for position, step in enumerate(pending):
            if step.milestone == Milestone.START and "planned_start" in plan:
                date = plan["planned_start"]
            elif step.milestone == Milestone.COMPLETION and "planned_completion" in plan:
                date = plan["planned_completion"]
            elif step.milestone == Milestone.PRODUCTION and "planned_production" in plan:
                date = plan["planned_production"]
            elif phase == "awaiting":
                share = (position + 1) / len(pending)
                date = base + (plan["planned_start"] - base) * share
            else:
                date = cursor + self.gap(step, build_days)
            date = max(date, cursor)
            planned[step.index] = date
            cursor = date
        rows = []
        for index in sorted(set(status) | set(planned)):
            step = steps[index]
            state = status.get(index, StepStatus.IN_PROGRESS)
            rows.append(
                ProjectStep(
                    definition_id=step.id,
                    status=state,
                    actual_date=actual.get(index),
                    planned_date=planned.get(index),
                    waiver_reason=waiver.get(index, ""),
                )
            )
            if step.milestone and state == StepStatus.DONE:
                plan[step.milestone] = actual[index]
        for index, date in actual.items():
            plan.setdefault(f"step:{steps[index].code}", date)
        return rows, plan

    def _when(
        self,
        project: Project,
        plan: dict[str, dt.date],
        phase: str,
        build_days: int,
        family: names.Family,
    ) -> None:
        for milestone, field_name in MILESTONE_FIELDS.items():
            setattr(project, field_name, plan.get(milestone))
        project.planned_start_date = plan.get("planned_start")
        project.planned_completion_date = plan.get("planned_completion")
        if family.productive:
            project.planned_production_date = plan.get("planned_production")
        start = project.actual_start_date or project.planned_start_date
        if start:
            project.construction_start_year = start.year
            end = project.actual_completion_date or project.planned_completion_date or start
            project.construction_end_year = max(end.year, start.year)

    def _kind(self, phase: str, renovation: bool, project: Project) -> str:
        if phase == "reserve":
            return Kind.RESERVE
        if renovation:
            return Kind.RENOVATION
        if phase == "preparatory":
            return Kind.PREPARATORY
        if phase in ("awaiting", "started_this_year"):
            return Kind.NEW_START
        return Kind.CONTINUING

    # -- what --

    def _name(
        self,
        family: names.Family,
        item: names.Item,
        region: Region,
        city: Region | None,
        scenic: str,
        year: int,
        invest: float,
        renovation: bool,
        trade: str,
    ) -> tuple[str, str, str]:
        rng = self.rng
        if renovation:
            product, division = rng.choice(family.renovation)
            name = rng.choice(names.RENOVATION_PATTERNS).replace("{item}", product)
            return (trade + name if rng.random() < 0.5 else name), "", division
        qty = _nice(invest / item.cost * rng.uniform(0.7, 1.3)) if item.cost else 0
        values = {
            "qty": str(qty),
            "place": region.name,
            "year": str(year),
            "n": _chinese_number(rng.randint(1, 30)),
            "line": str(rng.randint(3, 6)),
            "road": str(rng.choice(names.NATIONAL_ROADS)),
            "scenic": scenic,
            "trade": trade,
        }
        if "{river}" in item.name:
            rivers = names.CITIES_BY_CODE[city.code].rivers if city else ("汾河", "黄河")
            values["river"] = rng.choice(rivers)
        if "{a}" in item.name:
            a, b = rng.sample(self.world.cities, 2)
            values["a"] = short_name(rng.choice(self.world.counties[a.code]))
            values["b"] = short_name(rng.choice(self.world.counties[b.code]))
        name = item.name.format_map(values)
        if family.owners[0] == "{enterprise}" and "{place}" not in item.name and rng.random() < 0.2:
            name = trade + name
        capacity = item.capacity.format_map(values) if item.capacity else ""
        return name, capacity, item.division

    def _nature(self, name: str, renovation: bool) -> str:
        if renovation:
            return self.rng.choice(
                (ConstructionNature.RECONSTRUCTION, ConstructionNature.EXPANSION)
            )
        if any(word in name for word in ("改造", "提质", "提标", "加固", "升级", "修复")):
            return ConstructionNature.RECONSTRUCTION
        return self.rng.choices(
            (ConstructionNature.NEW, ConstructionNature.EXPANSION, ConstructionNature.RELOCATION),
            (88, 9, 3),
        )[0]

    # -- who --

    def _who(
        self,
        project: Project,
        family: names.Family,
        item: names.Item,
        region: Region,
        city: Region | None,
        government: bool,
        owner: OwnerSlot | None,
        trade: str,
        invest: float,
    ) -> None:
        rng = self.rng
        if owner:
            project.owner_org = owner.company
        elif government:
            pattern = rng.choice([p for p in family.owners if p != "{enterprise}"])
            project.owner_org = pattern.replace("{place}", region.name)
        else:
            project.owner_org = self.company(family, city, trade)
        project.owner_legal_rep = self.person()
        project.owner_contact = self.person()
        area = names.CITIES_BY_CODE[city.code].area_code if city else "0351"
        project.owner_phone = f"{area}-{rng.randint(5, 8)}{rng.randint(0, 999999):06d}"
        units = self.world.departments.get(region.code, {})
        key = rng.choice(family.departments)
        project.responsible_unit = units.get(key) or units.get("fgj") or units.get("fgw")
        project.responsible_contact = self.person()
        project.leader_name = self.person()
        if region.level == RegionLevel.PROVINCE:
            titles = names.LEADER_TITLES["province"]
        elif region.level == RegionLevel.CITY:
            titles = names.LEADER_TITLES["city"]
        elif region.code.endswith("71"):
            titles = names.LEADER_TITLES["zone"]
        else:
            titles = names.LEADER_TITLES.get(region.name[-1], names.LEADER_TITLES["县"])
        project.leader_title = rng.choice(titles)

    def _tier(self, region: Region, invest: float) -> str:
        rng = self.rng
        if region.level == RegionLevel.PROVINCE:
            return Tier.PROVINCIAL
        if region.level == RegionLevel.CITY:
            return Tier.PROVINCIAL if invest >= 100000 and rng.random() < 0.3 else Tier.CITY
        provincial = 0.25 if invest >= 200000 else 0.08 if invest >= 50000 else 0.01
        city = 0.5 if invest >= 50000 else 0.25 if invest >= 20000 else 0.1
        draw = rng.random()
        if draw < provincial:
            return Tier.PROVINCIAL
        if draw < provincial + city:
            return Tier.CITY
        return Tier.COUNTY

    # -- money --

    def _funding(self, project: Project, government: bool, phase: str) -> None:
        rng = self.rng
        total = project.total_investment
        if government:
            shares = {
                "fund_central": rng.uniform(0.05, 0.3) if rng.random() < 0.5 else 0.0,
                "fund_special_bonds": rng.uniform(0.2, 0.6) if rng.random() < 0.6 else 0.0,
                "fund_local": rng.uniform(0.05, 0.3),
            }
            rest = max(0.0, 1 - sum(shares.values()))
            shares["fund_market"] = rest * rng.uniform(0.5, 1.0)
        else:
            shares = {
                "fund_central": rng.uniform(0.01, 0.05) if rng.random() < 0.05 else 0.0,
                "fund_special_bonds": 0.0,
                "fund_local": rng.uniform(0.01, 0.05) if rng.random() < 0.15 else 0.0,
            }
            shares["fund_market"] = (1 - sum(shares.values())) * rng.uniform(0.85, 1.0)
        scale = 1 / max(1.0, sum(shares.values()))
        left = total
        for name, share in shares.items():  # market funds last: they take at most what is left
            amount = min(_share(total, share * scale), left) if share > 0 else None
            setattr(project, name, amount)
            left -= amount or 0
        start = project.actual_start_date
        year_start = dt.date(self.today.year, 1, 1)
        if start is not None and start < year_start:
            done = project.actual_completion_date
            if done is not None and done < year_start:
                fraction = rng.uniform(0.9, 1.0)
            else:
                elapsed = (year_start - start).days
                planned = max(
                    1, ((project.planned_completion_date or start) - start).days, elapsed + 30
                )
                fraction = min(1.0, elapsed / planned) * rng.uniform(0.6, 1.0)
            project.completed_before_year = _share(total, fraction)
        else:
            project.completed_before_year = Decimal("0.00")

    def _land(
        self, project: Project, family: names.Family, renovation: bool, invest: float
    ) -> None:
        rng = self.rng
        mu: float | None = None
        floor: float | None = None
        content = family.content
        values: dict[str, str] = {}
        if renovation:
            content = names.RENOVATION_CONTENT
            values = {"eq": str(rng.randint(1, 6)), "eq2": str(rng.randint(20, 400))}
        elif family.footprint == "building":
            mu = min(max(invest / rng.uniform(150, 500), 8), 3000)
            ratio = (
                rng.uniform(1.5, 3.0)
                if family.category != Category.INDUSTRY
                else rng.uniform(0.8, 1.6)
            )
            floor = mu * 666.67 * ratio
            project.land_use_type = family.land_use
        elif family.footprint == "linear":
            per_km = (
                rng.uniform(5000, 15000) if family.key == "transport" else rng.uniform(300, 1500)
            )
            km = max(invest / per_km, 0.5)
            values["km"] = f"{km:.1f}"
            mu = km * (rng.uniform(30, 60) if family.key == "transport" else rng.uniform(1, 6))
            project.land_use_type = family.land_use
        elif family.footprint == "area":
            mu = min(invest / rng.uniform(5, 40), 50000)
            project.land_use_type = family.land_use
        if mu is not None:
            project.land_area_mu = _money(mu)
            values["mu"] = f"{mu:,.0f}"
        if floor is not None:
            project.floor_area_m2 = _money(floor)
            values["m2"] = f"{floor:,.0f}"
        values.setdefault("eq", str(rng.randint(20, 600)))
        project.scale_content = content.format_map(values) if content else ""
        if family.category == Category.INDUSTRY and family.productive:
            project.expected_annual_output = _money(round(invest * rng.uniform(0.8, 2.5), -1))

    # -- where, exactly --

    def _place(
        self, project: Project, region: Region, city: Region | None, family: names.Family
    ) -> None:
        rng = self.rng
        zones = self.world.zones.get(region.code, [])
        chance = 0.75 if family.category == Category.INDUSTRY else 0.2
        project.zone = rng.choice(zones) if zones and rng.random() < chance else None
        anchor = names.CITIES_BY_CODE[(city or rng.choice(self.world.cities)).code]
        spread = 0.05 if region.level == RegionLevel.CITY else 0.35
        project.longitude = Decimal(str(anchor.longitude + rng.uniform(-spread, spread))).quantize(
            MICRO
        )
        project.latitude = Decimal(
            str(anchor.latitude + rng.uniform(-spread, spread) * 0.7)
        ).quantize(MICRO)
        if family.footprint == "linear" or region.level == RegionLevel.PROVINCE:
            project.site_address = f"{region.full_name}境内"
        else:
            zone = project.zone.name if project.zone else ""
            if zone and zone in region.full_name:
                zone = ""
            a, b = rng.sample(ROADS, 2)
            side = rng.choice(("东", "西", "南", "北"))
            project.site_address = f"{region.full_name}{zone}{a}以{side}、{b}沿线"

    def _code(
        self,
        project: Project,
        plan: dict[str, dt.date],
        phase: str,
        region: Region,
        division: str,
        renovation: bool,
    ) -> None:
        rng = self.rng
        if phase != "reserve" and rng.random() < 0.93:
            when = (
                plan.get("step:approval")
                or plan.get("step:feasibility")
                or plan.get("step:reserve")
                or self.today
            )
            kind = "02" if renovation else "01"
            while True:
                tail = f"{rng.randint(0, 99999):05d}{rng.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}"
                code = f"{when.year}-{region.code}-{division}-{kind}-{tail}"
                if code not in self.national_codes:
                    self.national_codes.add(code)
                    break
        else:
            when = plan.get("step:conception") or self.today
            key = (when.year, region.code)
            self.local_sequences[key] = self.local_sequences.get(key, 0) + 1
            code = local_code(
                year=when.year, region=region.code, sequence=self.local_sequences[key]
            )
        project.code = code

    def _abbr(self, region: Region) -> str:
        if region.level == RegionLevel.PROVINCE:
            return names.PROVINCE_ABBR
        if region.level == RegionLevel.CITY:
            return names.CITIES_BY_CODE[region.code].abbr
        return short_name(region)

    def _documents(
        self, project: Project, plan: dict[str, dt.date], region: Region, government: bool
    ) -> None:
        rng = self.rng
        abbr = self._abbr(region)
        if approved := plan.get("step:approval"):
            kind = "审批发" if government else "备案"
            project.approval_doc_no = f"{abbr}发改{kind}〔{approved.year}〕{rng.randint(1, 300)}号"
        if government and (studied := plan.get("step:feasibility")):
            project.feasibility_doc_no = f"{abbr}发改审批〔{studied.year}〕{rng.randint(1, 300)}号"
        if government and (designed := plan.get("step:planning_permit")):
            project.design_doc_no = f"{abbr}发改审批〔{designed.year}〕{rng.randint(1, 300)}号"

    def _statistics(self, project: Project) -> None:
        """纳统 once the main works started (≥500万元), mostly a month or two later."""
        rng = self.rng
        start = project.actual_start_date
        if start is None or project.total_investment < 500:
            return
        draw = rng.random()
        if draw < 0.85:
            included = start + self.days(20, 75)
            if included <= self.today:
                project.stats_inclusion = StatsInclusion.INCLUDED
                project.stats_inclusion_date = included
            else:
                project.stats_inclusion = StatsInclusion.APPLIED
        elif draw < 0.93:
            project.stats_inclusion = StatsInclusion.APPLIED
        done = project.actual_completion_date
        if done is not None and rng.random() < 0.8:
            accepted = done + self.days(10, 90)
            if accepted <= self.today:
                project.accepted = True
                project.acceptance_date = accepted
