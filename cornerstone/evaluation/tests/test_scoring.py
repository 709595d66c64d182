"""Scoring by hand: every rule type with its arithmetic written out, no database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cornerstone.evaluation.presets import AWARD_2020, JINAN_OBSERVATION, PRESETS, YANAN_2017
from cornerstone.evaluation.rules import RuleError, entry_limits, rule_parse, scheme_parse
from cornerstone.evaluation.scoring import (
    UnitInputs,
    banded_adjustment,
    ranks,
    rounded,
    unit_scores,
)

D = Decimal


def scheme(*criteria: dict[str, Any], components: list[dict[str, Any]] | None = None) -> Any:
    return scheme_parse({"components": components or [], "criteria": list(criteria)})


def one(rule: dict[str, Any], source: str = "computed", **extra: Any) -> dict[str, Any]:
    return {"code": "c", "name": "评分项", "source": source, "rule": rule, **extra}


AWARD = scheme_parse(PRESETS[AWARD_2020])


def award_line(rate: str) -> Any:
    [result] = unit_scores(AWARD, [UnitInputs("u", facts={"completion_rate": D(rate)})])
    return result.lines[0]


# --------------------------------------------------------------------------- banded rate


@pytest.mark.parametrize(
    ("rate", "score"),
    [
        # 85%: 15 points below 100 × 0.1 = −1.5 → 25 − 1.5 = 23.5
        ("85", "23.5"),
        # 112%: 12 points over 100 × 0.2 = +2.4 → 27.4
        ("112", "27.4"),
        # 100%: nothing either way → 25
        ("100", "25"),
        # 130%: 30 × 0.2 = 6 → 31
        ("130", "31"),
        # 140%: 30 × 0.2 = 6, plus 10 × 0.1 = 1 → +7 → 32
        ("140", "32"),
        # 170%: 6 + 40 × 0.1 = 10 → exactly the cap → 35
        ("170", "35"),
        # 200%: 6 + 70 × 0.1 = 13, capped at +10 → 35
        ("200", "35"),
        # 0%: 100 × 0.1 = −10 → exactly the cap → 15
        ("0", "15"),
        # 12.5%: 87.5 × 0.1 = −8.75 → 16.25
        ("12.5", "16.25"),
    ],
)
def test_award_sheet_completion_rate(rate: str, score: str) -> None:
    assert award_line(rate).shown == D(score)


def test_banded_rate_explains_its_arithmetic_and_the_cap() -> None:
    assert award_line("112").text == "年度计划完成率112%：25+2.4=27.4分"
    assert award_line("85").text == "年度计划完成率85%：25−1.5=23.5分"
    assert award_line("200").text == "年度计划完成率200%：25+13（封顶+10）=35分"


def test_banded_rate_cap_down_bites_below_the_floor() -> None:
    # A harsher sheet: −0.5 per point below 100, floor −10. 70%: 30 × 0.5 = −15 → −10 → 15.
    data = {
        "type": "banded_rate",
        "fact": "r",
        "base": 25,
        "bands": [{"from": 0, "to": 100, "per_point": "0.5"}],
        "cap_down": 10,
    }
    rule = rule_parse(data)
    assert banded_adjustment(rule, D(70)) == D(-15)
    [result] = unit_scores(scheme(one(data)), [UnitInputs("u", facts={"r": D(70)})])
    assert result.total == D(15)


def test_a_missing_fact_scores_zero_and_is_flagged() -> None:
    [result] = unit_scores(AWARD, [UnitInputs("u", facts={})])
    line = result.lines[0]
    assert line.score == 0 and line.flagged
    assert "无数据" in line.text
    assert line.text in result.notes


# --------------------------------------------------------------------------- rank points


def test_rank_points_by_half_year_rank_with_ties() -> None:
    rule = scheme(one(PRESETS[AWARD_2020]["criteria"][1]["rule"]))
    rates = ["90", "80", "80", "70", "60", "55", "50", "45", "40", "35", "30", None]
    units = [
        UnitInputs(f"u{i}", facts={"half_year_completion_rate": None if r is None else D(r)})
        for i, r in enumerate(rates)
    ]
    points = [r.lines[0].score for r in unit_scores(rule, units)]
    # ranks: 90→1, 80→2, 80→2 (tie), 70→4, 60→5, 55→6, 50→7, 45→8, 40→9, 35→10, 30→11
    # points: 1–3 → 7, 4–6 → 5, 7–10 → 3, 11 → nothing; no figure → 0, flagged.
    assert points == [7, 7, 7, 5, 5, 5, 3, 3, 3, 3, 0, 0]


def test_rank_points_ascending() -> None:
    rule = {
        "type": "rank_points",
        "of": "late",
        "order": "asc",
        "bands": [{"rank_from": 1, "rank_to": 1, "points": 5}],
    }
    units = [UnitInputs("a", facts={"late": 3}), UnitInputs("b", facts={"late": 1})]
    assert [r.lines[0].score for r in unit_scores(scheme(one(rule)), units)] == [0, 5]


def test_ranks_are_competition_ranks() -> None:
    assert ranks([D(90), D(80), D(80), D(70)]) == [1, 2, 2, 4]
    assert ranks([D(5), None, D(5)]) == [1, None, 1]
    assert ranks([D(1), D(2)], descending=False) == [1, 2]


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=30))
def test_ranks_properties(scores: list[Decimal]) -> None:
    out = ranks(scores)
    for score, rank in zip(scores, out, strict=True):
        assert rank == 1 + sum(1 for other in scores if other > score)


# --------------------------------------------------------------------------- per item


@pytest.mark.parametrize(
    ("fact", "count", "score"),
    [
        ("new_starts", 3, "3"),  # 3 × 1 = 3
        ("new_starts", 12, "10"),  # 12 × 1 = 12 → at most 10
        ("campaign_starts", 4, "8"),  # 4 × 2 = 8
        ("campaign_starts", 6, "10"),  # 6 × 2 = 12 → at most 10
        ("not_started_due", 2, "-6"),  # 2 × −3 = −6, no cap
        ("not_started_due", 0, "0"),
    ],
)
def test_per_item_with_caps(fact: str, count: int, score: str) -> None:
    [result] = unit_scores(AWARD, [UnitInputs("u", facts={fact: count})])
    by_code = {
        "new_starts": "new_starts",
        "campaign_starts": "campaign_starts",
        "not_started_due": "late_starts",
    }
    line = next(line for line in result.lines if line.criterion == by_code[fact])
    assert line.score == D(score)


def test_per_item_text_names_the_cap() -> None:
    [result] = unit_scores(AWARD, [UnitInputs("u", facts={"new_starts": 12})])
    line = next(line for line in result.lines if line.criterion == "new_starts")
    assert line.text == "新开工项目：12个×1分=12分，以10分为限"


def test_per_item_from_daily_entries_sums_them() -> None:
    # Campaign starts entered by an admin in two batches: 2 + 1 = 3 projects × 2 = 6.
    rule = {"type": "per_item", "fact": "x", "points": 2, "cap": 10}
    [result] = unit_scores(
        scheme(one(rule, source="daily")), [UnitInputs("u", daily={"c": [D(2), D(1)]})]
    )
    assert result.total == D(6)


# --------------------------------------------------------------------------- per project sum

YANAN = scheme_parse(PRESETS[YANAN_2017])


def test_yanan_per_project_sum() -> None:
    projects = [
        # new (+5), plan 120000万元 ≥10亿 (+20), industry (+15), 80% × 60 = 48, in production (+20)
        {"kind": "new", "annual_plan": D(120000), "category": "industry",
         "completion_rate": D(80), "in_production": True},
        # continuing (+2), 50000 → 5–10亿 (+10), livelihood (+8), 50% × 60 = 30
        {"kind": "continuing", "annual_plan": D(50000), "category": "livelihood",
         "completion_rate": D(50), "in_production": False},
        # reserve (0), 9999.99 → <1亿 (+3), infrastructure (0), 150% × 60 = 90 → cap 60
        {"kind": "reserve", "annual_plan": D("9999.99"), "category": "infrastructure",
         "completion_rate": D(150), "in_production": False},
        # continuing (+2), no plan (nothing), industry (+15), no rate (nothing)
        {"kind": "continuing", "annual_plan": None, "category": "industry",
         "completion_rate": None, "in_production": False},
    ]  # fmt: skip
    [result] = unit_scores(
        YANAN, [UnitInputs("zone", projects=projects, daily={"reprimand": [D(-10)]})]
    )
    scores = {line.criterion: line.score for line in result.lines}
    assert scores == {
        "kind": D(5 + 2 + 2),
        "plan_scale": D(20 + 10 + 3),
        "category": D(15 + 8 + 15),
        "progress": D(48 + 30 + 60),
        "production": D(20),
        "reprimand": D(-10),
    }
    # 9 + 33 + 38 + 138 + 20 − 10 = 228
    assert result.total == D(228)
    kind = result.lines[0].text
    assert kind == "项目类型：新开工1个×5分+续建2个×2分=9分"


def test_reprimand_outside_its_range_is_clipped_to_it() -> None:
    [result] = unit_scores(YANAN, [UnitInputs("zone", daily={"reprimand": [D(-15), D(-10)]})])
    # −25 entered in two reprimands; the scheme deducts at most 20.
    assert result.lines[-1].score == D(-20)


# --------------------------------------------------------------------------- base adjust


def test_base_adjust_zhangzhou() -> None:
    rule = {"type": "base_adjust", "base": 100, "min": 0, "max": 120}
    sheet = scheme(one(rule, source="daily"))
    # 100 + 5 + 3 − 2.5 = 105.5
    [a] = unit_scores(sheet, [UnitInputs("a", daily={"c": [D(5), D(3), D("-2.5")]})])
    assert a.total == D("105.5")
    assert a.lines[0].text == "评分项：基础分100，加分8，扣分2.5，=105.5分"
    # 100 + 30 = 130 → at most 120; 100 − 130 = −30 → at least 0; nothing entered → 100
    [b, c, d] = unit_scores(
        sheet,
        [
            UnitInputs("b", daily={"c": [D(30)]}),
            UnitInputs("c", daily={"c": [D(-130)]}),
            UnitInputs("d"),
        ],
    )
    assert (b.total, c.total, d.total) == (D(120), D(0), D(100))


# --------------------------------------------------------------------------- evaluators


def test_evaluator_mean_drops_extremes_with_enough_evaluators() -> None:
    rule = {"type": "evaluator_mean", "max": 100, "drop_extremes_min_evaluators": 5}
    sheet = scheme(one(rule, source="evaluator"))
    five = [{"c": D(s)} for s in ("90", "85", "70", "95", "88")]
    four = five[:4]
    [a, b] = unit_scores(sheet, [UnitInputs("a", sheets=five), UnitInputs("b", sheets=four)])
    # five: drop 95 and 70 → (90 + 85 + 88) / 3 = 87.666… → 87.67
    assert a.total == D("87.67")
    assert a.lines[0].text == "评分项：评委5人，去掉最高分95、最低分70，平均87.67分"
    # four (< 5): plain mean (90 + 85 + 70 + 95) / 4 = 85
    assert b.total == D(85)


def test_the_round_overrides_the_trimming_threshold() -> None:
    rule = {"type": "evaluator_mean", "max": 100, "drop_extremes_min_evaluators": 5}
    sheets = [{"c": D(s)} for s in ("60", "80", "100")]
    [a] = unit_scores(
        scheme(one(rule, source="evaluator")),
        [UnitInputs("a", sheets=sheets)],
        trim_min_evaluators=3,
    )
    assert a.total == D(80)  # 60 and 100 dropped


def test_trimming_drops_one_of_equal_extremes() -> None:
    rule = {"type": "evaluator_mean", "max": 100, "drop_extremes_min_evaluators": 3}
    sheets = [{"c": D(s)} for s in ("90", "90", "70", "70")]
    [a] = unit_scores(scheme(one(rule, source="evaluator")), [UnitInputs("a", sheets=sheets)])
    assert a.total == D(80)  # one 90 and one 70 dropped: (90 + 70) / 2


def test_missing_sheets() -> None:
    rule = {"type": "evaluator_mean", "max": 100}
    [none, some] = unit_scores(
        scheme(one(rule, source="evaluator")),
        [UnitInputs("none"), UnitInputs("some", sheets=[{"c": D(70)}, {"other": D(1)}])],
    )
    # No sheet: 0 and flagged. A sheet without this criterion is not counted: mean of 70.
    assert none.total == 0 and none.lines[0].flagged
    assert "无评委评分" in none.notes[0]
    assert some.total == D(70) and not some.notes


def test_entered_missing_is_flagged() -> None:
    [a] = unit_scores(
        scheme(one({"type": "entered", "min": 0, "max": 30}, source="daily")), [UnitInputs("a")]
    )
    assert a.total == 0 and a.lines[0].flagged


# --------------------------------------------------------------------------- weights


JINAN = scheme_parse(PRESETS[JINAN_OBSERVATION])


def test_jinan_weighted_total_and_rank() -> None:
    def unit(name: str, site: list[str], daily: str) -> UnitInputs:
        return UnitInputs(name, sheets=[{"site": D(s)} for s in site], daily={"daily": [D(daily)]})

    units = [
        # site: drop 98 and 80 → (90 + 92 + 94) / 3 = 92; rank 1 → 100
        # total: 92 × 0.5 + 85 × 0.3 + 100 × 0.2 = 46 + 25.5 + 20 = 91.5
        unit("甲区", ["90", "92", "94", "98", "80"], "85"),
        # site: drop 95 and 75 → (88 + 86 + 90) / 3 = 88; rank 2 → 100
        # total: 44 + 27 + 20 = 91
        unit("乙区", ["88", "86", "90", "95", "75"], "90"),
        # site: four evaluators, no trimming: (70 + 80 + 90 + 60) / 4 = 75; rank 3 → 100
        # total: 37.5 + 30 + 20 = 87.5
        unit("丙区", ["70", "80", "90", "60"], "100"),
    ]
    results = unit_scores(JINAN, units)
    assert [r.total for r in results] == [D("91.5"), D(91), D("87.5")]
    assert [r.rank for r in results] == [1, 2, 3]
    assert results[0].components == {"site": D(92), "daily": D(85), "ranking": D(100)}


def test_equal_totals_share_a_rank() -> None:
    rule = {"type": "entered", "min": 0, "max": 100}
    results = unit_scores(
        scheme(one(rule, source="daily")),
        [UnitInputs(n, daily={"c": [D(v)]}) for n, v in (("a", "80"), ("b", "90"), ("c", "80"))],
    )
    assert [r.rank for r in results] == [2, 1, 2]


@pytest.mark.parametrize("weights", [(50, 30, 10), (50, 30, 30), (100, 0, 1)])
def test_weights_not_summing_to_100_are_refused(weights: tuple[int, int, int]) -> None:
    data = {**PRESETS[JINAN_OBSERVATION]}
    data["components"] = [
        {**c, "weight": w} for c, w in zip(data["components"], weights, strict=True)
    ]
    with pytest.raises(RuleError) as refused:
        scheme_parse(data)
    assert refused.value.key == "components.weight"
    assert f"现为{sum(weights)}" in refused.value.message


def test_weights_partly_given_are_refused() -> None:
    data = {**PRESETS[JINAN_OBSERVATION]}
    data["components"] = [{**data["components"][0], "weight": None}, *data["components"][1:]]
    with pytest.raises(RuleError, match=r"components\.weight"):
        scheme_parse(data)


def test_component_full_marks_scale_before_weighting() -> None:
    sheet = scheme(
        {"code": "a", "name": "甲", "component": "x", "source": "daily",
         "rule": {"type": "entered", "max": 40}},
        {"code": "b", "name": "乙", "component": "y", "source": "daily",
         "rule": {"type": "entered", "max": 60}},
        components=[
            {"code": "x", "name": "X", "weight": 60, "full": 40},
            {"code": "y", "name": "Y", "weight": 40, "full": 60},
        ],
    )  # fmt: skip
    # a: 30 of 40 → 75 × 0.6 = 45; b: 45 of 60 → 75 × 0.4 = 30 → 75
    [r] = unit_scores(sheet, [UnitInputs("u", daily={"a": [D(30)], "b": [D(45)]})])
    assert r.total == D(75)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        ({"type": "nope"}, "rule.type"),
        ({"type": "banded_rate", "fact": "r", "bands": []}, "rule.base"),
        ({"type": "banded_rate", "fact": "r", "base": "x", "bands": []}, "rule.base"),
        ({"type": "banded_rate", "fact": "r", "base": 1, "bands": []}, "rule.bands"),
        ({"type": "banded_rate", "fact": "r", "base": 1,
          "bands": [{"from": 5, "to": 1, "per_point": 1}]}, "rule.bands[0].to"),
        ({"type": "per_item", "fact": "n", "points": 1, "cap": -1}, "rule.cap"),
        ({"type": "rank_points", "of": "x", "bands": [{"rank_from": 0, "rank_to": 2, "points": 1}]},
         "rule.bands[0].rank_from"),
        ({"type": "evaluator_mean", "max": 100, "drop_extremes_min_evaluators": 2},
         "rule.drop_extremes_min_evaluators"),
        ({"type": "entered", "min": 5, "max": 1}, "rule.max"),
        ({"type": "per_project_sum", "clauses": [{"type": "odd", "field": "x"}]},
         "rule.clauses[0].type"),
    ],
)  # fmt: skip
def test_bad_rules_name_their_key(rule: dict[str, Any], key: str) -> None:
    with pytest.raises(RuleError) as refused:
        rule_parse(rule)
    assert refused.value.key == key


def test_scheme_checks_sources_codes_and_rank_targets() -> None:
    entered = {"type": "entered", "max": 10}
    with pytest.raises(RuleError, match=r"criteria\[0\].source"):
        scheme(one(entered, source="evaluator"))
    with pytest.raises(RuleError, match=r"criteria\[1\].code"):
        scheme(one(entered, source="daily"), one(entered, source="daily"))
    bad_rank = {
        "type": "rank_points",
        "of": "criterion:zz",
        "bands": [{"rank_from": 1, "rank_to": 1, "points": 1}],
    }
    with pytest.raises(RuleError, match=r"criteria\[0\].rule.of"):
        scheme(one(bad_rank))


def test_every_preset_parses() -> None:
    for data in PRESETS.values():
        parsed = scheme_parse(data)
        assert parsed.criteria


def test_entry_limits() -> None:
    assert entry_limits(rule_parse({"type": "evaluator_mean", "max": 30})) == (D(0), D(30))
    assert entry_limits(rule_parse({"type": "entered", "min": -20, "max": 0})) == (D(-20), D(0))
    assert entry_limits(rule_parse({"type": "per_item", "fact": "n", "points": 1})) is None


def test_rounding_is_half_up_at_the_end_only() -> None:
    assert rounded(D("2.345")) == D("2.35")
    # Three thirds: each 33.333…, their sum exactly 100 before rounding.
    rule = {"type": "evaluator_mean", "max": 100}
    sheet = scheme(
        *({"code": c, "name": c, "source": "evaluator", "rule": rule} for c in ("a", "b", "c"))
    )
    sheets = [{"a": D(100), "b": D(0), "c": D(0)}, {"a": D(0), "b": D(100), "c": D(0)},
              {"a": D(0), "b": D(0), "c": D(100)}]  # fmt: skip
    [r] = unit_scores(sheet, [UnitInputs("u", sheets=sheets)])
    assert r.total == D(100)


@given(
    st.decimals(min_value=0, max_value=300, places=2),
    st.decimals(min_value=0, max_value=300, places=2),
)
def test_award_sheet_is_monotone_and_within_its_caps(low: Decimal, high: Decimal) -> None:
    low, high = min(low, high), max(low, high)
    a, b = (award_line(str(rate)).score for rate in (low, high))
    # A higher completion rate never scores less; the score stays within 25 ± 10.
    assert a <= b
    assert D(15) <= a <= D(35) and D(15) <= b <= D(35)
