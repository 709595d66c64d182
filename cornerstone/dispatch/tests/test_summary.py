"""The summary paragraph in the wording of official briefings (no database)."""

from decimal import Decimal

import pytest

from cornerstone.dispatch.summary import area_word, growth_words, money_words, summary_text
from cornerstone.dispatch.tests.figures_sample import sample_figures


def test_summary_of_the_issue_example():
    text = summary_text(sample_figures())
    assert text == (
        "截至6月底，全市纳入调度的重点项目125个，总投资1080亿元，年度计划投资120亿元，"
        "已开复工141个，完成投资61.4亿元，占年度计划的51.2%，同比增长49%，"
        "其中产业投资占比76.1%。亮红灯项目3个、黄灯项目0个。"
    )


def test_summary_says_decline_and_leaves_out_what_has_no_base():
    text = summary_text(
        sample_figures(
            completed_last_year=Decimal("800000"),
            annual_plan=Decimal(0),
            red_count=0,
        )
    )
    assert "同比下降23.3%" in text
    assert "年度计划" not in text
    assert "亮红灯" not in text


def test_summary_without_last_year_or_completion():
    text = summary_text(
        sample_figures(
            completed_last_year=Decimal(0), completed=Decimal(0), industry_completed=Decimal(0)
        )
    )
    assert "同比" not in text
    assert "产业投资占比" not in text
    assert "完成投资0万元，占年度计划的0%" in text


def test_summary_of_an_empty_scope():
    text = summary_text(sample_figures(projects=0, scope_label="省重点产业项目"))
    assert text == "截至6月底，全市暂无纳入调度的省重点产业项目。"


@pytest.mark.parametrize(
    ("name", "level", "word"),
    [
        ("山西省", "province", "全省"),
        ("内蒙古自治区", "province", "全区"),
        ("北京市", "province", "全市"),
        ("太原市", "city", "全市"),
        ("延边朝鲜族自治州", "city", "全州"),
        ("小店区", "county", "全区"),
        ("清徐县", "county", "全县"),
        ("古交市", "county", "全市"),
    ],
)
def test_area_word_by_region(name, level, word):
    assert area_word(name, level) == word


@pytest.mark.parametrize(
    ("wan", "words"),
    [
        (Decimal("10800000"), "1080亿元"),
        (Decimal("614000"), "61.4亿元"),
        (Decimal("10000"), "1亿元"),
        (Decimal("9999.6"), "10000万元"),
        (Decimal("3500.4"), "3500万元"),
        (Decimal("12345678"), "1234.6亿元"),
    ],
)
def test_money_words(wan, words):
    assert money_words(wan) == words


def test_growth_words():
    assert growth_words(Decimal("49.0")) == "同比增长49%"
    assert growth_words(Decimal("-5.5")) == "同比下降5.5%"
    assert growth_words(Decimal("0")) == "与上年同期持平"
    assert growth_words(None) == ""
