"""The official-style sentences, exact to the character (pure: no database)."""

from decimal import Decimal

import pytest

from cornerstone.campaigns.choices import Action
from cornerstone.campaigns.headlines import devzone_headline, region_headline, yi
from cornerstone.campaigns.results import Entry, Totals


def totals(**by_action: tuple[int, str]) -> Totals:
    """Totals built by adding one entry per project, the amount spread evenly but exactly."""
    result = Totals()
    pk = 0
    for action, (count, amount) in by_action.items():
        left = Decimal(amount)
        for i in range(count):
            pk += 1
            share = left if i == count - 1 else Decimal("1.00")
            left -= share
            result.add(Entry(project_id=pk, region_code="140105", action=action, investment=share))
    return result


def test_taiyuan_headline_with_all_three_actions():
    t = totals(sign=(34, "1235200"), start=(30, "800000"), produce=(21, "444600"))
    assert t.count == 85
    assert t.amount == Decimal("2479800")
    assert region_headline("太原市", t) == (
        "太原市85个项目集中签约开工投产，总投资247.98亿元；"
        "其中签约项目34个，总投资123.52亿元；开工项目30个，总投资80.00亿元；"
        "投产项目21个，总投资44.46亿元。"
    )


def test_an_action_without_projects_is_left_out_of_verbs_and_parts():
    t = totals(sign=(3, "52000.50"), start=(2, "7000"))
    assert region_headline("小店区", t) == (
        "小店区5个项目集中签约开工，总投资5.90亿元；"
        "其中签约项目3个，总投资5.20亿元；开工项目2个，总投资0.70亿元。"
    )


def test_a_single_action_has_no_breakdown():
    t = totals(start=(12, "365432.10"))
    assert region_headline("大同市", t) == "大同市12个项目集中开工，总投资36.54亿元。"


def test_no_projects():
    assert region_headline("平城区", Totals()) == "平城区暂无参加活动的项目。"


@pytest.mark.parametrize(
    ("wan", "shown"),
    [
        ("2479800", "247.98"),
        ("150", "0.02"),  # 0.015 rounds half up
        ("149.99", "0.01"),
        ("0", "0.00"),
        ("123456789.99", "12345.68"),  # no digit grouping in a release
    ],
)
def test_yi_rounds_half_up_to_two_places(wan, shown):
    assert yi(Decimal(wan)) == shown


def test_province_devzone_headline():
    t = totals(sign=(321, "321"), start=(302, "302"), produce=(189, "189"))
    assert devzone_headline("province", "山西省", t) == (
        "全省开发区共签约项目321个、开工项目302个、投产项目189个"
    )


@pytest.mark.parametrize(
    ("level", "name", "expected"),
    [
        ("city", "太原市", "全市开发区共开工项目7个"),
        ("county", "小店区", "全区开发区共开工项目7个"),
        ("county", "清徐县", "全县开发区共开工项目7个"),
    ],
)
def test_devzone_headline_says_the_area_by_level(level, name, expected):
    assert devzone_headline(level, name, totals(start=(7, "70"))) == expected


def test_devzone_headline_without_projects():
    assert devzone_headline("city", "太原市", Totals()) == "全市开发区暂无参加活动的项目"


def test_actions_are_counted_per_action():
    t = totals(produce=(2, "10"), sign=(1, "5"))
    assert t.counts == {Action.SIGN: 1, Action.START: 0, Action.PRODUCE: 2}
    assert t.amounts[Action.PRODUCE] == Decimal("10")
