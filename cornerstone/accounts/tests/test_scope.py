"""Scope rules against the named cast: who sees which projects."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cornerstone.accounts.choices import Role
from cornerstone.accounts.scope import (
    can_edit_projects,
    can_edit_region,
    can_manage_lifecycle,
    region_scope_q,
    scope_root,
)
from cornerstone.core.testing.factories import UserFactory
from cornerstone.geo.models import Region, Zone
from cornerstone.projects.models import Project
from cornerstone.projects.queries import project_by_code, project_get, projects_visible


def visible_names(user):
    return set(projects_visible(actor=user).values_list("name", flat=True))


@pytest.mark.django_db
def test_each_admin_sees_exactly_their_subtree(cast, ledger):
    x, y, p, c = (
        ledger.xiaodian.name,
        ledger.yingze.name,
        ledger.pingcheng.name,
        ledger.changan.name,
    )
    assert visible_names(cast.province_admin) == {x, y, p}
    assert visible_names(cast.taiyuan_admin) == {x, y}
    assert visible_names(cast.xiaodian_admin) == {x}
    assert visible_names(cast.yingze_admin) == {y}
    assert visible_names(cast.datong_admin) == {p}
    assert visible_names(cast.pingcheng_admin) == {p}
    assert visible_names(cast.taiyuan_leader) == {x, y}
    assert visible_names(cast.hebei_admin) == {c}


@pytest.mark.django_db
def test_owner_sees_only_owned_projects(cast, ledger):
    assert visible_names(cast.owner) == {ledger.xiaodian.name}


# Every scope function against every member of the cast. Columns: the root of the view,
# the projects seen (x 小店, y 迎泽, p 平城, c 长安), the regions seen, whether they may
# edit projects, where they may place one, and whether they may edit the lifecycle.
SHANXI = {"140000", "140100", "140105", "140106", "140200", "140213"}
TAIYUAN = {"140100", "140105", "140106"}
PLACES = ("140105", "140106", "140213", "130102")
SCOPES = {
    "province_admin": ("140000", "xyp", SHANXI, True, "TTTF", True),
    "taiyuan_admin": ("140100", "xy", TAIYUAN, True, "TTFF", False),
    "xiaodian_admin": ("140105", "x", {"140105"}, True, "TFFF", False),
    "yingze_admin": ("140106", "y", {"140106"}, True, "FTFF", False),
    "datong_admin": ("140200", "p", {"140200", "140213"}, True, "FFTF", False),
    "pingcheng_admin": ("140213", "p", {"140213"}, True, "FFTF", False),
    "taiyuan_leader": ("140100", "xy", TAIYUAN, False, "FFFF", False),
    "xiaodian_dept": ("140105", "x", {"140105"}, False, "FFFF", False),
    "evaluator": ("140100", "xy", TAIYUAN, False, "FFFF", False),
    "owner": (None, "x", set(), False, "FFFF", False),
    "hebei_admin": ("130000", "c", {"130000", "130100", "130102"}, True, "FFFT", True),
}


def projects_seen(user, ledger):
    letters = {"x": ledger.xiaodian, "y": ledger.yingze, "p": ledger.pingcheng}
    letters["c"] = ledger.changan
    seen = set(projects_visible(actor=user))
    return "".join(letter for letter, project in letters.items() if project in seen)


def regions_seen(user):
    return set(Region.objects.filter(region_scope_q(user)).values_list("code", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(SCOPES))
def test_every_scope_function_for_each_member_of_the_cast(cast, ledger, who):
    root, projects, regions, edits, places, lifecycle = SCOPES[who]
    user = getattr(cast, who)
    assert scope_root(user) == root
    assert projects_seen(user, ledger) == projects
    assert regions_seen(user) == regions
    assert can_edit_projects(user) is edits
    assert "".join("T" if can_edit_region(user, code) else "F" for code in PLACES) == places
    assert can_manage_lifecycle(user) is lifecycle


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(SCOPES))
def test_region_scope_filters_other_models_by_their_region_field(cast, geo, who):
    user = getattr(cast, who)
    zones = Zone.objects.filter(region_scope_q(user, "region_id"))
    assert (geo.xiaodian_zone in zones) is ("140105" in SCOPES[who][2])


@pytest.mark.django_db
def test_a_superuser_sees_and_edits_everything(cast, ledger):
    root = UserFactory(username="root", is_superuser=True, role=Role.LEADER, region=None)
    assert scope_root(root) is None
    assert projects_seen(root, ledger) == "xypc"
    assert regions_seen(root) == SHANXI | {"130000", "130100", "130102"}
    assert can_edit_projects(root) and can_manage_lifecycle(root)
    assert all(can_edit_region(root, code) for code in PLACES)


@pytest.mark.django_db
def test_an_anonymous_visitor_sees_and_edits_nothing(ledger):
    anonymous = AnonymousUser()
    assert projects_seen(anonymous, ledger) == ""
    assert regions_seen(anonymous) == set()
    assert not can_edit_projects(anonymous)
    assert not any(can_edit_region(anonymous, code) for code in PLACES)
    assert not can_manage_lifecycle(anonymous)


@pytest.mark.django_db
def test_a_deactivated_admin_loses_everything(cast, ledger):
    cast.province_admin.is_active = False
    cast.province_admin.save()
    assert projects_seen(cast.province_admin, ledger) == ""
    assert regions_seen(cast.province_admin) == set()
    assert not can_edit_projects(cast.province_admin)
    assert not can_edit_region(cast.province_admin, "140105")
    assert not can_manage_lifecycle(cast.province_admin)


@pytest.mark.django_db
def test_an_admin_bound_to_no_region_edits_nowhere(geo, ledger):
    # User.clean forbids this, but rows written past it must not mean "the whole country".
    stray = UserFactory(username="stray", role=Role.ADMIN, region=None)
    assert projects_seen(stray, ledger) == ""
    assert regions_seen(stray) == set()
    assert not any(can_edit_region(stray, code) for code in PLACES)
    assert not can_manage_lifecycle(stray)


@pytest.mark.django_db
def test_a_malformed_region_code_is_nowhere_an_admin_may_edit(cast):
    for code in ("1401050", "14010", "abcdef", "１４０１０５"):
        assert not can_edit_region(cast.xiaodian_admin, code)
        assert not can_edit_region(cast.province_admin, code)


@pytest.mark.django_db
def test_reading_one_project_outside_scope_is_reported_as_missing(cast, ledger):
    assert project_get(actor=cast.xiaodian_admin, pk=ledger.xiaodian.pk) == ledger.xiaodian
    assert project_by_code(actor=cast.owner, code=ledger.xiaodian.code) == ledger.xiaodian
    with pytest.raises(Project.DoesNotExist):
        project_get(actor=cast.xiaodian_admin, pk=ledger.yingze.pk)
    with pytest.raises(Project.DoesNotExist):
        project_by_code(actor=cast.owner, code=ledger.yingze.code)
    with pytest.raises(Project.DoesNotExist):
        project_get(actor=cast.hebei_admin, pk=ledger.pingcheng.pk)
