"""The ledger's column specs against the Project model, and real-looking ledger headers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pytest
from django.db import models

from cornerstone.ingest.cells import amount_parse, date_parse
from cornerstone.ingest.headers import FieldSpec, HeaderMatch, header_locate, header_text
from cornerstone.ingest.ledger_columns import EXTRA_KEYS, LEDGER_FIELDS, STAGE_SPEC
from cornerstone.projects.models import Project
from cornerstone.projects.services import EDITABLE_FIELDS

ALL_SPECS = (*LEDGER_FIELDS, STAGE_SPEC)
NOT_IMPORTED = {"parent"}  # a project lookup, not a header (see ledger_columns)


REQUIRED = {"name": "项目名称", "region": "所在区划", "total_investment": "总投资"}


def key_of(spec: FieldSpec) -> str:
    return spec.key


def located(rows: Sequence[Sequence[object]]) -> tuple[HeaderMatch, dict[str, tuple[int, Decimal]]]:
    """Field key → (column index, multiplier) of the header found in ``rows``."""
    match = header_locate(rows, ALL_SPECS)
    return match, {c.spec.key: (c.index, c.multiplier) for c in match.columns}


# The specs against the model


def test_every_key_is_an_editable_field_or_a_documented_extra() -> None:
    keys = [spec.key for spec in LEDGER_FIELDS]
    assert len(keys) == len(set(keys))
    assert set(keys) - set(EDITABLE_FIELDS) == EXTRA_KEYS
    assert set(EDITABLE_FIELDS) - set(keys) == NOT_IMPORTED
    assert STAGE_SPEC.key == "stage"
    Project._meta.get_field(STAGE_SPEC.key)


def test_the_required_columns_are_those_a_project_cannot_do_without() -> None:
    assert [spec.key for spec in LEDGER_FIELDS if spec.required] == [
        "name",
        "region",
        "total_investment",
    ]


KIND_FIELDS: dict[str, type[models.Field] | tuple[type[models.Field], ...]] = {
    "amount": models.DecimalField,
    "decimal": models.DecimalField,
    "date": models.DateField,
    "year": models.PositiveSmallIntegerField,
    "bool": models.BooleanField,
    "text": (models.CharField, models.TextField),
}
RELATED = {
    "region": "geo.Region",
    "industry": "geo.Industry",
    "zone": "geo.Zone",
    "department": "geo.Department",
    "stage": "projects.Stage",
}


@pytest.mark.parametrize("spec", [s for s in ALL_SPECS if s.key not in EXTRA_KEYS], ids=key_of)
def test_each_kind_fits_its_model_field(spec: FieldSpec) -> None:
    field = Project._meta.get_field(spec.key)
    assert isinstance(field, models.Field)
    if spec.kind == "choice":
        assert field.choices
    elif spec.kind in RELATED:
        assert isinstance(field, models.ForeignKey)
        assert field.remote_field.model._meta.label == RELATED[spec.kind]
    else:
        assert isinstance(field, KIND_FIELDS[spec.kind])
        assert not field.choices
    if spec.kind == "amount":
        assert isinstance(field, models.DecimalField)
        assert field.decimal_places == 2 and "万元" in str(field.verbose_name)


def test_no_header_names_two_fields() -> None:
    alone: dict[str, str] = {}
    under: dict[tuple[str, str], str] = {}
    for spec in ALL_SPECS:
        for name in (spec.label, *spec.synonyms):
            key = header_text(name)[0].casefold()
            assert alone.setdefault(key, spec.key) == spec.key, (name, alone[key], spec.key)
        for parent in spec.parents:
            for name in (spec.label, *spec.synonyms, *spec.child_synonyms):
                pair = (header_text(parent)[0], header_text(name)[0])
                assert under.setdefault(pair, spec.key) == spec.key, (pair, spec.key)


def test_no_synonym_is_listed_twice_or_repeats_its_label() -> None:
    for spec in ALL_SPECS:
        names = [header_text(n)[0] for n in (spec.label, *spec.synonyms, *spec.child_synonyms)]
        assert len(names) == len(set(names)), spec.key


def with_required(spec: FieldSpec, header: str) -> list[list[object]]:
    """A header row of the required columns, with ``header`` standing for ``spec``."""
    row: list[object] = [text for key, text in REQUIRED.items() if key != spec.key]
    return [[*row, header]]


@pytest.mark.parametrize("spec", [s for s in ALL_SPECS if s.key not in EXTRA_KEYS], ids=key_of)
def test_the_models_own_label_is_recognised(spec: FieldSpec) -> None:
    """A sheet headed with the model's verbose names (as the form shows them) imports."""
    field = Project._meta.get_field(spec.key)
    assert isinstance(field, models.Field)
    verbose = str(field.verbose_name)
    match, found = located(with_required(spec, verbose))
    assert found[spec.key] == (len(match.columns) - 1, 1), verbose


