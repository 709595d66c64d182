"""Fixtures every app's tests share: a small region tree and a named cast of users.

The cast spans two cities of 山西省 with two counties each, plus another province, so
that each test of a denial can name who is refused what:

    province_admin   山西省 admin (sees all of 山西)
    taiyuan_admin    太原市 admin (小店区 and 迎泽区)
    xiaodian_admin   小店区 admin          yingze_admin   迎泽区 admin
    datong_admin     大同市 admin          pingcheng_admin 平城区 admin
    taiyuan_leader   太原市 leader (reads, never writes)
    xiaodian_dept    小店区 department user (发改局)
    evaluator        太原市 evaluator
    owner            owner of xiaodian_project only
    hebei_admin      河北省 admin (sees nothing of 山西)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.core.testing.factories import (
    DepartmentFactory,
    ProjectFactory,
    UserFactory,
    ZoneFactory,
    industry,
    region,
)
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.plans.loaders import calendar_days_load
from cornerstone.projects.defaults import seed_lifecycle
from cornerstone.projects.models import Project, Stage, StepDefinition

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


@dataclass
class Geo:
    shanxi: Region
    taiyuan: Region
    xiaodian: Region
    yingze: Region
    datong: Region
    pingcheng: Region
    hebei: Region
    shijiazhuang: Region
    changan: Region
    xiaodian_zone: Zone
    xiaodian_dept: Department
    manufacturing: Industry
    electronics: Industry
    utilities: Industry
    power: Industry


@dataclass
class Cast:
    province_admin: User
    taiyuan_admin: User
    xiaodian_admin: User
    yingze_admin: User
    datong_admin: User
    pingcheng_admin: User
    taiyuan_leader: User
    xiaodian_dept: User
    evaluator: User
    owner: User
    hebei_admin: User


@dataclass
class Ledger:
    """One project in each county of the cast's tree."""

    xiaodian: Project
    yingze: Project
    pingcheng: Project
    changan: Project


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Hashing strength is Django's concern; tests only need users that can log in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings: Any) -> None:
    # Tasks run inside the request in tests: no worker process to start or wait for.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request through the test client leaves its language active in the thread; each
    # test starts from the default, as each real request does.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def geo(db: None) -> Geo:
    shanxi = region("140000", "山西省")
    taiyuan = region("140100", "太原市")
    xiaodian = region("140105", "小店区")
    datong = region("140200", "大同市")
    hebei = region("130000", "河北省")
    shijiazhuang = region("130100", "石家庄市")
    manufacturing = industry("C", "制造业")
    utilities = industry("D", "电力、热力、燃气及水生产和供应业")
    return Geo(
        shanxi=shanxi,
        taiyuan=taiyuan,
        xiaodian=xiaodian,
        yingze=region("140106", "迎泽区"),
        datong=datong,
        pingcheng=region("140213", "平城区"),
        hebei=hebei,
        shijiazhuang=shijiazhuang,
        changan=region("130102", "长安区"),
        xiaodian_zone=ZoneFactory(name="山西转型综合改革示范区", region=xiaodian),
        xiaodian_dept=DepartmentFactory(name="小店区发展和改革局", region=xiaodian),
        manufacturing=manufacturing,
        electronics=industry("39", "计算机、通信和其他电子设备制造业", manufacturing, 2),
        utilities=utilities,
        power=industry("44", "电力、热力生产和供应业", utilities, 2),
    )


@pytest.fixture
def cast(geo: Geo) -> Cast:
    def user(username: str, role: Role, region: Region | None, **extra: object) -> User:
        return UserFactory(username=username, role=role, region=region, **extra)

    return Cast(
        province_admin=user("province_admin", Role.ADMIN, geo.shanxi),
        taiyuan_admin=user("taiyuan_admin", Role.ADMIN, geo.taiyuan),
        xiaodian_admin=user("xiaodian_admin", Role.ADMIN, geo.xiaodian),
        yingze_admin=user("yingze_admin", Role.ADMIN, geo.yingze),
        datong_admin=user("datong_admin", Role.ADMIN, geo.datong),
        pingcheng_admin=user("pingcheng_admin", Role.ADMIN, geo.pingcheng),
        taiyuan_leader=user("taiyuan_leader", Role.LEADER, geo.taiyuan),
        xiaodian_dept=user(
            "xiaodian_dept", Role.DEPARTMENT, geo.xiaodian, department=geo.xiaodian_dept
        ),
        evaluator=user("evaluator", Role.EVALUATOR, geo.taiyuan),
        owner=user("owner", Role.OWNER, None),
        hebei_admin=user("hebei_admin", Role.ADMIN, geo.hebei),
    )


@pytest.fixture
def ledger(geo: Geo, cast: Cast) -> Ledger:
    xiaodian = ProjectFactory(
        name="年产10万吨高端电子新材料项目",
        region=geo.xiaodian,
        zone=geo.xiaodian_zone,
        industry=geo.electronics,
        total_investment=Decimal("150000.00"),
    )
    xiaodian.owner_users.add(cast.owner)
    return Ledger(
        xiaodian=xiaodian,
        yingze=ProjectFactory(
            name="迎泽区老旧小区改造项目", region=geo.yingze, total_investment=Decimal("8000")
        ),
        pingcheng=ProjectFactory(
            name="平城区热电联产项目", region=geo.pingcheng, industry=geo.power
        ),
        changan=ProjectFactory(name="长安区智慧物流园项目", region=geo.changan),
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A fresh browser profile pointed at the live server, in Chinese."""
    # A transactional test starts from an emptied database: put the default lifecycle and
    # the holiday calendar back.
    seed_lifecycle(Stage, StepDefinition)
    calendar_days_load()
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(10_000)
    yield context
    context.close()
