"""Results along the region tree add up exactly (pure: no database)."""

import random
from decimal import Decimal

from cornerstone.campaigns.choices import Action
from cornerstone.campaigns.results import Entry, Place, results_build

SHANXI = Place("140000", "山西省", "province")
TAIYUAN = Place("140100", "太原市", "city")
DATONG = Place("140200", "大同市", "city")
ZONE = Place("7", "山西转型综合改革示范区", "国家级开发区")


def entry(pk, region, action, amount, zone=None, devzone=False):
    return Entry(pk, region, action, Decimal(amount), zone, devzone)


def test_children_and_own_row_add_up_to_the_root():
    entries = [
        entry(1, "140105", Action.SIGN, "1000.10", zone=7, devzone=True),
        entry(2, "140106", Action.START, "2000.20"),
        entry(3, "140100", Action.PRODUCE, "3000.30"),  # registered at the city itself
        entry(4, "140213", Action.START, "400.40"),
        entry(5, "140000", Action.SIGN, "50.05"),  # a province-level project: 本级
    ]
    results = results_build(
        entries=entries,
        root=SHANXI,
        children=[TAIYUAN, DATONG],
        zones=[ZONE],
        drillable=frozenset({"140100"}),
    )
    root = results.root.totals
    assert (root.count, root.amount) == (5, Decimal("6451.05"))
    assert [r.place.code for r in results.rows] == ["140000", "140100", "140200"]
    own, taiyuan, datong = results.rows
    assert own.own and not taiyuan.own
    assert taiyuan.drillable and not datong.drillable
    assert taiyuan.totals.counts == {Action.SIGN: 1, Action.START: 1, Action.PRODUCE: 1}
    assert taiyuan.totals.amount == Decimal("6000.60")
    assert datong.totals.amounts[Action.START] == Decimal("400.40")
    for action in (Action.SIGN, Action.START, Action.PRODUCE):
        assert sum(r.totals.counts[action] for r in results.rows) == root.counts[action]
        assert sum(r.totals.amounts[action] for r in results.rows) == root.amounts[action]
    assert results.devzones.count == 1
    assert [(z.place.name, z.totals.amount) for z in results.zone_rows] == [
        ("山西转型综合改革示范区", Decimal("1000.10"))
    ]


def test_no_own_row_when_every_project_is_below():
    results = results_build(
        entries=[entry(1, "140105", Action.START, "1")], root=TAIYUAN, children=[]
    )
    assert [r.own for r in results.rows] == [True]  # no child listed: the root keeps it
    results = results_build(
        entries=[entry(1, "140105", Action.START, "1")],
        root=TAIYUAN,
        children=[Place("140105", "小店区", "county")],
    )
    assert [r.place.code for r in results.rows] == ["140105"]


def test_many_random_amounts_reconcile_to_the_cent():
    rng = random.Random(7)
    counties = ["140105", "140106", "140107", "140100"]
    entries = [
        entry(
            i,
            rng.choice(counties),
            rng.choice(list(Action)),
            f"{rng.randint(0, 10**9)}.{rng.randint(0, 99):02d}",
        )
        for i in range(2000)
    ]
    children = [Place(c, c, "county") for c in counties[:3]]
    results = results_build(entries=entries, root=TAIYUAN, children=children)
    expected = sum((e.investment for e in entries), Decimal(0))
    assert results.root.totals.amount == expected
    assert sum((r.totals.amount for r in results.rows), Decimal(0)) == expected
    assert sum(r.totals.count for r in results.rows) == 2000
