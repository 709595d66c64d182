"""Request and response shapes of the API; money is a decimal string in 万元, dates ISO 8601."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django_filters import MultipleChoiceFilter
from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.models import Project
from cornerstone.projects.services import EDITABLE_FIELDS

# ---------------------------------------------------------------- errors


class FieldError(Schema):
    field: str = Field(description="出错的字段名；不属于某个字段的错误为 __all__")
    message: str


class ErrorOut(Schema):
    detail: str = Field(description="一句话说明")
    errors: list[FieldError] = Field(default_factory=list)


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
# Writes that name the version they read: someone else's save in between is a 409.
VERSIONED_WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: ErrorOut}

# ---------------------------------------------------------------- paging


class Paging(Schema):
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数（1–200）")


class ReferencePaging(Schema):
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(200, ge=1, le=1000, description="每页条数（1–1000）")


# ---------------------------------------------------------------- references


class NamedRef(Schema):
    id: int
    name: str


class RegionRef(Schema):
    code: str = Field(description="六位行政区划代码（GB/T 2260）")
    name: str
    full_name: str


class IndustryRef(Schema):
    code: str = Field(description="国民经济行业代码（GB/T 4754-2017）")
    name: str


class IndustryOut(IndustryRef):
    section: IndustryRef | None = Field(None, description="所属门类")


class StageRef(Schema):
    id: int
    code: str
    name: str
    order: int


class ProjectRef(Schema):
    id: int
    code: str
    name: str


# ---------------------------------------------------------------- ledger list


def _choice_help(choices: Any) -> str:
    return "；".join(f"{value}（{label}）" for value, label in choices)


def _filter_params() -> type[Paging]:
    """Query parameters built from ProjectFilterSet, so the docs list exactly what it reads.

    Values stay strings here: the FilterSet validates them, with the same messages the list
    page gives.
    """
    fields: dict[str, Any] = {}
    for name, flt in ProjectFilterSet.base_filters.items():
        description = str(flt.label)
        choices = flt.extra.get("choices")
        if choices:
            description += "。可选值：" + _choice_help(choices)
        if isinstance(flt, MultipleChoiceFilter):
            fields[name] = (list[str] | None, Field(None, description=description + "（可重复）"))
        else:
            fields[name] = (str | None, Field(None, description=description))
    return create_model("ProjectListParams", __base__=Paging, **fields)


ProjectListParams = _filter_params()


class ProjectRow(Schema):
    """One ledger row: the columns the list page shows."""

    id: int
    code: str
    name: str
    region: RegionRef
    zone: NamedRef | None
    tier: str
    tier_label: str
    category: str
    category_label: str
    kind: str
    kind_label: str
    industry: IndustryRef | None
    stage: NamedRef
    total_investment: Decimal = Field(description="总投资（万元）")
    owner_org: str
    planned_start_date: dt.date | None
    actual_start_date: dt.date | None
    updated_at: dt.datetime


class ProjectPage(Schema):
    count: int = Field(description="符合条件的项目数")
    total_investment: Decimal = Field(description="符合条件的项目总投资合计（万元）")
    page: int
    page_size: int
    results: list[ProjectRow]


# ---------------------------------------------------------------- project detail


class ProjectOut(Schema):
    """Every attribute of one project; related records by their natural key and name."""

    id: int
    code: str
    name: str
    parent: ProjectRef | None
    region: RegionRef
    zone: NamedRef | None
    site_address: str
    longitude: Decimal | None
    latitude: Decimal | None
    tier: str
    tier_label: str
    category: str
    category_label: str
    kind: str
    kind_label: str
    construction_nature: str
    construction_nature_label: str
    industry: IndustryOut | None
    tags: str
    scale_content: str
    new_capacity: str
    owner_org: str
    owner_legal_rep: str
    owner_contact: str
    owner_phone: str
    responsible_unit: NamedRef | None
    responsible_contact: str
    leader_name: str
    leader_title: str
    total_investment: Decimal
    fund_central: Decimal | None
    fund_special_bonds: Decimal | None
    fund_local: Decimal | None
    fund_market: Decimal | None
    completed_before_year: Decimal
    construction_start_year: int | None
    construction_end_year: int | None
    planned_start_date: dt.date | None
    actual_start_date: dt.date | None
    planned_completion_date: dt.date | None
    actual_completion_date: dt.date | None
    planned_production_date: dt.date | None
    actual_production_date: dt.date | None
    signed_date: dt.date | None
    capacity_reached_date: dt.date | None
    approval_doc_no: str
    feasibility_doc_no: str
    design_doc_no: str
    land_use_type: str
    land_use_type_label: str
    land_area_mu: Decimal | None
    floor_area_m2: Decimal | None
    expected_annual_output: Decimal | None
    stage: StageRef
    stats_inclusion: str
    stats_inclusion_label: str
    stats_inclusion_date: dt.date | None
    accepted: bool
    acceptance_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tier_label(obj: Project) -> str:
        return str(obj.get_tier_display())

    @staticmethod
    def resolve_category_label(obj: Project) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_kind_label(obj: Project) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_construction_nature_label(obj: Project) -> str:
        return str(obj.get_construction_nature_display())

    @staticmethod
    def resolve_land_use_type_label(obj: Project) -> str:
        return str(obj.get_land_use_type_display())

    @staticmethod
    def resolve_stats_inclusion_label(obj: Project) -> str:
        return str(obj.get_stats_inclusion_display())

    @staticmethod
    def resolve_industry(obj: Project) -> dict[str, Any] | None:
        industry = obj.industry
        if industry is None:
            return None
        section = industry.parent
        return {
            "code": industry.code,
            "name": industry.name,
            "section": {"code": section.code, "name": section.name} if section else None,
        }


# ---------------------------------------------------------------- project writes

# Related records are named by their natural key; the type and help the client sees.
_RELATED: dict[str, tuple[type, str]] = {
    "region": (str, "六位行政区划代码（GB/T 2260），如 140105"),
    "industry": (str, "国民经济行业大类代码（GB/T 4754-2017，两位），如 39"),
    "zone": (int, "园区编号（id）"),
    "responsible_unit": (int, "责任单位编号（id）"),
    "parent": (int, "所属打包项目的编号（id）"),
}


def _field_type(field: models.Field[Any, Any]) -> type:
    if field.name in _RELATED:
        return _RELATED[field.name][0]
    if isinstance(field, models.DecimalField):
        return Decimal
    if isinstance(field, models.IntegerField):
        return int
    if isinstance(field, models.DateField):
        return dt.date
    if isinstance(field, models.BooleanField):
        return bool
    return str


def required_on_create(field: models.Field[Any, Any]) -> bool:
    """A field the model needs and nothing fills in; a blank code gets a local code."""
    return not field.blank and not field.has_default() and field.name != "code"


class _WriteBase(Schema):
    # A misspelt or read-only field is an error, not silently dropped.
    model_config = ConfigDict(extra="forbid")


def _write_schema(name: str, *, partial: bool) -> type[Schema]:
    """The editable fields of the project services, with the model's titles and choices.

    Values are only parsed here (number, date…); the model and the service validate them,
    so the API and the pages refuse the same input with the same messages.
    """
    fields: dict[str, Any] = {}
    for field_name in EDITABLE_FIELDS:
        field: models.Field[Any, Any] = Project._meta.get_field(field_name)  # type: ignore[assignment]
        annotation: Any = _field_type(field)
        if field_name in _RELATED:
            description = _RELATED[field_name][1]
        else:
            description = str(field.help_text or "")
        extra = {"enum": [value for value, _label in field.choices]} if field.choices else None
        info: dict[str, Any] = {
            "title": str(field.verbose_name),
            "description": description or None,
            "json_schema_extra": extra,
        }
        if not partial and required_on_create(field):
            fields[field_name] = (annotation, Field(..., **info))
        else:
            fields[field_name] = (annotation | None, Field(None, **info))
    return create_model(name, __base__=_WriteBase, **fields)


ProjectCreate = _write_schema("ProjectCreate", partial=False)
ProjectPatch = _write_schema("ProjectPatch", partial=True)

# ---------------------------------------------------------------- lifecycle


class EvidenceOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    size: int
    content_type: str
    uploaded_at: dt.datetime


class StepOut(Schema):
    code: str
    name: str
    optional: bool
    milestone: str
    status: str
    status_label: str
    planned_date: dt.date | None
    actual_date: dt.date | None
    note: str
    waiver_reason: str
    evidence: list[EvidenceOut]


class TimelineStageOut(Schema):
    id: int
    code: str
    name: str
    order: int
    current: bool = Field(description="项目当前所处阶段")
    steps: list[StepOut]


class StepResultOut(Schema):
    step: StepOut
    project_stage: StageRef


class StepComplete(_WriteBase):
    actual_date: dt.date = Field(description="实际完成日期，不能晚于今天")
    note: str = ""


class StepReason(_WriteBase):
    reason: str = Field(description="理由")


class StepPlan(_WriteBase):
    planned_date: dt.date | None = Field(None, description="计划完成日期；为空则清除")
    note: str = ""


# ---------------------------------------------------------------- history


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str = Field(alias="actor_name")
    source: str
    source_label: str
    action: str
    action_label: str
    object_type: str
    summary: str
    changes: dict[str, Any] = Field(description="{字段: {label, before, after}}")

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return str(obj.get_action_display())


class AuditPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AuditOut]


# ---------------------------------------------------------------- reference data


class RegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: str
    level_label: str
    parent: str | None = Field(alias="parent_id", description="上级区划代码")

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())


class RegionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RegionOut]


class IndustryItemOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    parent: str | None = Field(alias="parent_id", description="所属门类代码")
    sector: int | None
    sector_label: str

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_sector_label(obj: Any) -> str:
        return str(obj.get_sector_display() or "")


class IndustryPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IndustryItemOut]


class StepDefinitionOut(Schema):
    id: int
    code: str
    name: str
    order: int
    optional: bool
    milestone: str


class StageOut(Schema):
    id: int
    code: str
    name: str
    order: int
    steps: list[StepDefinitionOut]

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.all())
