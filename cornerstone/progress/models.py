"""Reporting schedules, the cycles they open, the reports owners fill in, and actuals.

A schedule says who reports how often (a region and optionally a tier and class); each
opened cycle expects one report per in-scope project. An accepted report's amount and
funds in place land in ``InvestmentActual``, the month-by-month completed investment (and
funds) that warnings and statistics read.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cornerstone.problems.choices import ProblemCategory
from cornerstone.progress.choices import (
    AttachmentKind,
    CycleStatus,
    Frequency,
    ReportStatus,
    SiteStatus,
)
from cornerstone.projects.choices import Category, Tier
from cornerstone.projects.models import money_field

# The sources of funds in place: the ledger's funding mix (Project.fund_*), short labels.
FUND_SOURCES = {
    "funds_central": _("中央预算内资金"),
    "funds_special_bonds": _("专项债券"),
    "funds_local": _("地方财政资金"),
    "funds_market": _("市场化及自有资金"),
}


def signed_money(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """An amount in 万元 that may be negative (a correction of an earlier period)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class ReportingSchedule(models.Model):
    """Who reports how often: projects of a region (and below), optionally one tier or class."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("项目级别"), max_length=16, choices=Tier.choices, blank=True)
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices, blank=True)
    frequency = models.CharField(_("频次"), max_length=16, choices=Frequency.choices)
    # Monthly: day of the month (每月25日前); semi-monthly: days after the half ends;
    # weekly: weekday of the week, 1 = Monday (每周五 = 5).
    deadline_day = models.PositiveSmallIntegerField(
        _("填报截止日"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    remind_days_before = models.PositiveSmallIntegerField(_("提前提醒天数"), default=2)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调度安排")
        verbose_name_plural = _("调度安排")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class ReportingCycle(models.Model):
    """One period of a schedule (2026年11月, 2026年第47周, 2026年11月上半月)."""

    schedule = models.ForeignKey(
        ReportingSchedule,
        verbose_name=_("调度安排"),
        on_delete=models.CASCADE,
        related_name="cycles",
    )
    label = models.CharField(_("期次"), max_length=50)
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    deadline = models.DateField(_("填报截止"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("最近提醒"), null=True, blank=True)

    class Meta:
        verbose_name = _("填报期次")
        verbose_name_plural = _("填报期次")
        ordering = ["-period_start", "schedule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start"], name="cycle_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="cycle_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.label}"


class ProgressReport(models.Model):
    """One project's report for one cycle, reviewed by an admin."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("期次"), on_delete=models.CASCADE, related_name="reports"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # Negative only as a correction of an earlier period, which needs a reason.
    investment_this_period = signed_money(_("本期完成投资（万元）"), null=True, blank=True)
    # Filled in on acceptance from the accepted actuals, so they never disagree.
    investment_year_to_date = signed_money(_("本年累计完成投资（万元）"), null=True, blank=True)
    investment_since_start = signed_money(_("自开工累计完成投资（万元）"), null=True, blank=True)
    correction_reason = models.CharField(_("调减原因"), max_length=500, blank=True)
    # Funds that arrived this period (资金到位), by the ledger's four sources; null = not
    # reported. Given parts must add up to the total (report_amounts fills a blank total).
    funds_in_place = money_field(_("本期到位资金（万元）"), null=True, blank=True)
    funds_central = money_field(_("其中：中央预算内资金（万元）"), null=True, blank=True)
    funds_special_bonds = money_field(_("其中：专项债券（万元）"), null=True, blank=True)
    funds_local = money_field(_("其中：地方财政资金（万元）"), null=True, blank=True)
    funds_market = money_field(_("其中：市场化及自有资金（万元）"), null=True, blank=True)
    site_status = models.CharField(
        _("开工状态"), max_length=16, choices=SiteStatus.choices, blank=True
    )
    physical_progress = models.TextField(_("形象进度"), blank=True)
    percent_complete = models.DecimalField(
        _("完成百分比"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    workforce_expected = models.PositiveIntegerField(_("计划用工人数"), null=True, blank=True)
    workforce_on_site = models.PositiveIntegerField(_("在岗人数"), null=True, blank=True)
    next_period_plan = models.TextField(_("下期计划"), blank=True)
    coordination_needed = models.TextField(_("需协调事项"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # The first submission decides lateness; a resubmission after a return does not.
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_opinion = models.CharField(_("审核意见"), max_length=500, blank=True)
    # Optimistic locking: a save names the version it read; a stale one is refused.
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        ordering = ["-cycle__period_start", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "project"], name="report_one_per_cycle"),
            models.CheckConstraint(
                condition=models.Q(funds_in_place__gte=0)
                & models.Q(funds_central__gte=0)
                & models.Q(funds_special_bonds__gte=0)
                & models.Q(funds_local__gte=0)
                & models.Q(funds_market__gte=0),
                name="report_funds_not_negative",
                violation_error_message=_("到位资金不能为负数。"),
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="report_project_status")]

    def __str__(self) -> str:
        return f"{self.cycle.label} {self.project_id}"

    @property
    def is_late(self) -> bool:
        """First submitted after the cycle's deadline."""
        first = self.first_submitted_at
        return first is not None and timezone.localdate(first) > self.cycle.deadline

    @property
    def funds_parts(self) -> list[tuple[str, Decimal]]:
        """The funds sources given, as (short label, amount), in the ledger's order."""
        return [
            (str(label), value)
            for name, label in FUND_SOURCES.items()
            if (value := getattr(self, name)) is not None
        ]

    @property
    def is_correction(self) -> bool:
        """A negative period amount: a lowering of an earlier period (调减)."""
        return self.investment_this_period is not None and self.investment_this_period < 0


class ReportProblem(models.Model):
    """A problem listed in a report; it becomes a Problem when the report is submitted."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="listed_problems"
    )
    category = models.CharField(_("问题类别"), max_length=16, choices=ProblemCategory.choices)
    description = models.CharField(_("问题描述"), max_length=1000)
    department = models.ForeignKey(
        "geo.Department",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("办结时限"), null=True, blank=True)
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("已转问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报告问题")
        verbose_name_plural = _("报告问题")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:50]


class ReportTransition(models.Model):
    """A step of a report's review: who moved it from which status to which, and why."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=16, choices=ReportStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ReportStatus.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.from_status}→{self.to_status}"


def attachment_path(instance: "ReportAttachment", filename: str) -> str:
    """Store under the report; the original name is kept in the row."""
    return f"reports/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    """A site photo or a document attached to a report (type and size checked)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class InvestmentActual(models.Model):
    """A project's completed investment in one month: the sum of its accepted reports."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="investment_actuals"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = signed_money(_("完成投资（万元）"), default=Decimal(0))
    # The accepted reports' funds in place of the month (资金到位), beside their amount.
    funds_in_place = signed_money(_("到位资金（万元）"), default=Decimal(0))

    class Meta:
        verbose_name = _("月度完成投资")
        verbose_name_plural = _("月度完成投资")
        ordering = ["project_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="actual_one_per_month"
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "project"], name="actual_period")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d} {self.amount}"
