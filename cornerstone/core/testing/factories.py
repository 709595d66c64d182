"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.geo.choices import IndustryLevel, RegionLevel
from cornerstone.geo.codes import level_of
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.projects.choices import Category, Kind, Tier
from cornerstone.projects.codes import local_code
from cornerstone.projects.models import Project, Stage

PASSWORD = "pass-for-tests-only"


def region(code: str, name: str) -> Region:
    """Get or create a region, its level inferred from the code and its parent from the tree."""
    level = level_of(code)
    parent = None
    if level == RegionLevel.CITY:
        parent = Region.objects.get(code=code[:2] + "0000")
    elif level == RegionLevel.COUNTY:
        parent = Region.objects.get(code=code[:4] + "00")
    full = (parent.full_name if parent else "") + name
    obj, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "full_name": full}
    )
    return obj


def industry(
    code: str, name: str, parent: Industry | None = None, sector: int | None = None
) -> Industry:
    """Get or create an industry section (a letter) or division (two digits)."""
    level = IndustryLevel.SECTION if parent is None else IndustryLevel.DIVISION
    obj, _ = Industry.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "sector": sector}
    )
    return obj


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "测"
    first_name = factory.Sequence(lambda n: f"试{n}")
    role = Role.ADMIN
    password = factory.django.Password(PASSWORD)


class ZoneFactory(DjangoModelFactory):
    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"第{n}产业园")
    kind = "park"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"第{n}责任单位")


class ProjectFactory(DjangoModelFactory):
    """A project placed straight in the first stage, bypassing services (for test setup)."""

    class Meta:
        model = Project

    code = factory.LazyAttributeSequence(
        lambda o, n: local_code(year=2024, region=o.region.code, sequence=n + 1)
    )
    name = factory.Sequence(lambda n: f"测试项目{n}")
    tier = Tier.CITY
    category = Category.INDUSTRY
    kind = Kind.NEW_START
    owner_org = factory.Sequence(lambda n: f"测试业主有限公司{n}")
    total_investment = Decimal("12000.00")
    stage = factory.LazyFunction(lambda: Stage.objects.order_by("order", "id").first())


def project_form_data(geo: Any, **overrides: str) -> dict[str, str]:
    """A valid create/edit form for a new-start project in 小店区 (the ``geo`` fixture)."""
    data = {
        "code": "",
        "name": "半导体硅材料产业园项目",
        "tier": "city",
        "category": "industry",
        "kind": "new",
        "region": geo.xiaodian.code,
        "industry": geo.electronics.code,
        "owner_org": "山西晶硅科技有限公司",
        "total_investment": "250000",
        "completed_before_year": "0",
        "stats_inclusion": "none",
        "planned_start_date": "2027-03-01",
        "planned_completion_date": "2028-12-31",
    }
    data.update(overrides)
    return data
