"""The demo province: consistent lifecycles, real places, sane money, working accounts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.geo.models import Industry, Region
from cornerstone.plans.models import InvestmentPlan, ScheduleTarget
from cornerstone.plans.queries import project_schedule
from cornerstone.projects.choices import Kind, Milestone, StatsInclusion, StepStatus
from cornerstone.projects.codes import parse_project_code
from cornerstone.projects.demo import DEMO_PASSWORD, names
from cornerstone.projects.lifecycle import current_stage_id
from cornerstone.projects.models import Project, ProjectStep, StepDefinition
from cornerstone.projects.queries import lifecycle_rules, projects_visible
from cornerstone.projects.services import MILESTONE_FIELDS

N = 60
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_output(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[str]:
    """One demo build shared by the module, rolled back at its end."""
    out = StringIO()
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        call_command("load_demo", projects=N, seed=7, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output: str, db: None) -> str:
    return demo_output


def _projects() -> list[Project]:
    return list(Project.objects.select_related("stage", "region", "zone", "industry"))


def _steps_by_project() -> dict[int, dict[int, ProjectStep]]:
    result: dict[int, dict[int, ProjectStep]] = {}
    for step in ProjectStep.objects.all():
        result.setdefault(step.project_id, {})[step.definition_id] = step
    return result


def _credentials(output: str) -> list[tuple[str, str, str]]:
    """(username, password, role label) from the printed table."""
    rows = []
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == DEMO_PASSWORD:
            rows.append((parts[0], parts[1], parts[2]))
    return rows


def test_command_builds_the_requested_ledger(demo: str) -> None:
    assert f"已生成 {N} 个项目" in demo
    assert Project.objects.count() == N
    creates = AuditEvent.objects.filter(
        action=AuditAction.CREATE, source=AuditSource.COMMAND, object_type="projects.project"
    )
    assert creates.count() == N
    assert set(creates.values_list("project_id", flat=True)) == set(
        Project.objects.values_list("pk", flat=True)
    )
    assert all(e.summary.startswith("新建项目“") for e in creates)


def test_every_stage_is_what_the_lifecycle_rule_derives_from_the_steps(demo: str) -> None:
    rules = lifecycle_rules()
    steps = _steps_by_project()
    for project in _projects():
        statuses = {d: s.status for d, s in steps.get(project.pk, {}).items()}
        assert current_stage_id(rules, statuses) == project.stage_id, project.name


def test_the_ledger_spans_every_stage(demo: str) -> None:
    stages = set(Project.objects.values_list("stage__code", flat=True))
    assert {"planning", "construction", "operation"} <= stages


def test_milestone_dates_are_the_actual_dates_of_their_steps(demo: str) -> None:
    milestones = {
        d.pk: MILESTONE_FIELDS[Milestone(d.milestone)]
        for d in StepDefinition.objects.exclude(milestone="")
    }
    steps = _steps_by_project()
    for project in _projects():
        for definition_id, field_name in milestones.items():
            step = steps.get(project.pk, {}).get(definition_id)
            expected = step.actual_date if step and step.status == StepStatus.DONE else None
            assert getattr(project, field_name) == expected, (project.name, field_name)


def test_settled_steps_are_dated_in_order_and_never_after_today(demo: str) -> None:
    today = timezone.localdate()
    order = {rule.id: index for index, rule in enumerate(lifecycle_rules())}
    for project_steps in _steps_by_project().values():
        done = sorted(
            (s for s in project_steps.values() if s.status == StepStatus.DONE),
            key=lambda s: order[s.definition_id],
        )
        dates = [s.actual_date for s in done]
        assert all(d is not None and d <= today for d in dates)
        assert dates == sorted(dates)
        for step in project_steps.values():
            if step.status == StepStatus.WAIVED:
                assert step.waiver_reason and step.actual_date is None
            if step.status in (StepStatus.PENDING, StepStatus.IN_PROGRESS):
                assert step.actual_date is None and step.planned_date is not None


def test_kinds_agree_with_stages_and_start_dates(demo: str) -> None:
    this_year = timezone.localdate().year
    for project in _projects():
        stage, start = project.stage.code, project.actual_start_date
        if project.kind == Kind.RESERVE:
            assert stage == "planning"
        elif project.kind == Kind.PREPARATORY:
            assert stage in ("establishment", "permits") and start is None
        elif project.kind == Kind.NEW_START:
            if start is None:
                assert stage in ("permits", "construction")
                assert project.planned_start_date.year == this_year
            else:
                assert start.year == this_year
        elif project.kind == Kind.CONTINUING:
            assert start is not None and start.year < this_year
        else:
            assert project.kind == Kind.RENOVATION and stage != "planning"
        if stage == "planning":
            assert project.kind == Kind.RESERVE


def test_money_is_in_range_and_funding_never_exceeds_the_total(demo: str) -> None:
    for project in _projects():
        total = project.total_investment
        assert Decimal(5000) <= total <= Decimal(3_000_000)
        assert total == total.quantize(Decimal("0.01"))
        funds = [
            project.fund_central,
            project.fund_special_bonds,
            project.fund_local,
            project.fund_market,
        ]
        assert sum((f for f in funds if f is not None), Decimal(0)) <= total
        assert Decimal(0) <= project.completed_before_year <= total
        if project.actual_start_date is None:
            assert project.completed_before_year == 0


def test_every_project_lies_in_a_real_division_of_shanxi(demo: str) -> None:
    known = set(Region.objects.filter(code__startswith="14").values_list("code", flat=True))
    for project in Project.objects.select_related("zone", "responsible_unit", "industry"):
        assert project.region_id in known
        assert parse_project_code(project.code).region == project.region_id
        if project.zone is not None:
            assert project.zone.region_id == project.region_id
        assert project.responsible_unit.region_id == project.region_id
        assert project.industry.level == "division"


def test_reserve_projects_have_local_codes_and_most_others_national_ones(demo: str) -> None:
    projects = _projects()
    for project in projects:
        if project.kind == Kind.RESERVE:
            assert not parse_project_code(project.code).national
    others = [p for p in projects if p.kind != Kind.RESERVE]
    national = [p for p in others if parse_project_code(p.code).national]
    assert len(national) >= 0.7 * len(others)


def test_only_started_projects_are_in_the_statistics(demo: str) -> None:
    projects = _projects()
    for project in projects:
        if project.actual_start_date is None:
            assert project.stats_inclusion == StatsInclusion.NOT_INCLUDED
        if project.stats_inclusion == StatsInclusion.INCLUDED:
            assert project.actual_start_date < project.stats_inclusion_date
            assert project.stats_inclusion_date <= timezone.localdate()
    started = [p for p in projects if p.actual_start_date is not None]
    included = [p for p in started if p.stats_inclusion == StatsInclusion.INCLUDED]
    assert len(included) >= 0.6 * len(started)


def test_a_sample_of_projects_passes_model_validation(demo: str) -> None:
    for project in Project.objects.order_by("pk")[:: N // 15]:
        project.full_clean()


def test_every_role_logs_in_with_the_printed_password(demo: str) -> None:
    credentials = _credentials(demo)
    roles = {label for _user, _password, label in credentials}
    assert roles == {str(role.label) for role in Role}
    for username, password, _label in credentials:
        assert Client().login(username=username, password=password), username


def test_usernames_say_who_they_are(demo: str) -> None:
    admin = User.objects.get(username="admin_shanxi")
    assert (admin.role, admin.region_id) == (Role.ADMIN, "140000")
    assert User.objects.get(username="admin_taiyuan").region_id == "140100"
    assert User.objects.get(username="admin_xiaodian").region_id == "140105"
    assert User.objects.get(username="leader_shanxi").role == Role.LEADER
    assert User.objects.get(username="dept_xiaodian_fgj").department.region_id == "140105"


def test_a_city_admin_sees_only_the_city(demo: str) -> None:
    visible = projects_visible(actor=User.objects.get(username="admin_taiyuan"))
    assert visible.exists()
    assert all(code.startswith("1401") for code in visible.values_list("region_id", flat=True))


def test_owners_see_exactly_their_own_projects(demo: str) -> None:
    owners = User.objects.filter(role=Role.OWNER)
    assert owners.count() >= 3
    for owner in owners:
        visible = set(projects_visible(actor=owner).values_list("pk", flat=True))
        owned = set(owner.owned_projects.values_list("pk", flat=True))
        assert visible == owned and visible
        orgs = set(Project.objects.filter(pk__in=owned).values_list("owner_org", flat=True))
        assert orgs == {owner.organisation}


def test_a_second_run_refuses_while_projects_exist(demo: str) -> None:
    with pytest.raises(CommandError, match="--reset"):
        call_command("load_demo", projects=5, stdout=StringIO())
    assert Project.objects.count() == N


def test_if_empty_does_nothing_on_a_filled_ledger(demo: str) -> None:
    out = StringIO()
    call_command("load_demo", projects=5, if_empty=True, stdout=out)
    assert "未载入演示数据" in out.getvalue()
    assert Project.objects.count() == N
    # The logins are printed again, so that every start of bin/demo shows them.
    assert "admin_xiaodian" in out.getvalue() and "cornerstone-demo" in out.getvalue()


def _names_and_codes(seed: int) -> list[tuple[str, str]]:
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", projects=25, seed=seed, reset=True, stdout=StringIO())
    return list(Project.objects.order_by("pk").values_list("name", "code"))


def test_reset_rebuilds_and_the_same_seed_gives_the_same_ledger(demo: str) -> None:
    first = _names_and_codes(11)
    assert len(first) == 25
    assert _names_and_codes(11) == first
    assert _names_and_codes(12) != first
    created = AuditEvent.objects.filter(
        action=AuditAction.CREATE, source="command", object_type="projects.project"
    )
    assert created.count() == 25


def test_reset_keeps_and_refuses_alongside_projects_it_did_not_make(demo: str) -> None:
    ProjectFactory(region=Region.objects.get(code="140105"), code="2024-140105-L09999")
    with pytest.raises(CommandError, match="1 个不是由演示数据生成"):
        call_command("load_demo", projects=5, reset=True, stdout=StringIO())
    assert Project.objects.get().code == "2024-140105-L09999"
    assert not User.objects.filter(username="admin_shanxi").exists()


def test_names_are_chinese_and_quantities_positive(demo: str) -> None:
    for project in _projects():
        assert re.search(r"[\u4e00-\u9fff]{4}", project.name)
        if match := re.search(r"年产(\d+)万吨", project.name):
            assert int(match[1]) >= 1
        assert "{" not in project.name and "{" not in project.new_capacity


def test_the_vocabulary_names_only_real_divisions_and_industries(demo: str) -> None:
    regions = set(Region.objects.values_list("code", flat=True))
    industries = set(Industry.objects.filter(level="division").values_list("code", flat=True))
    assert {code for _name, _kind, code in names.ZONES} <= regions
    assert {code for _spot, code in names.SCENIC_SPOTS} <= regions
    assert {c.code for c in names.CITIES} <= regions
    for family in names.FAMILIES:
        assert {item.division for item in family.items} <= industries, family.key
        assert {division for _p, division in family.renovation} <= industries, family.key


def test_planned_dates_follow_the_project_rules(demo: str) -> None:
    today = timezone.localdate()
    for project in _projects():
        if project.planned_start_date and project.planned_completion_date:
            assert project.planned_completion_date >= project.planned_start_date
        if project.actual_start_date is None and project.kind == Kind.PREPARATORY:
            assert project.planned_start_date is None or project.planned_start_date > dt.date(
                today.year, 12, 31
            )


def test_demo_plans_keep_the_plan_rules_and_every_network_schedules(demo: str) -> None:
    today = timezone.localdate()
    plans = list(InvestmentPlan.objects.select_related("project").prefetch_related("months"))
    assert plans
    for plan in plans:
        assert sum(m.amount for m in plan.months.all()) == plan.annual_amount
    by_project: dict[int, list[InvestmentPlan]] = {}
    for plan in plans:
        by_project.setdefault(plan.project_id, []).append(plan)
    for project_plans in by_project.values():
        project = project_plans[0].project
        planned = sum(p.annual_amount for p in project_plans if p.year >= today.year)
        assert planned + project.completed_before_year <= project.total_investment
    targets = list(ScheduleTarget.objects.select_related("project"))
    assert targets
    for target in targets:
        schedule = project_schedule(project=target.project, today=today)
        assert schedule.error is None
        assert all(
            row.task.actual_finish is None or row.task.actual_finish < today
            for row in schedule.rows
        )
