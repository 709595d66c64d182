"""The ledger: projects, the lifecycle definitions they move through, and their steps."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.geo.models import Region
from cornerstone.projects.choices import (
    Category,
    ConstructionNature,
    Kind,
    LandUseType,
    Milestone,
    StatsInclusion,
    StepStatus,
    Tier,
)
from cornerstone.projects.codes import parse_project_code, validate_project_code

NON_NEGATIVE = [MinValueValidator(Decimal(0), message=_("不能为负数。"))]


def money_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """An amount in 万元: exact decimal, two places, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=NON_NEGATIVE,
        **kwargs,
    )


class Stage(models.Model):
    """One of the lifecycle stages (谋划储备, 立项, …); data, editable by a province admin."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class StepDefinition(models.Model):
    """One step (环节) of a stage; the order across all stages is (stage.order, order)."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.PROTECT, related_name="steps"
    )
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    order = models.PositiveSmallIntegerField(_("顺序"))
    optional = models.BooleanField(_("可选环节"), default=False)
    milestone = models.CharField(
        _("对应关键日期"), max_length=16, choices=Milestone.choices, blank=True
    )

    class Meta:
        verbose_name = _("环节")
        verbose_name_plural = _("环节")
        ordering = ["stage__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=~models.Q(milestone=""),
                name="step_definition_unique_milestone",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """One authoritative ledger record (一本台账) per project."""

    code = models.CharField(
        _("项目代码"),
        max_length=24,
        unique=True,
        validators=[validate_project_code],
        help_text=_("全国投资项目统一代码（24位），未赋码的储备项目由系统生成本地编码。"),
        error_messages={"unique": _("项目代码已存在。")},
    )
    name = models.CharField(_("项目名称"), max_length=200, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属打包项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="projects"
    )
    zone = models.ForeignKey(
        "geo.Zone",
        verbose_name=_("所在园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    site_address = models.CharField(_("建设地点"), max_length=200, blank=True)
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(73), MaxValueValidator(136)],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(54)],
    )
    tier = models.CharField(_("项目级别"), max_length=16, choices=Tier.choices)
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("项目类型"), max_length=16, choices=Kind.choices)
    construction_nature = models.CharField(
        _("建设性质"), max_length=16, choices=ConstructionNature.choices, blank=True
    )
    industry = models.ForeignKey(
        "geo.Industry",
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"level": "division"},
    )
    tags = models.CharField(
        _("产业链标签"), max_length=200, blank=True, help_text=_("如 链主、强链、补链，用逗号分隔")
    )
    scale_content = models.TextField(_("建设规模及主要内容"), blank=True)
    new_capacity = models.CharField(_("建成后新增产能"), max_length=200, blank=True)

    owner_org = models.CharField(_("业主单位"), max_length=200, db_index=True)
    owner_legal_rep = models.CharField(_("法定代表人"), max_length=50, blank=True)
    owner_contact = models.CharField(_("业主联系人"), max_length=50, blank=True)
    owner_phone = models.CharField(_("业主联系电话"), max_length=32, blank=True)
    owner_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("业主账号"),
        blank=True,
        related_name="owned_projects",
    )
    responsible_unit = models.ForeignKey(
        "geo.Department",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    responsible_contact = models.CharField(_("责任单位联系人"), max_length=50, blank=True)
    leader_name = models.CharField(_("包联领导"), max_length=50, blank=True)
    leader_title = models.CharField(_("包联领导职务"), max_length=100, blank=True)

    total_investment = money_field(_("总投资（万元）"))
    fund_central = money_field(_("中央预算内资金（万元）"), null=True, blank=True)
    fund_special_bonds = money_field(_("专项债券（万元）"), null=True, blank=True)
    fund_local = money_field(_("地方财政资金（万元）"), null=True, blank=True)
    fund_market = money_field(_("市场化及自有资金（万元）"), null=True, blank=True)
    completed_before_year = money_field(_("以前年度累计完成投资（万元）"), default=Decimal(0))

    construction_start_year = models.PositiveSmallIntegerField(
        _("建设起始年"), null=True, blank=True, validators=[MinValueValidator(1990)]
    )
    construction_end_year = models.PositiveSmallIntegerField(
        _("建设结束年"), null=True, blank=True, validators=[MinValueValidator(1990)]
    )
    planned_start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    actual_start_date = models.DateField(_("实际开工日期"), null=True, blank=True)
    planned_completion_date = models.DateField(_("计划竣工日期"), null=True, blank=True)
    actual_completion_date = models.DateField(_("实际竣工日期"), null=True, blank=True)
    planned_production_date = models.DateField(_("计划投产日期"), null=True, blank=True)
    actual_production_date = models.DateField(_("实际投产日期"), null=True, blank=True)
    signed_date = models.DateField(_("签约日期"), null=True, blank=True)
    capacity_reached_date = models.DateField(_("达产日期"), null=True, blank=True)

    approval_doc_no = models.CharField(_("立项/核准/备案文号"), max_length=100, blank=True)
    feasibility_doc_no = models.CharField(_("可研批复文号"), max_length=100, blank=True)
    design_doc_no = models.CharField(_("初步设计批复文号"), max_length=100, blank=True)
    land_use_type = models.CharField(
        _("用地类型"), max_length=16, choices=LandUseType.choices, blank=True
    )
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    floor_area_m2 = models.DecimalField(
        _("建筑面积（平方米）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    expected_annual_output = money_field(_("预计年产值（万元）"), null=True, blank=True)

    stage = models.ForeignKey(
        Stage, verbose_name=_("所处阶段"), on_delete=models.PROTECT, related_name="projects"
    )
    stats_inclusion = models.CharField(
        _("纳统状态"),
        max_length=16,
        choices=StatsInclusion.choices,
        default=StatsInclusion.NOT_INCLUDED,
    )
    stats_inclusion_date = models.DateField(_("入库日期"), null=True, blank=True)
    accepted = models.BooleanField(_("已验收"), default=False)
    acceptance_date = models.DateField(_("验收日期"), null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-total_investment", "id"]
        # The ledger counts and sums the filtered set on every page: each filter's index
        # carries region and investment so that the count and sum read the index alone.
        # Text search has an index per engine, created in migration 0003 (not model state).
        indexes = [
            models.Index(fields=["region", "total_investment"], name="project_region_invest"),
            models.Index(fields=["total_investment", "id"], name="project_invest"),
            models.Index(fields=["tier", "region", "total_investment"], name="project_tier"),
            models.Index(
                fields=["category", "region", "total_investment"], name="project_category"
            ),
            models.Index(fields=["kind", "region", "total_investment"], name="project_kind"),
            models.Index(fields=["stage", "region", "total_investment"], name="project_stage"),
            models.Index(
                fields=["industry", "region", "total_investment"], name="project_industry"
            ),
            models.Index(fields=["planned_start_date", "id"], name="project_planned_start"),
            models.Index(fields=["updated_at", "id"], name="project_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_investment__gte=0), name="project_investment_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tier_colour(self) -> str:
        """Badge colour of the tier."""
        return Tier.colour(self.tier)

    @property
    def kind_colour(self) -> str:
        """Badge colour of the kind."""
        return Kind.colour(self.kind)

    @property
    def stats_inclusion_colour(self) -> str:
        """Badge colour of the statistical inclusion status."""
        return StatsInclusion.colour(self.stats_inclusion)

    def clean(self) -> None:
        """Cross-field rules; field rules are on the fields themselves."""
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        for start, end, label in (
            (
                "planned_start_date",
                "planned_completion_date",
                _("计划竣工日期不能早于计划开工日期。"),
            ),
            (
                "actual_start_date",
                "actual_completion_date",
                _("实际竣工日期不能早于实际开工日期。"),
            ),
            (
                "planned_start_date",
                "planned_production_date",
                _("计划投产日期不能早于计划开工日期。"),
            ),
            (
                "actual_start_date",
                "actual_production_date",
                _("实际投产日期不能早于实际开工日期。"),
            ),
            (
                "construction_start_year",
                "construction_end_year",
                _("建设结束年不能早于建设起始年。"),
            ),
        ):
            a, b = getattr(self, start), getattr(self, end)
            if a is not None and b is not None and b < a:
                add(end, str(label))
        funds = [
            self.fund_central,
            self.fund_special_bonds,
            self.fund_local,
            self.fund_market,
        ]
        if self.total_investment is not None and self.total_investment >= 0:
            funding = sum((f for f in funds if f is not None), Decimal(0))
            if funding > self.total_investment:
                add("fund_market", str(_("各项资金来源之和不能超过总投资。")))
            if self.completed_before_year and self.completed_before_year > self.total_investment:
                add("completed_before_year", str(_("以前年度累计完成投资不能超过总投资。")))
        try:
            parsed = parse_project_code(self.code)
        except ValueError:
            parsed = None  # reported by the field validator
        if parsed is not None and not Region.objects.filter(code=parsed.region).exists():
            add("code", _("项目代码中的区划代码“%s”不是已知的行政区划。") % parsed.region)
        zone = self.zone if self.zone_id is not None else None
        if zone is not None and self.region_id is not None and zone.region_id != self.region_id:
            add("zone", str(_("所选园区不在项目所在区划内。")))
        if self.parent_id is not None and self.pk is not None and self.parent_id == self.pk:
            add("parent", str(_("项目不能以自身为打包项目。")))
        if self.stats_inclusion == StatsInclusion.INCLUDED and self.stats_inclusion_date is None:
            add("stats_inclusion_date", str(_("已入库的项目须填写入库日期。")))
        if self.accepted and self.acceptance_date is None:
            add("acceptance_date", str(_("已验收的项目须填写验收日期。")))
        if errors:
            raise ValidationError(errors)


class ProjectStep(models.Model):
    """A project's record of one lifecycle step; created when first touched."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    definition = models.ForeignKey(
        StepDefinition, verbose_name=_("环节"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    planned_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    actual_date = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    waiver_reason = models.CharField(_("豁免理由"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("项目环节")
        verbose_name_plural = _("项目环节")
        constraints = [
            models.UniqueConstraint(fields=["project", "definition"], name="project_step_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.definition_id}"


def evidence_path(instance: "StepEvidence", filename: str) -> str:
    """Store evidence under the project's id; the original name is kept in the row."""
    return f"evidence/{instance.step.project_id}/{instance.step.definition_id}/{filename}"


class StepEvidence(models.Model):
    """A file proving a step (批复文件, 照片); served only through a scoped view."""

    step = models.ForeignKey(ProjectStep, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
