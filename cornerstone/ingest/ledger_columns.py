"""The columns a project ledger workbook may carry, with the headers Chinese ledgers use.

Keys are ``Project`` field names, except those in :data:`EXTRA_KEYS`. Kinds tell the
importer how to read a cell: ``text``, ``amount`` (万元, see ``Column.multiplier``),
``date``, ``year``, ``year_range``, ``decimal``, ``bool``, ``choice`` (the model field's
choices), ``region``, ``industry``, ``zone``, ``department`` and ``stage``.

Choices made where ledgers are ambiguous:

- 建设地点 is the street address (``site_address``, the model's own label); the region is
  read from 所在区划/县区/县（市、区）…, or from 县区 under a merged 建设地点 parent.
- 企业自筹 and 自筹资金 are ``fund_market``; 银行贷款 is deliberately no synonym: a sheet
  with both 企业自筹 and 银行贷款 columns would otherwise map two columns to one field.
  A loan column is reported as ignored.
- 开工时间/竣工时间/投产时间 without 计划/实际 are the planned dates (the editable ones).
- 联系人/联系电话 alone are the owner's; under a merged 责任单位 parent, 联系人 is the
  responsible unit's contact and 联系电话 matches nothing (the model has no such field).
- ``parent`` (所属打包项目) is not importable by header: it needs a project lookup.
"""

from __future__ import annotations

from cornerstone.ingest.headers import FieldSpec

# Keys that are no Project field: the importer splits them into fields.
# construction_period (建设年限 "2024-2026") → construction_start_year, construction_end_year.
EXTRA_KEYS = frozenset({"construction_period"})

_FUND_PARENTS = (
    "总投资",
    "计划总投资",
    "项目总投资",
    "资金来源",
    "资金构成",
    "投资构成",
    "资金筹措",
    "其中",
)
_OWNER_PARENTS = ("业主单位", "项目单位", "建设单位", "项目法人", "项目业主")
_LEADER_PARENTS = ("包联领导", "包保领导", "联系领导", "挂点领导", "包联市领导", "包联县领导")
_SITE_PARENTS = ("建设地点", "项目地点", "所在地")

