"""Finding a sheet's header and mapping its columns (pure: rows are plain lists)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from cornerstone.ingest.headers import (
    FieldSpec,
    HeaderError,
    HeaderMatch,
    header_locate,
    header_text,
)

NAME = FieldSpec("name", "项目名称", ("项目名",), required=True)
REGION = FieldSpec("region", "所在区划", ("县区", "县(市、区)"), required=True, kind="region")
TOTAL = FieldSpec(
    "total",
    "总投资",
    ("计划总投资",),
    parents=("总投资",),
    required=True,
    kind="amount",
    child_synonyms=("合计", "小计"),
)
CENTRAL = FieldSpec(
    "central", "中央资金", ("中央预算内资金",), parents=("总投资", "资金来源"), kind="amount"
)
BONDS = FieldSpec("bonds", "专项债券", ("专项债",), parents=("总投资", "资金来源"), kind="amount")
START = FieldSpec("start", "计划开工时间", ("开工时间",), kind="date")
OWNER = FieldSpec(
    "owner", "业主单位", ("建设单位",), parents=("业主单位",), child_synonyms=("名称",)
)
OWNER_PHONE = FieldSpec("owner_phone", "联系电话", ("电话",), parents=("业主单位",))
UNIT = FieldSpec("unit", "责任单位", parents=("责任单位",), child_synonyms=("名称",))
AREA = FieldSpec("area", "用地面积(亩)", ("用地面积",), kind="decimal")
SPECS = (NAME, REGION, TOTAL, CENTRAL, BONDS, START, OWNER, OWNER_PHONE, UNIT, AREA)


def mapping(match: HeaderMatch) -> dict[str, tuple[int, str, Decimal]]:
    """Field key → (column index, header as found, multiplier)."""
    return {c.spec.key: (c.index, c.header, c.multiplier) for c in match.columns}


# Header cells


@pytest.mark.parametrize(
    ("raw", "name", "multiplier"),
    [
        ("总投资", "总投资", None),
        (" 总 投 资 ", "总投资", None),
        ("总投资(万元)", "总投资", "1"),
        ("总投资（万元）", "总投资", "1"),
        ("总投资（亿元）", "总投资", "10000"),
        ("总投资 ( 亿元 )", "总投资", "10000"),
        ("总投资[元]", "总投资", "0.0001"),
        ("总投资［元］", "总投资", "0.0001"),
        ("总投资【亿元】", "总投资", "10000"),
        ("总投资(千元)", "总投资", "0.1"),
        ("总投资(单位：万元)", "总投资", "1"),
        ("总投资万元", "总投资", "1"),
        ("总投资亿元", "总投资", "10000"),
        ("万元", "万元", None),  # a unit alone is no name to strip it from
        ("*项目名称", "项目名称", None),
        ("项目名称＊", "项目名称", None),
        ("※项目名称", "项目名称", None),
        ("其中：中央资金", "中央资金", None),
        ("其中:中央资金(万元)", "中央资金", "1"),
        ("其中中央资金", "中央资金", None),
        ("其中", "其中", None),
        ("计划开工\n时间", "计划开工时间", None),
        ("用地面积（亩）", "用地面积(亩)", None),  # not money: the unit is part of the name
        ("县（市、区）", "县(市、区)", None),
        ("［备注］", "[备注]", None),
        (None, "", None),
        (2024, "2024", None),
    ],
)
def test_header_text(raw: object, name: str, multiplier: str | None) -> None:
    assert header_text(raw) == (name, None if multiplier is None else Decimal(multiplier))


# One header row


def test_a_plain_header_in_the_first_row() -> None:
    rows: list[list[object]] = [
        ["序号", "项目名称", "所在区划", "总投资", "计划开工时间"],
        [1, "太原数据中心", "小店区", 1200, "2024-03"],
    ]
    match = header_locate(rows, SPECS)
    assert mapping(match) == {
        "name": (1, "项目名称", 1),
        "region": (2, "所在区划", 1),
        "total": (3, "总投资", 1),
        "start": (4, "计划开工时间", 1),
    }
    assert match.header_rows == (0,)
    assert match.data_start == 1
    assert match.unmatched == ["序号"]


@pytest.mark.parametrize(
    "above",
    [
        [["2024年山西省重点工程项目台账"]],
        [["2024年山西省重点工程项目台账", "", "", "", ""]],  # merged across the sheet
        [["2024年山西省重点工程项目台账", "", "", ""], [], ["", "", "", ""]],
        [[None, "重点项目台账", None]],
    ],
)
def test_title_and_blank_rows_above_the_header_are_skipped(above: list[list[object]]) -> None:
    rows: list[list[object]] = [
        *above,
        ["项目名称", "所在区划", "总投资"],
        ["太原数据中心", "小店区", 1200],
    ]
    match = header_locate(rows, SPECS)
    assert match.header_rows == (len(above),)
    assert match.data_start == len(above) + 1
    assert [c.spec.key for c in match.columns] == ["name", "region", "total"]


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["项目名称", "县区", "计划总投资(亿元)", "开工时间"]))
)
def test_columns_in_any_order(order: tuple[str, ...]) -> None:
    match = header_locate([list(order), ["x"] * 4], SPECS)
    found = mapping(match)
    assert found["name"][0] == order.index("项目名称")
    assert found["region"][0] == order.index("县区")
    assert found["total"] == (order.index("计划总投资(亿元)"), "计划总投资(亿元)", 10000)
    assert found["start"][0] == order.index("开工时间")


def test_synonyms_units_marks_and_full_width_forms() -> None:
    rows: list[list[object]] = [
        [
            "*项目名称",
            "县（市、区）",
            "计划总投资（万元）",
            "其中：中央资金［元］",
            "用地面积（亩）",
        ]
    ]
    assert mapping(header_locate(rows, SPECS)) == {
        "name": (0, "*项目名称", 1),
        "region": (1, "县(市、区)", 1),
        "total": (2, "计划总投资(万元)", 1),
        "central": (3, "其中:中央资金[元]", Decimal("0.0001")),
        "area": (4, "用地面积(亩)", 1),
    }


def test_an_unknown_area_unit_is_not_taken_for_another() -> None:
    match = header_locate([["项目名称", "所在区划", "总投资", "用地面积（公顷）"]], SPECS)
    assert "area" not in mapping(match)
    assert match.unmatched == ["用地面积(公顷)"]


def test_a_unit_note_above_the_header_applies_to_amounts_only() -> None:
    rows: list[list[object]] = [
        ["2024年重点项目台账"],
        ["填报单位：太原市发改委", "", "", "单位：亿元"],
        ["项目名称", "所在区划", "总投资", "中央资金(万元)", "用地面积"],
    ]
    match = header_locate(rows, SPECS)
    assert match.header_rows == (2,)  # the note row is not a parent row
    found = mapping(match)
    assert found["total"] == (2, "总投资", 10000)
    assert found["central"] == (3, "中央资金(万元)", 1)  # its own unit wins
    assert found["area"] == (4, "用地面积", 1)
    assert found["name"] == (0, "项目名称", 1)


def test_a_unit_in_the_title_counts_too() -> None:
    rows = [["重点项目台账（金额单位：元）"], ["项目名称", "所在区划", "总投资"]]
    assert mapping(header_locate(rows, SPECS))["total"][2] == Decimal("0.0001")


def test_short_rows_are_padded() -> None:
    rows = [["项目名称", "所在区划"], ["项目名称", "所在区划", "总投资", "开工时间"], ["甲"]]
    match = header_locate(rows, SPECS)
    assert match.header_rows == (1,)
    assert set(mapping(match)) == {"name", "region", "total", "start"}


# Two header rows


def test_two_row_header_with_a_merged_parent() -> None:
    rows: list[list[object]] = [
        ["2024年山西省重点工程项目台账", "", "", "", "", "", ""],
        ["序号", "项目名称", "所在区划", "总投资(亿元)", "", "", "计划开工时间"],
        ["", "", "", "合计", "其中：中央资金", "专项债券(万元)", ""],
        [1, "太原数据中心", "小店区", 1.2, 0.3, 500, "2024年3月"],
    ]
    match = header_locate(rows, SPECS)
    assert match.header_rows == (1, 2)
    assert match.data_start == 3
    assert mapping(match) == {
        "name": (1, "项目名称", 1),
        "region": (2, "所在区划", 1),
        "total": (3, "总投资(亿元)/合计", 10000),  # the parent's unit
        "central": (4, "总投资(亿元)/其中:中央资金", 10000),
        "bonds": (5, "总投资(亿元)/专项债券(万元)", 1),  # the child's own unit wins
        "start": (6, "计划开工时间", 1),
    }
    assert match.unmatched == ["序号"]


def test_two_row_header_whose_lower_row_scores_higher() -> None:
    rows: list[list[object]] = [
        ["项目名称", "所在区划", "资金来源", "", "", "总投资"],
        ["", "", "中央预算内资金", "专项债", "银行贷款", ""],
    ]
    match = header_locate(rows, SPECS)
    assert match.header_rows == (0, 1)
    assert mapping(match) == {
        "name": (0, "项目名称", 1),
        "region": (1, "所在区划", 1),
        "central": (2, "资金来源/中央预算内资金", 1),
        "bonds": (3, "资金来源/专项债", 1),
        "total": (5, "总投资", 1),
    }
    assert match.unmatched == ["资金来源/银行贷款"]


def test_a_grouping_row_above_the_header_adds_nothing() -> None:
    rows: list[list[object]] = [
        ["项目基本情况", "", "", "投资情况", ""],
        ["项目名称", "县区", "建设单位", "计划总投资", "中央资金"],
        ["太原数据中心", "小店区", "某公司", 1200, 300],
    ]
    match = header_locate(rows, SPECS)
    # Read as two rows the groups match nothing more, so the plainer reading wins.
    assert match.header_rows == (1,)
    assert match.data_start == 2
    assert mapping(match) == {
        "name": (0, "项目名称", 1),
        "region": (1, "县区", 1),
        "owner": (2, "建设单位", 1),
        "total": (3, "计划总投资", 1),
        "central": (4, "中央资金", 1),
    }


def test_a_child_under_a_generic_parent_matches_on_its_own() -> None:
    rows: list[list[object]] = [
        ["项目名称", "所在区划", "投资情况", "", "", "开工时间"],
        ["", "", "总投资", "中央资金", "其他资金", ""],
    ]
    match = header_locate(rows, SPECS)
    assert match.header_rows == (0, 1)
    assert mapping(match) == {
        "name": (0, "项目名称", 1),
        "region": (1, "所在区划", 1),
        "total": (2, "投资情况/总投资", 1),
        "central": (3, "投资情况/中央资金", 1),
        "start": (5, "开工时间", 1),
    }
    assert match.unmatched == ["投资情况/其他资金"]


def test_a_parent_match_wins_and_a_field_parent_qualifies_its_children() -> None:
    rows: list[list[object]] = [
        ["项目名称", "所在区划", "总投资", "业主单位", "", "责任单位", ""],
        ["", "", "", "名称", "联系电话", "名称", "联系电话"],
    ]
    match = header_locate(rows, SPECS)
    assert mapping(match) == {
        "name": (0, "项目名称", 1),
        "region": (1, "所在区划", 1),
        "total": (2, "总投资", 1),
        "owner": (3, "业主单位/名称", 1),
        "owner_phone": (4, "业主单位/联系电话", 1),
        "unit": (5, "责任单位/名称", 1),
    }
    # The responsible unit's phone is not the owner's phone; the model has no field for it.
    assert match.unmatched == ["责任单位/联系电话"]


def test_subtotal_means_the_total_only_under_its_parent() -> None:
    single = header_locate([["项目名称", "所在区划", "计划总投资", "小计"]], SPECS)
    assert single.unmatched == ["小计"]
    double = header_locate(
        [["项目名称", "所在区划", "总投资", ""], ["", "", "小计", "中央资金"]], SPECS
    )
    assert mapping(double)["total"] == (2, "总投资/小计", 1)


def test_a_data_row_below_a_header_with_gaps_is_no_child_row() -> None:
    rows: list[list[object]] = [
        ["项目名称", "所在区划", "总投资", "", "开工时间"],
        ["太原数据中心", "小店区", 1200, "备注", "2024-03"],
    ]
    match = header_locate(rows, SPECS)
    assert match.header_rows == (0,)
    assert match.data_start == 1


# Errors


def test_no_header_says_what_was_expected_and_found() -> None:
    rows: list[list[object]] = [
        ["重点项目表"],
        ["序号", "名称", "金额", "时间"],
        [1, "甲", 100, "2024"],
    ]
    with pytest.raises(HeaderError) as caught:
        header_locate(rows, SPECS)
    error = caught.value
    assert error.expected == [spec.label for spec in SPECS]
    assert error.found == ["序号", "名称", "金额", "时间"]
    assert error.missing == ["项目名称", "所在区划", "总投资"]
    assert error.message == (
        "未找到表头：应包含项目名称、所在区划、总投资、中央资金、专项债券、计划开工时间、"
        "业主单位、联系电话、责任单位、用地面积(亩)（必填：项目名称、所在区划、总投资），"
        "实际找到：序号、名称、金额、时间"
    )
    assert str(error) == error.message


@pytest.mark.parametrize("rows", [[], [[]], [[None, ""], ["", None]]])
def test_an_empty_sheet_has_no_header(rows: list[list[object]]) -> None:
    with pytest.raises(HeaderError) as caught:
        header_locate(rows, SPECS)
    assert caught.value.found == []
    assert caught.value.message.endswith("实际找到：（无）")


def test_a_sheet_with_only_a_title_shows_the_title_as_found() -> None:
    with pytest.raises(HeaderError) as caught:
        header_locate([["2024年重点项目台账"]], SPECS)
    assert caught.value.found == ["2024年重点项目台账"]


def test_missing_required_columns_are_named() -> None:
    rows = [["项目名称", "开工时间", "备注"]]
    with pytest.raises(HeaderError) as caught:
        header_locate(rows, SPECS)
    error = caught.value
    assert error.missing == ["所在区划", "总投资"]
    assert error.found == ["项目名称", "开工时间", "备注"]
    assert error.message.startswith("缺少必填列：所在区划、总投资。应包含项目名称、所在区划、")
    assert error.message.endswith("实际找到：项目名称、开工时间、备注")


def test_a_header_below_the_scanned_rows_is_not_found() -> None:
    rows = [["说明文字", "第二格"]] * 3 + [["项目名称", "所在区划", "总投资"]]
    assert header_locate(rows, SPECS, scan=4).header_rows == (3,)
    with pytest.raises(HeaderError):
        header_locate(rows, SPECS, scan=3)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            ["项目名称", "所在区划", "计划总投资", "开工时间", "总投资(万元)"],
            "表头重复：第C列“计划总投资”和第E列“总投资(万元)”都对应“总投资”，请删除或改名其中一列",
        ),
        (
            ["项目名称", "项目名", "所在区划", "总投资"],
            "表头重复：第A列“项目名称”和第B列“项目名”都对应“项目名称”，请删除或改名其中一列",
        ),
        (
            ["项目名称", "所在区划", "总投资", *[""] * 23, "县区"],
            "表头重复：第B列“所在区划”和第AA列“县区”都对应“所在区划”，请删除或改名其中一列",
        ),
    ],
)
def test_two_columns_for_one_field_are_refused(header: list[str], message: str) -> None:
    with pytest.raises(HeaderError) as caught:
        header_locate([header], SPECS)
    assert caught.value.message == message
    assert caught.value.found == [text for text in header if text]


def test_a_spec_list_naming_one_header_twice_is_a_programming_error() -> None:
    clash = FieldSpec("other", "别的", ("项目名",))
    with pytest.raises(ValueError, match="项目名"):
        header_locate([["项目名称"]], (NAME, clash))
