"""Plans: annual and monthly investment plans, milestones, tasks and the working calendar."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.plans.choices import CalendarDayKind, DependencyType, SplitMethod
from cornerstone.projects.models import Project, StepDefinition, money_field

MONTHS = range(1, 13)


class InvestmentPlan(models.Model):
    """A project's planned investment for one year; its twelve months add up to it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="investment_plans")
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    annual_amount = money_field(_("年度计划投资（万元）"))
    split_method = models.CharField(
        _("分月方式"), max_length=16, choices=SplitMethod.choices, default=SplitMethod.MANUAL
    )
    # Given when the plans together exceed what is left of the total investment.
    override_reason = models.CharField(_("超出总投资的理由"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度投资计划")
        verbose_name_plural = _("年度投资计划")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="investment_plan_unique"),
            models.CheckConstraint(
                condition=models.Q(annual_amount__gte=0), name="investment_plan_non_negative"
            ),
        ]
        indexes = [models.Index(fields=["year", "project"], name="investment_plan_year")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.year}"


class MonthlyPlan(models.Model):
    """One month of an annual plan (月度投资计划)."""

    plan = models.ForeignKey(InvestmentPlan, on_delete=models.CASCADE, related_name="months")
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = money_field(_("月度计划投资（万元）"))

    class Meta:
        verbose_name = _("月度投资计划")
        verbose_name_plural = _("月度投资计划")
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="monthly_plan_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="monthly_plan_month"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="monthly_plan_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.month}"


class Milestone(models.Model):
    """A monthly node (月节点); tied to a lifecycle step, the step's completion completes it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("节点名称"), max_length=100)
    target_date = models.DateField(_("目标日期"))
    step = models.ForeignKey(
        StepDefinition,
        verbose_name=_("关联环节"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Used only when no step is tied; a tied milestone takes the step's actual date.
    achieved_date = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("月节点")
        verbose_name_plural = _("月节点")
        ordering = ["project", "target_date", "id"]
        indexes = [models.Index(fields=["project", "target_date"], name="milestone_project")]

    def __str__(self) -> str:
        return self.name


class ScheduleTarget(models.Model):
    """The fixed deadline a project's tasks are scheduled back from (倒排工期)."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="schedule_target"
    )
    label = models.CharField(_("目标"), max_length=50, default="投产")
    deadline = models.DateField(_("完成时限"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("倒排工期目标")
        verbose_name_plural = _("倒排工期目标")

    def __str__(self) -> str:
        return f"{self.label} {self.deadline:%Y-%m-%d}"


class Task(models.Model):
    """A weekly task (周任务) in a project's network of dependent work."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(_("任务名称"), max_length=100)
    department = models.ForeignKey(
        "geo.Department",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    person = models.CharField(_("责任人"), max_length=50, blank=True)
    duration = models.PositiveIntegerField(
        _("工期（工作日）"), validators=[MaxValueValidator(3650)]
    )
    deadline = models.DateField(_("限定完成日期"), null=True, blank=True)
    actual_start = models.DateField(_("实际开始日期"), null=True, blank=True)
    actual_finish = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("周任务")
        verbose_name_plural = _("周任务")
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actual_finish__isnull=True)
                | models.Q(actual_start__isnull=False, actual_finish__gte=models.F("actual_start")),
                name="task_actual_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "actual_finish"], name="task_department"),
        ]

    def __str__(self) -> str:
        return self.name


class TaskDependency(models.Model):
    """A predecessor link: finish-to-start or start-to-start, with a lag in working days."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    predecessor = models.ForeignKey(
        Task,
        verbose_name=_("前置任务"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    kind = models.CharField(
        _("依赖类型"),
        max_length=2,
        choices=DependencyType.choices,
        default=DependencyType.FINISH_TO_START,
    )
    lag = models.IntegerField(
        _("间隔（工作日）"),
        default=0,
        validators=[MinValueValidator(-365), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("任务依赖")
        verbose_name_plural = _("任务依赖")
        constraints = [
            models.UniqueConstraint(fields=["task", "predecessor"], name="task_dependency_unique"),
            models.CheckConstraint(
                condition=~models.Q(task=models.F("predecessor")), name="task_dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id}→{self.task_id}"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a holiday, or a weekend day worked (调休)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("名称"), max_length=50)
    # The year's arrangement not yet published by the State Council: statutory days only.
    provisional = models.BooleanField(_("暂定"), default=False)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
