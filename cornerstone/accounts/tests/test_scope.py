"""Scope rules against the named cast: who sees which projects."""

import pytest

from cornerstone.projects.queries import projects_visible


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