@pytest.mark.parametrize("spec", [s for s in LEDGER_FIELDS if s.kind == "amount"], ids=key_of)
def test_the_exported_amount_headers_read_back_in_wan(spec: FieldSpec) -> None:
    """The export heads an amount column "label（万元）"."""
    match, found = located(with_required(spec, f"{spec.label}（万元）"))
    assert found[spec.key] == (len(match.columns) - 1, 1)


@pytest.mark.parametrize("spec", [s for s in LEDGER_FIELDS if s.kind == "amount"], ids=key_of)
def test_amount_headers_in_yi_are_converted(spec: FieldSpec) -> None:
    _, found = located(with_required(spec, f"{spec.label}（亿元）"))
    assert found[spec.key][1] == 10000


# Real-looking ledgers

PROVINCIAL: list[list[object]] = [
    ["2024年山西省重点工程项目台账", *[""] * 21],
    ["填报单位（盖章）：", *[""] * 19, "单位：万元", ""],
    [
        "序号",
        "项目名称",
        "项目代码",
        "建设地点（县区）",
        "所属行业",
        "项目级别",
        "建设性质",
        "建设规模及主要内容",
        "建设年限",
        "总投资",
        "",
        "",
        "",
        "",
        "以前年度累计完成投资",
        "计划开工时间",
        "业主单位",
        "责任单位",
        "包联领导",
        "",
        "所处阶段",
        "备注",
    ],
    [
        *[""] * 9,
        "合计",
        "其中：中央资金",
        "专项债券",
        "地方财政资金",
        "企业自筹",
        *[""] * 4,
        "姓名",
        "职务",
        "",
        "",
    ],
    [
        1,
        "太原数据中心一期",
        "2403-140105-04-01-123456",
        "太原市小店区",
        "I65 软件和信息技术服务业",
        "省重点",
        "新建",
        "建设机房楼3栋",
        "2024-2026",
        "120,000",
        5000,
        20000,
        10000,
        85000,
        0,
        45366,
        "某数据科技有限公司",
        "小店区发改局",
        "张三",
        "副区长",
        "开工建设",
        "",
    ],
]


def test_the_provincial_template_two_header_rows_under_a_title_and_a_unit_note() -> None:
    match, found = located(PROVINCIAL)
    assert match.header_rows == (2, 3)
    assert match.data_start == 4
    assert found == {
        "name": (1, 1),
        "code": (2, 1),
        "region": (3, 1),
        "industry": (4, 1),
        "tier": (5, 1),
        "construction_nature": (6, 1),
        "scale_content": (7, 1),
        "construction_period": (8, 1),
        "total_investment": (9, 1),
        "fund_central": (10, 1),
        "fund_special_bonds": (11, 1),
        "fund_local": (12, 1),
        "fund_market": (13, 1),
        "completed_before_year": (14, 1),
        "planned_start_date": (15, 1),
        "owner_org": (16, 1),
        "responsible_unit": (17, 1),
        "leader_name": (18, 1),
        "leader_title": (19, 1),
        "stage": (20, 1),
    }
    headers = {c.spec.key: c.header for c in match.columns}
    assert headers["fund_central"] == "总投资/其中:中央资金"
    assert headers["leader_title"] == "包联领导/职务"
    assert match.unmatched == ["序号", "备注"]
    row = PROVINCIAL[match.data_start]
    total = next(c for c in match.columns if c.spec.key == "total_investment")
    assert amount_parse(row[total.index], multiplier=total.multiplier) == Decimal("120000.00")
    assert date_parse(row[15]) == dt.date(2024, 3, 15)