LEDGER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "code",
        "项目代码",
        (
            "项目编码",
            "统一项目代码",
            "项目编号",
            "项目统一代码",
            "投资项目统一代码",
            "全国投资项目统一代码",
        ),
    ),
    FieldSpec("name", "项目名称", ("项目名", "项目全称"), required=True),
    FieldSpec(
        "region",
        "所在区划",
        (
            "建设地点(县区)",
            "所属县区",
            "所在县区",
            "县(市、区)",
            "县(市区)",
            "县市区",
            "地区",
            "区县",
            "县区",
            "所属区县",
            "所在地区",
            "所属地区",
            "行政区划",
            "所在区县",
            "项目所在地",
        ),
        parents=_SITE_PARENTS,
        required=True,
        kind="region",
    ),
    FieldSpec(
        "zone",
        "所在园区",
        ("园区", "所属园区", "所在开发区", "开发区", "开发区(园区)", "所在园区(开发区)"),
        kind="zone",
    ),
    FieldSpec(
        "site_address",
        "建设地点",
        ("详细地址", "项目地址", "建设地址", "具体地点"),
        parents=_SITE_PARENTS,
        child_synonyms=("地址", "详细地点"),
    ),
    FieldSpec("longitude", "经度", kind="decimal"),
    FieldSpec("latitude", "纬度", kind="decimal"),
    FieldSpec("tier", "项目级别", ("重点项目级别", "项目层级", "级别"), kind="choice"),
    FieldSpec("category", "项目类别", ("项目分类", "类别"), kind="choice"),
    FieldSpec(
        "kind",
        "项目类型",
        ("建设类型", "项目性质", "项目性质(新开工/续建)", "项目类型(新开工/续建)", "新开工/续建"),
        kind="choice",
    ),
    FieldSpec("construction_nature", "建设性质", kind="choice"),
    FieldSpec(
        "industry",
        "所属行业",
        ("行业", "国民经济行业", "国民经济行业分类", "行业类别", "行业分类", "所属国民经济行业"),
        kind="industry",
    ),
    FieldSpec("tags", "产业链标签", ("产业链", "产业链条", "链条", "标签")),
    FieldSpec(
        "scale_content",
        "建设规模及主要内容",
        (
            "建设内容",
            "主要建设内容",
            "建设规模",
            "建设内容及规模",
            "建设规模及内容",
            "项目建设内容",
            "建设规模和主要内容",
            "主要建设内容及规模",
        ),
    ),
    FieldSpec("new_capacity", "建成后新增产能", ("新增产能", "新增生产能力", "新增能力")),
    FieldSpec(
        "owner_org",
        "业主单位",
        ("项目单位", "建设单位", "项目法人", "项目业主", "业主单位名称", "项目法人单位"),
        parents=_OWNER_PARENTS,
        child_synonyms=("名称", "单位名称"),
    ),
    FieldSpec(
        "owner_legal_rep",
        "法定代表人",
        ("法人代表", "法人", "项目法人代表"),
        parents=_OWNER_PARENTS,
    ),
    FieldSpec(
        "owner_contact",
        "业主联系人",
        ("联系人", "项目联系人", "业主单位联系人", "项目单位联系人"),
        parents=_OWNER_PARENTS,
    ),
    FieldSpec(
        "owner_phone",
        "业主联系电话",
        ("联系电话", "联系方式", "电话", "手机", "业主单位联系电话", "项目单位联系电话"),
        parents=_OWNER_PARENTS,
    ),
    FieldSpec(
        "responsible_unit",
        "责任单位",
        ("牵头单位", "责任部门", "牵头责任单位", "县级责任单位", "推进责任单位"),
        parents=("责任单位", "牵头单位"),
        kind="department",
        child_synonyms=("名称", "单位名称"),
    ),
    FieldSpec(
        "responsible_contact",
        "责任单位联系人",
        ("责任人", "责任单位责任人"),
        parents=("责任单位", "牵头单位"),
        child_synonyms=("联系人",),
    ),
    FieldSpec(
        "leader_name",
        "包联领导",
        ("包保领导", "联系领导", "挂点领导", "包联市领导", "包联县领导"),
        parents=_LEADER_PARENTS,
        child_synonyms=("姓名",),
    ),
    FieldSpec("leader_title", "包联领导职务", ("职务", "领导职务"), parents=_LEADER_PARENTS),
    FieldSpec(
        "total_investment",
        "总投资",
        ("计划总投资", "项目总投资", "总投资额", "估算总投资", "概算总投资"),
        parents=("总投资", "计划总投资", "项目总投资"),
        required=True,
        kind="amount",
        child_synonyms=("合计", "小计", "总计"),
    ),
    FieldSpec(
        "fund_central",
        "中央预算内资金",
        ("中央资金", "中央预算内投资", "中央预算内", "中央投资", "中央补助资金"),
        parents=_FUND_PARENTS,
        kind="amount",
    ),
    FieldSpec(
        "fund_special_bonds",
        "专项债券",
        ("地方政府专项债券", "专项债", "专项债券资金", "地方专项债", "专项债资金"),
        parents=_FUND_PARENTS,
        kind="amount",
    ),
    FieldSpec(
        "fund_local",
        "地方财政资金",
        ("地方财政", "市县财政资金", "地方资金", "地方财政投资", "地方政府资金"),
        parents=_FUND_PARENTS,
        kind="amount",
    ),
    FieldSpec(
        "fund_market",
        "市场化及自有资金",
        ("自有资金", "企业自筹", "企业自筹资金", "自筹资金", "市场化资金", "社会资金", "社会投资"),
        parents=_FUND_PARENTS,
        kind="amount",
    ),
    FieldSpec(
        "completed_before_year",
        "以前年度累计完成投资",
        (
            "截至上年底累计完成投资",
            "截止上年底累计完成投资",
            "至上年底累计完成投资",
            "开工以来累计完成投资",
            "以前年度完成投资",
            "上年底累计完成投资",
        ),
        kind="amount",
    ),
    FieldSpec(
        "construction_start_year",
        "建设起始年",
        ("建设起始年份", "开工年份", "起始年份"),
        kind="year",
    ),
    FieldSpec(
        "construction_end_year",
        "建设结束年",
        ("建设结束年份", "竣工年份", "结束年份"),
        kind="year",
    ),
    FieldSpec(
        "construction_period",
        "建设年限",
        ("建设起止年限", "起止年限", "建设期限", "建设起止年份"),
        kind="year_range",
    ),
    FieldSpec(
        "planned_start_date",
        "计划开工日期",
        ("计划开工时间", "开工时间", "开工日期", "计划开工年月"),
        kind="date",
    ),
    FieldSpec(
        "planned_completion_date",
        "计划竣工日期",
        ("计划竣工时间", "竣工时间", "竣工日期", "计划完工时间", "计划竣工年月"),
        kind="date",
    ),
    FieldSpec(
        "planned_production_date",
        "计划投产日期",
        ("计划投产时间", "投产时间", "投产日期", "计划投运时间"),
        kind="date",
    ),
    FieldSpec(
        "approval_doc_no",
        "立项/核准/备案文号",
        (
            "立项文号",
            "核准文号",
            "备案文号",
            "审批文号",
            "立项批复文号",
            "备案(核准)文号",
            "审批(核准、备案)文号",
        ),
    ),
    FieldSpec(
        "feasibility_doc_no", "可研批复文号", ("可行性研究报告批复文号", "可研批复", "可研批复文件")
    ),
    FieldSpec("design_doc_no", "初步设计批复文号", ("初设批复文号", "初设批复", "初步设计批复")),
    FieldSpec("land_use_type", "用地类型", ("用地性质", "土地用途"), kind="choice"),
    FieldSpec(
        "land_area_mu",
        "用地面积（亩）",
        ("用地面积", "占地面积(亩)", "占地面积", "占地(亩)", "用地(亩)", "用地规模(亩)"),
        kind="decimal",
    ),
    FieldSpec(
        "floor_area_m2",
        "建筑面积（平方米）",
        (
            "建筑面积",
            "建筑面积(㎡)",
            "建筑面积(m2)",
            "建筑面积(m²)",
            "总建筑面积",
            "建筑面积(平米)",
        ),
        kind="decimal",
    ),
    FieldSpec(
        "expected_annual_output",
        "预计年产值",
        ("达产后年产值", "达产年产值", "年产值", "预计达产年产值"),
        kind="amount",
    ),
    FieldSpec("stats_inclusion", "纳统状态", ("纳统情况", "入库情况", "纳统"), kind="choice"),
    FieldSpec(
        "stats_inclusion_date",
        "入库日期",
        ("入库时间", "纳统时间", "纳统日期", "纳统月份", "入库月份"),
        kind="date",
    ),
    FieldSpec("accepted", "已验收", ("是否验收", "验收情况", "是否已验收"), kind="bool"),
    FieldSpec(
        "acceptance_date", "验收日期", ("验收时间", "竣工验收时间", "竣工验收日期"), kind="date"
    ),
)

# Read for display only: the stage follows the project's lifecycle steps.
STAGE_SPEC = FieldSpec(
    "stage", "所处阶段", ("项目阶段", "当前阶段", "所处阶段(环节)"), kind="stage"
)