CITY: list[list[object]] = [
    ["太原市2024年市级重点项目推进台账"],
    [
        "序号",
        "县（市、区）",
        "项目名称",
        "项目类型（新开工/续建）",
        "项目类别",
        "总投资（亿元）",
        "其中：中央预算内资金（亿元）",
        "专项债券（万元）",
        "计划开工时间",
        "计划竣工时间",
        "建设单位",
        "联系人",
        "联系电话",
        "包联领导",
        "所在园区",
        "用地面积（亩）",
        "建筑面积（㎡）",
        "纳统情况",
        "所处阶段",
    ],
    [
        "１",
        "清徐县",
        "清徐精细化工循环产业园",
        "续建",
        "产业",
        "１．２",
        0.3,
        "500",
        "2024年3月",
        "2026.12",
        "某化工公司",
        "李四",
        13800138000,
        "王五",
        "清徐经济开发区",
        "150",
        "32000",
        "已入库",
        "在建",
    ],
]


def test_a_city_ledger_with_one_header_row_full_width_brackets_and_units_in_yi() -> None:
    match, found = located(CITY)
    assert match.header_rows == (1,)
    assert match.data_start == 2
    assert found == {
        "region": (1, 1),
        "name": (2, 1),
        "kind": (3, 1),
        "category": (4, 1),
        "total_investment": (5, 10000),
        "fund_central": (6, 10000),
        "fund_special_bonds": (7, 1),
        "planned_start_date": (8, 1),
        "planned_completion_date": (9, 1),
        "owner_org": (10, 1),
        "owner_contact": (11, 1),
        "owner_phone": (12, 1),
        "leader_name": (13, 1),
        "zone": (14, 1),
        "land_area_mu": (15, 1),
        "floor_area_m2": (16, 1),
        "stats_inclusion": (17, 1),
        "stage": (18, 1),
    }
    assert match.unmatched == ["序号"]
    row = CITY[match.data_start]
    amounts = {
        c.spec.key: amount_parse(row[c.index], multiplier=c.multiplier)
        for c in match.columns
        if c.spec.kind == "amount"
    }
    assert amounts == {
        "total_investment": Decimal("12000.00"),
        "fund_central": Decimal("3000.00"),
        "fund_special_bonds": Decimal("500.00"),
    }


COUNTY: list[list[object]] = [
    ["附件2", ""],
    ["清徐县2024年县级重点项目计划表", ""],
    [
        "项目编码",
        "*项目名称",
        "所属县区",
        "计划总投资（万元）",
        "资金来源",
        "",
        "",
        "",
        "业主单位",
        "",
        "",
        "责任单位",
        "",
        "计划开工日期",
        "计划投产时间",
        "截至上年底累计完成投资[万元]",
    ],
    [
        "",
        "",
        "",
        "",
        "中央预算内投资",
        "地方政府专项债券",
        "市县财政资金",
        "银行贷款",
        "名称",
        "联系人",
        "联系电话",
        "名称",
        "联系人",
        "",
        "",
        "",
    ],
]


def test_a_county_plan_with_parents_for_funds_owner_and_responsible_unit() -> None:
    match, found = located(COUNTY)
    assert match.header_rows == (2, 3)
    assert found == {
        "code": (0, 1),
        "name": (1, 1),
        "region": (2, 1),
        "total_investment": (3, 1),
        "fund_central": (4, 1),
        "fund_special_bonds": (5, 1),
        "fund_local": (6, 1),
        "owner_org": (8, 1),
        "owner_contact": (9, 1),
        "owner_phone": (10, 1),
        "responsible_unit": (11, 1),
        "responsible_contact": (12, 1),
        "planned_start_date": (13, 1),
        "planned_production_date": (14, 1),
        "completed_before_year": (15, 1),
    }
    # A loan is no synonym of 自筹 (see ledger_columns): reported, not guessed.
    assert match.unmatched == ["资金来源/银行贷款"]


def test_an_address_column_beside_the_region() -> None:
    rows = [
        ["项目名称", "总投资", "建设地点", ""],
        ["", "", "县区", "详细地址"],
    ]
    match, found = located(rows)
    assert match.header_rows == (0, 1)
    assert found["region"] == (2, 1)
    assert found["site_address"] == (3, 1)
    _, found = located([["项目名称", "总投资", "区县", "建设地点"]])
    assert found["region"][0] == 2 and found["site_address"][0] == 3
